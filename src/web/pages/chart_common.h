/* chart_common.h — what the chart's pages (chart.c, chart_note.c, chart_letter.c) and its JSON API
 * (chart_api.c) share: the use-case context and knowledge of a request, a use case's answer as an HTTP
 * status, form fields that show their error beside them, a treatment and a finding in words (clinical
 * or plain), the body chart drawing, and a line chart by day (SVG with a title and description; the
 * caller adds the table). */
#ifndef RC_PAGES_CHART_COMMON_H
#define RC_PAGES_CHART_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "app/chart.h"
#include "web/http.h"

rc_chart_know rc_chart_know_of(rc_req *r);
/* 422 bad input, 409 a rule or a race, 404 not found, 413 a limit, 503 otherwise. */
unsigned rc_chart_status(rc_err e);
/* The first :param as an id; 0 when it is not a positive number. */
int64_t rc_chart_param(rc_req *r, int i);
/* "/runners/ID/chart" + rest, in the arena. */
const char *rc_chart_path(rc_req *r, int64_t patient, const char *rest);

/* Form fields: the label, the error when p names this field, the value typed. */
void rc_chart_text(rc_req *r, const char *name, const char *label, const char *type, const char *value,
                   const rc_problem *p, bool required, const char *hint);
void rc_chart_area(rc_req *r, const char *name, const char *label, const char *value, int rows, int max,
                   const rc_problem *p, const char *hint);
typedef struct rc_chart_opt {
	const char *value, *label;
} rc_chart_opt;
void rc_chart_select(rc_req *r, const char *name, const char *label, const rc_chart_opt *opts, int n,
                     const char *selected, const rc_problem *p, bool empty_choice);
/* An alert at the top of a refused form: the sentence, linked to its field. */
void rc_chart_problem(rc_req *r, const rc_problem *p);

/* A finding's value in words: "70 degrees", "positive", "left side high". */
void rc_chart_finding_words(rc_buf *b, const rc_note_finding *f, bool plain);
/* A treatment in one line: "Acupuncture: BL40 Weizhong (both sides), GV20 Baihui; 3 needles, 20 minutes". */
void rc_chart_treatment_words(rc_buf *b, const rc_chart_know *k, const rc_note_treatment *t, bool plain);
const char *rc_chart_kind_words(const char *note_kind, bool plain); /* "Initial assessment" / "First visit" */

/* The front and back drawing with the marks shown; id makes its title unique on the page; view: only the
 * marked places are drawn (a signed note), else every place, faintly (the editor). */
void rc_chart_body_svg(rc_buf *b, const char *id, const char *const *marks, int n, bool view);

/* A line chart of series by day from first to last (day numbers); values in the series' unit (tenths when
 * decimals), the axis from 0 to top. Classes s1..s4 colour the series in order. */
void rc_chart_svg(rc_buf *b, const char *id, const char *title, const char *desc, const rc_chart_series *const *s,
                  int ns, int64_t first, int64_t last);

#endif
