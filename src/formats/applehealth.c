/* applehealth.c — an Apple Health export: export.xml streamed through expat for its workouts, their
 * routes from workout-routes/, one TCX per workout handed over (see applehealth.h). */
#include "formats/applehealth.h"
#include "formats/libarchive.h"

#include <archive.h>
#include <archive_entry.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/text.h"
#include "base/time.h"
#include "formats/activity.h"
#include "formats/tcxout.h"
#include "formats/zipentry.h"

/* --- export.xml -------------------------------------------------------------------------------- */

struct rc_ah_stream {
	XML_Parser x;
	rc_ah_workout_fn fn;
	void *ctx;
	int depth, workout_depth; /* workout_depth: the open <Workout>'s depth, 0 when none */
	rc_ah_workout cur;
	uint64_t quiet;           /* bytes fed since the last element began or ended */
	bool ok, stopped_by_fn;
	const char *why;          /* runcare's own reason for stopping, else expat's error */
};

int64_t rc_ah_date(const char *s)
{
	/* "2024-05-01 07:12:03 -0700" as ISO 8601 ("2024-05-01T07:12:03-0700"), which rc_iso8601 reads. */
	char iso[40];
	size_t n = strlen(s);
	if (n < 19 || n > 30 || s[10] != ' ')
		return 0;
	memcpy(iso, s, 19);
	iso[10] = 'T';
	size_t at = 19;
	const char *z = s + 19;
	while (*z == ' ')
		z++;
	n = strlen(z);
	memcpy(iso + at, z, n);
	iso[at + n] = 0;
	return rc_iso8601(iso);
}

static const char *attr(const XML_Char **attrs, const char *name)
{
	for (int i = 0; attrs[i]; i += 2)
		if (strcmp(attrs[i], name) == 0)
			return attrs[i + 1];
	return NULL;
}

static double num(const char *s)
{
	if (!s || !*s)
		return NAN;
	char *end;
	double v = strtod(s, &end);
	return end == s || !isfinite(v) || v < 0 ? NAN : v;
}

/* A distance in metres from a value and Apple's unit ("km", "mi", "m", "yd", "ft"). */
static double metres(const char *v, const char *unit)
{
	double x = num(v);
	if (isnan(x))
		return NAN;
	if (!unit || strcmp(unit, "km") == 0)
		return x * 1000;
	if (strcmp(unit, "m") == 0)
		return x;
	if (strcmp(unit, "mi") == 0)
		return x * 1609.344;
	if (strcmp(unit, "yd") == 0)
		return x * 0.9144;
	if (strcmp(unit, "ft") == 0)
		return x * 0.3048;
	return NAN;
}

static double kcal(const char *v, const char *unit)
{
	double x = num(v);
	if (isnan(x))
		return NAN;
	if (!unit || strcmp(unit, "kcal") == 0 || strcmp(unit, "Cal") == 0)
		return x;
	if (strcmp(unit, "kJ") == 0)
		return x / 4.184;
	if (strcmp(unit, "cal") == 0)
		return x / 1000;
	return NAN;
}

static double seconds(const char *v, const char *unit)
{
	double x = num(v);
	if (isnan(x))
		return NAN;
	if (!unit || strcmp(unit, "min") == 0)
		return x * 60;
	if (strcmp(unit, "s") == 0 || strcmp(unit, "sec") == 0)
		return x;
	if (strcmp(unit, "hr") == 0 || strcmp(unit, "h") == 0)
		return x * 3600;
	return NAN;
}

/* "HKWorkoutActivityTypeTraditionalStrengthTraining": type "TraditionalStrengthTraining", sport
 * "traditional strength training"; Apple's "Other" is "other workout" (runcare counts a bare "other",
 * FIT's word, as running). */
static void workout_type(rc_ah_workout *w, const char *t)
{
	if (!t)
		t = "";
	if (strncmp(t, "HKWorkoutActivityType", 21) == 0)
		t += 21;
	rc_text_clean(w->type, sizeof w->type, t, strlen(t));
	size_t o = 0;
	for (const char *c = w->type; *c && o + 2 < sizeof w->sport; c++) {
		if (*c >= 'A' && *c <= 'Z') {
			if (o)
				w->sport[o++] = ' ';
			w->sport[o++] = (char)(*c + 32);
		} else {
			w->sport[o++] = *c;
		}
	}
	w->sport[o] = 0;
	if (strcmp(w->sport, "other") == 0 || !o)
		snprintf(w->sport, sizeof w->sport, "other workout");
}

