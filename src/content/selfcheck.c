/* selfcheck.c — the self-check's knowledge from content/selfcheck/: findings.json and
 * conditions.json (the shared vocabulary), redflags.jsonl, evidence.jsonl, riskfactors.jsonl
 * (one JSON object a line, so every error can name its line). */
#include "content/selfcheck.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

static const char *keep(rc_triage_kb *kb, const char *s)
{
	return s ? rc_arena_strdup(&kb->arena, s) : NULL;
}

/* --- conditions over findings ---------------------------------------------------------------- */

typedef struct {
	rc_triage_kb *kb;
	const char *file;
	int line;
	char *err;
	size_t errlen;
} ctx;

static int value_index(const rc_finding *f, json_t *v)
{
	if (f->type == RC_FT_BOOL)
		return json_is_boolean(v) ? json_is_true(v) : -1;
	if (f->type == RC_FT_INT)
		return json_is_integer(v) ? (int)json_integer_value(v) : INT32_MIN;
	for (int i = 0; json_is_string(v) && i < f->nvalues; i++)
		if (strcmp(f->values[i], json_string_value(v)) == 0)
			return i;
	return -1;
}

static rc_err bad(ctx *c, const char *fmt, const char *a, const char *b)
{
	char msg[300];
	snprintf(msg, sizeof msg, fmt, a, b ? b : "");
	return rc_errf(c->err, c->errlen, RC_EINVAL, "%s line %d: %s", c->file, c->line, msg);
}

static rc_err finding_of(ctx *c, json_t *v, int *out)
{
	*out = json_is_string(v) ? rc_triage_finding(c->kb, json_string_value(v)) : -1;
	if (*out < 0)
		return bad(c, "'%s' is not a finding in findings.json%s", json_is_string(v) ? json_string_value(v) : "?", NULL);
	return RC_OK;
}

static rc_err parse_cond(ctx *c, json_t *j, rc_cond **out, int depth)
{
	if (depth > RC_TRIAGE_MAX_DEPTH)
		return bad(c, "a condition is nested deeper than %s levels%s", "8", NULL);
	if (!json_is_object(j) || json_object_size(j) != 1)
		return bad(c, "a condition must be an object with one operator, e.g. {\"yes\": \"pop_or_snap\"}%s%s", "", NULL);
	const char *op = json_object_iter_key(json_object_iter(j));
	json_t *v = json_object_iter_value(json_object_iter(j));
	rc_cond *n = rc_arena_alloc(&c->kb->arena, sizeof *n);
	if (!n)
		return RC_ENOMEM;
	n->finding = -1;
	*out = n;
	static const struct {
		const char *name;
		rc_cop op;
	} ops[] = {{"all", RC_C_ALL}, {"any", RC_C_ANY}, {"not", RC_C_NOT}, {"count", RC_C_COUNT}, {"yes", RC_C_YES},
	           {"no", RC_C_NO}, {"has", RC_C_HAS}, {"eq", RC_C_EQ}, {"in", RC_C_IN}, {"ge", RC_C_GE},
	           {"le", RC_C_LE}, {"region", RC_C_REGION}};
	size_t k;
	for (k = 0; k < sizeof ops / sizeof ops[0]; k++)
		if (strcmp(op, ops[k].name) == 0)
			break;
	if (k == sizeof ops / sizeof ops[0])
		return bad(c, "'%s' is not an operator (all, any, not, count, yes, no, has, eq, in, ge, le, region)%s", op, NULL);
	n->op = ops[k].op;
	rc_err e;
	json_t *list = v;
	switch (n->op) {
	case RC_C_NOT:
		n->nkids = 1;
		return parse_cond(c, v, &n->kids[0], depth + 1);
	case RC_C_COUNT:
		if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_integer(json_array_get(v, 0)))
			return bad(c, "'count' takes [n, [conditions]]%s%s", "", NULL);
		n->n = (int)json_integer_value(json_array_get(v, 0));
		list = json_array_get(v, 1);
		/* fall through */
	case RC_C_ALL:
	case RC_C_ANY:
		if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > RC_TRIAGE_MAX_CHILDREN)
			return bad(c, "'%s' takes a list of 1 to 24 conditions%s", op, NULL);
		for (size_t i = 0; i < json_array_size(list); i++)
			if ((e = parse_cond(c, json_array_get(list, i), &n->kids[n->nkids++], depth + 1)))
				return e;
		return RC_OK;
	case RC_C_YES:
	case RC_C_NO:
	case RC_C_HAS:
		if ((e = finding_of(c, v, &n->finding)))
			return e;
		if (n->op != RC_C_HAS && c->kb->findings[n->finding].type != RC_FT_BOOL)
			return bad(c, "'%s' takes a yes/no finding, and '%s' is not one", op, c->kb->findings[n->finding].key);
		return RC_OK;
	case RC_C_REGION:
		n->finding = c->kb->region;
		if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > RC_TRIAGE_MAX_VALUES)
			return bad(c, "'region' takes a list of body-map regions%s%s", "", NULL);
		for (size_t i = 0; i < json_array_size(v); i++) {
			int x = value_index(&c->kb->findings[c->kb->region], json_array_get(v, i));
			if (x < 0)
				return bad(c, "'%s' is not a body-map region%s", json_string_value(json_array_get(v, i)) ?
				                                                    json_string_value(json_array_get(v, i)) : "?", NULL);
			n->values[n->n++] = x;
		}
		return RC_OK;
	default: /* eq, in, ge, le: [finding, value or [values]] */
		if (!json_is_array(v) || json_array_size(v) != 2)
			return bad(c, "'%s' takes [finding, value]%s", op, NULL);
		if ((e = finding_of(c, json_array_get(v, 0), &n->finding)))
			return e;
		const rc_finding *f = &c->kb->findings[n->finding];
		json_t *vals = json_array_get(v, 1);
		if ((n->op == RC_C_GE || n->op == RC_C_LE) && f->type != RC_FT_INT)
			return bad(c, "'%s' compares numbers, and '%s' is not a number", op, f->key);
		if (n->op == RC_C_IN) {
			if (!json_is_array(vals) || json_array_size(vals) > RC_TRIAGE_MAX_VALUES)
				return bad(c, "'in' takes [finding, [values]]%s%s", "", NULL);
		}
		size_t cnt = n->op == RC_C_IN ? json_array_size(vals) : 1;
		for (size_t i = 0; i < cnt; i++) {
			json_t *x = n->op == RC_C_IN ? json_array_get(vals, i) : vals;
			int idx = value_index(f, x);
			if (idx < 0 || idx == INT32_MIN)
				return bad(c, "a value given for '%s' is not one it can take%s", f->key, NULL);
			n->values[n->n++] = idx;
		}
		return RC_OK;
	}
}

