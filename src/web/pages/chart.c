/* chart.c (pages) — a patient's chart for practitioners and administrators: the header with details and
 * alerts, needling consent, episodes of care, the timeline of visits and notes, measures over time (SVG
 * charts, each with its table), the latest self-check with every answer, training flags, the home program
 * and the diary. Also the small forms around it: details and alerts, a new episode, consent, adverse
 * events. Each handler parses, calls one use case in app/chart.h and renders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/chart.h"
#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/chart_common.h"
#include "web/pages/pages.h"

static void when(rc_buf *b, int64_t t)
{
	rc_html_time(b, t, "%e %b %Y");
}

static void day_text(rc_buf *b, const char *ymd)
{
	int y, m, d;
	if (!rc_date_parse(ymd, &y, &m, &d)) {
		rc_html_text(b, ymd);
		return;
	}
	/* A clinic day: noon of it, shown in the clinic's zone, is that day. */
	rc_html_time(b, rc_tz_day_start(y, m, d) + 12 * 3600, "%e %b %Y");
}

static void fail(rc_req *r, rc_err e, const rc_problem *p)
{
	rc_page_error(r, rc_chart_status(e), p->text[0] ? p->text : "The chart could not be read; try again in a moment.");
}

/* --- sections of the chart ------------------------------------------------------------------------------ */

static void header(rc_req *r, const rc_chart_view *v)
{
	rc_buf *b = &r->out;
	const rc_profile *pr = &v->profile;
	rc_html_lit(b, "<h1>");
	rc_html_text(b, v->patient.name);
	rc_html_lit(b, " <span class=\"sub\">chart</span></h1>\n<section class=\"chart-head\" aria-label=\"Patient\">"
	               "<dl class=\"facts stacked\"><dt>Date of birth</dt><dd>");
	if (pr->date_of_birth[0]) {
		day_text(b, pr->date_of_birth);
		rc_html_printf(b, " (%d years)", v->age);
	} else {
		rc_html_lit(b, "not recorded");
	}
	rc_html_lit(b, "</dd><dt>Phone</dt><dd>");
	if (pr->phone[0]) {
		rc_html_lit(b, "<a href=\"tel:");
		rc_html_tel(b, pr->phone);
		rc_html_lit(b, "\">");
		rc_html_text(b, pr->phone);
		rc_html_lit(b, "</a>");
	} else {
		rc_html_lit(b, "not recorded");
	}
	rc_html_lit(b, "</dd><dt>Emergency contact</dt><dd>");
	if (pr->emergency_name[0] || pr->emergency_phone[0]) {
		rc_html_text(b, pr->emergency_name);
		rc_html_lit(b, " ");
		rc_html_text(b, pr->emergency_phone);
	} else {
		rc_html_lit(b, "not recorded");
	}
	rc_html_lit(b, "</dd><dt>Email</dt><dd>");
	rc_html_text(b, v->patient.email);
	rc_html_lit(b, "</dd></dl><p><a href=\"");
	rc_html_text(b, rc_chart_path(r, v->patient.id, "/details"));
	rc_html_lit(b, "\">Edit details and alerts</a> · <a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)v->patient.id);
	rc_html_lit(b, "/program\">Home program</a> · <a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)v->patient.id);
	rc_html_lit(b, "/training\">Training files</a></p></section>\n");
}

static void alerts(rc_req *r, const rc_chart_view *v)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section class=\"chart-alerts\" aria-labelledby=\"al-h\"><h2 id=\"al-h\">Alerts</h2>\n");
	/* Recent adverse events are alerts too: they change how the next needling is done. */
	if (!v->nalerts && !v->nrecent_adverse && !v->profile.alert_note[0]) {
		rc_html_lit(b, "<p>No alerts recorded. Ask about blood thinners, bleeding disorders, pregnancy, implanted "
		               "devices, fainting with needles, allergies and osteoporosis, and <a href=\"");
		rc_html_text(b, rc_chart_path(r, v->patient.id, "/details"));
		rc_html_lit(b, "\">record them</a>.</p>\n");
	} else {
		rc_html_lit(b, "<ul class=\"alerts\">");
		for (int i = 0; i < v->nalerts; i++) {
			rc_html_lit(b, "<li><strong>");
			rc_html_text(b, v->alerts[i]->label);
			rc_html_lit(b, "</strong> — ");
			rc_html_text(b, v->alerts[i]->why);
			rc_html_lit(b, "</li>");
		}
		if (v->profile.alert_note[0]) {
			rc_html_lit(b, "<li><strong>Note:</strong> ");
			rc_html_text(b, v->profile.alert_note);
			rc_html_lit(b, "</li>");
		}
		for (int i = 0; i < v->nrecent_adverse; i++) {
			const rc_adverse *a = &v->adverse[i];
			rc_html_lit(b, "<li><strong>After a treatment: ");
			rc_html_text(b, rc_adverse_kind_label(a->kind));
			rc_html_lit(b, " (");
			rc_html_text(b, a->severity);
			rc_html_lit(b, ")</strong> on ");
			day_text(b, a->day);
			if (a->description[0]) {
				rc_html_lit(b, ": ");
				rc_html_text(b, a->description);
			}
			rc_html_lit(b, "</li>");
		}
		rc_html_lit(b, "</ul>\n");
	}
	rc_html_lit(b, "<p class=\"consent\">");
	if (v->has_consent) {
		rc_html_lit(b, "Consent to needling: given ");
		day_text(b, v->consent.given_day);
		rc_html_printf(b, " to version %d of the text, recorded by ", v->consent.version);
		rc_html_text(b, v->consent.recorded_by_name);
		rc_html_lit(b, ".");
		if (!v->consent_current)
			rc_html_lit(b, " <strong>The clinic's text has changed since: record consent again before needling.</strong>");
		rc_html_lit(b, " <a href=\"");
		rc_html_text(b, rc_chart_path(r, v->patient.id, "/consent"));
		rc_html_lit(b, "\">Consent form</a>");
	} else {
		rc_html_lit(b, "<strong>No consent to needling recorded.</strong> It is needed before acupuncture or dry "
		               "needling. <a href=\"");
		rc_html_text(b, rc_chart_path(r, v->patient.id, "/consent"));
		rc_html_lit(b, "\">Record consent</a>");
	}
	rc_html_lit(b, "</p>\n");
	if (!v->needling_ready) {
		rc_html_lit(b, "<p class=\"alert\" role=\"note\">");
		rc_html_text(b, rc_acupoints_missing(r->app->chart));
		rc_html_lit(b, "</p>\n");
	}
	rc_html_lit(b, "</section>\n");
}

