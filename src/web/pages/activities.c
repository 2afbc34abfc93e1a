/* activities.c — a runner's every activity: the history (newest first, in pages, by kind of sport and
 * day), one activity's page (its route drawn from its own points, the bends of a track marked, splits
 * by the kilometre and the lap, pace, heart rate and elevation as charts with their numbers, the flags
 * it counted toward) and deleting one. Staff who see clinical records see the same, without deleting. */
#include "web/pages/activities.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/activities.h"
#include "app/training.h"
#include "base/time.h"
#include "domain/sport.h"
#include "store/account.h"
#include "web/chart.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/lists.h"
#include "web/pages/pages.h"
#include "web/valid.h"

void rc_page_flags(rc_buf *b, const rc_training_flag *flags, int n)
{
	rc_html_lit(b, "<ul class=\"flags\">\n");
	for (int i = 0; i < n; i++) {
		rc_html_lit(b, "<li><strong>");
		rc_html_text(b, flags[i].text);
		rc_html_lit(b, "</strong> <small>Source: ");
		rc_html_text(b, flags[i].source);
		rc_html_lit(b, "</small></li>\n");
	}
	rc_html_lit(b, "</ul>\n");
}

bool rc_page_shoes(rc_req *r, int64_t runner)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_shoe *shoes = rc_arena_alloc(&r->arena, RC_SHOES_MAX * sizeof *shoes);
	int n = 0;
	if (!shoes || rc_app_shoes(&uc, runner, shoes, &n))
		return false;
	if (!n)
		return true;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section aria-labelledby=\"sh-h\"><h2 id=\"sh-h\">Shoes</h2><p>The shoes your runs were "
	               "in, as your exports name them. A new pair is a change in training: the self-check asks about "
	               "it.</p><div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>Distance "
	               "run in each pair, the latest used first</caption><thead><tr><th scope=\"col\">Shoes</th>"
	               "<th scope=\"col\">In all</th><th scope=\"col\">Last 4 weeks</th><th scope=\"col\">Runs</th>"
	               "<th scope=\"col\">First run</th><th scope=\"col\">Last run</th></tr></thead><tbody>\n");
	for (int i = 0; i < n; i++) {
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_text(b, shoes[i].gear);
		rc_html_lit(b, "</th><td>");
		rc_html_printf(b, "%.1f km", (double)shoes[i].total_m / 1000);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%.1f km", (double)shoes[i].recent_m / 1000);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%lld", (long long)shoes[i].runs);
		rc_html_lit(b, "</td><td>");
		rc_html_time(b, shoes[i].first_at, "%Y-%m-%d");
		rc_html_lit(b, "</td><td>");
		rc_html_time(b, shoes[i].last_at, "%Y-%m-%d");
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div></section>\n");
	return true;
}

void rc_page_load_words(rc_buf *b, const rc_training *t)
{
	rc_html_lit(b, "<p class=\"load-kind\">Load measured as ");
	rc_html_text(b, rc_load_name(t->load_kind));
	if (t->load_kind == RC_LOAD_HEART) {
		rc_html_printf(b, ", with a resting heart rate of %d bpm", t->hr_rest);
		if (t->hr_rest_estimated)
			rc_html_lit(b, " (estimated: a typical adult's)");
		rc_html_printf(b, " and a maximum of %d bpm", t->hr_max);
		if (t->hr_max_estimated)
			rc_html_lit(b, " (estimated: the highest your files held for a minute)");
		rc_html_lit(b, ". Source: Banister 1991; Morton, Fitz-Clarke and Banister, J Appl Physiol 1990;69:1171-1177.");
	} else if (t->load_kind == RC_LOAD_EFFORT) {
		rc_html_lit(b, ": every run of the last 5 weeks is rated for effort but not every one has heart rate. Source: "
		               "Foster et al., J Strength Cond Res 2001;15:109-115.");
	} else if (t->runs_recent) {
		rc_html_printf(b, ": of the %d runs of the last 5 weeks, %d have heart rate and %d an effort rating; a load "
		                  "from heart rate or effort needs it for every one.",
		               t->runs_recent, t->runs_with_hr, t->runs_with_effort);
	} else {
		rc_html_lit(b, ".");
	}
	rc_html_lit(b, "</p>\n");
}

enum { HR_REST, HR_MAX, HR_N };
static const rc_vfield heart_form[HR_N] = {
	[HR_REST] = {"rest", "Resting heart rate (bpm)", RC_V_INT, .min = 30, .max = 110},
	[HR_MAX] = {"max", "Maximum heart rate (bpm)", RC_V_INT, .min = 120, .max = 230},
};

