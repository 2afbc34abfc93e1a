/* triage_next.c — the fewest questions: which one to ask next (see rc_triage_next in triage.h).
 *
 * Warning signs come first, but only those that matter where it hurts: a sign named by a rule that is
 * scoped to this region, or one that is time-critical here (so no stroke or rash questions for a sore
 * sit bone), and only while a "yes" could still raise the level. Then each remaining question is
 * weighed by how well its answers are expected to separate the candidate conditions: a condition's
 * score is read as log-odds, so an answer that adds w to a condition's score is e^w times likelier for
 * it, which gives each answer's predicted probability and the conditions' distribution after it. The
 * questions stop when no single answer left could change the level or the leading condition, and no
 * two answers could put a more serious condition in front (look_ahead). */
#include "domain/triage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_PROBES = 10 };

/* Whether c names this region in a region list (not under a "not"): the rule is scoped to it. */
static bool region_named(const rc_cond *c, int region)
{
	if (c->op == RC_C_NOT)
		return false;
	if (c->op == RC_C_REGION) {
		for (int i = 0; i < c->n; i++)
			if (c->values[i] == region)
				return true;
		return false;
	}
	for (int i = 0; i < c->nkids; i++)
		if (region_named(c->kids[i], region))
			return true;
	return false;
}

static void mark(const rc_cond *c, bool *used)
{
	if (c->finding >= 0 && c->op != RC_C_REGION)
		used[c->finding] = true;
	for (int i = 0; i < c->nkids; i++)
		mark(c->kids[i], used);
}

void rc_triage_scoped(const rc_triage_kb *kb, int region, bool *scoped)
{
	memset(scoped, 0, sizeof(bool) * RC_TRIAGE_MAX_FINDINGS);
	for (int i = 0; i < kb->nrules; i++)
		if (kb->rules[i].ask[region] || region_named(kb->rules[i].when, region))
			mark(kb->rules[i].when, scoped);
	/* A warning sign that is evidence for a condition here (neck manipulation for a torn neck artery). */
	for (int c = 0; c < kb->nconditions; c++)
		if (!isnan(kb->conditions[c].prior[region]))
			for (int e = 0; e < kb->conditions[c].nevidence; e++)
				mark(kb->conditions[c].evidence[e].when, scoped);
}

/* The thresholds the knowledge compares an integer finding with, as values either side of each. */
static void int_thresholds(const rc_cond *c, int f, int *v, int *n)
{
	if (c->finding == f && (c->op == RC_C_GE || c->op == RC_C_LE) && *n + 2 <= MAX_PROBES) {
		int t = c->values[0];
		v[(*n)++] = t;
		v[(*n)++] = c->op == RC_C_GE ? t - 1 : t + 1;
	}
	for (int i = 0; i < c->nkids; i++)
		int_thresholds(c->kids[i], f, v, n);
}

static int probes(const rc_triage_kb *kb, int f, int *v)
{
	const rc_finding *fd = &kb->findings[f];
	int n = 0;
	if (fd->type == RC_FT_BOOL) {
		v[n++] = 1;
		v[n++] = 0;
	} else if (fd->type == RC_FT_ENUM) {
		for (int i = 0; i < fd->nvalues && n < MAX_PROBES; i++)
			v[n++] = i;
	} else {
		for (int r = 0; r < kb->nrules; r++)
			int_thresholds(kb->rules[r].when, f, v, &n);
		for (int c = 0; c < kb->nconditions; c++)
			for (int e = 0; e < kb->conditions[c].nevidence; e++)
				int_thresholds(kb->conditions[c].evidence[e].when, f, v, &n);
		int k = 0;
		for (int i = 0; i < n; i++) /* within the allowed range, each once */
			if (v[i] >= fd->min && v[i] <= fd->max) {
				bool seen = false;
				for (int j = 0; j < k; j++)
					seen |= v[j] == v[i];
				if (!seen)
					v[k++] = v[i];
			}
		n = k;
	}
	return n;
}

