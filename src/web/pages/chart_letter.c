/* chart_letter.c — what leaves the clinic from the chart: the printable letter to a runner's physician or
 * coach (episode, findings, treatment, plan, from the signed notes only), and the runner's own signed
 * notes in plain words (US patients' right to read their notes; drafts stay private). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/chart.h"
#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/chart_common.h"
#include "web/pages/pages.h"

static void fail(rc_req *r, rc_err e, const rc_problem *p)
{
	rc_page_error(r, rc_chart_status(e), p->text[0] ? p->text : "This could not be read; try again in a moment.");
}

static void day_text(rc_buf *b, const char *ymd)
{
	int y, m, d;
	if (rc_date_parse(ymd, &y, &m, &d))
		rc_html_time(b, rc_tz_day_start(y, m, d) + 12 * 3600, "%e %B %Y");
	else
		rc_html_text(b, ymd);
}

static void findings_list(rc_buf *b, const rc_note *n, bool plain)
{
	if (!n->nfindings) {
		rc_html_lit(b, "<p>No structured findings recorded.</p>\n");
		return;
	}
	rc_html_lit(b, "<ul class=\"findings\">");
	for (int i = 0; i < n->nfindings; i++) {
		const rc_note_finding *f = &n->findings[i];
		rc_html_lit(b, "<li>");
		rc_html_text(b, f->field ? (plain ? f->field->plain : f->field->label) : f->key);
		if (f->side != RC_SIDE_NONE) {
			rc_html_lit(b, " (");
			rc_html_text(b, rc_side_name(f->side));
			rc_html_lit(b, ")");
		}
		rc_html_lit(b, ": ");
		rc_chart_finding_words(b, f, plain);
		rc_html_lit(b, "</li>");
	}
	rc_html_lit(b, "</ul>\n");
}

/* --- the letter --------------------------------------------------------------------------------------------- */

