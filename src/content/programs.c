/* programs.c — loads and checks the exercise library and the programs (see programs.h). */
#include "content/programs.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	const char *s = rc_arena_strdup(&p->arena, json_string_value(v));
	if (!s)
		*e = rc_errf(err, errlen, RC_ENOMEM, "%s: out of memory", where);
	return s;
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

/* A file's JSON, an object holding a list under key when key is given. */
static json_t *load(const rc_content_file *f, const char *key, char *err, size_t errlen, rc_err *e)
{
	json_error_t je;
	json_t *root = json_loadb(f->data, f->len, 0, &je);
	if (!root) {
		*e = rc_errf(err, errlen, RC_EINVAL, "%s: line %d: %s", f->name, je.line, je.text);
		return NULL;
	}
	if (key && !json_is_array(json_object_get(root, key))) {
		json_decref(root);
		*e = rc_errf(err, errlen, RC_EINVAL, "%s: the file must hold {\"%s\": [...]}", f->name, key);
		return NULL;
	}
	return root;
}

static rc_err exercise(rc_programs *p, const char *file, json_t *o, rc_exercise *x, char *err, size_t errlen)
{
	rc_err e = RC_OK;
	char where[160];
	json_t *k = json_object_get(o, "key");
	snprintf(where, sizeof where, "%s: exercise '%s'", file, json_is_string(k) ? json_string_value(k) : "?");
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

static rc_err stage(rc_programs *p, const char *file, json_t *o, rc_stage *s, int want_n, const char *prog,
                    char *err, size_t errlen)
{
	rc_err e = RC_OK;
	char where[160];
	snprintf(where, sizeof where, "%s: program '%s' stage %d", file, prog, want_n);
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
		if (!key || !*key)
			return rc_errf(err, errlen, RC_EINVAL, "%s: exercise %zu: '%s' is not in exercises.json", where, i + 1,
			               "(no key)");
		if (!(it->key = rc_arena_strdup(&p->arena, key)))
			return rc_errf(err, errlen, RC_ENOMEM, "%s: out of memory", file);
		it->own_sets = it->own_reps = it->own_hold_s = -1;
		if ((json_object_get(v, "sets") && !num(v, "sets", 1, 10, &it->own_sets, where, err, errlen, &e)) ||
		    (json_object_get(v, "reps") && !num(v, "reps", 1, 50, &it->own_reps, where, err, errlen, &e)) ||
		    (json_object_get(v, "hold_s") && !num(v, "hold_s", 0, 120, &it->own_hold_s, where, err, errlen, &e)))
			return e;
	}
	s->nitems = (int)json_array_size(items);
	return RC_OK;
}

rc_err rc_programs_parse_exercises(rc_programs *p, const rc_content_file *f, char *err, size_t errlen)
{
	p->exercises = NULL;
	p->nexercises = 0;
	rc_err e = RC_OK;
	json_t *root = load(f, "exercises", err, errlen, &e), *arr = json_object_get(root, "exercises"), *v;
	if (!root)
		return e;
	size_t i, n = json_array_size(arr);
	rc_exercise *xs = NULL;
	if (n > MAX_EXERCISES) {
		e = rc_errf(err, errlen, RC_ETOOBIG, "%s: more than %d exercises", f->name, MAX_EXERCISES);
		goto done;
	}
	if (!(xs = rc_arena_alloc(&p->arena, sizeof *xs * (n + 1)))) {
		e = rc_errf(err, errlen, RC_ENOMEM, "%s: out of memory", f->name);
		goto done;
	}
	json_array_foreach(arr, i, v) {
		if ((e = exercise(p, f->name, v, &xs[i], err, errlen)))
			goto done;
		for (size_t j = 0; j < i; j++)
			if (strcmp(xs[j].key, xs[i].key) == 0) {
				e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' is listed twice", f->name, xs[i].key);
				goto done;
			}
	}
	p->exercises = xs;
	p->nexercises = (int)n;
done:
	json_decref(root);
	return e;
}

rc_err rc_programs_parse_programs(rc_programs *p, const rc_content_file *f, char *err, size_t errlen)
{
	p->programs = NULL;
	p->nprograms = 0;
	rc_err e = RC_OK;
	json_t *root = load(f, "programs", err, errlen, &e), *arr = json_object_get(root, "programs"), *v;
	if (!root)
		return e;
	size_t i, n = json_array_size(arr);
	rc_program *gs = NULL;
	if (n > MAX_PROGRAMS) {
		e = rc_errf(err, errlen, RC_ETOOBIG, "%s: more than %d programs", f->name, MAX_PROGRAMS);
		goto done;
	}
	if (!(gs = rc_arena_alloc(&p->arena, sizeof *gs * (n + 1)))) {
		e = rc_errf(err, errlen, RC_ENOMEM, "%s: out of memory", f->name);
		goto done;
	}
	json_array_foreach(arr, i, v) {
		rc_program *g = &gs[i];
		char where[120];
		json_t *k = json_object_get(v, "key");
		snprintf(where, sizeof where, "%s: program '%s'", f->name, json_is_string(k) ? json_string_value(k) : "?");
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
			if ((e = stage(p, f->name, sv, &g->stages[j], (int)j + 1, g->key, err, errlen)))
				goto done;
		g->nstages = (int)json_array_size(st);
	}
	p->programs = gs;
	p->nprograms = (int)n;
done:
	json_decref(root);
	return e;
}