/* --- the files ------------------------------------------------------------------------------- */

/* What the .jsonl files fill in, emptied before they are parsed (again). */
static void clear_rules(rc_triage_kb *kb)
{
	kb->prepared = false; /* every parse clears some of what the prepared tables were worked out from */
	memset(kb->rules, 0, sizeof kb->rules);
	kb->nrules = 0;
	memset(kb->time_critical, 0, sizeof kb->time_critical);
	kb->time_critical_source = NULL;
}

static void clear_evidence(rc_triage_kb *kb)
{
	kb->prepared = false;
	for (int i = 0; i < kb->nconditions; i++) {
		rc_condition *c = &kb->conditions[i];
		c->advice = c->program = c->source = "";
		memset(c->articles, 0, sizeof c->articles);
		c->narticles = c->recheck_days = c->nevidence = 0;
		memset(c->evidence, 0, sizeof c->evidence);
		for (int r = 0; r < RC_TRIAGE_MAX_VALUES; r++)
			c->prior[r] = NAN;
	}
}

static void clear_risks(rc_triage_kb *kb)
{
	kb->prepared = false;
	memset(kb->risks, 0, sizeof kb->risks);
	kb->nrisks = 0;
}

/* evidence.jsonl gives each condition one line, and every line a prior for at least one region. */
static bool has_evidence(const rc_condition *c)
{
	for (int r = 0; r < RC_TRIAGE_MAX_VALUES; r++)
		if (!isnan(c->prior[r]))
			return true;
	return false;
}

/* A value without words of its own, as words: "slip_into_split" reads "Slip into split". */
static const char *plain_words(rc_triage_kb *kb, const char *value)
{
	char *w = rc_arena_strdup(&kb->arena, value);
	for (char *c = w; c && *c; c++)
		if (*c == '_')
			*c = ' ';
	if (w && *w >= 'a' && *w <= 'z')
		*w = (char)(*w - 'a' + 'A');
	return w;
}

rc_err rc_selfcheck_parse_findings(rc_triage_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	memset(kb->findings, 0, sizeof kb->findings);
	kb->nfindings = 0;
	kb->region = -1;
	clear_rules(kb);
	clear_evidence(kb);
	clear_risks(kb);
	json_error_t je;
	json_t *root = json_loadb(f->data, f->len, 0, &je);
	json_t *list = root ? json_object_get(root, "findings") : NULL;
	if (!json_is_array(list)) {
		json_decref(root);
		return rc_errf(err, errlen, RC_EINVAL, "%s line %d: %s", f->name, root ? 1 : je.line,
		               root ? "'findings' must be a list" : je.text);
	}
	size_t i;
	json_t *x;
	rc_err e = RC_OK;
	json_array_foreach(list, i, x)
	{
		const char *key = json_string_value(json_object_get(x, "key")), *type = json_string_value(json_object_get(x, "type"));
		if (!key || !type || kb->nfindings == RC_TRIAGE_MAX_FINDINGS) {
			e = rc_errf(err, errlen, RC_EINVAL, "%s: finding %zu needs 'key' and 'type'", f->name, i);
			break;
		}
		rc_finding *fd = &kb->findings[kb->nfindings++];
		fd->key = keep(kb, key);
		fd->question = keep(kb, json_string_value(json_object_get(x, "question")));
		fd->group = keep(kb, json_string_value(json_object_get(x, "group")) ? json_string_value(json_object_get(x, "group")) : "");
		if (!fd->question)
			fd->question = fd->key;
		fd->unit = keep(kb, json_string_value(json_object_get(x, "unit")) ? json_string_value(json_object_get(x, "unit")) : "");
		if (strcmp(type, "bool") == 0) {
			fd->type = RC_FT_BOOL;
		} else if (strcmp(type, "int") == 0) {
			fd->type = RC_FT_INT;
			fd->min = (int)json_integer_value(json_object_get(x, "min"));
			fd->max = (int)json_integer_value(json_object_get(x, "max"));
		} else if (strcmp(type, "enum") == 0) {
			fd->type = RC_FT_ENUM;
			json_t *vals = json_object_get(x, "values"), *words = json_object_get(x, "words");
			size_t k;
			json_t *y;
			json_array_foreach(vals, k, y)
			{
				if (fd->nvalues < RC_TRIAGE_MAX_VALUES && json_is_string(y)) {
					const char *w = json_string_value(json_object_get(words, json_string_value(y)));
					fd->words[fd->nvalues] = w && *w ? keep(kb, w) : plain_words(kb, json_string_value(y));
					fd->values[fd->nvalues++] = keep(kb, json_string_value(y));
				}
			}
			const char *wk;
			json_t *wv;
			json_object_foreach(words, wk, wv)
			{
				bool known = false;
				for (int v = 0; v < fd->nvalues; v++)
					known |= strcmp(fd->values[v], wk) == 0;
				if (!known || !json_is_string(wv)) {
					e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' gives words for '%s', which is not one of its values",
					            f->name, key, wk);
					break;
				}
			}
			if (e)
				break;
		} else {
			e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' has type '%s' (bool, enum or int)", f->name, key, type);
			break;
		}
		if (strcmp(key, "region") == 0)
			kb->region = kb->nfindings - 1;
	}
	json_decref(root);
	if (!e && kb->region < 0)
		e = rc_errf(err, errlen, RC_EINVAL, "%s has no 'region' finding", f->name);
	return e;
}

