/* today.c — Today: the runner's stage and its exercises, the sessions done today and how many were done
 * as planned, what the logs say (hold, move on, step back) with the way to act on it, and the form
 * that logs a session. Also the stage change the decision offers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/program_pages.h"

enum { L_DONE, L_PAIN, L_DAY, L_N };
static const rc_vfield log_fields[L_N] = {
	[L_DONE] = {"done", "Repetitions and holds done (all exercises)", RC_V_INT, .required = true},
	[L_PAIN] = {"pain", "Pain during the exercises, 0 (none) to 10 (worst)", RC_V_INT, .required = true, .max = 10},
	[L_DAY] = {"day", "Day the session was done", RC_V_DATE, .required = false},
};

static void program_list(rc_req *r)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<ul class=\"programs\">\n");
	for (int i = 0; i < r->app->programs->nprograms; i++) {
		const rc_program *p = &r->app->programs->programs[i];
		rc_html_lit(b, "<li><form method=\"post\" action=\"/programs/start\"><input type=\"hidden\" name=\"csrf\" "
		               "value=\"");
		rc_html_text(b, rc_req_csrf(r));
		rc_html_lit(b, "\"><input type=\"hidden\" name=\"program\" value=\"");
		rc_html_text(b, p->key);
		rc_html_lit(b, "\"><strong>");
		rc_html_text(b, p->name);
		rc_html_lit(b, "</strong> — ");
		rc_html_text(b, p->summary);
		rc_html_lit(b, " <button type=\"submit\">Start</button></form></li>\n");
	}
	rc_html_lit(b, "</ul>\n");
}

/* The form that logs a session; p: why the last one was refused (what was typed comes back with it). */
static void log_form(rc_req *r, const rc_program_view *v, const rc_problem *p)
{
	rc_buf *b = &r->out;
	char today[11], prescribed[16];
	rc_day_name(v->today, today);
	snprintf(prescribed, sizeof prescribed, "%d", v->stage->prescribed);
	const char *defaults[L_N] = {[L_DONE] = prescribed, [L_DAY] = today};
	rc_vvalue val[L_N];
	rc_program_page_values(r, log_fields, L_N, defaults, p, val);
	rc_html_lit(b, "<section aria-labelledby=\"log-h\"><h2 id=\"log-h\">Log a session</h2>\n");
	if (p)
		rc_page_alert(r, p->text);
	rc_program_page_advice(b, v);
	rc_form_open(r, "/today/log");
	for (int i = 0; i < L_N; i++)
		rc_valid_input(b, &log_fields[i], &val[i]);
	rc_form_close(r, "Log this session");
	rc_html_lit(b, "</section>\n");
}

static void today_page(rc_req *r, const rc_problem *p)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_program_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	rc_err e = !uc.db ? RC_EDB : !v ? RC_ENOMEM : rc_app_program_view(&uc, r->app->programs, r->user.id, v);
	if (e) {
		rc_problem none = {0};
		rc_program_page_refused(r, e, &none, "Your program");
		return;
	}
	rc_buf *b = &r->out;
	if (p)
		r->status = 422;
	rc_page_begin(r, "Today", "today");
	rc_html_lit(b, "<h1>Today</h1>\n");
	if (!v->active) {
		rc_html_lit(b, "<p>You have no home program yet. The self-check offers the one that fits what it finds; "
		               "or start one here, and your practitioner can adjust it.</p>\n");
		program_list(r);
		rc_page_end(r);
		return;
	}
	rc_html_lit(b, "<p class=\"lead\"><strong>");
	rc_html_text(b, v->prog->name);
	rc_html_lit(b, "</strong>, ");
	rc_html_printf(b, "stage %d of %d: ", v->stage->n, v->prog->nstages);
	rc_html_text(b, v->stage->name);
	rc_html_lit(b, ". ");
	rc_html_text(b, v->stage->goal);
	rc_html_lit(b, "</p>\n");
	if (v->a.note[0]) {
		rc_html_lit(b, "<p class=\"notice\">From your practitioner: ");
		rc_html_text(b, v->a.note);
		rc_html_lit(b, "</p>\n");
	}
	int per_day = v->stage->per_day;
	rc_html_lit(b, "<p class=\"sessions\" role=\"status\">");
	rc_html_printf(b, "%d of %d session%s done today. Done as planned: %.0f%% in the last 7 days, %.0f%% in the last "
	                  "28.",
	               v->done_today < per_day ? v->done_today : per_day, per_day, per_day == 1 ? "" : "s",
	               v->adherence7 * 100, v->adherence28 * 100);
	rc_html_lit(b, "</p>\n");
	rc_program_page_decision(r, v, true);
	log_form(r, v, p);
	rc_html_lit(b, "<p>Pain on waking decides whether to move on: <a href=\"/diary\">fill in today's diary</a>. ");
	rc_html_lit(b, "<a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)r->user.id);
	rc_html_lit(b, "/program\">Your progress</a> · <a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)r->user.id);
	rc_html_lit(b, "/program/print\">Print this stage</a></p>\n<section aria-labelledby=\"ex-h\"><h2 id=\"ex-h\">"
	               "This stage's exercises</h2>\n");
	if (v->stage->note[0]) {
		rc_html_lit(b, "<p>");
		rc_html_text(b, v->stage->note);
		rc_html_lit(b, "</p>\n");
	}
	for (int i = 0; i < v->stage->nitems; i++)
		rc_program_page_exercise(b, &v->stage->items[i], false);
	rc_html_lit(b, "<p class=\"exit\">");
	rc_html_text(b, v->stage->exit);
	rc_html_lit(b, "</p></section>\n");
	rc_page_end(r);
}

void rc_page_today(rc_req *r)
{
	today_page(r, NULL);
}

void rc_page_today_log(rc_req *r)
{
	const char *replaces = rc_req_form(r, "replaces");
	rc_session_in in = {rc_program_page_int(rc_req_form(r, "done")), rc_program_page_int(rc_req_form(r, "pain")),
	                    rc_req_form(r, "day"), replaces && *replaces ? strtoll(replaces, NULL, 10) : 0};
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_program_log(&uc, r->app->programs, &in, &p) : RC_EDB;
	if (e == RC_EINVAL) {
		today_page(r, &p);
	} else if (e) {
		rc_program_page_refused(r, e, &p, "The session");
	} else {
		rc_req_redirect(r, "/today");
	}
}

void rc_page_today_stage(rc_req *r)
{
	const char *dir = rc_req_form(r, "direction");
	int direction = dir && strcmp(dir, "up") == 0 ? 1 : dir && strcmp(dir, "down") == 0 ? -1 : 0;
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_program_change_stage(&uc, r->app->programs, direction, &p) : RC_EDB;
	if (e)
		rc_program_page_refused(r, e, &p, "The stage");
	else
		rc_req_redirect(r, "/today");
}
