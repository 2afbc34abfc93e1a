/* patients.c — runcare patient add|find|merge: the front desk's use cases (app/patients.h) from the
 * command line, acting as the machine's operator. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/account.h"
#include "app/patients.h"
#include "base/arena.h"
#include "base/time.h"
#include "cli/cli.h"

enum { RC_CLI_PATIENT_ARENA = 64 * 1024 * 1024, RC_CLI_PATIENT_PAGE = 50 };

static const char help[] =
	"usage: runcare patient add --name NAME --dob DATE --phone PHONE [--email EMAIL] [--anyway] [--db URL]\n"
	"       runcare patient find TEXT [--json] [--page N] [--db URL]\n"
	"       runcare patient merge ID INTO-ID [--db URL]\n\n"
	"add    registers a patient who phoned in: their name, date of birth (1985-03-14, or 3/14/1985 when\n"
	"       that is not ambiguous) and phone; an email is optional (invite them to choose a password\n"
	"       later from their record). When someone with the same name and date of birth, or the same\n"
	"       phone, is registered already, they are listed and nothing is saved: check them, then add\n"
	"       --anyway to register all the same. Prints the new patient's number.\n"
	"find   patients whose name, email, phone (any format) or date of birth (1985-03-14, 3/14/1985,\n"
	"       Mar 14 1985) match TEXT: each word the start of a word of the name or email, one typo\n"
	"       allowed in words of 4 letters or more. Best first, 50 a page; --json prints one object.\n"
	"merge  moves everything on patient ID, a duplicate registration (appointments, waitlist, chart,\n"
	"       programs, diary, training), to patient INTO-ID and retires ID, in one transaction.\n"
	"       Refused when both sign in online with their own password.\n\n"
	"Exit status: 0 done, 1 failed, 2 bad input or refused (the reason is printed; nothing is saved).\n";

/* The exit status for a use case's answer, after printing its reason. */
static int failed(const char *cmd, rc_err e, const rc_problem *p, rc_db *db)
{
	static const struct {
		const char *field, *option;
	} options[] = {{"name", "--name"}, {"dob", "--dob"}, {"phone", "--phone"}, {"email", "--email"}, {"q", "TEXT"},
	               {"page", "--page"}, {"into", "INTO-ID"}};
	if (e == RC_EINVAL || e == RC_ECONFLICT || e == RC_ENOTFOUND || e == RC_EFORBIDDEN) {
		const char *option = NULL;
		for (size_t i = 0; p->field && i < sizeof options / sizeof options[0]; i++)
			if (strcmp(options[i].field, p->field) == 0)
				option = options[i].option;
		fprintf(stderr, "runcare patient %s: %s%s%s\n", cmd, option ? option : "", option ? ": " : "", p->text);
		return RC_EXIT_USAGE;
	}
	fprintf(stderr, "runcare patient %s: %s (%s)\n", cmd, rc_err_str(e), db ? rc_db_errmsg(db) : "no database");
	return RC_EXIT_FAIL;
}

static const char *online(const rc_patient *p)
{
	return p->deactivated_at ? "deactivated" : p->has_password ? "online" : p->email[0] ? "invited" : "no email";
}

static void print_patients(FILE *out, const rc_patient_list *l)
{
	for (int i = 0; i < l->n; i++) {
		const rc_patient *p = &l->v[i];
		fprintf(out, "%-7lld %-32s %-10s %-18s %-32s %s\n", (long long)p->id, p->name, p->dob[0] ? p->dob : "-",
		       p->phone[0] ? p->phone : "-", p->email[0] ? p->email : "-", online(p));
	}
}

static int add(rc_uc *uc, const rc_cli_opts *o)
{
	rc_patient_new in = {rc_cli_opt(o, "name"), rc_cli_opt(o, "dob"), rc_cli_opt(o, "phone"), rc_cli_opt(o, "email"),
	                     rc_cli_opt(o, "anyway") != NULL};
	int64_t id = 0;
	rc_patient_list dups;
	rc_problem p = {0};
	rc_err e = rc_app_patient_register(uc, &in, &id, &dups, &p);
	if (e) {
		int st = failed("add", e, &p, uc->db);
		if (dups.n) {
			fprintf(stderr, "\npossibly the same patient:\n");
			print_patients(stderr, &dups);
			if (!p.field)
				fprintf(stderr, "\nadd --anyway to register all the same\n");
		}
		return st;
	}
	printf("registered patient %lld: %s\n", (long long)id, in.name);
	return RC_EXIT_OK;
}

