/* polar.c — a Polar Flow export's training sessions (see polar.h). */
#include "formats/polar.h"
#include "formats/libarchive.h"

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "formats/activity.h"
#include "formats/tcxout.h"
#include "formats/zipentry.h"

bool rc_polar_is_session(const char *name)
{
	if (!name)
		return false;
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	size_t n = strlen(base);
	return strncmp(base, "training-session-", 17) == 0 && n > 22 && strcmp(base + n - 5, ".json") == 0;
}

static double number(json_t *o, const char *key)
{
	json_t *v = o ? json_object_get(o, key) : NULL;
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* "PT2712.5S", "PT1H2M3S": seconds, or NAN. */
static double iso_duration(const char *s)
{
	if (!s || strncmp(s, "PT", 2) != 0)
		return NAN;
	double total = 0;
	const char *p = s + 2;
	while (*p) {
		char *end;
		double v = strtod(p, &end);
		if (end == p || v < 0)
			return NAN;
		switch (*end) {
		case 'H': total += v * 3600; break;
		case 'M': total += v * 60; break;
		case 'S': total += v; break;
		default: return NAN;
		}
		p = end + 1;
	}
	return total;
}

/* "2024-05-01T07:12:03.000", local time, and the offset in minutes: seconds since the epoch, or 0. */
static int64_t local_time(const char *s, double offset_min)
{
	int64_t t = s ? rc_iso8601(s) : 0;
	if (!t)
		return 0;
	/* A time written with its own zone ("Z", "+02:00") is already UTC. */
	size_t n = strlen(s);
	bool zoned = n && (s[n - 1] == 'Z' || (n > 6 && (s[n - 6] == '+' || s[n - 6] == '-') && s[n - 3] == ':'));
	return zoned || isnan(offset_min) ? t : t - (int64_t)llround(offset_min * 60);
}

/* The exercise's samples of one kind by second from its start ({dateTime, value}, or a bare number a
 * second), NAN where there is none. */
static void by_second(json_t *samples, const char *kind, int64_t start, double offset, double *out, int64_t n)
{
	json_t *arr = samples ? json_object_get(samples, kind) : NULL;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		int64_t at = (int64_t)i;
		double x = NAN;
		if (json_is_number(v)) {
			x = json_number_value(v);
		} else if (json_is_object(v)) {
			x = number(v, "value");
			json_t *dt = json_object_get(v, "dateTime");
			if (json_is_string(dt))
				at = local_time(json_string_value(dt), offset) - start;
		}
		if (at >= 0 && at < n && !isnan(x))
			out[at] = x;
	}
}

static json_t *way_points(json_t *ex)
{
	json_t *r = json_object_get(ex, "route");
	if (!r)
		r = json_object_get(ex, "routes");
	if (json_is_object(r) && json_is_object(json_object_get(r, "route")))
		r = json_object_get(r, "route");
	json_t *w = json_is_object(r) ? json_object_get(r, "wayPoints") : NULL;
	return json_is_array(w) ? w : NULL;
}

static void sport_word(const char *s, char *out, size_t n)
{
	rc_text_clean(out, n, s ? s : "", s ? strlen(s) : 0);
	for (char *c = out; *c; c++)
		*c = *c == '_' ? ' ' : (*c >= 'A' && *c <= 'Z') ? (char)(*c + 32) : *c;
	if (!out[0] || strcmp(out, "other") == 0)
		snprintf(out, n, "other sport");
}