void rc_page_heart_form(rc_req *r, const rc_training *t, const char *rest, const char *max, const char *field,
                        const char *error)
{
	rc_buf *b = &r->out;
	rc_vvalue v[HR_N] = {0};
	const char *typed[HR_N] = {rest, max};
	for (int i = 0; i < HR_N; i++) {
		rc_valid_one(&r->arena, &heart_form[i], typed[i], &v[i]);
		if (field && !strcmp(field, heart_form[i].name))
			v[i].error = error;
	}
	rc_html_lit(b, "<form class=\"inline-form\" method=\"post\" action=\"/training/heart\" aria-label=\"Your heart rate\">"
	               "<input type=\"hidden\" name=\"csrf\" value=\"");
	rc_html_text(b, rc_req_csrf(r));
	rc_html_lit(b, "\">");
	for (int i = 0; i < HR_N; i++) {
		rc_html_lit(b, "<p>");
		rc_valid_control(b, &heart_form[i], &v[i]);
		rc_html_lit(b, "</p>");
	}
	rc_html_lit(b, "<p><button type=\"submit\">Save</button></p></form>\n<p><small>Leave a field empty to let runcare "
	               "estimate it");
	if (t && t->hr_max_estimated && t->hr_max)
		rc_html_printf(b, " (now: maximum %d bpm from your files)", t->hr_max);
	rc_html_lit(b, ".</small></p>\n");
}

void rc_page_training_heart(rc_req *r)
{
	rc_vvalue v[HR_N];
	size_t bad = rc_valid_form(&r->arena, &r->form, heart_form, HR_N, v);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = RC_EINVAL;
	if (!bad) {
		e = uc.db ? rc_app_training_heart_set(&uc, v[HR_REST].set ? v[HR_REST].num : 0,
		                                      v[HR_MAX].set ? v[HR_MAX].num : 0, &p)
		          : RC_EDB;
		if (!e) {
			rc_req_redirect(r, "/training");
			return;
		}
		if (e != RC_EINVAL) {
			rc_page_refused(r, e, &p, "heart rate settings");
			return;
		}
	}
	int i = rc_valid_first_error(v, HR_N);
	r->status = 422;
	rc_page_begin(r, "Your heart rate", "training");
	rc_html_lit(&r->out, "<h1>Your heart rate</h1>\n");
	rc_page_alert(r, i >= 0 ? v[i].error : p.text);
	rc_page_heart_form(r, NULL, v[HR_REST].raw, v[HR_MAX].raw, i >= 0 ? heart_form[i].name : p.field,
	                   i >= 0 ? v[i].error : p.text);
	rc_html_lit(&r->out, "<p><a href=\"/training\">Back to my training</a></p>\n");
	rc_page_end(r);
}

void rc_page_activities_self(rc_req *r)
{
	char to[64];
	snprintf(to, sizeof to, "/runners/%lld/activities", (long long)r->user.id);
	rc_req_redirect(r, to);
}

/* The runner the address names, a patient (404 otherwise); false when the answer has been given. */
static bool runner_of(rc_req *r, int64_t *id, rc_account *who)
{
	*id = rc_page_param_id(r);
	rc_db *db = rc_req_db(r);
	bool found = false;
	if (!db || rc_account_by_id(db, *id, who, &found)) {
		rc_page_error(r, 503, "The training record could not be read; try again in a moment.");
		return false;
	}
	if (!found || !who->patient) {
		rc_page_error(r, 404, "There is no page at this address.");
		return false;
	}
	return true;
}

static void duration(rc_buf *b, int64_t s)
{
	if (s >= 3600)
		rc_html_printf(b, "%lld h %02lld min", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		rc_html_printf(b, "%lld min %02lld s", (long long)(s / 60), (long long)(s % 60));
}

static void pace(rc_buf *b, double s_per_km)
{
	if (!(s_per_km > 0) || s_per_km > 3600) {
		rc_html_lit(b, "—");
		return;
	}
	long long s = llround(s_per_km);
	rc_html_printf(b, "%lld:%02lld /km", s / 60, s % 60);
}

static void track_words(rc_buf *b, const rc_activity_rec *a)
{
	rc_html_printf(b, "%lld m track, %.1f laps, %.1f km on bends, %s", (long long)a->track_size_m,
	               (double)a->track_laps_x10 / 10, (double)a->track_bend_m / 1000, a->track_direction);
}

/* --- the history ------------------------------------------------------------------------------ */

enum { H_SPORT, H_FROM, H_TO, H_N };
static const rc_vchoice sport_kinds[] = {
	{"all", "Every sport"}, {RC_SPORT_RUNNING, "Running"}, {RC_SPORT_CROSS, "Cross-training"}};
static const rc_vfield history_query[H_N] = {
	[H_SPORT] = {"sport", "Sport", RC_V_ENUM, .choices = sport_kinds, .nchoices = 3},
	[H_FROM] = {"from", "From", RC_V_DATE, .hint = "Write the first day as YYYY-MM-DD, for example 2026-01-31."},
	[H_TO] = {"to", "To", RC_V_DATE, .hint = "Write the last day as YYYY-MM-DD, for example 2026-12-31."},
};

/* The history's address with its filters and a page (0: none), for links. */
static void history_href(rc_buf *b, int64_t runner, const rc_vvalue *q, int64_t page)
{
	rc_html_printf(b, "/runners/%lld/activities", (long long)runner);
	bool first = true;
	for (int i = 0; i < H_N; i++)
		if (q[i].set) {
			if (first)
				rc_html_lit(b, "?");
			else
				rc_html_lit(b, "&amp;");
			rc_html_text(b, history_query[i].name);
			rc_html_lit(b, "=");
			rc_html_url_arg(b, q[i].raw);
			first = false;
		}
	if (page > 0) {
		if (first)
			rc_html_lit(b, "?page=");
		else
			rc_html_lit(b, "&amp;page=");
		rc_html_printf(b, "%lld", (long long)page);
	}
}

static void history_form(rc_req *r, int64_t runner, const rc_vvalue *q)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<form class=\"inline-form\" method=\"get\" action=\"");
	rc_html_printf(b, "/runners/%lld/activities", (long long)runner);
	rc_html_lit(b, "\" aria-label=\"Which activities\">");
	for (int i = 0; i < H_N; i++) {
		rc_html_lit(b, "<p>");
		rc_valid_control(b, &history_query[i], &q[i]);
		rc_html_lit(b, "</p>");
	}
	rc_html_lit(b, "<p><button type=\"submit\">Show</button></p></form>\n");
}