static int find(rc_uc *uc, const rc_cli_opts *o)
{
	char text[512] = "";
	size_t n = 0;
	for (int i = 1; i < o->nwords && n < sizeof text; i++) {
		int w = snprintf(text + n, sizeof text - n, "%s%s", i > 1 ? " " : "", o->words[i]);
		n += w > 0 ? (size_t)w : 0;
	}
	const char *ps = rc_cli_opt(o, "page");
	char *end = NULL;
	long long page = ps ? strtoll(ps, &end, 10) : 1;
	if (o->nwords < 2 || (ps && (*end || end == ps || page < 1))) {
		fprintf(stderr, "runcare patient find: %s\n", o->nwords < 2 ? "TEXT is what to look for: part of a name, "
		                                                             "a phone number, an email or a date of birth"
		                                                           : "--page must be a whole number from 1");
		return RC_EXIT_USAGE;
	}
	rc_patient_list l;
	rc_problem p = {0};
	rc_err e = rc_app_patient_find(uc, text, page, RC_CLI_PATIENT_PAGE, &l, &p);
	if (e)
		return failed("find", e, &p, uc->db);
	if (rc_cli_opt(o, "json")) {
		json_t *list = json_array();
		for (int i = 0; i < l.n; i++)
			json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)l.v[i].id,
			                                      "name", l.v[i].name, "email", l.v[i].email, "phone", l.v[i].phone,
			                                      "date_of_birth", l.v[i].dob, "role", rc_role_name(l.v[i].role),
			                                      "online", l.v[i].has_password && !l.v[i].deactivated_at));
		json_t *doc = json_pack("{s:o, s:I, s:I, s:I}", "patients", list, "total", (json_int_t)l.total, "page",
		                        (json_int_t)l.page, "pages", (json_int_t)l.pages);
		char *s = json_dumps(doc, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
		json_decref(doc);
		return s ? RC_EXIT_OK : RC_EXIT_FAIL;
	}
	print_patients(stdout, &l);
	printf("page %lld of %lld (%lld match%s)\n", (long long)l.page, (long long)l.pages, (long long)l.total,
	       l.total == 1 ? "" : "es");
	return RC_EXIT_OK;
}

static int merge(rc_uc *uc, const rc_cli_opts *o)
{
	char *end1 = NULL, *end2 = NULL;
	long long dup = o->nwords == 3 ? strtoll(o->words[1], &end1, 10) : 0;
	long long into = o->nwords == 3 ? strtoll(o->words[2], &end2, 10) : 0;
	if (o->nwords != 3 || *end1 || *end2 || dup < 1 || into < 1) {
		fprintf(stderr, "runcare patient merge: give the duplicate's number and the number of the record to keep, "
		                "e.g. runcare patient merge 42 17\n");
		return RC_EXIT_USAGE;
	}
	rc_merge_plan pl;
	rc_problem p = {0};
	rc_err e = rc_app_patient_merge(uc, dup, into, &pl, &p);
	if (e)
		return failed("merge", e, &p, uc->db);
	printf("merged patient %lld (%s) into %lld (%s)\n", dup, pl.dup.name, into, pl.keep.name);
	for (int k = 0; k < RC_MERGE_KINDS; k++)
		if (pl.counts.n[k])
			printf("  %lld %s\n", (long long)pl.counts.n[k], rc_app_merge_kind_label((rc_merge_kind)k, NULL));
	if (pl.login_moves)
		printf("  %lld signs in with %s\n", into, pl.login);
	return RC_EXIT_OK;
}

int rc_cli_patient(int argc, char **argv)
{
	static const char *const allowed[] = {"name", "dob", "phone", "email", "page", "db", NULL};
	static const char *const flags[] = {"json", "anyway", NULL};
	rc_cli_opts o;
	int st = rc_cli_parse(argc, argv, allowed, flags, &o, help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	const char *cmd = o.nwords ? o.words[0] : "";
	if (strcmp(cmd, "add") && strcmp(cmd, "find") && strcmp(cmd, "merge")) {
		fputs(help, stderr);
		return RC_EXIT_USAGE;
	}
	if (strcmp(cmd, "add") == 0 && o.nwords != 1) {
		fprintf(stderr, "runcare patient add: unexpected argument '%s'\n", o.words[1]);
		return RC_EXIT_USAGE;
	}
	rc_db *db = rc_cli_open_db(&o);
	if (!db)
		return RC_EXIT_FAIL;
	rc_arena arena;
	rc_arena_init(&arena, RC_CLI_PATIENT_ARENA);
	rc_uc uc;
	rc_cli_uc(db, rc_time_now(), &uc);
	uc.arena = &arena;
	st = strcmp(cmd, "add") == 0 ? add(&uc, &o) : strcmp(cmd, "find") == 0 ? find(&uc, &o) : merge(&uc, &o);
	rc_arena_free(&arena);
	rc_db_close(db);
	return st;
}
