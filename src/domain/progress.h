/* progress.h — the pain-monitoring model (Silbernagel et al. 2007) turned into a decision about a home
 * program's stage: hold, progress or step back, with the reason in plain words and its source. Pure:
 * the logs and the rules come in, the decision goes out. Also adherence arithmetic.
 *
 * Rules (thresholds from content/progression.json, per program where it differs): pain during
 * exercise up to `during_ok` is safe, up to `during_max` acceptable, above it too much; the next
 * morning's pain at rest must not be `morning_worse` points or more above where the stage began. Progress
 * after `sessions` logged sessions over at least `days` days, the last `sessions` of them all at or under
 * `during_ok`, with mornings no worse. */
#ifndef RC_PROGRESS_H
#define RC_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A program's key (content/programs.json) is at most this long: the content refuses a longer one, and
 * the store keeps every key that passes. */
enum { RC_PROGRAM_KEY_MAX = 31 };

typedef struct rc_progress_rules {
	int during_ok, during_max, morning_worse, sessions, days;
	const char *source;
} rc_progress_rules;

typedef struct rc_session_log {
	int64_t day; /* rc_day_number */
	int done, prescribed, pain_during;
} rc_session_log;

/* A stage's sessions as the decision reads them: how many there are, the first one's day and the
 * latest few. Only the latest `rules->sessions` count towards moving on, so a stage of any length is
 * decided from a bounded read. */
typedef struct rc_stage_logs {
	int count;                    /* every session logged in the stage */
	int64_t first_day;            /* the day of its first session */
	const rc_session_log *latest; /* its latest sessions, oldest first: min(count, rules->sessions) */
	int nlatest;
} rc_stage_logs;

typedef struct rc_morning {
	int64_t day;
	int pain_rest;
} rc_morning;

typedef enum { RC_DECIDE_HOLD, RC_DECIDE_PROGRESS, RC_DECIDE_STEP_BACK } rc_decision_kind;

typedef struct rc_decision {
	rc_decision_kind kind;
	char why[320];
	const char *source;
} rc_decision;

/* logs: the current stage's sessions (those logged since the stage began); mornings: the diary's pain
 * on waking, oldest first, from the last one on or before stage_start onward (earlier ones are not
 * read). stage_start: the day the stage began. */
void rc_progress_decide(const rc_progress_rules *r, const rc_stage_logs *logs, const rc_morning *mornings,
                        int nmornings, int64_t stage_start, int stage, int nstages, rc_decision *out);

/* What a runner is told about pain, from the same rules the decision uses: how much pain during the
 * exercises is fine, acceptable and too much, and how much worse a morning must be to ease off
 * ("Pain during the exercises up to 3/10 is fine, 4-5/10 acceptable, more is too much. ..."). Every
 * page and the printed sheet say it with this one sentence. */
void rc_progress_pain_advice(const rc_progress_rules *r, char *out, size_t n);

const char *rc_decision_name(rc_decision_kind k); /* "hold", "progress", "step back" */

/* Sessions done over sessions due in the `window` days ending `today` (counting only days on or after
 * `from`, the program's start), each day's done capped at per_day. done_on(day) gives a day's count.
 * 0 due days: 0. */
typedef int (*rc_done_fn)(void *ctx, int64_t day);
double rc_adherence(int64_t today, int window, int64_t from, int per_day, rc_done_fn done_on, void *ctx);

#endif
