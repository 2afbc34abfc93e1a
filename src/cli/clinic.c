/* clinic.c — runcare clinic: set up services, practitioners, weekly hours and time off — add, edit,
 * retire or delete — through the same use cases as the admin pages (app/setup.c). A change that would
 * cut across booked visits lists them and changes nothing, unless told what to do with them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/setup.h"
#include "base/time.h"
#include "cli/cli.h"
#include "content/content.h"
#include "domain/setup.h"
#include "store/migrate.h"

static const char help[] =
	"usage: runcare clinic show\n"
	"       runcare clinic service add --key KEY --name NAME --minutes N --price PRICE --discipline D\n"
	"                                  [--offered-by ID,ID]\n"
	"       runcare clinic service edit --key KEY [--name NAME] [--minutes N] [--price PRICE] [--discipline D]\n"
	"                                   [--offered-by ID,ID|none]\n"
	"       runcare clinic service retire|restore --key KEY\n"
	"       runcare clinic practitioner add --name NAME --disciplines \"D D\" [--account EMAIL] [--offers K,K]\n"
	"       runcare clinic practitioner edit --id ID [--name NAME] [--disciplines \"D D\"] [--account EMAIL|none]\n"
	"                                        [--offers K,K|none]\n"
	"       runcare clinic practitioner retire --id ID [VISITS]\n"
	"       runcare clinic practitioner restore --id ID\n"
	"       runcare clinic offer --practitioner ID --service KEY\n"
	"       runcare clinic hours add --practitioner ID --day mon|tue|wed|thu|fri|sat|sun --from HH:MM --to HH:MM\n"
	"                                [--outside-opening-hours] [VISITS]\n"
	"       runcare clinic hours edit --id ID [--day DAY] [--from HH:MM] [--to HH:MM] [--outside-opening-hours]\n"
	"                                 [VISITS]\n"
	"       runcare clinic hours delete --id ID [VISITS]\n"
	"       runcare clinic time-off add --practitioner ID --from \"YYYY-MM-DD HH:MM\" --to \"YYYY-MM-DD HH:MM\"\n"
	"                                   [--note TEXT] [VISITS]\n"
	"       runcare clinic time-off edit --id ID [--from ...] [--to ...] [--note TEXT] [VISITS]\n"
	"       runcare clinic time-off delete --id ID [VISITS]\n"
	"  VISITS: a change that would leave booked visits outside the practitioner's time lists them and\n"
	"  changes nothing, unless told: --cancel-visits [--message TEXT] (each patient mailed, the freed\n"
	"  times offered to the waitlist) or --keep-visits (to move them one by one).\n"
	"  All take [--db URL] [--content DIR] [--public-url URL]; times are the clinic's local time\n"
	"  (content/clinic.json 'timezone'); ids are those 'runcare clinic show' prints.\n"
	"  Disciplines: acupuncture, physical_therapy, sports_massage. Minutes: a multiple of 15.\n"
	"  Prices in dollars as people write them: 85, 85.50, $1,200.00.\n";

enum { MAX_OPTS = 16, MAX_LIST = 64 };

typedef struct {
	const char *k[MAX_OPTS], *v[MAX_OPTS];
	int n;
	const char *w[3];
	int nw;
	bool outside, cancel, keep;
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

static int refused(const rc_problem *p)
{
	if (p->field)
		fprintf(stderr, "runcare clinic: --%s: %s\n", strcmp(p->field, "offered_by") == 0 ? "offered-by"
		                                              : strcmp(p->field, "outside") == 0  ? "outside-opening-hours"
		                                                                                  : p->field,
		        p->text);
	else
		fprintf(stderr, "runcare clinic: %s\n", p->text);
	return RC_EXIT_USAGE;
}

/* The exit status of a use case's answer: 2 for anything the operator can change, 1 for the database. */
static int answer(rc_err e, const rc_problem *p)
{
	if (!e)
		return RC_EXIT_OK;
	if (e == RC_EINVAL || e == RC_ECONFLICT || e == RC_ENOTFOUND || e == RC_ETOOBIG)
		return refused(p);
	fprintf(stderr, "runcare clinic: %s\n", p->text[0] ? p->text : "the database failed; nothing was changed");
	return RC_EXIT_FAIL;
}