/* Scores → probabilities over the conditions that have a score (softmax); returns the entropy. */
static double distribution(const rc_triage_kb *kb, const double *score, double *p)
{
	double top = -INFINITY, sum = 0, h = 0;
	for (int c = 0; c < kb->nconditions; c++)
		if (!isnan(score[c]) && score[c] > top)
			top = score[c];
	for (int c = 0; c < kb->nconditions; c++) {
		p[c] = isnan(score[c]) ? 0 : exp(score[c] - top);
		sum += p[c];
	}
	for (int c = 0; c < kb->nconditions; c++) {
		p[c] = sum > 0 ? p[c] / sum : 0;
		if (p[c] > 0)
			h -= p[c] * log(p[c]);
	}
	return h;
}

/* The look-ahead: no single answer left changes the level or the leading condition, but two together
 * might (a fall into the splits and a sudden start put a hamstring tendon avulsion in front of a
 * trapped nerve root, where either alone does not). It looks for conditions more serious than the
 * leader (a higher usual urgency: the ones a careful clinician will not miss), so that a self-care
 * alternative does not lengthen every check. For each, the two questions whose best answers gain it
 * most on the leader: when together they could close the gap, that pair of answers is tried, and if it
 * changes the level or the leader, the question that gains most is asked. -1 when no pair could. */
static _Thread_local double gain[RC_TRIAGE_MAX_FINDINGS][RC_TRIAGE_MAX_CONDITIONS];
static _Thread_local int gain_v[RC_TRIAGE_MAX_FINDINGS][RC_TRIAGE_MAX_CONDITIONS];

static int look_ahead(const rc_triage_kb *kb, const rc_answers *a, const bool *cand, const double *base, int li,
                      int level)
{
	static _Thread_local rc_triage_result tmp;
	int ask = -1;
	double ask_by = -INFINITY;
	for (int c = 0; c < kb->nconditions; c++) {
		if (isnan(base[c]) || c == li || kb->conditions[c].base <= kb->conditions[li].base)
			continue;
		int f1 = -1, f2 = -1;
		for (int f = 0; f < kb->nfindings; f++) {
			if (!cand[f] || gain[f][c] <= 0)
				continue;
			if (f1 < 0 || gain[f][c] > gain[f1][c])
				f2 = f1, f1 = f;
			else if (f2 < 0 || gain[f][c] > gain[f2][c])
				f2 = f;
		}
		if (f2 < 0)
			continue;
		double by = gain[f1][c] + gain[f2][c] - (base[li] - base[c]);
		if (by < -1e-9 || by <= ask_by)
			continue;
		rc_answers *t = &(rc_answers){0};
		*t = *a;
		t->state[f1] = RC_ANS_VALUE, t->value[f1] = gain_v[f1][c];
		t->state[f2] = RC_ANS_VALUE, t->value[f2] = gain_v[f2][c];
		rc_triage_eval(kb, t, &tmp);
		if ((int)tmp.urgency != level || !tmp.nranked || tmp.ranked[0].condition != &kb->conditions[li])
			ask = f1, ask_by = by;
	}
	return ask;
}

/* The level once t's one change (finding f) is made to a, from a's evaluation (cur, base). */
static rc_level level_with(const rc_triage_kb *kb, const rc_answers *a, const rc_answers *t, int f,
                           const rc_triage_result *cur, const double *base)
{
	static _Thread_local rc_triage_result full;
	double scores[RC_TRIAGE_MAX_CONDITIONS];
	const rc_condition *lead;
	rc_level level;
	if (rc_triage_probe(kb, a, t, f, cur, base, scores, &lead, &level))
		return level;
	rc_triage_eval_scores(kb, t, &full, scores);
	return full.urgency;
}

