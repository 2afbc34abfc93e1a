/* progress.c — hold, progress or step back (see progress.h). */
#include "domain/progress.h"

#include <stdio.h>

const char *rc_decision_name(rc_decision_kind k)
{
	return k == RC_DECIDE_PROGRESS ? "progress" : k == RC_DECIDE_STEP_BACK ? "step back" : "hold";
}

/* The pain on waking where the stage began: the last morning on or before its first day, else the
 * first one after. -1 when the diary has none. */
static int baseline(const rc_morning *m, int n, int64_t stage_start)
{
	int b = -1;
	for (int i = 0; i < n; i++) {
		if (m[i].day <= stage_start)
			b = m[i].pain_rest;
		else if (b < 0)
			return m[i].pain_rest;
	}
	return b;
}

void rc_progress_decide(const rc_progress_rules *r, const rc_stage_logs *logs, const rc_morning *mornings,
                        int nmornings, int64_t stage_start, int stage, int nstages, rc_decision *out)
{
	out->source = r->source;
	out->kind = RC_DECIDE_HOLD;
	if (logs->count == 0 || logs->nlatest == 0) {
		snprintf(out->why, sizeof out->why,
		         "No session logged in this stage yet: do today's exercises and log how much they hurt.");
		return;
	}
	const rc_session_log *last = &logs->latest[logs->nlatest - 1];
	const char *back = stage > 1 ? "go back to the stage before until it settles"
	                             : "ease off (fewer repetitions, shorter holds) and see the clinic if it does not settle";
	if (last->pain_during > r->during_max) {
		out->kind = RC_DECIDE_STEP_BACK;
		snprintf(out->why, sizeof out->why,
		         "Pain during your last session was %d/10; above %d is too much while it heals: %s.",
		         last->pain_during, r->during_max, back);
		return;
	}
	int base = baseline(mornings, nmornings, stage_start);
	int latest = -1; /* the latest morning after the stage's first session */
	for (int i = 0; i < nmornings; i++)
		if (mornings[i].day > logs->first_day)
			latest = mornings[i].pain_rest;
	if (base >= 0 && latest >= 0 && latest - base >= r->morning_worse) {
		out->kind = RC_DECIDE_STEP_BACK;
		snprintf(out->why, sizeof out->why,
		         "Your pain on waking has risen from %d to %d since this stage began; the next morning decides: %s.",
		         base, latest, back);
		return;
	}
	int need = r->sessions, calm = 0;
	for (int i = logs->nlatest - 1; i >= 0 && i >= logs->nlatest - need; i--)
		calm += logs->latest[i].pain_during <= r->during_ok;
	int64_t days = last->day - stage_start + 1;
	if (last->pain_during > r->during_ok && r->during_ok == 0) {
		snprintf(out->why, sizeof out->why,
		         "Pain during exercise was %d/10: acceptable up to %d, but hold this stage until it is pain-free.",
		         last->pain_during, r->during_max);
		return;
	}
	if (last->pain_during > r->during_ok) {
		snprintf(out->why, sizeof out->why,
		         "Pain during exercise was %d/10: acceptable up to %d, but hold this stage until it is %d or less.",
		         last->pain_during, r->during_max, r->during_ok);
		return;
	}
	if (logs->count >= need && calm >= need && days >= r->days) {
		if (stage < nstages) {
			out->kind = RC_DECIDE_PROGRESS;
			snprintf(out->why, sizeof out->why,
			         "%d sessions over %lld days with pain at most %d/10 and mornings no worse: ready for stage %d.",
			         logs->count, (long long)days, r->during_ok, stage + 1);
		} else {
			snprintf(out->why, sizeof out->why,
			         "%d sessions with pain at most %d/10 and mornings no worse: this is the last stage; keep it up "
			         "and follow the return-to-running steps.",
			         logs->count, r->during_ok);
		}
		return;
	}
	snprintf(out->why, sizeof out->why,
	         "%d of %d sessions at pain %d/10 or less, over %lld of %d days in this stage: hold and keep going.",
	         calm < need ? calm : need, need, r->during_ok, (long long)(days > 0 ? days : 0), r->days);
}

void rc_progress_pain_advice(const rc_progress_rules *r, char *out, size_t n)
{
	char during[160];
	if (r->during_ok == 0 && r->during_max == 0)
		snprintf(during, sizeof during, "The exercises should cause no pain (0/10); any pain is too much.");
	else if (r->during_ok == 0)
		snprintf(during, sizeof during,
		         "The exercises should cause no pain (0/10); up to %d/10 is acceptable, more is too much.",
		         r->during_max);
	else if (r->during_ok == r->during_max)
		snprintf(during, sizeof during, "Pain during the exercises up to %d/10 is fine; more is too much.",
		         r->during_ok);
	else if (r->during_max == r->during_ok + 1)
		snprintf(during, sizeof during,
		         "Pain during the exercises up to %d/10 is fine, %d/10 acceptable, more is too much.", r->during_ok,
		         r->during_max);
	else
		snprintf(during, sizeof during,
		         "Pain during the exercises up to %d/10 is fine, %d-%d/10 acceptable, more is too much.",
		         r->during_ok, r->during_ok + 1, r->during_max);
	snprintf(out, n, "%s If your pain on waking the next morning is %d point%s or more worse than when the stage "
	                 "began, ease off.",
	         during, r->morning_worse, r->morning_worse == 1 ? "" : "s");
}

double rc_adherence(int64_t today, int window, int64_t from, int per_day, rc_done_fn done_on, void *ctx)
{
	int due = 0, done = 0;
	for (int64_t d = today - window + 1; d <= today; d++) {
		if (d < from)
			continue;
		due += per_day;
		int n = done_on(ctx, d);
		done += n < per_day ? n : per_day;
	}
	return due ? (double)done / due : 0;
}
