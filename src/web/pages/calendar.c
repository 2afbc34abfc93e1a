/* calendar.c — a runner's private calendar feed of appointments (RFC 5545), behind a revocable token
 * in the address. The feed names the clinic and the service, never a diagnosis. */
#include <stdio.h>
#include <string.h>

#include "base/time.h"
#include "formats/ical.h"
#include "store/booking.h"
#include "store/outbox.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

static void calendar_page(rc_req *r, const char *url, const char *notice)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "Calendar", "account");
	rc_html_lit(b, "<h1>Your appointments in your calendar</h1>\n<p>Add a private link to your phone's or computer's "
	               "calendar and your visits appear there, with a reminder the day before. The link shows the clinic "
	               "and the kind of visit, never what it is for. Anyone with the link can see your visit times: turn "
	               "it off here whenever you like.</p>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (url) {
		rc_html_lit(b, "<p>Your new link (shown once; copy it now):</p><p><code class=\"secret\">");
		rc_html_text(b, url);
		rc_html_lit(b, "</code></p>\n");
	}
	rc_form_button(r, "/account/calendar/new", "Make a new private link");
	rc_html_lit(b, " ");
	rc_form_button(r, "/account/calendar/revoke", "Turn the link off");
	rc_page_end(r);
}

void rc_page_calendar(rc_req *r)
{
	calendar_page(r, NULL, NULL);
}

void rc_page_calendar_new(rc_req *r)
{
	char token[RC_TOKEN_CHARS + 1], hash[RC_HEX_HASH + 1];
	rc_auth_token(token);
	rc_auth_token_hash(token, hash);
	rc_db *db = rc_req_db(r);
	if (rc_db_begin_write(db) || rc_feed_create(db, r->user.id, hash, r->now) || rc_db_commit(db)) {
		rc_db_rollback(db);
		rc_page_error(r, 503, "Could not make the link; try again in a moment.");
		return;
	}
	rc_req_audit(r, "calendar.new", r->user.id, "");
	char *url = rc_arena_printf(&r->arena, "%s/calendar/%s.ics", r->app->cfg->public_url, token);
	calendar_page(r, url, "A new link is made; any older one no longer works.");
}

void rc_page_calendar_revoke(rc_req *r)
{
	if (rc_feed_revoke(rc_req_db(r), r->user.id, r->now)) {
		rc_page_error(r, 503, "Could not turn the link off; try again in a moment.");
		return;
	}
	rc_req_audit(r, "calendar.revoke", r->user.id, "");
	calendar_page(r, NULL, "The link is turned off.");
}

struct feed {
	rc_buf *b;
	const rc_clinic *clinic;
};

static void add_event(void *ctx, const rc_appointment *a)
{
	struct feed *f = ctx;
	if (strcmp(a->status, "booked") != 0 && strcmp(a->status, "cancelled") != 0)
		return;
	char uid[96], summary[300], location[400];
	snprintf(uid, sizeof uid, "appointment-%lld@runcare", (long long)a->id);
	snprintf(summary, sizeof summary, "%s at %s", a->service_name, f->clinic->name);
	snprintf(location, sizeof location, "%s, %s, %s %s", f->clinic->street, f->clinic->city, f->clinic->region,
	         f->clinic->postal_code);
	rc_ical_event e = {uid, summary, location, strcmp(a->status, "cancelled") == 0 ? "CANCELLED" : "CONFIRMED",
	                   a->starts_at, a->ends_at, a->created_at, 24 * 60};
	rc_ical_event_add(f->b, &e);
}

void rc_page_calendar_feed(rc_req *r)
{
	const char *p = r->params[0];
	size_t n = strlen(p);
	char token[RC_TOKEN_CHARS + 1], hash[RC_HEX_HASH + 1];
	int64_t account = 0;
	bool found = false;
	if (n == RC_TOKEN_CHARS + 4 && strcmp(p + RC_TOKEN_CHARS, ".ics") == 0) {
		snprintf(token, sizeof token, "%.*s", RC_TOKEN_CHARS, p);
		rc_auth_token_hash(token, hash);
		if (rc_feed_lookup(rc_req_db(r), hash, &account, &found))
			found = false;
	}
	if (!found) {
		rc_page_error(r, 404, "There is no calendar at this address (the link may have been turned off).");
		return;
	}
	struct feed f = {&r->out, &r->app->content->clinic};
	rc_ical_begin(&r->out, r->app->content->clinic.name);
	if (rc_appointments_of_runner(rc_req_db(r), account, add_event, &f)) {
		rc_page_error(r, 503, "The calendar could not be read; try again later.");
		return;
	}
	rc_program_calendar(r, account, &r->out);
	rc_ical_end(&r->out);
	r->content_type = "text/calendar; charset=utf-8";
}
