/* schedule_book.c — the front desk books into the grid: a free quarter hour opens a form with the
 * practitioner and time filled in; the staff member finds the patient, picks the service and, for a
 * recurring visit, how often and how many. A series whose dates cannot all be booked is shown with each
 * conflict named before anything is written. Also: moving a visit to another time or practitioner, and
 * a series' page (cancel it whole, or a visit at a time from the visit's page). Every write is one use
 * case of app/booking.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/account.h"
#include "app/booking.h"
#include "app/grid.h"
#include "base/time.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"
#include "web/valid.h"

enum { SKIP_TEXT_MAX = RC_SERIES_MAX * 11 };

/* The form, GET and POST alike. */
enum { B_PRACTITIONER, B_START, B_Q, B_RUNNER, B_SERVICE, B_EVERY, B_COUNT, B_CONDITION, B_REASON, B_KEY, B_SKIP,
       B_DO, B_N };
static const rc_vchoice repeats[] = {
	{"0", "Does not repeat"}, {"1", "Every week"}, {"2", "Every 2 weeks"}, {"3", "Every 3 weeks"},
	{"4", "Every 4 weeks"}, {"6", "Every 6 weeks"}, {"8", "Every 8 weeks"},
};
static const rc_vchoice actions[] = {{"find", "Find"}, {"book", "Book"}};
static const rc_vfield book_form[B_N] = {
	[B_PRACTITIONER] = {"practitioner", "With", RC_V_ENUM, .required = true},
	[B_START] = {"start", "Starts", RC_V_DATETIME_LOCAL, .required = true},
	[B_Q] = {"q", "Find the patient", RC_V_TEXT, .max = RC_SEARCH_MAX},
	[B_RUNNER] = {"runner", "Patient", RC_V_INT, .min = 1, .max = INT64_MAX,
	              .hint = "Choose the patient: search by name or email, then pick one."},
	[B_SERVICE] = {"service", "Service", RC_V_ENUM, .required = true},
	[B_EVERY] = {"every", "Repeat", RC_V_ENUM, .choices = repeats, .nchoices = sizeof repeats / sizeof repeats[0]},
	[B_COUNT] = {"count", "Visits in all, when it repeats", RC_V_INT, .min = 2, .max = RC_SERIES_MAX},
	[B_CONDITION] = {"condition", "What it is about", RC_V_ENUM, .required = false},
	[B_REASON] = {"reason", "What to look at", RC_V_TEXT, .max = RC_BOOKING_REASON_MAX},
	[B_KEY] = {"key", "The form's key", RC_V_TEXT, .max = RC_IDEMPOTENCY_MAX},
	[B_SKIP] = {"skip", "Dates left out", RC_V_TEXT, .max = SKIP_TEXT_MAX},
	[B_DO] = {"do", "Action", RC_V_ENUM, .choices = actions, .nchoices = 2},
};

/* What the form offers: the clinic's practitioners and services. The use case refuses a service the
 * practitioner does not offer, with the reason beside the practitioner; a fresh form starts on the first
 * service the practitioner offers. */
struct choices {
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t np;
	rc_service sv[RC_BOOKING_MAX_SERVICES];
	size_t ns;
	const char *first_offered; /* a service key, or NULL */
};