static long long number(const char *s)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : -1;
	return s && *s && !*end ? v : -1;
}

/* A comma-separated list ("none" for an empty one) into its words, in the arena. */
static size_t split(rc_arena *a, const char *list, const char **out, size_t max)
{
	size_t n = 0;
	char *copy = rc_arena_strdup(a, list ? list : "");
	if (!copy || strcmp(copy, "none") == 0)
		return 0;
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
		out[n++] = t;
	return n;
}

/* --- show -------------------------------------------------------------------------------------------- */

static void show_visit(const rc_appointment *a)
{
	char when[48];
	rc_tz_format(a->starts_at, "%a %Y-%m-%d %H:%M", when, sizeof when);
	printf("  visit %lld: %s, %s, %s with %s%s\n", (long long)a->id, a->runner_name, when, a->service_name,
	       a->practitioner_name, a->runner_email[0] ? "" : " (no email address: call them)");
}

static int show(const rc_setup_view *view, const rc_clinic *clinic)
{
	const rc_setup_view v = *view;
	printf("opening hours (content):\n");
	for (int d = 0; d < 7; d++) {
		char line[160];
		rc_opening_describe(clinic->opening, clinic->nopening, d, line, sizeof line);
		printf("  %s\n", line);
	}
	printf("services:\n");
	for (size_t s = 0; s < v.nservices; s++) {
		char price[40];
		rc_price_format(v.services[s].price_cents, price, sizeof price);
		printf("  %-20s %-28s %3d min  %9s  %s%s\n", v.services[s].key, v.services[s].name, v.services[s].minutes, price,
		       v.services[s].discipline,
		       !v.service_active[s]               ? "  (retired)"
		       : !rc_setup_view_offered(&v, s) ? "  (offered by nobody: runners do not see it)"
		                                          : "");
	}
	printf("practitioners:\n");
	for (size_t p = 0; p < v.npractitioners; p++) {
		const rc_practitioner *x = &v.practitioners[p];
		const rc_account *acct = rc_setup_view_account(&v, x->account_id);
		printf("  %lld %s (%s)%s%s offers:", (long long)x->id, x->name, x->disciplines,
		       acct ? " signs in as " : "", acct ? acct->email : "");
		for (size_t s = 0; s < v.nservices; s++)
			if (v.offers[p * v.nservices + s] && v.service_active[s])
				printf(" %s", v.services[s].key);
		printf("%s\n", v.practitioner_active[p] ? "" : "  (retired)");
		for (size_t i = 0; i < v.nhours; i++) {
			const rc_setup_hours *h = &v.hours[i];
			static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
			if (h->practitioner_id == x->id)
				printf("      %s %02d:%02d–%02d:%02d  (hours %lld)\n", days[h->w.weekday], h->w.start_minute / 60,
				       h->w.start_minute % 60, h->w.end_minute / 60, h->w.end_minute % 60, (long long)h->id);
		}
		for (size_t i = 0; i < v.nexceptions; i++) {
			const rc_setup_exception *e = &v.exceptions[i];
			char a[24], b[24];
			if (e->practitioner_id != x->id)
				continue;
			rc_tz_format(e->start, "%Y-%m-%d %H:%M", a, sizeof a);
			rc_tz_format(e->end, "%Y-%m-%d %H:%M", b, sizeof b);
			printf("      %s %s – %s %s  (%s %lld)\n", e->kind, a, b, e->note,
			       strcmp(e->kind, "time_off") == 0 ? "time-off" : "extra hours", (long long)e->id);
		}
	}
	return RC_EXIT_OK;
}

/* --- changes that may cut across booked visits -------------------------------------------------------------- */

typedef rc_err (*change_fn)(const rc_uc *uc, const void *in, rc_setup_visits *visits, rc_setup_change_out *out,
                            rc_problem *p);

