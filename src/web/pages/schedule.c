/* schedule.c — the front desk's schedule: one clinic day or week, for everyone or one practitioner. */
#include <stdint.h>
#include <string.h>

#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"
#include "web/valid.h"

enum { S_DATE, S_VIEW, S_PRACTITIONER, S_N };
static const rc_vchoice views[] = {{"day", "Day"}, {"week", "Week"}};
static const rc_vfield schedule_query[S_N] = {
	[S_DATE] = {"date", "Date", RC_V_DATE, .required = false},
	[S_VIEW] = {"view", "View", RC_V_ENUM, .choices = views, .nchoices = 2},
	[S_PRACTITIONER] = {"practitioner", "Practitioner", RC_V_INT, .min = 1, .max = INT64_MAX},
};

struct list_ctx {
	rc_req *r;
	size_t n;
};

static void schedule_row(void *arg, const rc_appointment *a)
{
	struct list_ctx *c = arg;
	rc_buf *b = &c->r->out;
	c->n++;
	rc_html_lit(b, "<tr><td>");
	rc_visit_time(b, a->starts_at, true);
	rc_html_lit(b, "</td><td><a href=\"/appointments/");
	rc_html_printf(b, "%lld", (long long)a->id);
	rc_html_lit(b, "\">");
	rc_html_text(b, a->service_name);
	rc_html_lit(b, "</a></td><td>");
	rc_html_text(b, a->runner_name);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, rc_visit_status_label(a->status));
	rc_html_lit(b, "</td></tr>\n");
}

/* A link to the schedule of another day, in the same view. */
static void day_link(rc_buf *b, int64_t day, bool week, const char *text)
{
	char iso[11];
	rc_day_name(day, iso);
	rc_html_lit(b, "<a href=\"/schedule?date=");
	rc_html_url_arg(b, iso);
	if (week)
		rc_html_lit(b, "&amp;view=week");
	rc_html_lit(b, "\">");
	rc_html_text(b, text);
	rc_html_lit(b, "</a>");
}

void rc_page_schedule(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	rc_vvalue q[S_N];
	if (rc_valid_form(&r->arena, &r->query, schedule_query, S_N, q)) {
		rc_page_error(r, 422, q[rc_valid_first_error(q, S_N)].error);
		return;
	}
	bool week = q[S_VIEW].set && strcmp(q[S_VIEW].text, "week") == 0;
	int64_t day = q[S_DATE].set ? q[S_DATE].num : rc_tz_day_number(r->now);
	if (week)
		day -= ((day % 7) + 7 + 3) % 7; /* back to Monday: day 0, 1 January 1970, was a Thursday */
	int64_t ds = rc_tz_day_number_start(day), de = rc_tz_day_number_start(day + (week ? 7 : 1));
	int64_t pid = q[S_PRACTITIONER].set ? q[S_PRACTITIONER].num : 0;
	rc_buf *b = &r->out;
	rc_page_begin(r, week ? "Week" : "Day", "schedule");
	char label[64], iso[11];
	rc_visit_day_label(day, week ? "Week of %A %e %B %Y" : "%A %e %B %Y", label, sizeof label);
	rc_day_name(day, iso);
	rc_html_lit(b, "<h1>");
	rc_html_text(b, label);
	rc_html_lit(b, "</h1>\n<p>");
	day_link(b, day - (week ? 7 : 1), week, week ? "← Previous week" : "← Previous day");
	rc_html_lit(b, " ");
	day_link(b, day + (week ? 7 : 1), week, week ? "Next week →" : "Next day →");
	rc_html_lit(b, " · ");
	day_link(b, day, !week, week ? "Day view" : "Week view");
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
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr><th scope=\"col\">When</th>"
	               "<th scope=\"col\">What</th><th scope=\"col\">Runner</th><th scope=\"col\">Status</th>"
	               "</tr></thead><tbody>\n");
	struct list_ctx c = {r, 0};
	if (rc_appointments_between(db, pid, ds, de, schedule_row, &c)) {
		rc_page_error(r, 503, "The schedule could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (!c.n)
		rc_html_lit(b, "<p>Nothing booked.</p>\n");
	rc_page_end(r);
}
