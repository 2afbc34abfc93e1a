/* chart.c — SVG line, point and bar charts with a title, a description and axis labels (see chart.h). */
#include "web/chart.h"

#include <math.h>

#include "web/html.h"

/* The plot area inside the 600 × 200 drawing. */
static const double LEFT = 30, RIGHT = 590, ZERO = 170, TOP = 10;

static double y_of(const rc_chart *c, double v)
{
	if (!(c->top > 0) || !(v > 0)) /* NaN and negatives sit on the axis */
		return ZERO;
	return ZERO - (v > c->top ? c->top : v) / c->top * (ZERO - TOP);
}

static double x_of(const rc_chart *c, double x)
{
	if (!(c->x1 > c->x0))
		return (LEFT + RIGHT) / 2;
	return LEFT + (x - c->x0) / (c->x1 - c->x0) * (RIGHT - LEFT);
}

static void num(rc_buf *b, double v)
{
	rc_html_printf(b, "%.1f", v);
}

/* An axis value as a person reads it: whole numbers without decimals, small fractions with one. */
static void value_label(rc_buf *b, double v)
{
	if (fabs(v - round(v)) < 0.05 || fabs(v) >= 10)
		rc_html_printf(b, "%.0f", v);
	else
		rc_html_printf(b, "%.1f", v);
}

static void y_label(rc_buf *b, double y, double v, const char *unit)
{
	rc_html_lit(b, "<text class=\"axis\" x=\"2\" y=\"");
	num(b, y + 4 < 14 ? 14 : y + 4);
	rc_html_lit(b, "\">");
	value_label(b, v);
	if (unit) {
		rc_html_lit(b, " ");
		rc_html_text(b, unit);
	}
	rc_html_lit(b, "</text>");
}

static void hline(rc_buf *b, const char *cls, double y)
{
	rc_html_lit(b, "<line class=\"");
	rc_html_text(b, cls);
	rc_html_lit(b, "\" x1=\"30\" x2=\"590\" y1=\"");
	num(b, y);
	rc_html_lit(b, "\" y2=\"");
	num(b, y);
	rc_html_lit(b, "\"></line>");
}

static void x_label(rc_buf *b, double x, const char *anchor, const char *text)
{
	rc_html_lit(b, "<text class=\"axis\" x=\"");
	num(b, x);
	rc_html_lit(b, "\" y=\"192\" text-anchor=\"");
	rc_html_text(b, anchor);
	rc_html_lit(b, "\">");
	rc_html_text(b, text);
	rc_html_lit(b, "</text>");
}

/* The figure, the svg with its title and description, and what every chart has behind its data:
 * the band, the reference line and the grid with the y axis labels. */
static void begin(rc_buf *b, const rc_chart *c)
{
	rc_html_lit(b, "<figure class=\"chart\"><svg viewBox=\"0 0 600 200\" role=\"img\" aria-labelledby=\"");
	rc_html_text(b, c->id);
	rc_html_lit(b, "-t\" aria-describedby=\"");
	rc_html_text(b, c->id);
	rc_html_lit(b, "-d\"><title id=\"");
	rc_html_text(b, c->id);
	rc_html_lit(b, "-t\">");
	rc_html_text(b, c->title);
	rc_html_lit(b, "</title><desc id=\"");
	rc_html_text(b, c->id);
	rc_html_lit(b, "-d\">");
	rc_html_text(b, c->desc);
	rc_html_lit(b, "</desc>");
	if (c->band_hi > c->band_lo) {
		double hi = y_of(c, c->band_hi), lo = y_of(c, c->band_lo);
		rc_html_lit(b, "<rect class=\"band\" x=\"30\" width=\"560\" y=\"");
		num(b, hi);
		rc_html_lit(b, "\" height=\"");
		num(b, lo - hi);
		rc_html_lit(b, "\"></rect>");
		y_label(b, lo, c->band_lo, NULL);
	}
	if (c->line_at > 0) {
		hline(b, "danger", y_of(c, c->line_at));
		y_label(b, y_of(c, c->line_at), c->line_at, NULL);
	}
	for (int k = 0; k <= c->grid && c->grid > 0; k++) {
		double v = c->top * k / c->grid;
		hline(b, "grid", y_of(c, v));
		y_label(b, y_of(c, v), v, k == c->grid ? c->unit : NULL);
	}
	if (c->grid <= 0 && c->band_hi <= c->band_lo && c->line_at <= 0)
		y_label(b, TOP, c->top, c->unit);
}