static bool form_fields(rc_req *r, struct choices *ch, int64_t practitioner, rc_vfield f[B_N])
{
	rc_db *db = rc_req_db(r);
	memcpy(f, book_form, sizeof book_form);
	ch->first_offered = NULL;
	if (rc_practitioners_list(db, 0, ch->ps, RC_BOOKING_MAX_PRACTITIONERS, &ch->np) ||
	    rc_services_list(db, ch->sv, RC_BOOKING_MAX_SERVICES, &ch->ns))
		return false;
	char offered[1024] = "";
	if (practitioner && rc_practitioner_services(db, practitioner, offered, sizeof offered))
		return false;
	rc_vchoice *pc = rc_arena_alloc(&r->arena, sizeof *pc * (ch->np + 1));
	rc_vchoice *sc = rc_arena_alloc(&r->arena, sizeof *sc * (ch->ns + 1));
	char *spaced = rc_arena_printf(&r->arena, " %s ", offered);
	if (!pc || !sc || !spaced)
		return false;
	for (size_t i = 0; i < ch->np; i++)
		if (!(pc[i] = (rc_vchoice){rc_arena_printf(&r->arena, "%lld", (long long)ch->ps[i].id), ch->ps[i].name}).value)
			return false;
	for (size_t i = 0; i < ch->ns; i++) {
		char word[40];
		snprintf(word, sizeof word, " %s ", ch->sv[i].key);
		if (!ch->first_offered && strstr(spaced, word))
			ch->first_offered = ch->sv[i].key;
		sc[i] = (rc_vchoice){ch->sv[i].key, rc_arena_printf(&r->arena, "%s (%d minutes)", ch->sv[i].name,
		                                                      ch->sv[i].minutes)};
		if (!sc[i].label)
			return false;
	}
	f[B_PRACTITIONER].choices = pc;
	f[B_PRACTITIONER].nchoices = ch->np;
	f[B_SERVICE].choices = sc;
	f[B_SERVICE].nchoices = ch->ns;
	f[B_CONDITION].choices = rc_visit_conditions(r, &f[B_CONDITION].nchoices);
	return f[B_CONDITION].choices != NULL;
}

static int64_t num(const rc_vvalue *v)
{
	return v->set && v->text ? strtoll(v->text, NULL, 10) : v->set ? v->num : 0;
}

/* "2026-12-01T09:30": t as the form's datetime-local field shows it. */
static const char *local_text(rc_req *r, int64_t t)
{
	char s[24];
	rc_tz_format(t, "%Y-%m-%dT%H:%M", s, sizeof s);
	return rc_arena_strdup(&r->arena, s);
}

/* The dates a plan named, as the form carries them back: "2026-12-01,2026-12-08". Parsed into day numbers;
 * false when it is not such a list. */
static bool parse_skip(const char *text, int64_t *out, size_t *n)
{
	*n = 0;
	if (!text)
		return true;
	const char *s = text;
	while (*s) {
		char ymd[11];
		size_t len = strcspn(s, ",");
		if (len != 10 || *n == RC_SERIES_MAX)
			return false;
		memcpy(ymd, s, 10);
		ymd[10] = '\0';
		int64_t d = rc_day_number(ymd);
		if (d == INT64_MIN)
			return false;
		out[(*n)++] = d;
		s += len;
		if (*s == ',')
			s++;
	}
	return true;
}

/* The page's frame in the schedule's section, and its heading. */
static void page_head(rc_req *r, const char *title)
{
	rc_page_begin(r, title, "schedule");
	rc_html_lit(&r->out, "<h1>");
	rc_html_text(&r->out, title);
	rc_html_lit(&r->out, "</h1>\n");
}

/* --- the patient ------------------------------------------------------------------------------------ */

static void patient_choice(rc_buf *b, const rc_account *a, bool checked, bool focus)
{
	rc_html_lit(b, "<li><label><input type=\"radio\" name=\"runner\" value=\"");
	rc_html_printf(b, "%lld", (long long)a->id);
	rc_html_lit(b, "\"");
	if (checked)
		rc_html_lit(b, " checked");
	if (focus)
		rc_html_lit(b, " autofocus");
	rc_html_lit(b, ">");
	rc_html_text(b, a->name);
	if (a->email[0]) {
		rc_html_lit(b, " <span class=\"contact\">");
		rc_html_text(b, a->email);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "</label></li>");
}

/* The search field with its button (the form's first, so Enter in the search field searches), and the
 * patients it found as a choice; the chosen one stays chosen. */
