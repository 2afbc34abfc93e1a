/* exporthint.h — what an export's own list says about one activity, beside its training file: the
 * name, sport and shoes the runner gave it on the platform (a Strava export's activities.csv, a Garmin
 * Connect export's summarizedActivities.json), or a whole activity the list holds without a file (a
 * Strava manual entry). Filled by formats/archive.c while it hands a file over; read by the import
 * (app/training.c). */
#ifndef RC_EXPORTHINT_H
#define RC_EXPORTHINT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct rc_garmin_summary rc_garmin_summary;

typedef struct rc_export_hint {
	const char *sport; /* runcare's sport words ("running", "trail_running", "cycling"…), NULL: none */
	const char *name;  /* the activity's name on the platform, NULL: none */
	const char *gear;  /* the shoes (Strava's Activity Gear), NULL: none */
	const char *note;  /* a warning the activity carries (the list was not UTF-8…), NULL: none */
	int64_t energy_kcal; /* the energy the platform gives it (Strava's Calories), kcal; 0: none */
	/* A manual activity, from the list only (manual true): its start (UTC), elapsed and moving seconds
	 * and metres; the "file" handed over is its row of the list. */
	bool manual;
	int64_t start, elapsed_s, moving_s, distance_m;
	/* A Garmin export's summaries, matched to the file by its start once it is read; NULL: none. */
	const rc_garmin_summary *garmin;
} rc_export_hint;

#endif
