/* sample.h — what a training file says, as domain/ reads it: one sample at a time, and what the file
 * told about itself. formats/ fills these from GPX, TCX and FIT; summary.c and analysis.c add them up. */
#ifndef RC_SAMPLE_H
#define RC_SAMPLE_H

#include <stdint.h>

enum { RC_ACT_MAX_WARNINGS = 8 };

/* One point in time. NAN marks a value the file does not give. time 0: no time. */
typedef struct rc_sample {
	int64_t time;
	double lat, lon, ele, distance, hr, cadence;
} rc_sample;

typedef enum { RC_FILE_UNKNOWN, RC_FILE_GPX, RC_FILE_TCX, RC_FILE_FIT } rc_file_kind;

typedef struct rc_activity_info {
	rc_file_kind kind;
	char sport[32];          /* "running", "cycling", … or "" */
	int laps;
	double device_distance;  /* the file's own total (TCX lap DistanceMeters sum), NAN when absent */
	int64_t device_start;    /* the file's own start (FIT session start_time), 0 when absent */
	double device_elapsed;   /* the file's own elapsed time in seconds (FIT sessions), NAN when absent */
	double device_hr_avg;    /* the file's own average heart rate (TCX laps'), 0 when absent */
	double device_energy;    /* the energy the file says was spent, kcal (TCX laps' Calories, FIT sessions'
	                          * total_calories, summed), NAN when absent */
	char warnings[RC_ACT_MAX_WARNINGS][200];
	int nwarnings;
	int64_t samples, rejected;
} rc_activity_info;

typedef void (*rc_sample_fn)(void *ctx, const rc_sample *s);

#endif
