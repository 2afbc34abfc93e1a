/* garmin.h — a Garmin Connect data export's activity summaries
 * (DI_CONNECT/DI-Connect-Fitness/<email>_0_summarizedActivities.json: an array of
 * {"summarizedActivitiesExport": [...]}, each with name, activityType, startTimeGmt or beginTimestamp
 * in milliseconds, duration in milliseconds and distance in centimetres), kept for what a FIT file
 * lacks: the activity's name, and its sport when the file does not say. Matched to a file by start.
 * Pure: bytes in, a lookup table out. */
#ifndef RC_GARMIN_H
#define RC_GARMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "formats/exporthint.h"

enum {
	/* Bytes of one summary file read: ten years of a daily runner is about 15 MB. Larger ones are
	 * refused by name, never loaded. */
	RC_GARMIN_SUMMARY_MAX = 48 * 1024 * 1024,
	RC_GARMIN_MATCH_S = 60, /* a summary and a file within this many seconds of each other are one */
};

rc_garmin_summary *rc_garmin_summary_new(void);
void rc_garmin_summary_free(rc_garmin_summary *g);
/* Adds one summary file's activities; RC_EINVAL with the reason in err when it is not such a file
 * (what it held before is kept), RC_ETOOBIG past RC_GARMIN_SUMMARY_MAX. */
RC_WUR rc_err rc_garmin_summary_add(rc_garmin_summary *g, const char *data, size_t len, char *err, size_t errlen);
int rc_garmin_summary_count(const rc_garmin_summary *g);
/* The summary starting nearest `start` (Unix seconds) within RC_GARMIN_MATCH_S: its name and sport
 * (runcare's words, "" when it gave none), borrowed from g; false when none is near. */
bool rc_garmin_summary_find(const rc_garmin_summary *g, int64_t start, const char **name, const char **sport);

#endif
