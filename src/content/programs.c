/* programs.c — loads and checks the exercise library and the programs (see programs.h). */
#include "content/programs.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/content.h"

enum { MAX_EXERCISES = 200, MAX_PROGRAMS = 50 };

static const char *str(rc_programs *p, json_t *o, const char *k, bool required, const char *where, char *err,
                       size_t errlen, rc_err *e)
{
	json_t *v = json_object_get(o, k);
	if (!v && !required)
		return "";
	if (!json_is_string(v) || (required && !json_string_length(v))) {
		*e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' must be %stext", where, k, required ? "non-empty " : "");
		return NULL;
	}
	return rc_arena_strdup(&p->arena, json_string_value(v));
}

static bool num(json_t *o, const char *k, int lo, int hi, int *out, const char *where, char *err, size_t errlen,
                rc_err *e)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		*e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' must be a whole number from %d to %d", where, k, lo, hi);
		return false;
	}
	*out = (int)json_integer_value(v);
	return true;
}

static int list(rc_programs *p, json_t *o, const char *k, const char **out, int max, bool required,
                const char *where, char *err, size_t errlen, rc_err *e)
{
	json_t *a = json_object_get(o, k), *v;
	size_t i;
	if (!a && !required)
		return 0;
	if (!json_is_array(a) || json_array_size(a) > (size_t)max || (required && !json_array_size(a))) {
		*e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' must be a list of 1 to %d texts", where, k, max);
		return -1;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_string(v)) {
			*e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' item %zu must be text", where, k, i + 1);
			return -1;
		}
		out[i] = rc_arena_strdup(&p->arena, json_string_value(v));
	}
	return (int)json_array_size(a);
}

static json_t *load(rc_programs *p, const char *dir, const char *rel, const char *key, char *err, size_t errlen,
                    rc_err *e)
{
	const char *data;
	size_t len;
	if ((*e = rc_content_read(&p->arena, dir, rel, &data, &len, err, errlen)))
		return NULL;
	json_error_t je;
	json_t *root = json_loadb(data, len, 0, &je);
	if (!root) {
		*e = rc_errf(err, errlen, RC_EINVAL, "%s: line %d: %s", rel, je.line, je.text);
		return NULL;
	}
	if (key && !json_is_array(json_object_get(root, key))) {
		json_decref(root);
		*e = rc_errf(err, errlen, RC_EINVAL, "%s: the file must hold {\"%s\": [...]}", rel, key);
		return NULL;
	}
	return root;
}

static rc_err exercise(rc_programs *p, json_t *o, rc_exercise *x, char *err, size_t errlen)
{
	rc_err e = RC_OK;
	char where[160];
	json_t *k = json_object_get(o, "key");
	snprintf(where, sizeof where, "exercises.json: exercise '%s'", json_is_string(k) ? json_string_value(k) : "?");
	if (!(x->key = str(p, o, "key", true, where, err, errlen, &e)) ||
	    !(x->name = str(p, o, "name", true, where, err, errlen, &e)) ||
	    !(x->source = str(p, o, "source", true, where, err, errlen, &e)) ||
	    !(x->why = str(p, o, "why", false, where, err, errlen, &e)) ||
	    !(x->svg = str(p, o, "svg", false, where, err, errlen, &e)))
		return e;
	if ((x->nsteps = list(p, o, "steps", x->steps, RC_EX_MAX_LIST, true, where, err, errlen, &e)) < 0 ||
	    (x->nregions = list(p, o, "regions", x->regions, RC_EX_MAX_LIST, true, where, err, errlen, &e)) < 0 ||
	    (x->ncues = list(p, o, "cues", x->cues, RC_EX_MAX_LIST, false, where, err, errlen, &e)) < 0 ||
	    (x->navoid = list(p, o, "avoid", x->avoid, RC_EX_MAX_LIST, false, where, err, errlen, &e)) < 0)
		return e;
	/* A drawing is shown as it is: only a plain SVG line drawing is accepted. */
	if (x->svg[0] && (strncmp(x->svg, "<svg", 4) != 0 || strcasestr(x->svg, "script") || strcasestr(x->svg, " on") ||
	                  strcasestr(x->svg, "href") || strcasestr(x->svg, "style=") || strlen(x->svg) > 4000))
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'svg' must be a plain <svg> line drawing (no scripts, links, "
		                                      "styles or handlers)", where);
	json_t *stages = json_object_get(o, "stages"), *v;
	size_t i;
	if (!json_is_array(stages) || !json_array_size(stages))
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'stages' must list stage numbers 1 to %d", where,
		               RC_PROGRAM_MAX_STAGES);
	json_array_foreach(stages, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > RC_PROGRAM_MAX_STAGES)
			return rc_errf(err, errlen, RC_EINVAL, "%s: 'stages' must list stage numbers 1 to %d", where,
			               RC_PROGRAM_MAX_STAGES);
		x->stages |= 1u << json_integer_value(v);
	}
	json_t *d = json_object_get(o, "dosage");
	snprintf(where + strlen(where), sizeof where - strlen(where), " dosage");
	if (!json_is_object(d))
		return rc_errf(err, errlen, RC_EINVAL, "%s: missing", where);
	if (!num(d, "sets", 1, 10, &x->sets, where, err, errlen, &e) || !num(d, "reps", 1, 50, &x->reps, where, err, errlen, &e) ||
	    !num(d, "hold_s", 0, 120, &x->hold_s, where, err, errlen, &e) ||
	    !num(d, "rest_s", 0, 600, &x->rest_s, where, err, errlen, &e) ||
	    !num(d, "per_day", 1, RC_EX_MAX_PER_DAY, &x->per_day, where, err, errlen, &e))
		return e;
	x->every_other_day = json_is_true(json_object_get(d, "every_other_day"));
	return RC_OK;
}