rc_err rc_selfcheck_parse_conditions(rc_triage_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	memset(kb->conditions, 0, sizeof kb->conditions);
	kb->nconditions = 0;
	clear_rules(kb); /* a rule may name the condition it suspects */
	json_error_t je;
	json_t *root = json_loadb(f->data, f->len, 0, &je);
	json_t *list = root ? json_object_get(root, "conditions") : NULL;
	if (!json_is_array(list)) {
		json_decref(root);
		return rc_errf(err, errlen, RC_EINVAL, "%s line %d: %s", f->name, root ? 1 : je.line,
		               root ? "'conditions' must be a list" : je.text);
	}
	size_t i;
	json_t *x;
	rc_err e = RC_OK;
	json_array_foreach(list, i, x)
	{
		const char *key = json_string_value(json_object_get(x, "key"));
		int level = rc_level_parse(json_string_value(json_object_get(x, "usual_urgency")));
		if (!key || level < 0 || kb->nconditions == RC_TRIAGE_MAX_CONDITIONS) {
			e = rc_errf(err, errlen, RC_EINVAL,
			            "%s: condition %zu needs 'key' and 'usual_urgency' (self_care, soon, urgent, emergency)",
			            f->name, i);
			break;
		}
		rc_condition *c = &kb->conditions[kb->nconditions++];
		c->key = keep(kb, key);
		c->name = keep(kb, json_string_value(json_object_get(x, "name")) ? json_string_value(json_object_get(x, "name")) : key);
		c->group = keep(kb, json_string_value(json_object_get(x, "region_group")) ? json_string_value(json_object_get(x, "region_group")) : "");
		c->base = (rc_level)level;
	}
	clear_evidence(kb); /* from evidence.jsonl, parsed after */
	json_decref(root);
	return e;
}

/* Calls fn for each JSON object line of a .jsonl file; '#' lines and blank lines are skipped. */
static rc_err each_line(rc_triage_kb *kb, const rc_content_file *f, rc_err (*fn)(ctx *, json_t *), char *err,
                        size_t errlen)
{
	ctx c = {kb, f->name, 0, err, errlen};
	const char *p = f->data, *end = f->data + f->len;
	while (p < end) {
		c.line++;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *s = p;
		p += l + 1;
		while (l && (s[0] == ' ' || s[0] == '\t'))
			s++, l--;
		if (!l || s[0] == '#')
			continue;
		json_error_t je;
		json_t *j = json_loadb(s, l, JSON_REJECT_DUPLICATES, &je);
		if (!j || !json_is_object(j)) {
			rc_err e = rc_errf(err, errlen, RC_EINVAL, "%s line %d: %s", f->name, c.line,
			                   j ? "each line must be one JSON object" : je.text);
			json_decref(j);
			return e;
		}
		rc_err e = fn(&c, j);
		json_decref(j);
		if (e)
			return e;
	}
	return RC_OK;
}

static const char *need_string(ctx *c, json_t *j, const char *key, rc_err *e)
{
	const char *s = json_string_value(json_object_get(j, key));
	if (!s || !*s) {
		if (!*e)
			*e = bad(c, "'%s' is missing or not a non-empty string%s", key, NULL);
		return NULL;
	}
	return keep(c->kb, s);
}

/* A source is the publication a rule rests on, shown to the runner as it is written: never a file of
 * this project (a path, a README section), which means nothing to a person and hides the citation. */
static const char *need_source(ctx *c, json_t *j, rc_err *e)
{
	const char *s = need_string(c, j, "source", e);
	static const char *const files[] = {"README", ".md", ".json", "shared/", "clinical/"};
	for (size_t i = 0; s && !*e && i < sizeof files / sizeof files[0]; i++)
		if (strstr(s, files[i]))
			*e = bad(c, "'source' must cite the publication, not a file of this project ('%s')%s", files[i], NULL);
	return s;
}

