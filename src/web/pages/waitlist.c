/* waitlist.c — when nothing fits: runners wait for a service in a window of days; a freed time is
 * offered to the most urgent (by self-check level), then the longest waiting; an offer expires
 * after RC_OFFER_TTL_S and moves on to the next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/time.h"
#include "store/booking.h"
#include "store/selfcheck_store.h"
#include "store/waitlist.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

enum { RC_SWEEP_MAX = 64, RC_WAIT_MAX_DAYS = 60 };

static const char *const urgencies[] = {"emergency", "urgent", "soon", "self_care"};

static int64_t num(const char *s)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	return s && *s && !*end && v > 0 ? v : 0;
}

static void when(rc_buf *b, int64_t t)
{
	struct tm tm;
	char s[64];
	rc_tz_local(t, &tm);
	strftime(s, sizeof s, "%a %e %b, %H:%M", &tm);
	rc_html_text(b, s[0] == ' ' ? s + 1 : s);
}

void rc_condition_select(rc_req *r, const char *selected)
{
	const rc_clinic *c = &r->app->content->clinic;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<p><label for=\"f-condition\">What it is about</label><select id=\"f-condition\" name=\"condition\">");
	for (size_t i = 0; i <= c->ntreats; i++) {
		const char *key = i < c->ntreats ? c->treats[i].key : "other";
		rc_html_lit(b, "<option value=\"");
		rc_html_text(b, key);
		rc_html_lit(b, "\"");
		if (selected && strcmp(selected, key) == 0)
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, i < c->ntreats ? c->treats[i].name : "Something else");
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select></p>\n");
}

bool rc_condition_known(rc_req *r, const char *key)
{
	const rc_clinic *c = &r->app->content->clinic;
	if (strcmp(key, "other") == 0)
		return true;
	for (size_t i = 0; i < c->ntreats; i++)
		if (strcmp(c->treats[i].key, key) == 0)
			return true;
	return false;
}

/* --- offering freed times -------------------------------------------------------------------- */

struct offer_tx {
	int64_t pid, sid, start, expire_id, offer_id, now;
	int minutes;
};

static rc_err offer_tx(rc_db *db, void *arg)
{
	struct offer_tx *c = arg;
	c->offer_id = 0;
	if (c->expire_id) {
		bool was_open = false;
		rc_err e = rc_offer_close(db, c->expire_id, "expired", &was_open);
		if (e || !was_open)
			return e; /* another process passed it on already */
	}
	return rc_waitlist_offer_next(db, c->pid, c->sid, c->start, c->minutes, c->now, &c->offer_id);
}

static void mail_offer(rc_req *r, int64_t offer_id)
{
	rc_offer o;
	bool found = false;
	rc_db *db = rc_req_db(r);
	if (rc_offer_get(db, offer_id, &o, &found) || !found)
		return;
	char at[64];
	struct tm tm;
	rc_tz_local(o.starts_at, &tm);
	strftime(at, sizeof at, "%A %e %B at %H:%M", &tm);
	char *body = rc_arena_printf(&r->arena,
	                             "Hello %s,\n\nA time came free: %s with %s on %s.\nIt is yours if you take it "
	                             "within two hours: %s/waitlist/offers/%lld\n\nAfter that it goes to the next "
	                             "runner waiting.\n",
	                             o.runner_name, o.service_name, o.practitioner_name, at, r->app->cfg->public_url,
	                             (long long)o.id);
	if (!body || rc_outbox_add(db, o.runner_email, "A time came free for you", body, r->now))
		rc_error("waitlist: could not queue offer %lld", (long long)offer_id);
}

void rc_waitlist_freed(rc_req *r, int64_t pid, int64_t sid, int64_t start, int minutes)
{
	struct offer_tx c = {pid, sid, start, 0, 0, r->now, minutes};
	if (start <= r->now)
		return;
	if (rc_db_tx(rc_req_db(r), offer_tx, &c))
		rc_error("waitlist: offering a freed time failed: %s", rc_db_errmsg(rc_req_db(r)));
	else if (c.offer_id)
		mail_offer(r, c.offer_id);
	rc_waitlist_sweep(r);
}

