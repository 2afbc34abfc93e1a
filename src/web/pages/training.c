/* training.c — the training page: upload training files (many at once, or one export archive),
 * weekly load with the acute:chronic ratio band, hill and track exposure as SVG charts, the flags in
 * plain words; staff see the same for their patients. Also the self-check's data-backed evidence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/jobs.h"
#include "app/training.h"
#include "base/log.h"
#include "base/time.h"
#include "store/account.h"
#include "store/training_store.h"
#include "web/chart.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/activities.h"
#include "web/pages/pages.h"

void rc_page_training_self(rc_req *r)
{
	char to[64];
	snprintf(to, sizeof to, "/runners/%lld/training", (long long)r->user.id);
	rc_req_redirect(r, to);
}

/* The clinic's day of a training week or figure (its civil date kept as UTC midnight), through the
 * clinic-zone formatter: at noon of that day, which has the same date in any zone. */
static void day_text(int64_t civil_midnight, const char *fmt, char *out, size_t n)
{
	rc_tz_format(rc_tz_day_number_start(civil_midnight / 86400) + 12 * 3600, fmt, out, n);
}

static void day_label(rc_buf *b, int64_t civil_midnight, const char *fmt)
{
	char d[32];
	day_text(civil_midnight, fmt, d, sizeof d);
	rc_html_text(b, d);
}

/* A bar chart of one weekly figure; the table below the charts carries the same numbers. */
static void bars(rc_req *r, const rc_training *t, const char *id, const char *title, const char *desc,
                 const char *unit, int which)
{
	rc_chart_bar bar[RC_TRAINING_WEEKS];
	double max = 0;
	for (int i = 0; i < RC_TRAINING_WEEKS; i++) {
		const rc_training_week *w = &t->weeks[i];
		double v = which == 0 ? w->minutes : which == 1 ? w->climb_m : w->bend_m;
		char d[32];
		day_text(w->start, "%d %b", d, sizeof d);
		bar[i] = (rc_chart_bar){v, i % 2 == 0 ? rc_arena_strdup(&r->arena, d) : NULL,
		                        rc_arena_printf(&r->arena, "%s: %.0f %s", d, v, unit)};
		if (v > max)
			max = v;
	}
	rc_chart c = {.id = id, .title = title, .desc = desc, .top = max > 0 ? max : 1, .unit = unit};
	rc_chart_bars(&r->out, &c, bar, RC_TRAINING_WEEKS);
}

/* Each week's load over the average of the 4 weeks ending with it, against the 0.8–1.3 band where load
 * is usually well tolerated and the 1.5 line above which injury risk climbs (Gabbett 2016). */
static void ratio_chart(rc_req *r, const rc_training *t)
{
	rc_chart_point p[RC_TRAINING_WEEKS];
	int n = 0;
	/* Only weeks with four weeks of history behind them: a first week of data has no ratio. */
	int first = RC_TRAINING_WEEKS;
	for (int i = 0; i < RC_TRAINING_WEEKS && first == RC_TRAINING_WEEKS; i++)
		if (t->weeks[i].runs)
			first = i;
	for (int i = first + 3; i < RC_TRAINING_WEEKS; i++) {
		double base = 0;
		for (int k = i - 3; k <= i; k++)
			base += t->weeks[k].minutes / 4.0;
		if (base <= 0)
			continue;
		double ratio = t->weeks[i].minutes / base;
		char d[32];
		day_text(t->weeks[i].start, "%d %b", d, sizeof d);
		p[n++] = (rc_chart_point){i, ratio, rc_arena_printf(&r->arena, "%s: %.2f", d, ratio),
		                          ratio > 1.5 ? "high" : NULL};
	}
	char from[32], to[32];
	day_text(t->weeks[0].start, "%d %b", from, sizeof from);
	day_text(t->weeks[RC_TRAINING_WEEKS - 1].start, "%d %b", to, sizeof to);
	rc_chart c = {
		.id = "cr",
		.title = "Each week's running time against the average of the 4 weeks ending with it",
		.desc = "One point a week once there are four weeks of runs behind it; the shaded band is 0.8 to 1.3, "
		        "the dashed line 1.5",
		.caption = "Load ratio by calendar week (the week over the average of the 4 weeks ending with it): the "
		           "shaded band is 0.8 to 1.3; above the line at 1.5 injuries become more likely. The figure above "
		           "the charts is the same over the last 7 and 28 days.",
		.top = 2.5,
		.band_lo = 0.8,
		.band_hi = 1.3,
		.line_at = 1.5,
		/* Week i's point sits in the middle of its twelfth of the axis, above its bar in the charts beside. */
		.x0 = -0.5,
		.x1 = RC_TRAINING_WEEKS - 0.5,
		.x0_label = from,
		.x1_label = to,
	};
	rc_chart_series s = {NULL, "point", false, p, n};
	rc_chart_lines(&r->out, &c, &s, 1);
}