static void conditions_options(rc_req *r, rc_chart_opt **opts, int *n)
{
	const rc_chart_kb *kb = r->app->chart;
	rc_chart_know k = rc_chart_know_of(r);
	*opts = rc_arena_alloc(&r->arena, sizeof **opts * (size_t)(kb->ndiagnoses + 1));
	*n = 0;
	for (int i = 0; *opts && i < kb->ndiagnoses; i++)
		(*opts)[(*n)++] = (rc_chart_opt){kb->diagnoses[i].condition, rc_chart_condition_name(&k, kb->diagnoses[i].condition)};
}

static void episode_form(rc_req *r, int64_t patient, const rc_problem *p, bool open)
{
	rc_buf *b = &r->out;
	bool typed = p && p->text[0];
	rc_html_lit(b, "<details class=\"form\"");
	if (open || typed)
		rc_html_lit(b, " open");
	rc_html_lit(b, "><summary>Open an episode of care</summary>\n");
	if (typed)
		rc_chart_problem(r, p);
	rc_form_open(r, rc_chart_path(r, patient, "/episodes"));
	rc_chart_text(r, "complaint", "Complaint", "text", typed ? rc_req_form(r, "complaint") : NULL, p, true,
	              "What brings them, in their words: \"pain at the sit bone when sitting\"");
	static const rc_chart_opt sides[] = {{"left", "Left"}, {"right", "Right"}, {"both", "Both"}, {"", "No side (spine, midline)"}};
	rc_chart_select(r, "side", "Side", sides, 4, typed ? rc_req_form(r, "side") : "left", p, false);
	rc_chart_text(r, "onset_day", "Onset (about when it started)", "date", typed ? rc_req_form(r, "onset_day") : NULL, p,
	              true, NULL);
	static const rc_chart_opt kinds[] = {{"gradual", "Gradual"}, {"sudden", "Sudden"}};
	rc_chart_select(r, "onset_kind", "How it started", kinds, 2, typed ? rc_req_form(r, "onset_kind") : "gradual", p,
	                false);
	rc_chart_opt *opts;
	int n;
	conditions_options(r, &opts, &n);
	rc_chart_select(r, "condition", "Working diagnosis", opts, n, typed ? rc_req_form(r, "condition") : NULL, p, false);
	rc_chart_area(r, "goals", "Goals", typed ? rc_req_form(r, "goals") : NULL, 2, RC_GOALS_MAX, p,
	              "What the runner wants back: \"sit through a workday, run 10 km pain-free by March\"");
	rc_form_close(r, "Open the episode");
	rc_html_lit(b, "</details>\n");
}

static void new_note_form(rc_req *r, int64_t patient, const rc_episode *e)
{
	rc_buf *b = &r->out;
	const rc_chart_kb *kb = r->app->chart;
	rc_html_lit(b, "<form class=\"inline-form\" method=\"get\" action=\"");
	rc_html_text(b, rc_chart_path(r, patient, "/notes/new"));
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"episode\" value=\"");
	rc_html_printf(b, "%lld", (long long)e->id);
	rc_html_lit(b, "\"><label for=\"f-template\">Template</label><select id=\"f-template\" name=\"template\">");
	const rc_chart_template *def = rc_chart_template_for(kb, e->condition_key);
	for (int i = 0; i < kb->ntemplates; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_text(b, kb->templates[i].key);
		rc_html_lit(b, "\"");
		if (&kb->templates[i] == def)
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, kb->templates[i].name);
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select> <label for=\"f-kind\">Note</label><select id=\"f-kind\" name=\"kind\">");
	bool first = e->notes == 0;
	static const char *const kinds[] = {"initial", "follow_up", "discharge"};
	for (int i = 0; i < 3; i++) {
		if (i == 0 && !first)
			continue;
		rc_html_lit(b, "<option value=\"");
		rc_html_text(b, kinds[i]);
		rc_html_lit(b, "\">");
		rc_html_text(b, rc_chart_kind_words(kinds[i], false));
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select> <button type=\"submit\">Start the note</button></form>\n");
}

