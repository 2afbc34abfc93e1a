/* program.h — the home program's use cases: a runner starts one (from the self-check's result or the list
 * on Today), logs sessions, moves on or back when the logs say so, keeps the recovery diary and the PSFS; a
 * practitioner or an administrator assigns or adjusts it; and the view that Today, the record and the
 * printed sheet all render. Each takes the use case's (db, now, actor) and the clinic's programs. */
#ifndef RC_APP_PROGRAM_H
#define RC_APP_PROGRAM_H

#include <limits.h>

#include "app/app.h"
#include "base/buf.h"
#include "content/programs.h"
#include "domain/progress.h"
#include "store/program_store.h"

enum {
	RC_PROGRAM_CHART_DAYS = 56,    /* the record's charts and its table of sessions: the last 8 weeks */
	RC_PROGRAM_LATE_DAYS = 30,     /* a session may be logged up to a month after the day it was done */
	RC_PROGRAM_DONE_TIMES = 3,     /* a session's repetitions: at most 3 times what the stage prescribes */
	RC_PSFS_ITEMS = 5,             /* activities rated on the Patient-Specific Functional Scale */
	RC_PSFS_ACTIVITY_MAX = 120,    /* characters in an activity's name */
	RC_PSFS_EVERY_DAYS = 14,       /* the PSFS is due again two weeks after the last rating */
	RC_DIARY_PAGE = 60,            /* diary entries on one page; older ones a link away */
	RC_DIARY_MINUTES_MAX = 600,    /* minutes run in a day */
	RC_PROGRAM_CALENDAR_DAYS = 14, /* the calendar feed's sessions: the next two weeks */
};

/* A number a door could not read as a whole number (missing, or not a number): the use case names the
 * field and its range, the same sentence as for a number out of range. */
#define RC_APP_NOT_A_NUMBER INT_MIN

/* The rule for who may assign or adjust a runner's home program: practitioners and administrators (not
 * the front desk, not a runner). Pages ask it to decide whether to show the form. */
bool rc_app_program_may_adjust(const rc_account *actor);

/* A runner starts a program for themself, at stage 1; any program they follow ends. RC_EINVAL (field
 * "program") for a key the clinic has no program for; RC_EFORBIDDEN for anyone but a runner. */
RC_WUR rc_err rc_app_program_start(const rc_uc *uc, const rc_programs *content, const char *key, rc_problem *p);

/* A practitioner or an administrator gives a runner a program at a stage with a note, or adjusts the one
 * they follow (the same program keeps its logs; another one starts afresh). RC_EFORBIDDEN for anyone
 * else; RC_ENOTFOUND when runner is not a runner's account; RC_EINVAL with the field to correct. */
typedef struct rc_program_assign_in {
	int64_t runner;
	const char *program;
	int stage;        /* RC_APP_NOT_A_NUMBER when not a whole number */
	const char *note; /* NULL: none */
} rc_program_assign_in;
RC_WUR rc_err rc_app_program_assign(const rc_uc *uc, const rc_programs *content, const rc_program_assign_in *in,
                                    rc_problem *p);

/* The acting runner logs a session of their program (or corrects an earlier log of theirs). RC_ECONFLICT
 * with no active program; RC_EINVAL with the field ("done", "pain", "day"); RC_ENOTFOUND when `replaces`
 * is not a current log of theirs (nothing is written). */
typedef struct rc_session_in {
	int done, pain;      /* RC_APP_NOT_A_NUMBER when not a whole number */
	const char *day;     /* "YYYY-MM-DD"; NULL or "": today */
	int64_t replaces;    /* 0, or the earlier log this one corrects */
} rc_session_in;
RC_WUR rc_err rc_app_program_log(const rc_uc *uc, const rc_programs *content, const rc_session_in *in,
                                 rc_problem *p);

/* The acting runner moves on a stage (direction +1) when the decision says progress, or back one (-1)
 * from any stage but the first. RC_ECONFLICT when the logs do not call for it or there is no program. */
RC_WUR rc_err rc_app_program_change_stage(const rc_uc *uc, const rc_programs *content, int direction,
                                          rc_problem *p);

/* The acting runner's diary entry for a day. One current entry a day: a second one for the same day
 * corrects the first (kept as a version), as does naming the entry in `replaces`. RC_EINVAL with the
 * field; RC_ENOTFOUND when `replaces` is not a current entry of theirs. */
