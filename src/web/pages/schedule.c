/* schedule.c — the front desk's calendar: a day with one column per practitioner (the signed-in staff
 * member's own first), a week of one practitioner with one column per day, or a week of everyone as a
 * table. Visits sit at their time and length; every free quarter hour is a link that books into it (or,
 * while a visit is being moved, moves it there). No script: CSS grid, links and forms. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/grid.h"
#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"
#include "web/valid.h"

enum {
	GRID_ROWS_MAX = 100, /* quarter hours a column shows at most: the stylesheet has a class for each */
	GRID_SPAN_MAX = 32,  /* quarter hours a visit covers at most (8 hours, the longest service) */
	GRID_DEFAULT_FROM = 8 * 4, GRID_DEFAULT_TO = 18 * 4, /* an empty day shows 08:00–18:00 */
};

enum { S_DATE, S_VIEW, S_PRACTITIONER, S_CANCELLED, S_MOVE, S_BOOKED, S_MOVED, S_N };
static const rc_vchoice views[] = {{"day", "Day"}, {"week", "Week"}};
static const rc_vchoice yes[] = {{"1", "Yes"}};
static const rc_vfield schedule_query[S_N] = {
	[S_DATE] = {"date", "Date", RC_V_DATE, .required = false},
	[S_VIEW] = {"view", "View", RC_V_ENUM, .choices = views, .nchoices = 2},
	[S_PRACTITIONER] = {"practitioner", "Practitioner", RC_V_INT, .min = 1, .max = INT64_MAX},
	[S_CANCELLED] = {"cancelled", "Show cancelled visits", RC_V_ENUM, .choices = yes, .nchoices = 1},
	[S_MOVE] = {"move", "The visit to move", RC_V_INT, .min = 1, .max = INT64_MAX},
	[S_BOOKED] = {"booked", "The visit booked", RC_V_INT, .min = 1, .max = INT64_MAX},
	[S_MOVED] = {"moved", "The visit moved", RC_V_INT, .min = 1, .max = INT64_MAX},
};

/* What the page is showing, so every link keeps the rest of it. */
struct view {
	rc_req *r;
	int64_t day;          /* the day, or the week's Monday */
	bool week, cancelled;
	int64_t practitioner; /* 0: everyone */
	const rc_appointment *moving; /* the visit being moved, or NULL */
	int64_t highlight;    /* the visit just booked or moved */
	bool wall;            /* rows by wall-clock time (the week's days side by side), else by instant */
};

/* /schedule?date=…&view=…: this view with some of it changed. */
static void view_href(rc_buf *b, const struct view *v, int64_t day, bool week, int64_t practitioner, bool cancelled)
{
	char iso[11];
	rc_day_name(day, iso);
	rc_html_lit(b, "/schedule?date=");
	rc_html_url_arg(b, iso);
	if (week)
		rc_html_lit(b, "&amp;view=week");
	if (practitioner)
		rc_html_printf(b, "&practitioner=%lld", (long long)practitioner);
	if (cancelled)
		rc_html_lit(b, "&amp;cancelled=1");
	if (v->moving)
		rc_html_printf(b, "&move=%lld", (long long)v->moving->id);
}

static void view_link(rc_buf *b, const struct view *v, int64_t day, bool week, int64_t practitioner, bool cancelled,
                      const char *rel, const char *text)
{
	rc_html_lit(b, "<a ");
	if (rel) {
		rc_html_lit(b, "rel=\"");
		rc_html_text(b, rel);
		rc_html_lit(b, "\" ");
	}
	rc_html_lit(b, "href=\"");
	view_href(b, v, day, week, practitioner, cancelled);
	rc_html_lit(b, "\">");
	rc_html_text(b, text);
	rc_html_lit(b, "</a>");
}

/* `<tag class="cls rN"` (the caller closes the tag): an element on row N of its column. */
static void open_row(rc_buf *b, const char *tag, const char *cls, int row)
{
	rc_html_lit(b, "<");
	rc_html_text(b, tag);
	rc_html_lit(b, " class=\"");
	rc_html_text(b, cls);
	rc_html_printf(b, " r%d", row);
	rc_html_lit(b, "\"");
}

/* "09:00" in the clinic's zone. */
static void hhmm(int64_t t, char out[8])
{
	rc_tz_format(t, "%H:%M", out, 8);
}

