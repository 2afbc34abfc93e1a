/* strava.h — a Strava bulk export's activities.csv: for each training file it names (its Filename
 * column, activities/123.fit.gz) the name, sport (Activity Type: Run, Trail Run, Virtual Run, Ride…)
 * and shoes (Activity Gear) the runner gave it on Strava, and the energy Strava gives it (Calories, kcal,
 * when the file itself has none); and the manual activities, rows with no file,
 * each a start, an elapsed time and a distance.
 *
 * How Strava writes it: UTF-8 with a header naming the columns; "Activity Date" in UTC as
 * "Jan 5, 2024, 7:31:02 AM"; "Elapsed Time" twice (whole seconds, then seconds with a fraction);
 * "Distance" twice (first in kilometres, the second in metres: the second is used when there). A list a
 * runner saved again from a spreadsheet in Latin-1 (Windows-1252) is read as that, and its activities
 * say so. Read with formats/csvin.c (quoted fields, commas and line breaks in names). Pure. */
#ifndef RC_STRAVA_H
#define RC_STRAVA_H

#include <stdbool.h>
#include <stddef.h>

#include "formats/exporthint.h"

typedef struct rc_strava_csv rc_strava_csv;

/* Reads the CSV; NULL when it has no Filename and Activity Type columns or memory runs out. A damaged
 * file keeps the rows before the damage, and says where (rc_strava_csv_problem). */
rc_strava_csv *rc_strava_csv_read(const char *data, size_t len);
void rc_strava_csv_free(rc_strava_csv *c);
/* Where the file stopped being readable ("line 40, column 3: a quoted field is not closed"), or NULL. */
const char *rc_strava_csv_problem(const rc_strava_csv *c);
/* The runcare sport ("running", "cycling", "walking"…) of the file at that path in the export, from
 * its Activity Type; NULL when the CSV does not name the file or its type. */
const char *rc_strava_sport_of(const rc_strava_csv *c, const char *path);
/* The name, sport, gear (and note) the CSV gives the file at path (the Filename, or a path ending in
 * "/" and it); false, and *out cleared, when it names no such file. Strings borrowed from c. */
bool rc_strava_hint(const rc_strava_csv *c, const char *path, rc_export_hint *out);
/* The manual activities, in the CSV's order: row i's line (from 1, the header's is 1), and either
 * its hint (manual, with its start, times and distance) or *problem, the sentence saying what is wrong
 * with the row (the caller names the line); *text, *len: the header and the row as a CSV of their own, the "file" kept for it. */
int rc_strava_manual_count(const rc_strava_csv *c);
void rc_strava_manual(const rc_strava_csv *c, int i, int *line, rc_export_hint *hint, const char **problem,
                      const char **text, size_t *len);
/* A Strava Activity Type as runcare's sport words: "Run" → "running", "Trail Run" → "trail_running",
 * "Virtual Run" → "treadmill_running", "Ride" → "cycling", another type in lower case. */
void rc_strava_sport(const char *type, char *out, size_t n);
/* "Jan 5, 2024, 7:31:02 AM" (or "2024-01-05 07:31:02"), UTC, as Unix seconds; false when not a date. */
bool rc_strava_date(const char *s, int64_t *out);

#endif
