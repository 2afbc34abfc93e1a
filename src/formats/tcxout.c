/* tcxout.c — a TCX document written for a platform's activity (see tcxout.h). */
#include "formats/tcxout.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void put(rc_tcx_out *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
		va_end(ap);
		if (k < 0) {
			b->oom = true;
			return;
		}
		if (b->p && (size_t)k < b->cap - b->n) {
			b->n += (size_t)k;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->n + (size_t)k + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
}

static const char *stamp(int64_t t, char s[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(s, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		s[0] = 0;
	return s;
}

void rc_tcx_begin(rc_tcx_out *o, const char *sport, int64_t start, double duration_s, double distance_m, double kcal,
                  double hr_avg, double hr_max)
{
	memset(o, 0, sizeof *o);
	char s[32];
	put(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">\n"
	       "<Activities><Activity Sport=\"%s\"><Id>%s</Id>\n<Lap StartTime=\"%s\">",
	    sport, stamp(start, s), s);
	if (!isnan(duration_s))
		put(o, "<TotalTimeSeconds>%.0f</TotalTimeSeconds>", duration_s);
	if (!isnan(distance_m))
		put(o, "<DistanceMeters>%.1f</DistanceMeters>", distance_m);
	if (!isnan(kcal))
		put(o, "<Calories>%.0f</Calories>", kcal);
	if (!isnan(hr_avg) && hr_avg > 0)
		put(o, "<AverageHeartRateBpm><Value>%.0f</Value></AverageHeartRateBpm>", hr_avg);
	if (!isnan(hr_max) && hr_max > 0)
		put(o, "<MaximumHeartRateBpm><Value>%.0f</Value></MaximumHeartRateBpm>", hr_max);
	put(o, "<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>\n<Track>\n");
}

void rc_tcx_point(void *ctx, const rc_sample *s)
{
	rc_tcx_out *b = ctx;
	char t[32];
	put(b, "<Trackpoint>");
	if (s->time)
		put(b, "<Time>%s</Time>", stamp(s->time, t));
	if (!isnan(s->lat) && !isnan(s->lon))
		put(b, "<Position><LatitudeDegrees>%.7f</LatitudeDegrees><LongitudeDegrees>%.7f</LongitudeDegrees></Position>",
		    s->lat, s->lon);
	if (!isnan(s->ele))
		put(b, "<AltitudeMeters>%.1f</AltitudeMeters>", s->ele);
	if (!isnan(s->distance))
		put(b, "<DistanceMeters>%.1f</DistanceMeters>", s->distance);
	if (!isnan(s->hr))
		put(b, "<HeartRateBpm><Value>%.0f</Value></HeartRateBpm>", s->hr);
	if (!isnan(s->cadence))
		put(b, "<Cadence>%.0f</Cadence>", s->cadence);
	put(b, "</Trackpoint>\n");
}

void rc_tcx_spread(rc_tcx_out *o, int64_t start, int64_t end, double distance_m)
{
	double d = isnan(distance_m) ? 0 : distance_m;
	int64_t span = end > start ? end - start : 0, step = span / 5000 > 30 ? span / 5000 : 30;
	for (int64_t t = 0;; t += step) {
		if (t > span)
			t = span;
		rc_sample s = {.time = start + t, .lat = NAN, .lon = NAN, .ele = NAN, .hr = NAN, .cadence = NAN,
		               .distance = span ? d * (double)t / (double)span : d};
		rc_tcx_point(o, &s);
		if (t == span)
			break;
	}
}

char *rc_tcx_end(rc_tcx_out *o, const char *notes, size_t *len)
{
	put(o, "</Track></Lap>\n<Notes>");
	for (const char *c = notes; *c; c++)
		put(o, *c == '<' ? "&lt;" : *c == '>' ? "&gt;" : *c == '&' ? "&amp;" : "%c", *c);
	put(o, "</Notes></Activity></Activities>\n</TrainingCenterDatabase>\n");
	if (o->oom) {
		free(o->p);
		return NULL;
	}
	*len = o->n;
	return o->p;
}