/* --- a visit and a free quarter hour ------------------------------------------------------------- */

static const char *status_class(const char *status)
{
	return strcmp(status, "arrived") == 0 ? "arrived" : strcmp(status, "no_show") == 0 ? "no-show"
	       : strcmp(status, "cancelled") == 0 ? "cancelled" : "booked";
}

static const char *status_words(const char *status)
{
	return strcmp(status, "arrived") == 0 ? "Arrived" : strcmp(status, "no_show") == 0 ? "Did not come"
	       : strcmp(status, "cancelled") == 0 ? "Cancelled" : NULL;
}

/* The row of t in column c (1 is the first row shown): by quarter hours since the day began, or by
 * wall-clock quarter hour when days stand side by side. */
static int row_key(const struct view *v, const rc_grid_column *c, int64_t t)
{
	if (!v->wall)
		return (int)((t - c->start) / RC_UNIT_S);
	struct tm tm;
	rc_tz_local(t, &tm);
	return tm.tm_hour * 4 + tm.tm_min / 15;
}

static void visit_block(rc_buf *b, const struct view *v, const rc_grid_column *c, const rc_appointment *a, int row,
                        int span)
{
	char from[8], to[8];
	hhmm(a->starts_at, from);
	hhmm(a->ends_at, to);
	rc_html_lit(b, "<a class=\"visit ");
	rc_html_text(b, status_class(a->status));
	if (a->id == v->highlight)
		rc_html_lit(b, " new");
	if (v->moving && a->id == v->moving->id)
		rc_html_lit(b, " moving");
	rc_html_printf(b, " r%d s%d", row, span);
	rc_html_lit(b, "\" href=\"/appointments/");
	rc_html_printf(b, "%lld", (long long)a->id);
	rc_html_lit(b, "\"><span class=\"who\">");
	rc_html_text(b, a->runner_name);
	rc_html_lit(b, "</span> <span class=\"what\">");
	rc_html_text(b, a->service_name);
	rc_html_lit(b, "</span> <span class=\"when\">");
	rc_html_text(b, from);
	rc_html_lit(b, "–");
	rc_html_text(b, to);
	rc_html_lit(b, "</span> <span class=\"with\">with ");
	rc_html_text(b, c->practitioner->name);
	rc_html_lit(b, "</span>");
	const char *st = status_words(a->status);
	if (st) {
		rc_html_lit(b, " <span class=\"status\">");
		rc_html_text(b, st);
		rc_html_lit(b, "</span>");
	}
	if (a->series_id)
		rc_html_lit(b, " <span class=\"series\">(recurring)</span>");
	rc_html_lit(b, "</a>");
}

/* A free quarter hour: a link that books a visit starting then, or moves the visit being moved there. */
static void free_cell(rc_buf *b, const struct view *v, const rc_grid_column *c, int64_t t, int row)
{
	char at[8];
	hhmm(t, at);
	open_row(b, "a", "cell free", row);
	rc_html_lit(b, " href=\"");
	if (v->moving)
		rc_html_printf(b, "/schedule/move/%lld?practitioner=%lld&start=%lld", (long long)v->moving->id,
		               (long long)c->practitioner->id, (long long)t);
	else
		rc_html_printf(b, "/schedule/book?practitioner=%lld&start=%lld", (long long)c->practitioner->id, (long long)t);
	rc_html_lit(b, "\"><span class=\"visually-hidden\">");
	rc_html_text(b, v->moving ? "Move to " : "Book ");
	if (v->wall) {
		char day[32];
		rc_tz_format(t, "%a %e %b ", day, sizeof day);
		rc_html_text(b, day);
	}
	rc_html_text(b, at);
	rc_html_lit(b, " with ");
	rc_html_text(b, c->practitioner->name);
	rc_html_lit(b, "</span><span class=\"show\" aria-hidden=\"true\">+ ");
	rc_html_text(b, at);
	rc_html_lit(b, "</span></a>");
}

/* --- a column --------------------------------------------------------------------------------------- */

