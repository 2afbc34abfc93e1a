/* reports.c — the clinic's reports for administrators: one page with a chart and a table for each
 * figure, and each table as a CSV download. Both draw what one use case (app/reports.c) returns, so a
 * download says exactly what the page says. */
#include <stdio.h>
#include <string.h>

#include "app/reports.h"
#include "domain/report.h"
#include "web/chart.h"
#include "web/csv.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/valid.h"

enum { Q_FROM, Q_TO, Q_BY, Q_N };
static const rc_vchoice groupings[] = {{"week", "Week"}, {"day", "Day"}};
static const rc_vfield report_query[Q_N] = {
	[Q_FROM] = {"from", "From", RC_V_DATE, .hint = "Write the first day as YYYY-MM-DD, for example 2026-12-01."},
	[Q_TO] = {"to", "To", RC_V_DATE, .hint = "Write the last day as YYYY-MM-DD, for example 2026-12-31."},
	[Q_BY] = {"by", "Visits per", RC_V_ENUM, .choices = groupings, .nchoices = 2},
};

/* The query checked, then the report; false when the answer (an error page, or the form again with
 * what was typed and the error beside its field) has been given. */
static bool load(rc_req *r, rc_vvalue q[Q_N], rc_report *rep, bool csv);

static void range_form(rc_req *r, const rc_vvalue q[Q_N], const rc_report *rep)
{
	rc_buf *b = &r->out;
	rc_vvalue shown[Q_N];
	memcpy(shown, q, sizeof shown);
	/* Without a range asked for, the form shows the one used. */
	if (rep && !shown[Q_FROM].raw)
		shown[Q_FROM].raw = rep->from;
	if (rep && !shown[Q_TO].raw)
		shown[Q_TO].raw = rep->to;
	rc_html_lit(b, "<form class=\"inline-form\" method=\"get\" action=\"/reports\">");
	for (int i = 0; i < Q_N; i++) {
		rc_html_lit(b, "<p>");
		rc_valid_control(b, &report_query[i], &shown[i]);
		rc_html_lit(b, "</p>");
	}
	rc_html_lit(b, "<p><button type=\"submit\">Show</button></p></form>\n");
}

/* The query part of a link to the same range. */
static void range_args(rc_buf *b, const rc_report *rep)
{
	rc_html_lit(b, "?from=");
	rc_html_url_arg(b, rep->from);
	rc_html_lit(b, "&amp;to=");
	rc_html_url_arg(b, rep->to);
	if (rep->daily)
		rc_html_lit(b, "&amp;by=day");
	else
		rc_html_lit(b, "&amp;by=week");
}

static void download(rc_buf *b, const rc_report *rep, const char *file, const char *what)
{
	rc_html_lit(b, "<a class=\"download\" href=\"/reports/");
	rc_html_text(b, file);
	rc_html_lit(b, ".csv");
	range_args(b, rep);
	rc_html_lit(b, "\" download>");
	rc_html_text(b, what);
	rc_html_lit(b, " (CSV)</a>");
}

static void dec1(rc_buf *b, double v, const char *unit)
{
	if (v < 0) {
		rc_html_lit(b, "—");
		return;
	}
	rc_html_printf(b, "%.1f", v);
	if (unit)
		rc_html_text(b, unit);
}

static void th(rc_buf *b, const char *scope, const char *text)
{
	rc_html_lit(b, "<th scope=\"");
	rc_html_text(b, scope);
	rc_html_lit(b, "\">");
	rc_html_text(b, text);
	rc_html_lit(b, "</th>");
}

static void td_int(rc_buf *b, int64_t v)
{
	rc_html_lit(b, "<td>");
	rc_html_printf(b, "%lld", (long long)v);
	rc_html_lit(b, "</td>");
}

