/* garmin.c — a Garmin Connect export's summarizedActivities.json (see garmin.h). */
#include "formats/garmin.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

typedef struct {
	int64_t start;
	char name[128], sport[32];
} summary;

struct rc_garmin_summary {
	summary *s;
	int n, cap;
};

rc_garmin_summary *rc_garmin_summary_new(void)
{
	return calloc(1, sizeof(rc_garmin_summary));
}

void rc_garmin_summary_free(rc_garmin_summary *g)
{
	if (g)
		free(g->s);
	free(g);
}

int rc_garmin_summary_count(const rc_garmin_summary *g)
{
	return g ? g->n : 0;
}

/* activityType as Garmin writes it in the export ("running", "trail_running") or, in older exports,
 * an object with its typeKey. */
static const char *type_of(json_t *a)
{
	json_t *t = json_object_get(a, "activityType");
	if (json_is_object(t))
		t = json_object_get(t, "typeKey");
	if (!json_is_string(t))
		t = json_object_get(a, "sportType"); /* "RUNNING" */
	return json_is_string(t) ? json_string_value(t) : "";
}

static int add_one(rc_garmin_summary *g, json_t *a)
{
	json_t *t = json_object_get(a, "startTimeGmt");
	if (!json_is_number(t))
		t = json_object_get(a, "beginTimestamp");
	if (!json_is_number(t))
		return 0; /* nothing to match it by */
	if (g->n == g->cap) {
		int cap = g->cap ? g->cap * 2 : 256;
		summary *s = realloc(g->s, (size_t)cap * sizeof *s);
		if (!s)
			return -1;
		g->s = s;
		g->cap = cap;
	}
	summary *s = &g->s[g->n++];
	s->start = (int64_t)llround(json_number_value(t) / 1000.0);
	json_t *name = json_object_get(a, "name");
	const char *nm = json_is_string(name) ? json_string_value(name) : "";
	rc_text_clean(s->name, sizeof s->name, nm, strlen(nm));
	const char *type = type_of(a);
	size_t k = 0;
	for (; type[k] && k + 1 < sizeof s->sport; k++)
		s->sport[k] = (char)tolower((unsigned char)type[k]);
	s->sport[k] = 0;
	if (strcmp(s->sport, "uncategorized") == 0)
		s->sport[0] = 0;
	return 0;
}

static int by_start(const void *a, const void *b)
{
	int64_t x = ((const summary *)a)->start, y = ((const summary *)b)->start;
	return x < y ? -1 : x > y;
}

rc_err rc_garmin_summary_add(rc_garmin_summary *g, const char *data, size_t len, char *err, size_t errlen)
{
	if (len > RC_GARMIN_SUMMARY_MAX)
		return rc_errf(err, errlen, RC_ETOOBIG,
		               "an activity summary of %zu MB, over runcare's limit of %d MB for one: its names were not "
		               "read (the activities in the FIT files are imported all the same)",
		               len >> 20, RC_GARMIN_SUMMARY_MAX >> 20);
	json_error_t je;
	json_t *root = json_loadb(data, len, 0, &je);
	if (!root)
		return rc_errf(err, errlen, RC_EINVAL, "not readable as JSON (line %d: %s)", je.line, je.text);
	rc_err e = RC_OK;
	if (!json_is_array(root)) {
		e = rc_errf(err, errlen, RC_EINVAL, "not a Garmin activity summary (an array of summarizedActivitiesExport)");
	} else {
		size_t i;
		json_t *chunk;
		json_array_foreach(root, i, chunk) {
			json_t *list = json_object_get(chunk, "summarizedActivitiesExport");
			size_t j;
			json_t *a;
			json_array_foreach(list, j, a) {
				if (json_is_object(a) && add_one(g, a)) {
					e = RC_ENOMEM;
					break;
				}
			}
		}
	}
	json_decref(root);
	if (g->n > 1)
		qsort(g->s, (size_t)g->n, sizeof *g->s, by_start);
	return e;
}

bool rc_garmin_summary_find(const rc_garmin_summary *g, int64_t start, const char **name, const char **sport)
{
	const summary *best = NULL;
	int64_t off = RC_GARMIN_MATCH_S + 1;
	if (!g || !g->n)
		return false;
	/* Sorted by start (rc_garmin_summary_add): the first at or after start, and its neighbours. */
	int lo = 0, hi = g->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (g->s[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = lo > 0 ? lo - 1 : 0; i < g->n && i <= lo; i++) {
		int64_t d = llabs(g->s[i].start - start);
		if (d < off) {
			off = d;
			best = &g->s[i];
		}
	}
	if (!best)
		return false;
	*name = best->name;
	*sport = best->sport;
	return true;
}
