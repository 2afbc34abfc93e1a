/* chart.c (content) — loads and checks the chart's knowledge (see chart.h). */
#include "content/chart.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/content.h"

/* A required (or optional, "" when absent) string member, copied into the arena. */
static const char *str(rc_chart_kb *kb, json_t *o, const char *k, bool required, const char *where, char *err,
                       size_t errlen, rc_err *e)
{
	json_t *v = json_object_get(o, k);
	if (!v && !required)
		return "";
	if (!json_is_string(v) || (required && !json_string_length(v))) {
		*e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' must be %stext", where, k, required ? "non-empty " : "");
		return NULL;
	}
	const char *s = rc_arena_strdup(&kb->arena, json_string_value(v));
	if (!s)
		*e = rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	return s;
}

/* A file's JSON, an object holding key when key is given. */
static json_t *load(const rc_content_file *f, const char *key, char *err, size_t errlen, rc_err *e)
{
	json_error_t je;
	json_t *root = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &je);
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

static bool is_key(const char *s)
{
	if (!s || !*s || strlen(s) > 40)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static rc_err keyed(rc_chart_kb *kb, json_t *o, const char *where, const char **key, char *err, size_t errlen)
{
	rc_err e = RC_OK;
	if (!(*key = str(kb, o, "key", true, where, err, errlen, &e)))
		return e;
	if (!is_key(*key))
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'key' must be lower-case letters, digits and _ (up to 40)", where);
	return RC_OK;
}

/* --- fields.json -------------------------------------------------------------------------------- */

static rc_err field(rc_chart_kb *kb, const char *file, json_t *o, rc_chart_field *f, size_t i, char *err,
                    size_t errlen)
{
	rc_err e = RC_OK;
	char where[120];
	json_t *k = json_object_get(o, "key");
	snprintf(where, sizeof where, "%s: field %zu ('%s')", file, i + 1, json_is_string(k) ? json_string_value(k) : "?");
	if ((e = keyed(kb, o, where, &f->key, err, errlen)) || !(f->label = str(kb, o, "label", true, where, err, errlen, &e)) ||
	    !(f->plain = str(kb, o, "plain", true, where, err, errlen, &e)) ||
	    !(f->source = str(kb, o, "source", true, where, err, errlen, &e)) ||
	    !(f->unit = str(kb, o, "unit", false, where, err, errlen, &e)))
		return e;
	const char *type = json_string_value(json_object_get(o, "type"));
	static const struct {
		const char *name;
		rc_field_type type;
	} types[] = {{"int", RC_FIELD_INT}, {"test", RC_FIELD_TEST}, {"choice", RC_FIELD_CHOICE}, {"text", RC_FIELD_TEXT}};
	size_t t;
	for (t = 0; t < 4 && !(type && strcmp(type, types[t].name) == 0); t++)
		;
	if (t == 4)
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'type' must be int, test, choice or text", where);
	f->type = types[t].type;
	f->sided = json_is_true(json_object_get(o, "sided"));
	f->chart = json_is_true(json_object_get(o, "chart"));
	f->higher_better = json_is_true(json_object_get(o, "higher_better"));
	if (f->type == RC_FIELD_INT) {
		json_t *lo = json_object_get(o, "min"), *hi = json_object_get(o, "max"), *d = json_object_get(o, "decimals");
		if (!json_is_integer(lo) || !json_is_integer(hi) || json_integer_value(lo) < 0 ||
		    json_integer_value(hi) <= json_integer_value(lo) || json_integer_value(hi) > 100000)
			return rc_errf(err, errlen, RC_EINVAL, "%s: 'min' and 'max' must be whole numbers, 0 <= min < max", where);
		if (d && (!json_is_integer(d) || json_integer_value(d) < 0 || json_integer_value(d) > 1))
			return rc_errf(err, errlen, RC_EINVAL, "%s: 'decimals' must be 0 or 1", where);
		f->min = (int)json_integer_value(lo);
		f->max = (int)json_integer_value(hi);
		f->decimals = d ? (int)json_integer_value(d) : 0;
	} else if (f->chart) {
		return rc_errf(err, errlen, RC_EINVAL, "%s: only an int field can be charted", where);
	}
	json_t *ch = json_object_get(o, "choices"), *c;
	size_t j;
	if (f->type == RC_FIELD_CHOICE) {
		if (!json_is_array(ch) || json_array_size(ch) < 2 || json_array_size(ch) > RC_CHART_FIELD_CHOICES)
			return rc_errf(err, errlen, RC_EINVAL, "%s: 'choices' must list 2 to %d choices", where, RC_CHART_FIELD_CHOICES);
		json_array_foreach(ch, j, c) {
			char w2[160];
			snprintf(w2, sizeof w2, "%s choice %zu", where, j + 1);
			if ((e = keyed(kb, c, w2, &f->choices[j].key, err, errlen)) ||
			    !(f->choices[j].label = str(kb, c, "label", true, w2, err, errlen, &e)))
				return e;
		}
		f->nchoices = (int)json_array_size(ch);
	} else if (ch) {
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'choices' is for a choice field only", where);
	}
	return RC_OK;
}

/* --- templates.json ----------------------------------------------------------------------------- */

static rc_err template(rc_chart_kb *kb, const char *file, json_t *o, rc_chart_template *t, size_t i, char *err,
                       size_t errlen)
{
	rc_err e = RC_OK;
	char where[140];
	json_t *k = json_object_get(o, "key");
	snprintf(where, sizeof where, "%s: template %zu ('%s')", file, i + 1, json_is_string(k) ? json_string_value(k) : "?");
	if ((e = keyed(kb, o, where, &t->key, err, errlen)) || !(t->name = str(kb, o, "name", true, where, err, errlen, &e)) ||
	    !(t->subjective = str(kb, o, "subjective", true, where, err, errlen, &e)) ||
	    !(t->objective = str(kb, o, "objective", true, where, err, errlen, &e)) ||
	    !(t->assessment = str(kb, o, "assessment", true, where, err, errlen, &e)) ||
	    !(t->plan = str(kb, o, "plan", true, where, err, errlen, &e)) ||
	    !(t->source = str(kb, o, "source", true, where, err, errlen, &e)))
		return e;
	json_t *a = json_object_get(o, "conditions"), *v;
	size_t j;
	if (!json_is_array(a) || json_array_size(a) > RC_CHART_TEMPLATE_CONDITIONS)
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'conditions' must list up to %d condition keys ([] for any)", where,
		               RC_CHART_TEMPLATE_CONDITIONS);
	json_array_foreach(a, j, v) {
		const char *c = json_string_value(v);
		if (!c)
			return rc_errf(err, errlen, RC_EINVAL, "%s: condition '%s' is not in the self-check's conditions", where,
			               "(not text)");
		t->conditions[j] = rc_arena_strdup(&kb->arena, c);
	}
	t->nconditions = (int)json_array_size(a);
	a = json_object_get(o, "fields");
	if (!json_is_array(a) || !json_array_size(a) || json_array_size(a) > RC_CHART_TEMPLATE_FIELDS)
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'fields' must list 1 to %d field keys", where, RC_CHART_TEMPLATE_FIELDS);
	json_array_foreach(a, j, v) {
		const char *f = json_string_value(v);
		if (!f)
			return rc_errf(err, errlen, RC_EINVAL, "%s: field '%s' is not in chart/fields.json", where, "(not text)");
		for (size_t m = 0; m < j; m++)
			if (strcmp(t->field_keys[m], f) == 0)
				return rc_errf(err, errlen, RC_EINVAL, "%s: field '%s' is listed twice", where, f);
		if (!(t->field_keys[j] = rc_arena_strdup(&kb->arena, f)))
			return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	}
	t->nfields = (int)json_array_size(a);
	return RC_OK;
}