void rc_page_chart_letter(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	int64_t patient = rc_chart_param(r, 0), episode = rc_chart_param(r, 1);
	rc_letter *l = rc_arena_alloc(&r->arena, sizeof *l);
	rc_problem p = {0};
	rc_err e = l ? rc_app_letter(&uc, &k, patient, episode, l, &p) : RC_ENOMEM;
	if (e) {
		fail(r, e, &p);
		return;
	}
	const rc_clinic *c = &r->app->content->clinic;
	const char *to = rc_req_query(r, "to");
	rc_buf *b = &r->out;
	rc_page_begin(r, "Letter", "patients");
	rc_html_lit(b, "<form class=\"no-print inline-form\" method=\"get\"><label for=\"f-to\">Addressed to</label>"
	               "<input id=\"f-to\" name=\"to\" type=\"text\" maxlength=\"120\" value=\"");
	rc_html_text(b, to ? to : "");
	rc_html_lit(b, "\"> <button type=\"submit\" class=\"secondary\">Address it</button> <a href=\"");
	rc_html_text(b, rc_chart_path(r, patient, ""));
	rc_html_lit(b, "\">Back to the chart</a></form>\n<article class=\"letter\"><header><p class=\"from\"><strong>");
	rc_html_text(b, c->name);
	rc_html_lit(b, "</strong><br>");
	rc_html_text(b, c->street);
	rc_html_lit(b, ", ");
	rc_html_text(b, c->city);
	rc_html_lit(b, "<br>");
	rc_html_text(b, c->phone);
	rc_html_lit(b, "</p><p>");
	rc_html_time(b, r->now, "%e %B %Y");
	rc_html_lit(b, "</p><p>To: ");
	rc_html_text(b, to && *to ? to : "the runner's physician or coach");
	rc_html_lit(b, "</p></header>\n<h1>Report on ");
	rc_html_text(b, l->patient.name);
	if (l->profile.date_of_birth[0]) {
		rc_html_lit(b, ", born ");
		day_text(b, l->profile.date_of_birth);
	}
	rc_html_lit(b, "</h1>\n<h2>The episode of care</h2>\n<p>Presenting complaint: ");
	rc_html_text(b, l->episode.complaint);
	if (l->episode.side[0]) {
		rc_html_lit(b, " (");
		rc_html_text(b, l->episode.side);
		rc_html_lit(b, ")");
	}
	rc_html_lit(b, ", of ");
	rc_html_text(b, l->episode.onset_kind);
	rc_html_lit(b, " onset around ");
	day_text(b, l->episode.onset_day);
	rc_html_lit(b, ". Working diagnosis: <strong>");
	rc_html_text(b, rc_chart_condition_name(&k, l->episode.condition_key));
	rc_html_lit(b, "</strong> (ICD-10-CM ");
	rc_html_text(b, l->episode.icd10);
	if (l->nnotes == 1) {
		rc_html_lit(b, "). We have seen them once, on ");
		day_text(b, l->first->row.visit_day);
	} else {
		rc_html_printf(b, "). We have seen them %d times, from ", l->nnotes);
		day_text(b, l->first->row.visit_day);
		rc_html_lit(b, " to ");
		day_text(b, l->latest->row.visit_day);
	}
	rc_html_lit(b, ". Their goals: ");
	rc_html_text(b, l->episode.goals);
	rc_html_lit(b, "</p>\n");
	if (strcmp(l->episode.status, "discharged") == 0) {
		rc_html_lit(b, "<p><strong>Discharged</strong> ");
		rc_html_time(b, l->episode.discharged_at, "%e %B %Y");
		rc_html_lit(b, ": ");
		rc_html_text(b, l->episode.outcome);
		rc_html_lit(b, "</p>\n");
	}
	rc_html_lit(b, "<h2>Findings</h2>\n<h3>At the first visit, ");
	day_text(b, l->first->row.visit_day);
	rc_html_lit(b, "</h3>\n");
	findings_list(b, l->first, false);
	if (l->latest != l->first && l->latest->row.id != l->first->row.id) {
		rc_html_lit(b, "<h3>At the latest visit, ");
		day_text(b, l->latest->row.visit_day);
		rc_html_lit(b, "</h3>\n");
		findings_list(b, l->latest, false);
	}
	rc_html_lit(b, "<h3>Assessment</h3>\n<p class=\"soap-text\">");
	rc_html_text(b, l->latest->assessment);
	rc_html_lit(b, "</p>\n<h2>Treatment</h2>\n");
	if (!l->ntreatments) {
		rc_html_lit(b, "<p>No treatments recorded.</p>\n");
	} else {
		rc_html_lit(b, "<ul>");
		for (int i = 0; i < l->ntreatments; i++) {
			rc_html_lit(b, "<li>");
			rc_html_text(b, rc_treatment_kind_label(l->treatments[i].kind));
			rc_html_printf(b, ": %lld time%s", (long long)l->treatments[i].n, l->treatments[i].n == 1 ? "" : "s");
			rc_html_lit(b, "</li>");
		}
		rc_html_lit(b, "</ul>\n");
	}
	if (l->npoints) {
		rc_html_lit(b, "<p>Acupuncture points used most: ");
		for (int i = 0; i < l->npoints; i++) {
			const rc_acupoint *pt = rc_acupoint_find(r->app->chart, l->points[i].code);
			rc_html_text(b, i ? ", " : "");
			rc_html_text(b, l->points[i].code);
			if (pt && pt->name[0]) {
				rc_html_lit(b, " ");
				rc_html_text(b, pt->name);
			}
			rc_html_printf(b, " (%lld)", (long long)l->points[i].n);
		}
		rc_html_lit(b, ".</p>\n");
	}
	if (l->latest->ntreatments) {
		rc_html_lit(b, "<p>At the latest visit:</p><ul class=\"treatments\">");
		for (int i = 0; i < l->latest->ntreatments; i++) {
			rc_html_lit(b, "<li>");
			rc_chart_treatment_words(b, &k, &l->latest->treatments[i], false);
			rc_html_lit(b, "</li>");
		}
		rc_html_lit(b, "</ul>\n");
	}
	rc_html_lit(b, "<h2>Plan</h2>\n<p class=\"soap-text\">");
	rc_html_text(b, l->latest->plan);
	rc_html_lit(b, "</p>\n<p class=\"signature\">");
	rc_html_text(b, r->user.name);
	rc_html_lit(b, "<br>");
	rc_html_text(b, c->name);
	rc_html_lit(b, "</p>\n<p class=\"meta\">Written from the signed clinical notes of this episode.</p></article>\n");
	rc_page_end(r);
}

/* --- the runner's own notes ----------------------------------------------------------------------------------- */