/* Where the activity came from: its file, or a manual entry's row of the platform's list. */
static void source_words(rc_buf *b, const rc_activity_rec *a)
{
	if (!strcmp(a->format, "manual")) {
		rc_html_lit(b, "none: entered by hand on the platform (");
		rc_html_text(b, a->source);
		rc_html_lit(b, ")");
	} else {
		rc_html_text(b, a->source);
	}
}

void rc_page_activity_row(rc_buf *b, int64_t runner, const rc_activity_rec *a)
{
	rc_html_lit(b, "<tr><td><a href=\"");
	rc_html_printf(b, "/runners/%lld/activities/%lld", (long long)runner, (long long)a->id);
	rc_html_lit(b, "\">");
	rc_html_time(b, a->start_at, "%Y-%m-%d %H:%M");
	rc_html_lit(b, "</a></td><td>");
	if (a->name[0]) {
		rc_html_lit(b, "<strong>");
		rc_html_text(b, a->name);
		rc_html_lit(b, "</strong><br>");
	}
	rc_html_text(b, rc_sport_label(a->sport));
	if (!rc_sport_is_running(a->sport))
		rc_html_lit(b, " <small>(cross-training: not in the running load)</small>");
	rc_html_lit(b, "</td><td>");
	rc_html_printf(b, "%.2f km", (double)a->distance_m / 1000);
	rc_html_lit(b, "</td><td>");
	rc_html_printf(b, "%lld min", (long long)(a->moving_s / 60));
	rc_html_lit(b, "</td><td>");
	rc_html_printf(b, "+%lld m", (long long)a->gain_m);
	rc_html_lit(b, "</td><td>");
	if (a->track_size_m)
		track_words(b, a);
	else
		rc_html_lit(b, "—");
	rc_html_lit(b, "</td><td>");
	source_words(b, a);
	rc_html_lit(b, "</td></tr>\n");
}

static void history_table(rc_req *r, int64_t runner, const rc_history *h)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list activities\"><caption>Activities, newest first"
	               "</caption><thead><tr><th scope=\"col\">Start</th><th scope=\"col\">Sport</th>"
	               "<th scope=\"col\">Distance</th><th scope=\"col\">Moving</th><th scope=\"col\">Climb</th>"
	               "<th scope=\"col\">Track</th><th scope=\"col\">File</th></tr></thead><tbody>\n");
	for (int i = 0; i < h->n; i++)
		rc_page_activity_row(b, runner, &h->rows[i]);
	rc_html_lit(b, "</tbody></table></div>\n");
}

