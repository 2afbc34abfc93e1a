/* chart_common.c — helpers the chart's pages and API share (see chart_common.h). */
#include "web/pages/chart_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"

rc_chart_know rc_chart_know_of(rc_req *r)
{
	return (rc_chart_know){r->app->chart, r->app->triage, r->app->programs};
}

unsigned rc_chart_status(rc_err e)
{
	switch (e) {
	case RC_EINVAL: return 422;
	case RC_ECONFLICT: return 409;
	case RC_ENOTFOUND: return 404;
	case RC_ETOOBIG: return 413;
	default: return 503;
	}
}

int64_t rc_chart_param(rc_req *r, int i)
{
	const char *s = r->params[i];
	if (!s || !*s)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end || v <= 0 ? 0 : (int64_t)v;
}

const char *rc_chart_path(rc_req *r, int64_t patient, const char *rest)
{
	const char *s = rc_arena_printf(&r->arena, "/runners/%lld/chart%s", (long long)patient, rest ? rest : "");
	return s ? s : "/patients";
}

static bool is_field(const rc_problem *p, const char *name)
{
	return p && p->field && strcmp(p->field, name) == 0;
}

static void label_and_error(rc_req *r, const char *name, const char *label, const rc_problem *p, const char *hint)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<label for=\"f-");
	rc_html_text(b, name);
	rc_html_lit(b, "\">");
	rc_html_text(b, label);
	rc_html_lit(b, "</label>");
	if (hint) {
		rc_html_lit(b, "<span class=\"hint\" id=\"h-");
		rc_html_text(b, name);
		rc_html_lit(b, "\">");
		rc_html_text(b, hint);
		rc_html_lit(b, "</span>");
	}
	if (is_field(p, name)) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-");
		rc_html_text(b, name);
		rc_html_lit(b, "\">");
		rc_html_text(b, p->text);
		rc_html_lit(b, "</span>");
	}
}

static void described(rc_req *r, const char *name, const rc_problem *p, const char *hint)
{
	rc_buf *b = &r->out;
	if (is_field(p, name)) {
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-");
		rc_html_text(b, name);
		if (hint) {
			rc_html_lit(b, " h-");
			rc_html_text(b, name);
		}
		rc_html_lit(b, "\"");
	} else if (hint) {
		rc_html_lit(b, " aria-describedby=\"h-");
		rc_html_text(b, name);
		rc_html_lit(b, "\"");
	}
}

void rc_chart_text(rc_req *r, const char *name, const char *label, const char *type, const char *value,
                   const rc_problem *p, bool required, const char *hint)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<p class=\"field\">");
	label_and_error(r, name, label, p, hint);
	rc_html_lit(b, "<input id=\"f-");
	rc_html_text(b, name);
	rc_html_lit(b, "\" name=\"");
	rc_html_text(b, name);
	rc_html_lit(b, "\" type=\"");
	rc_html_text(b, type);
	rc_html_lit(b, "\" autocomplete=\"off\"");
	if (value && *value) {
		rc_html_lit(b, " value=\"");
		rc_html_text(b, value);
		rc_html_lit(b, "\"");
	}
	if (strcmp(type, "number") == 0)
		rc_html_lit(b, " inputmode=\"decimal\" step=\"any\"");
	described(r, name, p, hint);
	if (required)
		rc_html_lit(b, " required");
	rc_html_lit(b, "></p>\n");
}

void rc_chart_area(rc_req *r, const char *name, const char *label, const char *value, int rows, int max,
                   const rc_problem *p, const char *hint)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<p class=\"field\">");
	label_and_error(r, name, label, p, hint);
	rc_html_lit(b, "<textarea id=\"f-");
	rc_html_text(b, name);
	rc_html_lit(b, "\" name=\"");
	rc_html_text(b, name);
	rc_html_lit(b, "\" rows=\"");
	rc_html_printf(b, "%d", rows);
	rc_html_lit(b, "\" maxlength=\"");
	rc_html_printf(b, "%d", max);
	rc_html_lit(b, "\"");
	described(r, name, p, hint);
	rc_html_lit(b, ">");
	rc_html_text(b, value ? value : "");
	rc_html_lit(b, "</textarea></p>\n");
}