static void stop(rc_ah_stream *st, const char *why)
{
	if (!st->why)
		st->why = why;
	XML_StopParser(st->x, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	rc_ah_stream *st = ud;
	st->quiet = 0;
	if (++st->depth > RC_AH_MAX_DEPTH) {
		stop(st, "elements nested too deep");
		return;
	}
	/* Nearly every element is a <Record> under <HealthData>: one comparison and out. */
	if (st->depth == 2 && strcmp(name, "Workout") == 0) {
		rc_ah_workout *w = &st->cur;
		memset(w, 0, sizeof *w);
		st->workout_depth = st->depth;
		workout_type(w, attr(attrs, "workoutActivityType"));
		const char *src = attr(attrs, "sourceName");
		if (src)
			rc_text_clean(w->source, sizeof w->source, src, strlen(src));
		const char *sd = attr(attrs, "startDate"), *ed = attr(attrs, "endDate");
		w->start = sd ? rc_ah_date(sd) : 0;
		w->end = ed ? rc_ah_date(ed) : 0;
		w->duration_s = seconds(attr(attrs, "duration"), attr(attrs, "durationUnit"));
		w->distance_m = metres(attr(attrs, "totalDistance"), attr(attrs, "totalDistanceUnit"));
		w->energy_kcal = kcal(attr(attrs, "totalEnergyBurned"), attr(attrs, "totalEnergyBurnedUnit"));
		w->hr_avg = w->hr_max = NAN;
		w->line = (int64_t)XML_GetCurrentLineNumber(st->x);
		return;
	}
	if (!st->workout_depth)
		return;
	rc_ah_workout *w = &st->cur;
	if (strcmp(name, "WorkoutStatistics") == 0) {
		/* iOS 16 on: the figures are statistics of the workout rather than its own attributes. */
		const char *type = attr(attrs, "type"), *unit = attr(attrs, "unit");
		if (!type)
			return;
		if (strcmp(type, "HKQuantityTypeIdentifierHeartRate") == 0) {
			w->hr_avg = num(attr(attrs, "average"));
			w->hr_max = num(attr(attrs, "maximum"));
		} else if (strncmp(type, "HKQuantityTypeIdentifierDistance", 32) == 0 && isnan(w->distance_m)) {
			w->distance_m = metres(attr(attrs, "sum"), unit);
		} else if (strcmp(type, "HKQuantityTypeIdentifierActiveEnergyBurned") == 0 && isnan(w->energy_kcal)) {
			w->energy_kcal = kcal(attr(attrs, "sum"), unit);
		}
	} else if (strcmp(name, "FileReference") == 0) {
		const char *p = attr(attrs, "path");
		if (p && !w->route[0])
			rc_text_clean(w->route, sizeof w->route, p, strlen(p));
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	(void)name;
	rc_ah_stream *st = ud;
	st->quiet = 0;
	if (st->workout_depth && st->depth == st->workout_depth) {
		st->workout_depth = 0;
		rc_ah_workout *w = &st->cur;
		if (!w->end && w->start && !isnan(w->duration_s))
			w->end = w->start + llround(w->duration_s);
		if (isnan(w->duration_s) && w->start && w->end > w->start)
			w->duration_s = (double)(w->end - w->start);
		if (st->fn(st->ctx, w)) {
			st->stopped_by_fn = true;
			stop(st, "stopped");
		}
	}
	st->depth--;
}

/* Any entity declared in the DTD stops the read: Apple's export declares none, and an entity is how a
 * small XML file expands to gigabytes ("billion laughs"). */
static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value, int value_len,
                              const XML_Char *base, const XML_Char *system_id, const XML_Char *public_id,
                              const XML_Char *notation)
{
	(void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)system_id, (void)public_id,
		(void)notation;
	stop(ud, "it declares XML entities, which an Apple Health export never does (they can expand without end)");
}

rc_ah_stream *rc_ah_open(rc_ah_workout_fn fn, void *ctx)
{
	rc_ah_stream *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->x = XML_ParserCreate(NULL);
	if (!st->x) {
		free(st);
		return NULL;
	}
	st->fn = fn;
	st->ctx = ctx;
	st->ok = true;
	XML_SetUserData(st->x, st);
	XML_SetElementHandler(st->x, on_start, on_end);
	XML_SetEntityDeclHandler(st->x, on_entity);
	/* No external DTD or parameter entity is ever fetched or read. */
	XML_SetParamEntityParsing(st->x, XML_PARAM_ENTITY_PARSING_NEVER);
	return st;
}

bool rc_ah_feed(rc_ah_stream *st, const char *data, size_t len)
{
	enum { CHUNK = 64 * 1024 };
	for (size_t off = 0; off < len && st->ok; off += CHUNK) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;
		st->ok = XML_Parse(st->x, data + off, (int)n, 0) == XML_STATUS_OK;
		/* expat keeps an unfinished token whole: one that never ends would grow with the file. */
		if (st->ok && (st->quiet += n) > RC_AH_MAX_QUIET) {
			st->why = "more than 16 MB without one element ending: not an export.xml Apple writes";
			st->ok = false;
		}
	}
	return st->ok;
}