void rc_page_activities(rc_req *r)
{
	int64_t runner, page;
	rc_account who;
	if (!runner_of(r, &runner, &who) || !rc_list_page_arg(r, &page))
		return;
	rc_vvalue q[H_N];
	size_t bad = rc_valid_form(&r->arena, &r->query, history_query, H_N, q);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_history h = {0};
	rc_problem p = {0};
	rc_err e = RC_OK;
	if (!bad) {
		bool every = !q[H_SPORT].set || strcmp(q[H_SPORT].text, "all") == 0;
		rc_history_query hq = {every ? NULL : q[H_SPORT].text, q[H_FROM].set ? q[H_FROM].num : 0,
		                       q[H_TO].set ? q[H_TO].num : 0, page};
		e = rc_app_activity_history(&uc, runner, &hq, &h, &p);
		if (e == RC_EINVAL && p.field && rc_valid_set_error(history_query, H_N, q, p.field, p.text))
			bad = 1;
		else if (e) {
			rc_page_refused(r, e, &p, "activity history");
			return;
		}
	}
	rc_training *t = rc_arena_alloc(&r->arena, sizeof *t);
	if (!t || rc_app_training_view(&uc, runner, t)) {
		rc_page_error(r, 503, "The training record could not be read; try again in a moment.");
		return;
	}
	bool self = r->user.id == runner;
	if (!self)
		rc_req_audit(r, "training.view", runner, "activities");
	if (bad)
		r->status = 422;
	rc_buf *b = &r->out;
	rc_page_begin(r, self ? "All my activities" : "Activities", self ? "training" : "patients");
	rc_html_lit(b, "<h1>");
	if (self)
		rc_html_lit(b, "All my activities");
	else {
		rc_html_lit(b, "Activities: ");
		rc_html_text(b, who.name);
	}
	rc_html_lit(b, "</h1>\n");
	const char *deleted = rc_req_query(r, "deleted");
	if (self && deleted && !strcmp(deleted, "1"))
		rc_page_notice(r, "The activity was deleted. The running load below counts what is left.");
	rc_html_lit(b, "<p>");
	rc_html_printf(b, "Running in the last 7 days: %.0f min; load ratio %.2f (%s). Cycling, swimming, walking and "
	                  "other sports are listed as cross-training and kept out of the running load.",
	               t->minutes_7d, t->ratio, rc_load_name(t->load_kind));
	rc_html_lit(b, " <a href=\"");
	rc_html_printf(b, "/runners/%lld/training", (long long)runner);
	rc_html_lit(b, "\">Load and flags</a></p>\n");
	history_form(r, runner, q);
	if (bad) {
		rc_page_end(r);
		return;
	}
	rc_html_lit(b, "<p role=\"status\">");
	rc_html_printf(b, "%lld activit%s", (long long)h.total, h.total == 1 ? "y" : "ies");
	rc_html_lit(b, ".</p>\n");
	if (h.n)
		history_table(r, runner, &h);
	else
		rc_html_lit(b, "<p>No activities here. Training files added on the training page appear in this list.</p>\n");
	if (h.pages > 1) {
		rc_html_lit(b, "<nav class=\"pager\" aria-label=\"Pages\"><p>");
		if (page > 1) {
			rc_html_lit(b, "<a rel=\"prev\" href=\"");
			history_href(b, runner, q, page - 1);
			rc_html_lit(b, "\">Newer</a> ");
		}
		rc_html_printf(b, "Page %lld of %lld", (long long)page, (long long)h.pages);
		if (page < h.pages) {
			rc_html_lit(b, " <a rel=\"next\" href=\"");
			history_href(b, runner, q, page + 1);
			rc_html_lit(b, "\">Older</a>");
		}
		rc_html_lit(b, "</p></nav>\n");
	}
	if (!rc_page_shoes(r, runner)) {
		rc_page_error(r, 503, "The training record could not be read; try again in a moment.");
		return;
	}
	rc_page_end(r);
}

/* --- one activity ----------------------------------------------------------------------------- */

/* The route as SVG from its own points (no map tiles): north up, one metre the same both ways; on a
 * track session the stretches on the bends drawn in their own colour. */
static void route_svg(rc_buf *b, const rc_activity_view *v)
{
	double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
	int have = 0;
	for (int i = 0; i < v->npoints; i++) {
		const rc_view_point *p = &v->points[i];
		if (isnan(p->x) || isnan(p->y))
			continue;
		have++;
		x0 = fmin(x0, p->x), x1 = fmax(x1, p->x), y0 = fmin(y0, p->y), y1 = fmax(y1, p->y);
	}
	if (have < 2)
		return;
	const double W = 600, H = 400, pad = 12;
	double span = fmax(fmax(x1 - x0, y1 - y0), 1);
	double k = fmin((W - 2 * pad) / fmax(x1 - x0, 1e-9), (H - 2 * pad) / fmax(y1 - y0, 1e-9));
	if (!isfinite(k) || k <= 0)
		k = (W - 2 * pad) / span;
	double ox = pad + ((W - 2 * pad) - (x1 - x0) * k) / 2, oy = pad + ((H - 2 * pad) - (y1 - y0) * k) / 2;
#define SX(p) (ox + ((p)->x - x0) * k)
#define SY(p) (H - oy - ((p)->y - y0) * k)
	bool track = v->rec.track_size_m > 0;
	rc_html_lit(b, "<figure class=\"chart route\"><svg viewBox=\"0 0 600 400\" role=\"img\" aria-labelledby=\"rt-t "
	               "rt-d\"><title id=\"rt-t\">The route</title><desc id=\"rt-d\">");
	rc_html_printf(b, "The path recorded, north up, %.0f m across", span);
	if (track)
		rc_html_lit(b, "; the bends of the track in a thicker orange line");
	rc_html_lit(b, "; a circle marks the start and a square the finish.</desc>\n<path class=\"path\" d=\"");
	bool pen = false;
	for (int i = 0; i < v->npoints; i++) {
		const rc_view_point *p = &v->points[i];
		if (isnan(p->x) || isnan(p->y)) {
			pen = false;
			continue;
		}
		rc_html_printf(b, "%c%.1f %.1f ", pen ? 'L' : 'M', SX(p), SY(p));
		pen = true;
	}
	rc_html_lit(b, "\"/>\n");
	if (track) {
		rc_html_lit(b, "<path class=\"bend\" d=\"");
		for (int i = 1; i < v->npoints; i++) {
			const rc_view_point *a = &v->points[i - 1], *p = &v->points[i];
			if (a->bend && p->bend && !isnan(a->x) && !isnan(p->x))
				rc_html_printf(b, "M%.1f %.1f L%.1f %.1f ", SX(a), SY(a), SX(p), SY(p));
		}
		rc_html_lit(b, "\"/>\n");
	}
	const rc_view_point *first = NULL, *last = NULL;
	for (int i = 0; i < v->npoints; i++)
		if (!isnan(v->points[i].x)) {
			last = &v->points[i];
			if (!first)
				first = last;
		}
	rc_html_lit(b, "<circle class=\"start\" r=\"6\" cx=\"");
	rc_html_printf(b, "%.1f", SX(first));
	rc_html_lit(b, "\" cy=\"");
	rc_html_printf(b, "%.1f", SY(first));
	rc_html_lit(b, "\"/><rect class=\"finish\" width=\"10\" height=\"10\" x=\"");
	rc_html_printf(b, "%.1f", SX(last) - 5);
	rc_html_lit(b, "\" y=\"");
	rc_html_printf(b, "%.1f", SY(last) - 5);
	rc_html_lit(b, "\"/>");
#undef SX
#undef SY
	rc_html_lit(b, "</svg><figcaption>The route as recorded");
	if (track)
		rc_html_lit(b, ", with the track's bends in orange");
	rc_html_lit(b, ". No map is loaded: the picture is drawn from the file's own points.</figcaption></figure>\n");
}