static void episode_facts(rc_req *r, const rc_episode *e)
{
	rc_buf *b = &r->out;
	rc_chart_know k = rc_chart_know_of(r);
	rc_html_lit(b, "<dl class=\"facts stacked\"><dt>Complaint</dt><dd>");
	rc_html_text(b, e->complaint);
	rc_html_lit(b, "</dd><dt>Side</dt><dd>");
	rc_html_text(b, e->side[0] ? e->side : "none");
	rc_html_lit(b, "</dd><dt>Onset</dt><dd>");
	day_text(b, e->onset_day);
	rc_html_lit(b, ", ");
	rc_html_text(b, e->onset_kind);
	rc_html_lit(b, "</dd><dt>Working diagnosis</dt><dd>");
	rc_html_text(b, rc_chart_condition_name(&k, e->condition_key));
	rc_html_lit(b, " <span class=\"code\">ICD-10-CM ");
	rc_html_text(b, e->icd10);
	rc_html_lit(b, "</span></dd><dt>Goals</dt><dd>");
	rc_html_text(b, e->goals);
	rc_html_lit(b, "</dd><dt>Status</dt><dd>");
	if (strcmp(e->status, "active") == 0) {
		rc_html_lit(b, "active since ");
		when(b, e->opened_at);
	} else {
		rc_html_lit(b, "discharged ");
		when(b, e->discharged_at);
		rc_html_lit(b, ": ");
		rc_html_text(b, e->outcome);
	}
	rc_html_lit(b, "</dd><dt>Notes</dt><dd>");
	rc_html_printf(b, "%d (%d signed)", e->notes, e->signed_notes);
	rc_html_lit(b, "</dd></dl>\n");
}

static void episodes(rc_req *r, const rc_chart_view *v, const rc_problem *p)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section aria-labelledby=\"ep-h\"><h2 id=\"ep-h\">Current episode</h2>\n");
	if (v->active) {
		episode_facts(r, v->active);
		new_note_form(r, v->patient.id, v->active);
		if (v->active->signed_notes) {
			rc_html_lit(b, "<p><a href=\"");
			rc_html_text(b, rc_chart_path(r, v->patient.id, rc_arena_printf(&r->arena, "/episodes/%lld/letter",
			                                                               (long long)v->active->id)));
			rc_html_lit(b, "\">Letter for the runner's physician or coach</a></p>\n");
		}
	} else {
		rc_html_lit(b, "<p>No open episode. Open one to write notes: the complaint, its side and onset, a working "
		               "diagnosis and the runner's goals.</p>\n");
	}
	episode_form(r, v->patient.id, p, !v->active);
	int past = 0;
	for (int i = 0; i < v->nepisodes; i++)
		past += &v->episodes[i] != v->active;
	if (past) {
		rc_html_lit(b, "<h3>Earlier episodes</h3>\n");
		for (int i = 0; i < v->nepisodes; i++) {
			if (&v->episodes[i] == v->active)
				continue;
			episode_facts(r, &v->episodes[i]);
			if (v->episodes[i].signed_notes) {
				rc_html_lit(b, "<p><a href=\"");
				rc_html_text(b, rc_chart_path(r, v->patient.id, rc_arena_printf(&r->arena, "/episodes/%lld/letter",
				                                                               (long long)v->episodes[i].id)));
				rc_html_lit(b, "\">Letter</a></p>\n");
			}
		}
	}
	rc_html_lit(b, "</section>\n");
}

static const char *status_words(const char *s)
{
	if (strcmp(s, "booked") == 0)
		return "Booked";
	if (strcmp(s, "arrived") == 0)
		return "Arrived";
	if (strcmp(s, "no_show") == 0)
		return "No-show";
	return s;
}

static void timeline(rc_req *r, const rc_chart_view *v)
{
	rc_buf *b = &r->out;
	const rc_chart_kb *kb = r->app->chart;
	rc_html_lit(b, "<section aria-labelledby=\"tl-h\"><h2 id=\"tl-h\">Visits and notes</h2>\n");
	if (!v->ntimeline) {
		rc_html_lit(b, "<p>No visits or notes yet.</p></section>\n");
		return;
	}
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list timeline\"><thead><tr><th scope=\"col\">When</th>"
	               "<th scope=\"col\">What</th><th scope=\"col\">Who</th><th scope=\"col\">Status</th>"
	               "<th scope=\"col\">Assessment or reason</th></tr></thead><tbody>\n");
	for (int i = 0; i < v->ntimeline; i++) {
		const rc_timeline_item *t = &v->timeline[i];
		rc_html_lit(b, "<tr><td>");
		when(b, t->at);
		rc_html_lit(b, "</td><td>");
		if (t->is_note) {
			const rc_chart_template *tm = rc_chart_template_find(kb, t->title);
			rc_html_lit(b, "<a href=\"");
			rc_html_text(b, rc_chart_path(r, v->patient.id, rc_arena_printf(&r->arena, "/notes/%lld", (long long)t->id)));
			rc_html_lit(b, "\">");
			rc_html_text(b, rc_chart_kind_words(t->what, false));
			rc_html_lit(b, "</a>");
			if (tm) {
				rc_html_lit(b, "<br><small>");
				rc_html_text(b, tm->name);
				rc_html_lit(b, "</small>");
			}
		} else {
			rc_html_text(b, t->title);
			if (strcmp(t->what, "no_show") != 0 && t->at <= r->now + 12 * 3600 && v->active) {
				rc_html_lit(b, "<br><a href=\"");
				rc_html_text(b, rc_chart_path(r, v->patient.id, rc_arena_printf(&r->arena, "/notes/new?appointment=%lld",
				                                                               (long long)t->id)));
				rc_html_lit(b, "\">Write the note</a>");
			}
		}
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, t->who);
		rc_html_lit(b, "</td><td>");
		if (t->is_note)
			rc_html_text(b, t->signed_ ? "Signed" : "Draft");
		else
			rc_html_text(b, status_words(t->what));
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, t->summary);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (v->page || v->more) {
		rc_html_lit(b, "<nav class=\"pages\" aria-label=\"Visits and notes, by page\"><p>");
		if (v->page)
		{
			rc_html_lit(b, "<a href=\"?page=");
			rc_html_printf(b, "%d", v->page);
			rc_html_lit(b, "#tl-h\">Newer</a> ");
		}
		rc_html_printf(b, "Page %d", v->page + 1);
		if (v->more)
		{
			rc_html_lit(b, " <a href=\"?page=");
			rc_html_printf(b, "%d", v->page + 2);
			rc_html_lit(b, "#tl-h\">Older</a>");
		}
		rc_html_lit(b, "</p></nav>\n");
	}
	rc_html_lit(b, "</section>\n");
}

