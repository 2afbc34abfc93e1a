/* common.c — what several subcommands share: settings and opening the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#include "app/app.h"
#include "base/time.h"
#include "content/content.h"
#include "store/account.h"
#include "store/db.h"
#include "store/migrate.h"

const char *rc_cli_setting(const char *option, const char *env, const char *fallback)
{
	if (option)
		return option;
	const char *v = getenv(env);
	return v && *v ? v : fallback;
}

void rc_cli_uc(rc_db *db, int64_t now, rc_uc *out)
{
	static const rc_account operator_ = {.role = RC_ROLE_ADMIN, .name = "the operator (command line)"};
	*out = (rc_uc){.db = db, .now = now, .actor = &operator_, .address = "cli", .arena = NULL};
}

int rc_cli_clinic_zone(const char *content_dir, const char *cmd)
{
	char err[512];
	rc_content *ct = NULL;
	if (rc_content_load(content_dir, &ct, err, sizeof err)) {
		fprintf(stderr, "runcare %s: content is not valid: %s\n", cmd, err);
		return RC_EXIT_USAGE;
	}
	rc_err tz = rc_tz_set(ct->clinic.timezone);
	if (tz)
		fprintf(stderr, "runcare %s: the clinic's time zone '%s' is not known to this system\n", cmd,
		        ct->clinic.timezone);
	rc_content_free(ct);
	return tz ? RC_EXIT_USAGE : RC_EXIT_OK;
}

int rc_cli_parse(int argc, char **argv, const char *const allowed[], const char *const flags[], rc_cli_opts *o,
                 const char *help)
{
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			return -1;
		}
		if (strncmp(a, "--", 2) == 0) {
			bool known = false, flag = false;
			for (int k = 0; allowed[k]; k++)
				known |= strcmp(allowed[k], a + 2) == 0;
			for (int k = 0; flags && flags[k]; k++)
				flag |= strcmp(flags[k], a + 2) == 0;
			if ((!known && !flag) || (known && i + 1 == argc) || o->n == 8) {
				fprintf(stderr, "runcare: unknown or incomplete option '%s'\n\n%s", a, help);
				return RC_EXIT_USAGE;
			}
			o->keys[o->n] = a + 2;
			o->values[o->n++] = flag ? "1" : argv[++i];
		} else if (o->nwords < 4) {
			o->words[o->nwords++] = a;
		} else {
			fprintf(stderr, "runcare: unexpected argument '%s'\n", a);
			return RC_EXIT_USAGE;
		}
	}
	return 0;
}

const char *rc_cli_opt(const rc_cli_opts *o, const char *key)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return o->values[i];
	return NULL;
}

rc_db *rc_cli_open_db(const rc_cli_opts *o)
{
	char err[512];
	rc_db *db = NULL;
	int applied;
	const char *url = rc_cli_setting(rc_cli_opt(o, "db"), "RUNCARE_DB", RC_DEFAULT_DB);
	if (rc_db_open(url, &db, err, sizeof err) || rc_migrate(db, &applied, err, sizeof err)) {
		fprintf(stderr, "runcare: %s\n", err);
		rc_db_close(db);
		return NULL;
	}
	return db;
}

void rc_cli_patient_with_busy_db(void)
{
	/* One process outside the server queues behind all its threads for SQLite's one write lock. */
	rc_db_set_busy_wait(60000);
}