/* The time at distance d (metres), between the points either side; NAN past the end. */
static double time_at(const rc_activity_view *v, double d)
{
	for (int i = 1; i < v->npoints; i++) {
		const rc_view_point *a = &v->points[i - 1], *p = &v->points[i];
		if (p->d >= d && p->d > a->d)
			return a->t + (d - a->d) / (p->d - a->d) * (p->t - a->t);
	}
	return NAN;
}

typedef struct {
	double d, pace, hr, ele; /* the bin's end (m), s/km, bpm and m (NAN: none) */
} chart_bin;

enum { MAX_BINS = 60 };

/* The activity cut by distance into bins (a kilometre each, or a tenth of a short activity), each with
 * its pace, mean heart rate and mean elevation: the charts' points and their table. */
static int bins_of(const rc_activity_view *v, chart_bin *out)
{
	if (v->npoints < 2)
		return 0;
	double total = v->points[v->npoints - 1].d;
	if (!(total > 100))
		return 0;
	double w = total >= 2000 ? 1000 : total / 10;
	if (total / w > MAX_BINS)
		w = total / MAX_BINS;
	int n = 0;
	for (double from = 0; from + w * 0.5 < total && n < MAX_BINS; from += w) {
		double to = fmin(from + w, total);
		double t0 = time_at(v, from), t1 = time_at(v, to);
		double hr = 0, ele = 0;
		int nh = 0, ne = 0;
		for (int i = 0; i < v->npoints; i++) {
			const rc_view_point *p = &v->points[i];
			if (p->d < from || p->d > to)
				continue;
			if (!isnan(p->hr))
				hr += p->hr, nh++;
			if (!isnan(p->ele))
				ele += p->ele, ne++;
		}
		out[n++] = (chart_bin){to, t1 > t0 ? (t1 - t0) / ((to - from) / 1000) : NAN, nh ? hr / nh : NAN,
		                       ne ? ele / ne : NAN};
	}
	return n;
}

static void bin_chart(rc_req *r, const chart_bin *bins, int n, int which, double total_km)
{
	static const char *const ids[] = {"pace", "hr", "ele"};
	static const char *const titles[] = {"Pace", "Heart rate", "Elevation"};
	static const char *const descs[] = {"Minutes per kilometre along the activity: higher is slower",
	                                    "Mean heart rate along the activity, beats a minute",
	                                    "Mean elevation along the activity, metres above sea level"};
	static const char *const units[] = {"min/km", "bpm", "m"};
	rc_chart_point *pts = rc_arena_alloc(&r->arena, (size_t)(n ? n : 1) * sizeof *pts);
	if (!pts)
		return;
	int m = 0;
	double top = 0;
	for (int i = 0; i < n; i++) {
		double y = which == 0 ? bins[i].pace / 60 : which == 1 ? bins[i].hr : bins[i].ele;
		if (isnan(y) || (which == 0 && y > 30))
			continue;
		pts[m++] = (rc_chart_point){bins[i].d / 1000, y,
		                            rc_arena_printf(&r->arena, "%.1f km: %.1f %s", bins[i].d / 1000, y, units[which]),
		                            NULL};
		top = fmax(top, y);
	}
	if (m == 0)
		return;
	char end[32];
	snprintf(end, sizeof end, "%.1f km", total_km);
	rc_chart c = {.id = ids[which], .title = titles[which], .desc = descs[which], .top = rc_chart_nice_top(top, 4),
	              .unit = units[which], .grid = 4, .x0 = 0, .x1 = total_km, .x0_label = "0 km", .x1_label = end,
	              .caption = rc_arena_printf(&r->arena, "%s by distance (the table below has the numbers)",
	                                         titles[which])};
	rc_chart_series s = {NULL, "s1", true, pts, m};
	rc_chart_lines(&r->out, &c, &s, 1);
}

