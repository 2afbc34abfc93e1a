/* common.c — what several subcommands share: settings and opening the database. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

#include "app/app.h"
#include "base/time.h"
#include "content/content.h"
#include "store/account.h"
#include "store/db.h"

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

void rc_cli_patient_with_busy_db(void)
{
	/* One process outside the server queues behind all its threads for SQLite's one write lock. */
	rc_db_set_busy_wait(60000);
}