/* The rows [*from, *to) the grid shows: from the first hour anything happens to the end of the last. */
static void rows_shown(const struct view *v, const rc_grid *g, int *from, int *to)
{
	int lo = INT32_MAX, hi = -1;
	for (size_t i = 0; i < g->ncolumns; i++) {
		const rc_grid_column *c = &g->columns[i];
		for (size_t u = 0; u < c->nunits; u++)
			if (c->cells[u] != RC_CELL_CLOSED) {
				int k = row_key(v, c, c->start + (int64_t)u * RC_UNIT_S);
				lo = k < lo ? k : lo;
				hi = k > hi ? k : hi;
			}
		for (size_t k = 0; k < c->nvisits; k++) {
			int s = row_key(v, c, c->visits[k]->starts_at);
			int e = s + (int)((c->visits[k]->ends_at - c->visits[k]->starts_at + RC_UNIT_S - 1) / RC_UNIT_S) - 1;
			lo = s < lo ? s : lo;
			hi = e > hi ? e : hi;
		}
	}
	if (hi < 0 && g->ncolumns) { /* nobody works: the usual hours, by the clock of that day */
		const rc_grid_column *c = &g->columns[0];
		char ymd[11], at[24];
		int64_t t;
		rc_day_name(c->day, ymd);
		snprintf(at, sizeof at, "%sT%02d:00", ymd, GRID_DEFAULT_FROM / 4);
		lo = rc_tz_parse_local(at, &t) ? row_key(v, c, t) : GRID_DEFAULT_FROM;
		snprintf(at, sizeof at, "%sT%02d:00", ymd, GRID_DEFAULT_TO / 4);
		hi = (rc_tz_parse_local(at, &t) ? row_key(v, c, t) : GRID_DEFAULT_TO) - 1;
	}
	*from = lo - lo % 4;               /* whole hours */
	*to = hi + 1 + (4 - (hi + 1) % 4) % 4;
	if (*to - *from > GRID_ROWS_MAX)
		*to = *from + GRID_ROWS_MAX;
}

static void column(rc_buf *b, const struct view *v, const rc_grid_column *c, int from, int to, const char *head,
                   int64_t head_day, size_t index)
{
	rc_html_lit(b, "<section class=\"cal-col");
	if (c->own)
		rc_html_lit(b, " own");
	rc_html_lit(b, "\" aria-labelledby=\"col-");
	rc_html_printf(b, "%zu", index);
	rc_html_lit(b, "\"><h2 class=\"cal-head\" id=\"col-");
	rc_html_printf(b, "%zu", index);
	rc_html_lit(b, "\">");
	if (head_day >= 0)
		view_link(b, v, head_day, false, 0, v->cancelled, NULL, head);
	else
		rc_html_text(b, head);
	if (c->own)
		rc_html_lit(b, " <span class=\"you\">(you)</span>");
	rc_html_lit(b, "</h2><div class=\"cal-body\">");
	/* In time order, so Tab goes down the column: each quarter hour, and each visit where it begins. */
	size_t next = 0;
	for (size_t u = 0; u < c->nunits; u++) {
		int64_t t = c->start + (int64_t)u * RC_UNIT_S;
		for (; next < c->nvisits && c->visits[next]->starts_at < t + RC_UNIT_S; next++) {
			const rc_appointment *a = c->visits[next];
			int row = row_key(v, c, a->starts_at) - from + 1;
			int span = (int)((a->ends_at - a->starts_at + RC_UNIT_S - 1) / RC_UNIT_S);
			if (row < 1 || row > to - from)
				continue;
			if (span > to - from - row + 1)
				span = to - from - row + 1;
			visit_block(b, v, c, a, row, span < 1 ? 1 : span > GRID_SPAN_MAX ? GRID_SPAN_MAX : span);
		}
		int row = row_key(v, c, t) - from + 1;
		if (row < 1 || row > to - from)
			continue;
		rc_cell cell = (rc_cell)c->cells[u];
		if (cell == RC_CELL_FREE) {
			free_cell(b, v, c, t, row);
			continue;
		}
		open_row(b, "div", cell == RC_CELL_OPEN ? "cell open" : cell == RC_CELL_TAKEN ? "cell taken"
		                   : cell == RC_CELL_AWAY ? "cell away" : "cell closed", row);
		rc_html_lit(b, ">");
		/* Time off is named once, where it begins. */
		if (cell == RC_CELL_AWAY && (u == 0 || c->cells[u - 1] != RC_CELL_AWAY))
			rc_html_lit(b, "Time off");
		rc_html_lit(b, "</div>");
	}
	rc_html_lit(b, "</div></section>\n");
}