static void charts(rc_req *r, const rc_activity_view *v)
{
	chart_bin bins[MAX_BINS];
	int n = bins_of(v, bins);
	if (!n)
		return;
	rc_buf *b = &r->out;
	double total_km = v->points[v->npoints - 1].d / 1000;
	bool hr = false, ele = false;
	for (int i = 0; i < n; i++)
		hr |= !isnan(bins[i].hr), ele |= !isnan(bins[i].ele);
	rc_html_lit(b, "<section aria-labelledby=\"charts-h\"><h2 id=\"charts-h\">Pace, heart rate and elevation</h2>\n");
	bin_chart(r, bins, n, 0, total_km);
	if (hr)
		bin_chart(r, bins, n, 1, total_km);
	if (ele)
		bin_chart(r, bins, n, 2, total_km);
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>The charts' numbers"
	               "</caption><thead><tr><th scope=\"col\">To</th><th scope=\"col\">Pace</th>"
	               "<th scope=\"col\">Heart rate</th><th scope=\"col\">Elevation</th></tr></thead><tbody>\n");
	for (int i = 0; i < n; i++) {
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_printf(b, "%.2f km", bins[i].d / 1000);
		rc_html_lit(b, "</th><td>");
		pace(b, bins[i].pace);
		rc_html_lit(b, "</td><td>");
		if (isnan(bins[i].hr))
			rc_html_lit(b, "—");
		else
			rc_html_printf(b, "%.0f bpm", bins[i].hr);
		rc_html_lit(b, "</td><td>");
		if (isnan(bins[i].ele))
			rc_html_lit(b, "—");
		else
			rc_html_printf(b, "%.0f m", bins[i].ele);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div></section>\n");
}

/* Splits: each kilometre's (or lap's) time and pace, and the time so far. */
static void splits(rc_buf *b, const char *id, const char *title, const char *what, const int32_t *at, int n,
                   double len_m)
{
	if (n == 0)
		return;
	rc_html_lit(b, "<section aria-labelledby=\"");
	rc_html_text(b, id);
	rc_html_lit(b, "-h\"><h2 id=\"");
	rc_html_text(b, id);
	rc_html_lit(b, "-h\">");
	rc_html_text(b, title);
	rc_html_lit(b, "</h2><div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr>"
	               "<th scope=\"col\">");
	rc_html_text(b, what);
	rc_html_lit(b, "</th><th scope=\"col\">Time</th><th scope=\"col\">Pace</th><th scope=\"col\">So far</th></tr>"
	               "</thead><tbody>\n");
	for (int i = 0; i < n; i++) {
		int32_t dt = at[i] - (i ? at[i - 1] : 0);
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_printf(b, "%d", i + 1);
		rc_html_lit(b, "</th><td>");
		duration(b, dt);
		rc_html_lit(b, "</td><td>");
		pace(b, dt / (len_m / 1000));
		rc_html_lit(b, "</td><td>");
		duration(b, at[i]);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div></section>\n");
}

/* The Borg CR-10 scale's words, as Foster et al. (2001) asked "How was your workout?". */
static const rc_vchoice efforts[] = {
	{"", "Not rated"}, {"0", "0 rest"}, {"1", "1 very, very easy"}, {"2", "2 easy"}, {"3", "3 moderate"},
	{"4", "4 somewhat hard"}, {"5", "5 hard"}, {"6", "6"}, {"7", "7 very hard"}, {"8", "8"}, {"9", "9"},
	{"10", "10 maximal"}};
static const rc_vfield effort_field = {"effort", "How hard was it (0–10)", RC_V_ENUM, .choices = efforts,
                                       .nchoices = sizeof efforts / sizeof efforts[0]};

static void effort_form(rc_req *r, const rc_activity_view *v, const char *typed, const char *error)
{
	rc_buf *b = &r->out;
	rc_vvalue val = {0};
	char now[8] = "";
	if (!typed && v->rec.effort_set)
		snprintf(now, sizeof now, "%lld", (long long)v->rec.effort);
	rc_valid_one(&r->arena, &effort_field, typed ? typed : now, &val);
	val.error = error;
	rc_html_lit(b, "<section aria-labelledby=\"ef-h\"><h2 id=\"ef-h\">How hard was it?</h2><p>Your own rating of the "
	               "whole session, 0 to 10. Rated runs give a load from effort when a run has no heart rate "
	               "(session RPE: rating × minutes; Foster et al., J Strength Cond Res 2001;15:109-115).</p>"
	               "<form class=\"inline-form\" method=\"post\" action=\"");
	rc_html_printf(b, "/training/activities/%lld/effort", (long long)v->rec.id);
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"csrf\" value=\"");
	rc_html_text(b, rc_req_csrf(r));
	rc_html_lit(b, "\"><p>");
	rc_valid_control(b, &effort_field, &val);
	rc_html_lit(b, "</p><p><button type=\"submit\">Save</button></p></form></section>\n");
}

