/* main.c — reads the first word and hands over to its subcommand in cli/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "cli/cli.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{"serve", rc_cli_serve, "serve the web application"},
	{"activity", rc_cli_activity, "read a training file (GPX, TCX, FIT) and show its summary"},
	{"import", rc_cli_import, "store a runner's training files (plain, .gz, or a .zip export)"},
	{"risk", rc_cli_risk, "a runner's training load and the causes found in their files"},
	{"check", rc_cli_check, "the self-check: what is likely, how urgent, and why"},
	{"db", rc_cli_db, "migrate, show the status of, or back up the database"},
	{"user", rc_cli_user, "add an account (staff or runner)"},
	{"patient", rc_cli_patient, "register, find and merge patients (the front desk's work)"},
	{"clinic", rc_cli_clinic, "set up services, practitioners, hours and time off"},
	{"import-clinic", rc_cli_movein, "move a clinic in from another system's CSV export"},
	{"export", rc_cli_export, "write a patient's whole record as an HL7 FHIR R4 bundle"},
	{"token", rc_cli_token, "create or revoke an API token"},
	{"audit", rc_cli_audit, "show who read or changed runners' records"},
	{"retention", rc_cli_retention, "delete erased runners' visit records past the retention period"},
	{"routes", rc_cli_routes, "print the route table and who may call each route"},
	{"version", rc_cli_version, "print the version"},
};

static void usage(FILE *f)
{
	fputs("usage: runcare COMMAND [OPTIONS]\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fputs("\n'runcare COMMAND --help' tells more about each.\n", f);
}

int main(int argc, char **argv)
{
	char err[256];
	if (rc_clock_init(err, sizeof err)) {
		fprintf(stderr, "runcare: %s\n", err);
		return RC_EXIT_USAGE;
	}
	if (argc < 2) {
		usage(stderr);
		return RC_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return RC_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return rc_cli_version(1, argv + 1);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			/* Every command's dates are the clinic's; serve and clinic read --content for it themselves. */
			if (strcmp(argv[1], "serve"))
				rc_cli_patient_with_busy_db();
			if (strcmp(argv[1], "serve") && strcmp(argv[1], "clinic") && strcmp(argv[1], "version") &&
			    strcmp(argv[1], "routes")) {
				int st = rc_cli_clinic_zone(getenv("RUNCARE_CONTENT"), argv[1]);
				if (st)
					return st;
			}
			return commands[i].run(argc - 1, argv + 1);
		}
	fprintf(stderr, "runcare: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return RC_EXIT_USAGE;
}
