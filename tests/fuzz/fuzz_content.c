/* fuzz_content.c — libFuzzer target for the content loaders a clinic edits. The first byte picks the
 * file; the rest is its bytes. An article is parsed straight from memory (rc_article_parse); the JSON
 * and JSON-lines files are written over one file of a copy of the built-in content in a directory
 * under /dev/shm and loaded the way `runcare serve --content DIR` loads them, so the loaders run whole,
 * cross-file checks included. A load either succeeds or names the file in its error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "content/content.h"
#include "content/programs.h"
#include "content/selfcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static const char *const files[] = {
	"clinic.json",         "exercises.json",          "programs.json",         "progression.json",
	"selfcheck/findings.json", "selfcheck/conditions.json", "selfcheck/redflags.jsonl",
	"selfcheck/evidence.jsonl", "selfcheck/riskfactors.jsonl",
};
enum { NFILES = sizeof files / sizeof files[0] };
static char dir[64];

static void write_file(const char *rel, const void *data, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		abort();
}

static void restore(const char *rel)
{
	rc_arena a;
	rc_arena_init(&a, 4 << 20);
	const char *d;
	size_t n;
	char err[256];
	if (rc_content_read(&a, NULL, rel, &d, &n, err, sizeof err))
		abort();
	write_file(rel, d, n);
	rc_arena_free(&a);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof dir, "/dev/shm/runcare-fuzz-content-%ld", (long)getpid());
	char sub[96];
	snprintf(sub, sizeof sub, "%s/selfcheck", dir);
	if ((mkdir(dir, 0700) && access(dir, W_OK)) || (mkdir(sub, 0700) && access(sub, W_OK)))
		abort();
	snprintf(sub, sizeof sub, "%s/articles", dir);
	if (mkdir(sub, 0700) && access(sub, W_OK))
		abort();
	for (size_t i = 0; i < NFILES; i++)
		restore(files[i]);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned pick = data[0] % (NFILES + 1);
	char err[512];
	if (pick == NFILES) { /* an article, from memory */
		rc_arena a;
		rc_arena_init(&a, 8 << 20);
		rc_article art;
		(void)rc_article_parse(&a, "articles/fuzz.md", "fuzz", (const char *)data + 1, size - 1, &art, err, sizeof err);
		rc_arena_free(&a);
		return 0;
	}
	write_file(files[pick], data + 1, size - 1);
	rc_err e;
	err[0] = '\0';
	if (pick == 0) {
		rc_content *c = NULL;
		e = rc_content_load(dir, &c, err, sizeof err);
		if (!e)
			rc_content_free(c);
	} else if (pick <= 3) {
		rc_programs *p = NULL;
		e = rc_programs_load(dir, &p, err, sizeof err);
		if (!e)
			rc_programs_free(p);
	} else {
		rc_triage_kb *kb = NULL;
		e = rc_selfcheck_load(dir, &kb, err, sizeof err);
		if (!e)
			rc_selfcheck_free(kb);
	}
	if (e && !err[0])
		abort(); /* a refused file is always named with a reason */
	restore(files[pick]);
	return 0;
}
