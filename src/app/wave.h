/* wave.h — the wave after an event (a marathon): record the event, see the visits expected in the
 * RC_WAVE_DAYS days after it (learned from earlier events, or a stated default) beside those booked,
 * by condition and by practitioner, and open extra hours for it in one step. */
#ifndef RC_APP_WAVE_H
#define RC_APP_WAVE_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "content/content.h"
#include "domain/wave.h"
#include "store/booking.h"

enum { RC_WAVE_EVENT_NAME_MAX = 120 }; /* characters in an event's name */

typedef struct rc_wave_event {
	int64_t id;
	const char *name; /* in the arena */
	char day[11];     /* "YYYY-MM-DD", the clinic's date */
} rc_wave_event;

/* Everything the wave page shows. Arrays are in uc->arena and sized by the data: every event, every
 * condition the clinic treats, every practitioner — none is left out. */
typedef struct rc_wave_view {
	rc_wave_event *events; /* every recorded event, by day */
	size_t nevents;
	const rc_wave_event *event; /* the one shown: the one asked for, else the next, else the latest;
	                             * NULL when there is none (or the one asked for does not exist) */
	int learned;                /* earlier events the expectation averages; 0: the stated default */
	double expected[RC_WAVE_DAYS];
	int64_t days[RC_WAVE_DAYS]; /* the first instant of each day after the event */
	int booked[RC_WAVE_DAYS];
	size_t nconditions;         /* clinic->ntreats + 1: the last column is everything else */
	int *by_condition;          /* [day * nconditions + condition] */
	rc_practitioner *practitioners; /* everyone active, then anyone else with visits in the wave */
	size_t npractitioners;
	int *by_practitioner;       /* [day * npractitioners + practitioner] */
} rc_wave_view;

/* event_id 0: the next event (else the latest). */
RC_WUR rc_err rc_app_wave_view(const rc_uc *uc, const rc_clinic *clinic, int64_t event_id, rc_wave_view *out);

/* Records an event. RC_EINVAL with p->field "name" or "day". */
RC_WUR rc_err rc_app_wave_event_add(const rc_uc *uc, const char *name, const char *day, int64_t *id, rc_problem *p);

/* Extra hours for the wave, as typed: the same clock times on each of the first `days` days after
 * the event, for each practitioner named. */
typedef struct rc_wave_hours {
	const char *event;                /* the event's id */
	const char *const *practitioners; /* their ids */
	size_t npractitioners;
	const char *from, *to;            /* "HH:MM" on the quarter hour */
	const char *days;                 /* 1 … RC_WAVE_DAYS */
} rc_wave_hours;

typedef struct rc_wave_opened {
	int from, to, days;               /* minutes after midnight; days */
	size_t practitioners;
	char day[11];                     /* the event's */
} rc_wave_opened;

/* Opens them in one transaction with the audit line. RC_EINVAL with p->field one of event,
 * practitioner, from, to, days. */
RC_WUR rc_err rc_app_wave_open_hours(const rc_uc *uc, const rc_wave_hours *in, rc_wave_opened *out, rc_problem *p);

#endif