/* --- diagnoses.json ----------------------------------------------------------------------------- */

static bool icd_code(const char *s)
{
	/* A letter, two characters, then an optional dot and up to four more: "M76.891", "S76.311D", "M54.2". */
	size_t n = strlen(s);
	if (n < 3 || n > 8 || s[0] < 'A' || s[0] > 'Z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && i == 3)))
			return false;
	return true;
}

static rc_err diagnosis(rc_chart_kb *kb, const char *file, json_t *o, rc_chart_diagnosis *d, size_t i, char *err,
                        size_t errlen)
{
	rc_err e = RC_OK;
	char where[140];
	json_t *k = json_object_get(o, "condition");
	snprintf(where, sizeof where, "%s: diagnosis %zu ('%s')", file, i + 1, json_is_string(k) ? json_string_value(k) : "?");
	if (!(d->condition = str(kb, o, "condition", true, where, err, errlen, &e)) ||
	    !(d->title = str(kb, o, "title", true, where, err, errlen, &e)))
		return e;
	static const char *const sides[] = {"left", "right", "both", "unspecified", "any"};
	const char **slot[] = {&d->codes.left, &d->codes.right, &d->codes.both, &d->codes.unspecified, &d->codes.any};
	for (int s = 0; s < 5; s++) {
		json_t *v = json_object_get(o, sides[s]);
		if (!v)
			continue;
		if (!json_is_string(v) || !icd_code(json_string_value(v)))
			return rc_errf(err, errlen, RC_EINVAL, "%s: '%s' must be an ICD-10-CM code such as M76.891", where, sides[s]);
		*slot[s] = rc_arena_strdup(&kb->arena, json_string_value(v));
	}
	bool lateral = d->codes.left || d->codes.right;
	if (d->codes.any ? lateral || d->codes.both || d->codes.unspecified
	                 : !(d->codes.left && d->codes.right && d->codes.unspecified))
		return rc_errf(err, errlen, RC_EINVAL, "%s: give either 'any' (a code without side) or 'left', 'right' and "
		                                      "'unspecified' (and 'both' where a bilateral code exists)", where);
	return RC_OK;
}

/* --- treatments.json and consent.json ----------------------------------------------------------- */

static rc_err options(rc_chart_kb *kb, json_t *a, rc_chart_options *out, const char *where, char *err, size_t errlen)
{
	json_t *v;
	size_t j;
	rc_err e = RC_OK;
	if (!json_is_array(a) || !json_array_size(a) || json_array_size(a) > RC_CHART_MAX_OPTIONS)
		return rc_errf(err, errlen, RC_EINVAL, "%s: must list 1 to %d entries", where, RC_CHART_MAX_OPTIONS);
	json_array_foreach(a, j, v) {
		/* where is a file and key path (under 160 bytes); a longer one is cut, never overrun. */
		char w2[200];
		if (snprintf(w2, sizeof w2, "%s entry %zu", where, j + 1) >= (int)sizeof w2)
			w2[sizeof w2 - 1] = '\0';
		if ((e = keyed(kb, v, w2, &out->v[j].key, err, errlen)) ||
		    !(out->v[j].label = str(kb, v, "label", true, w2, err, errlen, &e)))
			return e;
		out->v[j].sided = json_is_true(json_object_get(v, "sided"));
		for (size_t m = 0; m < j; m++)
			if (strcmp(out->v[m].key, out->v[j].key) == 0)
				return rc_errf(err, errlen, RC_EINVAL, "%s: '%s' is listed twice", where, out->v[j].key);
	}
	out->n = (int)json_array_size(a);
	return RC_OK;
}

rc_err rc_chart_parse_treatments(rc_chart_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	rc_chart_options *lists[] = {&kb->regions, &kb->soft_tissue, &kb->manual_therapy, &kb->taping, &kb->muscles,
	                             &kb->education};
	static const char *const names[] = {"regions", "techniques.soft_tissue", "techniques.manual_therapy",
	                                    "techniques.taping", "muscles", "education"};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		memset(lists[i], 0, sizeof *lists[i]);
	rc_err e = RC_OK;
	json_t *root = load(f, "regions", err, errlen, &e);
	if (!root)
		return e;
	json_t *t = json_object_get(root, "techniques");
	for (size_t i = 0; !e && i < sizeof lists / sizeof lists[0]; i++) {
		char where[160];
		snprintf(where, sizeof where, "%s: '%s'", f->name, names[i]);
		const char *dot = strchr(names[i], '.');
		e = options(kb, dot ? json_object_get(t, dot + 1) : json_object_get(root, names[i]), lists[i], where, err,
		            errlen);
	}
	json_decref(root);
	return e;
}

rc_err rc_chart_parse_consent(rc_chart_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	kb->consent_version = 0;
	kb->consent_title = kb->consent_source = NULL;
	memset(kb->consent, 0, sizeof kb->consent);
	kb->nconsent = 0;
	rc_err e = RC_OK;
	json_t *root = load(f, "paragraphs", err, errlen, &e);
	if (!root)
		return e;
	const char *where = f->name;
	json_t *v = json_object_get(root, "version"), *p;
	json_t *a = json_object_get(root, "paragraphs");
	size_t j;
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000) {
		e = rc_errf(err, errlen, RC_EINVAL, "%s: 'version' must be a whole number from 1 (raise it whenever the text "
		                                    "changes)", where);
		goto done;
	}
	kb->consent_version = (int)json_integer_value(v);
	if (!(kb->consent_title = str(kb, root, "title", true, where, err, errlen, &e)) ||
	    !(kb->consent_source = str(kb, root, "source", true, where, err, errlen, &e)))
		goto done;
	if (!json_array_size(a) || json_array_size(a) > RC_CHART_CONSENT_PARAGRAPHS) {
		e = rc_errf(err, errlen, RC_EINVAL, "%s: 'paragraphs' must list 1 to %d texts", where,
		            RC_CHART_CONSENT_PARAGRAPHS);
		goto done;
	}
	json_array_foreach(a, j, p) {
		if (!json_is_string(p) || !json_string_length(p)) {
			e = rc_errf(err, errlen, RC_EINVAL, "%s: paragraph %zu must be text", where, j + 1);
			goto done;
		}
		kb->consent[j] = rc_arena_strdup(&kb->arena, json_string_value(p));
	}
	kb->nconsent = (int)json_array_size(a);
done:
	json_decref(root);
	return e;
}