/* The hours down the side, for sighted readers (every link says its own time). */
static void gutter(rc_buf *b, const struct view *v, const rc_grid_column *c, int from, int to)
{
	rc_html_lit(b, "<div class=\"cal-times\" aria-hidden=\"true\"><div class=\"cal-head\"></div><div class=\"cal-body\">");
	for (int k = from; k < to; k++) {
		char at[16] = "";
		if (v->wall) {
			if (k % 4 == 0)
				snprintf(at, sizeof at, "%02d:00", (k / 4) % 24);
		} else {
			int64_t t = c->start + (int64_t)k * RC_UNIT_S;
			struct tm tm;
			rc_tz_local(t, &tm);
			if (tm.tm_min == 0)
				hhmm(t, at);
		}
		open_row(b, "div", "t", k - from + 1);
		rc_html_lit(b, ">");
		rc_html_text(b, at);
		rc_html_lit(b, "</div>");
	}
	rc_html_lit(b, "</div></div>\n");
}

static void time_grid(rc_req *r, const struct view *v, const rc_grid *g)
{
	rc_buf *b = &r->out;
	int from, to;
	rows_shown(v, g, &from, &to);
	/* The box scrolls sideways on a phone: it takes the focus itself, so a keyboard can scroll it even
	 * on a day with nothing to choose in it. */
	if (v->week)
		rc_html_lit(b, "<div class=\"cal-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"The week, day by day\">"
		               "<div class=\"cal days\">");
	else
		rc_html_lit(b, "<div class=\"cal-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"The day, practitioner by "
		               "practitioner\"><div class=\"cal\">");
	gutter(b, v, &g->columns[0], from, to);
	for (size_t i = 0; i < g->ncolumns; i++) {
		const rc_grid_column *c = &g->columns[i];
		if (v->week) {
			char label[40];
			rc_visit_day_label(c->day, "%a %e %b", label, sizeof label);
			column(b, v, c, from, to, label, c->day, i);
		} else {
			column(b, v, c, from, to, c->practitioner->name, -1, i);
		}
	}
	rc_html_lit(b, "</div></div>\n");
}

/* --- the week of everyone: practitioners down, days across -------------------------------------- */

static void week_table(rc_req *r, const struct view *v, const rc_grid *g)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<div class=\"table-scroll\"><table class=\"list week\"><caption class=\"visually-hidden\">"
	               "Visits by practitioner and day</caption><thead><tr><th scope=\"col\">Practitioner</th>");
	for (int d = 0; d < g->days; d++) {
		char label[40];
		rc_visit_day_label(v->day + d, "%a %e %b", label, sizeof label);
		rc_html_lit(b, "<th scope=\"col\">");
		view_link(b, v, v->day + d, false, 0, v->cancelled, NULL, label);
		rc_html_lit(b, "</th>");
	}
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < g->np; i++) {
		const rc_practitioner *pr = &g->practitioners[i];
		rc_html_lit(b, "<tr><th scope=\"row\">");
		view_link(b, v, v->day, true, pr->id, v->cancelled, NULL, pr->name);
		if (pr->id == g->own)
			rc_html_lit(b, " <span class=\"you\">(you)</span>");
		rc_html_lit(b, "</th>");
		for (int d = 0; d < g->days; d++) {
			const rc_grid_column *c = &g->columns[i * (size_t)g->days + (size_t)d];
			rc_html_lit(b, "<td>");
			if (c->nvisits) {
				rc_html_lit(b, "<ul class=\"wk-visits\">");
				for (size_t k = 0; k < c->nvisits; k++) {
					const rc_appointment *a = c->visits[k];
					char from[8];
					hhmm(a->starts_at, from);
					rc_html_lit(b, "<li><a class=\"");
					rc_html_text(b, status_class(a->status));
					rc_html_lit(b, "\" href=\"/appointments/");
					rc_html_printf(b, "%lld", (long long)a->id);
					rc_html_lit(b, "\">");
					rc_html_text(b, from);
					rc_html_lit(b, " ");
					rc_html_text(b, a->runner_name);
					rc_html_lit(b, " · ");
					rc_html_text(b, a->service_name);
					const char *st = status_words(a->status);
					if (st) {
						rc_html_lit(b, " (");
						rc_html_text(b, st);
						rc_html_lit(b, ")");
					}
					rc_html_lit(b, "</a></li>");
				}
				rc_html_lit(b, "</ul>");
			}
			if (c->free_minutes)
			{
				int h = c->free_minutes / 60, m = c->free_minutes % 60;
				rc_html_lit(b, "<span class=\"free\">");
				if (h && m)
					rc_html_printf(b, "%d h %d min free", h, m);
				else if (h)
					rc_html_printf(b, "%d h free", h);
				else
					rc_html_printf(b, "%d min free", m);
				rc_html_lit(b, "</span>");
			}
			rc_html_lit(b, "</td>");
		}
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
}