typedef struct {
	rc_buf *b;
	int64_t runner;
} row_ctx;

static void activity_row(void *ctx, const rc_activity_rec *a)
{
	const row_ctx *c = ctx;
	rc_page_activity_row(c->b, c->runner, a);
}

enum { RECENT_IMPORTS = 5 };

/* The runner's latest uploads, each linked to its page: where a report can be found again. */
static void recent_imports(rc_req *r, rc_db *db, int64_t runner)
{
	int64_t ids[RECENT_IMPORTS];
	int n = 0;
	if (rc_import_jobs_latest(db, runner, ids, RECENT_IMPORTS, &n) || n == 0)
		return;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<h3>Recent uploads</h3>\n<ul>\n");
	for (int i = 0; i < n; i++) {
		rc_import_job j;
		bool found = false;
		if (rc_import_job_get(db, ids[i], &j, &found) || !found)
			continue;
		rc_html_lit(b, "<li><a href=\"/training/imports/");
		rc_html_printf(b, "%lld", (long long)j.id);
		rc_html_lit(b, "\">");
		rc_html_time(b, j.created_at, "%d %b %H:%M");
		rc_html_lit(b, "</a>: ");
		if (j.state == RC_JOB_DONE)
			rc_html_printf(b, "%lld added, %lld already there, %lld could not be read", (long long)j.added,
			               (long long)j.duplicates, (long long)j.refused);
		else if (j.state == RC_JOB_FAILED || rc_import_stalled(&j, r->now))
			rc_html_lit(b, "could not be finished");
		else
			rc_html_text(b, j.receiving ? "being stored" : "being read");
		rc_html_lit(b, "</li>\n");
	}
	rc_html_lit(b, "</ul>\n");
}