void rc_triage_next(const rc_triage_kb *kb, const rc_answers *a, rc_next *out)
{
	memset(out, 0, sizeof *out);
	out->finding = -1;
	if (a->state[kb->region] != RC_ANS_VALUE) {
		out->finding = kb->region;
		return;
	}
	int region = a->value[kb->region];
	static _Thread_local rc_triage_result cur, tmp; /* large: kept off the stack of a request thread */
	double base[RC_TRIAGE_MAX_CONDITIONS], sv[MAX_PROBES][RC_TRIAGE_MAX_CONDITIONS];
	rc_triage_eval_scores(kb, a, &cur, base);
	if (cur.flagged == RC_LEVEL_EMERGENCY) {
		out->done = true;
		return;
	}
	const rc_condition *lead = cur.nranked ? cur.ranked[0].condition : NULL;

	/* The questions that matter here, and the warning signs that matter here. */
	int q[RC_TRIAGE_MAX_FINDINGS];
	int nq = rc_triage_questions(kb, a, q, RC_TRIAGE_MAX_FINDINGS);
	bool here[RC_TRIAGE_MAX_FINDINGS];
	const bool *scoped = kb->prepared ? kb->region_scoped[region] : here;
	if (!kb->prepared)
		rc_triage_scoped(kb, region, here);
	bool cand[RC_TRIAGE_MAX_FINDINGS] = {0}, flag[RC_TRIAGE_MAX_FINDINGS] = {0};
	for (int i = 0; i < nq; i++) {
		int f = q[i];
		if (f == kb->region || a->state[f] != RC_ANS_ABSENT)
			continue;
		bool red = kb->prepared ? kb->red_flag[f] : strcmp(kb->findings[f].group, "red_flags") == 0;
		if (red && !scoped[f] && !kb->time_critical[f][region])
			continue; /* a warning sign for elsewhere: the start page names the ones that apply anywhere */
		cand[f] = true;
		flag[f] = red && kb->findings[f].type == RC_FT_BOOL;
	}

	/* 1. Warning signs that could still raise the level: the highest level first. A sign that raises it
	 * only together with another (two of three compartment signs) counts when all the open signs
	 * together would, and this one is needed for it. */
	static _Thread_local rc_answers t[1], all[1], all_but[1]; /* a, all: with one answer changed at a time */
	static _Thread_local rc_triage_result with_all;
	double base_all[RC_TRIAGE_MAX_CONDITIONS];
	*all = *a;
	for (int f = 0; f < kb->nfindings; f++)
		if (flag[f])
			all->state[f] = RC_ANS_VALUE, all->value[f] = 1;
	rc_triage_eval_scores(kb, all, &with_all, base_all);
	int level_all = (int)with_all.urgency, best = -1;
	double best_key = -1;
	*t = *a;
	*all_but = *all;
	for (int f = 0; f < kb->nfindings && level_all > (int)cur.urgency; f++) {
		if (!flag[f])
			continue;
		t->state[f] = RC_ANS_VALUE, t->value[f] = 1;
		double key = -1;
		rc_level yes = level_with(kb, a, t, f, &cur, base);
		if ((int)yes > (int)cur.urgency) {
			key = (double)yes;
		} else {
			all_but->value[f] = 0;
			if ((int)level_with(kb, all, all_but, f, &with_all, base_all) < level_all)
				key = level_all - 0.5;
			all_but->value[f] = 1;
		}
		t->state[f] = a->state[f], t->value[f] = a->value[f];
		if (key > best_key)
			best_key = key, best = f;
	}
	if (best >= 0) {
		out->finding = best;
		out->warning = true;
		return;
	}

	/* 2. The question whose answers are expected to separate the conditions best. */
	double p0[RC_TRIAGE_MAX_CONDITIONS];
	double h0 = distribution(kb, base, p0);
	double best_score = -INFINITY;
	int li = lead ? (int)(lead - kb->conditions) : -1;
	*t = *a;
	for (int f = 0; f < kb->nfindings; f++) {
		if (!cand[f])
			continue;
		int v[MAX_PROBES];
		int nv = probes(kb, f, v);
		bool changes = false;
		int dlevel[MAX_PROBES];
		for (int k = 0; k < nv; k++) {
			t->state[f] = RC_ANS_VALUE, t->value[f] = v[k];
			const rc_condition *l;
			rc_level u;
			if (!rc_triage_probe(kb, a, t, f, &cur, base, sv[k], &l, &u)) {
				rc_triage_eval_scores(kb, t, &tmp, sv[k]);
				l = tmp.nranked ? tmp.ranked[0].condition : NULL;
				u = tmp.urgency;
			}
			dlevel[k] = abs((int)u - (int)cur.urgency);
			changes |= dlevel[k] != 0 || l != lead;
		}
		t->state[f] = a->state[f], t->value[f] = a->value[f];
		/* For the look-ahead below: what the best answer to this question gains each condition on the
		 * leader. */
		for (int c = 0; li >= 0 && c < kb->nconditions; c++) {
			gain[f][c] = 0;
			if (isnan(base[c]) || c == li)
				continue;
			for (int k = 0; k < nv; k++) {
				double g = ((isnan(sv[k][c]) ? base[c] : sv[k][c]) - base[c]) - (sv[k][li] - base[li]);
				if (g > gain[f][c])
					gain[f][c] = g, gain_v[f][c] = v[k];
			}
		}
		if (!changes)
			continue;
		/* P(answer | condition) ∝ e^(score change); p(answer) and the conditions after it follow. Each
		 * e^(change) is worked out once (lk), with its sum over the answers (z). */
		double pv[MAX_PROBES] = {0}, eh = 0, elevel = 0;
		double post[RC_TRIAGE_MAX_CONDITIONS], z[RC_TRIAGE_MAX_CONDITIONS];
		static _Thread_local double lk[MAX_PROBES][RC_TRIAGE_MAX_CONDITIONS];
		for (int c = 0; c < kb->nconditions; c++) {
			if (p0[c] <= 0)
				continue;
			z[c] = 0;
			for (int k = 0; k < nv; k++) {
				lk[k][c] = exp((isnan(sv[k][c]) ? base[c] : sv[k][c]) - base[c]);
				z[c] += lk[k][c];
			}
			for (int k = 0; k < nv; k++)
				pv[k] += p0[c] * lk[k][c] / z[c];
		}
		for (int k = 0; k < nv; k++) {
			if (pv[k] <= 0)
				continue;
			double h = 0, sum = 0;
			for (int c = 0; c < kb->nconditions; c++) {
				post[c] = p0[c] <= 0 ? 0 : p0[c] * lk[k][c] / z[c];
				sum += post[c];
			}
			for (int c = 0; c < kb->nconditions; c++)
				if (post[c] > 0 && sum > 0)
					h -= post[c] / sum * log(post[c] / sum);
			eh += pv[k] * h;
			elevel += pv[k] * dlevel[k];
		}
		double score = (h0 - eh) + 0.5 * elevel;
		if (score > best_score)
			best_score = score, out->finding = f;
	}
	if (out->finding < 0 && li >= 0)
		out->finding = look_ahead(kb, a, cand, base, li, (int)cur.urgency);
	out->done = out->finding < 0;
}

