/* booking.c — the runner's booking flow (service → practitioner or first available → slot →
 * confirm), their appointments (cancel, move), and the front desk's schedule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/calendar.h"
#include "base/log.h"
#include "base/time.h"
#include "domain/schedule.h"
#include "domain/triage.h"
#include "store/booking.h"
#include "store/outbox.h"
#include "store/selfcheck_store.h"
#include "web/auth.h"
#include "web/bookings.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

enum {
	RC_BOOK_DAYS = 7,                   /* days of slots shown at once */
	RC_BOOK_HORIZON_DAYS = 120,         /* how far ahead anyone can book */
	RC_CANCEL_NOTICE_S = 24 * 60 * 60,  /* the demo clinic's policy: runners cancel or move >= 24 h ahead */
	RC_BOOK_LEAD_S = 60 * 60,           /* nobody books a slot starting within the hour online */
	RC_ALTERNATIVES = 5,
};

/* "Tue 1 Dec 2026, 09:30" in the clinic's zone. */
/* An appointment's status in words. */
static const char *status_label(const char *status)
{
	return strcmp(status, "no_show") == 0 ? "did not come" : status;
}

static void local_time(rc_buf *b, int64_t t, bool with_date)
{
	rc_html_time(b, t, with_date ? "%a %e %b %Y, %H:%M" : "%H:%M");
}

