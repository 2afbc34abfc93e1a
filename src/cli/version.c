/* version.c — runcare version, with the versions of the libraries it runs on. */
#include <cmark.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "web/server.h"

int rc_cli_version(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		puts("usage: runcare version\n\nPrints runcare's version and those of its libraries.");
		return RC_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "runcare version: unexpected argument '%s'\n", argv[1]);
		return RC_EXIT_USAGE;
	}
	char err[300];
	const char *mhd = rc_http_library_version(err, sizeof err);
	printf("runcare %s (SQLite %s, libmicrohttpd %s, jansson %s, cmark %s)\n", RC_VERSION, sqlite3_libversion(),
	       mhd ? mhd : "not loaded", JANSSON_VERSION, cmark_version_string());
	if (!mhd)
		fprintf(stderr, "runcare version: %s\n", err);
	return RC_EXIT_OK;
}
