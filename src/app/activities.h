/* activities.h (app) — a runner's every activity: the history (newest first, in pages, by kind of sport
 * and day), one activity with its route, splits, charts' data and the flags it counted toward, and
 * deleting one (the runner's own only; the load is computed from what is left). */
#ifndef RC_APP_ACTIVITIES_H
#define RC_APP_ACTIVITIES_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "domain/training.h"

enum { RC_HISTORY_ROWS = 25 };

typedef struct rc_history_query {
	const char *kind;   /* "running", "cross" or NULL: every sport */
	int64_t from_day, to_day; /* the clinic's day numbers, inclusive; 0: no bound */
	int64_t page;       /* from 1 */
} rc_history_query;

typedef struct rc_history {
	rc_activity_rec *rows; /* in uc->arena */
	int n;
	int64_t total, pages;
} rc_history;

/* The runner's activities for the query. RC_ENOTFOUND when the page is past the last (p says how many
 * there are); RC_EINVAL when the first day is after the last (p names the field). */
RC_WUR rc_err rc_app_activity_history(const rc_uc *uc, int64_t runner_id, const rc_history_query *q, rc_history *out,
                                      rc_problem *p);

typedef struct rc_view_point {
	double t, x, y, d, ele, hr; /* seconds, metres east/north (NAN: none), metres, m, bpm (NAN: none) */
	bool bend;
} rc_view_point;

typedef struct rc_activity_view {
	rc_activity_rec rec;
	const char *sport_label;
	rc_view_point *points; /* in uc->arena */
	int npoints;
	int32_t *km, *laps;    /* seconds from the start at each kilometre and lap passed */
	int nkm, nlaps;
	double lap_m;          /* on a track: the fitted lap */
	const char **warnings;
	int nwarnings;
	rc_training_flag flags[RC_TRAINING_MAX_FLAGS]; /* the runner's flags this activity counted toward */
	int nflags;
	rc_load_kind load_kind; /* the runner's load measure, and this activity's in it (-1: none) */
	double load;
} rc_activity_view;

/* One of the runner's activities; *found false for another runner's or none. */
RC_WUR rc_err rc_app_activity_view(const rc_uc *uc, int64_t runner_id, int64_t id, rc_activity_view *out,
                                   bool *found);

/* The runner's shoes (domain/training.h's rc_shoe; at most RC_SHOES_MAX, the latest used first), with
 * the distance in the last four weeks up to the clinic's day at uc->now. */
RC_WUR rc_err rc_app_shoes(const rc_uc *uc, int64_t runner_id, rc_shoe *out, int *n);

/* The actor's "how hard was it" for one of their own activities: 0–10, or -1 to clear (session RPE,
 * domain/load.h). RC_EINVAL (field "effort") out of range; RC_ENOTFOUND for another runner's or none. */
RC_WUR rc_err rc_app_activity_effort(const rc_uc *uc, int64_t id, int64_t effort, rc_problem *p);

/* The actor's resting and maximum heart rate for the heart-rate load (0: not given, estimated). Resting
 * 30–110 bpm, maximum 120–230 bpm and at least 20 above resting: else RC_EINVAL naming "rest" or "max". */
RC_WUR rc_err rc_app_training_heart_set(const rc_uc *uc, int64_t rest, int64_t max, rc_problem *p);

/* Deletes one of the actor's own activities (audited): RC_ENOTFOUND for another runner's or none. */
RC_WUR rc_err rc_app_activity_delete(const rc_uc *uc, int64_t id, rc_problem *p);

#endif