static void money(rc_buf *b, int64_t cents)
{
	rc_html_printf(b, "$%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

static int64_t param_int(const char *s)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	return s && *s && !*end && v > 0 ? v : 0;
}

/* Free start times for a service from one practitioner on one local day. */
static size_t free_slots(rc_req *r, int64_t pid, int minutes, int64_t day_start, int64_t day_end, int64_t *out,
                         size_t max)
{
	rc_day day;
	if (rc_day_load(rc_req_db(r), &r->arena, pid, day_start, day_end, &day))
		return 0;
	return rc_slots_free(&day, minutes, r->now + RC_BOOK_LEAD_S, out, max);
}

/* --- choosing a service, then a slot ----------------------------------------------------- */

void rc_page_book(rc_req *r)
{
	rc_service sv[RC_BOOKING_MAX_SERVICES];
	size_t n = 0;
	if (rc_services_list(rc_req_db(r), sv, RC_BOOKING_MAX_SERVICES, &n)) {
		rc_page_error(r, 503, "The services could not be read; try again in a moment.");
		return;
	}
	rc_buf *b = &r->out;
	rc_page_begin(r, "Book a visit", "book");
	rc_html_lit(b, "<h1>Book a visit</h1>\n<p>Not sure which? Start with an initial assessment.</p>\n<ul class=\"cards\">");
	for (size_t i = 0; i < n; i++) {
		rc_html_lit(b, "<li class=\"card\"><h2><a href=\"/book/");
		rc_html_url_arg(b, sv[i].key);
		rc_html_lit(b, "\">");
		rc_html_text(b, sv[i].name);
		rc_html_lit(b, "</a></h2><p>");
		rc_html_printf(b, "%d minutes · ", sv[i].minutes);
		money(b, sv[i].price_cents);
		rc_html_lit(b, "</p></li>");
	}
	rc_html_lit(b, "</ul>\n");
	rc_page_end(r);
}

void rc_page_book_service(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	rc_service sv;
	bool found = false;
	if (rc_service_by_key(db, r->params[0], &sv, &found) || !found) {
		rc_page_error(r, 404, "There is no such service.");
		return;
	}
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t np = 0;
	if (rc_practitioners_list(db, sv.id, ps, RC_BOOKING_MAX_PRACTITIONERS, &np)) {
		rc_page_error(r, 503, "The schedule could not be read; try again in a moment.");
		return;
	}
	int64_t want = param_int(rc_req_query(r, "practitioner")), move = param_int(rc_req_query(r, "move"));
	int y, m, d;
	int64_t from = r->now;
	const char *date = rc_req_query(r, "date");
	if (date && rc_date_parse(date, &y, &m, &d))
		from = rc_tz_day_start(y, m, d);
	else if (date) {
		rc_page_error(r, 400, "The date must be written YYYY-MM-DD, for example 2026-12-01.");
		return;
	}
	rc_buf *b = &r->out;
	char *title = rc_arena_printf(&r->arena, "Book: %s", sv.name);
	rc_page_begin(r, title ? title : "Book", "book");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, sv.name);
	rc_html_lit(b, "</h1>\n<p>");
	rc_html_printf(b, "%d minutes · ", sv.minutes);
	money(b, sv.price_cents);
	rc_html_lit(b, ". Times are the clinic's local time (");
	rc_html_text(b, r->app->content->clinic.timezone);
	rc_html_lit(b, ").</p>\n<form class=\"inline\" method=\"get\" action=\"/book/");
	rc_html_url_arg(b, sv.key);
	rc_html_lit(b, "\"><label for=\"f-practitioner\">With</label><select id=\"f-practitioner\" name=\"practitioner\">"
	               "<option value=\"\">First available</option>");
	for (size_t i = 0; i < np; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_printf(b, "%lld", (long long)ps[i].id);
		rc_html_lit(b, "\"");
		if (ps[i].id == want)
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, ps[i].name);
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select> <label for=\"f-date\">From</label><input id=\"f-date\" name=\"date\" type=\"date\"");
	if (date) {
		rc_html_lit(b, " value=\"");
		rc_html_text(b, date);
		rc_html_lit(b, "\"");
	}
	rc_html_lit(b, ">");
	if (move) {
		rc_html_lit(b, "<input type=\"hidden\" name=\"move\" value=\"");
		rc_html_printf(b, "%lld", (long long)move);
		rc_html_lit(b, "\">");
	}
	rc_html_lit(b, " <button type=\"submit\">Show times</button></form>\n");

	size_t shown = 0;
	for (int day = 0; day < RC_BOOK_DAYS; day++) {
		/* Counted in the clinic's days: late in the evening, tomorrow is still the next day listed. */
		int64_t ds = rc_tz_day_number_start(rc_tz_day_number(from) + day);
		int64_t de = rc_tz_day_number_start(rc_tz_day_number(from) + day + 1);
		rc_html_lit(b, "<section class=\"day\"><h2>");
		char label[48];
		rc_tz_format(ds + 3600 * 12, "%A %e %B", label, sizeof label);
		rc_html_text(b, label[0] == ' ' ? label + 1 : label);
		rc_html_lit(b, "</h2><ul class=\"slots\">");
		/* Each time once: with "first available" the earliest practitioner free then takes it. */
		int64_t times[RC_SLOTS_MAX_PER_DAY];
		int64_t who[RC_SLOTS_MAX_PER_DAY];
		size_t nt = 0;
		for (size_t i = 0; i < np; i++) {
			if (want && ps[i].id != want)
				continue;
			int64_t s[RC_SLOTS_MAX_PER_DAY];
			size_t ns = free_slots(r, ps[i].id, sv.minutes, ds, de, s, RC_SLOTS_MAX_PER_DAY);
			for (size_t k = 0; k < ns; k++) {
				size_t j = 0;
				while (j < nt && times[j] != s[k])
					j++;
				if (j == nt && nt < RC_SLOTS_MAX_PER_DAY) {
					times[nt] = s[k];
					who[nt++] = ps[i].id;
				}
			}
		}
		/* Sort by time (insertion: at most 96). */
		for (size_t i = 1; i < nt; i++)
			for (size_t j = i; j > 0 && times[j - 1] > times[j]; j--) {
				int64_t t = times[j];
				times[j] = times[j - 1];
				times[j - 1] = t;
				t = who[j];
				who[j] = who[j - 1];
				who[j - 1] = t;
			}
		for (size_t i = 0; i < nt; i++) {
			rc_html_lit(b, "<li><a class=\"slot\" href=\"/book/");
			rc_html_url_arg(b, sv.key);
			rc_html_printf(b, "/confirm?start=%lld&practitioner=%lld", (long long)times[i], (long long)who[i]);
			if (move)
				rc_html_printf(b, "&move=%lld", (long long)move);
			rc_html_lit(b, "\">");
			local_time(b, times[i], false);
			rc_html_lit(b, "</a></li>");
		}
		if (!nt)
			rc_html_lit(b, "<li>No free times.</li>");
		shown += nt;
		rc_html_lit(b, "</ul></section>\n");
	}
	if (!shown)
		rc_page_notice(r, "Nothing is free in these days. Try later dates, or ask the front desk about the waitlist.");
	rc_page_end(r);
}

/* --- confirming ---------------------------------------------------------------------------- */