void rc_waitlist_sweep(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	int64_t ids[RC_SWEEP_MAX];
	int n = 0;
	if (rc_offers_expired(db, r->now, ids, RC_SWEEP_MAX, &n))
		return;
	for (int i = 0; i < n; i++) {
		rc_offer o;
		bool found = false;
		if (rc_offer_get(db, ids[i], &o, &found) || !found)
			continue;
		struct offer_tx c = {o.practitioner_id, o.service_id, o.starts_at, o.id, 0, r->now, o.minutes};
		if (o.starts_at <= r->now) {
			bool was_open;
			if (rc_offer_close(db, o.id, "expired", &was_open))
				rc_error("waitlist: could not expire offer %lld", (long long)o.id);
			continue;
		}
		if (rc_db_tx(db, offer_tx, &c))
			rc_error("waitlist: passing on offer %lld failed", (long long)o.id);
		else if (c.offer_id)
			mail_offer(r, c.offer_id);
	}
}

/* --- pages ------------------------------------------------------------------------------------ */

struct list {
	rc_req *r;
	size_t n;
	bool staff;
};

static void row(void *arg, const rc_wait_entry *w)
{
	struct list *c = arg;
	rc_buf *b = &c->r->out;
	c->n++;
	rc_html_lit(b, "<tr>");
	if (c->staff) {
		rc_html_lit(b, "<td>");
		rc_html_text(b, w->urgency);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, w->runner_name);
		rc_html_lit(b, "</td>");
	}
	rc_html_lit(b, "<td>");
	rc_html_text(b, w->service_name);
	rc_html_lit(b, "</td><td>");
	when(b, w->window_start);
	rc_html_lit(b, " – ");
	when(b, w->window_end);
	rc_html_lit(b, "</td><td>");
	if (w->offer_id) {
		if (!c->staff) {
			rc_html_lit(b, "<a href=\"/waitlist/offers/");
			rc_html_printf(b, "%lld", (long long)w->offer_id);
			rc_html_lit(b, "\">Offered: ");
			when(b, w->offer_start);
			rc_html_lit(b, "</a>");
		} else {
			rc_html_lit(b, "offered ");
			when(b, w->offer_start);
		}
	} else {
		rc_html_lit(b, "waiting");
	}
	rc_html_lit(b, "</td><td>");
	char action[64];
	snprintf(action, sizeof action, "/waitlist/%lld/cancel", (long long)w->id);
	rc_form_button(c->r, action, "Leave the waitlist");
	rc_html_lit(b, "</td></tr>\n");
}

