/* fuzz_content.c — libFuzzer target for the content loaders a clinic edits. The first byte picks the
 * file (names[] below); the rest is its bytes. They are parsed from memory by that file's own parser
 * and linked against the built-in content, loaded once at the start: the checks across files run as
 * they do for `runcare serve --content DIR`, through the same functions, but no file is written or read
 * for an input. A file the others are read against (findings.json, conditions.json) has the built-in
 * files that refer to it parsed again against it. A load either succeeds or its error starts with the
 * name of a content file; nothing leaks, nothing crashes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "content/chart.h"
#include "content/content.h"
#include "content/programs.h"
#include "content/selfcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The first byte's choices; keep the order, which the corpus in tests/fuzz/corpus/content relies on. */
enum {
	CLINIC,
	EXERCISES,
	PROGRAMS,
	PROGRESSION,
	FINDINGS,
	CONDITIONS,
	REDFLAGS,
	EVIDENCE,
	RISKFACTORS,
	ARTICLE,
	FIELDS,
	TEMPLATES,
	DIAGNOSES,
	TREATMENTS,
	CONSENT,
	ACUPOINTS,
	NFILES
};
static const char *const names[NFILES] = {
	"clinic.json",
	"exercises.json",
	"programs.json",
	"progression.json",
	"selfcheck/findings.json",
	"selfcheck/conditions.json",
	"selfcheck/redflags.jsonl",
	"selfcheck/evidence.jsonl",
	"selfcheck/riskfactors.jsonl",
	"articles/fuzz.md",
	"chart/fields.json",
	"chart/templates.json",
	"chart/diagnoses.json",
	"chart/treatments.json",
	"chart/consent.json",
	RC_ACUPOINTS_DEFAULT,
};

typedef rc_err (*programs_parser)(rc_programs *, const rc_content_file *, char *, size_t);
typedef rc_err (*selfcheck_parser)(rc_triage_kb *, const rc_content_file *, char *, size_t);
typedef rc_err (*chart_parser)(rc_chart_kb *, const rc_content_file *, char *, size_t);

static const programs_parser programs_parse[] = {
	[EXERCISES] = rc_programs_parse_exercises,
	[PROGRAMS] = rc_programs_parse_programs,
	[PROGRESSION] = rc_programs_parse_progression,
};
static const selfcheck_parser selfcheck_parse[] = {
	[FINDINGS] = rc_selfcheck_parse_findings,     [CONDITIONS] = rc_selfcheck_parse_conditions,
	[REDFLAGS] = rc_selfcheck_parse_redflags,     [EVIDENCE] = rc_selfcheck_parse_evidence,
	[RISKFACTORS] = rc_selfcheck_parse_riskfactors,
};
static const chart_parser chart_parse[] = {
	[FIELDS] = rc_chart_parse_fields,         [TEMPLATES] = rc_chart_parse_templates,
	[DIAGNOSES] = rc_chart_parse_diagnoses,   [TREATMENTS] = rc_chart_parse_treatments,
	[CONSENT] = rc_chart_parse_consent,
};

/* The built-in content, loaded once and never written to: each input works on a copy of what it changes. */
static rc_content *content;
static rc_programs *programs;
static rc_triage_kb *triage;
static rc_chart_kb *chart;
static rc_content_file builtin[NFILES];
static rc_triage_kb triage_work; /* too big for the stack of a sanitized build's frame */
static rc_chart_kb chart_work;
static rc_program *programs_work; /* the built-in programs' copy, which rc_programs_link writes into */
static int say; /* FUZZ_CONTENT_SAY=1: print what each input came to (to see what a seed reaches) */

static rc_err load_content(int pick, const rc_content_file *f, char *err, size_t errlen)
{
	rc_content c = *content;
	rc_arena_init(&c.arena, 0);
	rc_err e = RC_OK;
	if (pick == CLINIC)
		e = rc_clinic_parse(&c.arena, f, &c.clinic, err, errlen);
	/* The articles, the fuzzed one beside the built-in ones (rc_content_link sorts them in place). */
	c.articles = rc_arena_alloc(&c.arena, sizeof *c.articles * (content->narticles + 1));
	memcpy(c.articles, content->articles, sizeof *c.articles * content->narticles);
	if (!e && pick == ARTICLE)
		e = rc_article_parse(&c.arena, f->name, "fuzz", f->data, f->len, &c.articles[c.narticles++], err, errlen);
	if (!e)
		e = rc_content_link(&c, err, errlen);
	rc_arena_free(&c.arena);
	return e;
}