/* --- measures over time -------------------------------------------------------------------------------- */

static void series_name(rc_buf *b, const rc_chart_series *s)
{
	rc_html_text(b, s->label);
	if (s->side[0]) {
		rc_html_lit(b, ", ");
		rc_html_text(b, s->side);
	}
}

static void legend(rc_buf *b, const char *title, const rc_chart_series *const *s, int n)
{
	rc_html_lit(b, "<figcaption>");
	rc_html_text(b, title);
	rc_html_lit(b, ": ");
	for (int i = 0; i < n; i++) {
		rc_html_lit(b, "<span class=\"key s");
		rc_html_printf(b, "%d", i % 4 + 1);
		rc_html_lit(b, "\">");
		series_name(b, s[i]);
		rc_html_lit(b, "</span> ");
	}
	rc_html_lit(b, "</figcaption>");
}

static void figure(rc_req *r, const rc_chart_view *v, const char *id, const char *title, const char *desc,
                   const rc_chart_series *const *s, int n)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<figure class=\"chart\">");
	rc_chart_svg(b, id, title, desc, s, n, v->first_day, v->last_day);
	legend(b, title, s, n);
	rc_html_lit(b, "</figure>\n");
}

static bool pain_field(const rc_chart_field *f)
{
	return f && !f->sided && !f->decimals && f->max == 10 && f->unit && strcmp(f->unit, "/10") == 0;
}

static void value_cell(rc_buf *b, const rc_chart_series *s, int64_t value)
{
	char num[32];
	if (s->decimals)
		snprintf(num, sizeof num, "%lld.%lld", (long long)(value / 10), (long long)(value % 10));
	else
		snprintf(num, sizeof num, "%lld", (long long)value);
	rc_html_text(b, num);
}

