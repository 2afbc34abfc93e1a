/* chart.h — the site's SVG charts: values over time as lines or points, or one bar per period. Each
 * chart is a <figure class="chart"> holding an <svg role="img"> named by its <title> and described by
 * its <desc>, with labels on both axes and a <figcaption>; the page puts the same numbers in a table
 * beside it, so nothing is only in the picture. Every text is escaped; the numbers are printed here.
 *
 * The drawing is 600 × 200 units: the plot runs from x 30 to 590 and from y 170 (the chart's zero) up
 * to 10 (its top), with the x axis labels below it. Pages style it by class (static/style.css):
 * .grid, .axis, .bar, .band, .danger, and each series' own class (s1, s2, point) on its line and
 * markers. */
#ifndef RC_CHART_H
#define RC_CHART_H

#include <stdbool.h>

#include "base/buf.h"

typedef struct rc_chart {
	const char *id;      /* unique in the page: the ids of the title and description derive from it */
	const char *title;   /* what the chart shows, in a few words */
	const char *desc;    /* a sentence more, for those who cannot see it */
	const char *caption; /* under the chart; NULL: the title */
	double top;          /* the y axis runs from 0 to top (values above it are drawn at the top) */
	const char *unit;    /* after the top's label ("min"); NULL: none */
	int grid;            /* horizontal grid lines with labels at top × k / grid; 0: only the top's label */
	double band_lo, band_hi; /* a shaded band between these values; none when band_hi <= band_lo */
	double line_at;          /* a dashed reference line at this value; none when 0 */
	/* Lines and points: the x axis, and the labels under its two ends. */
	double x0, x1;
	const char *x0_label, *x1_label;
	const char *empty; /* said in the middle when there is nothing to draw; NULL: nothing */
} rc_chart;

typedef struct rc_chart_point {
	double x, y;
	const char *tip; /* the marker's own title (a tooltip), or NULL */
	const char *cls; /* a class added to the series' own (e.g. "high"), or NULL */
} rc_chart_point;

typedef struct rc_chart_series {
	const char *name; /* in the caption's key; NULL: no key */
	const char *cls;  /* the class of its line and markers */
	bool line;        /* join the points with a line (and draw small markers) */
	const rc_chart_point *p;
	int n;
} rc_chart_series;

/* A top for the y axis at or above max whose `grid` lines fall on round numbers (1, 2, 2.5 or 5 times a
 * power of ten apart): 11 with 4 lines becomes 12 (3, 6, 9, 12). */
double rc_chart_nice_top(double max, int grid);

/* Values at positions along x (days, weeks): each series' markers, joined when it is a line. */
void rc_chart_lines(rc_buf *b, const rc_chart *c, const rc_chart_series *s, int ns);

typedef struct rc_chart_bar {
	double v;
	const char *label; /* under the bar, or NULL */
	const char *tip;   /* the bar's own title, or NULL */
} rc_chart_bar;

/* One bar per period, in order, side by side across the plot. */
void rc_chart_bars(rc_buf *b, const rc_chart *c, const rc_chart_bar *bars, int n);

#endif