static rc_err rule_line(ctx *c, json_t *j)
{
	rc_triage_kb *kb = c->kb;
	json_t *tc = json_object_get(j, "time_critical");
	if (tc) {
		if (!json_is_object(tc))
			return bad(c, "'time_critical' must map findings to lists of regions%s%s", "", NULL);
		const char *key;
		json_t *regs;
		json_object_foreach(tc, key, regs)
		{
			int f = rc_triage_finding(kb, key);
			if (f < 0)
				return bad(c, "'%s' in 'time_critical' is not a finding%s", key, NULL);
			size_t i;
			json_t *r;
			json_array_foreach(regs, i, r)
			{
				int x = value_index(&kb->findings[kb->region], r);
				if (x < 0)
					return bad(c, "'time_critical' names a region that is not on the body map (for '%s')%s", key, NULL);
				kb->time_critical[f][x] = true;
			}
		}
		rc_err e = RC_OK;
		kb->time_critical_source = need_source(c, j, &e);
		return e;
	}
	if (kb->nrules == RC_TRIAGE_MAX_RULES)
		return bad(c, "more than %s rules%s", "128", NULL);
	rc_rule *r = &kb->rules[kb->nrules];
	rc_err e = RC_OK;
	r->id = need_string(c, j, "id", &e);
	r->reason = need_string(c, j, "reason", &e);
	r->source = need_source(c, j, &e);
	const char *level = need_string(c, j, "level", &e);
	if (e)
		return e;
	int lv = rc_level_parse(level);
	if (lv < 0)
		return bad(c, "'level' must be one of emergency, urgent, soon, self_care, not '%s'%s", level, NULL);
	r->level = (rc_level)lv;
	const char *suspect = json_string_value(json_object_get(j, "suspect"));
	r->suspect = suspect && *suspect ? rc_triage_condition(kb, suspect) : -1;
	if (suspect && *suspect && r->suspect < 0)
		return bad(c, "'suspect' names '%s', which is not in conditions.json%s", suspect, NULL);
	json_t *ask = json_object_get(j, "ask");
	if (ask && !json_is_array(ask))
		return bad(c, "'ask' must be a list of body-map regions where the rule's questions are asked%s%s", "", NULL);
	for (size_t i = 0; i < json_array_size(ask); i++) {
		int x = value_index(&kb->findings[kb->region], json_array_get(ask, i));
		if (x < 0)
			return bad(c, "'ask' names '%s', which is not a body-map region%s",
			           json_string_value(json_array_get(ask, i)) ? json_string_value(json_array_get(ask, i)) : "?", NULL);
		r->ask[x] = true;
	}
	json_t *when = json_object_get(j, "when");
	if (!when)
		return bad(c, "'when' is missing%s%s", "", NULL);
	if ((e = parse_cond(c, when, &r->when, 0)))
		return e;
	kb->nrules++;
	return RC_OK;
}

static rc_err evidence_line(ctx *c, json_t *j)
{
	rc_triage_kb *kb = c->kb;
	rc_err e = RC_OK;
	const char *key = need_string(c, j, "key", &e);
	if (e)
		return e;
	int ci = rc_triage_condition(kb, key);
	if (ci < 0)
		return bad(c, "'key' names '%s', which is not in conditions.json%s", key, NULL);
	rc_condition *cd = &kb->conditions[ci];
	/* A second line would add its evidence to the first's, past what a condition holds. */
	if (has_evidence(cd))
		return bad(c, "'key' names '%s' a second time (one line for each condition)%s", key, NULL);
	cd->advice = need_string(c, j, "advice", &e);
	cd->source = need_source(c, j, &e);
	if (e)
		return e;
	const char *program = json_string_value(json_object_get(j, "program"));
	cd->program = keep(kb, program ? program : "");
	cd->recheck_days = (int)json_integer_value(json_object_get(j, "recheck_days"));
	json_t *arts = json_object_get(j, "articles");
	for (size_t i = 0; i < json_array_size(arts) && cd->narticles < 4; i++)
		if (json_is_string(json_array_get(arts, i)))
			cd->articles[cd->narticles++] = keep(kb, json_string_value(json_array_get(arts, i)));
	json_t *regions = json_object_get(j, "regions");
	if (!json_is_object(regions) || json_object_size(regions) == 0)
		return bad(c, "'regions' must map body-map regions to a prior weight%s%s", "", NULL);
	const char *rk;
	json_t *rv;
	json_object_foreach(regions, rk, rv)
	{
		json_t *name = json_string(rk);
		int x = value_index(&kb->findings[kb->region], name);
		json_decref(name);
		if (x < 0 || !json_is_number(rv))
			return bad(c, "'regions': '%s' is not a body-map region with a number%s", rk, NULL);
		cd->prior[x] = json_number_value(rv);
	}
	json_t *ev = json_object_get(j, "evidence");
	if (!json_is_array(ev) || json_array_size(ev) > RC_TRIAGE_MAX_EVIDENCE)
		return bad(c, "'evidence' must be a list of up to %s items%s", "48", NULL);
	size_t i;
	json_t *x;
	json_array_foreach(ev, i, x)
	{
		json_t *w = json_object_get(x, "w");
		if (!json_is_number(w))
			return bad(c, "each 'evidence' item needs a number 'w'%s%s", "", NULL);
		rc_evidence *item = &cd->evidence[cd->nevidence++];
		item->weight = json_number_value(w);
		if ((e = parse_cond(c, json_object_get(x, "when"), &item->when, 0)))
			return e;
	}
	return RC_OK;
}

