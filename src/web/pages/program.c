/* program.c — the home program's shared pieces: the exercise drawings and cards, starting a program
 * from the self-check's result or the list on Today, the program's sessions in the private calendar
 * feed, and what today.c, diary.c, program_record.c and program_print.c share (program_pages.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/program_pages.h"

int rc_program_page_int(const char *s)
{
	if (!s || !*s)
		return RC_APP_NOT_A_NUMBER;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v <= INT_MIN || v > INT_MAX)
		return RC_APP_NOT_A_NUMBER;
	return (int)v;
}

void rc_program_page_values(rc_req *r, const rc_vfield *fields, size_t n, const char *const *defaults,
                            const rc_problem *p, rc_vvalue *out)
{
	for (size_t i = 0; i < n; i++) {
		out[i] = (rc_vvalue){.raw = p ? rc_req_form(r, fields[i].name) : defaults ? defaults[i] : NULL};
		if (p && p->field && strcmp(p->field, fields[i].name) == 0)
			out[i].error = p->text;
	}
}

void rc_program_page_refused(rc_req *r, rc_err e, const rc_problem *p, const char *what)
{
	switch (e) {
	case RC_EFORBIDDEN: rc_page_error(r, 403, p->text[0] ? p->text : "Your account cannot do this."); break;
	case RC_ENOTFOUND: rc_page_error(r, 404, p->text[0] ? p->text : "There is no page at this address."); break;
	case RC_ECONFLICT: rc_page_error(r, 409, p->text); break;
	case RC_ENOMEM:
		rc_page_error(r, 503, "This page needs more memory than one request may take; please tell the clinic.");
		break;
	default: {
		char *msg = rc_arena_printf(&r->arena, "%s could not be read or saved; try again in a moment.", what);
		rc_page_error(r, 503, msg ? msg : "The database could not be reached; try again in a moment.");
	}
	}
}

/* --- exercises ----------------------------------------------------------------------------- */