static rc_err hours_fn(const rc_uc *uc, const void *in, rc_setup_visits *visits, rc_setup_change_out *out,
                       rc_problem *p)
{
	rc_setup_hours_in h = *(const rc_setup_hours_in *)in;
	h.visits = *visits;
	return rc_app_setup_hours_save(uc, &h, out, p);
}

static rc_err time_off_fn(const rc_uc *uc, const void *in, rc_setup_visits *visits, rc_setup_change_out *out,
                          rc_problem *p)
{
	rc_setup_time_off_in t = *(const rc_setup_time_off_in *)in;
	t.visits = *visits;
	return rc_app_setup_time_off_save(uc, &t, out, p);
}

static rc_err retire_fn(const rc_uc *uc, const void *in, rc_setup_visits *visits, rc_setup_change_out *out,
                        rc_problem *p)
{
	const int64_t *id = in;
	return rc_app_setup_practitioner_retire(uc, id[0], id[1] != 0, visits, out, p);
}

/* Asks first; with --cancel-visits or --keep-visits, does it for the visits it was told of. */
static int change(const rc_uc *uc, const args *a, const rc_clinic *clinic, change_fn fn, const void *in,
                  const char *done)
{
	if (a->cancel && a->keep)
		return usage("say --cancel-visits or --keep-visits, not both");
	rc_setup_visits visits = {.choice = RC_VISITS_ASK, .message = arg(a, "message"), .clinic = clinic,
	                          .public_url = rc_cli_setting(arg(a, "public-url"), "RUNCARE_PUBLIC_URL",
	                                                       "http://" RC_DEFAULT_LISTEN)};
	rc_setup_change_out out;
	rc_problem p = {0};
	rc_err e = fn(uc, in, &visits, &out, &p);
	if (e && out.ask && (a->cancel || a->keep)) {
		int64_t *seen = rc_arena_alloc(uc->arena, sizeof *seen * (out.nvisits + 1));
		if (!seen)
			return RC_EXIT_FAIL;
		for (size_t i = 0; i < out.nvisits; i++)
			seen[i] = out.visits[i].id;
		visits.seen = seen;
		visits.nseen = out.nvisits;
		visits.choice = a->cancel ? RC_VISITS_CANCEL : RC_VISITS_KEEP;
		e = fn(uc, in, &visits, &out, &p);
	}
	if (e && out.ask) {
		fprintf(stderr, "runcare clinic: %s\n", p.text);
		for (size_t i = 0; i < out.nvisits; i++)
			show_visit(&out.visits[i]);
		fprintf(stderr, "runcare clinic: add --cancel-visits [--message TEXT] or --keep-visits\n");
		return RC_EXIT_USAGE;
	}
	if (e)
		return answer(e, &p);
	printf("%s\n", done);
	if (out.cancelled)
		printf("%d visit%s cancelled, each patient with an email address mailed; %d freed time%s offered to the "
		       "waitlist:\n",
		       out.cancelled, out.cancelled == 1 ? "" : "s", out.offered, out.offered == 1 ? "" : "s");
	else if (out.nvisits)
		printf("%zu booked visit%s kept, to move one by one:\n", out.nvisits, out.nvisits == 1 ? "" : "s");
	for (size_t i = 0; i < out.nvisits; i++)
		show_visit(&out.visits[i]);
	return RC_EXIT_OK;
}

/* --- the commands ---------------------------------------------------------------------------------------- */