rc_err rc_programs_parse_progression(rc_programs *p, const rc_content_file *f, char *err, size_t errlen)
{
	memset(&p->progression_default, 0, sizeof p->progression_default);
	p->progression_about = "";
	p->progression_own = NULL;
	p->nprogression_own = 0;
	rc_err e = RC_OK;
	json_t *root = load(f, NULL, err, errlen, &e);
	if (!root)
		return e;
	char where[160];
	snprintf(where, sizeof where, "%s: default", f->name);
	if ((e = rules(json_object_get(root, "default"), &p->progression_default, p, where, err, errlen)))
		goto done;
	const char *about = str(p, root, "about", false, f->name, err, errlen, &e);
	if (!about)
		goto done;
	json_t *own = json_object_get(root, "programs"), *v;
	const char *key;
	if (json_object_size(own) > MAX_PROGRAMS) {
		e = rc_errf(err, errlen, RC_ETOOBIG, "%s: 'programs' names more than %d programs", f->name, MAX_PROGRAMS);
		goto done;
	}
	rc_program_rules *rs = rc_arena_alloc(&p->arena, sizeof *rs * (json_object_size(own) + 1));
	if (!rs) {
		e = rc_errf(err, errlen, RC_ENOMEM, "%s: out of memory", f->name);
		goto done;
	}
	int n = 0;
	json_object_foreach(own, key, v) {
		snprintf(where, sizeof where, "%s: programs.%s", f->name, key);
		if (!(rs[n].key = rc_arena_strdup(&p->arena, key))) {
			e = rc_errf(err, errlen, RC_ENOMEM, "%s: out of memory", f->name);
			goto done;
		}
		if ((e = rules(v, &rs[n].rules, p, where, err, errlen)))
			goto done;
		n++;
	}
	p->progression_about = about;
	p->progression_own = rs;
	p->nprogression_own = n;
done:
	json_decref(root);
	return e;
}

rc_err rc_programs_link(rc_programs *p, char *err, size_t errlen)
{
	for (int i = 0; i < p->nprograms; i++) {
		rc_program *g = &p->programs[i];
		for (int j = 0; j < g->nstages; j++) {
			rc_stage *s = &g->stages[j];
			s->per_day = s->prescribed = 0;
			for (int k = 0; k < s->nitems; k++) {
				rc_stage_item *it = &s->items[k];
				if (!(it->ex = rc_exercise_find(p, it->key)))
					return rc_errf(err, errlen, RC_EINVAL,
					               "programs.json: program '%s' stage %d: exercise %d: '%s' is not in exercises.json",
					               g->key, s->n, k + 1, it->key);
				it->sets = it->own_sets >= 0 ? it->own_sets : it->ex->sets;
				it->reps = it->own_reps >= 0 ? it->own_reps : it->ex->reps;
				it->hold_s = it->own_hold_s >= 0 ? it->own_hold_s : it->ex->hold_s;
				if (it->ex->per_day > s->per_day)
					s->per_day = it->ex->per_day;
				s->prescribed += it->sets * it->reps;
			}
		}
		g->rules = p->progression_default;
		for (int r = 0; r < p->nprogression_own; r++)
			if (strcmp(p->progression_own[r].key, g->key) == 0)
				g->rules = p->progression_own[r].rules;
	}
	/* A program named here but not in programs.json would quietly leave the real one on the default rules. */
	for (int r = 0; r < p->nprogression_own; r++)
		if (!rc_program_find(p, p->progression_own[r].key))
			return rc_errf(err, errlen, RC_EINVAL, "progression.json: programs.%s names no program in programs.json",
			               p->progression_own[r].key);
	return RC_OK;
}

static rc_err parse_nth(void *p, size_t i, const rc_content_file *f, char *err, size_t errlen)
{
	static rc_err (*const parse[])(rc_programs *, const rc_content_file *, char *, size_t) = {
		rc_programs_parse_exercises, rc_programs_parse_programs, rc_programs_parse_progression};
	return parse[i](p, f, err, errlen);
}

rc_err rc_programs_load(const char *dir, rc_programs **out, char *err, size_t errlen)
{
	static const char *const names[] = {"exercises.json", "programs.json", "progression.json"};
	*out = NULL;
	rc_programs *p = calloc(1, sizeof *p);
	if (!p)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	rc_arena_init(&p->arena, 16 << 20);
	rc_err e = rc_content_parse_files(dir, names, sizeof names / sizeof names[0], parse_nth, p, err, errlen);
	if (!e)
		e = rc_programs_link(p, err, errlen);
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