/* A bar a period, every few labelled so that the labels do not run into each other. */
static void bars(rc_req *r, const rc_report_period *per, size_t n, const double *v, const char *id, const char *title,
                 const char *desc, const char *unit, double top_at_least)
{
	rc_chart_bar *bar = rc_arena_alloc(&r->arena, (n ? n : 1) * sizeof *bar);
	if (!bar)
		return;
	double top = top_at_least;
	size_t every = n / 8 + 1;
	for (size_t i = 0; i < n; i++) {
		double x = v[i] < 0 ? 0 : v[i];
		bar[i] = (rc_chart_bar){x, i % every == 0 ? per[i].label + 5 : NULL,
		                        rc_arena_printf(&r->arena, "%s: %.1f%s", per[i].label, x, unit ? unit : "")};
		if (x > top)
			top = x;
	}
	rc_chart c = {.id = id, .title = title, .desc = desc, .top = rc_chart_nice_top(top, 4), .unit = unit, .grid = 4};
	rc_chart_bars(&r->out, &c, bar, (int)n);
}

static const char *period_word(const rc_report *rep)
{
	return rep->daily ? "Day" : "Week starting";
}

/* --- the page's sections ------------------------------------------------------------------------ */

/* Periods down the side, one column per practitioner or service, a total on the right and below. */
static void visits_table(rc_buf *b, const rc_report *rep, const char *caption, const rc_report_who *who, size_t nwho,
                         const int64_t *cells)
{
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list report\"><caption>");
	rc_html_text(b, caption);
	rc_html_lit(b, "</caption><thead><tr>");
	th(b, "col", period_word(rep));
	for (size_t k = 0; k < nwho; k++)
		th(b, "col", who[k].name);
	th(b, "col", "Total");
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < rep->nperiods; i++) {
		rc_html_lit(b, "<tr>");
		th(b, "row", rep->periods[i].label);
		for (size_t k = 0; k < nwho; k++)
			td_int(b, cells[i * nwho + k]);
		td_int(b, rep->visits[i]);
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody><tfoot><tr>");
	th(b, "row", "Total");
	for (size_t k = 0; k < nwho; k++) {
		int64_t sum = 0;
		for (size_t i = 0; i < rep->nperiods; i++)
			sum += cells[i * nwho + k];
		td_int(b, sum);
	}
	td_int(b, rep->visits_total);
	rc_html_lit(b, "</tr></tfoot></table></div>\n");
}

static void section_visits(rc_req *r, const rc_report *rep)
{
	rc_buf *b = &r->out;
	double *v = rc_arena_alloc(&r->arena, (rep->nperiods + 1) * sizeof *v);
	if (!v)
		return;
	for (size_t i = 0; i < rep->nperiods; i++)
		v[i] = (double)rep->visits[i];
	rc_html_lit(b, "<section id=\"visits\" aria-labelledby=\"visits-h\"><h2 id=\"visits-h\">Visits</h2>\n"
	               "<p>Visits booked or arrived — not cancelled and not missed — on the day they start: ");
	rc_html_printf(b, "%lld in all.", (long long)rep->visits_total);
	rc_html_lit(b, "</p>\n");
	bars(r, rep->periods, rep->nperiods, v, "chart-visits", rep->daily ? "Visits per day" : "Visits per week",
	     rc_arena_printf(&r->arena, "One bar per %s from %s to %s, %lld visits in all; the tables below give the "
	                     "numbers by practitioner and by service.", rep->daily ? "day" : "week", rep->from, rep->to,
	                     (long long)rep->visits_total),
	     NULL, 4);
	rc_html_lit(b, "<p>Download: ");
	download(b, rep, "visits-by-practitioner", "visits by practitioner");
	rc_html_lit(b, " · ");
	download(b, rep, "visits-by-service", "visits by service");
	rc_html_lit(b, "</p>\n");
	visits_table(b, rep, "Visits by practitioner", rep->practitioners, rep->npractitioners,
	             rep->visits_by_practitioner);
	visits_table(b, rep, "Visits by service", rep->services, rep->nservices, rep->visits_by_service);
	rc_html_lit(b, "</section>\n");
}