rc_err rc_ah_close(rc_ah_stream *st, char *err, size_t errlen)
{
	if (st->ok)
		st->ok = XML_Parse(st->x, "", 0, 1) == XML_STATUS_OK;
	rc_err e = RC_OK;
	if (!st->ok && !st->stopped_by_fn) {
		unsigned long line = (unsigned long)XML_GetCurrentLineNumber(st->x);
		e = rc_errf(err, errlen, RC_EINVAL, "damaged at line %lu (%s): the workouts before it were read", line,
		            st->why ? st->why : XML_ErrorString(XML_GetErrorCode(st->x)));
	}
	XML_ParserFree(st->x);
	free(st);
	return e;
}

/* --- the TCX handed over for a workout --------------------------------------------------------- */

char *rc_ah_tcx(const rc_ah_workout *w, const unsigned char *gpx, size_t gpxlen, size_t *len)
{
	rc_tcx_out o;
	bool run = strstr(w->sport, "run") != NULL;
	rc_tcx_begin(&o, run ? "Running" : strstr(w->sport, "cycl") ? "Biking" : "Other", w->start, w->duration_s,
	             w->distance_m, w->energy_kcal, w->hr_avg, w->hr_max);
	bool points = false;
	if (gpx) {
		rc_activity_info info;
		char err[200];
		size_t before = o.n;
		/* The stored TCX is read again by the import with the real clock; here no point is refused. */
		if (rc_xml_activity_read((const char *)gpx, gpxlen, INT64_MAX / 4, rc_tcx_point, &o, &info, err, sizeof err) ==
		        RC_OK &&
		    info.samples > 0)
			points = true;
		else
			o.n = before;
	}
	if (!points)
		rc_tcx_spread(&o, w->start, w->end, w->distance_m);
	char notes[200];
	snprintf(notes, sizeof notes, "Apple Health: %s%s%s", w->type, w->source[0] ? ", recorded by " : "", w->source);
	return rc_tcx_end(&o, notes, len);
}

/* --- the export, zipped or plain --------------------------------------------------------------- */

/* The export's main file: apple_health_export/export.xml (whatever the language of its name, so any
 * .xml directly in that folder but export_cda.xml), or export.xml at the top of the zip. */
static bool main_xml(const char *name)
{
	if (!name)
		return false;
	if (strcmp(name, "export.xml") == 0)
		return true;
	const char *dir = "apple_health_export/";
	size_t d = strlen(dir), n = strlen(name);
	return strncmp(name, dir, d) == 0 && !strchr(name + d, '/') && n > d + 4 && strcmp(name + n - 4, ".xml") == 0 &&
	       !strstr(name + d, "cda");
}

/* A route: "apple_health_export/workout-routes/route_2024-05-01_7.12am.gpx"; its name from "workout-routes/" on. */
static const char *route_of(const char *name)
{
	const char *r = name ? strstr(name, "workout-routes/") : NULL;
	size_t n = name ? strlen(name) : 0;
	return r && n > 4 && strcmp(name + n - 4, ".gpx") == 0 ? r : NULL;
}