static rc_err exercise(json_t *ex, int index, rc_polar_fn fn, void *ctx, int *stop)
{
	json_t *tz = json_object_get(ex, "timezoneOffset");
	double offset = json_is_number(tz) ? json_number_value(tz) : NAN;
	json_t *st = json_object_get(ex, "startTime");
	int64_t start = local_time(json_is_string(st) ? json_string_value(st) : NULL, offset);
	if (!start)
		return RC_EINVAL;
	json_t *du = json_object_get(ex, "duration");
	double duration = iso_duration(json_is_string(du) ? json_string_value(du) : NULL);
	json_t *hr = json_object_get(ex, "heartRate");
	char sport[48];
	json_t *sp = json_object_get(ex, "sport");
	sport_word(json_is_string(sp) ? json_string_value(sp) : NULL, sport, sizeof sport);
	bool run = strstr(sport, "run") != NULL;
	rc_tcx_out o;
	rc_tcx_begin(&o, run ? "Running" : strstr(sport, "bik") || strstr(sport, "cycl") ? "Biking" : "Other", start, duration,
	             number(ex, "distance"), number(ex, "kiloCalories"), number(hr, "avg"), number(hr, "max"));
	int64_t secs = !isnan(duration) && duration > 0 && duration <= RC_POLAR_MAX_SECONDS ? (int64_t)ceil(duration) + 1 : 0;
	double *hrs = secs ? malloc((size_t)secs * sizeof *hrs) : NULL, *dist = secs ? malloc((size_t)secs * sizeof *dist) : NULL;
	if (secs && (!hrs || !dist)) {
		free(hrs), free(dist);
		free(o.p);
		return RC_ENOMEM;
	}
	for (int64_t i = 0; i < secs; i++)
		hrs[i] = dist[i] = NAN;
	json_t *samples = json_object_get(ex, "samples");
	if (secs) {
		by_second(samples, "heartRate", start, offset, hrs, secs);
		by_second(samples, "distance", start, offset, dist, secs);
	}
	json_t *wps = way_points(ex);
	size_t npts = 0;
	if (wps) {
		size_t i;
		json_t *w;
		json_array_foreach(wps, i, w) {
			double ms = number(w, "elapsedMillis");
			if (isnan(ms))
				continue;
			int64_t at = (int64_t)(ms / 1000);
			rc_sample s = {.time = start + at, .lat = number(w, "latitude"), .lon = number(w, "longitude"),
			               .ele = number(w, "altitude"), .distance = NAN, .hr = NAN, .cadence = NAN};
			if (at >= 0 && at < secs)
				s.hr = hrs[at], s.distance = dist[at];
			rc_tcx_point(&o, &s);
			npts++;
		}
	}
	if (!npts) {
		/* No route (a treadmill, a watch without GPS): its samples second by second, the exercise's
		 * distance spread over them when it has no distance samples of its own. */
		bool have_dist = false;
		for (int64_t i = 0; i < secs && !have_dist; i++)
			have_dist = !isnan(dist[i]);
		double total = number(ex, "distance");
		int64_t last = (int64_t)floor(duration);
		for (int64_t i = 0; !have_dist && !isnan(total) && last > 0 && i <= last && i < secs; i++)
			dist[i] = total * (double)i / (double)last;
		for (int64_t i = 0; i < secs; i++)
			if (!isnan(hrs[i]) || !isnan(dist[i])) {
				rc_sample s = {.time = start + i, .lat = NAN, .lon = NAN, .ele = NAN, .distance = dist[i], .hr = hrs[i],
				               .cadence = NAN};
				rc_tcx_point(&o, &s);
				npts++;
			}
	}
	free(hrs);
	free(dist);
	if (!npts)
		rc_tcx_spread(&o, start, start + (isnan(duration) ? 0 : llround(duration)), number(ex, "distance"));
	char notes[100];
	snprintf(notes, sizeof notes, "Polar Flow: %s", sport);
	size_t len = 0;
	char *tcx = rc_tcx_end(&o, notes, &len);
	if (!tcx)
		return RC_ENOMEM;
	*stop = fn(ctx, sport, index, tcx, len);
	free(tcx);
	return RC_OK;
}

rc_err rc_polar_session_read(const char *json, size_t len, rc_polar_fn fn, void *ctx, char *err, size_t errlen)
{
	json_error_t je;
	/* Depth is bounded by jansson itself (JSON_PARSER_MAX_DEPTH). */
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return rc_errf(err, errlen, RC_EINVAL, "not readable JSON (line %d: %s)", je.line, je.text);
	json_t *exs = json_is_object(root) ? json_object_get(root, "exercises") : NULL;
	if (!json_is_array(exs) || !json_array_size(exs)) {
		json_decref(root);
		return rc_errf(err, errlen, RC_EINVAL,
		               "not the shape of a Polar Flow training session (no exercises[] in it)");
	}
	size_t i;
	json_t *ex;
	int stop = 0, read = 0;
	rc_err e = RC_OK;
	json_array_foreach(exs, i, ex) {
		if (stop || e)
			break;
		if (!json_is_object(ex))
			continue;
		rc_err x = exercise(ex, (int)i + 1, fn, ctx, &stop);
		if (x == RC_ENOMEM)
			e = rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		else if (!x)
			read++;
	}
	json_decref(root);
	if (!e && !read)
		return rc_errf(err, errlen, RC_EINVAL,
		               "not the shape of a Polar Flow training session (no exercise with a startTime)");
	return e;
}

static bool rc_polar_is_session_of(void *ctx, const char *name)
{
	(void)ctx;
	return rc_polar_is_session(name);
}

bool rc_polar_detect(const char *name, const char *path, const unsigned char *mem, size_t len)
{
	if (rc_zipent_any(path, mem, len, rc_polar_is_session_of, NULL))
		return true;
	/* A zip cut short shows its first entry only: Polar's name for the export says the rest. */
	bool streamed = false;
	struct archive *a = rc_zipent_open(path, mem, len, &streamed);
	if (a)
		libarchive.read_free(a);
	const char *base = name ? strrchr(name, '/') : NULL;
	base = base ? base + 1 : name;
	return streamed && base && strncmp(base, "polar-user-data-export", 22) == 0;
}

