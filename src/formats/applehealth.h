/* applehealth.h — an Apple Health export (the Health app's "Export All Health Data": export.zip holding
 * apple_health_export/export.xml, apple_health_export/workout-routes/route_2024-05-01_7.12am.gpx, and
 * export_cda.xml, electrocardiograms/… that runcare does not read).
 *
 * export.xml is often hundreds of megabytes, nearly all of it <Record> elements (steps, heart rate,
 * sleep…): it is streamed through expat a block at a time and only the <Workout> elements are kept, so
 * memory does not grow with the file. Its internal DTD is read but any entity it declares stops the
 * read (an Apple export declares none; a declared entity is how an XML file expands without end).
 * Each workout becomes one activity: running workouts are runs, the others cross-training. A workout
 * whose route is in workout-routes/ is handed over with the route's points; one without a route, with
 * its start, duration and distance. Either way runcare hands over a small TCX document it writes from
 * the workout (the figures the XML gives: duration, distance, energy, average and highest heart rate)
 * and the route's points, so the rest of the import (analysis, duplicates, the stored file) is the
 * same as for any other file. */
#ifndef RC_APPLEHEALTH_H
#define RC_APPLEHEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "formats/archive.h"

enum {
	RC_AH_MAX_DEPTH = 32,                 /* elements nested in export.xml (Apple's go 4 deep) */
	RC_AH_MAX_QUIET = 16 * 1024 * 1024,   /* bytes of export.xml read without one element: one token that big is refused */
	RC_AH_MAX_ROUTED = 200000,            /* workouts with a route remembered until their routes are read */
};

/* One <Workout>, as the export gives it. NAN: the figure is not there. */
typedef struct rc_ah_workout {
	char type[48];   /* "Running", from HKWorkoutActivityTypeRunning */
	char sport[48];  /* runcare's word for it: "running", "cycling", "swimming", "walking", "traditional strength training" */
	char source[64]; /* sourceName: "Apple Watch de Jo", an app's name */
	int64_t start, end;
	double duration_s, distance_m, energy_kcal, hr_avg, hr_max;
	char route[200]; /* its FileReference path, "/workout-routes/route_2024-05-01_7.12am.gpx", or "" */
	int64_t line;    /* where it is in export.xml */
} rc_ah_workout;

/* Called for each workout as its element ends; non-zero stops the read. */
typedef int (*rc_ah_workout_fn)(void *ctx, const rc_ah_workout *w);

typedef struct rc_ah_stream rc_ah_stream;
rc_ah_stream *rc_ah_open(rc_ah_workout_fn fn, void *ctx); /* NULL: no memory */
/* Feeds the next bytes of export.xml; false once the read has stopped (damage, a declared entity, the
 * callback), after which more bytes are ignored. */
bool rc_ah_feed(rc_ah_stream *st, const char *data, size_t len);
/* Ends the read and frees the stream. RC_EINVAL with err ("damaged at line 1234 (…)") when the file was
 * not read to its end: the workouts before the damage were handed over. */
RC_WUR rc_err rc_ah_close(rc_ah_stream *st, char *err, size_t errlen);

/* "2024-05-01 07:12:03 -0700": seconds since the epoch, or 0. */
int64_t rc_ah_date(const char *s);

/* The TCX document runcare stores for a workout: the workout's figures, and the route's points when gpx
 * is given (a GPX file's bytes). Caller frees; NULL when out of memory. */
char *rc_ah_tcx(const rc_ah_workout *w, const unsigned char *gpx, size_t gpxlen, size_t *len);

/* Whether the zip (a file at path, or bytes in memory) is an Apple Health export: it holds
 * apple_health_export/export.xml (or export.xml at its top). */
bool rc_applehealth_detect(const char *path, const unsigned char *mem, size_t len);
/* Whether these first bytes of a plain file are an export.xml (a runner who unzipped the export). */
bool rc_applehealth_is_xml(const unsigned char *head, size_t len);

/* Reads an Apple Health export, zip or plain export.xml (path, or mem/len), handing over one TCX per
 * workout to fn under the name "apple_health_export/export.xml: Running 2024-05-01 07:12" (sport_hint
 * set to the workout's sport while it is handed over). What cannot be read is handed over as a
 * problem naming the file. Limits and budget as archive.h's. */
RC_WUR rc_err rc_applehealth_each(const char *source, const char *path, const unsigned char *mem, size_t len,
                                  rc_archive_budget *budget, rc_entry_fn fn, void *ctx, char *err, size_t errlen);

#endif
