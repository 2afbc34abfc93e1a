/* common.c — what several subcommands share: settings and opening the database. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

const char *rc_cli_setting(const char *option, const char *env, const char *fallback)
{
	if (option)
		return option;
	const char *v = getenv(env);
	return v && *v ? v : fallback;
}
