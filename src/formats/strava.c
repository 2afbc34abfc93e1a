/* strava.c — activities.csv of a Strava bulk export (see strava.h). */
#include "formats/strava.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/time.h"
#include "formats/csvin.h"

enum { STRAVA_MAX_FILE = 160, STRAVA_MAX_NAME = 128, STRAVA_MAX_GEAR = 96 };

typedef struct {
	char file[STRAVA_MAX_FILE], name[STRAVA_MAX_NAME], gear[STRAVA_MAX_GEAR], sport[32];
	int line;
	int64_t kcal; /* its Calories, 0: none (or not a number of kcal a workout could take) */
	/* manual rows only */
	int64_t start, elapsed_s, moving_s, distance_m;
	char *problem; /* NULL: a good row */
	char *text;    /* the header and the row as CSV */
	size_t text_len;
} strava_row;

/* The columns used, by their index in the header (-1: absent). Strava writes Elapsed Time and
 * Distance twice: the first of each is *1, the second *2. */
typedef struct {
	int file, type, name, gear, date, elapsed1, moving, distance1, distance2, calories;
} columns;

struct rc_strava_csv {
	strava_row *rows;
	int n, cap;
	int *manual; /* indexes of the rows without a file */
	int nmanual, manual_cap;
	columns col;
	char **header;
	int nheader;
	bool latin1;
	char problem[200];
};

static const char LATIN1_NOTE[] = "activities.csv is not UTF-8 text: its names were read as Latin-1 (Windows-1252)";

/* src without the character drop, cut to n - 1 bytes; its length. */
static size_t without(char *dst, size_t n, const char *src, char drop)
{
	size_t k = 0;
	for (size_t i = 0; src[i] && k + 1 < n; i++)
		if (src[i] != drop)
			dst[k++] = src[i];
	dst[k] = 0;
	return k;
}

void rc_strava_sport(const char *type, char *out, size_t n)
{
	static const struct {
		const char *type, *sport;
	} map[] = {{"Run", "running"},          {"TrailRun", "trail_running"}, {"VirtualRun", "treadmill_running"},
	           {"Ride", "cycling"},         {"VirtualRide", "cycling"},    {"MountainBikeRide", "cycling"},
	           {"GravelRide", "cycling"},   {"E-BikeRide", "cycling"},     {"EBikeRide", "cycling"},
	           {"Swim", "swimming"},        {"Walk", "walking"},           {"Hike", "hiking"}};
	char compact[64];
	without(compact, sizeof compact, type, ' ');
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(compact, map[i].type) == 0) {
			snprintf(out, n, "%s", map[i].sport);
			return;
		}
	size_t k = 0;
	for (; type[k] && k + 1 < n; k++)
		out[k] = (char)tolower((unsigned char)type[k]);
	if (n)
		out[k] = 0;
}

bool rc_strava_date(const char *s, int64_t *out)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char mon[4] = {0}, ampm[3] = {0};
	int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0, used = 0;
	if (sscanf(s, "%3s %d, %d, %d:%d:%d %2s%n", mon, &d, &y, &hh, &mm, &ss, ampm, &used) == 7 && !s[used]) {
		for (int i = 0; i < 12; i++)
			if (strcmp(mon, months[i]) == 0)
				m = i + 1;
		if (!m || hh < 1 || hh > 12)
			return false;
		if (strcmp(ampm, "AM") == 0)
			hh = hh == 12 ? 0 : hh;
		else if (strcmp(ampm, "PM") == 0)
			hh = hh == 12 ? 12 : hh + 12;
		else
			return false;
	} else if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &m, &d, &hh, &mm, &ss, &used) != 6 || s[used]) {
		return false;
	}
	char ymd[16];
	snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", y, m, d);
	int64_t day = rc_day_number(ymd);
	if (day == INT64_MIN || y < 1900 || hh > 23 || mm > 59 || ss > 60)
		return false;
	*out = day * 86400 + hh * 3600 + mm * 60 + ss;
	return true;
}