void rc_page_my_notes(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	const char *pg = rc_req_query(r, "page");
	int page = pg ? atoi(pg) - 1 : 0;
	if (page < 0 || page > 100000)
		page = 0;
	rc_note_list l;
	rc_problem p = {0};
	rc_err e = rc_app_runner_notes(&uc, &k, r->user.id, page, &l, &p);
	if (e) {
		fail(r, e, &p);
		return;
	}
	rc_buf *b = &r->out;
	rc_page_begin(r, "Your visit notes", "notes");
	rc_html_lit(b, "<h1>Your visit notes</h1>\n<p>What your practitioner wrote at each visit, once they signed it: "
	               "what you told us, what we found, what we think and the plan. Ask us about anything that is not "
	               "clear. A correction is added below a note; the note itself is never changed.</p>\n");
	if (!l.n)
		rc_html_lit(b, "<p>There are no signed notes yet.</p>\n");
	for (int i = 0; i < l.n; i++) {
		const rc_note *n = &l.v[i];
		rc_html_lit(b, "<article class=\"note plain\"><h2>");
		rc_html_text(b, rc_chart_kind_words(n->row.kind, true));
		rc_html_lit(b, ", ");
		day_text(b, n->row.visit_day);
		rc_html_lit(b, "</h2>\n<p class=\"meta\">With ");
		rc_html_text(b, n->row.signer_name);
		rc_html_lit(b, ". About: ");
		rc_html_text(b, n->episode.complaint);
		rc_html_lit(b, ".</p>\n<h3>What you told us</h3>\n<p class=\"soap-text\">");
		rc_html_text(b, n->subjective[0] ? n->subjective : "—");
		rc_html_lit(b, "</p>\n<h3>What we found</h3>\n<p class=\"soap-text\">");
		rc_html_text(b, n->objective[0] ? n->objective : "—");
		rc_html_lit(b, "</p>\n");
		if (n->nfindings)
			findings_list(b, n, true);
		if (n->nmarks) {
			rc_html_lit(b, "<p>Where it hurts: ");
			for (int j = 0; j < n->nmarks; j++) {
				const rc_body_mark *m = rc_body_mark_find(n->marks[j]);
				rc_html_text(b, j ? ", " : "");
				rc_html_text(b, m ? m->label : n->marks[j]);
			}
			rc_html_lit(b, ".</p>\n");
		}
		rc_html_lit(b, "<h3>What we think</h3>\n<p class=\"soap-text\">");
		rc_html_text(b, n->assessment);
		rc_html_lit(b, "</p>\n<p>The name for it: ");
		rc_html_text(b, rc_chart_condition_name(&k, n->episode.condition_key));
		rc_html_lit(b, ".</p>\n<h3>The plan</h3>\n<p class=\"soap-text\">");
		rc_html_text(b, n->plan);
		rc_html_lit(b, "</p>\n");
		if (n->ntreatments) {
			rc_html_lit(b, "<p>What we did at this visit:</p><ul class=\"treatments\">");
			for (int j = 0; j < n->ntreatments; j++) {
				rc_html_lit(b, "<li>");
				rc_chart_treatment_words(b, &k, &n->treatments[j], true);
				rc_html_lit(b, "</li>");
			}
			rc_html_lit(b, "</ul>\n");
		}
		for (int j = 0; j < n->naddenda; j++) {
			rc_html_lit(b, "<p class=\"addendum\"><strong>Added ");
			rc_html_time(b, n->addenda[j].created_at, "%e %B %Y");
			rc_html_lit(b, " by ");
			rc_html_text(b, n->addenda[j].author_name);
			rc_html_lit(b, ":</strong> ");
			rc_html_text(b, n->addenda[j].text);
			rc_html_lit(b, "</p>\n");
		}
		rc_html_lit(b, "</article>\n");
	}
	if (l.page || l.more) {
		rc_html_lit(b, "<nav class=\"pages\" aria-label=\"Notes, by page\"><p>");
		if (l.page)
		{
			rc_html_lit(b, "<a href=\"?page=");
			rc_html_printf(b, "%d", l.page);
			rc_html_lit(b, "\">Newer</a> ");
		}
		rc_html_printf(b, "Page %d", l.page + 1);
		if (l.more)
		{
			rc_html_lit(b, " <a href=\"?page=");
			rc_html_printf(b, "%d", l.page + 2);
			rc_html_lit(b, "\">Older</a>");
		}
		rc_html_lit(b, "</p></nav>\n");
	}
	rc_page_end(r);
}
