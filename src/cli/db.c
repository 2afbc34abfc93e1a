/* db.c — runcare db migrate | status | backup FILE. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "store/db.h"
#include "store/migrate.h"

static const char help[] =
	"usage: runcare db migrate [--db URL]\n"
	"       runcare db status [--db URL]\n"
	"       runcare db backup FILE [--db URL]\n\n"
	"  migrate   apply every pending schema migration (the server also does this at start)\n"
	"  status    list the migrations and whether each is applied\n"
	"  backup    write a consistent copy of the database to FILE, safe while the server runs;\n"
	"            FILE must not exist yet\n\n"
	"  --db URL  the database, sqlite:PATH (default: $RUNCARE_DB, else " RC_DEFAULT_DB ")\n";

int rc_cli_db(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0}};
	const char *db_opt = NULL;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_opt = optarg; break;
		case 'h': fputs(help, stdout); return RC_EXIT_OK;
		default:
			fprintf(stderr, "runcare db: unknown or incomplete option '%s'\n\n%s", argv[optind - 1], help);
			return RC_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(help, stderr);
		return RC_EXIT_USAGE;
	}
	const char *sub = argv[optind++];
	/* Options may also follow the subcommand. */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_opt = optarg; break;
		case 'h': fputs(help, stdout); return RC_EXIT_OK;
		default:
			fprintf(stderr, "runcare db: unknown or incomplete option '%s'\n\n%s", argv[optind - 1], help);
			return RC_EXIT_USAGE;
		}
	}
	const char *url = rc_cli_setting(db_opt, "RUNCARE_DB", RC_DEFAULT_DB);
	const char *file = NULL;
	if (strcmp(sub, "backup") == 0) {
		if (optind != argc - 1) {
			fprintf(stderr, "runcare db backup: name one FILE to write\n\n%s", help);
			return RC_EXIT_USAGE;
		}
		file = argv[optind];
		struct stat st;
		if (stat(file, &st) == 0) {
			fprintf(stderr, "runcare db backup: '%s' already exists; choose a new file name\n", file);
			return RC_EXIT_USAGE;
		}
	} else if (strcmp(sub, "migrate") != 0 && strcmp(sub, "status") != 0) {
		fprintf(stderr, "runcare db: unknown subcommand '%s'\n\n%s", sub, help);
		return RC_EXIT_USAGE;
	} else if (optind != argc) {
		fprintf(stderr, "runcare db %s: unexpected argument '%s'\n", sub, argv[optind]);
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