typedef struct {
	const char *name;
	rc_archive_budget *budget;
	rc_entry_fn fn;
	void *ctx;
	uint64_t in;
} polar_walk;

static int one_exercise(void *ctx, const char *sport, int index, const char *tcx, size_t len)
{
	polar_walk *w = ctx;
	char name[1100];
	if (index > 1)
		snprintf(name, sizeof name, "%s #%d", w->name, index);
	else
		snprintf(name, sizeof name, "%s", w->name);
	w->budget->sport_hint = sport;
	w->budget->hint.sport = sport; /* what the import reads (rc_app_training_import_hint) */
	int stop = w->fn(w->ctx, name, (const unsigned char *)tcx, len, NULL, w->in);
	w->budget->sport_hint = NULL;
	w->budget->hint.sport = NULL;
	return stop;
}

bool rc_polar_is_json(const char *name, const unsigned char *head, size_t len)
{
	size_t i = 0;
	while (i < len && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
		i++;
	return rc_polar_is_session(name) && i < len && head[i] == '{';
}

/* Reads one session's bytes, handing its exercises over, or its problem, named. */
static int session(polar_walk *w, const char *name, const unsigned char *data, size_t len)
{
	char clean[1024], msg[400];
	rc_text_clean(clean, sizeof clean, name, strlen(name));
	w->name = clean;
	if (rc_polar_session_read((const char *)data, len, one_exercise, w, msg, sizeof msg))
		return w->fn(w->ctx, clean, NULL, 0, msg, w->in);
	return 0;
}

void rc_polar_each_json(const char *name, const unsigned char *data, size_t len, rc_archive_budget *budget,
                        rc_entry_fn fn, void *ctx)
{
	polar_walk w = {.budget = budget, .fn = fn, .ctx = ctx, .in = len};
	if (len > RC_POLAR_MAX_FILE || !data)
		fn(ctx, name, NULL, 0, "larger than 64 MB, the limit for one Polar session's file", len);
	else
		(void)session(&w, name, data, len);
}

rc_err rc_polar_each(const char *source, const char *path, const unsigned char *mem, size_t len,
                     rc_archive_budget *budget, rc_entry_fn fn, void *ctx, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = 0;
	bool streamed = false; /* a zip cut short, read entry by entry: its sessions before the cut */
	struct archive *a = rc_zipent_open(path, mem, len, &streamed);
	if (!a)
		return rc_errf(err, errlen, RC_EINVAL, "%s: not a readable archive", source);
	struct archive_entry *e;
	int r = ARCHIVE_OK, entries = 0;
	bool halt = false;
	polar_walk w = {.budget = budget, .fn = fn, .ctx = ctx};
	while (!halt && ((r = libarchive.read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		if (++entries > RC_ARCHIVE_MAX_ENTRIES) {
			halt = fn(ctx, source, NULL, 0, "more than 100,000 files in one archive: the rest were left out", w.in);
			break;
		}
		if (libarchive.entry_filetype(e) != AE_IFREG)
			continue;
		const char *name = libarchive.entry_pathname(e);
		budget->entries++;
		if (!rc_polar_is_session(name)) {
			budget->skipped++; /* account, daily activity, sleep, fitness tests */
			bool over = false;
			if (streamed && rc_zipent_stream(a, budget, UINT64_MAX, rc_zipent_discard, NULL, &over) && over)
				halt = true;
			continue;
		}
		rc_zipent_bytes b = {0};
		bool over = false;
		const char *why = rc_zipent_stream(a, budget, RC_POLAR_MAX_FILE, rc_zipent_feed_bytes, &b, &over);
		uint64_t at = (uint64_t)libarchive.filter_bytes(a, -1);
		w.in = at > w.in ? at : w.in;
		if (!why && b.oom)
			why = "out of memory";
		if (why && strstr(why, "larger than"))
			why = "larger than 64 MB, the limit for one Polar session's file";
		if (why) {
			char clean[1024];
			rc_text_clean(clean, sizeof clean, name, strlen(name));
			halt = fn(ctx, clean, NULL, 0, why, w.in) || over;
		} else {
			halt = session(&w, name, b.p ? b.p : (const unsigned char *)"", b.n) != 0;
		}
		free(b.p);
	}
	if (streamed && !halt)
		fn(ctx, source, NULL, 0,
		   "the archive is cut short or damaged (its table of contents at the end is missing): the sessions before "
		   "the damage were read; download the export again for the rest",
		   w.in);
	libarchive.read_free(a);
	return RC_OK;
}
