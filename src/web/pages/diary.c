/* diary.c — the recovery diary: a day's pain at rest, sitting and running, minutes run and notes, one
 * entry a day (a second one corrects the first, which is kept), corrections of earlier days, the
 * entries a page at a time, and the Patient-Specific Functional Scale every two weeks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/program_pages.h"

/* A refused form: the problem, and every field as it was typed. */
typedef struct {
	const rc_problem *problem;
	bool psfs; /* the PSFS form was refused (else the diary entry) */
} refused;

static const char *typed(rc_req *r, const refused *x, bool psfs, const char *field)
{
	return x && x->psfs == psfs ? rc_req_form(r, field) : NULL;
}

/* A diary field's value: as typed when the entry was refused, else `otherwise`. */
static const char *value(rc_req *r, const refused *x, const char *field, const char *otherwise)
{
	if (!x || x->psfs)
		return otherwise;
	const char *t = rc_req_form(r, field);
	return t ? t : "";
}

static const char *field_error(const refused *x, bool psfs, const char *field)
{
	if (!x || x->psfs != psfs || !x->problem->field || strcmp(x->problem->field, field) != 0)
		return NULL;
	return x->problem->text;
}

static void entry_form(rc_req *r, const rc_diary_view *v, const refused *x)
{
	rc_buf *b = &r->out;
	/* The values: what was typed, else the entry being corrected, else today's blank entry. */
	char day[11], rest[16] = "", sitting[16] = "", running[16] = "", minutes[16] = "0", rep[24] = "";
	const char *notes = "";
	rc_tz_date(r->now, day);
	if (v->editing) {
		const rc_diary_row *e = &v->edit;
		snprintf(day, sizeof day, "%s", e->day);
		snprintf(rest, sizeof rest, "%d", e->pain_rest);
		snprintf(sitting, sizeof sitting, "%d", e->pain_sitting);
		if (e->pain_running >= 0)
			snprintf(running, sizeof running, "%d", e->pain_running);
		snprintf(minutes, sizeof minutes, "%d", e->minutes_run);
		snprintf(rep, sizeof rep, "%lld", (long long)e->id);
		notes = e->notes;
	}
	const char *t_rep = typed(r, x, false, "replaces");
	bool correcting = t_rep ? t_rep[0] != '\0' : v->editing;
	rc_html_lit(b, "<section aria-labelledby=\"di-h\"><h2 id=\"di-h\">");
	rc_html_text(b, correcting ? "Correct an entry" : "Today's entry");
	rc_html_lit(b, "</h2>\n");
	if (x && !x->psfs)
		rc_page_alert(r, x->problem->text);
	rc_form_open(r, "/diary");
	if (correcting) {
		rc_html_lit(b, "<input type=\"hidden\" name=\"replaces\" value=\"");
		rc_html_text(b, t_rep ? t_rep : rep);
		rc_html_lit(b, "\">");
	}
	rc_form_input(r, "day", "Day", "date", value(r, x, "day", day), field_error(x, false, "day"), "off");
	rc_form_input(r, "pain_rest", "Pain at rest, on waking (0 to 10)", "number", value(r, x, "pain_rest", rest),
	              field_error(x, false, "pain_rest"), "off");
	rc_form_input(r, "pain_sitting", "Pain when sitting (0 to 10)", "number", value(r, x, "pain_sitting", sitting),
	              field_error(x, false, "pain_sitting"), "off");
	rc_form_input_optional(r, "pain_running", "Pain when running (0 to 10; leave empty if you did not run)",
	                       "number", value(r, x, "pain_running", running));
	rc_form_input(r, "minutes_run", "Minutes run", "number", value(r, x, "minutes_run", minutes),
	              field_error(x, false, "minutes_run"), "off");
	rc_html_lit(b, "<p><label for=\"f-notes\">Notes</label>");
	if (field_error(x, false, "notes")) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-notes\">");
		rc_html_text(b, x->problem->text);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "<textarea id=\"f-notes\" name=\"notes\" rows=\"3\" maxlength=\"");
	rc_html_printf(b, "%d", RC_PROGRAM_TEXT_MAX);
	rc_html_lit(b, "\">");
	rc_html_text(b, value(r, x, "notes", notes));
	rc_html_lit(b, "</textarea></p>\n");
	rc_form_close(r, "Save");
	rc_html_lit(b, "</section>\n");
}

static void psfs_form(rc_req *r, const rc_diary_view *v, const refused *x)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section aria-labelledby=\"ps-h\"><h2 id=\"ps-h\">What you cannot do yet</h2>\n<p>");
	rc_html_printf(b, "Name up to %d activities your pain makes hard, and rate each: 0 means you cannot do it, 10 "
	                  "means as well as before the injury (the Patient-Specific Functional Scale). ",
	               RC_PSFS_ITEMS);
	rc_html_text(b, v->psfs_due ? "It is due now." : "Next due two weeks after the last rating; you may rate again sooner.");
	rc_html_lit(b, "</p>\n");
	if (v->rated) {
		const rc_psfs *lp = &v->last_psfs;
		rc_html_lit(b, "<p>Last rated ");
		rc_html_text(b, lp->day);
		rc_html_lit(b, ":</p><ul>");
		for (int k = 0; k < lp->n; k++) {
			rc_html_lit(b, "<li>");
			rc_html_text(b, lp->activity[k]);
			rc_html_printf(b, ": %d of 10", lp->score[k]);
			rc_html_lit(b, "</li>");
		}
		rc_html_lit(b, "</ul>\n");
	}
	if (x && x->psfs)
		rc_page_alert(r, x->problem->text);
	rc_form_open(r, "/diary/psfs");
	for (int i = 0; i < RC_PSFS_ITEMS; i++) {
		char an[16], sn[16], al[40], sl[40];
		snprintf(an, sizeof an, "activity%d", i + 1);
		snprintf(sn, sizeof sn, "score%d", i + 1);
		snprintf(al, sizeof al, "Activity %d", i + 1);
		snprintf(sl, sizeof sl, "Activity %d, score 0 to 10", i + 1);
		const char *prev = v->rated && i < v->last_psfs.n ? v->last_psfs.activity[i] : "";
		const char *ta = typed(r, x, true, an), *ts = typed(r, x, true, sn);
		if (x && x->psfs && (field_error(x, true, an) || field_error(x, true, sn))) {
			/* The refused pair carries its sentence beside it. */
			rc_form_input(r, an, al, "text", ta ? ta : "", field_error(x, true, an), "off");
			rc_form_input(r, sn, sl, "number", ts ? ts : "", field_error(x, true, sn), "off");
			continue;
		}
		rc_form_input_optional(r, an, al, "text", x && x->psfs ? (ta ? ta : "") : prev);
		rc_form_input_optional(r, sn, sl, "number", ts ? ts : "");
	}
	rc_form_close(r, "Save ratings");
	rc_html_lit(b, "</section>\n");
}