static rc_err rules(json_t *o, rc_progress_rules *r, rc_programs *p, const char *where, char *err, size_t errlen)
{
	rc_err e = RC_OK;
	if (!num(o, "during_ok", 0, 10, &r->during_ok, where, err, errlen, &e) ||
	    !num(o, "during_max", r->during_ok, 10, &r->during_max, where, err, errlen, &e) ||
	    !num(o, "morning_worse", 1, 10, &r->morning_worse, where, err, errlen, &e) ||
	    !num(o, "sessions", 1, 60, &r->sessions, where, err, errlen, &e) ||
	    !num(o, "days", 1, 60, &r->days, where, err, errlen, &e) ||
	    !(r->source = str(p, o, "source", true, where, err, errlen, &e)))
		return e ? e : RC_EINVAL;
	return RC_OK;
}

static rc_err stage(rc_programs *p, json_t *o, rc_stage *s, int want_n, const char *prog, char *err, size_t errlen)
{
	rc_err e = RC_OK;
	char where[160];
	snprintf(where, sizeof where, "programs.json: program '%s' stage %d", prog, want_n);
	if (!num(o, "n", want_n, want_n, &s->n, where, err, errlen, &e))
		return rc_errf(err, errlen, RC_EINVAL, "%s: stages must be numbered 1, 2, 3 … in order", where);
	if (!(s->name = str(p, o, "name", true, where, err, errlen, &e)) ||
	    !(s->goal = str(p, o, "goal", true, where, err, errlen, &e)) ||
	    !(s->entry = str(p, o, "entry", true, where, err, errlen, &e)) ||
	    !(s->exit = str(p, o, "exit", true, where, err, errlen, &e)) ||
	    !(s->note = str(p, o, "note", false, where, err, errlen, &e)))
		return e;
	json_t *items = json_object_get(o, "exercises"), *v;
	size_t i;
	if (!json_is_array(items) || !json_array_size(items) || json_array_size(items) > RC_STAGE_MAX_ITEMS)
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'exercises' must list 1 to %d exercises", where,
		               RC_STAGE_MAX_ITEMS);
	json_array_foreach(items, i, v) {
		rc_stage_item *it = &s->items[i];
		const char *key = json_string_value(json_object_get(v, "key"));
		if (!key || !(it->ex = rc_exercise_find(p, key)))
			return rc_errf(err, errlen, RC_EINVAL, "%s: exercise %zu: '%s' is not in exercises.json", where, i + 1,
			               key ? key : "(no key)");
		it->sets = it->ex->sets;
		it->reps = it->ex->reps;
		it->hold_s = it->ex->hold_s;
		if ((json_object_get(v, "sets") && !num(v, "sets", 1, 10, &it->sets, where, err, errlen, &e)) ||
		    (json_object_get(v, "reps") && !num(v, "reps", 1, 50, &it->reps, where, err, errlen, &e)) ||
		    (json_object_get(v, "hold_s") && !num(v, "hold_s", 0, 120, &it->hold_s, where, err, errlen, &e)))
			return e;
		if (it->ex->per_day > s->per_day)
			s->per_day = it->ex->per_day;
		s->prescribed += it->sets * it->reps;
	}
	s->nitems = (int)json_array_size(items);
	return RC_OK;
}