void rc_chart_select(rc_req *r, const char *name, const char *label, const rc_chart_opt *opts, int n,
                     const char *selected, const rc_problem *p, bool empty_choice)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<p class=\"field\">");
	label_and_error(r, name, label, p, NULL);
	rc_html_lit(b, "<select id=\"f-");
	rc_html_text(b, name);
	rc_html_lit(b, "\" name=\"");
	rc_html_text(b, name);
	rc_html_lit(b, "\"");
	described(r, name, p, NULL);
	rc_html_lit(b, ">");
	if (empty_choice)
		rc_html_lit(b, "<option value=\"\">—</option>");
	for (int i = 0; i < n; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_text(b, opts[i].value);
		rc_html_lit(b, "\"");
		if (selected && strcmp(selected, opts[i].value) == 0)
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, opts[i].label);
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select></p>\n");
}

void rc_chart_problem(rc_req *r, const rc_problem *p)
{
	if (!p || !p->text[0])
		return;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<p class=\"alert\" role=\"alert\">");
	if (p->field) {
		rc_html_lit(b, "<a href=\"#f-");
		rc_html_text(b, p->field);
		rc_html_lit(b, "\">");
		rc_html_text(b, p->text);
		rc_html_lit(b, "</a>");
	} else {
		rc_html_text(b, p->text);
	}
	rc_html_lit(b, "</p>\n");
}

/* --- words ------------------------------------------------------------------------------------------ */

void rc_chart_finding_words(rc_buf *b, const rc_note_finding *f, bool plain)
{
	const rc_chart_field *fd = f->field;
	if (!fd) {
		rc_html_text(b, f->value);
		return;
	}
	switch (fd->type) {
	case RC_FIELD_INT: {
		char num[32];
		rc_chart_number(fd, f->num, num, sizeof num);
		rc_html_text(b, num);
		if (fd->unit && *fd->unit) {
			if (fd->unit[0] != '/')
				rc_html_lit(b, " ");
			rc_html_text(b, fd->unit);
		}
		break;
	}
	case RC_FIELD_TEST:
		if (plain)
			rc_html_text(b, strcmp(f->value, "positive") == 0 ? "brought on your pain or symptoms" : "did not bring on "
			                                                                                        "your pain or "
			                                                                                        "symptoms");
		else
			rc_html_text(b, f->value);
		break;
	case RC_FIELD_CHOICE:
		for (int i = 0; i < fd->nchoices; i++)
			if (strcmp(fd->choices[i].key, f->value) == 0)
				rc_html_text(b, fd->choices[i].label);
		break;
	case RC_FIELD_TEXT:
		rc_html_text(b, f->value);
		break;
	}
}

const char *rc_chart_kind_words(const char *kind, bool plain)
{
	if (strcmp(kind, "initial") == 0)
		return plain ? "First visit" : "Initial assessment";
	if (strcmp(kind, "discharge") == 0)
		return plain ? "Last visit of this course of care" : "Discharge";
	return plain ? "Follow-up visit" : "Follow-up";
}

static const char *option_label(const rc_chart_options *o, const char *key)
{
	const rc_chart_option *x = rc_chart_option_find(o, key);
	return x ? x->label : key;
}

void rc_chart_treatment_words(rc_buf *b, const rc_chart_know *k, const rc_note_treatment *t, bool plain)
{
	const char *label = rc_treatment_kind_label(t->kind);
	rc_html_lit(b, "<strong>");
	rc_html_text(b, label ? label : t->kind);
	rc_html_lit(b, "</strong>");
	if (t->npoints) {
		rc_html_text(b, plain ? " at " : ": ");
		for (int i = 0; i < t->npoints; i++) {
			const rc_note_point *q = &t->points[i];
			rc_html_text(b, i ? ", " : "");
			rc_html_lit(b, "<span class=\"point\">");
			rc_html_text(b, q->code);
			if (q->point && q->point->name[0]) {
				rc_html_lit(b, " ");
				rc_html_text(b, q->point->name);
			}
			rc_html_lit(b, "</span>");
			if (q->side != RC_SIDE_NONE && q->side != RC_SIDE_MIDLINE) {
				rc_html_lit(b, " (");
				rc_html_text(b, rc_side_label(q->side));
				rc_html_lit(b, ")");
			}
		}
	}
	if (t->muscle[0]) {
		rc_html_lit(b, ": ");
		rc_html_text(b, option_label(&k->kb->muscles, t->muscle));
	}
	if (t->region[0]) {
		const rc_chart_options *techs = strcmp(t->kind, "soft_tissue") == 0      ? &k->kb->soft_tissue
		                                : strcmp(t->kind, "manual_therapy") == 0 ? &k->kb->manual_therapy
		                                                                         : &k->kb->taping;
		rc_html_lit(b, ": ");
		rc_html_text(b, option_label(techs, t->technique));
		rc_html_lit(b, ", ");
		rc_html_text(b, option_label(&k->kb->regions, t->region));
	}
	if (t->side != RC_SIDE_NONE) {
		rc_html_lit(b, " (");
		rc_html_text(b, rc_side_label(t->side));
		rc_html_lit(b, ")");
	}
	if (t->topic[0]) {
		rc_html_lit(b, ": ");
		rc_html_text(b, option_label(&k->kb->education, t->topic));
	}
	if (t->program[0]) {
		const rc_program *pg = k->programs ? rc_program_find(k->programs, t->program) : NULL;
		rc_html_lit(b, ": ");
		rc_html_text(b, pg ? pg->name : t->program);
		if (t->stage > 0)
			rc_html_printf(b, ", stage %d", t->stage);
	}
	bool any = false;
	if (t->needles >= 0 && rc_treatment_is_needling(t->kind)) {
		rc_html_printf(b, "; %d needle%s", t->needles, t->needles == 1 ? "" : "s");
		any = true;
	}
	if (t->minutes > 0)
		rc_html_printf(b, "%s%d minutes", any ? ", " : "; ", t->minutes);
	if (t->hz > 0)
		rc_html_printf(b, ", %d Hz", t->hz);
	if (t->detail[0]) {
		rc_html_lit(b, ". ");
		rc_html_text(b, t->detail);
	}
}

