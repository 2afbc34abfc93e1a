/* program_print.c — the printable sheet of a runner's current stage: its exercises with their steps,
 * the practitioner's note, and the pain limits from the same rules the Today page and the decision use. */
#include <stdlib.h>

#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/program_pages.h"

void rc_page_program_print(rc_req *r)
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
	rc_buf *b = &r->out;
	rc_page_begin(r, "Home program", "today");
	if (!v->active) {
		rc_html_lit(b, "<h1>Home program</h1>\n<p>No home program at the moment: nothing to print.</p>\n");
		rc_page_end(r);
		return;
	}
	rc_html_lit(b, "<div class=\"sheet\"><h1>");
	rc_html_text(b, v->prog->name);
	rc_html_lit(b, "</h1>\n<p>");
	rc_html_printf(b, "Stage %d of %d: ", v->stage->n, v->prog->nstages);
	rc_html_text(b, v->stage->name);
	rc_html_lit(b, ". ");
	rc_html_text(b, v->stage->goal);
	rc_html_printf(b, " %d session%s a day.", v->stage->per_day, v->stage->per_day == 1 ? "" : "s");
	rc_html_lit(b, "</p>\n");
	if (v->a.note[0]) {
		rc_html_lit(b, "<p>From your practitioner: ");
		rc_html_text(b, v->a.note);
		rc_html_lit(b, "</p>\n");
	}
	for (int i = 0; i < v->stage->nitems; i++)
		rc_program_page_exercise(b, &v->stage->items[i], true);
	rc_program_page_advice(b, v);
	rc_html_lit(b, "<p>");
	rc_html_text(b, v->stage->exit);
	rc_html_lit(b, "</p><p class=\"source\">Source: ");
	rc_html_text(b, v->prog->source);
	rc_html_lit(b, "; ");
	rc_html_text(b, v->prog->rules.source);
	rc_html_lit(b, "</p></div>\n");
	rc_page_end(r);
}
