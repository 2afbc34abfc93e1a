/* triage.h — the self-check engine: answers keyed by finding in, what is likely, how urgent it
 * is and why out. Pure: the knowledge (findings, red-flag rules, condition evidence, risk-factor
 * advice) is data loaded by content/selfcheck.c; nothing here reads a file or the clock. */
#ifndef RC_TRIAGE_H
#define RC_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

enum {
	RC_TRIAGE_MAX_FINDINGS = 160,
	RC_TRIAGE_MAX_VALUES = 32,    /* allowed values of one enum finding (25 body-map regions) */
	RC_TRIAGE_MAX_RULES = 128,
	RC_TRIAGE_MAX_CONDITIONS = 64,
	RC_TRIAGE_MAX_EVIDENCE = 48,  /* per condition */
	RC_TRIAGE_MAX_CHILDREN = 24,  /* per all/any/count */
	RC_TRIAGE_MAX_DEPTH = 8,
	RC_TRIAGE_MAX_RISKS = 32,
	RC_TRIAGE_TOP = 5,            /* conditions reported */
};

typedef enum { RC_LEVEL_SELF_CARE, RC_LEVEL_SOON, RC_LEVEL_URGENT, RC_LEVEL_EMERGENCY } rc_level;
const char *rc_level_name(rc_level l); /* "self_care", ... */
const char *rc_level_label(const char *name); /* "self_care" → "self-care", for pages */
int rc_level_parse(const char *s);     /* -1 when unknown */

typedef enum { RC_FT_BOOL, RC_FT_ENUM, RC_FT_INT } rc_ftype;

typedef struct rc_finding {
	const char *key, *question, *group;
	rc_ftype type;
	const char *values[RC_TRIAGE_MAX_VALUES];
	const char *words[RC_TRIAGE_MAX_VALUES]; /* each value as a person reads it ("Both sides") */
	const char *unit;                        /* of an int ("years"), or "" */
	int nvalues, min, max;
} rc_finding;

/* A condition over answers. Leaves name a finding (index into the findings). */
typedef enum {
	RC_C_ALL, RC_C_ANY, RC_C_NOT, RC_C_COUNT, /* count: at least n children hold */
	RC_C_YES, RC_C_NO, RC_C_HAS,             /* bool true / bool false / answered at all */
	RC_C_EQ, RC_C_IN, RC_C_GE, RC_C_LE,      /* enum or int comparisons */
	RC_C_REGION,                            /* the answer to "region" is one of values */
} rc_cop;

typedef struct rc_cond {
	rc_cop op;
	int finding;
	int n;                   /* count's threshold, or the number of values */
	int values[RC_TRIAGE_MAX_VALUES];
	struct rc_cond *kids[RC_TRIAGE_MAX_CHILDREN];
	int nkids;
} rc_cond;

typedef struct rc_rule {
	const char *id, *reason, *source;
	rc_level level;
	int suspect; /* condition index, or -1 */
	rc_cond *when;
	/* Regions where a rule that names none is asked about anyway (saddle numbness with any leg or back
	 * pain, stroke signs with neck pain): by region value. A rule scoped to regions is asked in those. */
	bool ask[RC_TRIAGE_MAX_VALUES];
} rc_rule;

typedef struct rc_evidence {
	rc_cond *when;
	double weight;
} rc_evidence;

typedef struct rc_condition {
	const char *key, *name, *group, *advice, *program, *source;
	const char *articles[4];
	int narticles, recheck_days;
	rc_level base;
	double prior[RC_TRIAGE_MAX_VALUES]; /* by region value; NAN where the condition does not apply */
	rc_evidence evidence[RC_TRIAGE_MAX_EVIDENCE];
	int nevidence;
} rc_condition;

typedef struct rc_risk {
	int finding;
	const char *name, *advice, *source;
} rc_risk;

