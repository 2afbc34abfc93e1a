/* visit.c — what the booking pages share (see visit.h). */
#include "web/pages/visit.h"

#include <string.h>

#include "app/booking.h"
#include "base/log.h"
#include "base/time.h"
#include "app/visit_mail.h"
#include "domain/setup.h"
#include "web/html.h"
#include "web/layout.h"

rc_uc rc_visit_uc(rc_req *r)
{
	return (rc_uc){.db = rc_req_db(r), .now = r->now, .actor = &r->user, .address = r->remote, .arena = &r->arena};
}

unsigned rc_visit_status(rc_err e)
{
	switch (e) {
	case RC_OK: return 200;
	case RC_EINVAL: return 422;
	case RC_ECONFLICT: return 409;
	case RC_ENOTFOUND: return 404;
	default: return 503;
	}
}

void rc_visit_time(rc_buf *b, int64_t t, bool with_date)
{
	rc_html_time(b, t, with_date ? "%a %e %b %Y, %H:%M" : "%H:%M");
}

void rc_visit_day_label(int64_t day, const char *fmt, char *out, size_t n)
{
	/* Noon is inside the day whatever the clock change does. */
	rc_tz_format(rc_tz_day_number_start(day) + 12 * 3600, fmt, out, n);
	char *w = out;
	for (const char *r = out; *r; r++)
		if (!(*r == ' ' && (w == out || w[-1] == ' '))) /* %e pads a one-digit day with a space */
			*w++ = *r;
	*w = '\0';
}

const char *rc_visit_status_label(const char *status)
{
	return strcmp(status, "no_show") == 0 ? "did not come" : status;
}

void rc_visit_money(rc_buf *b, int64_t cents)
{
	char s[40];
	rc_price_format(cents, s, sizeof s);
	rc_html_text(b, s);
}

const rc_vchoice *rc_visit_conditions(rc_req *r, size_t *n)
{
	const rc_clinic *c = &r->app->content->clinic;
	rc_vchoice *v = rc_arena_alloc(&r->arena, sizeof *v * (c->ntreats + 1));
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < c->ntreats; i++)
		v[(*n)++] = (rc_vchoice){c->treats[i].key, c->treats[i].name};
	v[(*n)++] = (rc_vchoice){"other", "Something else"};
	return v;
}

rc_visit_ctx rc_visit_ctx_of(rc_req *r)
{
	return (rc_visit_ctx){&r->app->content->clinic, r->app->cfg->public_url};
}

void rc_visit_unavailable(rc_req *r, const rc_service *sv, int64_t start, int64_t move, const char *why)
{
	rc_uc uc = rc_visit_uc(r);
	rc_free_slot *slots = rc_arena_alloc(&r->arena, sizeof *slots * RC_VISIT_ALTERNATIVE_DAYS * RC_SLOTS_MAX_PER_DAY);
	rc_booking_free_out out = {slots, 0, slots ? RC_VISIT_ALTERNATIVE_DAYS * RC_SLOTS_MAX_PER_DAY : 0, 0};
	/* From the time asked for; past the horizon, from now. */
	int64_t from = start < rc_booking_horizon_end(r->now) ? start : r->now;
	rc_booking_free_in in = {.service = sv, .first_day = rc_tz_day_number(from), .days = RC_VISIT_ALTERNATIVE_DAYS,
	                         .from = from, .each_time_once = true};
	rc_problem p;
	if (rc_app_booking_free(&uc, &in, &out, &p))
		out.n = 0;
	rc_buf *b = &r->out;
	unsigned status = r->status;
	rc_buf_reset(b);
	r->status = status;
	rc_page_begin(r, "That time is not available", "book");
	rc_html_lit(b, "<h1>That time is not available</h1>\n");
	rc_page_alert(r, why);
	rc_html_lit(b, "<h2>The nearest free times</h2>\n<ul class=\"slots\">");
	for (size_t i = 0; i < out.n && i < RC_VISIT_ALTERNATIVES; i++) {
		rc_html_lit(b, "<li><a class=\"slot\" href=\"/book/");
		rc_html_url_arg(b, sv->key);
		rc_html_printf(b, "/confirm?start=%lld&practitioner=%lld", (long long)out.slots[i].start,
		               (long long)out.slots[i].practitioner);
		if (move)
			rc_html_printf(b, "&move=%lld", (long long)move);
		rc_html_lit(b, "\">");
		rc_visit_time(b, out.slots[i].start, true);
		rc_html_lit(b, "</a></li>");
	}
	if (!out.n)
		rc_html_lit(b, "<li>None in the next two weeks: ask the front desk about the waitlist.</li>");
	rc_html_lit(b, "</ul>\n<p><a href=\"/book/");
	rc_html_url_arg(b, sv->key);
	if (move)
		rc_html_printf(b, "?move=%lld", (long long)move);
	rc_html_lit(b, "\">All free times</a></p>\n");
	rc_page_end(r);
}
