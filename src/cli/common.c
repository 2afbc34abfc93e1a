/* common.c — what several subcommands share: settings and opening the database. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

#include "app/app.h"
#include "store/account.h"

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