static void waitlist_page(rc_req *r, const char *notice, const char *error)
{
	rc_db *db = rc_req_db(r);
	bool staff = rc_role_is_staff(r->user.role);
	rc_waitlist_sweep(r);
	rc_buf *b = &r->out;
	rc_page_begin(r, "Waitlist", staff ? "schedule" : "book");
	rc_html_lit(b, "<h1>Waitlist</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (error)
		rc_page_alert(r, error);
	rc_html_lit(b, "<p>When nothing fits, wait for a time: when one comes free it is offered first to the most "
	               "urgent, then to whoever has waited longest, and held for you for two hours.</p>\n");
	rc_html_lit(b, "<div class=\"table-scroll\"><table class=\"list\"><thead><tr>");
	if (staff)
		rc_html_lit(b, "<th scope=\"col\">Urgency</th><th scope=\"col\">Runner</th>");
	rc_html_lit(b, "<th scope=\"col\">Service</th><th scope=\"col\">Between</th><th scope=\"col\">Status</th>"
	               "<th scope=\"col\"></th></tr></thead><tbody>\n");
	struct list c = {r, 0, staff};
	if (rc_waitlist_list(db, staff ? 0 : r->user.id, row, &c)) {
		rc_page_error(r, 503, "The waitlist could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (!c.n)
		rc_html_lit(b, "<p>Nobody is waiting.</p>\n");
	rc_html_lit(b, "<h2>Join the waitlist</h2>\n");
	rc_form_open(r, "/waitlist");
	rc_service sv[RC_BOOKING_MAX_SERVICES];
	size_t ns = 0;
	if (rc_services_list(db, sv, RC_BOOKING_MAX_SERVICES, &ns))
		ns = 0;
	rc_html_lit(b, "<p><label for=\"f-service\">Service</label><select id=\"f-service\" name=\"service\">");
	for (size_t i = 0; i < ns; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_text(b, sv[i].key);
		rc_html_lit(b, "\">");
		rc_html_text(b, sv[i].name);
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select></p>\n");
	rc_form_input(r, "from", "From (date)", "date", rc_req_form(r, "from"), NULL, "off");
	rc_form_input(r, "to", "To (date)", "date", rc_req_form(r, "to"), NULL, "off");
	rc_condition_select(r, rc_req_form(r, "condition"));
	if (staff) {
		rc_form_input(r, "runner", "Runner's email", "email", rc_req_form(r, "runner"), NULL, "off");
		rc_html_lit(b, "<p><label for=\"f-urgency\">Urgency (from the self-check)</label><select id=\"f-urgency\" "
		               "name=\"urgency\">");
		for (size_t i = 0; i < 4; i++) {
			rc_html_lit(b, "<option value=\"");
			rc_html_text(b, urgencies[i]);
			rc_html_lit(b, "\">");
			rc_html_text(b, urgencies[i]);
			rc_html_lit(b, "</option>");
		}
		rc_html_lit(b, "</select></p>\n");
	}
	rc_form_close(r, "Join");
	rc_page_end(r);
}

void rc_page_waitlist(rc_req *r)
{
	waitlist_page(r, NULL, NULL);
}

void rc_page_waitlist_join(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	rc_service sv;
	bool found = false;
	int y1, m1, d1, y2, m2, d2;
	const char *condition = rc_req_form(r, "condition"), *urgency = "soon";
	const char *err = NULL;
	int64_t runner = r->user.id;
	if (!rc_req_form(r, "service") || rc_service_by_key(db, rc_req_form(r, "service"), &sv, &found) || !found)
		err = "Choose a service.";
	else if (!rc_date_parse(rc_req_form(r, "from"), &y1, &m1, &d1))
		err = "'From' must be a date, e.g. 2026-12-01.";
	else if (!rc_date_parse(rc_req_form(r, "to"), &y2, &m2, &d2))
		err = "'To' must be a date, e.g. 2026-12-14.";
	else if (condition && !rc_condition_known(r, condition))
		err = "'What it is about' must be one of the listed choices.";
	int64_t start = err ? 0 : rc_tz_day_start(y1, m1, d1), end = err ? 0 : rc_tz_day_start(y2, m2, d2 + 1);
	if (!err && (end <= start || end < r->now || end - start > (int64_t)RC_WAIT_MAX_DAYS * 86400))
		err = "'To' must be on or after 'From', not in the past, and at most 60 days later.";
	if (!err && rc_role_is_staff(r->user.role)) {
		/* The front desk adds a runner, with the urgency their self-check gave. */
		char email[RC_EMAIL_MAX + 1];
		rc_account a;
		bool af = false;
		urgency = rc_req_form(r, "urgency");
		bool known = false;
		for (size_t i = 0; urgency && i < 4; i++)
			known |= strcmp(urgency, urgencies[i]) == 0;
		if (!known)
			err = "'Urgency' must be emergency, urgent, soon or self_care.";
		else if (!rc_clean_email(rc_req_form(r, "runner"), email) || rc_account_by_email(db, email, &a, &af) || !af ||
		         a.role != RC_ROLE_RUNNER)
			err = "'Runner's email' names no runner's account.";
		else
			runner = a.id;
	}
	if (err) {
		r->status = 400;
		waitlist_page(r, NULL, err);
		return;
	}
	if (!rc_role_is_staff(r->user.role)) {
		/* A runner's place follows their latest self-check: the most urgent are offered times first. */
		char latest[16], top[64];
		if (!rc_selfcheck_latest(db, runner, latest, sizeof latest, top, sizeof top) && latest[0])
			urgency = rc_arena_strdup(&r->arena, latest);
	}
	int64_t id;
	if (rc_waitlist_join(db, runner, sv.id, 0, start, end, urgency, condition ? condition : "other", r->now,
	                     &id)) {
		rc_page_error(r, 503, "Could not join the waitlist; try again in a moment.");
		return;
	}
	rc_req_audit(r, "waitlist.join", runner, sv.key);
	waitlist_page(r, "You are on the waitlist. We will mail you when a time comes free.", NULL);
}

void rc_page_waitlist_cancel(rc_req *r)
{
	rc_err e = rc_waitlist_cancel(rc_req_db(r), num(r->params[0]));
	if (e && e != RC_ENOTFOUND) {
		rc_page_error(r, 503, "Could not save; try again in a moment.");
		return;
	}
	waitlist_page(r, e ? "That entry was no longer waiting." : "You have left the waitlist.", NULL);
}

static void offer_page(rc_req *r, const rc_offer *o, const char *notice, const char *error)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "A time came free", "book");
	rc_html_lit(b, "<h1>A time came free</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (error)
		rc_page_alert(r, error);
	rc_html_lit(b, "<dl class=\"facts\"><dt>What</dt><dd>");
	rc_html_text(b, o->service_name);
	rc_html_lit(b, "</dd><dt>With</dt><dd>");
	rc_html_text(b, o->practitioner_name);
	rc_html_lit(b, "</dd><dt>When</dt><dd>");
	when(b, o->starts_at);
	rc_html_lit(b, "</dd><dt>Held for you until</dt><dd>");
	when(b, o->expires_at);
	rc_html_lit(b, "</dd></dl>\n");
	if (strcmp(o->status, "open") == 0 && o->expires_at > r->now) {
		char action[64];
		snprintf(action, sizeof action, "/waitlist/offers/%lld/accept", (long long)o->id);
		rc_form_button(r, action, "Book this time");
		rc_html_lit(b, " ");
		snprintf(action, sizeof action, "/waitlist/offers/%lld/decline", (long long)o->id);
		rc_form_button(r, action, "No, thank you");
	} else if (!notice) {
		rc_html_lit(b, "<p>This offer is no longer open.</p>\n");
	}
	rc_html_lit(b, "<p><a href=\"/waitlist\">Waitlist</a></p>\n");
	rc_page_end(r);
}

static bool load_offer(rc_req *r, rc_offer *o)
{
	bool found = false;
	rc_waitlist_sweep(r);
	if (rc_offer_get(rc_req_db(r), num(r->params[0]), o, &found) || !found) {
		rc_page_error(r, 404, "There is no page at this address.");
		return false;
	}
	return true;
}

void rc_page_offer(rc_req *r)
{
	rc_offer o;
	if (load_offer(r, &o))
		offer_page(r, &o, NULL, NULL);
}

struct accept {
	rc_offer *o;
	int64_t by, id, now;
	bool open, existing, taken;
};

static rc_err accept_tx(rc_db *db, void *arg)
{
	struct accept *c = arg;
	rc_offer *o = c->o;
	c->taken = false;
	rc_err e = rc_offer_close(db, o->id, "accepted", &c->open);
	if (e || !c->open)
		return e;
	e = rc_appointment_book(db, o->runner_id, o->practitioner_id, o->service_id, o->starts_at,
	                        o->starts_at + (int64_t)o->minutes * 60, c->by, NULL, "from the waitlist", NULL,
	                        c->now, &c->id, &c->existing);
	if (e == RC_ECONFLICT) {
		c->taken = true;
		return e;
	}
	return e ? e : rc_waitlist_booked(db, o->waitlist_id, c->id);
}

static rc_err gone_tx(rc_db *db, void *arg)
{
	bool was_open;
	return rc_offer_close(db, *(int64_t *)arg, "gone", &was_open);
}

void rc_page_offer_accept(rc_req *r)
{
	rc_offer o;
	if (!load_offer(r, &o))
		return;
	if (strcmp(o.status, "open") != 0 || o.expires_at <= r->now) {
		r->status = 409;
		offer_page(r, &o, NULL, "This offer is no longer open.");
		return;
	}
	struct accept c = {&o, r->user.id, 0, r->now, false, false, false};
	rc_err e = rc_db_tx(rc_req_db(r), accept_tx, &c);
	if (c.taken) {
		if (rc_db_tx(rc_req_db(r), gone_tx, &o.id))
			rc_error("waitlist: could not close offer %lld", (long long)o.id);
		r->status = 409;
		offer_page(r, &o, NULL, "Sorry: someone booked this time a moment ago. You keep your place on the waitlist.");
		return;
	}
	if (e || !c.open) {
		r->status = e ? 503 : 409;
		offer_page(r, &o, NULL, e ? "Could not book; try again in a moment." : "This offer is no longer open.");
		return;
	}
	rc_req_audit(r, "waitlist.accept", o.runner_id, o.service_key);
	char *loc = rc_arena_printf(&r->arena, "/appointments/%lld", (long long)c.id);
	rc_req_redirect(r, loc ? loc : "/appointments");
}

void rc_page_offer_decline(rc_req *r)
{
	rc_offer o;
	if (!load_offer(r, &o))
		return;
	struct offer_tx c = {o.practitioner_id, o.service_id, o.starts_at, 0, 0, r->now, o.minutes};
	bool was_open = false;
	if (rc_offer_close(rc_req_db(r), o.id, "declined", &was_open)) {
		rc_page_error(r, 503, "Could not save; try again in a moment.");
		return;
	}
	if (was_open) {
		/* Straight on to the next runner waiting. */
		if (rc_db_tx(rc_req_db(r), offer_tx, &c))
			rc_error("waitlist: passing on a declined offer failed");
		else if (c.offer_id)
			mail_offer(r, c.offer_id);
	}
	if (!rc_offer_get(rc_req_db(r), o.id, &o, &was_open))
		offer_page(r, &o, "Declined. You stay on the waitlist for another time.", NULL);
	else
		rc_page_error(r, 503, "Declined, but the page could not be shown.");
}