static void measures(rc_req *r, const rc_chart_view *v)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section aria-labelledby=\"ms-h\"><h2 id=\"ms-h\">Measures over time</h2>\n<p class=\"meta\">");
	char from[11], to[11];
	rc_day_name(v->first_day, from);
	rc_day_name(v->last_day, to);
	rc_html_lit(b, "From ");
	rc_html_text(b, from);
	rc_html_lit(b, " to ");
	rc_html_text(b, to);
	if (v->all_time)
		rc_html_lit(b, " (everything recorded). <a href=\"?#ms-h\">The current span only</a>");
	else
		rc_html_text(b, v->active ? " (this episode, and the four weeks before it). " : " (the last six months). ");
	if (!v->all_time)
		rc_html_lit(b, "<a href=\"?span=all#ms-h\">Show everything recorded</a>");
	rc_html_lit(b, "</p>\n");
	const rc_chart_series **pick = rc_arena_alloc(&r->arena, sizeof *pick * (size_t)(v->nseries + 1));
	if (!pick)
		return;
	/* Pain at the visits, and the runner's diary pain. */
	int n = 0;
	for (int i = 0; i < v->nclinical; i++)
		if (pain_field(v->series[i].field) && n < 4)
			pick[n++] = &v->series[i];
	if (n)
		figure(r, v, "ch-pain", "Pain recorded at the visits, 0 to 10", "Pain at each signed visit, by day", pick, n);
	const rc_chart_series *diary = &v->series[v->nclinical];
	const rc_chart_series *dpick[3] = {&diary[0], &diary[1], &diary[2]};
	figure(r, v, "ch-diary", "The runner's diary: pain, 0 to 10",
	       "Pain on waking, sitting and running from the runner's own diary, day by day", dpick, 3);
	/* Each other field: its left and right, or its one value; PSFS with the runner's own ratings. */
	for (int i = 0; i < v->nclinical;) {
		const rc_chart_field *f = v->series[i].field;
		int j = i;
		n = 0;
		while (j < v->nclinical && v->series[j].field == f)
			pick[n++] = &v->series[j++];
		if (!pain_field(f)) {
			const char *id = rc_arena_printf(&r->arena, "ch-%s", f->key);
			if (strcmp(f->key, "psfs") == 0)
				pick[n++] = &v->series[v->nseries - 1];
			figure(r, v, id ? id : "ch", f->label, f->plain, pick, n);
		}
		i = j;
	}
	bool psfs_shown = false;
	for (int i = 0; i < v->nclinical; i++)
		psfs_shown |= strcmp(v->series[i].key, "psfs") == 0;
	if (!psfs_shown && v->series[v->nseries - 1].n) {
		pick[0] = &v->series[v->nseries - 1];
		figure(r, v, "ch-psfs", "What the runner can do (PSFS), 0 to 10",
		       "The runner's own Patient-Specific Functional Scale ratings, averaged", pick, 1);
	}
	/* The table of every visit's measures. */
	if (v->nvisits && v->nclinical) {
		rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list measures\"><caption>Measures at each signed "
		               "visit</caption><thead><tr><th scope=\"col\">Visit</th>");
		for (int i = 0; i < v->nclinical; i++) {
			rc_html_lit(b, "<th scope=\"col\">");
			series_name(b, &v->series[i]);
			rc_html_lit(b, "</th>");
		}
		rc_html_lit(b, "</tr></thead><tbody>\n");
		int *at = rc_arena_alloc(&r->arena, sizeof *at * (size_t)v->nclinical);
		for (int k = 0; at && k < v->nvisits; k++) {
			char d[11];
			rc_day_name(v->visits[k].day, d);
			rc_html_lit(b, "<tr><th scope=\"row\">");
			rc_html_text(b, d);
			rc_html_lit(b, "</th>");
			for (int i = 0; i < v->nclinical; i++) {
				const rc_chart_series *s = &v->series[i];
				rc_html_lit(b, "<td>");
				/* Each series' points are in the visits' order: one step along when this visit has one. */
				if (at[i] < s->n && s->v[at[i]].note == v->visits[k].note)
					value_cell(b, s, s->v[at[i]++].value);
				else
					rc_html_lit(b, "—");
				rc_html_lit(b, "</td>");
			}
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	/* The diary week by week: the chart's numbers. */
	if (diary[0].n) {
		rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list measures\"><caption>The diary week by week "
		               "(averages, 0 to 10)</caption><thead><tr><th scope=\"col\">Week from</th><th scope=\"col\">Days "
		               "recorded</th><th scope=\"col\">On waking</th><th scope=\"col\">Sitting</th><th scope=\"col\">"
		               "Running</th></tr></thead><tbody>\n");
		/* One pass: the points are in day order; weeks end on the last day shown. */
		int64_t weeks = (v->last_day - diary[0].v[0].day) / 7 + 1;
		double *sum = rc_arena_alloc(&r->arena, sizeof *sum * (size_t)weeks * 3);
		int *cnt = rc_arena_alloc(&r->arena, sizeof *cnt * (size_t)weeks * 3);
		for (int s = 0; sum && cnt && s < 3; s++)
			for (int i = 0; i < diary[s].n; i++) {
				int64_t w = (v->last_day - diary[s].v[i].day) / 7;
				if (w >= 0 && w < weeks)
					sum[w * 3 + s] += (double)diary[s].v[i].value, cnt[w * 3 + s]++;
			}
		for (int64_t w = 0; sum && cnt && w < weeks; w++) {
			if (!cnt[w * 3])
				continue;
			char d[11];
			rc_day_name(v->last_day - 6 - w * 7, d);
			rc_html_lit(b, "<tr><th scope=\"row\">");
			rc_html_text(b, d);
			rc_html_lit(b, "</th><td>");
			rc_html_printf(b, "%d", cnt[w * 3]);
			rc_html_lit(b, "</td>");
			for (int s = 0; s < 3; s++) {
				rc_html_lit(b, "<td>");
				if (cnt[w * 3 + s])
					rc_html_printf(b, "%.1f", sum[w * 3 + s] / cnt[w * 3 + s]);
				else
					rc_html_lit(b, "—");
				rc_html_lit(b, "</td>");
			}
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	rc_html_lit(b, "</section>\n");
}

/* --- the runner's own records --------------------------------------------------------------------------- */

static void selfcheck(rc_req *r, const rc_chart_view *v)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section aria-labelledby=\"sc-h\"><h2 id=\"sc-h\">Latest self-check</h2>\n");
	if (!v->has_selfcheck) {
		rc_html_lit(b, "<p>The runner has not kept a self-check.</p></section>\n");
		return;
	}
	rc_html_lit(b, "<p>");
	when(b, v->selfcheck.at);
	rc_html_lit(b, ": <strong>");
	rc_html_text(b, rc_level_label(v->selfcheck.urgency));
	rc_html_lit(b, "</strong>, most likely ");
	rc_html_text(b, v->selfcheck_top ? v->selfcheck_top : v->selfcheck.top);
	rc_html_lit(b, ".</p>\n");
	if (v->nflags) {
		rc_html_lit(b, "<ul class=\"red-flags\">");
		for (int i = 0; i < v->nflags; i++) {
			rc_html_lit(b, "<li>");
			rc_html_text(b, v->flag_reasons[i]);
			rc_html_lit(b, "</li>");
		}
		rc_html_lit(b, "</ul>\n");
	}
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list answers\"><caption>Every answer, warning signs "
	               "first</caption><thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Answer</th></tr></thead>"
	               "<tbody>\n");
	for (int i = 0; i < v->nanswers; i++) {
		const rc_chart_answer *a = &v->answers[i];
		rc_html_lit(b, "<tr");
		if (a->fired)
			rc_html_lit(b, " class=\"fired\"");
		else if (a->red_flag)
			rc_html_lit(b, " class=\"red\"");
		rc_html_lit(b, "><td>");
		if (a->red_flag)
			rc_html_lit(b, "<span class=\"tag\">Warning sign</span> ");
		rc_html_text(b, a->finding->question);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, a->text);
		if (a->fired)
			rc_html_lit(b, " <strong>(raised the urgency)</strong>");
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div></section>\n");
}

static void training(rc_req *r, const rc_chart_view *v)
{
	rc_buf *b = &r->out;
	const rc_training *t = v->training;
	rc_html_lit(b, "<section aria-labelledby=\"tr-h\"><h2 id=\"tr-h\">Training flags</h2>\n");
	if (!t || !t->activities) {
		rc_html_lit(b, "<p>No training files.</p></section>\n");
		return;
	}
	rc_html_lit(b, "<p>");
	rc_html_printf(b, "Last 7 days %.0f minutes running; the 4 weeks before, %.0f a week on average (load ratio "
	                  "%.2f).",
	               t->acute, t->chronic_week, t->ratio);
	if (t->stale)
		rc_html_lit(b, " The files stop more than four weeks ago: these figures are as of the latest one.");
	rc_html_lit(b, "</p>\n");
	if (!t->nflags)
		rc_html_lit(b, "<p>No flags: no spike in load, new hills, speed or track bends.</p>\n");
	else
		rc_html_lit(b, "<ul class=\"flags\">");
	for (int i = 0; i < t->nflags; i++) {
		rc_html_lit(b, "<li>");
		rc_html_text(b, t->flags[i].text);
		rc_html_lit(b, "<small>Source: ");
		rc_html_text(b, t->flags[i].source);
		rc_html_lit(b, "</small></li>");
	}
	if (t->nflags)
		rc_html_lit(b, "</ul>\n");
	rc_html_lit(b, "</section>\n");
}