static void patient_fieldset(rc_req *r, const rc_vfield *f, const rc_vvalue *v, bool searched)
{
	rc_buf *b = &r->out;
	rc_uc uc = rc_visit_uc(r);
	rc_problem p = {0};
	rc_account found[RC_GRID_PATIENTS_MAX], chosen;
	size_t n = 0;
	int64_t runner = v[B_RUNNER].set ? v[B_RUNNER].num : 0;
	const char *q = v[B_Q].set ? v[B_Q].text : NULL;
	bool lookup_failed = q && rc_app_patient_lookup(&uc, q, found, RC_GRID_PATIENTS_MAX, &n, &p);
	bool have_chosen = runner && !rc_app_patient_get(&uc, runner, &chosen, &p);
	rc_html_lit(b, "<fieldset class=\"patients\"><legend>Patient</legend>");
	if (v[B_RUNNER].error) {
		rc_html_lit(b, "<p class=\"field-error\" id=\"e-runner\">");
		rc_html_text(b, v[B_RUNNER].error);
		rc_html_lit(b, "</p>");
	}
	rc_html_lit(b, "<p class=\"search\"><label for=\"f-q\">Find the patient <span class=\"hint\">Name, phone, email or date of birth; "
	               "press Enter to search</span></label><input id=\"f-q\" name=\"q\" type=\"search\" maxlength=\"");
	rc_html_printf(b, "%d", RC_SEARCH_MAX);
	rc_html_lit(b, "\" autocomplete=\"off\"");
	if (v[B_Q].raw) {
		rc_html_lit(b, " value=\"");
		rc_html_text(b, v[B_Q].raw);
		rc_html_lit(b, "\"");
	}
	if (!have_chosen && !(searched && n))
		rc_html_lit(b, " autofocus");
	rc_html_lit(b, "><button type=\"submit\" name=\"do\" value=\"find\" class=\"quiet\">Find</button></p>");
	if (lookup_failed) {
		rc_page_alert(r, p.text);
	} else if (have_chosen || n) {
		rc_html_lit(b, "<ul aria-label=\"Patients found\">");
		if (have_chosen)
			patient_choice(b, &chosen, true, false);
		for (size_t i = 0; i < n; i++)
			if (!have_chosen || found[i].id != chosen.id)
				patient_choice(b, &found[i], false, searched && !have_chosen && i == 0);
		rc_html_lit(b, "</ul>");
	} else if (q) {
		rc_html_lit(b, "<p>No patient matches; check the spelling, or search by email.</p>");
	}
	rc_html_lit(b, "</fieldset>\n");
	(void)f;
}

/* --- the form --------------------------------------------------------------------------------------- */

static void book_page(rc_req *r, const rc_vfield *f, rc_vvalue *v, const char *alert, bool searched)
{
	rc_buf *b = &r->out;
	page_head(r, "Book a visit");
	if (alert)
		rc_page_alert(r, alert);
	else if (rc_valid_first_error(v, B_N) >= 0)
		rc_page_alert(r, "Nothing is booked yet: please correct what is marked below.");
	rc_form_open(r, "/schedule/book");
	patient_fieldset(r, f, v, searched);
	rc_valid_input(b, &f[B_PRACTITIONER], &v[B_PRACTITIONER]);
	rc_valid_input(b, &f[B_START], &v[B_START]);
	rc_valid_input(b, &f[B_SERVICE], &v[B_SERVICE]);
	rc_html_lit(b, "<div class=\"row\"><p class=\"field\">");
	rc_valid_control(b, &f[B_EVERY], &v[B_EVERY]);
	rc_html_lit(b, "</p><p class=\"field\">");
	rc_valid_control(b, &f[B_COUNT], &v[B_COUNT]);
	rc_html_lit(b, "</p></div>\n");
	rc_valid_input(b, &f[B_CONDITION], &v[B_CONDITION]);
	rc_valid_textarea(b, &f[B_REASON], &v[B_REASON], 2);
	rc_valid_hidden(b, &f[B_KEY], &v[B_KEY]);
	if (v[B_SKIP].raw && *v[B_SKIP].raw)
		rc_valid_hidden(b, &f[B_SKIP], &v[B_SKIP]);
	rc_html_lit(b, "<p class=\"actions\"><button type=\"submit\" name=\"do\" value=\"book\">Book</button> "
	               "<a href=\"/schedule");
	if (v[B_START].set) {
		char iso[11];
		rc_tz_date(v[B_START].num, iso);
		rc_html_lit(b, "?date=");
		rc_html_url_arg(b, iso);
	}
	rc_html_lit(b, "\">Back to the schedule</a></p></form>\n");
	rc_page_end(r);
}

