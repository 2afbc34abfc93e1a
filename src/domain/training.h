/* training.h — a runner's load over time and the article's three causes found in it, as flags in
 * plain words with the numbers behind them. Pure: activities in, figures and flags out.
 *
 * Load is running time: moving minutes of activities whose sport is running or not given. Acute load
 * is the last 7 days, chronic the 28 days before today averaged to a week; their ratio rolling
 * (acute over chronic/4) and exponentially weighted (λ = 2/(N+1) for N = 7 and 28, Williams et al.
 * 2017). Exposure to hills (metres climbed) and to track bends (metres on bends) and fast running are
 * compared with the runner's own baseline: the 28 days before the last 7. */
#ifndef RC_TRAINING_H
#define RC_TRAINING_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/load.h"

enum {
	RC_TRAINING_DAYS = 210,  /* 30 weeks of days: the charts' 26 weeks and the track's 6-month look-back */
	RC_TRAINING_WEEKS = 12,  /* weeks in the charts */
	RC_TRAINING_STALE_DAYS = 28, /* files older than this: figures are as of the latest file */
	RC_TRAINING_MAX_FLAGS = 6,
};

/* One stored activity: what runcare keeps of a training file. */
typedef struct rc_activity_rec {
	int64_t id, start_at;
	char source[128], format[8], sport[32];
	int64_t distance_m, duration_s, moving_s, gain_m, loss_m, hr_avg; /* hr_avg -1: none */
	int64_t uphill_s, fast_s;
	int64_t track_size_m, track_laps_x10, track_bend_m, track_radius_m; /* size 0: not on a track */
	char track_direction[24];
	char sport_kind[12];      /* "running" or "cross" (domain/sport.h); "" on insert: from sport */
	int64_t track_bend_s, track_lane; /* time on bends; lane 1–9, 0: not known */
	int64_t effort;           /* the runner's "how hard was it", 0–10, when effort_set */
	bool effort_set;
	const char *detail;       /* on insert only: the page's points and splits as JSON (NULL: none) */
	char hr_zones[RC_HR_BINS * 7]; /* seconds at each heart rate (domain/load.h), as stored; "" none */
	char name[128];           /* its name on the platform it came from ("" none) */
	char gear[96];            /* the shoes it was run in, as the export names them ("" none) */
	int64_t energy_kcal;      /* the energy the file or platform says it took, kcal; 0: not given */
} rc_activity_rec;

typedef struct rc_training_flag {
	char key[32];        /* load_spike, week_jump, speed_added, hills_added, track_running */
	char factor[32];     /* the self-check's risk factor it supports */
	char text[240];      /* plain words with the numbers */
	char source[200];    /* where the threshold comes from */
} rc_training_flag;

typedef struct rc_training_week {
	int64_t start;       /* the Monday, in the clinic's days: its civil date as UTC midnight */
	double minutes, km, climb_m, bend_m, fast_min;
	int runs, track_sessions;
} rc_training_week;

typedef struct rc_training {
	int64_t asof;        /* the clinic's day figures are for: its civil date as UTC midnight */
	bool stale;          /* asof is the latest file's day, not today */
	int activities;
	double daily[RC_TRAINING_DAYS]; /* running minutes, oldest first; the last is asof */
	double climb[RC_TRAINING_DAYS], bend[RC_TRAINING_DAYS], fast[RC_TRAINING_DAYS];
	int track_sessions[RC_TRAINING_DAYS];
	char track_dir[RC_TRAINING_DAYS][24];
	rc_training_week weeks[RC_TRAINING_WEEKS]; /* oldest first; the last holds asof */
	double acute, chronic_week, ratio, ewma_acute, ewma_chronic, ewma_ratio, week_change;
	rc_training_flag flags[RC_TRAINING_MAX_FLAGS];
	int nflags;
	/* The load (domain/load.h): the kind used, the resting and maximum heart rate for TRIMP and
	 * whether each was estimated; acute, chronic_week, the ratios and week_change are in its unit, and
	 * running minutes in the last 7 days are minutes_7d whatever the kind. */
	rc_load_kind load_kind;
	int hr_rest, hr_max;
	bool hr_rest_estimated, hr_max_estimated;
	int runs_recent, runs_with_hr, runs_with_effort; /* runs in the last RC_LOAD_LOOKBACK_DAYS */
	double minutes_7d;
	double by_heart[RC_TRAINING_DAYS], by_effort[RC_TRAINING_DAYS];
} rc_training;