rc_err rc_programs_load(const char *dir, rc_programs **out, char *err, size_t errlen)
{
	*out = NULL;
	rc_programs *p = calloc(1, sizeof *p);
	if (!p)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	rc_arena_init(&p->arena, 16 << 20);
	rc_err e = RC_OK;
	json_t *ex = load(p, dir, "exercises.json", "exercises", err, errlen, &e);
	json_t *pr = ex ? load(p, dir, "programs.json", "programs", err, errlen, &e) : NULL;
	json_t *pg = pr ? load(p, dir, "progression.json", NULL, err, errlen, &e) : NULL;
	if (!pg)
		goto done;
	json_t *arr = json_object_get(ex, "exercises"), *v;
	size_t i;
	p->nexercises = (int)json_array_size(arr);
	if (p->nexercises > MAX_EXERCISES) {
		e = rc_errf(err, errlen, RC_ETOOBIG, "exercises.json: more than %d exercises", MAX_EXERCISES);
		goto done;
	}
	p->exercises = rc_arena_alloc(&p->arena, sizeof *p->exercises * (size_t)(p->nexercises + 1));
	memset(p->exercises, 0, sizeof *p->exercises * (size_t)(p->nexercises + 1));
	json_array_foreach(arr, i, v) {
		if ((e = exercise(p, v, &p->exercises[i], err, errlen)))
			goto done;
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->exercises[j].key, p->exercises[i].key) == 0) {
				e = rc_errf(err, errlen, RC_EINVAL, "exercises.json: '%s' is listed twice", p->exercises[i].key);
				goto done;
			}
	}
	rc_progress_rules def;
	json_t *d = json_object_get(pg, "default");
	if ((e = rules(d, &def, p, "progression.json: default", err, errlen)))
		goto done;
	p->progression_about = str(p, pg, "about", false, "progression.json", err, errlen, &e);
	arr = json_object_get(pr, "programs");
	p->nprograms = (int)json_array_size(arr);
	if (p->nprograms > MAX_PROGRAMS) {
		e = rc_errf(err, errlen, RC_ETOOBIG, "programs.json: more than %d programs", MAX_PROGRAMS);
		goto done;
	}
	p->programs = rc_arena_alloc(&p->arena, sizeof *p->programs * (size_t)(p->nprograms + 1));
	memset(p->programs, 0, sizeof *p->programs * (size_t)(p->nprograms + 1));
	json_array_foreach(arr, i, v) {
		rc_program *g = &p->programs[i];
		char where[120];
		json_t *k = json_object_get(v, "key");
		snprintf(where, sizeof where, "programs.json: program '%s'", json_is_string(k) ? json_string_value(k) : "?");
		if (!(g->key = str(p, v, "key", true, where, err, errlen, &e)) ||
		    !(g->name = str(p, v, "name", true, where, err, errlen, &e)) ||
		    !(g->summary = str(p, v, "summary", true, where, err, errlen, &e)) ||
		    !(g->source = str(p, v, "source", true, where, err, errlen, &e)))
			goto done;
		if (strlen(g->key) > RC_PROGRAM_KEY_MAX) {
			e = rc_errf(err, errlen, RC_EINVAL, "%s: 'key' must be at most %d characters", where, RC_PROGRAM_KEY_MAX);
			goto done;
		}
		json_t *st = json_object_get(v, "stages"), *sv;
		size_t j;
		if (!json_is_array(st) || !json_array_size(st) || json_array_size(st) > RC_PROGRAM_MAX_STAGES) {
			e = rc_errf(err, errlen, RC_EINVAL, "%s: 'stages' must list 1 to %d stages", where, RC_PROGRAM_MAX_STAGES);
			goto done;
		}
		json_array_foreach(st, j, sv)
			if ((e = stage(p, sv, &g->stages[j], (int)j + 1, g->key, err, errlen)))
				goto done;
		g->nstages = (int)json_array_size(st);
		g->rules = def;
		json_t *own = json_object_get(json_object_get(pg, "programs"), g->key);
		if (own) {
			char w2[160];
			snprintf(w2, sizeof w2, "progression.json: programs.%s", g->key);
			if ((e = rules(own, &g->rules, p, w2, err, errlen)))
				goto done;
		}
	}
done:
	json_decref(ex);
	json_decref(pr);
	json_decref(pg);
	if (e) {
		rc_programs_free(p);
		return e;
	}
	*out = p;
	return RC_OK;
}

void rc_programs_free(rc_programs *p)
{
	if (!p)
		return;
	rc_arena_free(&p->arena);
	free(p);
}

const rc_program *rc_program_find(const rc_programs *p, const char *key)
{
	for (int i = 0; key && i < p->nprograms; i++)
		if (strcmp(p->programs[i].key, key) == 0)
			return &p->programs[i];
	return NULL;
}

const rc_exercise *rc_exercise_find(const rc_programs *p, const char *key)
{
	for (int i = 0; key && i < p->nexercises; i++)
		if (strcmp(p->exercises[i].key, key) == 0)
			return &p->exercises[i];
	return NULL;
}