void rc_triage_unanswered_skipped(rc_triage_result *r, const rc_answers *a)
{
	int n = 0;
	for (int i = 0; i < r->nunanswered; i++)
		if (a->state[r->unanswered[i]] == RC_ANS_SKIPPED)
			r->unanswered[n++] = r->unanswered[i];
	r->nunanswered = n;
}

int rc_triage_walk(const rc_triage_kb *kb, const rc_answers *the_case, rc_answers *asked)
{
	memset(asked, 0, sizeof *asked);
	int n = 0;
	for (int guard = 0; guard <= kb->nfindings; guard++) {
		rc_next nx;
		rc_triage_next(kb, asked, &nx);
		if (nx.done)
			break;
		int f = nx.finding;
		n++;
		if (the_case->state[f] == RC_ANS_VALUE || the_case->state[f] == RC_ANS_UNKNOWN) {
			asked->state[f] = the_case->state[f];
			asked->value[f] = the_case->value[f];
		} else if (strcmp(kb->findings[f].group, "red_flags") == 0 && kb->findings[f].type == RC_FT_BOOL) {
			asked->state[f] = RC_ANS_VALUE;
			asked->value[f] = 0;
		} else {
			asked->state[f] = RC_ANS_SKIPPED;
		}
		if (f == kb->region && asked->state[f] != RC_ANS_VALUE)
			break; /* no region, no questions */
	}
	return n;
}

/* Answers that cannot both be true: the first is a stronger form of the second, answered the other way
 * ("stuck right now" but "never catches"), or facts that exclude each other. Either answer could be the
 * slip, and choosing one could lower the level, so neither is used: the runner is asked to correct one. */