/* --- the body chart -------------------------------------------------------------------------------------- */

void rc_chart_body_svg(rc_buf *b, const char *id, const char *const *marks, int n, bool view)
{
	/* The two figures only: x 40-360 of the 400-wide drawing. */
	if (view)
		rc_html_lit(b, "<svg class=\"body view\" viewBox=\"40 0 320 425\" role=\"img\" aria-labelledby=\"");
	else
		rc_html_lit(b, "<svg class=\"body\" viewBox=\"40 0 320 425\" role=\"img\" aria-labelledby=\"");
	rc_html_text(b, id);
	rc_html_lit(b, "\"><title id=\"");
	rc_html_text(b, id);
	rc_html_lit(b, "\">Body chart, front on the left and back on the right: ");
	if (!n)
		rc_html_lit(b, "nothing marked");
	for (int i = 0; i < n; i++) {
		const rc_body_mark *m = rc_body_mark_find(marks[i]);
		rc_html_text(b, i ? ", " : "");
		rc_html_text(b, m ? m->label : marks[i]);
	}
	rc_html_lit(b, "</title><g class=\"figure\" aria-hidden=\"true\">"
	               "<circle cx=\"100\" cy=\"30\" r=\"22\"/><rect x=\"70\" y=\"55\" width=\"60\" height=\"150\" rx=\"22\"/>"
	               "<rect x=\"72\" y=\"195\" width=\"24\" height=\"205\" rx=\"10\"/><rect x=\"104\" y=\"195\" width=\"24\" "
	               "height=\"205\" rx=\"10\"/><circle cx=\"300\" cy=\"30\" r=\"22\"/><rect x=\"270\" y=\"55\" width=\"60\" "
	               "height=\"150\" rx=\"22\"/><rect x=\"272\" y=\"195\" width=\"24\" height=\"205\" rx=\"10\"/>"
	               "<rect x=\"304\" y=\"195\" width=\"24\" height=\"205\" rx=\"10\"/></g>"
	               "<text class=\"axis\" x=\"100\" y=\"418\" text-anchor=\"middle\">front</text>"
	               "<text class=\"axis\" x=\"300\" y=\"418\" text-anchor=\"middle\">back</text>");
	for (int i = 0; i < rc_body_nmarks; i++) {
		const rc_body_mark *m = &rc_body_marks[i];
		bool on = false;
		for (int j = 0; j < n && !on; j++)
			on = strcmp(marks[j], m->key) == 0;
		rc_html_lit(b, "<ellipse class=\"spot m-");
		rc_html_text(b, m->key);
		if (on)
			rc_html_lit(b, " on");
		rc_html_lit(b, "\" cx=\"");
		rc_html_printf(b, "%d", m->cx);
		rc_html_lit(b, "\" cy=\"");
		rc_html_printf(b, "%d", m->cy);
		rc_html_lit(b, "\" rx=\"");
		rc_html_printf(b, "%d", m->rx);
		rc_html_lit(b, "\" ry=\"");
		rc_html_printf(b, "%d", m->ry);
		rc_html_lit(b, "\"></ellipse>");
	}
	rc_html_lit(b, "</svg>");
}

/* --- the line chart -------------------------------------------------------------------------------------- */

/* A coordinate to a tenth, written without printf's floating point: a chart of five years of diary has
 * thousands of them, and "%.1f" was a quarter of the page's time. */