/* The form's values from the grid's link: ?practitioner=ID&start=UNIX_SECONDS, and optionally ?q=. */
enum { G_PRACTITIONER, G_START, G_Q, G_RUNNER, G_N };
static const rc_vfield grid_query[G_N] = {
	[G_PRACTITIONER] = {"practitioner", "The practitioner", RC_V_INT, .min = 1, .max = INT64_MAX},
	[G_START] = {"start", "The time", RC_V_INT, .min = 1, .max = INT64_MAX},
	[G_Q] = {"q", "Find the patient", RC_V_TEXT, .max = RC_SEARCH_MAX},
	[G_RUNNER] = {"runner", "Patient", RC_V_INT, .min = 1, .max = INT64_MAX},
};

void rc_page_schedule_book(rc_req *r)
{
	rc_vvalue g[G_N];
	if (rc_valid_form(&r->arena, &r->query, grid_query, G_N, g)) {
		rc_page_error(r, 422, g[rc_valid_first_error(g, G_N)].error);
		return;
	}
	struct choices *ch = rc_arena_alloc(&r->arena, sizeof *ch);
	rc_vfield f[B_N];
	if (!ch || !form_fields(r, ch, g[G_PRACTITIONER].set ? g[G_PRACTITIONER].num : 0, f)) {
		rc_page_error(r, 503, "The schedule could not be read; try again in a moment.");
		return;
	}
	/* The form as if typed: what the cell says, and a fresh key so a double click books once. */
	const char *raw[B_N] = {0};
	char key[RC_TOKEN_CHARS + 1];
	rc_auth_token(key);
	raw[B_PRACTITIONER] = g[G_PRACTITIONER].raw;
	raw[B_START] = g[G_START].set ? local_text(r, g[G_START].num) : NULL;
	raw[B_Q] = g[G_Q].raw;
	raw[B_RUNNER] = g[G_RUNNER].raw;
	raw[B_SERVICE] = ch->first_offered ? ch->first_offered : f[B_SERVICE].nchoices ? f[B_SERVICE].choices[0].value : NULL;
	raw[B_EVERY] = "0";
	raw[B_COUNT] = "6";
	raw[B_CONDITION] = "other";
	raw[B_KEY] = key;
	rc_vvalue v[B_N];
	for (int i = 0; i < B_N; i++)
		if (!rc_valid_one(&r->arena, &f[i], raw[i], &v[i]))
			v[i].error = NULL; /* a fresh form shows no errors: what is missing is asked for on Book */
	book_page(r, f, v, NULL, g[G_Q].set);
}

/* After a booking: the day on the grid with the visit marked. */
static void to_grid(rc_req *r, int64_t start, const char *what, int64_t id)
{
	char iso[11];
	rc_tz_date(start, iso);
	char *loc = rc_arena_printf(&r->arena, "/schedule?date=%s&%s=%lld", iso, what, (long long)id);
	rc_req_redirect(r, loc ? loc : "/schedule");
}

/* The plan of a series that cannot be booked whole: each date and why not, and a form that books the
 * others (everything as typed, with the named dates left out) or goes back to change it. */
static void plan_page(rc_req *r, const rc_vfield *f, const rc_vvalue *v, const rc_series_out *out, const char *why)
{
	rc_buf *b = &r->out;
	page_head(r, "Some dates cannot be booked");
	rc_page_alert(r, why);
	rc_html_lit(b, "<div class=\"table-scroll\"><table class=\"list series\"><caption class=\"visually-hidden\">The "
	               "series, date by date</caption><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Can it be "
	               "booked?</th></tr></thead><tbody>\n");
	char skip[SKIP_TEXT_MAX + 1] = "";
	size_t used = 0, left = 0;
	for (size_t i = 0; i < out->n; i++) {
		const rc_series_visit *sv = &out->visits[i];
		bool conflict = !sv->skip && sv->state != RC_SLOT_FREE;
		if (conflict)
			rc_html_lit(b, "<tr class=\"conflict\"><td>");
		else
			rc_html_lit(b, "<tr><td>");
		rc_visit_time(b, sv->start, true);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, sv->skip ? "Left out" : conflict ? (sv->why ? sv->why : "Not available") : "Free");
		rc_html_lit(b, "</td></tr>\n");
		if (sv->skip || conflict) {
			char ymd[11];
			rc_day_name(sv->day, ymd);
			int w = snprintf(skip + used, sizeof skip - used, "%s%s", used ? "," : "", ymd);
			if (w > 0 && (size_t)w < sizeof skip - used)
				used += (size_t)w;
		} else {
			left++;
		}
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	rc_form_open(r, "/schedule/book");
	for (int i = 0; i < B_N; i++)
		if (i != B_SKIP && i != B_DO && i != B_Q)
			rc_valid_hidden(b, &f[i], &v[i]);
	rc_html_lit(b, "<input type=\"hidden\" name=\"skip\" value=\"");
	rc_html_text(b, skip);
	rc_html_lit(b, "\"><p class=\"actions\">");
	if (left) {
		rc_html_lit(b, "<button type=\"submit\" name=\"do\" value=\"book\">");
		rc_html_printf(b, "Book the other %zu date%s, without those named", left, left == 1 ? "" : "s");
		rc_html_lit(b, "</button> ");
	}
	rc_html_lit(b, "<button type=\"submit\" name=\"do\" value=\"find\" class=\"quiet\">Change the series</button> "
	               "<a href=\"/schedule\">Book nothing</a></p></form>\n");
	rc_page_end(r);
}