static const struct {
	const char *a, *a_value, *b, *b_value, *why;
} clashes[] = {
	{"knee_locked_now", "yes", "knee_locking", "no", "a knee stuck right now does catch or get stuck"},
	{"swelling_within_hours_of_injury", "yes", "swelling", "no", "swelling within hours is swelling"},
	{"cannot_bear_weight_four_steps", "yes", "walking_difficult", "no", "not being able to take four steps makes walking difficult"},
	{"sudden_kick_sensation_heel", "yes", "onset", "gradual", "a sudden kick at the heel is a sudden start"},
	{"mechanism", "rolled_ankle", "onset", "gradual", "rolling an ankle is a sudden start"},
	{"mechanism", "twist_or_pivot", "onset", "gradual", "a twist is a sudden start"},
	{"mechanism", "fall_or_collision", "onset", "gradual", "a fall is a sudden start"},
	{"sex", "male", "given_birth_past_year", "yes", "the answers about sex and giving birth do not fit together"},
	{"sex", "male", "menstrual_irregularity", "yes", "the answers about sex and periods do not fit together"},
};

static bool answered_as(const rc_triage_kb *kb, const rc_answers *a, const char *key, const char *value)
{
	int f = rc_triage_finding(kb, key);
	if (f < 0 || a->state[f] != RC_ANS_VALUE)
		return false;
	const rc_finding *fd = &kb->findings[f];
	if (fd->type == RC_FT_BOOL)
		return a->value[f] == (strcmp(value, "yes") == 0);
	return fd->type == RC_FT_ENUM && strcmp(fd->values[a->value[f]], value) == 0;
}

int rc_triage_clash(const rc_triage_kb *kb, const rc_answers *a, int *other, const char **why)
{
	for (size_t i = 0; i < sizeof clashes / sizeof clashes[0]; i++)
		if (answered_as(kb, a, clashes[i].a, clashes[i].a_value) && answered_as(kb, a, clashes[i].b, clashes[i].b_value)) {
			*other = rc_triage_finding(kb, clashes[i].b);
			*why = clashes[i].why;
			return rc_triage_finding(kb, clashes[i].a);
		}
	return -1;
}

/* A question about one part of the body is one asked in at most this many of the body map's regions
 * (the knee's locking, the heel's squeeze, the arm's pain); general questions (numbness, swelling, a
 * pop) may be answered for any region, as a runner who reports them would. */
enum { RC_TRIAGE_REGIONAL_MAX = 5 };

static bool asked_in(const rc_triage_kb *kb, bool worked[][RC_TRIAGE_MAX_FINDINGS], int region, int f)
{
	return kb->prepared ? kb->region_asked[region][f] : worked[region][f];
}

int rc_triage_foreign(const rc_triage_kb *kb, const rc_answers *a)
{
	if (a->state[kb->region] != RC_ANS_VALUE)
		return -1;
	const rc_finding *where = &kb->findings[kb->region];
	int here = a->value[kb->region];
	/* Which regions ask which questions: the prepared lists, or worked out here (a kb not prepared). */
	static _Thread_local bool worked[RC_TRIAGE_MAX_VALUES][RC_TRIAGE_MAX_FINDINGS];
	if (!kb->prepared) {
		memset(worked, 0, sizeof worked);
		for (int r = 0; r < where->nvalues; r++) {
			rc_answers *t = &(rc_answers){0};
			t->state[kb->region] = RC_ANS_VALUE, t->value[kb->region] = r;
			int q[RC_TRIAGE_MAX_FINDINGS];
			int n = rc_triage_questions(kb, t, q, RC_TRIAGE_MAX_FINDINGS);
			for (int i = 0; i < n; i++)
				worked[r][q[i]] = true;
		}
	}
	for (int f = 0; f < kb->nfindings; f++) {
		/* A "no" or "don't know" to another part's question weighs nothing here; a "yes" would be weighed
		 * as if it were about this part. */
		bool positive = a->state[f] == RC_ANS_VALUE && (kb->findings[f].type != RC_FT_BOOL || a->value[f] == 1);
		if (!positive || asked_in(kb, worked, here, f))
			continue;
		int regions = 0;
		for (int r = 0; r < where->nvalues; r++)
			regions += asked_in(kb, worked, r, f);
		if (regions > 0 && regions <= RC_TRIAGE_REGIONAL_MAX)
			return f;
	}
	return -1;
}