/* --- the acupoint list --------------------------------------------------------------------------- */

static const char *const MERIDIANS[] = {"LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR", "GV", "CV"};

static bool known_meridian(const char *m)
{
	for (size_t i = 0; i < sizeof MERIDIANS / sizeof MERIDIANS[0]; i++)
		if (strcmp(MERIDIANS[i], m) == 0)
			return true;
	return false;
}

static rc_err point(rc_chart_kb *kb, const char *name, json_t *o, bool extra, size_t i, rc_acupoint *out, char *err,
                    size_t errlen)
{
	char where[160];
	json_t *k = json_object_get(o, "code");
	snprintf(where, sizeof where, "%s: %s[%zu] ('%s')", name, extra ? "extra_points" : "points", i,
	         json_is_string(k) ? json_string_value(k) : "?");
	rc_err e = RC_OK;
	if (!json_is_object(o))
		return rc_errf(err, errlen, RC_EINVAL, "%s: must be an object", where);
	if (!(out->code = str(kb, o, "code", true, where, err, errlen, &e)) ||
	    !(out->region = str(kb, o, "region", true, where, err, errlen, &e)) ||
	    !(out->hanzi = str(kb, o, "hanzi", false, where, err, errlen, &e)))
		return e;
	json_t *py = json_object_get(o, "pinyin");
	out->name = json_is_string(py) ? rc_arena_strdup(&kb->arena, json_string_value(py)) : "";
	char norm[RC_CHART_CODE_MAX + 1];
	if (!rc_acupoint_normalise(out->code, norm) || strcmp(norm, out->code) != 0)
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'code' must be a WHO code such as BL40 or EX-HN3", where);
	json_t *num = json_object_get(o, "number");
	if (!json_is_integer(num) || json_integer_value(num) < 1 || json_integer_value(num) > 99)
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'number' must be a whole number from 1 to 99", where);
	char want[RC_CHART_CODE_MAX + 8];
	if (extra) {
		const char *group = json_string_value(json_object_get(o, "group"));
		snprintf(want, sizeof want, "EX-%s%lld", group ? group : "?", (long long)json_integer_value(num));
		out->meridian = "";
	} else {
		const char *m = json_string_value(json_object_get(o, "meridian"));
		if (!m || !known_meridian(m))
			return rc_errf(err, errlen, RC_EINVAL, "%s: 'meridian' must be one of the 14 WHO meridian codes", where);
		snprintf(want, sizeof want, "%s%lld", m, (long long)json_integer_value(num));
		out->meridian = rc_arena_strdup(&kb->arena, m);
	}
	if (strcmp(want, out->code) != 0)
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'code' must be the %s and the number (%s)", where,
		               extra ? "group" : "meridian", want);
	return RC_OK;
}