/* A number as Strava writes it ("1234", "5.01", "1,234.5"); false when empty or not a number. */
static bool number(const char *s, double *out)
{
	char clean[64];
	size_t k = without(clean, sizeof clean, s, ',');
	char *end;
	double v = strtod(clean, &end);
	if (!k || *end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

static bool grow(void **p, int *cap, int n, size_t size)
{
	if (n < *cap)
		return true;
	int c = *cap ? *cap * 2 : 64;
	void *q = realloc(*p, (size_t)c * size);
	if (!q)
		return false;
	*p = q;
	*cap = c;
	return true;
}

static const char *at(char **f, int n, int col)
{
	return col >= 0 && col < n ? f[col] : "";
}

/* The header and one row as a CSV of their own: every field quoted, quotes doubled. */
static char *row_text(char **head, int nh, char **f, int n, size_t *len)
{
	size_t cap = 4;
	for (int i = 0; i < nh; i++)
		cap += 2 * strlen(head[i]) + 3;
	for (int i = 0; i < n; i++)
		cap += 2 * strlen(f[i]) + 3;
	char *t = malloc(cap), *p = t;
	if (!t)
		return NULL;
	for (int r = 0; r < 2; r++) {
		char **v = r ? f : head;
		int m = r ? n : nh;
		for (int i = 0; i < m; i++) {
			if (i)
				*p++ = ',';
			*p++ = '"';
			for (const char *s = v[i]; *s; s++) {
				if (*s == '"')
					*p++ = '"';
				*p++ = *s;
			}
			*p++ = '"';
		}
		*p++ = '\n';
	}
	*p = 0;
	*len = (size_t)(p - t);
	return t;
}

static int on_header(rc_strava_csv *c, char **f, int n)
{
	columns k = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
	for (int i = 0; i < n; i++) {
		const char *h = f[i];
		int *slot = strcmp(h, "Filename") == 0        ? &k.file
		            : strcmp(h, "Activity Type") == 0 ? &k.type
		            : strcmp(h, "Activity Name") == 0 ? &k.name
		            : strcmp(h, "Activity Gear") == 0 ? &k.gear
		            : strcmp(h, "Activity Date") == 0 ? &k.date
		            : strcmp(h, "Elapsed Time") == 0  ? &k.elapsed1
		            : strcmp(h, "Moving Time") == 0   ? &k.moving
		            : strcmp(h, "Calories") == 0      ? &k.calories
		            : NULL;
		if (slot && *slot < 0)
			*slot = i;
		if (strcmp(h, "Distance") == 0) {
			if (k.distance1 < 0)
				k.distance1 = i;
			else if (k.distance2 < 0)
				k.distance2 = i;
		}
	}
	c->col = k;
	if (k.file < 0 || k.type < 0)
		return 1;
	c->header = calloc((size_t)n, sizeof *c->header);
	if (!c->header)
		return 1;
	for (int i = 0; i < n; i++)
		if (!(c->header[c->nheader++] = strdup(f[i])))
			return 1;
	return 0;
}

/* A manual row's start, times and distance, or the sentence naming what is wrong. */
static void manual_row(strava_row *r, const columns *k, char **f, int n)
{
	char why[200] = "";
	const char *date = at(f, n, k->date), *el = at(f, n, k->elapsed1);
	double elapsed = 0, moving = 0, dist = 0;
	const char *d2 = at(f, n, k->distance2), *d1 = at(f, n, k->distance1);
	if (!rc_strava_date(date, &r->start))
		snprintf(why, sizeof why, "the Activity Date \"%.40s\" is not a date as Strava writes it "
		         "(Jan 5, 2024, 7:31:02 AM)", date);
	else if (!number(el, &elapsed) || elapsed <= 0 || elapsed > 7 * 86400)
		snprintf(why, sizeof why, "the Elapsed Time \"%.40s\" is not a number of seconds between 1 and a week",
		         el);
	else if (d2[0] ? !number(d2, &dist) || dist < 0 || dist > 1e6
	               : d1[0] && (!number(d1, &dist) || dist < 0 || (dist *= 1000) > 1e6))
		snprintf(why, sizeof why, "the Distance \"%.40s\" is not a distance between 0 and 1,000 km",
		         d2[0] ? d2 : d1);
	if (why[0]) {
		r->problem = strdup(why);
		return;
	}
	r->elapsed_s = llround(elapsed);
	r->moving_s = number(at(f, n, k->moving), &moving) && moving > 0 && moving <= elapsed ? llround(moving)
	                                                                                       : r->elapsed_s;
	r->distance_m = llround(dist);
}

static void copy_text(char *dst, size_t n, const char *src)
{
	rc_text_clean(dst, n, src, strlen(src));
}

static int on_row(void *ctx, int line, char **f, int n)
{
	rc_strava_csv *c = ctx;
	if (!c->header)
		return on_header(c, f, n);
	const columns *k = &c->col;
	if (!grow((void **)&c->rows, &c->cap, c->n, sizeof *c->rows))
		return 1;
	strava_row *r = &c->rows[c->n];
	memset(r, 0, sizeof *r);
	r->line = line;
	copy_text(r->file, sizeof r->file, at(f, n, k->file));
	copy_text(r->name, sizeof r->name, at(f, n, k->name));
	copy_text(r->gear, sizeof r->gear, at(f, n, k->gear));
	char type[64];
	copy_text(type, sizeof type, at(f, n, k->type));
	rc_strava_sport(type, r->sport, sizeof r->sport);
	double kcal = 0;
	if (number(at(f, n, k->calories), &kcal) && kcal >= 1 && kcal < 100000)
		r->kcal = llround(kcal);
	if (!r->file[0]) {
		if (!grow((void **)&c->manual, &c->manual_cap, c->nmanual, sizeof *c->manual))
			return 1;
		manual_row(r, k, f, n);
		r->text = row_text(c->header, c->nheader, f, n, &r->text_len);
		if (!r->text)
			return 1;
		c->manual[c->nmanual++] = c->n;
	}
	c->n++;
	return 0;
}

/* Windows-1252 (Latin-1 with the printable characters Microsoft put at 0x80–0x9F) as UTF-8. */
static char *from_1252(const char *d, size_t len, size_t *out_len)
{
	static const uint16_t hi[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	                                0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	                                0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	                                0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
	char *o = malloc(len * 3 + 1), *p = o;
	if (!o)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)d[i];
		unsigned cp = b >= 0x80 && b < 0xA0 ? hi[b - 0x80] : b;
		if (cp < 0x80) {
			*p++ = (char)cp;
		} else if (cp < 0x800) {
			*p++ = (char)(0xC0 | cp >> 6);
			*p++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*p++ = (char)(0xE0 | cp >> 12);
			*p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
			*p++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	*p = 0;
	*out_len = (size_t)(p - o);
	return o;
}

rc_strava_csv *rc_strava_csv_read(const char *d, size_t len)
{
	rc_strava_csv *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	char *recoded = NULL;
	size_t skip = len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	if (!rc_utf8_valid(d + skip, len - skip)) {
		if (!(recoded = from_1252(d + skip, len - skip, &len))) {
			free(c);
			return NULL;
		}
		d = recoded;
		c->latin1 = true;
	}
	char err[200];
	if (rc_csvin_read(d, len, on_row, c, err, sizeof err))
		snprintf(c->problem, sizeof c->problem, "%s", err);
	free(recoded);
	if (!c->header || c->col.file < 0 || c->col.type < 0) {
		rc_strava_csv_free(c);
		return NULL;
	}
	return c;
}

void rc_strava_csv_free(rc_strava_csv *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++) {
		free(c->rows[i].problem);
		free(c->rows[i].text);
	}
	for (int i = 0; i < c->nheader; i++)
		free(c->header[i]);
	free(c->header);
	free(c->rows);
	free(c->manual);
	free(c);
}

const char *rc_strava_csv_problem(const rc_strava_csv *c)
{
	return c && c->problem[0] ? c->problem : NULL;
}

static const strava_row *find(const rc_strava_csv *c, const char *path)
{
	size_t pl = strlen(path);
	for (int i = 0; c && path[0] && i < c->n; i++) {
		const char *f = c->rows[i].file;
		size_t fl = strlen(f);
		if (!fl)
			continue;
		if (strcmp(f, path) == 0 || (pl > fl && path[pl - fl - 1] == '/' && strcmp(path + pl - fl, f) == 0))
			return &c->rows[i];
	}
	return NULL;
}

const char *rc_strava_sport_of(const rc_strava_csv *c, const char *path)
{
	const strava_row *r = find(c, path);
	return r && r->sport[0] ? r->sport : NULL;
}

static void fill(const rc_strava_csv *c, const strava_row *r, rc_export_hint *out)
{
	memset(out, 0, sizeof *out);
	out->sport = r->sport[0] ? r->sport : NULL;
	out->name = r->name[0] ? r->name : NULL;
	out->gear = r->gear[0] ? r->gear : NULL;
	out->energy_kcal = r->kcal;
	out->note = c->latin1 ? LATIN1_NOTE : NULL;
}

bool rc_strava_hint(const rc_strava_csv *c, const char *path, rc_export_hint *out)
{
	const strava_row *r = find(c, path);
	if (!r) {
		memset(out, 0, sizeof *out);
		return false;
	}
	fill(c, r, out);
	return true;
}

int rc_strava_manual_count(const rc_strava_csv *c)
{
	return c ? c->nmanual : 0;
}

void rc_strava_manual(const rc_strava_csv *c, int i, int *line, rc_export_hint *hint, const char **problem,
                      const char **text, size_t *len)
{
	const strava_row *r = &c->rows[c->manual[i]];
	fill(c, r, hint);
	hint->manual = true;
	hint->start = r->start;
	hint->elapsed_s = r->elapsed_s;
	hint->moving_s = r->moving_s;
	hint->distance_m = r->distance_m;
	*line = r->line;
	*problem = r->problem;
	*text = r->text;
	*len = r->text_len;
}
