/* export.c — runcare export: one patient's record written to a file, as the web doors give it: an HL7
 * FHIR R4 Bundle (Patient/$everything, app/fhir.h), acting as the machine's operator. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/account.h"
#include "app/fhir.h"
#include "base/time.h"
#include "cli/cli.h"
#include "content/chart.h"
#include "content/content.h"
#include "content/programs.h"
#include "content/selfcheck.h"

static const char help[] =
	"usage: runcare export --patient EMAIL --fhir FILE [--public-url URL] [--db URL] [--content DIR]\n"
	"                      [--acupoints FILE]\n\n"
	"Writes one patient's whole record as an HL7 FHIR R4 Bundle (the answer of\n"
	"GET /fhir/Patient/ID/$everything) to FILE ('-': standard output). Its fullUrls and runcare's own code\n"
	"systems start with the server's public URL (--public-url, else RUNCARE_PUBLIC_URL, else\n"
	"http://127.0.0.1:8080), so give the one the server uses. The read is in the audit log.\n\n"
	"Exit status: 0 written, 1 failed, 2 bad input (no such patient; nothing is written).\n";

typedef struct know {
	rc_content *content;
	rc_triage_kb *triage;
	rc_programs *programs;
	rc_chart_kb *chart;
	rc_chart_know k;
} know;

static void know_free(know *k)
{
	rc_chart_kb_free(k->chart);
	rc_programs_free(k->programs);
	rc_selfcheck_free(k->triage);
	rc_content_free(k->content);
}

static int know_load(know *k, const rc_cli_opts *o)
{
	char err[512];
	const char *dir = rc_cli_setting(rc_cli_opt(o, "content"), "RUNCARE_CONTENT", NULL);
	memset(k, 0, sizeof *k);
	if (rc_content_load(dir, &k->content, err, sizeof err) || rc_selfcheck_load(dir, &k->triage, err, sizeof err) ||
	    rc_programs_load(dir, &k->programs, err, sizeof err) ||
	    rc_chart_kb_load(dir, rc_cli_setting(rc_cli_opt(o, "acupoints"), "RUNCARE_ACUPOINTS", RC_ACUPOINTS_DEFAULT),
	                     k->triage, &k->chart, err, sizeof err)) {
		fprintf(stderr, "runcare export: content is not valid: %s\n", err);
		know_free(k);
		return RC_EXIT_USAGE;
	}
	k->k = (rc_chart_know){k->chart, k->triage, k->programs};
	return rc_cli_clinic_zone(dir, "export");
}

/* Writes text to path whole or not at all: a temporary file beside it, renamed over it. */
static int write_whole(const char *path, const char *text, size_t len)
{
	if (strcmp(path, "-") == 0)
		return fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0 ? RC_EXIT_OK : RC_EXIT_FAIL;
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid()) >= sizeof tmp) {
		fprintf(stderr, "runcare export: the file name is too long\n");
		return RC_EXIT_USAGE;
	}
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "runcare export: cannot write '%s': %m\n", tmp);
		return RC_EXIT_FAIL;
	}
	bool ok = fwrite(text, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		fprintf(stderr, "runcare export: cannot write '%s': %m\n", path);
		unlink(tmp);
		return RC_EXIT_FAIL;
	}
	return RC_EXIT_OK;
}

int rc_cli_export(int argc, char **argv)
{
	static const char *const allowed[] = {"patient", "fhir", "public-url", "db", "content", "acupoints", NULL};
	rc_cli_opts o;
	int st = rc_cli_parse(argc, argv, allowed, NULL, &o, help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	if (o.nwords || !rc_cli_opt(&o, "patient") || !rc_cli_opt(&o, "fhir")) {
		fputs("runcare export: give --patient EMAIL and --fhir FILE\n", stderr);
		return RC_EXIT_USAGE;
	}
	char email[RC_EMAIL_MAX + 1];
	if (!rc_app_email_clean(rc_cli_opt(&o, "patient"), email)) {
		fprintf(stderr, "runcare export: --patient must be an email address, not '%s'\n", rc_cli_opt(&o, "patient"));
		return RC_EXIT_USAGE;
	}
	know k;
	if ((st = know_load(&k, &o)))
		return st;
	rc_db *db = rc_cli_open_db(&o);
	if (!db) {
		know_free(&k);
		return RC_EXIT_FAIL;
	}
	rc_account a;
	bool found = false;
	if (rc_account_by_email(db, email, &a, &found) || !found) {
		fprintf(stderr, "runcare export: no patient has the email '%s'\n", email);
		rc_db_close(db);
		know_free(&k);
		return RC_EXIT_USAGE;
	}
	rc_uc uc;
	rc_cli_uc(db, rc_time_now(), &uc);
	rc_fhir_ctx f = {.know = &k.k, .clinic = &k.content->clinic,
	                 .base = rc_cli_setting(rc_cli_opt(&o, "public-url"), "RUNCARE_PUBLIC_URL", "http://127.0.0.1:8080")};
	rc_problem p = {0};
	json_t *bundle = NULL;
	rc_err e = rc_app_fhir_everything(&uc, &f, a.id, NULL, 0, &bundle, &p);
	if (e) {
		fprintf(stderr, "runcare export: %s\n", e == RC_ENOTFOUND ? "that account holds no patient record" : p.text);
		st = e == RC_ENOTFOUND || e == RC_EINVAL ? RC_EXIT_USAGE : RC_EXIT_FAIL;
	} else {
		char *text = json_dumps(bundle, JSON_INDENT(1));
		st = text ? write_whole(rc_cli_opt(&o, "fhir"), text, strlen(text)) : RC_EXIT_FAIL;
		free(text);
		json_decref(bundle);
	}
	rc_db_close(db);
	know_free(&k);
	return st;
}