rc_err rc_acupoints_parse(rc_chart_kb *kb, const char *name, const char *data, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return rc_errf(err, errlen, RC_EINVAL, "%s: line %d: %s", name, je.line, je.text);
	rc_err e = RC_OK;
	json_t *pts = json_object_get(root, "points"), *ex = json_object_get(root, "extra_points"), *v;
	size_t np = json_array_size(pts), nx = json_array_size(ex), i;
	if (!json_is_array(pts) || !np || (ex && !json_is_array(ex))) {
		e = rc_errf(err, errlen, RC_EINVAL, "%s: the file must hold {\"points\": [...], \"extra_points\": [...]}", name);
		goto out;
	}
	if (np + nx > RC_ACUPOINTS_MAX) {
		e = rc_errf(err, errlen, RC_ETOOBIG, "%s: more than %d points", name, RC_ACUPOINTS_MAX);
		goto out;
	}
	kb->points = rc_arena_alloc(&kb->arena, sizeof *kb->points * (np + nx));
	if (!kb->points) {
		e = rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(pts, i, v)
		if ((e = point(kb, name, v, false, i, &kb->points[i], err, errlen)))
			goto out;
	json_array_foreach(ex, i, v)
		if ((e = point(kb, name, v, true, i, &kb->points[np + i], err, errlen)))
			goto out;
	for (size_t a = 1; a < np + nx; a++)
		for (size_t b = 0; b < a; b++)
			if (strcmp(kb->points[a].code, kb->points[b].code) == 0) {
				e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' is listed twice", name, kb->points[a].code);
				goto out;
			}
	const char *src = json_string_value(json_object_get(root, "source"));
	kb->acupoints_source = rc_arena_strdup(&kb->arena, src ? src : "");
	kb->npoints = (int)(np + nx);
out:
	if (e) {
		kb->points = NULL;
		kb->npoints = 0;
	}
	json_decref(root);
	return e;
}

static rc_err acupoints(rc_chart_kb *kb, const char *path, char *err, size_t errlen)
{
	kb->acupoints_path = rc_arena_strdup(&kb->arena, path);
	kb->acupoints_missing = rc_arena_printf(&kb->arena,
		"The list of acupuncture points (%s) is not on this server, so acupuncture cannot be recorded: place the "
		"WHO acupoint list there, or name it with --acupoints FILE (or RUNCARE_ACUPOINTS), and restart.", path);
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return RC_OK; /* absent: acupuncture rows are refused, the rest works */
		return rc_errf(err, errlen, RC_EIO, "%s: cannot open: %s", path, strerror(errno));
	}
	char *data = rc_arena_alloc(&kb->arena, RC_CONTENT_MAX_FILE + 1);
	size_t len = data ? fread(data, 1, RC_CONTENT_MAX_FILE + 1, f) : 0;
	bool bad = ferror(f);
	fclose(f);
	if (!data || !kb->acupoints_missing)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	if (bad)
		return rc_errf(err, errlen, RC_EIO, "%s: cannot read", path);
	if (len > RC_CONTENT_MAX_FILE)
		return rc_errf(err, errlen, RC_ETOOBIG, "%s: larger than %d bytes", path, RC_CONTENT_MAX_FILE);
	return rc_acupoints_parse(kb, path, data, len, err, errlen);
}