static void entries(rc_req *r, const rc_diary_view *v)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section aria-labelledby=\"en-h\"><h2 id=\"en-h\">Entries</h2>\n<div class=\"table-scroll\">"
	               "<table class=\"list\"><thead><tr><th scope=\"col\">Day</th><th scope=\"col\">On waking</th>"
	               "<th scope=\"col\">Sitting</th><th scope=\"col\">Running</th><th scope=\"col\">Minutes run</th>"
	               "<th scope=\"col\">Notes</th><th scope=\"col\"></th></tr></thead><tbody>\n");
	for (int i = 0; i < v->n; i++) {
		const rc_diary_row *e = &v->entries[i];
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, e->day);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", e->pain_rest);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", e->pain_sitting);
		rc_html_lit(b, "</td><td>");
		if (e->pain_running >= 0)
			rc_html_printf(b, "%d", e->pain_running);
		else
			rc_html_lit(b, "—");
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", e->minutes_run);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, e->notes);
		rc_html_lit(b, "</td><td><a href=\"/diary?edit=");
		rc_html_printf(b, "%lld", (long long)e->id);
		rc_html_lit(b, "\">Correct</a></td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (v->older[0]) {
		rc_html_lit(b, "<p>");
		rc_html_printf(b, "These are the %d latest days with an entry. ", RC_DIARY_PAGE);
		rc_html_lit(b, "<a href=\"/diary?before=");
		rc_html_url_arg(b, v->older);
		rc_html_lit(b, "\">Older entries</a></p>\n");
	}
	rc_html_lit(b, "</section>\n");
}

static void diary_page(rc_req *r, const refused *x)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_diary_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	rc_problem p = {0};
	const char *edit = rc_req_query(r, "edit");
	rc_err e = !uc.db ? RC_EDB
	           : !v   ? RC_ENOMEM
	                  : rc_app_diary_view(&uc, rc_req_query(r, "before"), edit ? strtoll(edit, NULL, 10) : 0, v, &p);
	if (e == RC_EINVAL) {
		rc_page_error(r, 400, p.text);
		return;
	}
	if (e) {
		rc_program_page_refused(r, e, &p, "Your diary");
		return;
	}
	if (x)
		r->status = 422;
	rc_page_begin(r, "Diary", "today");
	rc_html_lit(&r->out, "<h1>Recovery diary</h1>\n");
	const char *saved = rc_req_query(r, "saved");
	if (saved && !x)
		rc_page_notice(r, strcmp(saved, "psfs") == 0 ? "Your ratings are saved." : "Saved.");
	entry_form(r, v, x);
	psfs_form(r, v, x);
	entries(r, v);
	rc_page_end(r);
}

void rc_page_diary(rc_req *r)
{
	diary_page(r, NULL);
}

void rc_page_diary_post(rc_req *r)
{
	const char *running = rc_req_form(r, "pain_running"), *rep = rc_req_form(r, "replaces");
	rc_diary_in in = {
		.day = rc_req_form(r, "day"),
		.pain_rest = rc_program_page_int(rc_req_form(r, "pain_rest")),
		.pain_sitting = rc_program_page_int(rc_req_form(r, "pain_sitting")),
		.minutes_run = rc_program_page_int(rc_req_form(r, "minutes_run")),
		.pain_running = running && *running ? rc_program_page_int(running) : -1,
		.notes = rc_req_form(r, "notes"),
		.replaces = rep && *rep ? strtoll(rep, NULL, 10) : 0,
	};
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_diary_add(&uc, &in, &p) : RC_EDB;
	if (e == RC_EINVAL) {
		refused x = {&p, false};
		diary_page(r, &x);
	} else if (e) {
		rc_program_page_refused(r, e, &p, "The diary");
	} else {
		rc_req_redirect(r, "/diary?saved=entry");
	}
}

void rc_page_psfs_post(rc_req *r)
{
	rc_psfs_in in;
	for (int i = 0; i < RC_PSFS_ITEMS; i++) {
		char an[16], sn[16];
		snprintf(an, sizeof an, "activity%d", i + 1);
		snprintf(sn, sizeof sn, "score%d", i + 1);
		in.activity[i] = rc_req_form(r, an);
		in.score[i] = rc_program_page_int(rc_req_form(r, sn));
	}
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_psfs_add(&uc, &in, &p) : RC_EDB;
	if (e == RC_EINVAL) {
		refused x = {&p, true};
		diary_page(r, &x);
	} else if (e) {
		rc_program_page_refused(r, e, &p, "The ratings");
	} else {
		rc_req_redirect(r, "/diary?saved=psfs");
	}
}