void rc_page_training(rc_req *r)
{
	int64_t id = strtoll(r->params[0], NULL, 10);
	rc_account who;
	bool found = false;
	rc_db *db = rc_req_db(r);
	if (!db || rc_account_by_id(db, id, &who, &found)) {
		rc_page_error(r, 503, "The training record could not be read; try again in a moment.");
		return;
	}
	if (!found || !who.patient) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	rc_training *t = rc_arena_alloc(&r->arena, sizeof *t);
	rc_uc uc;
	rc_req_uc(r, &uc);
	if (!t || rc_app_training_view(&uc, id, t)) {
		rc_page_error(r, 503, "The training record could not be read; try again in a moment.");
		return;
	}
	bool self = r->user.id == id;
	if (!self)
		rc_req_audit(r, "training.view", id, "");
	rc_buf *b = &r->out;
	rc_page_begin(r, self ? "My training" : "Training", self ? "training" : "patients");
	rc_html_lit(b, "<h1>");
	if (self) {
		rc_html_lit(b, "My training");
	} else {
		rc_html_lit(b, "Training: ");
		rc_html_text(b, who.name);
	}
	rc_html_lit(b, "</h1>\n");
	if (self) {
		rc_html_lit(b, "<section aria-labelledby=\"up-h\"><h2 id=\"up-h\">Add training files</h2><p>GPX, TCX or FIT "
		               "files from your watch or app, many at once, or your whole export from Garmin, Strava, Apple "
		               "Health or Polar as it came, one .zip of up to ");
		char cap[32];
		rc_http_size_words(rc_http_upload_cap(r->app->cfg), cap, sizeof cap);
		rc_html_text(b, cap);
		rc_html_lit(b, ". The same run added twice is kept once. The files are read after the upload; a page shows "
		               "how far it has got.</p><form class=\"stack\" method=\"post\" action=\"/training/upload\" "
		               "enctype=\"multipart/form-data\"><input type=\"hidden\" name=\"csrf\" value=\"");
		rc_html_text(b, rc_req_csrf(r));
		rc_html_lit(b, "\"><p><label for=\"f-files\">Files</label><input id=\"f-files\" type=\"file\" name=\"files\" "
		               "multiple required accept=\".gpx,.tcx,.fit,.gz,.zip\"></p><p><button type=\"submit\">Upload"
		               "</button></p></form>\n");
		recent_imports(r, db, id);
		rc_html_lit(b, "</section>\n<section aria-labelledby=\"hr-h\"><h2 id=\"hr-h\">Your heart rate</h2><p>With your "
		               "resting and maximum heart rate, runs with heart rate give a heart-rate load (TRIMP).</p>\n");
		char rest[16] = "", max[16] = "";
		if (!t->hr_rest_estimated)
			snprintf(rest, sizeof rest, "%d", t->hr_rest);
		if (!t->hr_max_estimated)
			snprintf(max, sizeof max, "%d", t->hr_max);
		rc_page_heart_form(r, t, rest, max, NULL, NULL);
		rc_html_lit(b, "</section>\n");
	}
	rc_html_lit(b, "<section aria-labelledby=\"fl-h\"><h2 id=\"fl-h\">What the files show</h2>\n");
	if (t->activities == 0) {
		rc_html_lit(b, "<p>No training files yet.</p></section>\n");
		rc_page_end(r);
		return;
	}
	rc_html_lit(b, "<p>");
	rc_html_printf(b, "%s", t->stale ? "As of the latest file's day, " : "As of today, ");
	day_label(b, t->asof, "%d %B %Y");
	if (t->load_kind == RC_LOAD_TIME)
		rc_html_printf(b, ": %.0f min of running in the last 7 days; %.0f min a week on average over 4 weeks; "
		                  "load ratio %.2f (exponentially weighted %.2f).",
		               t->acute, t->chronic_week, t->ratio, t->ewma_ratio);
	else
		rc_html_printf(b, ": %.0f min of running in the last 7 days, a load of %.0f %s; %.0f %s a week on average "
		                  "over 4 weeks; load ratio %.2f (exponentially weighted %.2f).",
		               t->minutes_7d, t->acute, rc_load_unit(t->load_kind), t->chronic_week,
		               rc_load_unit(t->load_kind), t->ratio, t->ewma_ratio);
	rc_html_lit(b, "</p>\n");
	rc_page_load_words(b, t);
	if (t->nflags == 0)
		rc_html_lit(b, "<p>Nothing in these files points to a recent jump in training, added hills or track "
		               "running.</p>\n");
	else
		rc_page_flags(b, t->flags, t->nflags);
	rc_html_lit(b, "</section>\n<section aria-labelledby=\"ch-h\"><h2 id=\"ch-h\">The last 12 weeks</h2>\n");
	bars(r, t, "c0", "Running time per week", "Minutes of running in each of the last 12 weeks", "min", 0);
	ratio_chart(r, t);
	bars(r, t, "c1", "Climbing per week", "Metres climbed in each of the last 12 weeks", "m", 1);
	bars(r, t, "c2", "Distance on track bends per week",
	     "Metres run on the bends of a track in each of the last 12 weeks", "m", 2);
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>The same figures</caption><thead><tr>"
	               "<th scope=\"col\">Week of</th><th scope=\"col\">Running</th><th scope=\"col\">Distance</th>"
	               "<th scope=\"col\">Climbing</th><th scope=\"col\">On bends</th><th scope=\"col\">Fast</th></tr>"
	               "</thead><tbody>\n");
	for (int i = 0; i < RC_TRAINING_WEEKS; i++) {
		const rc_training_week *w = &t->weeks[i];
		rc_html_lit(b, "<tr><td>");
		char week[11];
		rc_day_name(w->start / 86400, week);
		rc_html_text(b, week);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%.0f min", w->minutes);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%.1f km", w->km);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%.0f m", w->climb_m);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%.0f m", w->bend_m);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%.0f min", w->fast_min);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div></section>\n");
	if (!rc_page_shoes(r, id)) {
		rc_page_error(r, 503, "The training record could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "<section aria-labelledby=\"ac-h\"><h2 id=\"ac-h\">Activities"
	               "</h2><p>The activities these figures count. <a href=\"");
	rc_html_printf(b, "/runners/%lld/activities", (long long)id);
	rc_html_lit(b, "\">All activities</a>, however old, each with its own page.</p><div class=\"table-scroll\" tabindex=\"0\"><table class=\"list activities\"><thead><tr><th scope=\"col\">Start"
	               "</th><th scope=\"col\">Sport</th><th scope=\"col\">Distance</th><th scope=\"col\">Moving</th>"
	               "<th scope=\"col\">Climb</th><th scope=\"col\">Track</th><th scope=\"col\">File</th></tr></thead>"
	               "<tbody>\n");
	row_ctx rows = {b, id};
	if (rc_activity_each(db, id, rc_training_window_start(t), activity_row, &rows)) {
		rc_page_error(r, 503, "The training record could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "</tbody></table></div></section>\n");
	rc_page_end(r);
}

/* The upload's answer when it cannot be queued: the status, the sentence, and the way back. */
static void upload_refused(rc_req *r, unsigned status, const char *text, int64_t retry_after)
{
	r->status = status;
	if (retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof ra, "%lld", (long long)retry_after);
		rc_req_header(r, "Retry-After", ra);
	}
	rc_page_begin(r, "Add training files", "training");
	rc_page_alert(r, text);
	rc_html_lit(&r->out, "<p><a href=\"/training\">Back to my training</a></p>\n");
	rc_page_end(r);
}

/* The files are stored as an import job, off the request threads, and read by the worker (app/jobs.h);
 * the answer is at once a redirect to the job's page, which follows it to its report. */
void rc_page_training_upload(rc_req *r)
{
	rc_import_upload *files = rc_arena_alloc(&r->arena, RC_FORM_MAX_FIELDS * sizeof *files);
	if (!files) {
		rc_page_error(r, 503, "Out of memory; try fewer files at once.");
		return;
	}
	int n = 0;
	for (size_t i = 0; i < r->form.n && n < RC_FORM_MAX_FIELDS; i++) {
		const rc_field *f = &r->form.fields[i];
		if (!f->filename || strcmp(f->name, "files") != 0 || (f->len == 0 && !f->filename[0]))
			continue;
		files[n++] = (rc_import_upload){f->filename[0] ? f->filename : "unnamed file", (const unsigned char *)f->value,
		                                f->len, rc_req_upload_release(r)};
	}
	rc_uc uc;
	rc_req_uc(r, &uc);
	if (!uc.db) {
		rc_page_error(r, 503, "The training record could not be reached; try again in a moment.");
		return;
	}
	int64_t job = 0, retry_after = 0;
	rc_problem p = {0};
	/* The job is created here, in one short transaction; its bytes are stored by the ingest thread
	 * (app/ingest.h), so this request answers at once whatever the upload's size. Without that thread
	 * (or a body held in memory) this request stores them itself. */
	rc_err e = rc_app_import_open(&uc, r->user.id, files, n, &job, &retry_after, &p);
	if (!e && !rc_req_upload_hand_over(r, job, files, n))
		e = rc_app_import_store(&uc, job, files, n, NULL);
	switch (e) {
	case RC_OK: {
		char detail[64], to[64];
		snprintf(detail, sizeof detail, "job %lld, %d file%s", (long long)job, n, n == 1 ? "" : "s");
		rc_req_audit(r, "training.import", r->user.id, detail);
		snprintf(to, sizeof to, "/training/imports/%lld", (long long)job);
		rc_req_redirect(r, to);
		return;
	}
	case RC_EINVAL: upload_refused(r, 422, p.text, 0); return;
	case RC_ETOOBIG: upload_refused(r, 413, p.text, 0); return;
	case RC_EBUSY: upload_refused(r, 429, p.text, retry_after); return;
	case RC_EIO: upload_refused(r, 503, p.text, RC_IMPORT_RETRY_AFTER_S); return;
	default:
		rc_error("training upload: %s (%s)", rc_err_str(e), rc_db_errmsg(uc.db));
		rc_page_error(r, 503, "The files could not be stored just now; try again in a moment.");
	}
}

static void megabytes(rc_buf *b, int64_t bytes)
{
	rc_html_printf(b, "%.1f MB", (double)bytes / 1e6);
}

/* A size a runner reads: "840.2 MB", "1.2 GB". */
static void size_text(rc_buf *b, int64_t bytes)
{
	if (bytes >= 1000000000)
		rc_html_printf(b, "%.1f GB", (double)bytes / 1e9);
	else
		megabytes(b, bytes);
}

/* What an import job has read so far, in words and as a <progress>. */
static void job_progress(rc_buf *b, const rc_import_job *j)
{
	rc_html_lit(b, "<p class=\"notice\" role=\"status\">");
	const char *label = "Read so far";
	if (j->receiving) {
		/* The upload is still being written into the clinic's database, off the request that brought it. */
		rc_html_lit(b, "Storing your upload: ");
		size_text(b, j->bytes_done);
		rc_html_lit(b, " of ");
		size_text(b, j->bytes_total);
		rc_html_lit(b, " so far; its files are read once it is all stored.");
		label = "Stored so far";
	} else if (j->state == RC_JOB_QUEUED && j->files_seen == 0) {
		rc_html_printf(b, "Waiting to be read: %lld file%s, ", (long long)j->nfiles, j->nfiles == 1 ? "" : "s");
		megabytes(b, j->bytes_total);
		rc_html_lit(b, " uploaded at ");
		rc_html_time(b, j->created_at, "%H:%M");
		rc_html_lit(b, ".");
	} else {
		rc_html_printf(b, "Reading: %lld training file%s so far", (long long)j->files_seen, j->files_seen == 1 ? "" : "s");
		int64_t expected = rc_import_files_expected(j);
		if (expected)
			rc_html_printf(b, " of about %lld", (long long)expected);
		rc_html_printf(b, " (%lld added, %lld already there, %lld could not be read); ", (long long)j->added,
		               (long long)j->duplicates, (long long)j->refused);
		megabytes(b, j->bytes_done);
		rc_html_lit(b, " of ");
		megabytes(b, j->bytes_total);
		rc_html_lit(b, ".");
	}
	rc_html_lit(b, "</p>\n<p><label for=\"job-progress\">");
	rc_html_text(b, label);
	rc_html_lit(b, "</label> <progress id=\"job-progress\" max=\"");
	int64_t total = j->bytes_total > 0 ? j->bytes_total : 1;
	rc_html_printf(b, "%lld", (long long)total);
	rc_html_lit(b, "\" value=\"");
	rc_html_printf(b, "%lld", (long long)j->bytes_done);
	rc_html_lit(b, "\">");
	rc_html_printf(b, "%lld%%", (long long)(j->bytes_done * 100 / total));
	rc_html_lit(b, "</progress></p>\n");
	rc_html_lit(b, "<p>This page looks again every 2 seconds until the files are read; you may also leave it and "
	               "come back later.</p>\n");
}

/* The report the upload page gave before imports ran on their own: counts, then the files that could
 * not be read with the reason. */
static void job_report(rc_buf *b, const rc_import_view *v)
{
	const rc_import_job *j = &v->job;
	rc_html_lit(b, "<p class=\"notice\" role=\"status\">");
	rc_html_printf(b, "%lld added, %lld already there, %lld could not be read", (long long)j->added,
	               (long long)j->duplicates, (long long)j->refused);
	if (j->skipped)
		rc_html_printf(b, "; %lld other files in the archive skipped (not training files)", (long long)j->skipped);
	rc_html_lit(b, ".</p>\n");
}

static void job_problems(rc_buf *b, const rc_import_view *v)
{
	if (!v->nproblems)
		return;
	rc_html_lit(b, "<ul class=\"problems\">\n");
	for (int i = 0; i < v->nproblems; i++) {
		rc_html_lit(b, "<li><strong>");
		rc_html_text(b, v->problems[i].name);
		rc_html_lit(b, "</strong>: ");
		rc_html_text(b, v->problems[i].why);
		rc_html_lit(b, "</li>\n");
	}
	rc_html_lit(b, "</ul>\n");
	/* The list names the first RC_IMPORT_MAX_REPORTED; the count above is whole, and it says so. */
	if (v->job.refused > v->nproblems) {
		rc_html_lit(b, "<p>");
		rc_html_printf(b, "The first %d of the %lld files that could not be read are listed.", v->nproblems,
		               (long long)v->job.refused);
		rc_html_lit(b, "</p>\n");
	}
}

void rc_page_training_import(rc_req *r)
{
	char *end = NULL;
	long long id = strtoll(r->params[0], &end, 10);
	rc_import_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	rc_uc uc;
	rc_req_uc(r, &uc);
	bool found = false;
	if (*end || id <= 0) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	if (!v || !uc.db || rc_app_import_view(&uc, id, v, &found)) {
		rc_page_error(r, 503, "The import could not be read; try again in a moment.");
		return;
	}
	if (!found) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	const rc_import_job *j = &v->job;
	bool self = r->user.id == j->runner_id;
	if (!self)
		rc_req_audit(r, "training.import.view", j->runner_id, "");
	bool open = (j->state == RC_JOB_QUEUED || j->state == RC_JOB_RUNNING) && !v->stalled;
	if (open)
		rc_req_header(r, "Refresh", "2"); /* a header, not a script: the CSP allows no inline script */
	rc_buf *b = &r->out;
	rc_page_begin(r, open ? "Reading training files" : "Training files", self ? "training" : "patients");
	if (open) {
		rc_html_lit(b, "<h1>Reading training files</h1>\n");
		job_progress(b, j);
	} else if (v->stalled) {
		rc_html_lit(b, "<h1>Training files</h1>\n");
		rc_page_alert(r, rc_import_stalled_message);
	} else if (j->state == RC_JOB_FAILED) {
		rc_html_lit(b, "<h1>Training files</h1>\n");
		rc_page_alert(r, j->message[0] ? j->message : "The import could not be finished; upload the files again.");
		job_report(b, v);
	} else {
		rc_html_lit(b, "<h1>Training files</h1>\n");
		job_report(b, v);
	}
	job_problems(b, v);
	if (self)
		rc_html_lit(b, "<p><a href=\"/training\">See my training</a></p>\n");
	else {
		rc_html_lit(b, "<p><a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)j->runner_id);
		rc_html_lit(b, "/training\">See this runner's training</a></p>\n");
	}
	rc_page_end(r);
}

int rc_training_evidence(rc_req *r, const rc_triage_kb *kb, rc_answers *a, rc_training_note *notes, int max)
{
	if (r->user.role != RC_ROLE_RUNNER || !rc_req_db(r))
		return 0;
	rc_uc uc;
	rc_req_uc(r, &uc);
	return rc_app_training_evidence(&uc, r->user.id, kb, a, notes, max);
}
