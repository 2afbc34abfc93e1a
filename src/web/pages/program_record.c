/* program_record.c — a runner's home program as a record, for the runner ("My progress") and the clinic:
 * the stage and what the logs say, the last 8 weeks as charts (pain, sessions done as planned, PSFS)
 * each with its numbers in a table, and for practitioners and administrators the form that assigns or
 * adjusts the program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "web/chart.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/program_pages.h"

/* "YYYY-MM-DD: <value>" for a chart marker's tooltip. */
static const char *tip(rc_req *r, int64_t day, const char *fmt, double v)
{
	char d[11];
	rc_day_name(day, d);
	char *value = rc_arena_printf(&r->arena, fmt, v);
	return value ? rc_arena_printf(&r->arena, "%s: %s", d, value) : NULL;
}

static void charts(rc_req *r, const rc_program_view *v)
{
	rc_buf *b = &r->out;
	int n = v->nlogs + v->nmornings + v->nweeks + v->npsfs;
	rc_chart_point *pt = rc_arena_alloc(&r->arena, sizeof *pt * (size_t)(n + 1));
	if (!pt)
		return; /* the tables below still carry every number */
	char first[11], last[11];
	rc_day_name(v->first_day, first);
	rc_day_name(v->today, last);
	rc_chart frame = {.top = 10, .grid = 2, .x0 = (double)v->first_day, .x1 = (double)v->today, .x0_label = first,
	                  .x1_label = last, .empty = "Nothing recorded yet"};
	/* Pain during each session (oldest first) and on waking. */
	rc_chart_point *during = pt, *waking = pt + v->nlogs;
	for (int i = 0; i < v->nlogs; i++) {
		const rc_log_row *l = &v->logs[v->nlogs - 1 - i];
		int64_t d = rc_day_number(l->day);
		during[i] = (rc_chart_point){(double)d, l->pain_during, tip(r, d, "%.0f/10 during exercise", l->pain_during), NULL};
	}
	for (int i = 0; i < v->nmornings; i++) {
		const rc_morning *m = &v->mornings[i];
		waking[i] = (rc_chart_point){(double)m->day, m->pain_rest, tip(r, m->day, "%.0f/10 on waking", m->pain_rest), NULL};
	}
	rc_chart c = frame;
	c.id = "pain";
	c.title = "Pain, 0 to 10";
	c.desc = "Pain during each logged session and on waking each day, the last 8 weeks";
	rc_chart_series pain[] = {{"during exercise", "s1", true, during, v->nlogs},
	                          {"on waking", "s2", true, waking, v->nmornings}};
	rc_chart_lines(b, &c, pain, 2);
	/* Sessions done over sessions due, week by week. */
	rc_chart_point *weeks = waking + v->nmornings;
	for (int i = 0; i < v->nweeks; i++)
		weeks[i] = (rc_chart_point){(double)v->week_end[i], v->week_adherence[i] * 100,
		                            tip(r, v->week_end[i], "%.0f%% in the week to this day", v->week_adherence[i] * 100),
		                            NULL};
	c = frame;
	c.id = "adh";
	c.title = "Adherence";
	c.desc = "The share of planned sessions done, week by week, in per cent";
	c.top = 100;
	c.unit = "%";
	rc_chart_series adh[] = {{"sessions done as planned, % a week", "s1", true, weeks, v->nweeks}};
	rc_chart_lines(b, &c, adh, 1);
	/* PSFS: the average of each rating's activities. */
	rc_chart_point *psfs = weeks + v->nweeks;
	for (int i = 0; i < v->npsfs; i++) {
		int64_t d = rc_day_number(v->psfs[i].day);
		psfs[i] = (rc_chart_point){(double)d, v->psfs[i].average, tip(r, d, "average %.1f", v->psfs[i].average), NULL};
	}
	c = frame;
	c.id = "psfs";
	c.title = "What you can do (PSFS)";
	c.desc = "The Patient-Specific Functional Scale: the average of the activities rated, 0 cannot do to 10 as before";
	rc_chart_series ps[] = {{"average of the activities rated", "s1", true, psfs, v->npsfs}};
	rc_chart_lines(b, &c, ps, 1);
}

static void tables(rc_req *r, const rc_program_view *v)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>Sessions logged in the last 8 weeks"
	               "</caption><thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Stage</th><th scope=\"col\">Done"
	               "</th><th scope=\"col\">Pain during</th></tr></thead><tbody>\n");
	for (int i = 0; i < v->nlogs; i++) {
		const rc_log_row *l = &v->logs[i];
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, l->day);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", l->stage);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d of %d", l->done, l->prescribed);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d/10", l->pain_during);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>Pain on waking "
	               "in the last 8 weeks (from the diary)</caption><thead><tr><th scope=\"col\">Day</th><th "
	               "scope=\"col\">On waking</th></tr></thead><tbody>\n");
	for (int i = v->nmornings - 1; i >= 0; i--) {
		char d[11];
		rc_day_name(v->mornings[i].day, d);
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, d);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d/10", v->mornings[i].pain_rest);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>Sessions done "
	               "as planned, by week</caption><thead><tr><th scope=\"col\">Week ending</th><th scope=\"col\">Done "
	               "as planned</th></tr></thead><tbody>\n");
	for (int i = v->nweeks - 1; i >= 0; i--) {
		char d[11];
		rc_day_name(v->week_end[i], d);
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, d);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%.0f%%", v->week_adherence[i] * 100);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>Patient-Specific "
	               "Functional Scale in the last 8 weeks (0 cannot do, 10 as before)</caption><thead><tr><th "
	               "scope=\"col\">Day</th><th scope=\"col\">Activities</th><th scope=\"col\">Average</th></tr></thead>"
	               "<tbody>\n");
	for (int i = 0; i < v->npsfs; i++) {
		const rc_psfs *p = &v->psfs[i];
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, p->day);
		rc_html_lit(b, "</td><td>");
		for (int k = 0; k < p->n; k++) {
			rc_html_text(b, p->activity[k]);
			rc_html_printf(b, " %d; ", p->score[k]);
		}
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%.1f", p->average);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
}

