/* billing.c (content) — loads and checks content/billing.json (see billing.h). */
#include "content/billing.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

enum { KB_ARENA = 256 * 1024 };

typedef struct {
	rc_billing_kb *kb;
	const char *file;
	char *err;
	size_t errlen;
	rc_err e;
} ld;

static const char *text(ld *l, json_t *o, const char *key, bool required, size_t max, const char *where)
{
	json_t *v = json_object_get(o, key);
	if (!v && !required)
		return "";
	if (!json_is_string(v) || (required && !json_string_length(v)) || json_string_length(v) > max ||
	    !rc_text_is_line(json_string_value(v), max)) {
		l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: %s: '%s' must be %stext on one line, up to %zu characters",
		               l->file, where, key, required ? "non-empty " : "", max);
		return NULL;
	}
	const char *s = rc_arena_strdup(&l->kb->arena, json_string_value(v));
	if (!s)
		l->e = rc_errf(l->err, l->errlen, RC_ENOMEM, "%s: out of memory", l->file);
	return s;
}

static bool whole(ld *l, json_t *o, const char *key, int64_t lo, int64_t hi, int64_t *out, const char *where)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: %s: '%s' must be a whole number from %lld to %lld", l->file,
		               where, key, (long long)lo, (long long)hi);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

bool rc_billing_cpt_ok(const char *s)
{
	if (strlen(s) != 5)
		return false;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return (s[4] >= '0' && s[4] <= '9') || (s[4] >= 'A' && s[4] <= 'Z');
}

static bool code(ld *l, json_t *o, rc_billing_code *c, bool charge, const char *where)
{
	int64_t units = 0, cents = 0;
	if (!json_is_object(o)) {
		l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: %s must be an object", l->file, where);
		return false;
	}
	if (!(c->cpt = text(l, o, "cpt", true, 5, where)))
		return false;
	if (!rc_billing_cpt_ok(c->cpt)) {
		l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: %s: 'cpt' must be a CPT code such as 97810", l->file, where);
		return false;
	}
	if (!(c->description = text(l, o, "description", true, 120, where)) ||
	    !whole(l, o, "units", 1, RC_BILLING_MAX_UNITS, &units, where))
		return false;
	if (charge && json_object_get(o, "charge_cents") && !whole(l, o, "charge_cents", 0, 10000000, &cents, where))
		return false;
	c->units = (int)units;
	c->charge_cents = cents;
	return true;
}

static bool provider(ld *l, json_t *o)
{
	static const char where[] = "provider";
	rc_billing_kb *kb = l->kb;
	if (!json_is_object(o)) {
		l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: 'provider' must be an object", l->file);
		return false;
	}
	if (!(kb->npi = text(l, o, "npi", true, 10, where)) || !(kb->tax_id = text(l, o, "tax_id", true, 20, where)) ||
	    !(kb->pos = text(l, o, "place_of_service", true, 2, where)) ||
	    !(kb->pos_name = text(l, o, "place_of_service_name", true, 60, where)))
		return false;
	bool digits = strlen(kb->npi) == 10;
	for (const char *p = kb->npi; digits && *p; p++)
		digits = *p >= '0' && *p <= '9';
	if (!digits) {
		l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: provider: 'npi' must be the 10 digits of an NPI", l->file);
		return false;
	}
	return true;
}

static bool services(ld *l, json_t *a)
{
	size_t i, j;
	json_t *v, *c;
	char where[120];
	if (!json_is_array(a) || json_array_size(a) > RC_BILLING_MAX_SERVICES) {
		l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: 'services' must be a list of at most %d services", l->file,
		               RC_BILLING_MAX_SERVICES);
		return false;
	}
	json_array_foreach(a, i, v) {
		rc_billing_service *s = &l->kb->services[l->kb->nservices];
		snprintf(where, sizeof where, "services item %zu", i + 1);
		if (!json_is_object(v) || !(s->service = text(l, v, "service", true, 32, where)))
			return l->e ? false : (l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: %s must be an object", l->file,
			                                      where), false);
		for (int k = 0; k < l->kb->nservices; k++)
			if (!strcmp(l->kb->services[k].service, s->service)) {
				l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: %s: service '%s' is listed twice", l->file, where,
				               s->service);
				return false;
			}
		json_t *codes = json_object_get(v, "codes");
		if (!json_is_array(codes) || !json_array_size(codes) || json_array_size(codes) > RC_BILLING_MAX_CODES) {
			l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: %s: 'codes' must be a list of 1 to %d codes", l->file,
			               where, RC_BILLING_MAX_CODES);
			return false;
		}
		json_array_foreach(codes, j, c) {
			snprintf(where, sizeof where, "service '%s' code %zu", s->service, j + 1);
			if (!code(l, c, &s->codes[s->ncodes++], false, where))
				return false;
		}
		l->kb->nservices++;
	}
	return true;
}

