/* triage.c — evaluating answers against the knowledge base (README §2: red flags first, the
 * level is the highest any fired flag sets, a time-critical "don't know" raises it one level,
 * and a region's pattern sets it only where it is higher). */
#include "domain/triage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = {"self_care", "soon", "urgent", "emergency"};

const char *rc_level_name(rc_level l)
{
	return (unsigned)l < 4 ? level_names[l] : "self_care";
}

const char *rc_level_label(const char *name)
{
	/* For people: the same levels in words. */
	static const char *const labels[] = {"self-care", "see a clinician soon", "urgent", "emergency"};
	int l = rc_level_parse(name);
	return l >= 0 ? labels[l] : name;
}

int rc_level_parse(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

int rc_triage_finding(const rc_triage_kb *kb, const char *key)
{
	if (!key)
		return -1;
	if (kb->prepared) {
		/* Every answer's key is looked up, and every contradiction checked, on each request. */
		int lo = 0, hi = kb->nfindings - 1;
		while (lo <= hi) {
			int mid = (lo + hi) / 2, c = strcmp(kb->findings[kb->by_key[mid]].key, key);
			if (c == 0)
				return kb->by_key[mid];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		return -1;
	}
	for (int i = 0; i < kb->nfindings; i++)
		if (strcmp(kb->findings[i].key, key) == 0)
			return i;
	return -1;
}

int rc_triage_condition(const rc_triage_kb *kb, const char *key)
{
	for (int i = 0; key && i < kb->nconditions; i++)
		if (strcmp(kb->conditions[i].key, key) == 0)
			return i;
	return -1;
}

/* Collects the findings a true condition rested on (for "why"). */
typedef struct {
	int *keys;
	int n, max;
} trail;

static void note(trail *t, int f)
{
	if (!t)
		return;
	for (int i = 0; i < t->n; i++)
		if (t->keys[i] == f)
			return;
	if (t->n < t->max)
		t->keys[t->n++] = f;
}

static bool holds(const rc_cond *c, const rc_answers *a, trail *t)
{
	int f = c->finding;
	bool have = f >= 0 && a->state[f] == RC_ANS_VALUE;
	int v = have ? a->value[f] : 0;
	bool r = false;
	switch (c->op) {
	case RC_C_ALL:
		for (int i = 0; i < c->nkids; i++)
			if (!holds(c->kids[i], a, NULL))
				return false;
		for (int i = 0; i < c->nkids; i++)
			(void)holds(c->kids[i], a, t);
		return true;
	case RC_C_ANY:
		for (int i = 0; i < c->nkids; i++)
			r |= holds(c->kids[i], a, t);
		return r;
	case RC_C_NOT:
		return !holds(c->kids[0], a, NULL);
	case RC_C_COUNT: {
		int n = 0;
		for (int i = 0; i < c->nkids; i++)
			n += holds(c->kids[i], a, t);
		return n >= c->n;
	}
	case RC_C_YES: r = have && v == 1; break;
	case RC_C_NO: r = have && v == 0; break;
	case RC_C_HAS: r = have; break;
	case RC_C_EQ: r = have && v == c->values[0]; break;
	case RC_C_GE: r = have && v >= c->values[0]; break;
	case RC_C_LE: r = have && v <= c->values[0]; break;
	case RC_C_IN:
	case RC_C_REGION:
		for (int i = 0; have && i < c->n; i++)
			r |= v == c->values[i];
		return r; /* the region is context, not evidence: not noted */
	}
	if (r)
		note(t, f);
	return r;
}

/* Whether a rule could fire in this region: its region constraints (at the top of an "all")
 * allow it. Used to pick the questions and the unanswered red flags that matter here. */
static bool region_allows(const rc_cond *c, int region)
{
	if (c->op == RC_C_REGION) {
		for (int i = 0; i < c->n; i++)
			if (c->values[i] == region)
				return true;
		return false;
	}
	if (c->op == RC_C_ALL) {
		for (int i = 0; i < c->nkids; i++)
			if (!region_allows(c->kids[i], region))
				return false;
	}
	if (c->op == RC_C_ANY) {
		/* any(region A, yes X): allowed everywhere, because X alone can satisfy it. */
		for (int i = 0; i < c->nkids; i++)
			if (region_allows(c->kids[i], region))
				return true;
		return false;
	}
	return true;
}

static void mark_findings(const rc_cond *c, bool *used)
{
	if (c->finding >= 0 && c->op != RC_C_REGION)
		used[c->finding] = true;
	for (int i = 0; i < c->nkids; i++)
		mark_findings(c->kids[i], used);
}

/* The warning-sign findings the rules that can fire in this region ask about. */
static int red_flags_here(const rc_triage_kb *kb, int region, short *red)
{
	bool used[RC_TRIAGE_MAX_FINDINGS] = {0};
	for (int i = 0; i < kb->nrules; i++)
		if (region_allows(kb->rules[i].when, region))
			mark_findings(kb->rules[i].when, used);
	int n = 0;
	for (int f = 0; f < kb->nfindings; f++)
		if (used[f] && strcmp(kb->findings[f].group, "red_flags") == 0)
			red[n++] = (short)f;
	return n;
}

static int by_key_order(const void *x, const void *y, void *kbp)
{
	const rc_triage_kb *kb = kbp;
	return strcmp(kb->findings[*(const short *)x].key, kb->findings[*(const short *)y].key);
}

void rc_triage_prepare(rc_triage_kb *kb)
{
	kb->prepared = false; /* worked out the slow way, then used */
	int nregions = kb->findings[kb->region].nvalues;
	for (int r = 0; r < nregions; r++) {
		kb->nregion_rules[r] = 0;
		for (int i = 0; i < kb->nrules; i++)
			if (region_allows(kb->rules[i].when, r))
				kb->region_rules[r][kb->nregion_rules[r]++] = (short)i;
		kb->nregion_red[r] = (short)red_flags_here(kb, r, kb->region_red[r]);
		kb->nregion_critical[r] = 0;
		for (int f = 0; f < kb->nfindings; f++)
			if (kb->time_critical[f][r])
				kb->region_critical[r][kb->nregion_critical[r]++] = (short)f;
		rc_answers *a = &(rc_answers){0};
		a->state[kb->region] = RC_ANS_VALUE, a->value[kb->region] = r;
		int q[RC_TRIAGE_MAX_FINDINGS];
		kb->nregion_questions[r] = (short)rc_triage_questions(kb, a, q, RC_TRIAGE_MAX_FINDINGS);
		memset(kb->region_asked[r], 0, sizeof kb->region_asked[r]);
		for (int i = 0; i < kb->nregion_questions[r]; i++) {
			kb->region_questions[r][i] = (short)q[i];
			kb->region_asked[r][q[i]] = true;
		}
		rc_triage_scoped(kb, r, kb->region_scoped[r]);
		kb->nregion_conditions[r] = 0;
		for (int c = 0; c < kb->nconditions; c++)
			if (!isnan(kb->conditions[c].prior[r]))
				kb->region_conditions[r][kb->nregion_conditions[r]++] = (short)c;
	}
	for (int f = 0; f < kb->nfindings; f++) {
		kb->by_key[f] = (short)f;
		kb->red_flag[f] = strcmp(kb->findings[f].group, "red_flags") == 0;
		memset(kb->finding_rules[f], 0, sizeof kb->finding_rules[f]);
		kb->finding_conditions[f] = 0;
	}
	for (int i = 0; i < kb->nrules; i++) {
		bool used[RC_TRIAGE_MAX_FINDINGS] = {0};
		mark_findings(kb->rules[i].when, used);
		for (int f = 0; f < kb->nfindings; f++)
			if (used[f])
				kb->finding_rules[f][i / 64] |= 1ULL << (i % 64);
	}
	for (int c = 0; c < kb->nconditions; c++) {
		bool used[RC_TRIAGE_MAX_FINDINGS] = {0};
		for (int e = 0; e < kb->conditions[c].nevidence; e++)
			mark_findings(kb->conditions[c].evidence[e].when, used);
		for (int f = 0; f < kb->nfindings; f++)
			if (used[f])
				kb->finding_conditions[f] |= 1ULL << c;
	}
	qsort_r(kb->by_key, (size_t)kb->nfindings, sizeof kb->by_key[0], by_key_order, kb);
	kb->prepared = true;
}

static void evaluate(const rc_triage_kb *kb, const rc_answers *a, rc_triage_result *out, double *scores, bool lists);

void rc_triage_eval(const rc_triage_kb *kb, const rc_answers *a, rc_triage_result *out)
{
	evaluate(kb, a, out, NULL, true);
}

void rc_triage_eval_scores(const rc_triage_kb *kb, const rc_answers *a, rc_triage_result *out, double *scores)
{
	evaluate(kb, a, out, scores, false);
}

/* lists: the risk factors and the unanswered warning signs too (a result shows them; choosing the next
 * question does not need them). */
static void evaluate(const rc_triage_kb *kb, const rc_answers *a, rc_triage_result *out, double *scores, bool lists)
{
	if (scores)
		for (int c = 0; c < kb->nconditions; c++)
			scores[c] = NAN;
	/* The counts say how much of each list holds; the lists themselves are written as they fill (the
	 * whole result is kilobytes, and the next question evaluates dozens). */
	out->nfired = out->nunknown_critical = out->nranked = out->nrisks = out->nunanswered = 0;
	int region = a->state[kb->region] == RC_ANS_VALUE ? a->value[kb->region] : -1;
	int level = -1;
	/* 1. Red flags, before anything else (in a region, only the rules that can fire there: the same
	 * ones, in the same order, as the others cannot hold). */
	bool by_region = kb->prepared && region >= 0;
	int nrules = by_region ? kb->nregion_rules[region] : kb->nrules;
	for (int k = 0; k < nrules; k++) {
		const rc_rule *rule = &kb->rules[by_region ? kb->region_rules[region][k] : k];
		rc_fired *f = &out->fired[out->nfired];
		trail t = {f->findings, 0, 8};
		if (!holds(rule->when, a, &t))
			continue;
		f->rule = rule;
		f->nfindings = t.n;
		f->by_unknown = false;
		out->nfired++;
		if ((int)rule->level > level)
			level = (int)rule->level;
	}
	/* 2. Conditions: the region's prior, the evidence, and weight from any flag that suspects it. */
	rc_ranked all[RC_TRIAGE_MAX_CONDITIONS];
	int n = 0;
	for (int c = 0; region >= 0 && c < kb->nconditions; c++) {
		const rc_condition *cd = &kb->conditions[c];
		if (isnan(cd->prior[region]))
			continue;
		rc_ranked *r = &all[n++];
		r->npro = r->ncon = 0; /* pro and con are written as they fill */
		r->condition = cd;
		r->score = cd->prior[region];
		for (int e = 0; e < cd->nevidence; e++) {
			int keys[8];
			trail t = {keys, 0, 8};
			if (!holds(cd->evidence[e].when, a, &t))
				continue;
			r->score += cd->evidence[e].weight;
			for (int k = 0; k < t.n; k++) {
				if (cd->evidence[e].weight > 0 && r->npro < 12)
					r->pro[r->npro++] = keys[k];
				else if (cd->evidence[e].weight < 0 && r->ncon < 12)
					r->con[r->ncon++] = keys[k];
			}
		}
		for (int i = 0; i < out->nfired; i++)
			if (out->fired[i].rule->suspect == c)
				r->score += 3 + (double)out->fired[i].rule->level;
	}
	/* A red flag's suspect outside this region's list still leads (e.g. saddle numbness with shin pain). */
	for (int i = 0; i < out->nfired && n < RC_TRIAGE_MAX_CONDITIONS; i++) {
		int s = out->fired[i].rule->suspect;
		bool present = s < 0;
		for (int k = 0; k < n && !present; k++)
			present = all[k].condition == &kb->conditions[s];
		if (!present) {
			memset(&all[n], 0, sizeof all[n]);
			all[n].condition = &kb->conditions[s];
			all[n].score = 3 + (double)out->fired[i].rule->level;
			n++;
		}
	}
	if (scores)
		for (int i = 0; i < n; i++)
			scores[all[i].condition - kb->conditions] = all[i].score;
	/* Highest score first (insertion sort: a few dozen at most); ties keep the knowledge's order. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && all[j - 1].score < all[j].score; j--) {
			rc_ranked tmp = all[j];
			all[j] = all[j - 1];
			all[j - 1] = tmp;
		}
	out->nranked = n < RC_TRIAGE_TOP ? n : RC_TRIAGE_TOP;
	memcpy(out->ranked, all, sizeof all[0] * (size_t)out->nranked);
	int by_flags = level < 0 ? RC_LEVEL_SELF_CARE : level;
	/* 3. The likely condition's own level counts too: over-triage is acceptable, under-triage is not. */
	if (out->nranked && (int)out->ranked[0].condition->base > level)
		level = (int)out->ranked[0].condition->base;
	if (level < 0)
		level = RC_LEVEL_SELF_CARE;
	/* 4. A time-critical red flag answered "don't know" counts one level higher. */
	bool raised = false;
	int ncritical = region < 0 ? 0 : kb->prepared ? kb->nregion_critical[region] : kb->nfindings;
	for (int i = 0; i < ncritical; i++) {
		int f = kb->prepared ? kb->region_critical[region][i] : i;
		if (a->state[f] != RC_ANS_UNKNOWN || !kb->time_critical[f][region])
			continue;
		if (out->nunknown_critical < 16)
			out->unknown_critical[out->nunknown_critical++] = f;
		raised = true;
	}
	if (raised && level < RC_LEVEL_EMERGENCY)
		level++;
	if (raised && by_flags < RC_LEVEL_EMERGENCY)
		by_flags++;
	out->urgency = (rc_level)level;
	out->flagged = (rc_level)by_flags;
	/* 5. Risk factors reported, and red-flag questions for this region nobody answered. */
	if (!lists)
		return;
	for (int i = 0; i < kb->nrisks; i++) {
		int f = kb->risks[i].finding;
		if (a->state[f] == RC_ANS_VALUE && a->value[f] == 1)
			out->risks[out->nrisks++] = &kb->risks[i];
	}
	if (region < 0)
		return;
	short here[RC_TRIAGE_MAX_FINDINGS];
	const short *red = kb->prepared ? kb->region_red[region] : here;
	int nred = kb->prepared ? kb->nregion_red[region] : red_flags_here(kb, region, here);
	for (int i = 0; i < nred; i++)
		if (a->state[red[i]] == RC_ANS_ABSENT || a->state[red[i]] == RC_ANS_SKIPPED)
			out->unanswered[out->nunanswered++] = red[i];
}

bool rc_triage_probe(const rc_triage_kb *kb, const rc_answers *a, const rc_answers *t, int f,
                     const rc_triage_result *cur, const double *base, double *scores, const rc_condition **lead,
                     rc_level *urgency)
{
	int region = a->state[kb->region] == RC_ANS_VALUE ? a->value[kb->region] : -1;
	/* A "don't know" can raise the level by itself: that is weighed in full. */
	if (!kb->prepared || region < 0 || f == kb->region || a->state[f] == RC_ANS_UNKNOWN ||
	    t->state[f] == RC_ANS_UNKNOWN)
		return false;
	/* 1. What fires with t, in rule order: the rules that name f weighed again, the others as they were.
	 * Mostly nothing changes there (no rule names f, or none turns), and the list is cur's. */
	const rc_rule *fired[RC_TRIAGE_MAX_RULES];
	int nfired = 0;
	bool turns = false;
	for (int w = 0; w < (RC_TRIAGE_MAX_RULES + 63) / 64 && !turns; w++)
		for (unsigned long long m = kb->finding_rules[f][w]; m && !turns; m &= m - 1) {
			const rc_rule *rule = &kb->rules[w * 64 + __builtin_ctzll(m)];
			bool was = false;
			for (int i = 0; i < cur->nfired && !was; i++)
				was = cur->fired[i].rule == rule;
			turns = was != holds(rule->when, t, NULL);
		}
	unsigned long long changed = 0; /* the suspects of the rules that now fire or no longer do */
	if (!turns) {
		for (int i = 0; i < cur->nfired; i++)
			fired[nfired++] = cur->fired[i].rule;
	} else {
		int was_at = 0;
		for (int k = 0; k < kb->nregion_rules[region]; k++) {
			int i = kb->region_rules[region][k];
			const rc_rule *rule = &kb->rules[i];
			bool was = was_at < cur->nfired && cur->fired[was_at].rule == rule;
			was_at += was;
			bool now = (kb->finding_rules[f][i / 64] >> (i % 64)) & 1 ? holds(rule->when, t, NULL) : was;
			if (now)
				fired[nfired++] = rule;
			if (now != was && rule->suspect >= 0)
				changed |= 1ULL << rule->suspect;
		}
	}
	/* 2. The region's conditions whose evidence names f, or whose suspecting rule changed, scored again as
	 * evaluate() scores them (the same sums in the same order: the same numbers); the others as they were. */
	memcpy(scores, base, sizeof scores[0] * (size_t)kb->nconditions);
	for (unsigned long long m = kb->finding_conditions[f] | changed; m; m &= m - 1) {
		int c = __builtin_ctzll(m);
		const rc_condition *cd = &kb->conditions[c];
		if (isnan(cd->prior[region]))
			continue;
		double sc = cd->prior[region];
		for (int e = 0; e < cd->nevidence; e++)
			if (holds(cd->evidence[e].when, t, NULL))
				sc += cd->evidence[e].weight;
		for (int i = 0; i < nfired; i++)
			if (fired[i]->suspect == c)
				sc += 3 + (double)fired[i]->level;
		scores[c] = sc;
	}
	/* A firing rule's suspect from elsewhere is weighed at its first rule's level. */
	int extra[RC_TRIAGE_MAX_RULES], nextra = 0;
	for (int i = 0; turns && i < cur->nfired; i++)
		if (cur->fired[i].rule->suspect >= 0 && isnan(kb->conditions[cur->fired[i].rule->suspect].prior[region]))
			scores[cur->fired[i].rule->suspect] = NAN;
	for (int i = 0; i < nfired; i++) {
		int c = fired[i]->suspect;
		if (c < 0 || !isnan(kb->conditions[c].prior[region]))
			continue;
		bool seen = false;
		for (int j = 0; j < nextra && !seen; j++)
			seen = extra[j] == c;
		if (seen)
			continue;
		scores[c] = 3 + (double)fired[i]->level;
		extra[nextra++] = c;
	}
	/* 3. The leader as the stable sort picks it: the first of the highest score, the region's conditions
	 * in order, then those from elsewhere. */
	const rc_condition *best = NULL;
	double top = 0;
	for (int k = 0; k < kb->nregion_conditions[region]; k++) {
		int c = kb->region_conditions[region][k];
		if (!best || scores[c] > top)
			best = &kb->conditions[c], top = scores[c];
	}
	for (int i = 0; i < nextra; i++)
		if (!best || scores[extra[i]] > top)
			best = &kb->conditions[extra[i]], top = scores[extra[i]];
	/* 4. The level: the warning signs', the leader's own, a time-critical "don't know" one higher. */
	int level = -1;
	for (int i = 0; i < nfired; i++)
		if ((int)fired[i]->level > level)
			level = (int)fired[i]->level;
	if (best && (int)best->base > level)
		level = (int)best->base;
	if (level < 0)
		level = RC_LEVEL_SELF_CARE;
	if (cur->nunknown_critical && level < RC_LEVEL_EMERGENCY)
		level++;
	*lead = best;
	*urgency = (rc_level)level;
	return true;
}

int rc_triage_questions(const rc_triage_kb *kb, const rc_answers *a, int *out, int max)
{
	static const char *const order[] = {"where", "red_flags", "story", "symptoms", "risk_factors", "about_you"};
	int region = a->state[kb->region] == RC_ANS_VALUE ? a->value[kb->region] : -1;
	if (kb->prepared && region >= 0) { /* they depend on the region alone */
		int n = kb->nregion_questions[region] < max ? kb->nregion_questions[region] : max;
		for (int i = 0; i < n; i++)
			out[i] = kb->region_questions[region][i];
		return n;
	}
	bool used[RC_TRIAGE_MAX_FINDINGS] = {0};
	if (region >= 0) {
		for (int i = 0; i < kb->nrules; i++)
			if (region_allows(kb->rules[i].when, region))
				mark_findings(kb->rules[i].when, used);
		for (int c = 0; c < kb->nconditions; c++) {
			if (isnan(kb->conditions[c].prior[region]))
				continue;
			for (int e = 0; e < kb->conditions[c].nevidence; e++)
				mark_findings(kb->conditions[c].evidence[e].when, used);
		}
		for (int i = 0; i < kb->nrisks; i++)
			used[kb->risks[i].finding] = true;
	}
	int n = 0;
	for (size_t g = 0; g < sizeof order / sizeof order[0]; g++)
		for (int f = 0; f < kb->nfindings && n < max; f++) {
			const rc_finding *fd = &kb->findings[f];
			if (strcmp(fd->group, order[g]) != 0)
				continue;
			/* Where it hurts and the basic story are always asked; the rest only when relevant. */
			bool always = f == kb->region || (region >= 0 && (strcmp(fd->group, "story") == 0 ||
			                                                  strcmp(fd->key, "age") == 0 || strcmp(fd->key, "sex") == 0 ||
			                                                  strcmp(fd->key, "side") == 0));
			if (region < 0 && f != kb->region)
				continue;
			if (always || used[f])
				out[n++] = f;
		}
	return n;
}