void rc_page_schedule_book_post(rc_req *r)
{
	struct choices *ch = rc_arena_alloc(&r->arena, sizeof *ch);
	rc_vfield f[B_N];
	rc_vvalue v[B_N];
	/* The services offered depend on the practitioner chosen: read it before the table is built. */
	const char *pr = rc_req_form(r, "practitioner");
	int64_t pid = pr ? strtoll(pr, NULL, 10) : 0;
	if (!ch || !form_fields(r, ch, pid > 0 ? pid : 0, f)) {
		rc_page_error(r, 503, "The schedule could not be read; try again in a moment.");
		return;
	}
	rc_valid_form(&r->arena, &r->form, f, B_N, v);
	bool book = v[B_DO].set && strcmp(v[B_DO].text, "book") == 0;
	if (!book) {
		/* Find: the same form, with the patients found; nothing is checked or written yet. */
		for (int i = 0; i < B_N; i++)
			if (i != B_Q)
				v[i].error = NULL;
		book_page(r, f, v, NULL, true);
		return;
	}
	if (!v[B_RUNNER].set && !v[B_RUNNER].error)
		v[B_RUNNER].error = "Choose the patient: search by name or email, then pick one.";
	int every = v[B_EVERY].set ? atoi(v[B_EVERY].text) : 0;
	if (every && !v[B_COUNT].set && !v[B_COUNT].error)
		v[B_COUNT].error = "Visits in all must be a whole number from 2 to 26.";
	int64_t skip[RC_SERIES_MAX];
	size_t nskip = 0;
	if (v[B_SKIP].set && !parse_skip(v[B_SKIP].text, skip, &nskip))
		v[B_SKIP].error = "The dates left out are not a list of dates; book the series again from the schedule.";
	if (rc_valid_first_error(v, B_N) >= 0) {
		r->status = 422;
		int k = rc_valid_first_error(v, B_N);
		book_page(r, f, v, k == B_KEY || k == B_SKIP || k == B_DO ? v[k].error : NULL, false);
		return;
	}
	rc_uc uc = rc_visit_uc(r);
	rc_visit_ctx vc = rc_visit_ctx_of(r);
	rc_problem p = {0};
	rc_err e;
	if (!every) {
		rc_booking_in in = {.service = v[B_SERVICE].text, .practitioner = num(&v[B_PRACTITIONER]),
		                    .start = v[B_START].num, .runner = v[B_RUNNER].num, .key = v[B_KEY].text,
		                    .reason = v[B_REASON].text, .condition = v[B_CONDITION].text, .triage = r->app->triage};
		rc_booking_out out;
		if (!(e = rc_app_visit_book(&uc, &vc, &in, &out, &p))) {
			to_grid(r, out.appointment.starts_at, "booked", out.appointment.id);
			return;
		}
	} else {
		rc_series_in in = {.service = v[B_SERVICE].text, .practitioner = num(&v[B_PRACTITIONER]),
		                   .start = v[B_START].num, .runner = v[B_RUNNER].num, .every_weeks = every,
		                   .count = (int)v[B_COUNT].num, .key = v[B_KEY].text, .reason = v[B_REASON].text,
		                   .condition = v[B_CONDITION].text, .skip = skip, .nskip = nskip};
		rc_series_out *out = rc_arena_alloc(&r->arena, sizeof *out);
		if (!out) {
			rc_page_error(r, 503, "The series could not be booked; nothing was booked.");
			return;
		}
		if (!(e = rc_app_visit_series_book(&uc, &vc, &in, out, &p))) {
			char *loc = rc_arena_printf(&r->arena, "/schedule/series/%lld?booked=%zu", (long long)out->series,
			                            out->booked);
			rc_req_redirect(r, loc ? loc : "/schedule");
			return;
		}
		if (e == RC_ECONFLICT && out->n && out->conflicts) {
			r->status = 409;
			plan_page(r, f, v, out, p.text);
			return;
		}
	}
	/* A refusal: the form again with the reason beside its field (or above the form). */
	r->status = rc_visit_status(e);
	if (r->status >= 500) {
		rc_page_error(r, r->status, p.text[0] ? p.text : "The booking could not be saved; nothing was booked.");
		return;
	}
	const char *alert = p.text;
	if (p.field && rc_valid_set_error(f, B_N, v, p.field, rc_arena_strdup(&r->arena, p.text)))
		alert = NULL;
	book_page(r, f, v, alert, false);
}