static void facts(rc_buf *b, const rc_activity_view *v)
{
	const rc_activity_rec *a = &v->rec;
	rc_html_lit(b, "<dl class=\"facts\"><dt>Start</dt><dd>");
	rc_html_time(b, a->start_at, "%A %e %B %Y, %H:%M");
	rc_html_lit(b, "</dd><dt>Sport</dt><dd>");
	rc_html_text(b, v->sport_label);
	if (rc_sport_is_running(a->sport))
		rc_html_lit(b, " (counts toward the running load)");
	else
		rc_html_lit(b, " (cross-training: kept out of the running load)");
	rc_html_lit(b, "</dd><dt>Distance</dt><dd>");
	rc_html_printf(b, "%.2f km", (double)a->distance_m / 1000);
	rc_html_lit(b, "</dd><dt>Time</dt><dd>");
	duration(b, a->duration_s);
	rc_html_lit(b, ", moving ");
	duration(b, a->moving_s);
	rc_html_lit(b, "</dd><dt>Average pace</dt><dd>");
	pace(b, a->distance_m > 0 ? (double)a->moving_s / ((double)a->distance_m / 1000) : NAN);
	rc_html_lit(b, "</dd><dt>Climb</dt><dd>");
	rc_html_printf(b, "+%lld m, −%lld m", (long long)a->gain_m, (long long)a->loss_m);
	rc_html_lit(b, "</dd><dt>Heart rate</dt><dd>");
	if (a->hr_avg > 0)
		rc_html_printf(b, "%lld bpm on average", (long long)a->hr_avg);
	else if (!strcmp(a->format, "manual"))
		rc_html_lit(b, "not recorded (entered by hand)");
	else
		rc_html_lit(b, "not in the file");
	rc_html_lit(b, "</dd>");
	if (a->energy_kcal > 0) {
		rc_html_lit(b, "<dt>Energy</dt><dd>");
		rc_html_printf(b, "%lld kcal (as the watch or app worked it out)", (long long)a->energy_kcal);
		rc_html_lit(b, "</dd>");
	}
	if (a->track_size_m) {
		rc_html_lit(b, "<dt>Track</dt><dd>");
		track_words(b, a);
		if (a->track_bend_s)
			rc_html_printf(b, " (%lld min on bends)", (long long)(a->track_bend_s / 60));
		rc_html_printf(b, "; bend radius %lld m", (long long)a->track_radius_m);
		if (a->track_lane)
			rc_html_printf(b, ", lane %lld", (long long)a->track_lane);
		rc_html_lit(b, "</dd>");
	}
	if (v->load >= 0) {
		rc_html_lit(b, "<dt>Load</dt><dd>");
		rc_html_printf(b, "%.0f %s (%s)", v->load, rc_load_unit(v->load_kind), rc_load_name(v->load_kind));
		rc_html_lit(b, "</dd>");
	}
	if (a->effort_set) {
		rc_html_lit(b, "<dt>Effort</dt><dd>");
		rc_html_printf(b, "%lld of 10", (long long)a->effort);
		rc_html_lit(b, "</dd>");
	}
	if (a->gear[0]) {
		rc_html_lit(b, "<dt>Shoes</dt><dd>");
		rc_html_text(b, a->gear);
		rc_html_lit(b, "</dd>");
	}
	rc_html_lit(b, "<dt>File</dt><dd>");
	source_words(b, a);
	rc_html_lit(b, "</dd></dl>\n");
}