typedef struct rc_triage_kb {
	rc_arena arena;
	rc_finding findings[RC_TRIAGE_MAX_FINDINGS];
	int nfindings, region; /* index of the "region" finding */
	rc_rule rules[RC_TRIAGE_MAX_RULES];
	int nrules;
	rc_condition conditions[RC_TRIAGE_MAX_CONDITIONS];
	int nconditions;
	rc_risk risks[RC_TRIAGE_MAX_RISKS];
	int nrisks;
	/* Time-critical findings: answered "don't know" in one of these regions, they raise the level. */
	bool time_critical[RC_TRIAGE_MAX_FINDINGS][RC_TRIAGE_MAX_VALUES];
	const char *time_critical_source;
	/* Worked out once from the above by rc_triage_prepare, so that an evaluation (dozens of them for
	 * each next question) does not: by region value, the rules that can fire there, in order, and the
	 * warning signs they ask about; the findings in key order, for rc_triage_finding. */
	bool prepared;
	short region_rules[RC_TRIAGE_MAX_VALUES][RC_TRIAGE_MAX_RULES];
	short nregion_rules[RC_TRIAGE_MAX_VALUES];
	short region_red[RC_TRIAGE_MAX_VALUES][RC_TRIAGE_MAX_FINDINGS]; /* warning signs its rules ask */
	short nregion_red[RC_TRIAGE_MAX_VALUES];
	short region_critical[RC_TRIAGE_MAX_VALUES][RC_TRIAGE_MAX_FINDINGS]; /* time-critical there */
	short nregion_critical[RC_TRIAGE_MAX_VALUES];
	short region_questions[RC_TRIAGE_MAX_VALUES][RC_TRIAGE_MAX_FINDINGS]; /* rc_triage_questions */
	short nregion_questions[RC_TRIAGE_MAX_VALUES];
	bool region_asked[RC_TRIAGE_MAX_VALUES][RC_TRIAGE_MAX_FINDINGS]; /* the same, by finding */
	bool region_scoped[RC_TRIAGE_MAX_VALUES][RC_TRIAGE_MAX_FINDINGS]; /* rc_triage_scoped */
	short region_conditions[RC_TRIAGE_MAX_VALUES][RC_TRIAGE_MAX_CONDITIONS]; /* with a prior there */
	short nregion_conditions[RC_TRIAGE_MAX_VALUES];
	bool red_flag[RC_TRIAGE_MAX_FINDINGS]; /* in the group "red_flags" */
	short by_key[RC_TRIAGE_MAX_FINDINGS];
	/* By finding: the rules that name it (a bit a rule), and the conditions whose evidence does. */
	unsigned long long finding_rules[RC_TRIAGE_MAX_FINDINGS][(RC_TRIAGE_MAX_RULES + 63) / 64];
	unsigned long long finding_conditions[RC_TRIAGE_MAX_FINDINGS];
} rc_triage_kb;

/* Fills the prepared tables once the knowledge is read and linked (rc_selfcheck_load calls it); a
 * kb changed after it must be prepared again. Evaluation works without it, only slower. */
void rc_triage_prepare(rc_triage_kb *kb);

/* One answer per finding: absent (not asked or not reported), unknown ("don't know"), a value (bool
 * 0/1, enum index, or the integer), or skipped (asked, and the runner chose not to answer: counts as
 * absent, but is not asked again). */
typedef enum { RC_ANS_ABSENT, RC_ANS_UNKNOWN, RC_ANS_VALUE, RC_ANS_SKIPPED } rc_ans_state;
typedef struct rc_answers {
	rc_ans_state state[RC_TRIAGE_MAX_FINDINGS];
	int value[RC_TRIAGE_MAX_FINDINGS];
} rc_answers;

int rc_triage_finding(const rc_triage_kb *kb, const char *key); /* index or -1 */
int rc_triage_condition(const rc_triage_kb *kb, const char *key);

typedef struct rc_fired {
	const rc_rule *rule;
	int findings[8]; /* the answered findings that made it fire */
	int nfindings;
	bool by_unknown; /* a time-critical "don't know" raised the level */
} rc_fired;

typedef struct rc_ranked {
	const rc_condition *condition;
	double score;
	int pro[12], con[12]; /* findings pointing to it, and against */
	int npro, ncon;
} rc_ranked;