void rc_page_book_confirm(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	rc_service sv;
	rc_practitioner p;
	bool found = false, pf = false;
	int64_t start = param_int(rc_req_query(r, "start")), pid = param_int(rc_req_query(r, "practitioner"));
	int64_t move = param_int(rc_req_query(r, "move"));
	if (rc_service_by_key(db, r->params[0], &sv, &found) || !found) {
		rc_page_error(r, 404, "There is no such service.");
		return;
	}
	if (!start || !pid || rc_practitioner_by_id(db, pid, &p, &pf) || !pf) {
		rc_page_error(r, 400, "Choose a time from the list of free times.");
		return;
	}
	rc_buf *b = &r->out;
	rc_page_begin(r, move ? "Move your visit" : "Confirm your visit", "book");
	if (move)
		rc_html_lit(b, "<h1>Move your visit</h1>\n");
	else
		rc_html_lit(b, "<h1>Confirm your visit</h1>\n");
	rc_html_lit(b, "<dl class=\"facts\"><dt>What</dt><dd>");
	rc_html_text(b, sv.name);
	rc_html_lit(b, "</dd><dt>With</dt><dd>");
	rc_html_text(b, p.name);
	rc_html_lit(b, "</dd><dt>When</dt><dd>");
	local_time(b, start, true);
	rc_html_printf(b, " (%d minutes)", sv.minutes);
	rc_html_lit(b, "</dd><dt>Price</dt><dd>");
	money(b, sv.price_cents);
	rc_html_lit(b, "</dd></dl>\n");
	if (move) {
		char *action = rc_arena_printf(&r->arena, "/appointments/%lld/move", (long long)move);
		rc_form_open(r, action ? action : "/appointments");
	} else {
		rc_form_open(r, "/book");
	}
	rc_html_lit(b, "<input type=\"hidden\" name=\"service\" value=\"");
	rc_html_text(b, sv.key);
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"practitioner\" value=\"");
	rc_html_printf(b, "%lld", (long long)p.id);
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"start\" value=\"");
	rc_html_printf(b, "%lld", (long long)start);
	/* A fresh key per rendered form: a double click or a retry books once. */
	char key[RC_TOKEN_CHARS + 1];
	rc_auth_token(key);
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"key\" value=\"");
	rc_html_text(b, key);
	rc_html_lit(b, "\">\n");
	if (!move) {
		if (rc_role_is_staff(r->user.role)) {
			rc_html_lit(b, "<p><label for=\"f-runner\">Runner's email</label><input id=\"f-runner\" name=\"runner\" "
			               "type=\"email\" required></p>\n");
		}
		rc_condition_select(r, NULL);
		rc_html_lit(b, "<p><label for=\"f-reason\">What would you like looked at? (optional)</label>"
		               "<textarea id=\"f-reason\" name=\"reason\" rows=\"3\" maxlength=\"500\"></textarea></p>\n");
	}
	rc_form_close(r, move ? "Move to this time" : "Book");
	rc_page_end(r);
}

/* --- booking, moving, cancelling ----------------------------------------------------------- */

/* The next free times for the service from any practitioner, from t on. */
static size_t alternatives(rc_req *r, const rc_service *sv, int64_t t, int64_t *times, int64_t *who, size_t max)
{
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t np = 0, n = 0;
	if (rc_practitioners_list(rc_req_db(r), sv->id, ps, RC_BOOKING_MAX_PRACTITIONERS, &np))
		return 0;
	for (int day = 0; day < 14 && n < max; day++) {
		int64_t ds, de;
		rc_tz_day_bounds(day == 0 ? t : t + (int64_t)day * 86400 + 12 * 3600, &ds, &de);
		int64_t best[RC_SLOTS_MAX_PER_DAY], best_who[RC_SLOTS_MAX_PER_DAY];
		size_t nb = 0;
		for (size_t i = 0; i < np; i++) {
			int64_t s[RC_SLOTS_MAX_PER_DAY];
			size_t ns = free_slots(r, ps[i].id, sv->minutes, ds, de, s, RC_SLOTS_MAX_PER_DAY);
			for (size_t k = 0; k < ns && nb < RC_SLOTS_MAX_PER_DAY; k++)
				if (s[k] >= t)
					best[nb] = s[k], best_who[nb++] = ps[i].id;
		}
		/* Pick the earliest ones of this day, each time once. */
		while (n < max) {
			size_t j = nb;
			for (size_t k = 0; k < nb; k++)
				if (best[k] && (j == nb || best[k] < best[j]))
					j = k;
			if (j == nb)
				break;
			bool dup = false;
			for (size_t k = 0; k < n; k++)
				dup |= times[k] == best[j];
			if (!dup)
				times[n] = best[j], who[n++] = best_who[j];
			best[j] = 0;
		}
	}
	return n;
}