void rc_page_activity(rc_req *r)
{
	int64_t runner;
	rc_account who;
	if (!runner_of(r, &runner, &who))
		return;
	char *end = NULL;
	long long id = strtoll(r->params[1], &end, 10);
	if (*end || id <= 0) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_activity_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	bool found = false;
	if (!v || rc_app_activity_view(&uc, runner, id, v, &found)) {
		rc_page_error(r, 503, "The activity could not be read; try again in a moment.");
		return;
	}
	if (!found) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	bool self = r->user.id == runner;
	if (!self)
		rc_req_audit(r, "training.view", runner, rc_arena_printf(&r->arena, "activity %lld", id));
	rc_buf *b = &r->out;
	rc_page_begin(r, v->rec.name[0] ? v->rec.name : v->sport_label, self ? "training" : "patients");
	rc_html_lit(b, "<p class=\"back\"><a href=\"");
	rc_html_printf(b, "/runners/%lld/activities", (long long)runner);
	if (self)
		rc_html_lit(b, "\">All my activities</a></p>\n<h1>");
	else
		rc_html_lit(b, "\">All activities</a></p>\n<h1>");
	rc_html_text(b, v->rec.name[0] ? v->rec.name : v->sport_label);
	rc_html_lit(b, ", ");
	rc_html_time(b, v->rec.start_at, "%e %B %Y");
	rc_html_lit(b, "</h1>\n");
	facts(b, v);
	if (v->nwarnings) {
		rc_html_lit(b, "<h2>What was odd about the file</h2><ul class=\"problems\">\n");
		for (int i = 0; i < v->nwarnings; i++) {
			rc_html_lit(b, "<li>");
			rc_html_text(b, v->warnings[i]);
			rc_html_lit(b, "</li>\n");
		}
		rc_html_lit(b, "</ul>\n");
	}
	rc_html_lit(b, "<section aria-labelledby=\"fl-h\"><h2 id=\"fl-h\">Flags this activity counts toward</h2>\n");
	if (v->nflags == 0)
		rc_html_lit(b, "<p>None: today's figures raise no flag that this activity is part of.</p>\n");
	else
		rc_page_flags(b, v->flags, v->nflags);
	rc_html_lit(b, "</section>\n");
	if (v->npoints) {
		rc_html_lit(b, "<section aria-labelledby=\"rt-h\"><h2 id=\"rt-h\">Route</h2>\n");
		route_svg(b, v);
		rc_html_lit(b, "</section>\n");
	}
	splits(b, "km", "Splits by the kilometre", "Kilometre", v->km, v->nkm, 1000);
	if (v->rec.track_size_m && v->lap_m > 0)
		splits(b, "lap", "Splits by the lap", "Lap", v->laps, v->nlaps, v->lap_m);
	charts(r, v);
	if (!v->npoints && !strcmp(v->rec.format, "manual"))
		rc_html_lit(b, "<p>Entered by hand on the platform, with no file: a time and a distance, but no route or "
		               "charts.</p>\n");
	else if (!v->npoints)
		rc_html_lit(b, "<p>This activity was added before runcare kept the points for its page: its route and "
		               "charts are not available. Adding the file again does not duplicate it.</p>\n");
	if (self)
		effort_form(r, v, NULL, NULL);
	if (self) {
		rc_html_lit(b, "<section aria-labelledby=\"del-h\"><h2 id=\"del-h\">Delete</h2><form method=\"post\" action=\"");
		rc_html_printf(b, "/training/activities/%lld/delete", id);
		rc_html_lit(b, "\"><input type=\"hidden\" name=\"csrf\" value=\"");
		rc_html_text(b, rc_req_csrf(r));
		rc_html_lit(b, "\"><p>Deleting takes this activity out of your history and your load, with the files it was "
		               "read from that runcare kept; you can add them again.</p><p><button type=\"submit\" class=\"danger\">Delete this "
		               "activity</button></p></form></section>\n");
	}
	rc_page_end(r);
}

void rc_page_activity_delete(rc_req *r)
{
	char *end = NULL;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end || id <= 0) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_activity_delete(&uc, id, &p) : RC_EDB;
	if (e == RC_ENOTFOUND) {
		rc_page_error(r, 404, "There is no such activity of yours.");
		return;
	}
	if (e) {
		rc_page_refused(r, e, &p, "activity delete");
		return;
	}
	char to[80];
	snprintf(to, sizeof to, "/runners/%lld/activities?deleted=1", (long long)r->user.id);
	rc_req_redirect(r, to);
}

void rc_page_activity_effort(rc_req *r)
{
	char *end = NULL;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end || id <= 0) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	rc_vvalue val;
	const char *typed = rc_form_get(&r->form, "effort");
	bool ok = rc_valid_one(&r->arena, &effort_field, typed, &val);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = !ok ? RC_EINVAL
	           : uc.db ? rc_app_activity_effort(&uc, id, val.set ? strtoll(val.text, NULL, 10) : -1, &p)
	                   : RC_EDB;
	if (!e) {
		char to[96];
		snprintf(to, sizeof to, "/runners/%lld/activities/%lld", (long long)r->user.id, id);
		rc_req_redirect(r, to);
		return;
	}
	if (e == RC_ENOTFOUND) {
		rc_page_error(r, 404, "There is no such activity of yours.");
		return;
	}
	if (e != RC_EINVAL) {
		rc_page_refused(r, e, &p, "effort rating");
		return;
	}
	/* The rating comes back with what was sent and why. */
	rc_activity_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	bool found = false;
	if (!v || rc_app_activity_view(&uc, r->user.id, id, v, &found) || !found) {
		rc_page_error(r, 404, "There is no such activity of yours.");
		return;
	}
	r->status = 422;
	rc_page_begin(r, "How hard was it?", "training");
	const char *why = !ok ? val.error : p.text;
	rc_page_alert(r, why);
	effort_form(r, v, typed ? typed : "", why);
	rc_page_end(r);
}
