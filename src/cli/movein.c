/* movein.c (cli) — runcare import-clinic: a clinic's patients, practitioners, services and appointments from
 * another practice system's CSV export (app/movein.h), acting as the machine's operator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/movein.h"
#include "base/arena.h"
#include "base/time.h"
#include "cli/cli.h"

static const char help[] =
	"usage: runcare import-clinic --from-csv DIR [--mapping FILE] [--dry-run] [--db URL]\n\n"
	"Moves a clinic in from another practice system: DIR holds its CSV export, patients.csv,\n"
	"practitioners.csv, services.csv and appointments.csv (any of them; names and columns as the\n"
	"mapping file says, else runcare's own field names — docs/import.md). Each row is created, merged\n"
	"with a record already here or earlier in the file (same email, or same name and date of birth; a\n"
	"practitioner or service of the same name; a visit already imported), or refused with the reason\n"
	"(overlapping visits, a visit off the quarter hour, a patient the files do not have). Everything is\n"
	"written in one transaction. --dry-run reports the same and writes nothing.\n\n"
	"Exit status: 0 moved in (or checked), 1 failed, 2 the files have errors: each is printed with its\n"
	"file, line and column, and nothing is written.\n";

enum { RC_CLI_MOVEIN_ARENA = 256 * 1024 * 1024 };

static char *read_all(const char *path, size_t *len, bool *missing)
{
	*missing = false;
	FILE *f = fopen(path, "rb");
	if (!f) {
		*missing = true;
		return NULL;
	}
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		if (cap >= RC_MOVEIN_MAX_FILE + (size_t)1) {
			break;
		}
		char *more = realloc(buf, cap * 2);
		if (!more) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = more;
		cap *= 2;
	}
	fclose(f);
	*len = n;
	return buf;
}

int rc_cli_movein(int argc, char **argv)
{
	static const char *const allowed[] = {"from-csv", "mapping", "db", NULL};
	static const char *const flags[] = {"dry-run", NULL};
	rc_cli_opts o;
	int st = rc_cli_parse(argc, argv, allowed, flags, &o, help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	const char *dir = rc_cli_opt(&o, "from-csv");
	if (o.nwords || !dir) {
		fputs("runcare import-clinic: give --from-csv DIR (runcare import-clinic --help)\n", stderr);
		return RC_EXIT_USAGE;
	}
	rc_problem p = {0};
	rc_movein_mapping map;
	char *mapping = NULL;
	size_t mlen = 0;
	if (rc_cli_opt(&o, "mapping")) {
		bool missing;
		mapping = read_all(rc_cli_opt(&o, "mapping"), &mlen, &missing);
		if (!mapping) {
			fprintf(stderr, "runcare import-clinic: cannot read the mapping '%s'\n", rc_cli_opt(&o, "mapping"));
			return RC_EXIT_USAGE;
		}
	}
	if (rc_app_movein_mapping(mapping, mlen, &map, &p)) {
		fprintf(stderr, "runcare import-clinic: %s\n", p.text);
		free(mapping);
		return RC_EXIT_USAGE;
	}
	free(mapping);
	rc_movein_input in = {.map = &map, .dry_run = rc_cli_opt(&o, "dry-run") != NULL};
	char *bufs[RC_MOVEIN_KINDS] = {0};
	bool any = false;
	for (int k = 0; k < RC_MOVEIN_KINDS; k++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, map.file[k]);
		bool missing;
		bufs[k] = read_all(path, &in.len[k], &missing);
		if (!bufs[k] && !missing) {
			fprintf(stderr, "runcare import-clinic: cannot read '%s'\n", path);
			st = RC_EXIT_FAIL;
		}
		in.data[k] = bufs[k];
		any |= bufs[k] != NULL;
	}
	if (!st && !any) {
		fprintf(stderr, "runcare import-clinic: '%s' holds none of %s, %s, %s, %s\n", dir, map.file[0], map.file[1],
		        map.file[2], map.file[3]);
		st = RC_EXIT_USAGE;
	}
	rc_db *db = st ? NULL : rc_cli_open_db(&o);
	if (!st && !db)
		st = RC_EXIT_FAIL;
	if (!st) {
		rc_arena arena;
		rc_arena_init(&arena, RC_CLI_MOVEIN_ARENA);
		rc_uc uc;
		rc_cli_uc(db, rc_time_now(), &uc);
		uc.arena = &arena;
		rc_movein_report rep;
		rc_err e = rc_app_movein(&uc, &in, &rep, &p);
		for (int i = 0; i < rep.nlines; i++) {
			const rc_movein_line *l = &rep.lines[i];
			printf("%s", map.file[l->kind]);
			if (l->line)
				printf(" line %d", l->line);
			if (l->column[0])
				printf(", column \"%s\"", l->column);
			printf(": %s: %s\n", rc_movein_outcomes[l->what], l->text);
		}
		printf("\n%-14s %8s %8s %8s\n", "", "created", "merged", "refused");
		for (int k = 0; k < RC_MOVEIN_KINDS; k++)
			if (in.data[k])
				printf("%-14s %8d %8d %8d\n", rc_movein_kinds[k], rep.count[k][0], rep.count[k][1], rep.count[k][2]);
		if (e == RC_EINVAL && rep.errors) {
			printf("\n%d error%s: nothing was written.\n", rep.errors, rep.errors == 1 ? "" : "s");
			st = RC_EXIT_USAGE;
		} else if (e) {
			fprintf(stderr, "runcare import-clinic: %s\n", p.text);
			st = e == RC_EINVAL || e == RC_EFORBIDDEN ? RC_EXIT_USAGE : RC_EXIT_FAIL;
		} else {
			printf("\n%s\n", in.dry_run ? "Dry run: nothing was written; the import would do the above."
			                            : "Moved in, in one transaction.");
		}
		rc_arena_free(&arena);
		rc_db_close(db);
	}
	for (int k = 0; k < RC_MOVEIN_KINDS; k++)
		free(bufs[k]);
	return st;
}