static rc_err load_programs(int pick, const rc_content_file *f, char *err, size_t errlen)
{
	rc_programs p = *programs;
	rc_arena_init(&p.arena, 16 << 20);
	p.programs = memcpy(programs_work, programs->programs, sizeof *p.programs * (size_t)programs->nprograms);
	rc_err e = programs_parse[pick](&p, f, err, errlen);
	if (!e)
		e = rc_programs_link(&p, err, errlen);
	rc_arena_free(&p.arena);
	return e;
}

static rc_err load_selfcheck(int pick, const rc_content_file *f, char *err, size_t errlen)
{
	rc_triage_kb *kb = &triage_work;
	*kb = *triage;
	rc_arena_init(&kb->arena, 0);
	rc_err e = selfcheck_parse[pick](kb, f, err, errlen);
	/* The .jsonl files are read against the vocabulary: after a new one, the built-in ones again. */
	int from = pick == FINDINGS || pick == CONDITIONS ? REDFLAGS : NFILES;
	int to = pick == FINDINGS ? RISKFACTORS : EVIDENCE;
	for (int i = from; !e && i <= to; i++)
		e = selfcheck_parse[i](kb, &builtin[i], err, errlen);
	if (!e)
		e = rc_selfcheck_link(kb, err, errlen);
	rc_arena_free(&kb->arena);
	return e;
}

static rc_err load_chart(int pick, const rc_content_file *f, char *err, size_t errlen)
{
	rc_chart_kb *kb = &chart_work;
	*kb = *chart;
	rc_arena_init(&kb->arena, 8 << 20);
	rc_err e = pick == ACUPOINTS ? rc_acupoints_parse(kb, f->name, f->data, f->len, err, errlen)
	                             : chart_parse[pick](kb, f, err, errlen);
	if (!e)
		e = rc_chart_kb_link(kb, triage, err, errlen);
	rc_arena_free(&kb->arena);
	return e;
}

static rc_err load(int pick, const rc_content_file *f, char *err, size_t errlen)
{
	err[0] = '\0';
	if (pick == CLINIC || pick == ARTICLE)
		return load_content(pick, f, err, errlen);
	if (pick <= PROGRESSION)
		return load_programs(pick, f, err, errlen);
	if (pick <= RISKFACTORS)
		return load_selfcheck(pick, f, err, errlen);
	return load_chart(pick, f, err, errlen);
}

/* An error names the file it is about (or the file whose reference broke) first. */
static int named(const char *err)
{
	for (int i = 0; i < NFILES; i++)
		if (strncmp(err, names[i], strlen(names[i])) == 0)
			return 1;
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[512];
	say = getenv("FUZZ_CONTENT_SAY") != NULL;
	/* No acupoint list: the default path is relative to where the fuzzer runs. */
	if (rc_content_load(NULL, &content, err, sizeof err) || rc_programs_load(NULL, &programs, err, sizeof err) ||
	    rc_selfcheck_load(NULL, &triage, err, sizeof err) ||
	    rc_chart_kb_load(NULL, "/nonexistent/acupoints.json", triage, &chart, err, sizeof err)) {
		fprintf(stderr, "fuzz-content: the built-in content does not load: %s\n", err);
		abort();
	}
	if (!(programs_work = malloc(sizeof *programs_work * (size_t)programs->nprograms)))
		abort();
	static const char article[] = "title: T\ncategory: Running Tips\ndate: 2026-01-01\nsummary: S\n\nText.\n";
	static const char points[] = "{\"points\": [{\"code\": \"GV20\", \"meridian\": \"GV\", \"number\": 20, "
	                             "\"region\": \"head\"}]}";
	for (int i = 0; i < NFILES; i++) {
		if (i == ARTICLE)
			builtin[i] = (rc_content_file){names[i], article, sizeof article - 1};
		else if (i == ACUPOINTS)
			builtin[i] = (rc_content_file){names[i], points, sizeof points - 1};
		else if (rc_content_read(NULL, NULL, names[i], &builtin[i], err, sizeof err))
			abort();
	}
	/* Each file's built-in bytes through this target load as they do whole: the harness is sound. */
	for (int i = 0; i < NFILES; i++) {
		if (load(i, &builtin[i], err, sizeof err)) {
			fprintf(stderr, "fuzz-content: built-in %s does not load on its own: %s\n", names[i], err);
			abort();
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int pick = data[0] % NFILES;
	rc_content_file f = {names[pick], (const char *)data + 1, size - 1};
	char err[512];
	rc_err e = load(pick, &f, err, sizeof err);
	if (say)
		fprintf(stderr, "fuzz-content: %s: %s\n", names[pick], e ? err : "loads");
	if (e && !named(err)) {
		fprintf(stderr, "fuzz-content: an error that names no file: '%s'\n", err);
		abort();
	}
	return 0;
}