static void taken_page(rc_req *r, const rc_service *sv, int64_t start, const char *why)
{
	int64_t times[RC_ALTERNATIVES], who[RC_ALTERNATIVES];
	size_t n = alternatives(r, sv, start, times, who, RC_ALTERNATIVES);
	rc_buf *b = &r->out;
	rc_page_begin(r, "That time is not available", "book");
	rc_html_lit(b, "<h1>That time is not available</h1>\n");
	rc_page_alert(r, why);
	rc_html_lit(b, "<h2>The nearest free times</h2>\n<ul class=\"slots\">");
	for (size_t i = 0; i < n; i++) {
		rc_html_lit(b, "<li><a class=\"slot\" href=\"/book/");
		rc_html_url_arg(b, sv->key);
		rc_html_printf(b, "/confirm?start=%lld&practitioner=%lld", (long long)times[i], (long long)who[i]);
		rc_html_lit(b, "\">");
		local_time(b, times[i], true);
		rc_html_lit(b, "</a></li>");
	}
	if (!n)
		rc_html_lit(b, "<li>None in the next two weeks: ask the front desk about the waitlist.</li>");
	rc_html_lit(b, "</ul>\n");
	rc_page_end(r);
}

/* The runner's mail with the visit as an iCalendar attachment (same UID each time, so a calendar updates
 * the one event): booked, moved, or cancelled (STATUS:CANCELLED). */
static void visit_mail(rc_req *r, const rc_appointment *a, const char *subject, const char *verb)
{
	char when[64];
	struct tm tm;
	rc_tz_local(a->starts_at, &tm);
	strftime(when, sizeof when, "%A %e %B %Y at %H:%M", &tm);
	const rc_clinic *c = &r->app->content->clinic;
	char *body = rc_arena_printf(&r->arena,
	                             "Hello %s,\n\nYour %s with %s %s %s (%s).\n\n%s\n%s, %s\n%s\n\n"
	                             "Your appointments: %s/appointments\n"
	                             "(cancel or move at least 24 hours ahead; after that, please call us).\n",
	                             a->runner_name, a->service_name, a->practitioner_name, verb, when, c->timezone,
	                             c->name, c->street, c->city, c->phone, r->app->cfg->public_url);
	rc_buf ics;
	rc_buf_init(&ics, 64 * 1024);
	rc_calendar_appointment_ics(&ics, a, c);
	rc_err e = body && a->runner_email[0]
	               ? rc_outbox_add_ics(rc_req_db(r), a->runner_email, subject, body, ics.data, r->now)
	               : body ? RC_OK : RC_ENOMEM;
	rc_buf_free(&ics);
	if (e)
		rc_error("could not queue the mail for appointment %lld", (long long)a->id);
}