/* --- the whole ---------------------------------------------------------------------------------- */

rc_err rc_chart_parse_fields(rc_chart_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	memset(kb->fields, 0, sizeof kb->fields);
	kb->nfields = 0;
	rc_err e = RC_OK;
	json_t *root = load(f, "fields", err, errlen, &e), *a = json_object_get(root, "fields"), *v;
	size_t i;
	if (!root)
		return e;
	if (json_array_size(a) > RC_CHART_MAX_FIELDS) {
		e = rc_errf(err, errlen, RC_ETOOBIG, "%s: more than %d fields", f->name, RC_CHART_MAX_FIELDS);
		goto done;
	}
	json_array_foreach(a, i, v) {
		if ((e = field(kb, f->name, v, &kb->fields[i], i, err, errlen)))
			goto done;
		kb->nfields = (int)i; /* the earlier ones, for the duplicate check */
		if (rc_chart_field_find(kb, kb->fields[i].key)) {
			e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' is listed twice", f->name, kb->fields[i].key);
			goto done;
		}
		kb->nfields = (int)i + 1;
	}
done:
	json_decref(root);
	return e;
}

rc_err rc_chart_parse_templates(rc_chart_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	memset(kb->templates, 0, sizeof kb->templates);
	kb->ntemplates = 0;
	rc_err e = RC_OK;
	json_t *root = load(f, "templates", err, errlen, &e), *a = json_object_get(root, "templates"), *v;
	size_t i;
	if (!root)
		return e;
	if (!json_array_size(a) || json_array_size(a) > RC_CHART_MAX_TEMPLATES) {
		e = rc_errf(err, errlen, RC_EINVAL, "%s: must list 1 to %d templates", f->name, RC_CHART_MAX_TEMPLATES);
		goto done;
	}
	json_array_foreach(a, i, v) {
		if ((e = template(kb, f->name, v, &kb->templates[i], i, err, errlen)))
			goto done;
		kb->ntemplates = (int)i;
		if (rc_chart_template_find(kb, kb->templates[i].key)) {
			e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' is listed twice", f->name, kb->templates[i].key);
			goto done;
		}
		kb->ntemplates = (int)i + 1;
	}
	if (!rc_chart_template_for(kb, ""))
		e = rc_errf(err, errlen, RC_EINVAL, "%s: one template must have \"conditions\": [] (the general note, for "
		                                    "any condition)", f->name);
done:
	json_decref(root);
	return e;
}