static void end(rc_buf *b, const rc_chart *c, const rc_chart_series *s, int ns)
{
	rc_html_lit(b, "</svg><figcaption>");
	rc_html_text(b, c->caption ? c->caption : c->title);
	bool keyed = false;
	for (int k = 0; k < ns; k++) {
		if (!s[k].name)
			continue;
		if (keyed)
			rc_html_lit(b, " ");
		else
			rc_html_lit(b, ": ");
		keyed = true;
		rc_html_lit(b, "<span class=\"key ");
		rc_html_text(b, s[k].cls);
		rc_html_lit(b, "\">");
		rc_html_text(b, s[k].name);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "</figcaption></figure>\n");
}

double rc_chart_nice_top(double max, int grid)
{
	if (grid < 1)
		grid = 1;
	if (!(max > 0))
		return grid;
	double step = max / grid, mag = pow(10, floor(log10(step)));
	static const double m[] = {1, 2, 2.5, 5, 10};
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		if (m[i] * mag >= step * (1 - 1e-9))
			return m[i] * mag * grid;
	return 10 * mag * grid;
}

void rc_chart_lines(rc_buf *b, const rc_chart *c, const rc_chart_series *s, int ns)
{
	begin(b, c);
	int total = 0;
	for (int k = 0; k < ns; k++) {
		const rc_chart_series *x = &s[k];
		total += x->n;
		if (x->line) {
			rc_html_lit(b, "<polyline class=\"");
			rc_html_text(b, x->cls);
			rc_html_lit(b, "\" points=\"");
			for (int i = 0; i < x->n; i++) {
				num(b, x_of(c, x->p[i].x));
				rc_html_lit(b, ",");
				num(b, y_of(c, x->p[i].y));
				rc_html_lit(b, " ");
			}
			rc_html_lit(b, "\"></polyline>");
		}
		/* A marker for each value, so one value alone shows too. */
		for (int i = 0; i < x->n; i++) {
			const rc_chart_point *p = &x->p[i];
			rc_html_lit(b, "<circle class=\"");
			rc_html_text(b, x->cls);
			if (p->cls) {
				rc_html_lit(b, " ");
				rc_html_text(b, p->cls);
			}
			if (x->line)
				rc_html_lit(b, "\" r=\"3.5\" cx=\"");
			else
				rc_html_lit(b, "\" r=\"5\" cx=\"");
			num(b, x_of(c, p->x));
			rc_html_lit(b, "\" cy=\"");
			num(b, y_of(c, p->y));
			rc_html_lit(b, "\">");
			if (p->tip) {
				rc_html_lit(b, "<title>");
				rc_html_text(b, p->tip);
				rc_html_lit(b, "</title>");
			}
			rc_html_lit(b, "</circle>");
		}
	}
	if (c->x0_label)
		x_label(b, LEFT, "start", c->x0_label);
	if (c->x1_label)
		x_label(b, RIGHT, "end", c->x1_label);
	if (!total && c->empty) {
		rc_html_lit(b, "<text class=\"axis\" x=\"310\" y=\"90\" text-anchor=\"middle\">");
		rc_html_text(b, c->empty);
		rc_html_lit(b, "</text>");
	}
	end(b, c, s, ns);
}

void rc_chart_bars(rc_buf *b, const rc_chart *c, const rc_chart_bar *bars, int n)
{
	begin(b, c);
	double bw = n > 0 ? (RIGHT - LEFT) / n : 0;
	for (int i = 0; i < n; i++) {
		double y = y_of(c, bars[i].v);
		rc_html_lit(b, "<rect class=\"bar\" x=\"");
		num(b, LEFT + i * bw + 3);
		rc_html_lit(b, "\" y=\"");
		num(b, y);
		rc_html_lit(b, "\" width=\"");
		num(b, bw > 6 ? bw - 6 : bw);
		rc_html_lit(b, "\" height=\"");
		num(b, ZERO - y);
		rc_html_lit(b, "\">");
		if (bars[i].tip) {
			rc_html_lit(b, "<title>");
			rc_html_text(b, bars[i].tip);
			rc_html_lit(b, "</title>");
		}
		rc_html_lit(b, "</rect>");
		if (bars[i].label)
			x_label(b, LEFT + i * bw + bw / 2, "middle", bars[i].label);
	}
	end(b, c, NULL, 0);
}