static void coord(rc_buf *b, double v)
{
	long t = (long)(v * 10 + (v < 0 ? -0.5 : 0.5));
	char s[32], *p = s + sizeof s;
	bool neg = t < 0;
	unsigned long u = neg ? (unsigned long)-t : (unsigned long)t;
	*--p = (char)('0' + u % 10);
	*--p = '.';
	u /= 10;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10));
	if (neg)
		*--p = '-';
	rc_html_textn(b, p, (size_t)(s + sizeof s - p));
}

void rc_chart_svg(rc_buf *b, const char *id, const char *title, const char *desc, const rc_chart_series *const *s,
                  int ns, int64_t first, int64_t last)
{
	const double W = 600, H = 170, left = 34, right = 10;
	double span = last > first ? (double)(last - first) : 1;
	int top = 1;
	for (int k = 0; k < ns; k++)
		if (s[k]->top > top)
			top = s[k]->top;
	rc_html_lit(b, "<svg viewBox=\"0 0 600 200\" role=\"img\" aria-labelledby=\"");
	rc_html_text(b, id);
	rc_html_lit(b, "-t ");
	rc_html_text(b, id);
	rc_html_lit(b, "-d\"><title id=\"");
	rc_html_text(b, id);
	rc_html_lit(b, "-t\">");
	rc_html_text(b, title);
	rc_html_lit(b, "</title><desc id=\"");
	rc_html_text(b, id);
	rc_html_lit(b, "-d\">");
	rc_html_text(b, desc);
	rc_html_lit(b, "</desc>");
	for (int g = 0; g <= 2; g++) {
		double y = H - g / 2.0 * (H - 10);
		rc_html_lit(b, "<line class=\"grid\" x1=\"");
		rc_html_printf(b, "%.0f", left);
		rc_html_lit(b, "\" x2=\"590\" y1=\"");
		rc_html_printf(b, "%.1f", y);
		rc_html_lit(b, "\" y2=\"");
		rc_html_printf(b, "%.1f", y);
		rc_html_lit(b, "\"></line><text class=\"axis\" x=\"2\" y=\"");
		rc_html_printf(b, "%.1f", y + 4);
		rc_html_lit(b, "\">");
		rc_html_printf(b, "%.0f", top * g / 2.0);
		rc_html_lit(b, "</text>");
	}
	for (int k = 0; k < ns; k++) {
		const rc_chart_series *x = s[k];
		double div = x->decimals ? 10.0 : 1.0;
		char cls[8];
		snprintf(cls, sizeof cls, "s%d", k % 4 + 1);
		if (x->n > 1) {
			rc_html_lit(b, "<polyline class=\"");
			rc_html_text(b, cls);
			rc_html_lit(b, "\" points=\"");
			for (int i = 0; i < x->n; i++) {
				double v = x->v[i].value / div;
				double px = left + (double)(x->v[i].day - first) / span * (W - left - right);
				double py = H - (v > top ? top : v) / top * (H - 10);
				coord(b, px);
				rc_html_lit(b, ",");
				coord(b, py);
				rc_html_lit(b, " ");
			}
			rc_html_lit(b, "\"></polyline>");
		}
		/* Visits get a marker each; a daily series (the diary) is a line alone once it is long. */
		if (x->n <= 60 || x->field)
			for (int i = 0; i < x->n; i++) {
				double v = x->v[i].value / div;
				double px = left + (double)(x->v[i].day - first) / span * (W - left - right);
				double py = H - (v > top ? top : v) / top * (H - 10);
				rc_html_lit(b, "<circle class=\"");
				rc_html_text(b, cls);
				rc_html_lit(b, "\" r=\"3.5\" cx=\"");
				coord(b, px);
				rc_html_lit(b, "\" cy=\"");
				coord(b, py);
				rc_html_lit(b, "\"></circle>");
			}
	}
	char from[11], to[11];
	rc_day_name(first, from);
	rc_day_name(last, to);
	rc_html_lit(b, "<text class=\"axis\" x=\"34\" y=\"192\">");
	rc_html_text(b, from);
	rc_html_lit(b, "</text><text class=\"axis\" x=\"590\" y=\"192\" text-anchor=\"end\">");
	rc_html_text(b, to);
	rc_html_lit(b, "</text>");
	int total = 0;
	for (int k = 0; k < ns; k++)
		total += s[k]->n;
	if (!total)
		rc_html_lit(b, "<text class=\"axis\" x=\"310\" y=\"90\" text-anchor=\"middle\">Nothing recorded yet</text>");
	rc_html_lit(b, "</svg>");
}