rc_err rc_chart_parse_diagnoses(rc_chart_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	memset(kb->diagnoses, 0, sizeof kb->diagnoses);
	kb->ndiagnoses = 0;
	kb->diagnoses_source = NULL;
	rc_err e = RC_OK;
	json_t *root = load(f, "diagnoses", err, errlen, &e), *a = json_object_get(root, "diagnoses"), *v;
	size_t i;
	if (!root)
		return e;
	if (json_array_size(a) > RC_CHART_MAX_DIAGNOSES) {
		e = rc_errf(err, errlen, RC_ETOOBIG, "%s: more than %d diagnoses", f->name, RC_CHART_MAX_DIAGNOSES);
		goto done;
	}
	if (!(kb->diagnoses_source = str(kb, root, "source", true, f->name, err, errlen, &e)))
		goto done;
	json_array_foreach(a, i, v) {
		if ((e = diagnosis(kb, f->name, v, &kb->diagnoses[i], i, err, errlen)))
			goto done;
		kb->ndiagnoses = (int)i;
		if (rc_chart_diagnosis_find(kb, kb->diagnoses[i].condition)) {
			e = rc_errf(err, errlen, RC_EINVAL, "%s: '%s' is listed twice", f->name, kb->diagnoses[i].condition);
			goto done;
		}
		kb->ndiagnoses = (int)i + 1;
	}
done:
	json_decref(root);
	return e;
}

rc_err rc_chart_kb_link(rc_chart_kb *kb, const rc_triage_kb *conds, char *err, size_t errlen)
{
	for (int i = 0; i < kb->ntemplates; i++) {
		rc_chart_template *t = &kb->templates[i];
		char where[140];
		snprintf(where, sizeof where, "chart/templates.json: template %d ('%s')", i + 1, t->key);
		for (int j = 0; j < t->nfields; j++)
			if (!(t->fields[j] = rc_chart_field_find(kb, t->field_keys[j])))
				return rc_errf(err, errlen, RC_EINVAL, "%s: field '%s' is not in chart/fields.json", where,
				               t->field_keys[j]);
		for (int j = 0; conds && j < t->nconditions; j++)
			if (rc_triage_condition(conds, t->conditions[j]) < 0)
				return rc_errf(err, errlen, RC_EINVAL, "%s: condition '%s' is not in the self-check's conditions",
				               where, t->conditions[j]);
	}
	for (int i = 0; conds && i < kb->ndiagnoses; i++)
		if (rc_triage_condition(conds, kb->diagnoses[i].condition) < 0)
			return rc_errf(err, errlen, RC_EINVAL,
			               "chart/diagnoses.json: diagnosis %d ('%s'): 'condition' is not in the self-check's "
			               "conditions", i + 1, kb->diagnoses[i].condition);
	return RC_OK;
}