/* --- moving a visit --------------------------------------------------------------------------------- */

enum { M_PRACTITIONER, M_START, M_N };

static int64_t appointment_param(rc_req *r)
{
	static const rc_vfield id = {"appointment", "The appointment", RC_V_INT, .required = true, .min = 1,
	                             .max = INT64_MAX};
	rc_vvalue v;
	if (!rc_valid_one(&r->arena, &id, r->params[0], &v)) {
		rc_page_error(r, 404, "There is no page at this address.");
		return 0;
	}
	return v.num;
}

static void move_page(rc_req *r, const rc_appointment *a, const rc_vfield *f, const rc_vvalue *v, const char *alert)
{
	rc_buf *b = &r->out;
	char *title = rc_arena_printf(&r->arena, "Move %s's visit", a->runner_name);
	page_head(r, title ? title : "Move a visit");
	if (alert)
		rc_page_alert(r, alert);
	rc_html_lit(b, "<dl class=\"facts\"><dt>What</dt><dd>");
	rc_html_text(b, a->service_name);
	rc_html_lit(b, "</dd><dt>Now</dt><dd>");
	rc_visit_time(b, a->starts_at, true);
	rc_html_lit(b, " with ");
	rc_html_text(b, a->practitioner_name);
	rc_html_lit(b, "</dd></dl>\n");
	char *action = rc_arena_printf(&r->arena, "/schedule/move/%lld", (long long)a->id);
	rc_form_open(r, action ? action : "/schedule");
	rc_valid_input(b, &f[M_PRACTITIONER], &v[M_PRACTITIONER]);
	rc_valid_input(b, &f[M_START], &v[M_START]);
	char iso[11];
	rc_tz_date(a->starts_at, iso);
	rc_html_lit(b, "<p class=\"actions\"><button type=\"submit\">Move</button> <a href=\"/schedule?date=");
	rc_html_url_arg(b, iso);
	rc_html_printf(b, "&move=%lld", (long long)a->id);
	rc_html_lit(b, "\">Choose a free time on the schedule</a> <a href=\"/appointments/");
	rc_html_printf(b, "%lld", (long long)a->id);
	rc_html_lit(b, "\">Keep it where it is</a></p></form>\n");
	rc_page_end(r);
}

static bool move_fields(rc_req *r, rc_vfield f[M_N])
{
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t np = 0;
	f[M_PRACTITIONER] = (rc_vfield){"practitioner", "With", RC_V_ENUM, .required = true};
	f[M_START] = (rc_vfield){"start", "Starts", RC_V_DATETIME_LOCAL, .required = true};
	if (rc_practitioners_list(rc_req_db(r), 0, ps, RC_BOOKING_MAX_PRACTITIONERS, &np))
		return false;
	rc_vchoice *c = rc_arena_alloc(&r->arena, sizeof *c * (np + 1));
	if (!c)
		return false;
	for (size_t i = 0; i < np; i++) {
		c[i] = (rc_vchoice){rc_arena_printf(&r->arena, "%lld", (long long)ps[i].id),
		                    rc_arena_strdup(&r->arena, ps[i].name)};
		if (!c[i].value || !c[i].label)
			return false;
	}
	f[M_PRACTITIONER].choices = c;
	f[M_PRACTITIONER].nchoices = np;
	return true;
}