static rc_err risk_line(ctx *c, json_t *j)
{
	rc_triage_kb *kb = c->kb;
	if (kb->nrisks == RC_TRIAGE_MAX_RISKS)
		return bad(c, "more than %s risk factors%s", "32", NULL);
	rc_risk *r = &kb->risks[kb->nrisks];
	rc_err e = RC_OK;
	const char *key = need_string(c, j, "key", &e);
	r->name = need_string(c, j, "name", &e);
	r->advice = need_string(c, j, "advice", &e);
	r->source = need_source(c, j, &e);
	if (e)
		return e;
	r->finding = rc_triage_finding(kb, key);
	if (r->finding < 0 || kb->findings[r->finding].type != RC_FT_BOOL)
		return bad(c, "'key' names '%s', which is not a yes/no finding%s", key, NULL);
	kb->nrisks++;
	return RC_OK;
}

rc_err rc_selfcheck_parse_redflags(rc_triage_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	clear_rules(kb);
	return each_line(kb, f, rule_line, err, errlen);
}

rc_err rc_selfcheck_parse_evidence(rc_triage_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	clear_evidence(kb);
	return each_line(kb, f, evidence_line, err, errlen);
}

rc_err rc_selfcheck_parse_riskfactors(rc_triage_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	clear_risks(kb);
	return each_line(kb, f, risk_line, err, errlen);
}

rc_err rc_selfcheck_link(const rc_triage_kb *kb, char *err, size_t errlen)
{
	for (int i = 0; i < kb->nconditions; i++)
		if (!has_evidence(&kb->conditions[i]))
			return rc_errf(err, errlen, RC_EINVAL, "selfcheck/evidence.jsonl has no line for condition '%s'",
			               kb->conditions[i].key);
	return RC_OK;
}

static rc_err parse_nth(void *kb, size_t i, const rc_content_file *f, char *err, size_t errlen)
{
	static rc_err (*const parse[])(rc_triage_kb *, const rc_content_file *, char *, size_t) = {
		rc_selfcheck_parse_findings, rc_selfcheck_parse_conditions, rc_selfcheck_parse_redflags,
		rc_selfcheck_parse_evidence, rc_selfcheck_parse_riskfactors};
	return parse[i](kb, f, err, errlen);
}

rc_err rc_selfcheck_load(const char *dir, rc_triage_kb **out, char *err, size_t errlen)
{
	static const char *const names[] = {"selfcheck/findings.json", "selfcheck/conditions.json",
	                                    "selfcheck/redflags.jsonl", "selfcheck/evidence.jsonl",
	                                    "selfcheck/riskfactors.jsonl"};
	*out = NULL;
	rc_triage_kb *kb = calloc(1, sizeof *kb);
	if (!kb)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	rc_arena_init(&kb->arena, 0);
	rc_err e = rc_content_parse_files(dir, names, sizeof names / sizeof names[0], parse_nth, kb, err, errlen);
	if (!e)
		e = rc_selfcheck_link(kb, err, errlen);
	if (e) {
		rc_selfcheck_free(kb);
		return e;
	}
	rc_triage_prepare(kb);
	*out = kb;
	return RC_OK;
}

void rc_selfcheck_free(rc_triage_kb *kb)
{
	if (!kb)
		return;
	rc_arena_free(&kb->arena);
	free(kb);
}

/* --- answers in, results out ------------------------------------------------------------------ */

static void allowed(const rc_finding *f, char *buf, size_t n)
{
	if (f->type == RC_FT_BOOL) {
		snprintf(buf, n, "true, false or null (don't know)");
	} else if (f->type == RC_FT_INT) {
		snprintf(buf, n, "a whole number from %d to %d, or null", f->min, f->max);
	} else {
		size_t used = 0;
		for (int i = 0; i < f->nvalues && used < n; i++)
			used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "one of ", f->values[i]);
		if (used < n)
			snprintf(buf + used, n - used, ", or null");
	}
}

rc_err rc_selfcheck_answers(const rc_triage_kb *kb, json_t *obj, rc_answers *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (json_is_object(obj) && json_is_object(json_object_get(obj, "answers")))
		obj = json_object_get(obj, "answers");
	if (!json_is_object(obj))
		return rc_errf(err, errlen, RC_EINVAL, "the answers must be a JSON object of finding: value");
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		int f = rc_triage_finding(kb, key);
		if (f < 0)
			return rc_errf(err, errlen, RC_EINVAL, "'%s' is not a question runcare asks (see GET /api/selfcheck/questions)",
			               key);
		if (json_is_null(v)) {
			out->state[f] = RC_ANS_UNKNOWN;
			continue;
		}
		const rc_finding *fd = &kb->findings[f];
		int x = value_index(fd, v);
		bool ok = fd->type == RC_FT_INT ? (x != INT32_MIN && x >= fd->min && x <= fd->max) : x >= 0;
		if (!ok) {
			char what[400];
			allowed(fd, what, sizeof what);
			return rc_errf(err, errlen, RC_EINVAL, "'%s' must be %s", key, what);
		}
		out->state[f] = RC_ANS_VALUE;
		out->value[f] = x;
	}
	return RC_OK;
}