static void program(rc_req *r, const rc_chart_view *v)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section aria-labelledby=\"pg-h\"><h2 id=\"pg-h\">Home program</h2>\n<p>");
	if (!v->has_program || !v->program) {
		rc_html_lit(b, "No home program. Assign one in a note's treatments, or on the <a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)v->patient.id);
		rc_html_lit(b, "/program\">program page</a>.</p></section>\n");
		return;
	}
	rc_html_lit(b, "<strong>");
	rc_html_text(b, v->program->name);
	rc_html_lit(b, "</strong>");
	rc_html_printf(b, ", stage %d of %d, since ", v->assignment.stage, v->program->nstages);
	when(b, v->assignment.started_at);
	rc_html_printf(b, ". Done as planned: %.0f%% in the last 7 days, %.0f%% in the last 28. ", v->adherence7 * 100,
	               v->adherence28 * 100);
	rc_html_lit(b, "<a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)v->patient.id);
	rc_html_lit(b, "/program\">Program and its charts</a></p></section>\n");
}

static void diary(rc_req *r, const rc_chart_view *v)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section aria-labelledby=\"dy-h\"><h2 id=\"dy-h\">Diary notes</h2>\n");
	if (!v->ndiary_notes) {
		rc_html_lit(b, "<p>");
		rc_html_printf(b, "%d diary day%s in this span, none with a note.", v->diary_days, v->diary_days == 1 ? "" : "s");
		rc_html_lit(b, "</p></section>\n");
		return;
	}
	rc_html_lit(b, "<ul class=\"diary-notes\">");
	for (int i = 0; i < v->ndiary_notes; i++) {
		const rc_diary_point *d = &v->diary_notes[i];
		rc_html_lit(b, "<li><strong>");
		day_text(b, d->day);
		rc_html_lit(b, "</strong>");
		rc_html_printf(b, " (waking %d, sitting %d", d->pain_rest, d->pain_sitting);
		if (d->pain_running >= 0)
			rc_html_printf(b, ", running %d", d->pain_running);
		rc_html_lit(b, "): ");
		rc_html_text(b, d->notes);
		rc_html_lit(b, "</li>");
	}
	rc_html_lit(b, "</ul></section>\n");
}

static void adverse(rc_req *r, const rc_chart_view *v, const rc_problem *p)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section aria-labelledby=\"ae-h\"><h2 id=\"ae-h\">Adverse events</h2>\n");
	if (!v->nadverse) {
		rc_html_lit(b, "<p>None recorded.</p>\n");
	} else {
		rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr><th scope=\"col\">Day</th><th "
		               "scope=\"col\">What</th><th scope=\"col\">Severity</th><th scope=\"col\">Description</th><th "
		               "scope=\"col\">Recorded by</th></tr></thead><tbody>\n");
		for (int i = 0; i < v->nadverse; i++) {
			const rc_adverse *a = &v->adverse[i];
			rc_html_lit(b, "<tr><td>");
			day_text(b, a->day);
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, rc_adverse_kind_label(a->kind));
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, a->severity);
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, a->description);
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, a->recorded_by_name);
			rc_html_lit(b, "</td></tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	bool typed = p && p->text[0];
	rc_html_lit(b, "<details class=\"form\"");
	if (typed)
		rc_html_lit(b, " open");
	rc_html_lit(b, "><summary>Record an adverse event</summary>\n");
	if (typed)
		rc_chart_problem(r, p);
	rc_form_open(r, rc_chart_path(r, v->patient.id, "/adverse-events"));
	char t[11];
	rc_tz_date(r->now, t);
	rc_chart_text(r, "day", "Day", "date", typed ? rc_req_form(r, "day") : t, p, true, NULL);
	rc_chart_opt kinds[8];
	for (int i = 0; i < rc_adverse_nkinds; i++)
		kinds[i] = (rc_chart_opt){rc_adverse_kinds[i], rc_adverse_kind_label(rc_adverse_kinds[i])};
	rc_chart_select(r, "kind", "What happened", kinds, rc_adverse_nkinds, typed ? rc_req_form(r, "kind") : NULL, p, false);
	static const rc_chart_opt sev[] = {{"mild", "Mild"}, {"moderate", "Moderate"}, {"severe", "Severe"}};
	rc_chart_select(r, "severity", "Severity", sev, 3, typed ? rc_req_form(r, "severity") : NULL, p, false);
	rc_chart_area(r, "description", "Description", typed ? rc_req_form(r, "description") : NULL, 2, RC_ADVERSE_MAX_TEXT,
	              p, "Where, how long, what was done");
	rc_form_close(r, "Record the adverse event");
	rc_html_lit(b, "</details></section>\n");
}

/* --- the page ------------------------------------------------------------------------------------------ */

/* The chart; problem: a refused form on it (episode or adverse event), shown with what was typed. */
static void chart_page(rc_req *r, const rc_problem *problem, const char *form)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	rc_chart_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	rc_problem p = {0};
	const char *page = rc_req_query(r, "page"), *span = rc_req_query(r, "span");
	rc_chart_view_in in = {rc_chart_param(r, 0), page ? atoi(page) - 1 : 0, span && strcmp(span, "all") == 0};
	if (in.page < 0 || in.page > 100000)
		in.page = 0;
	rc_err e = v ? rc_app_chart_view(&uc, &k, &in, v, &p) : RC_ENOMEM;
	if (e) {
		fail(r, e, &p);
		return;
	}
	rc_page_begin(r, v->patient.name, "patients");
	const char *saved = rc_req_query(r, "saved");
	if (saved && !problem)
		rc_page_notice(r, strcmp(saved, "episode") == 0   ? "The episode is open."
		                  : strcmp(saved, "adverse") == 0 ? "The adverse event is recorded: it shows as an alert."
		                  : strcmp(saved, "consent") == 0 ? "Consent to needling is recorded."
		                  : strcmp(saved, "withdrawn") == 0 ? "Consent to needling is withdrawn."
		                                                    : "Saved.");
	header(r, v);
	alerts(r, v);
	episodes(r, v, form && strcmp(form, "episode") == 0 ? problem : NULL);
	timeline(r, v);
	measures(r, v);
	selfcheck(r, v);
	training(r, v);
	program(r, v);
	diary(r, v);
	adverse(r, v, form && strcmp(form, "adverse") == 0 ? problem : NULL);
	rc_page_end(r);
}