static int service(const rc_uc *uc, const rc_setup_view *v, const args *a, const char *verb)
{
	rc_problem p = {0};
	rc_service sv, old = {0};
	const char *key = arg(a, "key");
	if (strcmp(verb, "add") != 0) {
		size_t i = key ? rc_setup_view_service(v, 0, key) : SIZE_MAX;
		if (i == SIZE_MAX)
			return usage("--key must be a service's key (see 'runcare clinic show')");
		old = v->services[i];
	}
	if (strcmp(verb, "retire") == 0 || strcmp(verb, "restore") == 0) {
		int64_t booked = 0;
		bool retire = strcmp(verb, "retire") == 0;
		rc_err e = rc_app_setup_service_retire(uc, old.id, retire, &sv, &booked, &p);
		if (!e)
			printf("service %s %s%s\n", sv.key, retire ? "retired" : "brought back",
			       booked ? rc_arena_printf(uc->arena, "; %lld visits booked ahead keep it", (long long)booked) : "");
		return answer(e, &p);
	}
	if (strcmp(verb, "add") != 0 && strcmp(verb, "edit") != 0)
		return usage("service: add, edit, retire or restore");
	bool edit = strcmp(verb, "edit") == 0;
	char minutes[16], price[40];
	if (edit) {
		snprintf(minutes, sizeof minutes, "%d", old.minutes);
		rc_price_format(old.price_cents, price, sizeof price);
	}
	const char *ids_text[MAX_LIST];
	int64_t ids[MAX_LIST];
	size_t n = split(uc->arena, arg(a, "offered-by"), ids_text, MAX_LIST);
	for (size_t i = 0; i < n; i++)
		if ((ids[i] = number(ids_text[i])) <= 0)
			return usage("--offered-by lists practitioners' ids, e.g. 1,3 (see 'runcare clinic show'), or none");
	rc_setup_service_in in = {
		.id = edit ? old.id : 0, .key = key,
		.name = arg(a, "name") ? arg(a, "name") : edit ? old.name : NULL,
		.minutes = arg(a, "minutes") ? arg(a, "minutes") : edit ? minutes : NULL,
		.price = arg(a, "price") ? arg(a, "price") : edit ? price : NULL,
		.discipline = arg(a, "discipline") ? arg(a, "discipline") : edit ? old.discipline : NULL,
		.set_offered_by = arg(a, "offered-by") != NULL, .offered_by = ids, .noffered_by = n};
	rc_err e = rc_app_setup_service_save(uc, &in, &sv, &p);
	if (!e) {
		rc_price_format(sv.price_cents, price, sizeof price);
		printf("service %s %s (id %lld): %s, %d minutes, %s\n", sv.key, edit ? "saved" : "added", (long long)sv.id,
		       sv.name, sv.minutes, price);
	}
	return answer(e, &p);
}

static int practitioner(const rc_uc *uc, const rc_setup_view *v, const args *a, const char *verb,
                        const rc_clinic *clinic)
{
	rc_problem p = {0};
	rc_practitioner x, old = {0};
	long long id = number(arg(a, "id"));
	if (strcmp(verb, "add") != 0) {
		size_t i = id > 0 ? rc_setup_view_practitioner(v, id) : SIZE_MAX;
		if (i == SIZE_MAX)
			return usage("--id must be a practitioner's id (see 'runcare clinic show')");
		old = v->practitioners[i];
	}
	if (strcmp(verb, "retire") == 0 || strcmp(verb, "restore") == 0) {
		int64_t in[2] = {id, strcmp(verb, "retire") == 0};
		return change(uc, a, clinic, retire_fn, in,
		              rc_arena_printf(uc->arena, "%s %s", old.name, in[1] ? "retired" : "brought back"));
	}
	if (strcmp(verb, "add") != 0 && strcmp(verb, "edit") != 0)
		return usage("practitioner: add, edit, retire or restore");
	bool edit = strcmp(verb, "edit") == 0;
	const char *keys[MAX_LIST];
	size_t n = split(uc->arena, arg(a, "offers"), keys, MAX_LIST);
	const char *acct = arg(a, "account");
	rc_setup_practitioner_in in = {
		.id = edit ? old.id : 0,
		.name = arg(a, "name") ? arg(a, "name") : edit ? old.name : NULL,
		.disciplines = arg(a, "disciplines") ? arg(a, "disciplines") : edit ? old.disciplines : NULL,
		.account = acct && strcmp(acct, "none") == 0 ? "" : acct ? acct : edit ? NULL : "",
		.set_offers = arg(a, "offers") != NULL, .offers = keys, .noffers = n};
	rc_err e = rc_app_setup_practitioner_save(uc, &in, &x, &p);
	if (!e)
		printf("practitioner %lld %s: %s\n", (long long)x.id, edit ? "saved" : "added", x.name);
	return answer(e, &p);
}

