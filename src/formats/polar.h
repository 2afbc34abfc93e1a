/* polar.h — a Polar Flow export (account settings, "Download your data": a zip of JSON files, one
 * training-session-2024-05-01-7012345678-1f0e….json per session beside account, activity and sleep
 * files). A session holds exercises[], each with its sport ("RUNNING", "TRAIL_RUNNING", "ROAD_BIKING"…),
 * startTime in local time with timezoneOffset in minutes, duration "PT2712.5S", distance, heartRate
 * {avg, max}, samples {heartRate[], speed[], altitude[], distance[]} as {dateTime, value}, and its route
 * as wayPoints[] {latitude, longitude, altitude, elapsedMillis}. Each exercise becomes one activity
 * (running sports runs, the others cross-training), handed over as a TCX (formats/tcxout.h). */
#ifndef RC_POLAR_H
#define RC_POLAR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "formats/archive.h"

enum {
	RC_POLAR_MAX_FILE = 64 * 1024 * 1024, /* bytes of one session's JSON (a day-long session's samples are ~20 MB) */
	RC_POLAR_MAX_SECONDS = 3 * 86400,     /* an exercise longer than this is not read point by point */
};

/* Whether the name is a Polar session file ("training-session-….json", in any folder). */
bool rc_polar_is_session(const char *name);

/* One exercise of a session, as the TCX runcare stores; called with the exercise's sport ("running",
 * "trail running", "road biking"). Non-zero stops. */
typedef int (*rc_polar_fn)(void *ctx, const char *sport, int index, const char *tcx, size_t len);

/* Reads one session's JSON. RC_EINVAL with err when it is not the shape of a Polar session. */
RC_WUR rc_err rc_polar_session_read(const char *json, size_t len, rc_polar_fn fn, void *ctx, char *err, size_t errlen);

/* Whether a zip (path, or mem/len) is a Polar Flow export: it holds training-session-*.json files, or, cut
 * short, it is named as Polar names the export (polar-user-data-export_….zip). */
bool rc_polar_detect(const char *name, const char *path, const unsigned char *mem, size_t len);
/* Reads every session of the export, handing each exercise over to fn as a TCX named
 * "training-session-….json" (or "…json #2" for a session's second exercise), sport_hint set. */
RC_WUR rc_err rc_polar_each(const char *source, const char *path, const unsigned char *mem, size_t len,
                            rc_archive_budget *budget, rc_entry_fn fn, void *ctx, char *err, size_t errlen);

/* One session's JSON on its own (a session saved from Polar Flow, or an unzipped export's file): its
 * exercises handed over as from the zip. */
void rc_polar_each_json(const char *name, const unsigned char *data, size_t len, rc_archive_budget *budget,
                        rc_entry_fn fn, void *ctx);
/* Whether these first bytes and this name are a session's JSON. */
bool rc_polar_is_json(const char *name, const unsigned char *head, size_t len);

#endif