static rc_err parse_nth(void *kb, size_t i, const rc_content_file *f, char *err, size_t errlen)
{
	static rc_err (*const parse[])(rc_chart_kb *, const rc_content_file *, char *, size_t) = {
		rc_chart_parse_fields, rc_chart_parse_templates, rc_chart_parse_diagnoses, rc_chart_parse_treatments,
		rc_chart_parse_consent};
	return parse[i](kb, f, err, errlen);
}

rc_err rc_chart_kb_load(const char *dir, const char *acupoints_path, const rc_triage_kb *conds, rc_chart_kb **out,
                        char *err, size_t errlen)
{
	static const char *const names[] = {"chart/fields.json", "chart/templates.json", "chart/diagnoses.json",
	                                    "chart/treatments.json", "chart/consent.json"};
	*out = NULL;
	rc_chart_kb *kb = calloc(1, sizeof *kb);
	if (!kb)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	rc_arena_init(&kb->arena, 8 << 20);
	rc_err e = rc_content_parse_files(dir, names, sizeof names / sizeof names[0], parse_nth, kb, err, errlen);
	if (!e)
		e = rc_chart_kb_link(kb, conds, err, errlen);
	if (!e)
		e = acupoints(kb, acupoints_path ? acupoints_path : RC_ACUPOINTS_DEFAULT, err, errlen);
	if (e) {
		rc_chart_kb_free(kb);
		return e;
	}
	*out = kb;
	return RC_OK;
}

void rc_chart_kb_free(rc_chart_kb *kb)
{
	if (!kb)
		return;
	rc_arena_free(&kb->arena);
	free(kb);
}

const rc_chart_field *rc_chart_field_find(const rc_chart_kb *kb, const char *key)
{
	for (int i = 0; key && i < kb->nfields; i++)
		if (strcmp(kb->fields[i].key, key) == 0)
			return &kb->fields[i];
	return NULL;
}

const rc_chart_template *rc_chart_template_find(const rc_chart_kb *kb, const char *key)
{
	for (int i = 0; key && i < kb->ntemplates; i++)
		if (strcmp(kb->templates[i].key, key) == 0)
			return &kb->templates[i];
	return NULL;
}

const rc_chart_template *rc_chart_template_for(const rc_chart_kb *kb, const char *condition)
{
	const rc_chart_template *general = NULL;
	for (int i = 0; i < kb->ntemplates; i++) {
		const rc_chart_template *t = &kb->templates[i];
		if (!t->nconditions)
			general = t;
		for (int c = 0; condition && c < t->nconditions; c++)
			if (strcmp(t->conditions[c], condition) == 0)
				return t;
	}
	return general;
}

const rc_chart_diagnosis *rc_chart_diagnosis_find(const rc_chart_kb *kb, const char *condition)
{
	for (int i = 0; condition && i < kb->ndiagnoses; i++)
		if (strcmp(kb->diagnoses[i].condition, condition) == 0)
			return &kb->diagnoses[i];
	return NULL;
}

const rc_chart_option *rc_chart_option_find(const rc_chart_options *o, const char *key)
{
	for (int i = 0; key && i < o->n; i++)
		if (strcmp(o->v[i].key, key) == 0)
			return &o->v[i];
	return NULL;
}

const rc_acupoint *rc_acupoint_find(const rc_chart_kb *kb, const char *code)
{
	for (int i = 0; code && i < kb->npoints; i++)
		if (strcmp(kb->points[i].code, code) == 0)
			return &kb->points[i];
	return NULL;
}

const char *rc_acupoints_missing(const rc_chart_kb *kb)
{
	return kb->acupoints_missing ? kb->acupoints_missing : "The list of acupuncture points is not loaded.";
}