static bool load_visit(rc_req *r, int64_t id, rc_appointment *a)
{
	bool found = false;
	if (rc_appointment_get(rc_req_db(r), id, a, &found)) {
		rc_page_error(r, 503, "The appointment could not be read; try again in a moment.");
		return false;
	}
	if (!found) {
		rc_page_error(r, 404, "There is no page at this address.");
		return false;
	}
	return true;
}

/* The visit named in the address and the form's fields; false when the page has answered. */
static bool move_begin(rc_req *r, rc_appointment *a, rc_vfield f[M_N])
{
	int64_t id = appointment_param(r);
	if (!id || !load_visit(r, id, a))
		return false;
	if (!move_fields(r, f)) {
		rc_page_error(r, 503, "The schedule could not be read; try again in a moment.");
		return false;
	}
	return true;
}

void rc_page_schedule_move(rc_req *r)
{
	rc_appointment a;
	rc_vfield f[M_N];
	if (!move_begin(r, &a, f))
		return;
	/* From the grid's free cell (?practitioner=&start=), else where it is now. */
	rc_vvalue g[G_N];
	if (rc_valid_form(&r->arena, &r->query, grid_query, G_N, g)) {
		rc_page_error(r, 422, g[rc_valid_first_error(g, G_N)].error);
		return;
	}
	char *pid = rc_arena_printf(&r->arena, "%lld",
	                            (long long)(g[G_PRACTITIONER].set ? g[G_PRACTITIONER].num : a.practitioner_id));
	rc_vvalue v[M_N];
	(void)rc_valid_one(&r->arena, &f[M_PRACTITIONER], pid, &v[M_PRACTITIONER]);
	(void)rc_valid_one(&r->arena, &f[M_START], local_text(r, g[G_START].set ? g[G_START].num : a.starts_at), &v[M_START]);
	rc_uc uc = rc_visit_uc(r);
	rc_problem why = {0};
	move_page(r, &a, f, v, rc_booking_may_change(&uc, &a, &why) ? why.text : NULL);
}

void rc_page_schedule_move_post(rc_req *r)
{
	rc_appointment a;
	rc_vfield f[M_N];
	if (!move_begin(r, &a, f))
		return;
	int64_t id = a.id;
	rc_vvalue v[M_N];
	if (rc_valid_form(&r->arena, &r->form, f, M_N, v)) {
		r->status = 422;
		move_page(r, &a, f, v, NULL);
		return;
	}
	rc_uc uc = rc_visit_uc(r);
	rc_booking_move_in in = {.appointment = id, .practitioner = strtoll(v[M_PRACTITIONER].text, NULL, 10),
	                         .start = v[M_START].num};
	rc_booking_move_out out;
	rc_problem p = {0};
	rc_visit_ctx vc = rc_visit_ctx_of(r);
	rc_err e = rc_app_visit_move(&uc, &vc, &in, &out, NULL, &p);
	if (e) {
		r->status = rc_visit_status(e);
		if (r->status >= 500) {
			rc_page_error(r, r->status, p.text);
			return;
		}
		const char *alert = p.text;
		if (p.field && rc_valid_set_error(f, M_N, v, p.field, rc_arena_strdup(&r->arena, p.text)))
			alert = NULL;
		move_page(r, &a, f, v, alert);
		return;
	}
	to_grid(r, out.after.starts_at, "moved", out.after.id);
}

/* --- a series ---------------------------------------------------------------------------------------- */

static int64_t series_param(rc_req *r)
{
	static const rc_vfield id = {"series", "The series", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX};
	rc_vvalue v;
	if (!rc_valid_one(&r->arena, &id, r->params[0], &v)) {
		rc_page_error(r, 404, "There is no page at this address.");
		return 0;
	}
	return v.num;
}