/* --- the page --------------------------------------------------------------------------------------- */

static void legend(rc_buf *b)
{
	rc_html_lit(b, "<ul class=\"cal-legend\" aria-label=\"What the colours mean\">"
	               "<li><div class=\"key free\"></div>Free: choose to book</li>"
	               "<li><div class=\"key booked\"></div>Booked</li><li><div class=\"key arrived\"></div>Arrived</li>"
	               "<li><div class=\"key no-show\"></div>Did not come</li>"
	               "<li><div class=\"key away\"></div>Time off</li><li><div class=\"key closed\"></div>Not working</li>"
	               "</ul>\n");
}

static void controls(rc_req *r, const struct view *v, const rc_grid *g, const rc_practitioner *all, size_t nall)
{
	rc_buf *b = &r->out;
	int64_t today = rc_tz_day_number(r->now);
	int step = v->week ? 7 : 1;
	rc_html_lit(b, "<nav class=\"cal-nav\" aria-label=\"Days\"><p>");
	view_link(b, v, v->day - step, v->week, v->practitioner, v->cancelled, "prev",
	          v->week ? "← Previous week" : "← Previous day");
	rc_html_lit(b, " ");
	view_link(b, v, today, v->week, v->practitioner, v->cancelled, NULL, "Today");
	rc_html_lit(b, " ");
	view_link(b, v, v->day + step, v->week, v->practitioner, v->cancelled, "next",
	          v->week ? "Next week →" : "Next day →");
	rc_html_lit(b, " · ");
	view_link(b, v, v->day, !v->week, v->practitioner, v->cancelled, NULL, v->week ? "Day view" : "Week view");
	rc_html_lit(b, " · ");
	if (v->cancelled) {
		view_link(b, v, v->day, v->week, v->practitioner, false, NULL, "Hide cancelled visits");
	} else {
		char *text = rc_arena_printf(&r->arena, "Show cancelled visits (%zu)", g->hidden_cancelled);
		view_link(b, v, v->day, v->week, v->practitioner, true, NULL, text ? text : "Show cancelled visits");
	}
	rc_html_lit(b, " · <a href=\"/waitlist\">Waitlist</a></p></nav>\n");

	/* Another day, one practitioner or everyone. */
	char iso[11];
	rc_day_name(v->day, iso);
	rc_html_lit(b, "<form class=\"inline-form cal-pick\" method=\"get\" action=\"/schedule\">"
	               "<p class=\"field\"><label for=\"f-date\">Date</label><input id=\"f-date\" name=\"date\" type=\"date\" "
	               "value=\"");
	rc_html_text(b, iso);
	rc_html_lit(b, "\"></p>");
	if (v->week)
		rc_html_lit(b, "<input type=\"hidden\" name=\"view\" value=\"week\">");
	if (v->cancelled)
		rc_html_lit(b, "<input type=\"hidden\" name=\"cancelled\" value=\"1\">");
	if (v->moving)
	{
		rc_html_lit(b, "<input type=\"hidden\" name=\"move\" value=\"");
		rc_html_printf(b, "%lld", (long long)v->moving->id);
		rc_html_lit(b, "\">");
	}
	rc_html_lit(b, "<p class=\"field\"><label for=\"f-practitioner\">Practitioner</label><select id=\"f-practitioner\" "
	               "name=\"practitioner\"><option value=\"\">Everyone</option>");
	for (size_t i = 0; i < nall; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_printf(b, "%lld", (long long)all[i].id);
		rc_html_lit(b, "\"");
		if (all[i].id == v->practitioner)
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, all[i].name);
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select></p><p class=\"field\"><button type=\"submit\">Show</button></p></form>\n");
}