void rc_page_book_post(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	rc_service sv;
	bool found = false;
	const char *key = rc_req_form(r, "key"), *reason = rc_req_form(r, "reason");
	int64_t start = param_int(rc_req_form(r, "start")), pid = param_int(rc_req_form(r, "practitioner"));
	if (!rc_req_form(r, "service") || rc_service_by_key(db, rc_req_form(r, "service"), &sv, &found) || !found) {
		rc_page_error(r, 400, "The form names no service that exists; go back and choose one.");
		return;
	}
	if (!start || !pid) {
		rc_page_error(r, 400, "The form names no time or practitioner; go back and choose a time.");
		return;
	}
	if (reason && strlen(reason) > 500) {
		rc_page_error(r, 400, "What you would like looked at is longer than 500 characters.");
		return;
	}
	if (key && strlen(key) > RC_IDEMPOTENCY_MAX) {
		rc_page_error(r, 400, "The form's key is too long.");
		return;
	}
	int64_t runner = r->user.id;
	if (rc_role_is_staff(r->user.role)) {
		/* The front desk books for a runner named by email. */
		char email[RC_EMAIL_MAX + 1];
		rc_account a;
		bool af = false;
		if (!rc_clean_email(rc_req_form(r, "runner"), email) || rc_account_by_email(db, email, &a, &af) || !af ||
		    a.role != RC_ROLE_RUNNER) {
			rc_page_error(r, 400, "'Runner's email' names no runner's account.");
			return;
		}
		runner = a.id;
	}
	bool offers = false;
	if (rc_practitioner_offers(db, pid, sv.id, &offers) || !offers) {
		rc_page_error(r, 400, "That practitioner does not offer this service.");
		return;
	}
	if (start > r->now + (int64_t)RC_BOOK_HORIZON_DAYS * 86400) {
		rc_page_error(r, 400, "Bookings open up to 120 days ahead.");
		return;
	}
	const char *condition = rc_req_form(r, "condition");
	if (condition && !rc_condition_known(r, condition)) {
		rc_page_error(r, 400, "'What it is about' must be one of the listed choices.");
		return;
	}
	/* The practitioner sees the runner's latest self-check with the booking. */
	char latest[16], top[64];
	if (!rc_selfcheck_latest(db, runner, latest, sizeof latest, top, sizeof top) && latest[0]) {
		int ci = rc_triage_condition(r->app->triage, top);
		reason = rc_arena_printf(&r->arena, "%s%sSelf-check: %s; most likely %s.", reason ? reason : "",
		                         reason && *reason ? " — " : "", rc_level_label(latest),
		                         ci >= 0 ? r->app->triage->conditions[ci].name : top);
	}
	rc_booking c = {.runner = runner, .practitioner = pid, .service = sv.id, .start = start, .by = r->user.id,
	                .minutes = sv.minutes, .key = key, .reason = reason, .condition = condition ? condition : "other",
	                .actor = &r->user, .address = r->remote, .arena = &r->arena, .now = r->now};
	if (rc_booking_make(db, &c)) {
		rc_error("booking: %s", rc_db_errmsg(db));
		rc_page_error(r, 503, "The booking could not be saved; nothing was booked. Try again in a moment.");
		return;
	}
	if (c.state != RC_SLOT_FREE) {
		r->status = c.state == RC_SLOT_TAKEN ? 409 : 422;
		taken_page(r, &sv, start, rc_slot_reason(c.state));
		return;
	}
	rc_appointment a;
	if (rc_appointment_get(db, c.id, &a, &found) || !found) {
		rc_page_error(r, 503, "The booking was saved but could not be shown; see My appointments.");
		return;
	}
	if (!c.existing)
		visit_mail(r, &a, "Your visit is booked", "is booked for");
	char *loc = rc_arena_printf(&r->arena, "/appointments/%lld", (long long)c.id);
	rc_req_redirect(r, loc ? loc : "/appointments");
}

/* --- the runner's appointments ------------------------------------------------------------ */

struct list_ctx {
	rc_req *r;
	size_t n;
	bool staff_view;
};

static void appointment_row(void *arg, const rc_appointment *a)
{
	struct list_ctx *c = arg;
	rc_buf *b = &c->r->out;
	c->n++;
	rc_html_lit(b, "<tr><td>");
	local_time(b, a->starts_at, true);
	rc_html_lit(b, "</td><td><a href=\"/appointments/");
	rc_html_printf(b, "%lld", (long long)a->id);
	rc_html_lit(b, "\">");
	rc_html_text(b, a->service_name);
	rc_html_lit(b, "</a></td><td>");
	rc_html_text(b, c->staff_view ? a->runner_name : a->practitioner_name);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, status_label(a->status));
	rc_html_lit(b, "</td></tr>\n");
}