rc_err rc_selfcheck_answer_text(const rc_triage_kb *kb, int f, const char *text, rc_answers *a, char *err, size_t errlen)
{
	const rc_finding *fd = &kb->findings[f];
	if (!text || !*text) {
		a->state[f] = RC_ANS_ABSENT;
		return RC_OK;
	}
	if (strcmp(text, "unknown") == 0 || strcmp(text, "null") == 0 || strcmp(text, "?") == 0) {
		a->state[f] = RC_ANS_UNKNOWN;
		return RC_OK;
	}
	int x = -1;
	if (fd->type == RC_FT_BOOL) {
		if (strcmp(text, "yes") == 0 || strcmp(text, "true") == 0 || strcmp(text, "y") == 0)
			x = 1;
		else if (strcmp(text, "no") == 0 || strcmp(text, "false") == 0 || strcmp(text, "n") == 0)
			x = 0;
	} else if (fd->type == RC_FT_INT) {
		char *end;
		long v = strtol(text, &end, 10);
		if (!*end && end != text && v >= fd->min && v <= fd->max)
			x = (int)v;
		else
			x = INT32_MIN;
	} else {
		for (int i = 0; i < fd->nvalues; i++)
			if (strcmp(fd->values[i], text) == 0)
				x = i;
	}
	if (x < 0) {
		/* Typed or chosen on a page: "null" means nothing to a person; leaving it empty does. */
		if (fd->type == RC_FT_INT)
			return rc_errf(err, errlen, RC_EINVAL, "'%s' must be a whole number from %d to %d (or leave it empty)",
			               fd->key, fd->min, fd->max);
		char what[400];
		allowed(fd, what, sizeof what);
		char *null = strstr(what, ", or null");
		if (null)
			*null = '\0';
		return rc_errf(err, errlen, RC_EINVAL, "'%s' must be %s", fd->key, fd->type == RC_FT_BOOL ? "yes, no or unknown" : what);
	}
	a->state[f] = RC_ANS_VALUE;
	a->value[f] = x;
	return RC_OK;
}

rc_err rc_selfcheck_validate(const rc_triage_kb *kb, const rc_answers *a, int *bad, char *err, size_t errlen)
{
	int other;
	const char *why;
	*bad = rc_triage_clash(kb, a, &other, &why);
	if (*bad >= 0)
		return rc_errf(err, errlen, RC_EINVAL, "'%s' and '%s' contradict each other (%s): correct one of them",
		               kb->findings[*bad].key, kb->findings[other].key, why);
	*bad = rc_triage_foreign(kb, a);
	if (*bad >= 0)
		return rc_errf(err, errlen, RC_EINVAL, "'%s' is a question about another part of the body, not asked about "
		               "'%s': answer it for the region where it hurts",
		               kb->findings[*bad].key, kb->findings[kb->region].values[a->value[kb->region]]);
	return RC_OK;
}

const char *rc_selfcheck_answer_words(const rc_triage_kb *kb, const rc_answers *a, int f, char *buf, size_t n)
{
	const rc_finding *fd = &kb->findings[f];
	if (a->state[f] == RC_ANS_UNKNOWN)
		return "I don't know";
	if (a->state[f] != RC_ANS_VALUE)
		return "Not answered";
	if (fd->type == RC_FT_BOOL)
		return a->value[f] ? "Yes" : "No";
	if (fd->type == RC_FT_ENUM)
		return fd->words[a->value[f]];
	snprintf(buf, n, "%d%s%s", a->value[f], fd->unit[0] ? " " : "", fd->unit);
	return buf;
}

json_t *rc_selfcheck_answers_json(const rc_triage_kb *kb, const rc_answers *a)
{
	json_t *o = json_object();
	for (int f = 0; f < kb->nfindings; f++) {
		const rc_finding *fd = &kb->findings[f];
		if (a->state[f] == RC_ANS_UNKNOWN)
			json_object_set_new(o, fd->key, json_null());
		else if (a->state[f] == RC_ANS_VALUE)
			json_object_set_new(o, fd->key,
			                    fd->type == RC_FT_BOOL  ? json_boolean(a->value[f])
			                    : fd->type == RC_FT_INT ? json_integer(a->value[f])
			                                            : json_string(fd->values[a->value[f]]));
	}
	return o;
}

const char *rc_selfcheck_action(rc_level l)
{
	switch (l) {
	case RC_LEVEL_EMERGENCY:
		return "Call 911 or go to the emergency department now.";
	case RC_LEVEL_URGENT:
		return "See a doctor today, or within 24 hours at most.";
	case RC_LEVEL_SOON:
		return "Book a clinician within the next few days, and stop the activity that provokes it until then.";
	default:
		return "Look after it at home with the program below, and book the clinic if it is not improving in 2 to 6 "
		       "weeks or a warning sign appears.";
	}
}

/* --- the result as JSON text, written straight into a buffer -------------------------------------- */

/* A writer that gathers the text in a chunk on the stack and hands it to the buffer a chunk at a time:
 * an answer is a few hundred small pieces, each one too small to be worth a call into rc_buf. The first
 * failure sticks (the buffer's maximum, or memory); nothing after it is written. */
typedef struct {
	rc_buf *out;
	size_t n;
	rc_err e;
	char chunk[4096];
} jw;

static void jw_flush(jw *w)
{
	if (!w->e && w->n)
		w->e = rc_buf_put(w->out, w->chunk, w->n);
	w->n = 0;
}

