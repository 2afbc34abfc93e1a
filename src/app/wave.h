/* wave.h — the wave after an event (a marathon), for the front desk: record, edit and delete events,
 * see the visits expected in the RC_WAVE_DAYS days after one (the larger of what earlier events really
 * brought and the clinic's default per 1,000 finishers, with which and why) beside those booked, by
 * condition and by practitioner, and open extra hours for it — once, however often the form is sent. */
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
	int64_t finishers; /* expected field size; 0: not known */
} rc_wave_event;

/* An earlier event the forecast looked at, and what it saw after it. */
typedef struct rc_wave_lesson {
	const rc_wave_event *event;
	int64_t visits; /* recorded in runcare in its RC_WAVE_DAYS days after; 0: left out */
} rc_wave_lesson;

/* Extra hours opened for the event shown. */
typedef struct rc_wave_stretch {
	int64_t practitioner_id;
	const char *practitioner; /* in the arena */
	int64_t start, end;
} rc_wave_stretch;

/* Everything the wave page shows. Arrays are in uc->arena and sized by the data: every event, every
 * condition the clinic treats, every practitioner — none is left out. */
typedef struct rc_wave_view {
	rc_wave_event *events; /* every recorded event, by day */
	size_t nevents;
	const rc_wave_event *event; /* the one shown: the one asked for, else the next, else the latest;
	                             * NULL when there is none (or the one asked for does not exist) */
	int visits_per_1000;        /* the clinic's default */
	bool per_1000_stated;       /* set by the clinic (else runcare's RC_WAVE_DEFAULT_PER_1000) */
	rc_wave_lesson *lessons;    /* the earlier events whose waves are over, by day */
	size_t nlessons;
	rc_wave_forecast forecast;
	int64_t days[RC_WAVE_DAYS]; /* the first instant of each day after the event */
	int booked[RC_WAVE_DAYS];
	size_t nconditions;         /* clinic->ntreats + 1: the last column is everything else */
	int *by_condition;          /* [day * nconditions + condition] */
	rc_practitioner *practitioners; /* everyone active, then anyone else with visits in the wave */
	size_t npractitioners;
	int *by_practitioner;       /* [day * npractitioners + practitioner] */
	rc_wave_stretch *hours;     /* the extra hours opened for it, by start */
	size_t nhours;
} rc_wave_view;

/* event_id 0: the next event (else the latest). */
RC_WUR rc_err rc_app_wave_view(const rc_uc *uc, const rc_clinic *clinic, int64_t event_id, rc_wave_view *out);

/* An event as typed. finishers: a whole number, "12,000" as people write it, or empty (not known). */
typedef struct rc_wave_event_in {
	const char *name, *day, *finishers;
} rc_wave_event_in;

/* Records an event. RC_EINVAL with p->field "name", "day" or "finishers". */
RC_WUR rc_err rc_app_wave_event_add(const rc_uc *uc, const rc_wave_event_in *in, int64_t *id, rc_problem *p);
/* Changes one. The same problems, and RC_ENOTFOUND. */
RC_WUR rc_err rc_app_wave_event_edit(const rc_uc *uc, int64_t id, const rc_wave_event_in *in, rc_problem *p);

typedef struct rc_wave_deleted {
	char name[RC_WAVE_EVENT_NAME_MAX * 4 + 1], day[11];
	int removed;    /* stretches of extra hours taken away */
	int kept;       /* kept: not asked to remove them */
	int kept_booked; /* kept although asked: a visit is booked in them */
} rc_wave_deleted;

/* Deletes an event. The extra hours opened for it stay unless remove_hours; even then a stretch with
 * a visit booked in it stays (cancel or move the visit first). RC_ENOTFOUND. */
RC_WUR rc_err rc_app_wave_event_delete(const rc_uc *uc, int64_t id, bool remove_hours, rc_wave_deleted *out,
                                       rc_problem *p);

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
	int opened;                       /* stretches added (a practitioner's day each) */
	int already;                      /* left alone: that practitioner already had extra hours
	                                   * overlapping them that day */
	char day[11];                     /* the event's */
} rc_wave_opened;

/* Opens them in one transaction with the audit line. A practitioner's day that already has extra
 * hours overlapping the ones asked for gets nothing new, so sending the form twice opens them once.
 * RC_EINVAL with p->field one of event, practitioner, from, to, days. */
RC_WUR rc_err rc_app_wave_open_hours(const rc_uc *uc, const rc_wave_hours *in, rc_wave_opened *out, rc_problem *p);

/* The clinic's default of visits per 1,000 finishers (administrators only: RC_EFORBIDDEN). RC_EINVAL
 * with p->field "per_1000". */
RC_WUR rc_err rc_app_wave_setting(const rc_uc *uc, const char *per_1000, rc_problem *p);

#endif