/* A visit named in the address (?move=, ?booked=, ?moved=): NULL when there is none. */
static const rc_appointment *named_visit(rc_req *r, const rc_vvalue *q)
{
	if (!q->set)
		return NULL;
	rc_appointment *a = rc_arena_alloc(&r->arena, sizeof *a);
	bool found = false;
	if (!a || rc_appointment_get(rc_req_db(r), q->num, a, &found) || !found)
		return NULL;
	return a;
}

static void visit_sentence(rc_buf *b, const rc_appointment *a)
{
	rc_html_text(b, a->runner_name);
	rc_html_lit(b, ", ");
	rc_html_text(b, a->service_name);
	rc_html_lit(b, ", ");
	rc_visit_time(b, a->starts_at, true);
	rc_html_lit(b, " with ");
	rc_html_text(b, a->practitioner_name);
}

void rc_page_schedule(rc_req *r)
{
	rc_vvalue q[S_N];
	if (rc_valid_form(&r->arena, &r->query, schedule_query, S_N, q)) {
		rc_page_error(r, 422, q[rc_valid_first_error(q, S_N)].error);
		return;
	}
	struct view v = {.r = r, .week = q[S_VIEW].set && strcmp(q[S_VIEW].text, "week") == 0,
	                 .cancelled = q[S_CANCELLED].set, .practitioner = q[S_PRACTITIONER].set ? q[S_PRACTITIONER].num : 0};
	v.day = q[S_DATE].set ? q[S_DATE].num : rc_tz_day_number(r->now);
	if (v.week)
		v.day -= ((v.day % 7) + 7 + 3) % 7; /* back to Monday: day 0, 1 January 1970, was a Thursday */
	v.wall = v.week;
	v.moving = named_visit(r, &q[S_MOVE]);
	const rc_appointment *booked = named_visit(r, &q[S_BOOKED]), *moved = named_visit(r, &q[S_MOVED]);
	v.highlight = booked ? booked->id : moved ? moved->id : 0;

	rc_uc uc = rc_visit_uc(r);
	rc_grid_in in = {.first_day = v.day, .days = v.week ? 7 : 1, .practitioner = v.practitioner,
	                 .cancelled = v.cancelled};
	rc_grid g;
	rc_problem p = {0};
	rc_err e = rc_app_grid(&uc, &in, &g, &p);
	if (e) {
		rc_page_error(r, rc_visit_status(e), p.text);
		return;
	}

	rc_buf *b = &r->out;
	char label[64];
	rc_visit_day_label(v.day, v.week ? "Week of %A %e %B %Y" : "%A %e %B %Y", label, sizeof label);
	rc_page_begin(r, v.week ? "Week" : "Day", "schedule");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, label);
	rc_html_lit(b, "</h1>\n");
	if (booked) {
		rc_html_lit(b, "<p class=\"notice\" role=\"status\">Booked: ");
		visit_sentence(b, booked);
		rc_html_lit(b, ".</p>\n");
	}
	if (moved) {
		rc_html_lit(b, "<p class=\"notice\" role=\"status\">Moved: ");
		visit_sentence(b, moved);
		rc_html_lit(b, ".</p>\n");
	}
	if (v.moving) {
		rc_html_lit(b, "<p class=\"notice\">Moving ");
		visit_sentence(b, v.moving);
		rc_html_lit(b, ". Choose a free time below (another practitioner's column moves it to them), or <a href=\"/appointments/");
		rc_html_printf(b, "%lld", (long long)v.moving->id);
		rc_html_lit(b, "\">keep it where it is</a>.</p>\n");
	}
	controls(r, &v, &g, g.everyone, g.neveryone);
	if (!g.np) {
		rc_html_lit(b, "<p>No practitioners are set up yet: <a href=\"/admin/clinic\">clinic setup</a>.</p>\n");
		rc_page_end(r);
		return;
	}
	if (v.week && !v.practitioner)
		week_table(r, &v, &g);
	else
		time_grid(r, &v, &g);
	legend(b);
	size_t shown = 0;
	for (size_t i = 0; i < g.ncolumns; i++)
		shown += g.columns[i].nvisits;
	if (!shown)
		rc_html_lit(b, "<p>Nothing booked.</p>\n");
	rc_page_end(r);
}