enum { A_PROGRAM, A_STAGE, A_NOTE, A_N };

/* The form a practitioner or an administrator assigns or adjusts with; refused, it keeps what they typed
 * and says what is wrong beside the field. */
static void assign_form(rc_req *r, const rc_program_view *v, const rc_problem *p)
{
	rc_buf *b = &r->out;
	const rc_programs *content = r->app->programs;
	rc_vchoice *choices = rc_arena_alloc(&r->arena, sizeof *choices * (size_t)(content->nprograms + 1));
	if (!choices)
		return;
	for (int i = 0; i < content->nprograms; i++)
		choices[i] = (rc_vchoice){content->programs[i].key, content->programs[i].name};
	const rc_vfield fields[A_N] = {
		[A_PROGRAM] = {"program", "Program", RC_V_ENUM, .required = true, .choices = choices,
		               .nchoices = (size_t)content->nprograms},
		/* The chosen program's own last stage is the use case's to check: the list may change program. */
		[A_STAGE] = {"stage", "Stage", RC_V_INT, .required = true, .min = 1, .max = RC_PROGRAM_MAX_STAGES},
		[A_NOTE] = {"note", "Note for the runner", RC_V_TEXT, .max = RC_PROGRAM_TEXT_MAX},
	};
	char stage[8];
	snprintf(stage, sizeof stage, "%d", v->active ? v->stage->n : 1);
	const char *defaults[A_N] = {v->active ? v->prog->key : NULL, stage, v->active ? v->a.note : NULL};
	rc_vvalue val[A_N];
	rc_program_page_values(r, fields, A_N, defaults, p, val);
	rc_html_lit(b, "<section aria-labelledby=\"as-h\"><h2 id=\"as-h\">Assign or adjust</h2>\n");
	if (p)
		rc_page_alert(r, p->text);
	char action[80];
	snprintf(action, sizeof action, "/runners/%lld/program", (long long)v->runner.id);
	rc_form_open(r, action);
	rc_valid_input(b, &fields[A_PROGRAM], &val[A_PROGRAM]);
	rc_valid_input(b, &fields[A_STAGE], &val[A_STAGE]);
	rc_valid_textarea(b, &fields[A_NOTE], &val[A_NOTE], 2);
	rc_form_close(r, "Save the program");
	rc_html_lit(b, "</section>\n");
}

/* The record; p: why an adjustment was refused (NULL when none was). */
static void record_page(rc_req *r, const rc_problem *p)
{
	int64_t runner = strtoll(r->params[0], NULL, 10);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_program_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	rc_err e = !uc.db ? RC_EDB : !v ? RC_ENOMEM : rc_app_program_view(&uc, r->app->programs, runner, v);
	if (e) {
		rc_problem none = {0};
		rc_program_page_refused(r, e, &none, "The program");
		return;
	}
	bool self = r->user.id == runner;
	rc_buf *b = &r->out;
	if (p)
		r->status = 422;
	rc_page_begin(r, self ? "My progress" : "Home program", self ? "today" : "patients");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, self ? "My progress" : "Home program: ");
	if (!self)
		rc_html_text(b, v->runner.name);
	rc_html_lit(b, "</h1>\n");
	if (v->active) {
		rc_html_lit(b, "<p class=\"lead\"><strong>");
		rc_html_text(b, v->prog->name);
		rc_html_lit(b, "</strong>, ");
		rc_html_printf(b, "stage %d of %d: ", v->stage->n, v->prog->nstages);
		rc_html_text(b, v->stage->name);
		rc_html_lit(b, ". ");
		rc_html_printf(b, "Done as planned: %.0f%% in the last 7 days, %.0f%% in the last 28.", v->adherence7 * 100,
		               v->adherence28 * 100);
		rc_html_lit(b, "</p>\n");
		rc_program_page_advice(b, v);
		rc_program_page_decision(r, v, false);
	} else {
		rc_html_lit(b, "<p>No home program at the moment.</p>\n");
	}
	rc_html_lit(b, "<section aria-labelledby=\"ch-h\"><h2 id=\"ch-h\">The last 8 weeks</h2>\n");
	charts(r, v);
	tables(r, v);
	rc_html_lit(b, "</section>\n");
	if (v->may_adjust)
		assign_form(r, v, p);
	rc_page_end(r);
}

void rc_page_program_record(rc_req *r)
{
	record_page(r, NULL);
}

void rc_page_program_assign(rc_req *r)
{
	rc_program_assign_in in = {strtoll(r->params[0], NULL, 10), rc_req_form(r, "program"),
	                           rc_program_page_int(rc_req_form(r, "stage")), rc_req_form(r, "note")};
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_program_assign(&uc, r->app->programs, &in, &p) : RC_EDB;
	if (e == RC_EINVAL) {
		record_page(r, &p);
	} else if (e) {
		rc_program_page_refused(r, e, &p, "The program");
	} else {
		char to[80];
		snprintf(to, sizeof to, "/runners/%lld/program", (long long)in.runner);
		rc_req_redirect(r, to);
	}
}