static void section_utilisation(rc_req *r, const rc_report *rep)
{
	rc_buf *b = &r->out;
	size_t np = rep->npractitioners;
	double *v = rc_arena_alloc(&r->arena, (rep->nweeks + 1) * sizeof *v);
	if (!v)
		return;
	for (size_t w = 0; w < rep->nweeks; w++)
		v[w] = rc_report_pct(rep->week_booked_min[w], rep->week_open_min[w]);
	rc_html_lit(b, "<section id=\"utilisation\" aria-labelledby=\"utilisation-h\"><h2 id=\"utilisation-h\">"
	               "Utilisation of open hours</h2>\n<p>Minutes booked (missed visits too: the time was given) over "
	               "minutes open (weekly and extra hours, less time off): ");
	dec1(b, rc_report_pct(rep->booked_min_total, rep->open_min_total), "%");
	rc_html_printf(b, " in all (%lld of %lld minutes). Weekly hours are today's: a week before they changed is "
	                  "measured against the hours as they are now.",
	               (long long)rep->booked_min_total, (long long)rep->open_min_total);
	rc_html_lit(b, "</p>\n");
	bars(r, rep->weeks, rep->nweeks, v, "chart-utilisation", "Share of open hours booked, per week",
	     rc_arena_printf(&r->arena, "One bar per week from %s to %s, for all practitioners together; the table below "
	                     "gives each practitioner's week.", rep->from, rep->to),
	     "%", 100);
	rc_html_lit(b, "<p>Download: ");
	download(b, rep, "utilisation", "utilisation");
	rc_html_lit(b, "</p>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list report\"><caption>Booked over open minutes, "
	               "by practitioner and week</caption><thead><tr>");
	th(b, "col", "Week starting");
	for (size_t k = 0; k < np; k++)
		th(b, "col", rep->practitioners[k].name);
	th(b, "col", "All practitioners");
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (size_t w = 0; w < rep->nweeks; w++) {
		rc_html_lit(b, "<tr>");
		th(b, "row", rep->weeks[w].label);
		for (size_t k = 0; k <= np; k++) {
			int64_t bk = k < np ? rep->booked_min[w * np + k] : rep->week_booked_min[w];
			int64_t op = k < np ? rep->open_min[w * np + k] : rep->week_open_min[w];
			rc_html_lit(b, "<td>");
			dec1(b, rc_report_pct(bk, op), "%");
			rc_html_lit(b, " <span class=\"minutes\">");
			rc_html_printf(b, "(%lld/%lld min)", (long long)bk, (long long)op);
			rc_html_lit(b, "</span></td>");
		}
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n</section>\n");
}

static void section_attendance(rc_req *r, const rc_report *rep)
{
	rc_buf *b = &r->out;
	size_t n = rep->nweeks;
	rc_chart_point *ns = rc_arena_alloc(&r->arena, (2 * n + 1) * sizeof *ns), *lc = ns ? ns + n : NULL;
	if (!ns)
		return;
	size_t k = 0;
	double top = 10;
	for (size_t w = 0; w < n; w++) {
		const rc_report_attendance *a = &rep->attendance[w];
		if (!a->appointments)
			continue;
		double x = rc_report_pct(a->no_shows, a->appointments), y = rc_report_pct(a->late_cancels, a->appointments);
		ns[k] = (rc_chart_point){(double)w, x, rc_arena_printf(&r->arena, "%s: %.1f%% no-shows", rep->weeks[w].label, x), NULL};
		lc[k++] = (rc_chart_point){(double)w, y, rc_arena_printf(&r->arena, "%s: %.1f%% late cancellations",
		                                                         rep->weeks[w].label, y), NULL};
		top = x > top ? x : y > top ? y : top;
	}
	const rc_report_attendance *t = &rep->attendance_total;
	rc_html_lit(b, "<section id=\"attendance\" aria-labelledby=\"attendance-h\"><h2 id=\"attendance-h\">No-shows and "
	               "late cancellations</h2>\n<p>");
	if (t->appointments) {
		rc_html_lit(b, "Of every visit booked to start in the week, however it ended: missed ");
		dec1(b, rc_report_pct(t->no_shows, t->appointments), "%");
		rc_html_lit(b, ", cancelled late ");
		dec1(b, rc_report_pct(t->late_cancels, t->appointments), "%");
		rc_html_lit(b, " in all. ");
	} else {
		rc_html_lit(b, "No visits were booked to start in these weeks. ");
	}
	rc_html_lit(b, "A cancellation is late when it came within 24 hours of the visit (the clinic's cancel "
	               "window).</p>\n");
	rc_chart c = {
		.id = "chart-attendance",
		.title = "No-show and late-cancel rates per week",
		.desc = rc_arena_printf(&r->arena, "Two lines, one point per week with visits booked, from %s to %s: the share "
		                        "missed and the share cancelled late. The table below has the counts.", rep->from,
		                        rep->to),
		.top = rc_chart_nice_top(top, 4),
		.unit = "%",
		.grid = 4,
		.x0 = -0.5,
		.x1 = (double)n - 0.5,
		.x0_label = rep->weeks[0].label,
		.x1_label = rep->weeks[n - 1].label,
		.empty = "No visits booked in these weeks",
	};
	rc_chart_series s[2] = {{"no-shows", "s1", true, ns, (int)k}, {"late cancellations", "s2", true, lc, (int)k}};
	rc_chart_lines(b, &c, s, 2);
	rc_html_lit(b, "<p>Download: ");
	download(b, rep, "attendance", "no-shows and cancellations");
	rc_html_lit(b, "</p>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list report\"><caption>No-shows and late "
	               "cancellations per week</caption><thead><tr>");
	static const char *const cols[] = {"Week starting", "Booked", "No-shows", "No-show rate", "Cancelled",
	                                   "Late cancellations", "Late-cancel rate"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		th(b, "col", cols[i]);
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (size_t w = 0; w <= n; w++) {
		const rc_report_attendance *a = w < n ? &rep->attendance[w] : t;
		if (w == n)
			rc_html_lit(b, "</tbody><tfoot>");
		rc_html_lit(b, "<tr>");
		th(b, "row", w < n ? rep->weeks[w].label : "Total");
		td_int(b, a->appointments);
		td_int(b, a->no_shows);
		rc_html_lit(b, "<td>");
		dec1(b, rc_report_pct(a->no_shows, a->appointments), "%");
		rc_html_lit(b, "</td>");
		td_int(b, a->cancelled);
		td_int(b, a->late_cancels);
		rc_html_lit(b, "<td>");
		dec1(b, rc_report_pct(a->late_cancels, a->appointments), "%");
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tfoot></table></div>\n</section>\n");
}

static void section_new_patients(rc_req *r, const rc_report *rep)
{
	rc_buf *b = &r->out;
	double *v = rc_arena_alloc(&r->arena, (rep->nweeks + 1) * sizeof *v);
	if (!v)
		return;
	for (size_t w = 0; w < rep->nweeks; w++)
		v[w] = (double)rep->new_patients[w];
	rc_html_lit(b, "<section id=\"new-patients\" aria-labelledby=\"new-patients-h\"><h2 id=\"new-patients-h\">New "
	               "patients</h2>\n");
	rc_html_lit(b, "<p>");
	rc_html_printf(b, "Patients whose first visit ever falls in the week: %lld in all.", (long long)rep->new_patients_total);
	rc_html_lit(b, "</p>\n");
	bars(r, rep->weeks, rep->nweeks, v, "chart-new", "New patients per week",
	     rc_arena_printf(&r->arena, "One bar per week from %s to %s, %lld new patients in all; the table below gives "
	                     "each week's number.", rep->from, rep->to, (long long)rep->new_patients_total),
	     NULL, 4);
	rc_html_lit(b, "<p>Download: ");
	download(b, rep, "new-patients", "new patients");
	rc_html_lit(b, "</p>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list report\"><caption>New patients per week"
	               "</caption><thead><tr>");
	th(b, "col", "Week starting");
	th(b, "col", "New patients");
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (size_t w = 0; w < rep->nweeks; w++) {
		rc_html_lit(b, "<tr>");
		th(b, "row", rep->weeks[w].label);
		td_int(b, rep->new_patients[w]);
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody><tfoot><tr>");
	th(b, "row", "Total");
	td_int(b, rep->new_patients_total);
	rc_html_lit(b, "</tr></tfoot></table></div>\n</section>\n");
}

/* Seconds as hours with one decimal, the unit of the waitlist's columns here and in the CSV. */
static double hours_of(const rc_report_wait *w, double seconds)
{
	return w->served ? seconds / 3600.0 : -1;
}

static void section_waitlist(rc_req *r, const rc_report *rep)
{
	rc_buf *b = &r->out;
	double *v = rc_arena_alloc(&r->arena, (rep->nweeks + 1) * sizeof *v);
	if (!v)
		return;
	for (size_t w = 0; w < rep->nweeks; w++)
		v[w] = (double)rep->waitlist[w].served;
	const rc_report_wait *t = &rep->waitlist_total;
	rc_html_lit(b, "<section id=\"waitlist\" aria-labelledby=\"waitlist-h\"><h2 id=\"waitlist-h\">The waitlist</h2>\n");
	rc_html_lit(b, "<p>");
	if (t->served) {
		rc_html_printf(b, "Runners served from the waitlist — offers of a freed time taken, counted when taken: %lld "
		                  "in all; from joining to taking the offer they waited a median of ",
		               (long long)t->served);
		dec1(b, hours_of(t, t->median_s), " hours");
		rc_html_lit(b, ", and 9 in 10 of them at most ");
		dec1(b, hours_of(t, (double)t->p90_s), " hours");
		rc_html_lit(b, " (the 90th percentile, by nearest rank).</p>\n");
	} else {
		rc_html_lit(b, "Nobody took an offer from the waitlist in these weeks.</p>\n");
	}
	bars(r, rep->weeks, rep->nweeks, v, "chart-waitlist", "Offers taken from the waitlist per week",
	     rc_arena_printf(&r->arena, "One bar per week from %s to %s, %lld offers taken in all; the table below gives "
	                     "the waits.", rep->from, rep->to, (long long)t->served),
	     NULL, 4);
	rc_html_lit(b, "<p>Download: ");
	download(b, rep, "waitlist", "the waitlist");
	rc_html_lit(b, "</p>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list report\"><caption>The waitlist per week"
	               "</caption><thead><tr>");
	static const char *const cols[] = {"Week starting", "Joined", "Offers taken", "Median wait (hours)",
	                                   "90th percentile wait (hours)"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		th(b, "col", cols[i]);
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (size_t w = 0; w <= rep->nweeks; w++) {
		const rc_report_wait *x = w < rep->nweeks ? &rep->waitlist[w] : t;
		if (w == rep->nweeks)
			rc_html_lit(b, "</tbody><tfoot>");
		rc_html_lit(b, "<tr>");
		th(b, "row", w < rep->nweeks ? rep->weeks[w].label : "Total");
		td_int(b, x->joined);
		td_int(b, x->served);
		rc_html_lit(b, "<td>");
		dec1(b, hours_of(x, x->median_s), NULL);
		rc_html_lit(b, "</td><td>");
		dec1(b, hours_of(x, (double)x->p90_s), NULL);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tfoot></table></div>\n</section>\n");
}

static void page(rc_req *r, const rc_vvalue q[Q_N], const rc_report *rep, const char *problem)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "Reports", "reports");
	rc_html_lit(b, "<h1>Reports</h1>\n");
	if (problem)
		rc_page_alert(r, problem);
	range_form(r, q, rep);
	if (!rep) {
		rc_page_end(r);
		return;
	}
	rc_html_lit(b, "<p>From ");
	rc_html_text(b, rep->from);
	rc_html_lit(b, " to ");
	rc_html_text(b, rep->to);
	rc_html_lit(b, ", both included, in the clinic's time. Weeks start on Monday; a week the range cuts counts only its "
	               "days inside it.</p>\n<nav aria-label=\"Reports on this page\"><ul class=\"inline-list\">"
	               "<li><a href=\"#visits\">Visits</a></li><li><a href=\"#utilisation\">Utilisation</a></li>"
	               "<li><a href=\"#attendance\">No-shows and late cancellations</a></li><li><a href=\"#new-patients\">New "
	               "patients</a></li><li><a href=\"#waitlist\">The waitlist</a></li></ul></nav>\n");
	section_visits(r, rep);
	section_utilisation(r, rep);
	section_attendance(r, rep);
	section_new_patients(r, rep);
	section_waitlist(r, rep);
	rc_page_end(r);
}

static bool load(rc_req *r, rc_vvalue q[Q_N], rc_report *rep, bool csv)
{
	rc_valid_form(&r->arena, &r->query, report_query, Q_N, q);
	rc_report_ask ask = {q[Q_FROM].set, q[Q_TO].set, q[Q_FROM].num, q[Q_TO].num,
	                     q[Q_BY].set && strcmp(q[Q_BY].text, "day") == 0};
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = rc_valid_first_error(q, Q_N) >= 0 ? RC_EINVAL : uc.db ? rc_app_report(&uc, &ask, rep, &p) : RC_EDB;
	if (e == RC_EINVAL && p.field)
		rc_valid_set_error(report_query, Q_N, q, p.field, p.text);
	if (e == RC_EINVAL) {
		int i = rc_valid_first_error(q, Q_N);
		r->status = 422;
		if (csv)
			rc_page_error(r, 422, i >= 0 ? q[i].error : p.text);
		else
			page(r, q, NULL, "Please correct the range marked below.");
		return false;
	}
	if (e == RC_EFORBIDDEN) {
		rc_page_error(r, 403, p.text);
		return false;
	}
	if (e) {
		rc_page_error(r, 503, "The reports could not be read; try again in a moment.");
		return false;
	}
	return true;
}

void rc_page_reports(rc_req *r)
{
	rc_vvalue q[Q_N];
	rc_report rep;
	if (load(r, q, &rep, false))
		page(r, q, &rep, NULL);
}

/* --- the CSV downloads: the same tables, cell for cell ------------------------------------------- */

static void csv_visits(rc_csv *c, const rc_report *rep, const rc_report_who *who, size_t nwho, const int64_t *cells)
{
	rc_csv_text(c, period_word(rep));
	for (size_t k = 0; k < nwho; k++)
		rc_csv_text(c, who[k].name);
	rc_csv_text(c, "Total");
	rc_csv_end(c);
	for (size_t i = 0; i <= rep->nperiods; i++) {
		rc_csv_text(c, i < rep->nperiods ? rep->periods[i].label : "Total");
		for (size_t k = 0; k < nwho; k++) {
			int64_t v = 0;
			for (size_t j = 0; j < rep->nperiods; j++)
				if (j == i || i == rep->nperiods)
					v += cells[j * nwho + k];
			rc_csv_int(c, v);
		}
		rc_csv_int(c, i < rep->nperiods ? rep->visits[i] : rep->visits_total);
		rc_csv_end(c);
	}
}

static void csv_utilisation(rc_csv *c, const rc_report *rep)
{
	static const char *const cols[] = {"Week starting", "Practitioner", "Booked minutes", "Open minutes",
	                                   "Utilisation %"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		rc_csv_text(c, cols[i]);
	rc_csv_end(c);
	size_t np = rep->npractitioners;
	for (size_t w = 0; w <= rep->nweeks; w++)
		for (size_t k = 0; k <= np; k++) {
			if (w == rep->nweeks && k < np)
				continue; /* the last row: everyone over the whole range */
			int64_t bk = w == rep->nweeks ? rep->booked_min_total : k < np ? rep->booked_min[w * np + k]
			                                                               : rep->week_booked_min[w];
			int64_t op = w == rep->nweeks ? rep->open_min_total : k < np ? rep->open_min[w * np + k]
			                                                             : rep->week_open_min[w];
			rc_csv_text(c, w < rep->nweeks ? rep->weeks[w].label : "Total");
			rc_csv_text(c, k < np ? rep->practitioners[k].name : "All practitioners");
			rc_csv_int(c, bk);
			rc_csv_int(c, op);
			rc_csv_dec1(c, rc_report_pct(bk, op));
			rc_csv_end(c);
		}
}

static void csv_attendance(rc_csv *c, const rc_report *rep)
{
	static const char *const cols[] = {"Week starting", "Booked", "No-shows", "No-show rate %", "Cancelled",
	                                   "Late cancellations", "Late-cancel rate %"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		rc_csv_text(c, cols[i]);
	rc_csv_end(c);
	for (size_t w = 0; w <= rep->nweeks; w++) {
		const rc_report_attendance *a = w < rep->nweeks ? &rep->attendance[w] : &rep->attendance_total;
		rc_csv_text(c, w < rep->nweeks ? rep->weeks[w].label : "Total");
		rc_csv_int(c, a->appointments);
		rc_csv_int(c, a->no_shows);
		rc_csv_dec1(c, rc_report_pct(a->no_shows, a->appointments));
		rc_csv_int(c, a->cancelled);
		rc_csv_int(c, a->late_cancels);
		rc_csv_dec1(c, rc_report_pct(a->late_cancels, a->appointments));
		rc_csv_end(c);
	}
}

static void csv_new_patients(rc_csv *c, const rc_report *rep)
{
	rc_csv_text(c, "Week starting");
	rc_csv_text(c, "New patients");
	rc_csv_end(c);
	for (size_t w = 0; w <= rep->nweeks; w++) {
		rc_csv_text(c, w < rep->nweeks ? rep->weeks[w].label : "Total");
		rc_csv_int(c, w < rep->nweeks ? rep->new_patients[w] : rep->new_patients_total);
		rc_csv_end(c);
	}
}

static void csv_waitlist(rc_csv *c, const rc_report *rep)
{
	static const char *const cols[] = {"Week starting", "Joined", "Offers taken", "Median wait (hours)",
	                                   "90th percentile wait (hours)"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		rc_csv_text(c, cols[i]);
	rc_csv_end(c);
	for (size_t w = 0; w <= rep->nweeks; w++) {
		const rc_report_wait *x = w < rep->nweeks ? &rep->waitlist[w] : &rep->waitlist_total;
		rc_csv_text(c, w < rep->nweeks ? rep->weeks[w].label : "Total");
		rc_csv_int(c, x->joined);
		rc_csv_int(c, x->served);
		rc_csv_dec1(c, hours_of(x, x->median_s));
		rc_csv_dec1(c, hours_of(x, (double)x->p90_s));
		rc_csv_end(c);
	}
}

static const char *const csv_files[] = {"visits-by-practitioner.csv", "visits-by-service.csv", "utilisation.csv",
                                        "attendance.csv", "new-patients.csv", "waitlist.csv"};

void rc_page_reports_csv(rc_req *r)
{
	size_t which = 0;
	while (which < sizeof csv_files / sizeof *csv_files && strcmp(r->params[0], csv_files[which]) != 0)
		which++;
	if (which == sizeof csv_files / sizeof *csv_files) {
		rc_page_error(r, 404, "There is no such report.");
		return;
	}
	rc_vvalue q[Q_N];
	rc_report rep;
	if (!load(r, q, &rep, true))
		return;
	rc_csv c = {&r->out, false};
	switch (which) {
	case 0: csv_visits(&c, &rep, rep.practitioners, rep.npractitioners, rep.visits_by_practitioner); break;
	case 1: csv_visits(&c, &rep, rep.services, rep.nservices, rep.visits_by_service); break;
	case 2: csv_utilisation(&c, &rep); break;
	case 3: csv_attendance(&c, &rep); break;
	case 4: csv_new_patients(&c, &rep); break;
	default: csv_waitlist(&c, &rep); break;
	}
	r->content_type = "text/csv; charset=utf-8; header=present";
	char *name = rc_arena_printf(&r->arena, "attachment; filename=\"runcare-%.*s-%s-to-%s.csv\"",
	                             (int)(strlen(csv_files[which]) - 4), csv_files[which], rep.from, rep.to);
	rc_req_header(r, "Content-Disposition", name ? name : "attachment");
}