static bool main_xml_of(void *ctx, const char *name)
{
	(void)ctx;
	return main_xml(name);
}

bool rc_applehealth_detect(const char *path, const unsigned char *mem, size_t len)
{
	return rc_zipent_any(path, mem, len, main_xml_of, NULL);
}

bool rc_applehealth_is_xml(const unsigned char *head, size_t len)
{
	size_t n = len < 4096 ? len : 4096;
	return memmem(head, n, "<!DOCTYPE HealthData", 20) || memmem(head, n, "<HealthData", 11);
}

typedef struct {
	const char *source, *xml_name;
	rc_archive_budget *budget;
	rc_entry_fn fn;
	void *ctx;
	uint64_t in;          /* how far into the source (progress), never going back */
	bool halt, keep_routed, streamed; /* streamed: the zip is read entry by entry (it is cut short) */
	rc_ah_workout *routed; /* workouts waiting for their routes */
	size_t nrouted, caprouted;
	bool *matched;
} ah_walk;

static void progress(ah_walk *w, struct archive *a)
{
	uint64_t at = a ? (uint64_t)libarchive.filter_bytes(a, -1) : 0;
	if (at > w->in)
		w->in = at;
}

/* Hands over one workout's TCX. */
static void deliver(ah_walk *w, const rc_ah_workout *wo, const unsigned char *gpx, size_t gpxlen)
{
	char name[200], when[20] = "";
	time_t tt = (time_t)wo->start;
	struct tm tm;
	/* The day and time in UTC: the export's own zone offsets vary with travel. */
	if (gmtime_r(&tt, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	snprintf(name, sizeof name, "%s: %s %s UTC", w->xml_name, wo->type[0] ? wo->type : "Workout", when);
	if (!wo->start) {
		char why[160];
		snprintf(why, sizeof why, "the workout at line %lld of the export has no start date", (long long)wo->line);
		if (w->fn(w->ctx, name, NULL, 0, why, w->in))
			w->halt = true;
		return;
	}
	size_t n = 0;
	char *tcx = rc_ah_tcx(wo, gpx, gpxlen, &n);
	w->budget->sport_hint = wo->sport;
	w->budget->hint.sport = wo->sport; /* what the import reads (rc_app_training_import_hint) */
	int stop = tcx ? w->fn(w->ctx, name, (const unsigned char *)tcx, n, NULL, w->in)
	               : w->fn(w->ctx, name, NULL, 0, "out of memory", w->in);
	w->budget->sport_hint = NULL;
	w->budget->hint.sport = NULL;
	free(tcx);
	if (stop)
		w->halt = true;
}

static int on_workout(void *ctx, const rc_ah_workout *wo)
{
	ah_walk *w = ctx;
	if (w->keep_routed && wo->route[0] && w->nrouted < RC_AH_MAX_ROUTED) {
		if (w->nrouted == w->caprouted) {
			size_t cap = w->caprouted ? w->caprouted * 2 : 64;
			rc_ah_workout *p = realloc(w->routed, cap * sizeof *p);
			if (!p) {
				deliver(w, wo, NULL, 0);
				return w->halt;
			}
			w->routed = p;
			w->caprouted = cap;
		}
		w->routed[w->nrouted++] = *wo;
		return 0;
	}
	deliver(w, wo, NULL, 0);
	return w->halt;
}

/* A block of export.xml from the zip: read, and the source's position kept for the workouts handed
 * over while it is read (the job's progress). */
typedef struct {
	rc_ah_stream *st;
	ah_walk *w;
	struct archive *a;
} xml_feed;

static bool feed_xml(void *ctx, const void *block, size_t size)
{
	xml_feed *f = ctx;
	progress(f->w, f->a);
	return rc_ah_feed(f->st, block, size);
}

static void problem(ah_walk *w, const char *name, const char *why)
{
	if (w->fn(w->ctx, name, NULL, 0, why, w->in))
		w->halt = true;
}

/* Streams export.xml (the current entry, or a whole plain file) into the reader; false when it could
 * not be read to its end (the problem was handed over). */
static void read_xml(ah_walk *w, struct archive *a, FILE *f, const unsigned char *mem, size_t len)
{
	rc_ah_stream *st = rc_ah_open(on_workout, w);
	if (!st) {
		problem(w, w->xml_name, "out of memory");
		return;
	}
	const char *why = NULL;
	bool over = false;
	if (a) {
		xml_feed feed = {st, w, a};
		why = rc_zipent_stream(a, w->budget, UINT64_MAX, feed_xml, &feed, &over);
	} else if (f) {
		char *chunk = malloc(1 << 20);
		size_t n;
		while (chunk && (n = fread(chunk, 1, 1 << 20, f)) > 0 && rc_ah_feed(st, chunk, n))
			w->in += n;
		if (!chunk)
			why = "out of memory";
		free(chunk);
	} else {
		rc_ah_feed(st, (const char *)mem, len);
	}
	if (a)
		progress(w, a);
	char err[300];
	if (rc_ah_close(st, err, sizeof err) && !w->halt) {
		char msg[400];
		snprintf(msg, sizeof msg, "%s%s", why ? "" : "the file is ", why ? why : err);
		problem(w, w->xml_name, msg);
		w->keep_routed = false; /* routes of workouts after the damage have no workout to join */
	} else if (why && !w->halt) {
		problem(w, w->xml_name, why);
	}
	if (over)
		w->halt = true;
}

static int cmp_route(const void *a, const void *b)
{
	const rc_ah_workout *x = a, *y = b;
	const char *rx = strstr(x->route, "workout-routes/"), *ry = strstr(y->route, "workout-routes/");
	return strcmp(rx ? rx : x->route, ry ? ry : y->route);
}

/* The workouts that wait for their routes, sorted by route, ready to be matched; false when out of memory. */
static bool prepare_routes(ah_walk *w)
{
	if (w->matched)
		return true;
	if (w->nrouted) /* qsort of none may be handed a null array: undefined behaviour */
		qsort(w->routed, w->nrouted, sizeof *w->routed, cmp_route);
	w->matched = calloc(w->nrouted ? w->nrouted : 1, sizeof *w->matched);
	return w->matched != NULL;
}

/* An entry that is not read, read through anyway when the zip is read entry by entry (libarchive would
 * decompress it to find its end, unmeasured): its bytes count against the limits, and are dropped. */
static void pass_over(ah_walk *w, struct archive *a)
{
	if (!w->streamed)
		return;
	bool over = false;
	if (rc_zipent_stream(a, w->budget, UINT64_MAX, rc_zipent_discard, NULL, &over) && over)
		w->halt = true;
}

/* One route file (the current entry): joined to its workouts and handed over with them. */
static void route_entry(ah_walk *w, struct archive *a, const char *name, bool xml_whole)
{
	rc_ah_workout key;
	snprintf(key.route, sizeof key.route, "%s", route_of(name));
	rc_ah_workout *hit = w->nrouted ? bsearch(&key, w->routed, w->nrouted, sizeof key, cmp_route) : NULL;
	if (!hit && !xml_whole) {
		/* Its workout may be after the damage in export.xml: not guessed at. */
		w->budget->skipped++;
		pass_over(w, a);
		return;
	}
	rc_zipent_bytes b = {0};
	bool over = false;
	const char *why = rc_zipent_stream(a, w->budget, RC_ARCHIVE_MAX_FILE, rc_zipent_feed_bytes, &b, &over);
	progress(w, a);
	if (!why && b.oom)
		why = "out of memory";
	if (why) {
		problem(w, name, why);
		if (over)
			w->halt = true;
	} else if (hit) {
		/* Every workout of that route (the first found may be any of them). */
		while (hit > w->routed && cmp_route(hit - 1, &key) == 0)
			hit--;
		for (; hit < w->routed + w->nrouted && !w->halt && cmp_route(hit, &key) == 0; hit++) {
			w->matched[hit - w->routed] = true;
			deliver(w, hit, b.p, b.n);
		}
	} else if (w->fn(w->ctx, name, b.p ? b.p : (const unsigned char *)"", b.n, NULL, w->in)) {
		/* A route whose workout the export does not list: its points are an activity still. */
		w->halt = true;
	}
	free(b.p);
}

/* The second pass (a zip read through its central directory): each route file joined to its workouts. */
static void read_routes(ah_walk *w, const char *path, const unsigned char *mem, size_t len, bool xml_whole)
{
	struct archive *a = prepare_routes(w) ? rc_zipent_open(path, mem, len, NULL) : NULL;
	struct archive_entry *e;
	int r;
	for (int i = 0; a && !w->halt && i < RC_ARCHIVE_MAX_ENTRIES &&
	                ((r = libarchive.read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN);
	     i++) {
		const char *name = libarchive.entry_pathname(e);
		if (route_of(name) && libarchive.entry_filetype(e) == AE_IFREG)
			route_entry(w, a, name, xml_whole);
	}
	if (a)
		libarchive.read_free(a);
}

/* A workout whose route file is not in the zip (or not reached): its figures alone. */
static void finish_routes(ah_walk *w)
{
	for (size_t i = 0; i < w->nrouted && !w->halt; i++)
		if (!w->matched || !w->matched[i])
			deliver(w, &w->routed[i], NULL, 0);
	free(w->matched);
	w->matched = NULL;
}

rc_err rc_applehealth_each(const char *source, const char *path, const unsigned char *mem, size_t len,
                           rc_archive_budget *budget, rc_entry_fn fn, void *ctx, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = 0;
	ah_walk w = {.source = source, .xml_name = source, .budget = budget, .fn = fn, .ctx = ctx};
	unsigned char head[4] = {0};
	if (mem) {
		memcpy(head, mem, len < 4 ? len : 4);
	} else {
		FILE *f = fopen(path, "rb");
		if (!f)
			return rc_errf(err, errlen, RC_EINVAL, "%s: cannot open it", source);
		size_t h = fread(head, 1, 4, f);
		if (!rc_zipent_is_zip(head, h)) {
			/* export.xml alone, unzipped: its workouts without routes. */
			rewind(f);
			read_xml(&w, NULL, f, NULL, 0);
			fclose(f);
			return RC_OK;
		}
		fclose(f);
	}
	if (mem && !rc_zipent_is_zip(mem, len)) {
		w.in = len;
		read_xml(&w, NULL, NULL, mem, len);
		return RC_OK;
	}
	/* The first pass: export.xml streamed, every other file jumped over (routes come in the second). A
	 * zip cut short (no central directory) is read entry by entry from its start, once: the routes after
	 * export.xml are joined to their workouts as they come. */
	struct archive *a = rc_zipent_open(path, mem, len, &w.streamed);
	if (!a)
		return rc_errf(err, errlen, RC_EINVAL, "%s: not a readable archive", source);
	struct archive_entry *e;
	int r = ARCHIVE_OK, entries = 0;
	bool xml_whole = false, seen_xml = false;
	char xml_name[1024];
	w.keep_routed = true;
	while (!w.halt && ((r = libarchive.read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		if (++entries > RC_ARCHIVE_MAX_ENTRIES) {
			problem(&w, source, "more than 100,000 files in one archive: the rest were left out");
			break;
		}
		if (libarchive.entry_filetype(e) != AE_IFREG)
			continue;
		const char *name = libarchive.entry_pathname(e);
		budget->entries++;
		if (!seen_xml && main_xml(name)) {
			seen_xml = true;
			snprintf(xml_name, sizeof xml_name, "%s", name);
			w.xml_name = xml_name;
			read_xml(&w, a, NULL, NULL, 0);
			xml_whole = w.keep_routed;
		} else if (route_of(name) && w.streamed && seen_xml) {
			if (prepare_routes(&w))
				route_entry(&w, a, name, xml_whole);
		} else {
			if (!route_of(name))
				budget->skipped++; /* export_cda.xml, electrocardiograms/, image attachments */
			else if (w.streamed)
				budget->skipped++; /* a route before export.xml in a zip read entry by entry */
			pass_over(&w, a);
		}
	}
	if ((r == ARCHIVE_FATAL || w.streamed) && !w.halt)
		problem(&w, source,
		        w.streamed ? "the archive is cut short or damaged (its table of contents at the end is missing): the "
		                     "workouts before the damage were read; download the export again for the rest"
		                   : "the archive is damaged: the files before the damage were read");
	progress(&w, a);
	libarchive.read_free(a);
	if (!w.halt && !w.streamed)
		read_routes(&w, path, mem, len, xml_whole);
	if (!w.halt)
		finish_routes(&w);
	free(w.matched);
	free(w.routed);
	return RC_OK;
}