static void series_page(rc_req *r, const rc_series_view *s, const char *notice)
{
	rc_buf *b = &r->out;
	rc_uc uc = rc_visit_uc(r);
	const char *who = s->n ? s->visits[0].runner_name : "";
	char *title = rc_arena_printf(&r->arena, "Recurring visits: %s", who);
	page_head(r, title ? title : "Recurring visits");
	if (notice)
		rc_page_notice(r, notice);
	rc_html_lit(b, "<dl class=\"facts\"><dt>What</dt><dd>");
	rc_html_text(b, s->service.name);
	rc_html_lit(b, "</dd><dt>How often</dt><dd>");
	if (s->series.every_weeks == 1)
		rc_html_lit(b, "Every week");
	else
		rc_html_printf(b, "Every %d weeks", s->series.every_weeks);
	rc_html_printf(b, ", %d visits asked for", s->series.occurrences);
	rc_html_lit(b, "</dd></dl>\n<div class=\"table-scroll\"><table class=\"list series\"><thead><tr>"
	               "<th scope=\"col\">When</th><th scope=\"col\">With</th><th scope=\"col\">Status</th></tr></thead>"
	               "<tbody>\n");
	size_t cancellable = 0;
	for (size_t i = 0; i < s->n; i++) {
		const rc_appointment *a = &s->visits[i];
		rc_problem ignored;
		cancellable += !rc_booking_may_change(&uc, a, &ignored);
		rc_html_lit(b, "<tr><td><a href=\"/appointments/");
		rc_html_printf(b, "%lld", (long long)a->id);
		rc_html_lit(b, "\">");
		rc_visit_time(b, a->starts_at, true);
		rc_html_lit(b, "</a></td><td>");
		rc_html_text(b, a->practitioner_name);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, rc_visit_status_label(a->status));
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (cancellable) {
		char *action = rc_arena_printf(&r->arena, "/schedule/series/%lld/cancel", (long long)s->series.id);
		char *label = rc_arena_printf(&r->arena, "Cancel the %zu visit%s still to come", cancellable,
		                              cancellable == 1 ? "" : "s");
		rc_html_lit(b, "<div class=\"actions\">");
		rc_form_button(r, action ? action : "/schedule", label ? label : "Cancel the visits still to come");
		rc_html_lit(b, "</div>\n<p class=\"hint\">To cancel one visit only, open it and cancel it there.</p>\n");
	}
	rc_html_lit(b, "<p class=\"back\"><a href=\"/schedule");
	if (s->n) {
		char iso[11];
		rc_tz_date(s->visits[0].starts_at, iso);
		rc_html_lit(b, "?date=");
		rc_html_url_arg(b, iso);
	}
	rc_html_lit(b, "\">Back to the schedule</a></p>\n");
	rc_page_end(r);
}

void rc_page_schedule_series(rc_req *r)
{
	int64_t id = series_param(r);
	if (!id)
		return;
	rc_uc uc = rc_visit_uc(r);
	rc_series_view s;
	rc_problem p = {0};
	rc_err e = rc_app_booking_series_show(&uc, id, &s, &p);
	if (e) {
		rc_page_error(r, e == RC_ENOTFOUND ? 404 : rc_visit_status(e), p.text);
		return;
	}
	const char *booked = rc_req_query(r, "booked");
	char *notice = NULL;
	if (booked && *booked)
		notice = rc_arena_printf(&r->arena, "Booked %d visit%s.", atoi(booked), atoi(booked) == 1 ? "" : "s");
	series_page(r, &s, notice);
}

void rc_page_schedule_series_cancel(rc_req *r)
{
	int64_t id = series_param(r);
	if (!id)
		return;
	rc_uc uc = rc_visit_uc(r);
	rc_appointment cancelled[RC_SERIES_MAX];
	size_t n = 0;
	rc_problem p = {0};
	rc_visit_ctx vc = rc_visit_ctx_of(r);
	rc_err e = rc_app_visit_series_cancel(&uc, &vc, id, cancelled, &n, &p);
	if (e) {
		rc_page_error(r, e == RC_ENOTFOUND ? 404 : rc_visit_status(e), p.text);
		return;
	}
	rc_series_view s;
	if ((e = rc_app_booking_series_show(&uc, id, &s, &p))) {
		rc_page_error(r, rc_visit_status(e), p.text);
		return;
	}
	char *notice = rc_arena_printf(&r->arena, "Cancelled %zu visit%s; the times are free for others.", n,
	                               n == 1 ? "" : "s");
	series_page(r, &s, n ? notice : "Nothing was left to cancel: the visits have begun, been marked or cancelled.");
}