static bool treatments(ld *l, json_t *a)
{
	size_t i;
	json_t *v;
	char where[120];
	if (!a)
		return true;
	if (!json_is_array(a) || json_array_size(a) > RC_BILLING_MAX_TREATMENTS) {
		l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: 'treatments' must be a list of at most %d", l->file,
		               RC_BILLING_MAX_TREATMENTS);
		return false;
	}
	json_array_foreach(a, i, v) {
		rc_billing_treatment *t = &l->kb->treatments[l->kb->ntreatments];
		snprintf(where, sizeof where, "treatments item %zu", i + 1);
		if (!json_is_object(v)) {
			l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: %s must be an object", l->file, where);
			return false;
		}
		if (!(t->kind = text(l, v, "kind", true, 32, where)) || !code(l, v, &t->code, true, where))
			return false;
		l->kb->ntreatments++;
	}
	return true;
}

static bool policy(ld *l, json_t *o)
{
	static const char where[] = "policy";
	int64_t ns, lc, h;
	if (!json_is_object(o)) {
		l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: 'policy' must be an object", l->file);
		return false;
	}
	if (!whole(l, o, "no_show_fee_cents", 0, 10000000, &ns, where) ||
	    !whole(l, o, "late_cancel_fee_cents", 0, 10000000, &lc, where) ||
	    !whole(l, o, "late_cancel_hours", 0, 168, &h, where) ||
	    !(l->kb->policy_text = text(l, o, "text", true, 500, where)))
		return false;
	l->kb->no_show_cents = ns;
	l->kb->late_cancel_cents = lc;
	l->kb->late_cancel_hours = (int)h;
	return true;
}

static bool packages(ld *l, json_t *a)
{
	size_t i;
	json_t *v;
	char where[120];
	if (!a)
		return true;
	if (!json_is_array(a) || json_array_size(a) > RC_BILLING_MAX_PACKAGES) {
		l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: 'packages' must be a list of at most %d", l->file,
		               RC_BILLING_MAX_PACKAGES);
		return false;
	}
	json_array_foreach(a, i, v) {
		rc_billing_package *p = &l->kb->packages[l->kb->npackages];
		int64_t visits, days;
		snprintf(where, sizeof where, "packages item %zu", i + 1);
		if (!json_is_object(v)) {
			l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: %s must be an object", l->file, where);
			return false;
		}
		if (!(p->key = text(l, v, "key", true, 32, where)) || !(p->name = text(l, v, "name", true, 80, where)) ||
		    !(p->service = text(l, v, "service", true, 32, where)) ||
		    !whole(l, v, "visits", 1, 100, &visits, where) || !whole(l, v, "valid_days", 1, 1000, &days, where) ||
		    !whole(l, v, "price_cents", 0, 10000000, &p->price_cents, where))
			return false;
		if (rc_billing_package_by_key(l->kb, p->key)) {
			l->e = rc_errf(l->err, l->errlen, RC_EINVAL, "%s: %s: package '%s' is listed twice", l->file, where, p->key);
			return false;
		}
		p->visits = (int)visits;
		p->valid_days = (int)days;
		l->kb->npackages++;
	}
	return true;
}

rc_err rc_billing_kb_parse(rc_billing_kb *kb, const rc_content_file *f, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return rc_errf(err, errlen, RC_EINVAL, "%s: line %d: %s", f->name, je.line, je.text);
	ld l = {kb, f->name, err, errlen, RC_OK};
	if (!json_is_object(root))
		l.e = rc_errf(err, errlen, RC_EINVAL, "%s: the file must hold one object", f->name);
	else if (provider(&l, json_object_get(root, "provider")) && services(&l, json_object_get(root, "services")) &&
	         treatments(&l, json_object_get(root, "treatments")) && policy(&l, json_object_get(root, "policy")))
		packages(&l, json_object_get(root, "packages"));
	json_decref(root);
	return l.e;
}

static rc_err parse_one(void *ctx, size_t i, const rc_content_file *f, char *err, size_t errlen)
{
	(void)i;
	return rc_billing_kb_parse(ctx, f, err, errlen);
}

rc_err rc_billing_kb_load(const char *dir, rc_billing_kb **out, char *err, size_t errlen)
{
	static const char *const names[] = {"billing.json"};
	rc_billing_kb *kb = calloc(1, sizeof *kb);
	*out = NULL;
	if (!kb)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	rc_arena_init(&kb->arena, KB_ARENA);
	rc_err e = rc_content_parse_files(dir, names, 1, parse_one, kb, err, errlen);
	if (e) {
		rc_billing_kb_free(kb);
		return e;
	}
	*out = kb;
	return RC_OK;
}

void rc_billing_kb_free(rc_billing_kb *kb)
{
	if (!kb)
		return;
	rc_arena_free(&kb->arena);
	free(kb);
}

const rc_billing_service *rc_billing_service_codes(const rc_billing_kb *kb, const char *service_key)
{
	for (int i = 0; kb && i < kb->nservices; i++)
		if (!strcmp(kb->services[i].service, service_key))
			return &kb->services[i];
	return NULL;
}

const rc_billing_treatment *rc_billing_treatment_code(const rc_billing_kb *kb, const char *kind)
{
	for (int i = 0; kb && i < kb->ntreatments; i++)
		if (!strcmp(kb->treatments[i].kind, kind))
			return &kb->treatments[i];
	return NULL;
}

const rc_billing_package *rc_billing_package_by_key(const rc_billing_kb *kb, const char *key)
{
	for (int i = 0; kb && i < kb->npackages; i++)
		if (!strcmp(kb->packages[i].key, key))
			return &kb->packages[i];
	return NULL;
}
