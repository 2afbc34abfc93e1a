/* strava.c — activities.csv of a Strava bulk export (see strava.h). */
#include "formats/strava.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STRAVA_MAX_FIELD = 160 };

typedef struct {
	char file[STRAVA_MAX_FIELD];
	char sport[32];
} strava_row;

struct rc_strava_csv {
	strava_row *rows;
	int n, cap;
};

/* One field at *pos (quoted or not), kept up to n-1 bytes; *eol set when it ended its line. */
static bool field(const char *d, size_t len, size_t *pos, char *out, size_t n, bool *eol)
{
	size_t p = *pos, k = 0;
	*eol = false;
	if (p >= len)
		return false;
	bool quoted = d[p] == '"';
	if (quoted)
		p++;
	for (; p < len; p++) {
		char c = d[p];
		if (quoted && c == '"') {
			if (p + 1 < len && d[p + 1] == '"') {
				p++;
			} else {
				quoted = false;
				continue;
			}
		} else if (!quoted && (c == ',' || c == '\n' || c == '\r')) {
			break;
		}
		if (k + 1 < n)
			out[k++] = c;
	}
	out[k] = 0;
	if (p < len && d[p] == ',') {
		p++;
	} else {
		if (p < len && d[p] == '\r')
			p++;
		if (p < len && d[p] == '\n')
			p++;
		*eol = true;
	}
	*pos = p;
	return true;
}

void rc_strava_sport(const char *type, char *out, size_t n)
{
	static const struct {
		const char *type, *sport;
	} map[] = {{"Run", "running"},           {"Trail Run", "running"},  {"Virtual Run", "running"},
	           {"Ride", "cycling"},          {"Virtual Ride", "cycling"}, {"Mountain Bike Ride", "cycling"},
	           {"Gravel Ride", "cycling"},   {"E-Bike Ride", "cycling"},  {"Swim", "swimming"},
	           {"Walk", "walking"},          {"Hike", "hiking"}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(type, map[i].type) == 0) {
			snprintf(out, n, "%s", map[i].sport);
			return;
		}
	size_t k = 0;
	for (; type[k] && k + 1 < n; k++)
		out[k] = (char)tolower((unsigned char)type[k]);
	if (n)
		out[k] = 0;
}

rc_strava_csv *rc_strava_csv_read(const char *d, size_t len)
{
	size_t pos = 0;
	if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	int col_file = -1, col_type = -1, col = 0;
	char f[STRAVA_MAX_FIELD];
	bool eol = false;
	/* The header: the first of a name that repeats (Strava writes Distance twice) is the one used. */
	while (!eol && field(d, len, &pos, f, sizeof f, &eol)) {
		if (strcmp(f, "Filename") == 0 && col_file < 0)
			col_file = col;
		else if (strcmp(f, "Activity Type") == 0 && col_type < 0)
			col_type = col;
		col++;
	}
	if (col_file < 0 || col_type < 0)
		return NULL;
	rc_strava_csv *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	strava_row row = {{0}, {0}};
	col = 0;
	while (field(d, len, &pos, f, sizeof f, &eol)) {
		if (col == col_file)
			snprintf(row.file, sizeof row.file, "%s", f);
		else if (col == col_type)
			rc_strava_sport(f, row.sport, sizeof row.sport);
		col++;
		if (!eol)
			continue;
		if (row.file[0] && row.sport[0]) {
			if (c->n == c->cap) {
				int cap = c->cap ? c->cap * 2 : 64;
				strava_row *r = realloc(c->rows, (size_t)cap * sizeof *r);
				if (!r) {
					rc_strava_csv_free(c);
					return NULL;
				}
				c->rows = r;
				c->cap = cap;
			}
			c->rows[c->n++] = row;
		}
		memset(&row, 0, sizeof row);
		col = 0;
	}
	return c;
}

void rc_strava_csv_free(rc_strava_csv *c)
{
	if (!c)
		return;
	free(c->rows);
	free(c);
}

const char *rc_strava_sport_of(const rc_strava_csv *c, const char *path)
{
	for (int i = 0; c && i < c->n; i++)
		if (strcmp(c->rows[i].file, path) == 0)
			return c->rows[i].sport;
	return NULL;
}
