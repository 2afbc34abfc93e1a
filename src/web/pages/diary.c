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

enum { D_DAY, D_REST, D_SITTING, D_RUNNING, D_MINUTES, D_NOTES, D_N };
static const rc_vfield diary_fields[D_N] = {
	[D_DAY] = {"day", "Day", RC_V_DATE, .required = true},
	[D_REST] = {"pain_rest", "Pain at rest, on waking (0 to 10)", RC_V_INT, .required = true, .max = 10},
	[D_SITTING] = {"pain_sitting", "Pain when sitting (0 to 10)", RC_V_INT, .required = true, .max = 10},
	[D_RUNNING] = {"pain_running", "Pain when running (0 to 10; leave empty if you did not run)", RC_V_INT, .max = 10},
	[D_MINUTES] = {"minutes_run", "Minutes run", RC_V_INT, .required = true, .max = RC_DIARY_MINUTES_MAX},
	[D_NOTES] = {"notes", "Notes", RC_V_TEXT, .max = RC_PROGRAM_TEXT_MAX},
};

/* Activity 1, its score, Activity 2, … */
static const rc_vfield psfs_fields[2 * RC_PSFS_ITEMS] = {
#define PAIR(n)                                                                                                \
	{"activity" #n, "Activity " #n, RC_V_TEXT, .max = RC_PSFS_ACTIVITY_MAX},                                \
	{"score" #n, "Activity " #n ", score 0 to 10", RC_V_INT, .max = 10}
	PAIR(1), PAIR(2), PAIR(3), PAIR(4), PAIR(5),
#undef PAIR
};
_Static_assert(RC_PSFS_ITEMS == 5, "a pair of fields for every activity");

/* Which form was refused, and why: what was typed in it comes back with the sentence beside its field. */
typedef struct {
	const rc_problem *problem;
	bool psfs;
} refused;

static void entry_form(rc_req *r, const rc_diary_view *v, const refused *x)
{
	rc_buf *b = &r->out;
	/* Today's blank entry, or the entry being corrected. */
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
	const char *defaults[D_N] = {day, rest, sitting, running, minutes, notes};
	const rc_problem *p = x && !x->psfs ? x->problem : NULL;
	rc_vvalue val[D_N];
	rc_program_page_values(r, diary_fields, D_N, defaults, p, val);
	const char *replaces = p ? rc_req_form(r, "replaces") : rep;
	bool correcting = replaces && replaces[0];
	rc_html_lit(b, "<section aria-labelledby=\"di-h\"><h2 id=\"di-h\">");
	rc_html_text(b, correcting ? "Correct an entry" : "Today's entry");
	rc_html_lit(b, "</h2>\n");
	if (p)
		rc_page_alert(r, p->text);
	rc_form_open(r, "/diary");
	if (correcting) {
		rc_html_lit(b, "<input type=\"hidden\" name=\"replaces\" value=\"");
		rc_html_text(b, replaces);
		rc_html_lit(b, "\">");
	}
	for (int i = 0; i < D_NOTES; i++)
		rc_valid_input(b, &diary_fields[i], &val[i]);
	rc_valid_textarea(b, &diary_fields[D_NOTES], &val[D_NOTES], 3);
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
	/* The activities rated last time come back, to be rated again. */
	const char *defaults[2 * RC_PSFS_ITEMS] = {0};
	for (int i = 0; v->rated && i < v->last_psfs.n; i++)
		defaults[2 * i] = v->last_psfs.activity[i];
	const rc_problem *p = x && x->psfs ? x->problem : NULL;
	rc_vvalue val[2 * RC_PSFS_ITEMS];
	rc_program_page_values(r, psfs_fields, 2 * RC_PSFS_ITEMS, defaults, p, val);
	if (p)
		rc_page_alert(r, p->text);
	rc_form_open(r, "/diary/psfs");
	for (int i = 0; i < 2 * RC_PSFS_ITEMS; i++)
		rc_valid_input(b, &psfs_fields[i], &val[i]);
	rc_form_close(r, "Save ratings");
	rc_html_lit(b, "</section>\n");
}

static void entries(rc_req *r, const rc_diary_view *v)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section aria-labelledby=\"en-h\"><h2 id=\"en-h\">Entries</h2>\n<div class=\"table-scroll\" tabindex=\"0\">"
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