static void jw_put(jw *w, const char *p, size_t len)
{
	if (w->n + len > sizeof w->chunk) {
		jw_flush(w);
		if (len > sizeof w->chunk) {
			if (!w->e)
				w->e = rc_buf_put(w->out, p, len);
			return;
		}
	}
	memcpy(w->chunk + w->n, p, len);
	w->n += len;
}

static void jw_c(jw *w, char c)
{
	if (w->n == sizeof w->chunk)
		jw_flush(w);
	w->chunk[w->n++] = c;
}

#define jw_lit(w, s) jw_put((w), "" s "", sizeof(s) - 1)

static void jw_int(jw *w, int v)
{
	char num[16];
	int n = snprintf(num, sizeof num, "%d", v);
	jw_put(w, num, (size_t)n);
}

/* A JSON string, ASCII only (as JSON_ENSURE_ASCII writes it): the knowledge's text is UTF-8, checked
 * when it is loaded; a byte that does not start a valid sequence is written as U+FFFD. */
static void put_str(jw *w, const char *s)
{
	jw_c(w, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		/* Plain ASCII goes out a run at a time; only what needs escaping one by one. */
		size_t run = 0;
		while (p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
			run++;
		if (run) {
			jw_put(w, (const char *)p, run);
			p += run;
			continue;
		}
		unsigned c = *p, len = 1;
		char esc[16];
		if (c >= 0x80) {
			len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
			unsigned cp = len ? c & (0x3f >> (len - 1)) : 0xfffd;
			for (unsigned i = 1; i < len; i++) {
				if ((p[i] & 0xc0) != 0x80) {
					len = 1, cp = 0xfffd;
					break;
				}
				cp = cp << 6 | (p[i] & 0x3f);
			}
			if (!len)
				len = 1;
			if (cp >= 0x10000) {
				cp -= 0x10000;
				jw_put(w, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04X\\u%04X", 0xd800 | (cp >> 10), 0xdc00 | (cp & 0x3ff)));
			} else {
				jw_put(w, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04X", cp));
			}
		} else if (c == '"' || c == '\\') {
			jw_c(w, '\\');
			jw_c(w, (char)c);
		} else {
			char e = c == '\b' ? 'b' : c == '\t' ? 't' : c == '\n' ? 'n' : c == '\f' ? 'f' : c == '\r' ? 'r' : 0;
			if (e)
				jw_c(w, '\\'), jw_c(w, e);
			else
				jw_put(w, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04X", c));
		}
		p += len;
	}
	jw_c(w, '"');
}

static void put_keys(jw *w, const rc_triage_kb *kb, const int *f, int n)
{
	jw_c(w, '[');
	for (int i = 0; i < n; i++) {
		if (i)
			jw_c(w, ',');
		put_str(w, kb->findings[f[i]].key);
	}
	jw_c(w, ']');
}

/* "key": as the start of a member, after a comma unless it is the first. */
static void put_key(jw *w, const char *key, bool first)
{
	if (!first)
		jw_c(w, ',');
	put_str(w, key);
	jw_c(w, ':');
}

static void put_flag(jw *w, const rc_triage_kb *kb, const char *id, const int *f, int n, rc_level level,
                     const char *reason, const char *source)
{
	jw_c(w, '{');
	put_key(w, "id", true);
	put_str(w, id);
	put_key(w, "findings", false);
	put_keys(w, kb, f, n);
	put_key(w, "level", false);
	put_str(w, rc_level_name(level));
	put_key(w, "reason", false);
	put_str(w, reason);
	put_key(w, "source", false);
	put_str(w, source);
	jw_c(w, '}');
}

static void put_result(jw *w, const rc_triage_kb *kb, const rc_triage_result *r)
{
	jw_c(w, '{');
	put_key(w, "urgency", true);
	put_str(w, rc_level_name(r->urgency));
	put_key(w, "red_flags", false);
	jw_c(w, '[');
	for (int i = 0; i < r->nfired; i++) {
		const rc_fired *f = &r->fired[i];
		if (i)
			jw_c(w, ',');
		put_flag(w, kb, f->rule->id, f->findings, f->nfindings, f->rule->level, f->rule->reason, f->rule->source);
	}
	if (r->nunknown_critical) {
		if (r->nfired)
			jw_c(w, ',');
		put_flag(w, kb, "dont_know_time_critical", r->unknown_critical, r->nunknown_critical, r->urgency,
		         "You were not sure about a warning sign that cannot wait, so the advice is one level more urgent "
		         "than it would otherwise be.",
		         kb->time_critical_source ? kb->time_critical_source : "");
	}
	jw_c(w, ']');
	put_key(w, "conditions", false);
	jw_c(w, '[');
	for (int i = 0; i < r->nranked; i++) {
		const rc_ranked *c = &r->ranked[i];
		char score[40];
		snprintf(score, sizeof score, "%.17g", c->score);
		if (!strpbrk(score, ".eEni")) /* a real stays a real: 3 reads 3.0, as jansson writes it */
			snprintf(score + strlen(score), sizeof score - strlen(score), ".0");
		if (i)
			jw_c(w, ',');
		jw_c(w, '{');
		put_key(w, "key", true);
		put_str(w, c->condition->key);
		put_key(w, "name", false);
		put_str(w, c->condition->name);
		put_key(w, "score", false);
		jw_put(w, score, strlen(score));
		put_key(w, "usual_urgency", false);
		put_str(w, rc_level_name(c->condition->base));
		put_key(w, "for", false);
		put_keys(w, kb, c->pro, c->npro);
		put_key(w, "against", false);
		put_keys(w, kb, c->con, c->ncon);
		jw_c(w, '}');
	}
	jw_c(w, ']');
	put_key(w, "risk_factors", false);
	jw_c(w, '[');
	for (int i = 0; i < r->nrisks; i++) {
		const rc_risk *k = r->risks[i];
		if (i)
			jw_c(w, ',');
		jw_c(w, '{');
		put_key(w, "key", true);
		put_str(w, kb->findings[k->finding].key);
		put_key(w, "name", false);
		put_str(w, k->name);
		put_key(w, "advice", false);
		put_str(w, k->advice);
		put_key(w, "source", false);
		put_str(w, k->source);
		jw_c(w, '}');
	}
	jw_c(w, ']');
	const rc_condition *top = r->nranked ? r->ranked[0].condition : NULL;
	int recheck = top && top->recheck_days ? top->recheck_days : 14;
	if (r->urgency >= RC_LEVEL_URGENT)
		recheck = 0;
	/* An emergency is a call, not a booking; and no unanswered question could make it more urgent. */
	bool emergency = r->urgency == RC_LEVEL_EMERGENCY, book = r->urgency == RC_LEVEL_SOON || r->urgency == RC_LEVEL_URGENT;
	put_key(w, "plan", false);
	jw_c(w, '{');
	put_key(w, "now", true);
	put_str(w, rc_selfcheck_action(r->urgency));
	put_key(w, "advice", false);
	put_str(w, top ? top->advice : "Rest from what provokes it and book the clinic if it persists.");
	put_key(w, "program", false);
	if (top && top->program[0])
		put_str(w, top->program);
	else
		jw_lit(w, "null");
	put_key(w, "recheck_in_days", false);
	jw_int(w, recheck);
	put_key(w, "book", false);
	if (book)
		jw_lit(w, "true");
	else
		jw_lit(w, "false");
	put_key(w, "articles", false);
	jw_c(w, '[');
	for (int i = 0; top && i < top->narticles; i++) {
		if (i)
			jw_c(w, ',');
		put_str(w, top->articles[i]);
	}
	jw_c(w, ']');
	if (emergency) {
		put_key(w, "call", false);
		put_str(w, "911");
	}
	jw_c(w, '}');
	put_key(w, "unanswered_red_flags", false);
	put_keys(w, kb, r->unanswered, emergency ? 0 : r->nunanswered);
	jw_c(w, '}');
}

rc_err rc_selfcheck_result_write(const rc_triage_kb *kb, const rc_triage_result *r, rc_buf *b)
{
	jw w = {.out = b};
	put_result(&w, kb, r);
	jw_flush(&w);
	return w.e;
}

rc_err rc_selfcheck_next_write(const rc_triage_kb *kb, const rc_next *nx, const rc_triage_result *r, int asked,
                               rc_buf *b)
{
	jw w = {.out = b};
	jw_c(&w, '{');
	if (nx->done) {
		put_key(&w, "result", true);
		put_result(&w, kb, r);
	} else {
		const rc_finding *fd = &kb->findings[nx->finding];
		put_key(&w, "question", true);
		jw_c(&w, '{');
		put_key(&w, "key", true);
		put_str(&w, fd->key);
		put_key(&w, "type", false);
		put_str(&w, fd->type == RC_FT_BOOL ? "bool" : fd->type == RC_FT_INT ? "int" : "enum");
		put_key(&w, "text", false);
		put_str(&w, fd->question);
		put_key(&w, "group", false);
		put_str(&w, fd->group);
		put_key(&w, "warning", false);
		if (nx->warning)
			jw_lit(&w, "true");
		else
			jw_lit(&w, "false");
		put_key(&w, "choices", false);
		jw_c(&w, '[');
		if (fd->type == RC_FT_BOOL)
			jw_lit(&w, "{\"value\":true,\"words\":\"Yes\"},{\"value\":false,\"words\":\"No\"},");
		else if (fd->type == RC_FT_ENUM)
			for (int i = 0; i < fd->nvalues; i++) {
				jw_c(&w, '{');
				put_key(&w, "value", true);
				put_str(&w, fd->values[i]);
				put_key(&w, "words", false);
				put_str(&w, fd->words[i]);
				jw_lit(&w, "},");
			}
		jw_lit(&w, "{\"value\":null,\"words\":\"I don't know\"}]");
		if (fd->type == RC_FT_INT) {
			put_key(&w, "min", false);
			jw_int(&w, fd->min);
			put_key(&w, "max", false);
			jw_int(&w, fd->max);
			put_key(&w, "unit", false);
			put_str(&w, fd->unit);
		}
		jw_c(&w, '}');
	}
	put_key(&w, "asked", false);
	jw_int(&w, asked);
	jw_c(&w, '}');
	jw_flush(&w);
	return w.e;
}

json_t *rc_selfcheck_result_json(const rc_triage_kb *kb, const rc_triage_result *r)
{
	/* One writer for both: the API sends the text as it is; history and the terminal take it parsed. */
	rc_buf b;
	rc_buf_init(&b, RC_SELFCHECK_RESULT_MAX);
	json_error_t je;
	json_t *j = rc_selfcheck_result_write(kb, r, &b) ? NULL : json_loadb(b.data, b.len, 0, &je);
	rc_buf_free(&b);
	return j;
}