void rc_page_chart(rc_req *r)
{
	chart_page(r, NULL, NULL);
}

static void redirect_chart(rc_req *r, int64_t patient, const char *rest)
{
	rc_req_redirect(r, rc_chart_path(r, patient, rest));
}

void rc_page_chart_episode_post(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	int64_t patient = rc_chart_param(r, 0);
	rc_episode_in in = {rc_req_form(r, "complaint"), rc_req_form(r, "side"), rc_req_form(r, "onset_day"),
	                    rc_req_form(r, "onset_kind"), rc_req_form(r, "condition"), rc_req_form(r, "goals")};
	rc_episode ep;
	rc_problem p = {0};
	rc_err e = rc_app_episode_open(&uc, &k, patient, &in, &ep, &p);
	if (e == RC_EINVAL || (e == RC_ECONFLICT && p.text[0])) {
		r->status = rc_chart_status(e);
		chart_page(r, &p, "episode");
		return;
	}
	if (e) {
		fail(r, e, &p);
		return;
	}
	redirect_chart(r, patient, "?saved=episode");
}

void rc_page_chart_adverse_post(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	int64_t patient = rc_chart_param(r, 0);
	rc_adverse_in in = {rc_req_form(r, "day"), rc_req_form(r, "kind"), rc_req_form(r, "severity"),
	                    rc_req_form(r, "description"), 0};
	rc_adverse a;
	rc_problem p = {0};
	rc_err e = rc_app_adverse_record(&uc, patient, &in, &a, &p);
	if (e == RC_EINVAL || (e == RC_ECONFLICT && p.text[0])) {
		r->status = rc_chart_status(e);
		chart_page(r, &p, "adverse");
		return;
	}
	if (e) {
		fail(r, e, &p);
		return;
	}
	redirect_chart(r, patient, "?saved=adverse#al-h");
}

/* --- details and alerts ---------------------------------------------------------------------------------- */

static void details_page(rc_req *r, const rc_problem *p)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	int64_t patient = rc_chart_param(r, 0);
	rc_patient_details d;
	rc_problem q = {0};
	rc_err e = rc_app_patient_details(&uc, patient, "details", &d, &q);
	if (e) {
		fail(r, e, &q);
		return;
	}
	const rc_account *who = &d.patient;
	const rc_profile *pr = &d.profile;
	bool has = d.has_profile;
	rc_buf *b = &r->out;
	bool typed = p && p->text[0];
	rc_page_begin(r, "Details and alerts", "patients");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, who->name);
	rc_html_lit(b, ": details and alerts</h1>\n<p><a href=\"");
	rc_html_text(b, rc_chart_path(r, patient, ""));
	rc_html_lit(b, "\">Back to the chart</a></p>\n");
	if (typed)
		rc_chart_problem(r, p);
	rc_form_open(r, rc_chart_path(r, patient, "/details"));
	rc_chart_text(r, "date_of_birth", "Date of birth", "date", typed ? rc_req_form(r, "date_of_birth") : pr->date_of_birth,
	              p, false, NULL);
	rc_chart_text(r, "phone", "Phone", "tel", typed ? rc_req_form(r, "phone") : pr->phone, p, false, NULL);
	rc_chart_text(r, "emergency_name", "Emergency contact", "text", typed ? rc_req_form(r, "emergency_name") : pr->emergency_name,
	              p, false, "Name and relation: \"Sam Runner, partner\"");
	rc_chart_text(r, "emergency_phone", "Emergency contact's phone", "tel",
	              typed ? rc_req_form(r, "emergency_phone") : pr->emergency_phone, p, false, NULL);
	rc_html_lit(b, "<fieldset");
	if (p && p->field && strcmp(p->field, "alerts") == 0)
		rc_html_lit(b, " aria-invalid=\"true\"");
	rc_html_lit(b, "><legend>Alerts for needling and manual therapy</legend>\n");
	for (int i = 0; i < RC_CHART_NALERTS; i++) {
		const rc_chart_alert *a = &rc_chart_alerts[i];
		bool on = false;
		if (typed) {
			for (size_t f = 0; f < r->form.n; f++)
				on |= strcmp(r->form.fields[f].name, "alerts") == 0 && strcmp(r->form.fields[f].value, a->key) == 0;
		} else {
			char buf[sizeof pr->alerts];
			snprintf(buf, sizeof buf, "%s", pr->alerts);
			for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
				on |= strcmp(w, a->key) == 0;
		}
		rc_html_lit(b, "<label class=\"choice block\"><input type=\"checkbox\" name=\"alerts\" value=\"");
		rc_html_text(b, a->key);
		rc_html_lit(b, "\"");
		if (on)
			rc_html_lit(b, " checked");
		rc_html_lit(b, "> ");
		rc_html_text(b, a->label);
		rc_html_lit(b, "</label>\n");
	}
	rc_html_lit(b, "</fieldset>\n");
	rc_chart_area(r, "alert_note", "Alert details", typed ? rc_req_form(r, "alert_note") : pr->alert_note, 2,
	              RC_ALERT_NOTE_MAX, p, "Which drug, which allergy, which device");
	rc_form_close(r, "Save details and alerts");
	if (has) {
		rc_html_lit(b, "<p class=\"meta\">Last saved ");
		rc_html_time(b, pr->updated_at, "%e %b %Y, %H:%M");
		rc_html_lit(b, ". Every earlier version is kept.</p>\n");
	}
	rc_page_end(r);
}