void rc_page_appointments(rc_req *r)
{
	if (rc_role_is_staff(r->user.role)) {
		rc_req_redirect(r, "/schedule");
		return;
	}
	rc_buf *b = &r->out;
	rc_page_begin(r, "My appointments", "book");
	rc_html_lit(b, "<h1>My appointments</h1>\n<p><a class=\"button\" href=\"/book\">Book a visit</a> "
	               "<a href=\"/waitlist\">Nothing fits? Join the waitlist</a></p>\n"
	               "<div class=\"table-scroll\"><table class=\"list\"><thead><tr><th scope=\"col\">When</th>"
	               "<th scope=\"col\">What</th><th scope=\"col\">With</th><th scope=\"col\">Status</th></tr></thead><tbody>\n");
	struct list_ctx c = {r, 0, false};
	if (rc_appointments_of_runner(rc_req_db(r), r->user.id, appointment_row, &c)) {
		rc_page_error(r, 503, "Your appointments could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (!c.n)
		rc_html_lit(b, "<p>No appointments yet.</p>\n");
	rc_page_end(r);
}

static bool may_change(const rc_req *r, const rc_appointment *a, const char **why)
{
	if (strcmp(a->status, "booked") != 0) {
		*why = "Only a booked appointment can be changed.";
		return false;
	}
	if (!rc_role_is_staff(r->user.role) && a->starts_at - r->now < RC_CANCEL_NOTICE_S) {
		*why = "It is less than 24 hours away: please call the clinic to cancel or move it.";
		return false;
	}
	return true;
}

static bool load_appointment(rc_req *r, rc_appointment *a)
{
	bool found = false;
	if (rc_appointment_get(rc_req_db(r), param_int(r->params[0]), a, &found)) {
		rc_page_error(r, 503, "The appointment could not be read; try again in a moment.");
		return false;
	}
	if (!found) {
		rc_page_error(r, 404, "There is no page at this address.");
		return false;
	}
	return true;
}

static void appointment_page(rc_req *r, const rc_appointment *a, const char *notice, const char *alert)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "Appointment", rc_role_is_staff(r->user.role) ? "schedule" : "book");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, strcmp(a->status, "booked") == 0 ? "Your visit is booked" : "Appointment");
	rc_html_lit(b, "</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (alert)
		rc_page_alert(r, alert);
	rc_html_lit(b, "<dl class=\"facts\"><dt>What</dt><dd>");
	rc_html_text(b, a->service_name);
	rc_html_lit(b, "</dd><dt>With</dt><dd>");
	rc_html_text(b, a->practitioner_name);
	rc_html_lit(b, "</dd><dt>When</dt><dd>");
	local_time(b, a->starts_at, true);
	rc_html_lit(b, "–");
	local_time(b, a->ends_at, false);
	rc_html_lit(b, "</dd><dt>Status</dt><dd>");
	rc_html_text(b, status_label(a->status));
	rc_html_lit(b, "</dd>");
	if (rc_role_is_staff(r->user.role)) {
		rc_html_lit(b, "<dt>Runner</dt><dd><a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)a->runner_id);
		rc_html_lit(b, "\">");
		rc_html_text(b, a->runner_name);
		rc_html_lit(b, "</a>");
		/* Clinicians go from the visit to the chart, and to this visit's note. */
		if (r->user.role == RC_ROLE_PRACTITIONER || r->user.role == RC_ROLE_ADMIN) {
			rc_html_lit(b, " · <a href=\"/runners/");
			rc_html_printf(b, "%lld", (long long)a->runner_id);
			rc_html_lit(b, "/chart\">Chart</a> · <a href=\"/runners/");
			rc_html_printf(b, "%lld/chart/notes/new?appointment=%lld", (long long)a->runner_id, (long long)a->id);
			rc_html_lit(b, "\">Write the visit's note</a>");
		}
		rc_html_lit(b, "</dd>");
	}
	if (a->reason[0]) {
		rc_html_lit(b, "<dt>To look at</dt><dd>");
		rc_html_text(b, a->reason);
		rc_html_lit(b, "</dd>");
	}
	rc_html_lit(b, "</dl>\n");
	const char *why = NULL;
	char action[96];
	if (may_change(r, a, &why)) {
		rc_html_lit(b, "<p><a href=\"/book/");
		rc_html_url_arg(b, a->service_key);
		rc_html_printf(b, "?move=%lld", (long long)a->id);
		rc_html_lit(b, "\">Move to another time</a></p>\n");
		snprintf(action, sizeof action, "/appointments/%lld/cancel", (long long)a->id);
		rc_form_button(r, action, "Cancel this appointment");
	} else if (strcmp(a->status, "booked") == 0) {
		rc_html_lit(b, "<p>");
		rc_html_text(b, why);
		rc_html_lit(b, "</p>\n");
	}
	if (rc_role_is_staff(r->user.role) && strcmp(a->status, "cancelled") != 0) {
		rc_html_lit(b, "<p>");
		snprintf(action, sizeof action, "/appointments/%lld/arrived", (long long)a->id);
		rc_form_button(r, action, "Mark arrived");
		if (a->starts_at <= r->now && strcmp(a->status, "no_show") != 0) {
			rc_html_lit(b, " ");
			snprintf(action, sizeof action, "/appointments/%lld/no-show", (long long)a->id);
			rc_form_button(r, action, "Mark no-show");
		}
		rc_html_lit(b, "</p>\n");
	}
	rc_html_lit(b, "<p><a href=\"/appointments\">All appointments</a></p>\n");
	rc_page_end(r);
}

void rc_page_appointment(rc_req *r)
{
	rc_appointment a;
	if (!load_appointment(r, &a))
		return;
	if (rc_role_is_staff(r->user.role))
		rc_req_audit(r, "appointment.view", a.runner_id, "");
	appointment_page(r, &a, NULL, NULL);
}

struct cancel {
	int64_t id, now;
};

static rc_err cancel_tx(rc_db *db, void *arg)
{
	return rc_appointment_cancel(db, ((struct cancel *)arg)->id, ((struct cancel *)arg)->now);
}

void rc_page_appointment_cancel(rc_req *r)
{
	rc_appointment a;
	const char *why = NULL;
	if (!load_appointment(r, &a))
		return;
	if (!may_change(r, &a, &why)) {
		r->status = 409;
		appointment_page(r, &a, NULL, why);
		return;
	}
	struct cancel c = {a.id, r->now};
	rc_err e = rc_db_tx(rc_req_db(r), cancel_tx, &c);
	if (e && e != RC_ENOTFOUND) {
		rc_page_error(r, 503, "The appointment could not be cancelled; try again in a moment.");
		return;
	}
	rc_req_audit(r, "appointment.cancel", a.runner_id, a.service_key);
	rc_waitlist_freed(r, a.practitioner_id, a.service_id, a.starts_at, (int)((a.ends_at - a.starts_at) / 60));
	bool found;
	if (rc_appointment_get(rc_req_db(r), a.id, &a, &found)) {
		rc_page_error(r, 503, "Cancelled, but the appointment could not be shown.");
		return;
	}
	visit_mail(r, &a, "Your visit is cancelled", "was cancelled; it was on");
	appointment_page(r, &a, "Cancelled. The time is free for someone else.", NULL);
}

void rc_page_appointment_move(rc_req *r)
{
	rc_appointment a;
	const char *why = NULL;
	if (!load_appointment(r, &a))
		return;
	if (!may_change(r, &a, &why)) {
		r->status = 409;
		appointment_page(r, &a, NULL, why);
		return;
	}
	rc_db *db = rc_req_db(r);
	rc_service sv;
	bool found = false, offers = false;
	int64_t start = param_int(rc_req_form(r, "start")), pid = param_int(rc_req_form(r, "practitioner"));
	if (rc_service_by_id(db, a.service_id, &sv, &found) || !found || !start || !pid ||
	    rc_practitioner_offers(db, pid, sv.id, &offers) || !offers) {
		rc_page_error(r, 400, "Choose a new time from the list of free times.");
		return;
	}
	rc_booking c = {.practitioner = pid, .service = sv.id, .start = start, .minutes = sv.minutes, .arena = &r->arena, .now = r->now};
	if (rc_booking_move(db, a.id, &c)) {
		rc_page_error(r, 503, "The appointment could not be moved; it keeps its old time. Try again in a moment.");
		return;
	}
	if (c.state != RC_SLOT_FREE) {
		r->status = c.state == RC_SLOT_TAKEN ? 409 : 422;
		taken_page(r, &sv, start, rc_slot_reason(c.state));
		return;
	}
	rc_req_audit(r, "appointment.move", a.runner_id, sv.key);
	if (rc_appointment_get(db, a.id, &a, &found)) {
		rc_page_error(r, 503, "Moved, but the appointment could not be shown.");
		return;
	}
	visit_mail(r, &a, "Your visit has moved", "is now on");
	appointment_page(r, &a, "Moved to the new time.", NULL);
}

static void set_status(rc_req *r, const char *status)
{
	rc_appointment a;
	if (!load_appointment(r, &a))
		return;
	/* Nobody fails to turn up for a visit that has not begun. */
	if (strcmp(status, "no_show") == 0 && a.starts_at > r->now) {
		r->status = 409;
		appointment_page(r, &a, NULL, "A visit can be marked a no-show only once its time has come.");
		return;
	}
	rc_err e = rc_appointment_set_status(rc_req_db(r), a.id, status);
	if (e == RC_ENOTFOUND) {
		r->status = 409;
		appointment_page(r, &a, NULL, "A cancelled appointment cannot be marked.");
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not save; try again in a moment.");
		return;
	}
	rc_req_audit(r, strcmp(status, "arrived") == 0 ? "appointment.arrived" : "appointment.no_show", a.runner_id, "");
	bool found;
	if (rc_appointment_get(rc_req_db(r), a.id, &a, &found)) {
		rc_page_error(r, 503, "Saved, but the appointment could not be shown.");
		return;
	}
	appointment_page(r, &a, strcmp(status, "arrived") == 0 ? "Marked as arrived." : "Marked as no-show.", NULL);
}

void rc_page_appointment_arrived(rc_req *r)
{
	set_status(r, "arrived");
}

void rc_page_appointment_no_show(rc_req *r)
{
	set_status(r, "no_show");
}

/* --- the front desk's schedule ------------------------------------------------------------ */

void rc_page_schedule(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	int y, m, d;
	int64_t ds, de;
	const char *date = rc_req_query(r, "date");
	bool week = rc_req_query(r, "view") && strcmp(rc_req_query(r, "view"), "week") == 0;
	if (date && !rc_date_parse(date, &y, &m, &d)) {
		rc_page_error(r, 400, "The date must be written YYYY-MM-DD, for example 2026-12-01.");
		return;
	}
	rc_tz_day_bounds(date ? rc_tz_day_start(y, m, d) + 12 * 3600 : r->now, &ds, &de);
	if (week) {
		struct tm tm;
		rc_tz_local(ds + 12 * 3600, &tm);
		int back = rc_weekday_from_tm(tm.tm_wday);
		rc_tz_day_bounds(ds + 12 * 3600 - (int64_t)back * 86400, &ds, &de);
		int64_t ws = ds, we;
		rc_tz_day_bounds(ds + 12 * 3600 + 7 * 86400, &we, &de);
		de = we;
		ds = ws;
	}
	int64_t pid = param_int(rc_req_query(r, "practitioner"));
	rc_buf *b = &r->out;
	rc_page_begin(r, week ? "Week" : "Day", "schedule");
	struct tm tm;
	char label[64], iso[16];
	rc_tz_local(ds + 12 * 3600, &tm);
	strftime(label, sizeof label, week ? "Week of %A %e %B %Y" : "%A %e %B %Y", &tm);
	rc_html_lit(b, "<h1>");
	rc_html_text(b, label);
	rc_html_lit(b, "</h1>\n<p>");
	for (int step = -1; step <= 1; step += 2) {
		struct tm t2;
		rc_tz_local(ds + 12 * 3600 + (int64_t)step * (week ? 7 : 1) * 86400, &t2);
		strftime(iso, sizeof iso, "%Y-%m-%d", &t2);
		rc_html_lit(b, "<a href=\"/schedule?date=");
		rc_html_url_arg(b, iso);
		if (week)
			rc_html_lit(b, "&amp;view=week");
		rc_html_lit(b, "\">");
		rc_html_text(b, step < 0 ? (week ? "← Previous week" : "← Previous day") : (week ? "Next week →" : "Next day →"));
		rc_html_lit(b, "</a> ");
	}
	strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
	rc_html_lit(b, "· <a href=\"/schedule?date=");
	rc_html_url_arg(b, iso);
	if (week)
		rc_html_lit(b, "\">Day view</a>");
	else
		rc_html_lit(b, "&amp;view=week\">Week view</a>");
	rc_html_lit(b, " · <a href=\"/book\">Book for a runner</a> · <a href=\"/waitlist\">Waitlist</a></p>\n");
	/* One practitioner's day or week, or everyone's. */
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t np = 0;
	if (!rc_practitioners_list(db, 0, ps, RC_BOOKING_MAX_PRACTITIONERS, &np)) {
		rc_html_lit(b, "<form class=\"inline\" method=\"get\" action=\"/schedule\"><input type=\"hidden\" name=\"date\" "
		               "value=\"");
		rc_html_text(b, iso);
		rc_html_lit(b, "\">");
		if (week)
			rc_html_lit(b, "<input type=\"hidden\" name=\"view\" value=\"week\">");
		rc_html_lit(b, "<label for=\"f-practitioner\">Practitioner</label><select id=\"f-practitioner\" "
		               "name=\"practitioner\"><option value=\"\">Everyone</option>");
		for (size_t i = 0; i < np; i++) {
			rc_html_lit(b, "<option value=\"");
			rc_html_printf(b, "%lld", (long long)ps[i].id);
			rc_html_lit(b, "\"");
			if (ps[i].id == pid)
				rc_html_lit(b, " selected");
			rc_html_lit(b, ">");
			rc_html_text(b, ps[i].name);
			rc_html_lit(b, "</option>");
		}
		rc_html_lit(b, "</select> <button type=\"submit\">Show</button></form>\n");
	}
	rc_html_lit(b, "<div class=\"table-scroll\"><table class=\"list\"><thead><tr><th scope=\"col\">When</th>"
	               "<th scope=\"col\">What</th><th scope=\"col\">Runner</th><th scope=\"col\">Status</th>"
	               "</tr></thead><tbody>\n");
	struct list_ctx c = {r, 0, true};
	if (rc_appointments_between(db, pid, ds, de, appointment_row, &c)) {
		rc_page_error(r, 503, "The schedule could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (!c.n)
		rc_html_lit(b, "<p>Nothing booked.</p>\n");
	rc_page_end(r);
}