/* The old two-step `offer` command: one more service for a practitioner, through the same rules. */
static int offer(const rc_uc *uc, const rc_setup_view *v, const args *a)
{
	long long id = number(arg(a, "practitioner"));
	size_t p = id > 0 ? rc_setup_view_practitioner(v, id) : SIZE_MAX;
	size_t si = arg(a, "service") ? rc_setup_view_service(v, 0, arg(a, "service")) : SIZE_MAX;
	if (p == SIZE_MAX)
		return usage("--practitioner must be a practitioner's id (see 'runcare clinic show')");
	if (si == SIZE_MAX)
		return usage("--service must be a service's key (see 'runcare clinic show')");
	const rc_practitioner *x = &v->practitioners[p];
	/* What they offer now, and this one (a retired one too: the use case says why not). */
	const char **keys = rc_arena_alloc(uc->arena, sizeof *keys * (v->nservices + 1));
	size_t n = 0;
	for (size_t s = 0; keys && s < v->nservices; s++)
		if ((v->service_active[s] && v->offers[p * v->nservices + s]) || s == si)
			keys[n++] = v->services[s].key;
	rc_setup_practitioner_in in = {.id = id, .name = x->name, .disciplines = x->disciplines, .set_offers = true,
	                               .offers = keys, .noffers = n};
	rc_practitioner out;
	rc_problem pr = {0};
	rc_err e = keys ? rc_app_setup_practitioner_save(uc, &in, &out, &pr) : RC_ENOMEM;
	if (!e)
		printf("%s now offers %s\n", out.name, v->services[si].key);
	return answer(e, &pr);
}

static int hours(const rc_uc *uc, const rc_setup_view *v, const args *a, const char *verb, const rc_clinic *clinic)
{
	rc_setup_hours_in in = {.outside_opening = a->outside};
	if (strcmp(verb, "add") == 0) {
		in.practitioner = number(arg(a, "practitioner"));
		if (in.practitioner <= 0)
			return usage("--practitioner must be a practitioner's id (see 'runcare clinic show')");
		in.day = arg(a, "day");
		in.from = arg(a, "from");
		in.to = arg(a, "to");
	} else if (strcmp(verb, "edit") == 0 || strcmp(verb, "delete") == 0) {
		in.id = number(arg(a, "id"));
		const rc_setup_hours *h = rc_setup_view_hours(v, in.id);
		if (!h)
			return usage("--id must be the id of a practitioner's hours (see 'runcare clinic show')");
		in.remove = strcmp(verb, "delete") == 0;
		in.day = arg(a, "day") ? arg(a, "day") : rc_weekday_names[h->w.weekday];
		in.from = arg(a, "from") ? arg(a, "from")
		                         : rc_arena_printf(uc->arena, "%02d:%02d", h->w.start_minute / 60, h->w.start_minute % 60);
		in.to = arg(a, "to") ? arg(a, "to")
		                     : rc_arena_printf(uc->arena, "%02d:%02d", h->w.end_minute / 60, h->w.end_minute % 60);
	} else {
		return usage("hours: add, edit or delete");
	}
	const char *done = in.remove ? "hours deleted"
	                             : rc_arena_printf(uc->arena, "hours %s: %s %s–%s", in.id ? "saved" : "added",
	                                               in.day ? in.day : "", in.from ? in.from : "", in.to ? in.to : "");
	return change(uc, a, clinic, hours_fn, &in, done);
}