void rc_page_chart_details(rc_req *r)
{
	details_page(r, NULL);
}

void rc_page_chart_details_post(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	int64_t patient = rc_chart_param(r, 0);
	rc_profile_in in = {rc_req_form(r, "date_of_birth"), rc_req_form(r, "phone"), rc_req_form(r, "emergency_name"),
	                    rc_req_form(r, "emergency_phone"), rc_req_form(r, "alert_note"), {0}, 0};
	for (size_t f = 0; f < r->form.n; f++)
		if (strcmp(r->form.fields[f].name, "alerts") == 0 && !r->form.fields[f].filename) {
			if (in.nalerts <= RC_CHART_NALERTS)
				in.alerts[in.nalerts] = r->form.fields[f].value;
			in.nalerts++;
		}
	if (in.nalerts > RC_CHART_NALERTS + 1)
		in.nalerts = RC_CHART_NALERTS + 1;
	rc_problem p = {0};
	rc_err e = rc_app_profile_save(&uc, patient, &in, &p);
	if (e == RC_EINVAL) {
		r->status = 422;
		details_page(r, &p);
		return;
	}
	if (e) {
		fail(r, e, &p);
		return;
	}
	redirect_chart(r, patient, "?saved=details");
}

/* --- consent ------------------------------------------------------------------------------------------------ */

static void consent_page(rc_req *r, const rc_problem *p)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	int64_t patient = rc_chart_param(r, 0);
	const rc_chart_kb *kb = r->app->chart;
	rc_patient_details d;
	rc_problem q = {0};
	rc_err e = rc_app_patient_details(&uc, patient, "consent", &d, &q);
	if (e) {
		fail(r, e, &q);
		return;
	}
	const rc_account *who = &d.patient;
	const rc_consent cs = d.consent;
	bool has = d.has_consent;
	rc_buf *b = &r->out;
	bool typed = p && p->text[0];
	rc_page_begin(r, "Consent to needling", "patients");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, kb->consent_title);
	rc_html_lit(b, "</h1>\n<p><a href=\"");
	rc_html_text(b, rc_chart_path(r, patient, ""));
	rc_html_lit(b, "\">Back to ");
	rc_html_text(b, who->name);
	rc_html_lit(b, "'s chart</a></p>\n<div class=\"consent-text\"><p class=\"meta\">");
	rc_html_printf(b, "Version %d", kb->consent_version);
	rc_html_lit(b, "</p>");
	for (int i = 0; i < kb->nconsent; i++) {
		rc_html_lit(b, "<p>");
		rc_html_text(b, kb->consent[i]);
		rc_html_lit(b, "</p>");
	}
	rc_html_lit(b, "<p class=\"source\">");
	rc_html_text(b, kb->consent_source);
	rc_html_lit(b, "</p></div>\n");
	if (has) {
		rc_html_lit(b, "<p class=\"notice\">");
		rc_html_text(b, who->name);
		rc_html_lit(b, " consented on ");
		day_text(b, cs.given_day);
		rc_html_printf(b, " to version %d%s.", cs.version,
		               cs.version == kb->consent_version ? "" : " (an earlier text: record consent to this one)");
		rc_html_lit(b, "</p>\n");
		rc_form_button(r, rc_chart_path(r, patient, "/consent/withdraw"), "Record that consent is withdrawn");
	}
	if (!has || cs.version != kb->consent_version) {
		rc_html_lit(b, "<h2>Record consent</h2>\n<p>The runner has read this text (on paper or this screen), had their "
		               "questions answered, and agrees.</p>\n");
		if (typed)
			rc_chart_problem(r, p);
		rc_form_open(r, rc_chart_path(r, patient, "/consent"));
		rc_html_lit(b, "<input type=\"hidden\" name=\"version\" value=\"");
		rc_html_printf(b, "%d", kb->consent_version);
		rc_html_lit(b, "\">");
		char t[11];
		rc_tz_date(r->now, t);
		rc_chart_text(r, "given_day", "Given on", "date", typed ? rc_req_form(r, "given_day") : t, p, true, NULL);
		rc_form_close(r, "Record consent to needling");
	}
	rc_page_end(r);
}

void rc_page_chart_consent(rc_req *r)
{
	consent_page(r, NULL);
}

void rc_page_chart_consent_post(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	int64_t patient = rc_chart_param(r, 0);
	const char *v = rc_req_form(r, "version");
	rc_consent_in in = {v ? atoi(v) : 0, rc_req_form(r, "given_day")};
	rc_consent out;
	rc_problem p = {0};
	rc_err e = rc_app_consent_record(&uc, &k, patient, &in, &out, &p);
	if (e == RC_EINVAL) {
		r->status = 422;
		consent_page(r, &p);
		return;
	}
	if (e) {
		fail(r, e, &p);
		return;
	}
	redirect_chart(r, patient, "?saved=consent#al-h");
}

void rc_page_chart_consent_withdraw(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	int64_t patient = rc_chart_param(r, 0);
	rc_problem p = {0};
	rc_err e = rc_app_consent_withdraw(&uc, patient, &p);
	if (e) {
		fail(r, e, &p);
		return;
	}
	redirect_chart(r, patient, "?saved=withdrawn#al-h");
}
