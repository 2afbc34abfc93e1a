/* db.c — runcare db migrate | status | backup FILE. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "store/db.h"
#include "store/migrate.h"

static const char help[] =
	"usage: runcare db migrate [--db URL]\n"
	"       runcare db status [--db URL]\n"
	"       runcare db backup FILE [--db URL]\n"
	"       runcare db copy --from URL --to URL [--force]\n\n"
	"  migrate   apply every pending schema migration (the server also does this at start)\n"
	"  status    list the migrations and whether each is applied\n"
	"  backup    write a consistent copy of the database to FILE, safe while the server runs;\n"
	"            FILE must not exist yet\n\n"
	"  copy      move a whole clinic between databases (SQLite and PostgreSQL either way) in one\n"
	"            transaction on the target, verified by row counts and a checksum per table;\n"
	"            a target that holds data is refused unless --force (which replaces it)\n\n"
	"  --db URL  the database: sqlite:PATH or postgresql://USER@HOST:PORT/NAME\n"
	"            (default: $RUNCARE_DB, else " RC_DEFAULT_DB ")\n";

static void report_table(void *ctx, const char *table, int64_t rows, uint64_t checksum)
{
	(void)ctx;
	printf("%-24s %10lld rows  checksum %016llx  ok\n", table, (long long)rows, (unsigned long long)checksum);
}

static int copy(const char *from, const char *to, bool force)
{
	if (!from || !to) {
		fprintf(stderr, "runcare db copy: name both --from URL and --to URL\n\n%s", help);
		return RC_EXIT_USAGE;
	}
	char err[1024];
	rc_db *src = NULL, *dst = NULL;
	if (rc_db_open(from, &src, err, sizeof err) || rc_db_open(to, &dst, err, sizeof err)) {
		fprintf(stderr, "runcare db copy: %s\n", err);
		rc_db_close(src);
		return RC_EXIT_FAIL;
	}
	rc_err e = rc_db_copy(src, dst, force, report_table, NULL, err, sizeof err);
	rc_db_close(src);
	rc_db_close(dst);
	if (e) {
		fprintf(stderr, "runcare db copy: %s; the target is unchanged\n", err);
		return e == RC_ECONFLICT || e == RC_EINVAL ? RC_EXIT_USAGE : RC_EXIT_FAIL;
	}
	puts("copied and verified");
	return RC_EXIT_OK;
}

int rc_cli_db(int argc, char **argv)
{
	/* Options may come before or after the subcommand and its FILE. */
	const char *db_opt = NULL, *from = NULL, *to = NULL, *words[3] = {0};
	bool force = false;
	int nwords = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			return RC_EXIT_OK;
		} else if (strcmp(a, "--db") == 0) {
			if (++i == argc) {
				fprintf(stderr, "runcare db: --db needs a URL\n\n%s", help);
				return RC_EXIT_USAGE;
			}
			db_opt = argv[i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			db_opt = a + 5;
		} else if (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
			if (++i == argc) {
				fprintf(stderr, "runcare db: %s needs a URL\n\n%s", a, help);
				return RC_EXIT_USAGE;
			}
			*(a[2] == 'f' ? &from : &to) = argv[i];
		} else if (strcmp(a, "--force") == 0) {
			force = true;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "runcare db: unknown option '%s'\n\n%s", a, help);
			return RC_EXIT_USAGE;
		} else if (nwords == 3) {
			fprintf(stderr, "runcare db: unexpected argument '%s'\n", a);
			return RC_EXIT_USAGE;
		} else {
			words[nwords++] = a;
		}
	}
	if (nwords == 0) {
		fputs(help, stderr);
		return RC_EXIT_USAGE;
	}
	const char *sub = words[0];
	if (strcmp(sub, "copy") == 0) {
		if (nwords != 1) {
			fprintf(stderr, "runcare db copy: unexpected argument '%s'\n", words[1]);
			return RC_EXIT_USAGE;
		}
		return copy(from, to, force);
	}
	const char *url = rc_cli_setting(db_opt, "RUNCARE_DB", RC_DEFAULT_DB);
	const char *file = NULL;
	if (strcmp(sub, "backup") == 0) {
		if (nwords != 2) {
			fprintf(stderr, "runcare db backup: name one FILE to write\n\n%s", help);
			return RC_EXIT_USAGE;
		}
		file = words[1];
		struct stat st;
		if (stat(file, &st) == 0) {
			fprintf(stderr, "runcare db backup: '%s' already exists; choose a new file name\n", file);
			return RC_EXIT_USAGE;
		}
	} else if (strcmp(sub, "migrate") != 0 && strcmp(sub, "status") != 0) {
		fprintf(stderr, "runcare db: unknown subcommand '%s'\n\n%s", sub, help);
		return RC_EXIT_USAGE;
	} else if (nwords != 1) {
		fprintf(stderr, "runcare db %s: unexpected argument '%s'\n", sub, words[1]);
		return RC_EXIT_USAGE;
	}

	char err[512];
	rc_db *db = NULL;
	if (rc_db_open(url, &db, err, sizeof err)) {
		fprintf(stderr, "runcare db: %s\n", err);
		return RC_EXIT_FAIL;
	}
	int status = RC_EXIT_OK;
	if (strcmp(sub, "migrate") == 0) {
		int applied = 0;
		if (rc_migrate(db, &applied, err, sizeof err)) {
			fprintf(stderr, "runcare db migrate: %s\n", err);
			status = RC_EXIT_FAIL;
		} else {
			printf("%d migration%s applied; the database is up to date\n", applied, applied == 1 ? "" : "s");
		}
	} else if (strcmp(sub, "status") == 0) {
		rc_migration_status st[256];
		int n = 0;
		if (rc_migrate_status(db, st, 256, &n, err, sizeof err)) {
			fprintf(stderr, "runcare db status: %s\n", err);
			status = RC_EXIT_FAIL;
		} else {
			int pending = 0;
			printf("%-8s %-32s %s\n", "version", "migration", "applied");
			for (int i = 0; i < n; i++) {
				printf("%-8d %-32s %s\n", st[i].version, st[i].name, st[i].applied ? st[i].applied_at : "pending");
				pending += !st[i].applied;
			}
			printf("%d pending\n", pending);
		}
	} else {
		if (rc_db_backup(db, file, err, sizeof err)) {
			fprintf(stderr, "runcare db backup: %s\n", err);
			status = RC_EXIT_FAIL;
		} else {
			printf("backed up to %s\n", file);
		}
	}
	rc_db_close(db);
	return status;
}