static int time_off(const rc_uc *uc, const rc_setup_view *v, const args *a, const char *verb,
                    const rc_clinic *clinic)
{
	rc_setup_time_off_in in = {.note = arg(a, "note")};
	if (strcmp(verb, "add") == 0) {
		in.practitioner = number(arg(a, "practitioner"));
		if (in.practitioner <= 0)
			return usage("--practitioner must be a practitioner's id (see 'runcare clinic show')");
		in.from = arg(a, "from");
		in.to = arg(a, "to");
	} else if (strcmp(verb, "edit") == 0 || strcmp(verb, "delete") == 0) {
		in.id = number(arg(a, "id"));
		const rc_setup_exception *x = rc_setup_view_time_off(v, in.id);
		if (!x)
			return usage("--id must be the id of a time off not yet over (see 'runcare clinic show')");
		char from[24], to[24];
		rc_tz_format(x->start, "%Y-%m-%d %H:%M", from, sizeof from);
		rc_tz_format(x->end, "%Y-%m-%d %H:%M", to, sizeof to);
		in.remove = strcmp(verb, "delete") == 0;
		in.from = arg(a, "from") ? arg(a, "from") : rc_arena_strdup(uc->arena, from);
		in.to = arg(a, "to") ? arg(a, "to") : rc_arena_strdup(uc->arena, to);
		in.note = arg(a, "note") ? arg(a, "note") : x->note;
	} else {
		return usage("time-off: add, edit or delete");
	}
	return change(uc, a, clinic, time_off_fn, &in,
	              in.remove ? "time off deleted" : in.id ? "time off saved" : "time off added");
}

int rc_cli_clinic(int argc, char **argv)
{
	args a = {0};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return RC_EXIT_OK;
		}
		if (strcmp(argv[i], "--outside-opening-hours") == 0) {
			a.outside = true;
		} else if (strcmp(argv[i], "--cancel-visits") == 0) {
			a.cancel = true;
		} else if (strcmp(argv[i], "--keep-visits") == 0) {
			a.keep = true;
		} else if (strncmp(argv[i], "--", 2) == 0) {
			if (i + 1 == argc || a.n == MAX_OPTS)
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
	/* Local times need the clinic's zone, and its opening hours and letterhead, from the same content the
	 * server uses. */
	const char *content_dir = rc_cli_setting(arg(&a, "content"), "RUNCARE_CONTENT", NULL);
	int zst = rc_cli_clinic_zone(content_dir, "clinic");
	if (zst)
		return zst;
	char err[512];
	rc_content *ct = NULL;
	rc_db *db = NULL;
	int applied;
	if (rc_content_load(content_dir, &ct, err, sizeof err)) {
		fprintf(stderr, "runcare clinic: content is not valid: %s\n", err);
		return RC_EXIT_USAGE;
	}
	if (rc_db_open(rc_cli_setting(arg(&a, "db"), "RUNCARE_DB", RC_DEFAULT_DB), &db, err, sizeof err) ||
	    rc_migrate(db, &applied, err, sizeof err)) {
		fprintf(stderr, "runcare clinic: %s\n", err);
		rc_db_close(db);
		rc_content_free(ct);
		return RC_EXIT_FAIL;
	}
	rc_arena arena;
	rc_arena_init(&arena, 64u << 20);
	rc_uc uc;
	rc_cli_uc(db, rc_time_now(), &uc);
	uc.arena = &arena;
	const rc_clinic *clinic = &ct->clinic;
	const char *what = a.w[0], *verb = a.nw > 1 ? a.w[1] : "";
	/* The setup as it is: what the commands show, and the rows they change as they are. */
	rc_setup_view v;
	int st;
	if (rc_app_setup_view(&uc, &v)) {
		fprintf(stderr, "runcare clinic: the clinic's setup could not be read: %s\n", rc_db_errmsg(db));
		st = RC_EXIT_FAIL;
	} else if (strcmp(what, "show") == 0 && a.nw == 1) {
		st = show(&v, clinic);
	} else if (strcmp(what, "service") == 0 && a.nw == 2) {
		st = service(&uc, &v, &a, verb);
	} else if (strcmp(what, "practitioner") == 0 && a.nw == 2) {
		st = practitioner(&uc, &v, &a, verb, clinic);
	} else if (strcmp(what, "offer") == 0 && a.nw == 1) {
		st = offer(&uc, &v, &a);
	} else if (strcmp(what, "hours") == 0 && a.nw == 2) {
		st = hours(&uc, &v, &a, verb, clinic);
	} else if (strcmp(what, "time-off") == 0 && a.nw == 2) {
		st = time_off(&uc, &v, &a, verb, clinic);
	} else {
		st = usage("unknown command");
	}
	rc_arena_free(&arena);
	rc_db_close(db);
	rc_content_free(ct);
	return st;
}