typedef struct rc_diary_in {
	const char *day;
	int pain_rest, pain_sitting, minutes_run; /* RC_APP_NOT_A_NUMBER when not a whole number */
	int pain_running;                         /* -1: did not run; RC_APP_NOT_A_NUMBER: not a number */
	const char *notes;                        /* NULL: none */
	int64_t replaces;
} rc_diary_in;
RC_WUR rc_err rc_app_diary_add(const rc_uc *uc, const rc_diary_in *in, rc_problem *p);

/* The acting runner's PSFS: up to RC_PSFS_ITEMS activities, each with a score from 0 (cannot do) to 10
 * (as before the injury); empty activities are skipped, at least one is needed. Fields "activityN"
 * and "scoreN" count from 1. */
typedef struct rc_psfs_in {
	const char *activity[RC_PSFS_ITEMS];
	int score[RC_PSFS_ITEMS]; /* RC_APP_NOT_A_NUMBER when not a whole number */
} rc_psfs_in;
RC_WUR rc_err rc_app_psfs_add(const rc_uc *uc, const rc_psfs_in *in, rc_problem *p);

/* One PSFS rating, as stored. */
typedef struct rc_psfs {
	char day[11];
	int64_t rated_at;
	char activity[RC_PSFS_ITEMS][4 * RC_PSFS_ACTIVITY_MAX + 1];
	int score[RC_PSFS_ITEMS], n;
	double average;
} rc_psfs;

/* Everything Today, the record and the printed sheet show of a runner's program, read in one snapshot.
 * Arrays live in uc->arena. */
typedef struct rc_program_view {
	rc_account runner;
	bool active;            /* false: no program (or one the clinic's content no longer has) */
	rc_assignment a;
	const rc_program *prog; /* with active */
	const rc_stage *stage;
	char pain_advice[320];  /* rc_progress_pain_advice of the program's rules */
	char started[11];       /* the day the program began */
	rc_decision decision;
	int done_today;         /* sessions logged for today */
	double adherence7, adherence28;
	bool may_adjust;        /* rc_app_program_may_adjust(actor) */
	/* The last RC_PROGRAM_CHART_DAYS days, today the last of them. */
	int64_t first_day, today;
	rc_log_row *logs;       /* newest first */
	int nlogs;
	rc_morning *mornings;   /* pain on waking, oldest first */
	int nmornings;
	int64_t week_end[RC_PROGRAM_CHART_DAYS / 7]; /* each whole week since the program began */
	double week_adherence[RC_PROGRAM_CHART_DAYS / 7];
	int nweeks;
	rc_psfs *psfs;          /* oldest first */
	int npsfs;
} rc_program_view;

/* The runner's program as the actor may see it: the runner themself or the clinic's staff (whose reading
 * goes to the audit log). RC_ENOTFOUND when runner is not a runner's account or the actor may not see
 * it; RC_ENOMEM when the request's memory is spent. */
RC_WUR rc_err rc_app_program_view(const rc_uc *uc, const rc_programs *content, int64_t runner, rc_program_view *out);

/* The acting runner's diary: one page of entries, newest first, and the PSFS as it stands. */
typedef struct rc_diary_view {
	rc_diary_row *entries; /* newest first, at most RC_DIARY_PAGE */
	int n;
	char older[11];        /* "": no older entries; else the `before` that shows the next page */
	bool rated, psfs_due;  /* rated: last_psfs holds the latest rating */
	rc_psfs last_psfs;
	bool editing;          /* `edit` named a current entry of theirs: it is in edit */
	rc_diary_row edit;
} rc_diary_view;
/* before: "" or NULL for the latest page, else only entries of days before it (RC_EINVAL when it is not a
 * date). edit: 0, or the id of an entry to correct. */
RC_WUR rc_err rc_app_diary_view(const rc_uc *uc, const char *before, int64_t edit, rc_diary_view *out,
                                rc_problem *p);

/* The runner's program sessions for the next RC_PROGRAM_CALENDAR_DAYS days as calendar events with a
 * reminder, titled without a diagnosis. For the private feed: its secret address already named the runner. */
RC_WUR rc_err rc_app_program_calendar(const rc_uc *uc, const rc_programs *content, int64_t runner, rc_buf *out);

#endif
