/* sport.h — what kind of sport an activity is, from the words its file uses (TCX Sport="Running",
 * GPX <type>trail_running</type>, a FIT session's sport): running — on the road, a trail, a track or a
 * treadmill, or a sport not given, as many GPX files say nothing — counts toward the running load;
 * cycling, swimming, walking, hiking and the rest are cross-training, shown but kept out of it. One
 * place for the rule: the import, the load (domain/training.c) and the pages ask here. */
#ifndef RC_SPORT_H
#define RC_SPORT_H

#include <stdbool.h>

#define RC_SPORT_RUNNING "running" /* the stored kinds */
#define RC_SPORT_CROSS "cross"
/* A file that names no sport, moving at a median of this speed or faster, is a ride, not a run. */
#define RC_SPORT_RIDE_SPEED 6.5 /* m/s, 23.4 km/h: faster than a marathon world record's pace */

bool rc_sport_is_running(const char *sport);
/* RC_SPORT_RUNNING or RC_SPORT_CROSS. */
const char *rc_sport_kind(const char *sport);
/* Words for a person: "Running", "Trail running", "Treadmill running", "Track running", "Cycling",
 * "Swimming", "Walking", "Hiking", "Other sport" ("Running" when the file names none). */
const char *rc_sport_label(const char *sport);

#endif
