/* clinic.c — runcare clinic: set up services, practitioners, weekly hours and time off. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "base/text.h"
#include "domain/setup.h"
#include "cli/cli.h"
#include "content/content.h"
#include "store/account.h"
#include "store/booking.h"
#include "store/migrate.h"

static const char help[] =
	"usage: runcare clinic show\n"
	"       runcare clinic service add --key KEY --name NAME --minutes N --price CENTS --discipline D\n"
	"       runcare clinic practitioner add --name NAME --disciplines \"D D\" [--account EMAIL] [--offers K,K]\n"
	"       runcare clinic offer --practitioner ID --service KEY\n"
	"       runcare clinic hours add --practitioner ID --day mon|tue|wed|thu|fri|sat|sun --from HH:MM --to HH:MM\n"
	"       runcare clinic time-off add --practitioner ID --from \"YYYY-MM-DD HH:MM\" --to \"YYYY-MM-DD HH:MM\"\n"
	"                                   [--note TEXT]\n"
	"  all take [--db URL]; times are the clinic's local time (content/clinic.json 'timezone').\n"
	"  Disciplines: acupuncture, physical_therapy, sports_massage. Minutes: a multiple of 15.\n";

typedef struct {
	const char *k[12], *v[12];
	int n;
	const char *w[3];
	int nw;
} args;

static const char *arg(const args *a, const char *k)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->k[i], k) == 0)
			return a->v[i];
	return NULL;
}

static int usage(const char *why)
{
	fprintf(stderr, "runcare clinic: %s\n\n%s", why, help);
	return RC_EXIT_USAGE;
}

static long long number(const char *s)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : -1;
	return s && *s && !*end ? v : -1;
}

static void show_hours(void *ctx, int wd, int a, int b)
{
	static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	(void)ctx;
	printf("      %s %02d:%02d–%02d:%02d\n", days[wd], a / 60, a % 60, b / 60, b % 60);
}

static void show_exception(void *ctx, const char *kind, int64_t s, int64_t e, const char *note)
{
	char a[40], b[40];
	(void)ctx;
	rc_tz_rfc3339(s, a, sizeof a);
	rc_tz_rfc3339(e, b, sizeof b);
	printf("      %s %s – %s %s\n", kind, a, b, note);
}

static int show(rc_db *db)
{
	rc_service sv[RC_BOOKING_MAX_SERVICES];
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t ns = 0, np = 0;
	if (rc_services_list(db, sv, RC_BOOKING_MAX_SERVICES, &ns) ||
	    rc_practitioners_list(db, 0, ps, RC_BOOKING_MAX_PRACTITIONERS, &np)) {
		fprintf(stderr, "runcare clinic: %s\n", rc_db_errmsg(db));
		return RC_EXIT_FAIL;
	}
	printf("services:\n");
	for (size_t i = 0; i < ns; i++)
		printf("  %-20s %-28s %3d min  $%lld.%02lld  %s\n", sv[i].key, sv[i].name, sv[i].minutes,
		       (long long)sv[i].price_cents / 100, (long long)sv[i].price_cents % 100, sv[i].discipline);
	printf("practitioners:\n");
	for (size_t i = 0; i < np; i++) {
		char offers[512];
		if (rc_practitioner_services(db, ps[i].id, offers, sizeof offers))
			offers[0] = '\0';
		printf("  %lld %s (%s) offers: %s\n", (long long)ps[i].id, ps[i].name, ps[i].disciplines, offers);
		if (rc_hours_list(db, ps[i].id, show_hours, NULL) ||
		    rc_exceptions_list(db, ps[i].id, rc_time_now(), show_exception, NULL))
			return RC_EXIT_FAIL;
	}
	return RC_EXIT_OK;
}

int rc_cli_clinic(int argc, char **argv)
{
	args a = {0};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return RC_EXIT_OK;
		}
		if (strncmp(argv[i], "--", 2) == 0) {
			if (i + 1 == argc || a.n == 12)
				return usage("an option is missing its value");
			a.k[a.n] = argv[i] + 2;
			a.v[a.n++] = argv[++i];
		} else if (a.nw < 3) {
			a.w[a.nw++] = argv[i];
		} else {
			return usage("too many words");
		}
	}
	if (a.nw == 0)
		return usage("say what to do");
	/* Local times need the clinic's zone, from the same content the server uses. */
	int zst = rc_cli_clinic_zone(rc_cli_setting(arg(&a, "content"), "RUNCARE_CONTENT", NULL), "clinic");
	if (zst)
		return zst;
	char err[512];
	rc_db *db = NULL;
	int applied;
	if (rc_db_open(rc_cli_setting(arg(&a, "db"), "RUNCARE_DB", RC_DEFAULT_DB), &db, err, sizeof err) ||
	    rc_migrate(db, &applied, err, sizeof err)) {
		fprintf(stderr, "runcare clinic: %s\n", err);
		rc_db_close(db);
		return RC_EXIT_FAIL;
	}
	int st = RC_EXIT_OK;
	rc_err e = RC_OK;
	int64_t id = 0;
	const char *what = a.w[0], *verb = a.nw > 1 ? a.w[1] : "";
	if (strcmp(what, "show") == 0 && a.nw == 1) {
		st = show(db);
	} else if (strcmp(what, "service") == 0 && strcmp(verb, "add") == 0) {
		const char *key = arg(&a, "key"), *name = arg(&a, "name"), *d = arg(&a, "discipline");
		long long minutes = number(arg(&a, "minutes")), price = number(arg(&a, "price"));
		char why[160];
		if (rc_service_check(key, name, minutes, price, d, why, sizeof why))
			st = usage(why);
		else if (!(e = rc_service_create(db, key, name, (int)minutes, price, d, &id)))
			printf("service %s added (id %lld)\n", key, (long long)id);
	} else if (strcmp(what, "practitioner") == 0 && strcmp(verb, "add") == 0) {
		const char *name = arg(&a, "name"), *ds = arg(&a, "disciplines"), *acct = arg(&a, "account");
		bool ok = rc_disciplines_ok(ds);
		int64_t account_id = 0;
		if (acct) {
			rc_account ac;
			bool found = false;
			char email[RC_EMAIL_MAX + 1];
			snprintf(email, sizeof email, "%s", acct);
			for (char *p = email; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			if (rc_account_by_email(db, email, &ac, &found) || !found || !rc_role_is_staff(ac.role))
				ok = false, acct = "bad";
			else
				account_id = ac.id;
		}
		if (!name || !*name || !rc_text_is_line(name, 120))
			st = usage("--name must be 1–120 characters on one line");
		else if (acct && strcmp(acct, "bad") == 0)
			st = usage("--account must be the email of a staff account");
		else if (!ok)
			st = usage("--disciplines must list acupuncture, physical_therapy or sports_massage");
		else if (!(e = rc_db_begin_write(db)) && !(e = rc_practitioner_create(db, account_id, name, ds, &id))) {
			char offers[256];
			snprintf(offers, sizeof offers, "%s", arg(&a, "offers") ? arg(&a, "offers") : "");
			for (char *save = NULL, *t = strtok_r(offers, ",", &save); t && !e; t = strtok_r(NULL, ",", &save)) {
				rc_service sv;
				bool found = false;
				if ((e = rc_service_by_key(db, t, &sv, &found)))
					break;
				if (!found) {
					rc_db_rollback(db);
					fprintf(stderr, "runcare clinic: --offers names '%s', which is not a service; nothing added\n", t);
					rc_db_close(db);
					return RC_EXIT_USAGE;
				}
				e = rc_practitioner_offer(db, id, sv.id);
			}
			if (!e)
				e = rc_db_commit(db);
			if (e)
				rc_db_rollback(db);
			else
				printf("practitioner %lld added: %s\n", (long long)id, name);
		}
	} else if (strcmp(what, "offer") == 0 && a.nw == 1) {
		long long pid = number(arg(&a, "practitioner"));
		rc_practitioner p;
		rc_service sv;
		bool pf = false, sf = false;
		if (pid <= 0 || rc_practitioner_by_id(db, pid, &p, &pf) || !pf)
			st = usage("--practitioner must be a practitioner's id (see 'runcare clinic show')");
		else if (!arg(&a, "service") || rc_service_by_key(db, arg(&a, "service"), &sv, &sf) || !sf)
			st = usage("--service must be a service's key (see 'runcare clinic show')");
		else if (!(e = rc_practitioner_offer(db, pid, sv.id)))
			printf("%s now offers %s\n", p.name, sv.key);
	} else if (strcmp(what, "hours") == 0 && strcmp(verb, "add") == 0) {
		int wd = rc_weekday_parse(arg(&a, "day")), from, to;
		long long pid = number(arg(&a, "practitioner"));
		rc_practitioner p;
		bool found = false;
		if (pid <= 0 || rc_practitioner_by_id(db, pid, &p, &found) || !found)
			st = usage("--practitioner must be a practitioner's id (see 'runcare clinic show')");
		else if (wd < 0)
			st = usage("--day must be mon, tue, wed, thu, fri, sat or sun");
		else if (!rc_clock_parse(arg(&a, "from"), &from) || !rc_clock_parse(arg(&a, "to"), &to) || from >= to)
			st = usage("--from and --to must be HH:MM on the quarter hour, --from before --to");
		else if (!(e = rc_hours_add(db, pid, wd, from, to)))
			printf("hours added: %s %s–%s for %s\n", rc_weekday_names[wd], arg(&a, "from"), arg(&a, "to"), p.name);
	} else if (strcmp(what, "time-off") == 0 && strcmp(verb, "add") == 0) {
		long long pid = number(arg(&a, "practitioner"));
		int64_t from, to;
		rc_practitioner p;
		bool found = false;
		if (pid <= 0 || rc_practitioner_by_id(db, pid, &p, &found) || !found)
			st = usage("--practitioner must be a practitioner's id (see 'runcare clinic show')");
		else if (!rc_tz_parse_local(arg(&a, "from"), &from) || !rc_tz_parse_local(arg(&a, "to"), &to) || from >= to)
			st = usage("--from and --to must be \"YYYY-MM-DD HH:MM\" local times, --from before --to");
		else if (!(e = rc_exception_add(db, pid, "time_off", from, to, arg(&a, "note"))))
			printf("time off added for %s\n", p.name);
	} else {
		st = usage("unknown command");
	}
	if (e) {
		fprintf(stderr, "runcare clinic: %s\n",
		        e == RC_ECONFLICT  ? "that already exists"
		        : e == RC_ETOOBIG ? "the clinic already has 64 active services or practitioners; retire one first"
		                          : rc_db_errmsg(db));
		st = e == RC_ECONFLICT || e == RC_ETOOBIG ? RC_EXIT_USAGE : RC_EXIT_FAIL;
	}
	rc_db_close(db);
	return st;
}
