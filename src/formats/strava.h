/* strava.h — a Strava bulk export's activities.csv: which sport each training file in it is, by the
 * CSV's Filename column (activities/123.fit.gz) and its Activity Type (Run, Trail Run, Ride, Walk…). */
#ifndef RC_STRAVA_H
#define RC_STRAVA_H

#include <stddef.h>

typedef struct rc_strava_csv rc_strava_csv;

/* Reads the CSV (RFC 4180 quoting, fields over lines, the header naming the columns); NULL when it
 * has no Filename and Activity Type columns or memory runs out. */
rc_strava_csv *rc_strava_csv_read(const char *data, size_t len);
void rc_strava_csv_free(rc_strava_csv *c);
/* The runcare sport ("running", "cycling", "walking"…) of the file at that path in the export, from
 * its Activity Type; NULL when the CSV does not name the file or its type. */
const char *rc_strava_sport_of(const rc_strava_csv *c, const char *path);
/* A Strava Activity Type as runcare's sport words: "Trail Run" → "running", "Ride" → "cycling",
 * another type in lower case. */
void rc_strava_sport(const char *type, char *out, size_t n);

#endif