typedef struct rc_triage_result {
	rc_level urgency;
	rc_level flagged; /* the level the warning signs alone set (fired rules, a time-critical "don't know"):
	                   * an emergency here stops the questions, one from the leading condition alone does not */
	rc_fired fired[RC_TRIAGE_MAX_RULES];
	int nfired;
	int unknown_critical[16]; /* time-critical findings answered "don't know" that raised the level */
	int nunknown_critical;
	rc_ranked ranked[RC_TRIAGE_TOP];
	int nranked;
	const rc_risk *risks[RC_TRIAGE_MAX_RISKS];
	int nrisks;
	int unanswered[RC_TRIAGE_MAX_FINDINGS]; /* red-flag questions for this region left unanswered */
	int nunanswered;
} rc_triage_result;

/* Evaluates; never fails on valid answers (validation happens where answers are read). */
void rc_triage_eval(const rc_triage_kb *kb, const rc_answers *a, rc_triage_result *out);

/* The same, and every condition's score by condition index (NAN where it was not weighed), for
 * choosing the next question: the risk factors and unanswered warning signs are left empty. scores
 * has room for kb->nconditions. */
void rc_triage_eval_scores(const rc_triage_kb *kb, const rc_answers *a, rc_triage_result *out, double *scores);

/* What one answer changed does, from the evaluation without the change: t is a with one finding f
 * answered otherwise (not "don't know" either side), cur and base what rc_triage_eval_scores gave for
 * a. Only the rules and the conditions that name f (or that a changed rule suspects) are weighed
 * again, in the same order as a whole evaluation, so *scores (as rc_triage_eval_scores fills them),
 * *lead and *urgency are exactly what evaluating t would give. false, with nothing filled, when it
 * cannot tell that way (the kb is not prepared, no region, a "don't know"): evaluate t in full. */
bool rc_triage_probe(const rc_triage_kb *kb, const rc_answers *a, const rc_answers *t, int f,
                     const rc_triage_result *cur, const double *base, double *scores, const rc_condition **lead,
                     rc_level *urgency);

/* --- the fewest questions (triage_next.c) ---------------------------------------------------- */

/* What to ask next, given the answers so far: where it hurts first; then the warning signs that matter
 * for that region and could still raise the level (those that could make it an emergency first); then
 * the question expected to tell the candidate conditions apart best (information gain over their
 * scores, read as log-odds), preferring one that could change the level. done when the level is an
 * emergency, or when no single answer to any question left could change the level or the leading
 * condition and no two answers could put a condition with a higher usual urgency in front. */
typedef struct rc_next {
	bool done;
	int finding;  /* the question, when !done */
	bool warning; /* asked as a warning sign that could raise the level */
} rc_next;
void rc_triage_next(const rc_triage_kb *kb, const rc_answers *a, rc_next *out);

/* After questions chosen by rc_triage_next: the warning signs left unanswered that matter are those the
 * runner skipped; one never asked could not have changed the advice (rc_triage_next asks every one
 * that could). Keeps only those in r->unanswered. */
void rc_triage_unanswered_skipped(rc_triage_result *r, const rc_answers *a);

/* A case walked through rc_triage_next as a runner would answer it: each question asked is answered
 * from the_case; a warning sign the case does not mention is answered "no", anything else it does not
 * mention is skipped. *asked gets the answers given; returns how many questions were asked (the
 * region included). */
int rc_triage_walk(const rc_triage_kb *kb, const rc_answers *the_case, rc_answers *asked);

/* Two answers that cannot both be true: returns the first finding (and *other, and *why in words), or
 * -1. Neither is used: a slip either way could lower the level. */
int rc_triage_clash(const rc_triage_kb *kb, const rc_answers *a, int *other, const char **why);
/* A "yes" (or a value) to a question about another part of the body, never asked about this region (a
 * heel question with neck pain): the finding, or -1. Answered by mistake, or for another region:
 * refused rather than weighed as if it were about this one. */
int rc_triage_foreign(const rc_triage_kb *kb, const rc_answers *a);

/* The findings that rules scoped to this region (or asking about it) and its conditions' evidence
 * name: the warning signs among them are the ones that matter here (triage_next.c). */
void rc_triage_scoped(const rc_triage_kb *kb, int region, bool *scoped);

/* The questions that matter for these answers, in asking order: where first, then the red flags
 * of that region, then the story, symptoms, risk factors and about-you questions its conditions
 * and rules use. Without a region, only the "where" questions. */
int rc_triage_questions(const rc_triage_kb *kb, const rc_answers *a, int *out, int max);

#endif