void rc_page_exercise_drawing(rc_req *r)
{
	/* Served as an image, never inlined: a browser runs nothing inside an <img>. */
	const char *p = r->params[0];
	size_t n = strlen(p);
	const char *key = n > 4 && strcmp(p + n - 4, ".svg") == 0 ? rc_arena_strndup(&r->arena, p, n - 4) : NULL;
	const rc_exercise *x = key ? rc_exercise_find(r->app->programs, key) : NULL;
	if (!x || !x->svg[0]) {
		rc_page_error(r, 404, "There is no drawing at this address.");
		return;
	}
	r->out_static = (const unsigned char *)x->svg;
	r->out_static_len = strlen(x->svg);
	r->content_type = "image/svg+xml";
	rc_req_header(r, "Cache-Control", "public, max-age=86400");
	rc_req_header(r, "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
}

static void dosage(rc_buf *b, const rc_stage_item *it)
{
	if (it->hold_s > 1 && it->reps == 1)
		rc_html_printf(b, "%d hold%s of %d s", it->sets, it->sets == 1 ? "" : "s", it->hold_s);
	else if (it->hold_s > 1)
		rc_html_printf(b, "%d set%s of %d holds of %d s", it->sets, it->sets == 1 ? "" : "s", it->reps, it->hold_s);
	else
		rc_html_printf(b, "%d set%s of %d repetitions", it->sets, it->sets == 1 ? "" : "s", it->reps);
	if (it->ex->every_other_day)
		rc_html_printf(b, ", every other day");
	else
		rc_html_printf(b, ", %d time%s a day", it->ex->per_day, it->ex->per_day == 1 ? "" : "s");
}

static void list_items(rc_buf *b, const char *const *v, int n)
{
	for (int i = 0; i < n; i++) {
		rc_html_lit(b, "<li>");
		rc_html_text(b, v[i]);
		rc_html_lit(b, "</li>");
	}
}

void rc_program_page_exercise(rc_buf *b, const rc_stage_item *it, bool print)
{
	const rc_exercise *x = it->ex;
	rc_html_lit(b, "<article class=\"exercise\"><h3>");
	rc_html_text(b, x->name);
	rc_html_lit(b, "</h3>\n");
	if (x->svg[0] && !print) {
		rc_html_lit(b, "<img class=\"drawing\" width=\"120\" height=\"80\" alt=\"\" src=\"/exercises/");
		rc_html_url_arg(b, x->key);
		rc_html_lit(b, ".svg\">");
	}
	rc_html_lit(b, "<p class=\"dose\">");
	dosage(b, it);
	rc_html_lit(b, "</p>\n<ol>");
	list_items(b, x->steps, x->nsteps);
	rc_html_lit(b, "</ol>\n");
	if (x->ncues) {
		rc_html_lit(b, "<p class=\"cues\"><strong>Feel:</strong></p><ul>");
		list_items(b, x->cues, x->ncues);
		rc_html_lit(b, "</ul>\n");
	}
	if (x->navoid) {
		rc_html_lit(b, "<p class=\"cues\"><strong>Avoid:</strong></p><ul>");
		list_items(b, x->avoid, x->navoid);
		rc_html_lit(b, "</ul>\n");
	}
	if (x->why[0]) {
		rc_html_lit(b, "<p class=\"why\"><strong>Why not sooner:</strong> ");
		rc_html_text(b, x->why);
		rc_html_lit(b, "</p>\n");
	}
	rc_html_lit(b, "<p class=\"source\">Source: ");
	rc_html_text(b, x->source);
	rc_html_lit(b, "</p></article>\n");
}

void rc_program_page_advice(rc_buf *b, const rc_program_view *v)
{
	rc_html_lit(b, "<p class=\"pain-limits\">");
	rc_html_text(b, v->pain_advice);
	rc_html_lit(b, "</p>\n");
}

void rc_program_page_decision(rc_req *r, const rc_program_view *v, bool actions)
{
	rc_buf *b = &r->out;
	const rc_decision *d = &v->decision;
	rc_html_lit(b, "<section class=\"decision ");
	rc_html_text(b, d->kind == RC_DECIDE_PROGRESS ? "progress" : d->kind == RC_DECIDE_STEP_BACK ? "step-back" : "hold");
	rc_html_lit(b, "\" aria-labelledby=\"dec-h\"><h2 id=\"dec-h\">What your logs say: ");
	rc_html_text(b, rc_decision_name(d->kind));
	rc_html_lit(b, "</h2><p>");
	rc_html_text(b, d->why);
	rc_html_lit(b, "</p><p class=\"source\">Source: ");
	rc_html_text(b, d->source);
	rc_html_lit(b, "</p>");
	if (actions && (d->kind == RC_DECIDE_PROGRESS || (d->kind == RC_DECIDE_STEP_BACK && v->stage->n > 1))) {
		bool up = d->kind == RC_DECIDE_PROGRESS;
		rc_html_lit(b, "<form method=\"post\" action=\"/today/stage\"><input type=\"hidden\" name=\"csrf\" value=\"");
		rc_html_text(b, rc_req_csrf(r));
		rc_html_lit(b, "\"><input type=\"hidden\" name=\"direction\" value=\"");
		rc_html_text(b, up ? "up" : "down");
		rc_html_lit(b, "\"><button type=\"submit\">");
		rc_html_printf(b, "%s stage %d", up ? "Move on to" : "Go back to", v->stage->n + (up ? 1 : -1));
		rc_html_lit(b, "</button></form>");
	}
	rc_html_lit(b, "</section>\n");
}

/* --- starting a program ---------------------------------------------------------------------- */

void rc_page_program_start(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_program_start(&uc, r->app->programs, rc_req_form(r, "program"), &p) : RC_EDB;
	if (e == RC_EINVAL)
		rc_page_error(r, 422, p.text);
	else if (e)
		rc_program_page_refused(r, e, &p, "The program");
	else
		rc_req_redirect(r, "/today");
}

/* --- the calendar feed ------------------------------------------------------------------------ */

void rc_program_calendar(rc_req *r, int64_t runner, rc_buf *out)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	/* The feed still answers with the appointments when the program cannot be read. */
	if (uc.db && rc_app_program_calendar(&uc, r->app->programs, runner, out))
		rc_error("calendar: the program of runner %lld could not be read", (long long)runner);
}