/* Starts a computation for `now`, given the runner's latest activity start (0: none): when that is
 * older than RC_TRAINING_STALE_DAYS, figures are as of its day. Add every activity in the window (any
 * order; others are ignored), then finish. */
void rc_training_init(rc_training *t, int64_t now, int64_t latest);
/* The runner's resting and maximum heart rate for the heart-rate load, and whether they are estimates
 * (before adding activities; without it there is no heart-rate load). */
void rc_training_heart(rc_training *t, int rest, int max, bool rest_estimated, bool max_estimated);
/* The load of one activity in the kind t uses (after finish), or -1 when it has none of that kind. */
double rc_training_load_of(const rc_training *t, const rc_activity_rec *a);
void rc_training_add(rc_training *t, const rc_activity_rec *a);
void rc_training_finish(rc_training *t);
/* The first instant an activity must start at to count (the clinic's midnight). */
int64_t rc_training_window_start(const rc_training *t);

/* Whether a flag supports the given risk factor (training_change_recent, hills_added, track_running). */
const rc_training_flag *rc_training_flag_for(const rc_training *t, const char *factor);

/* Whether an activity is among those a flag was raised on: running in its last 7 days (load, week,
 * speed), climbing in its last 14 (hills), track bends in its last 14 (track). */
/* The same activity from two files or platforms (a watch's FIT and the Strava export of it): the same
 * kind of sport (running or not: a walk and a run a minute apart are two), starts within
 * RC_SAME_START_S of each other, and distances within RC_SAME_PERCENT % of the longer — or, when neither
 * has a distance, durations within RC_SAME_PERCENT %. One with a distance and one without are two. */
enum { RC_SAME_START_S = 60, RC_SAME_PERCENT = 3 };
bool rc_activity_same(const rc_activity_rec *a, const rc_activity_rec *b);
/* Which of two records of one activity keeps its figures: heart rate counts 2, a recorded file
 * (points, not a manual entry) 1; the higher wins, the one stored first on a tie. */
int rc_activity_richness(const rc_activity_rec *a);

/* One pair of shoes as the runner's running activities name it (an export's gear): distance in all and
 * in the last RC_SHOE_RECENT_DAYS, first and last use. */
enum { RC_SHOE_RECENT_DAYS = 28, RC_SHOES_MAX = 24 };
typedef struct rc_shoe {
	char gear[96];
	int64_t total_m, recent_m, first_at, last_at, runs;
} rc_shoe;
/* A new pair is a training change (the self-check's "new or worn-out shoes"): a pair first run in
 * within the last RC_SHOE_RECENT_DAYS days of t->asof, by a runner who ran before those days (else it
 * is only where their history starts). Adds the flag "new_shoes" (factor training_change_recent) for
 * the most recent such pair. recent_from: the first instant of those days; first_run: the runner's
 * first run (0: none). */
void rc_training_shoes(rc_training *t, const rc_shoe *shoes, int n, int64_t recent_from, int64_t first_run);
/* The first instant of the last RC_SHOE_RECENT_DAYS clinic days up to and including the day of `day`
 * (a day number). */
int64_t rc_shoe_recent_from(int64_t day);
bool rc_training_flag_counts(const rc_training *t, const rc_training_flag *f, const rc_activity_rec *a);

/* Running, or a sport not given (many GPX files say nothing): counted as running load. */
bool rc_training_is_run(const char *sport);

#endif
