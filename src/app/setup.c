/* setup.c — the clinic's setup as use cases (see setup.h). Every change reads, decides and writes in
 * one transaction with its audit line; a change to someone's time first finds the booked visits it
 * would leave outside that time and writes nothing until the admin has chosen what happens to them. */
#include "app/setup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/account.h"
#include "app/visit_mail.h"
#include "app/waitlist.h"
#include "base/log.h"
#include "base/text.h"
#include "base/time.h"
#include "domain/setup.h"

static rc_err db_failed(const rc_uc *uc, rc_err e, rc_problem *p, const char *what)
{
	rc_error("clinic setup: %s: %s", what, rc_db_errmsg(uc->db));
	return rc_problem_set(p, e == RC_ENOMEM ? RC_ENOMEM : RC_EDB, NULL,
	                      "The clinic's records could not be reached; nothing was changed. Try again in a moment.");
}

/* A refusal decided inside a transaction has said why; anything else is the database. */
static rc_err after_tx(const rc_uc *uc, rc_err e, rc_problem *p, const char *what)
{
	if (e && !p->text[0])
		return db_failed(uc, e, p, what);
	return e;
}

static void clear(rc_problem *p)
{
	p->field = NULL;
	p->text[0] = '\0';
}

/* "Tuesday 1 December at 14:30", in the clinic's zone. */
static const char *when(const rc_uc *uc, int64_t t)
{
	char s[64];
	rc_tz_format(t, "%A %-d %B at %H:%M", s, sizeof s);
	char *out = rc_arena_printf(uc->arena, "%s", s);
	return out ? out : "";
}

/* --- the view ------------------------------------------------------------------------------------------ */

struct view_fill {
	rc_arena *a;
	rc_setup_view *v;
	size_t cap[8];
	bool full;
};

/* Appends one item of `size` bytes to *items (n of them, capacity *cap). */
static void *append(struct view_fill *c, void **items, size_t *n, size_t *cap, size_t size)
{
	void *grown = c->full ? NULL : rc_uc_grow(c->a, *items, *n, cap, size);
	if (!grown) {
		c->full = true;
		return NULL;
	}
	*items = grown;
	return (char *)grown + (*n)++ * size;
}

/* Appends an item and its flag to two arrays that go side by side (n counts both). */
static void append_flagged(struct view_fill *c, void **items, bool **flags, size_t *n, size_t *caps, const void *item,
                           size_t size, bool flag)
{
	size_t k = *n;
	void *x = append(c, items, n, &caps[0], size);
	bool *f = x ? append(c, (void **)flags, &k, &caps[1], sizeof *f) : NULL;
	if (x && f) {
		memcpy(x, item, size);
		*f = flag;
	}
}

static void view_service(void *ctx, const rc_service *sv, bool active)
{
	struct view_fill *c = ctx;
	append_flagged(c, (void **)&c->v->services, &c->v->service_active, &c->v->nservices, &c->cap[0], sv, sizeof *sv,
	               active);
}

static void view_practitioner(void *ctx, const rc_practitioner *p, bool active)
{
	struct view_fill *c = ctx;
	append_flagged(c, (void **)&c->v->practitioners, &c->v->practitioner_active, &c->v->npractitioners, &c->cap[2], p,
	               sizeof *p, active);
}

static void view_hours(void *ctx, const rc_setup_hours *h)
{
	struct view_fill *c = ctx;
	rc_setup_hours *x = append(c, (void **)&c->v->hours, &c->v->nhours, &c->cap[4], sizeof *x);
	if (x)
		*x = *h;
}

static void view_exception(void *ctx, const rc_setup_exception *e)
{
	struct view_fill *c = ctx;
	rc_setup_exception *x = append(c, (void **)&c->v->exceptions, &c->v->nexceptions, &c->cap[5], sizeof *x);
	if (x)
		*x = *e;
}

static void view_staff(void *ctx, const rc_account *acct)
{
	struct view_fill *c = ctx;
	rc_account *x = append(c, (void **)&c->v->staff, &c->v->nstaff, &c->cap[6], sizeof *x);
	if (x) {
		*x = *acct;
		x->password_hash[0] = '\0';
	}
}

size_t rc_setup_view_service(const rc_setup_view *v, int64_t id, const char *key)
{
	for (size_t i = 0; i < v->nservices; i++)
		if (key ? strcmp(v->services[i].key, key) == 0 : v->services[i].id == id)
			return i;
	return SIZE_MAX;
}

size_t rc_setup_view_practitioner(const rc_setup_view *v, int64_t id)
{
	for (size_t i = 0; i < v->npractitioners; i++)
		if (v->practitioners[i].id == id)
			return i;
	return SIZE_MAX;
}

const rc_setup_hours *rc_setup_view_hours(const rc_setup_view *v, int64_t id)
{
	for (size_t i = 0; i < v->nhours; i++)
		if (v->hours[i].id == id)
			return &v->hours[i];
	return NULL;
}

const rc_setup_exception *rc_setup_view_time_off(const rc_setup_view *v, int64_t id)
{
	for (size_t i = 0; i < v->nexceptions; i++)
		if (v->exceptions[i].id == id && strcmp(v->exceptions[i].kind, "time_off") == 0)
			return &v->exceptions[i];
	return NULL;
}

static void view_offer(void *ctx, int64_t pid, int64_t sid)
{
	struct view_fill *c = ctx;
	const rc_setup_view *v = c->v;
	size_t s = rc_setup_view_service(v, sid, NULL), p = rc_setup_view_practitioner(v, pid);
	if (s != SIZE_MAX && p != SIZE_MAX)
		c->v->offers[p * v->nservices + s] = true;
}

rc_err rc_app_setup_view(const rc_uc *uc, rc_setup_view *out)
{
	memset(out, 0, sizeof *out);
	struct view_fill c = {.a = uc->arena, .v = out};
	rc_err e = rc_db_begin_snapshot(uc->db);
	if (e)
		return e;
	static const rc_role staff[] = {RC_ROLE_PRACTITIONER, RC_ROLE_ADMIN, RC_ROLE_FRONT_DESK};
	int64_t total;
	if (!(e = rc_setup_services(uc->db, view_service, &c)) && !(e = rc_setup_practitioners(uc->db, view_practitioner, &c)) &&
	    !(e = rc_setup_hours_list(uc->db, 0, view_hours, &c)) &&
	    !(e = rc_setup_exceptions_list(uc->db, 0, uc->now, view_exception, &c)))
		for (size_t i = 0; !e && i < sizeof staff / sizeof *staff; i++)
			e = rc_account_page(uc->db, staff[i], NULL, 0, RC_SETUP_STAFF_MAX, view_staff, &c, &total);
	if (!e && !c.full) {
		size_t size = sizeof *out->offers * (out->npractitioners * out->nservices + 1);
		out->offers = rc_arena_alloc(uc->arena, size);
		if (!out->offers)
			c.full = true;
		else
			memset(out->offers, 0, size);
	}
	if (!e && !c.full)
		e = rc_setup_offers(uc->db, view_offer, &c);
	rc_db_rollback(uc->db);
	return e ? e : c.full ? RC_ENOMEM : RC_OK;
}

bool rc_setup_view_offered(const rc_setup_view *v, size_t s)
{
	for (size_t p = 0; p < v->npractitioners; p++)
		if (v->practitioner_active[p] && v->offers[p * v->nservices + s])
			return true;
	return false;
}

const rc_account *rc_setup_view_account(const rc_setup_view *v, int64_t account_id)
{
	for (size_t i = 0; account_id && i < v->nstaff; i++)
		if (v->staff[i].id == account_id)
			return &v->staff[i];
	return NULL;
}

/* --- services ------------------------------------------------------------------------------------------ */

/* A whole number as typed, or -1. */
static long long whole(const char *s)
{
	char *end;
	if (!s || !*s || strlen(s) > 9)
		return -1;
	long long v = strtoll(s, &end, 10);
	return *end ? -1 : v;
}

/* Every practitioner, active or not, for the checks below (in the arena). */
struct people {
	rc_arena *a;
	rc_practitioner *items;
	bool *active;
	size_t n, cap, cap_active;
	bool full;
};

static void take_person(void *ctx, const rc_practitioner *p, bool active)
{
	struct people *c = ctx;
	size_t n = c->n;
	rc_practitioner *x = c->full ? NULL : rc_uc_grow(c->a, c->items, c->n, &c->cap, sizeof *x);
	bool *a = x ? rc_uc_grow(c->a, c->active, n, &c->cap_active, sizeof *a) : NULL;
	if (!x || !a) {
		c->full = true;
		return;
	}
	c->items = x;
	c->active = a;
	x[c->n] = *p;
	a[c->n++] = active;
}

static rc_err people(const rc_uc *uc, rc_db *db, struct people *c)
{
	*c = (struct people){.a = uc->arena};
	rc_err e = rc_setup_practitioners(db, take_person, c);
	return e ? e : c->full ? RC_ENOMEM : RC_OK;
}

struct service_save {
	const rc_uc *uc;
	const rc_setup_service_in *in;
	rc_problem *p;
	const char *key, *name, *discipline;
	int minutes;
	int64_t cents;
	rc_service *out;
};

/* Whether practitioner x may offer a service of discipline d; else the problem on `field`. */
static rc_err may_offer(const rc_practitioner *x, bool active, const char *service_name, const char *d,
                        const char *field, rc_problem *p)
{
	if (!active)
		return rc_problem_set(p, RC_EINVAL, field, "%s is retired: bring them back before they offer %s.", x->name,
		                      service_name);
	if (!rc_disciplines_have(x->disciplines, d))
		return rc_problem_set(p, RC_EINVAL, field,
		                      "%s cannot offer %s: it is %s, which is not among their disciplines (add it to "
		                      "their disciplines first).",
		                      x->name, service_name, rc_discipline_label(d));
	return RC_OK;
}

struct pairs {
	int64_t id;       /* the service or practitioner asked about */
	bool by_service;
	int64_t *others;  /* the practitioners (or services) paired with it */
	size_t n, cap;
	rc_arena *a;
	bool full;
};

static void take_pair(void *ctx, int64_t pid, int64_t sid)
{
	struct pairs *c = ctx;
	if ((c->by_service ? sid : pid) != c->id || c->full)
		return;
	int64_t *x = rc_uc_grow(c->a, c->others, c->n, &c->cap, sizeof *x);
	if (!x) {
		c->full = true;
		return;
	}
	c->others = x;
	x[c->n++] = c->by_service ? pid : sid;
}

static rc_err pairs_of(const rc_uc *uc, rc_db *db, int64_t id, bool by_service, struct pairs *c)
{
	*c = (struct pairs){.id = id, .by_service = by_service, .a = uc->arena};
	rc_err e = rc_setup_offers(db, take_pair, c);
	return e ? e : c->full ? RC_ENOMEM : RC_OK;
}

static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static rc_err service_tx(rc_db *db, void *arg)
{
	struct service_save *c = arg;
	const rc_uc *uc = c->uc;
	const rc_setup_service_in *in = c->in;
	rc_err e;
	rc_service sv;
	bool found = false, active = false;
	int64_t id = in->id;
	if (!id) {
		if ((e = rc_setup_service_get(db, 0, c->key, &sv, &active, &found)))
			return e;
		if (found)
			return rc_problem_set(c->p, RC_ECONFLICT, "key", "The key '%s' is %s's already%s; choose another.", c->key,
			                      sv.name, active ? "" : " (a retired service)");
	}
	/* Who offers it after this change: each must be active and practise its discipline. */
	struct people all;
	struct pairs now = {0};
	if ((e = people(uc, db, &all)) || (id && (e = pairs_of(uc, db, id, true, &now))))
		return e;
	for (size_t i = 0; i < all.n; i++) {
		bool offers = in->set_offered_by ? has_id(in->offered_by, in->noffered_by, all.items[i].id)
		                                 : has_id(now.others, now.n, all.items[i].id) && all.active[i];
		if (offers && (e = may_offer(&all.items[i], all.active[i], c->name, c->discipline, "offered_by", c->p)))
			return e;
	}
	for (size_t i = 0; i < in->noffered_by; i++) {
		size_t k = 0;
		while (k < all.n && all.items[k].id != in->offered_by[i])
			k++;
		if (k == all.n)
			return rc_problem_set(c->p, RC_EINVAL, "offered_by", "Choose who offers it from the clinic's practitioners.");
	}
	if (!id)
		e = rc_service_create(db, c->key, c->name, c->minutes, c->cents, c->discipline, &id);
	else
		e = rc_setup_service_update(db, id, c->name, c->minutes, c->cents, c->discipline);
	if (e == RC_ETOOBIG)
		return rc_problem_set(c->p, RC_ETOOBIG, NULL,
		                      "The clinic already has %d active services, as many as runcare lists; retire one first.",
		                      RC_BOOKING_MAX_SERVICES);
	if (e == RC_ECONFLICT)
		return rc_problem_set(c->p, RC_ECONFLICT, "key", "The key '%s' is taken; choose another.", c->key);
	/* Retired practitioners keep what they offered, for when they come back. */
	for (size_t i = 0; !e && in->set_offered_by && i < all.n; i++)
		if (all.active[i])
			e = rc_setup_offer_set(db, all.items[i].id, id, has_id(in->offered_by, in->noffered_by, all.items[i].id));
	if (!e && !(e = rc_setup_service_get(db, id, NULL, c->out, &active, &found)) && !found)
		e = RC_EDB;
	if (!e)
		e = rc_audit_add(db, uc->now, uc->actor, in->id ? "clinic.service.edit" : "clinic.service.add", 0, c->key,
		                 uc->address);
	return e;
}

rc_err rc_app_setup_service_save(const rc_uc *uc, const rc_setup_service_in *in, rc_service *out, rc_problem *p)
{
	clear(p);
	struct service_save c = {uc, in, p, in->key, in->name, in->discipline, 0, 0, out};
	rc_service old;
	bool found = false, active = false;
	rc_err e;
	if (in->id) {
		if ((e = rc_setup_service_get(uc->db, in->id, NULL, &old, &active, &found)))
			return db_failed(uc, e, p, "service");
		if (!found)
			return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such service.");
		c.key = old.key;
	}
	long long minutes = whole(in->minutes);
	char why[200], pwhy[200];
	const char *field;
	bool price_ok = !rc_price_parse(in->price, &c.cents, pwhy, sizeof pwhy);
	if (rc_service_check(c.key, c.name, minutes, price_ok ? c.cents : 0, c.discipline, &field, why, sizeof why))
		return rc_problem_set(p, RC_EINVAL, field, "%s", why);
	if (!price_ok)
		return rc_problem_set(p, RC_EINVAL, "price", "%s", pwhy);
	c.minutes = (int)minutes;
	e = rc_db_tx(uc->db, service_tx, &c);
	return after_tx(uc, e, p, "saving a service");
}

struct service_retire {
	const rc_uc *uc;
	int64_t id;
	bool retire;
	rc_service *out;
	int64_t *booked;
	rc_problem *p;
};

static rc_err service_retire_tx(rc_db *db, void *arg)
{
	struct service_retire *c = arg;
	bool found = false, active = false;
	rc_err e = rc_setup_service_get(db, c->id, NULL, c->out, &active, &found);
	if (e)
		return e;
	if (!found)
		return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such service.");
	if (active != c->retire)
		return rc_problem_set(c->p, RC_ECONFLICT, NULL, "%s is %s already.", c->out->name,
		                      active ? "in use" : "retired");
	if (!c->retire) {
		/* The clinic's limit of active services holds for a service brought back too. */
		size_t n = 0;
		rc_service *sv = rc_arena_alloc(c->uc->arena, sizeof *sv * RC_BOOKING_MAX_SERVICES);
		if (!sv)
			return RC_ENOMEM;
		e = rc_services_list(db, sv, RC_BOOKING_MAX_SERVICES, &n);
		if (!e && n >= RC_BOOKING_MAX_SERVICES)
			e = RC_ETOOBIG;
		if (e == RC_ETOOBIG)
			return rc_problem_set(c->p, RC_ETOOBIG, NULL,
			                      "The clinic already has %d active services, as many as runcare lists; retire one "
			                      "first.",
			                      RC_BOOKING_MAX_SERVICES);
		if (e)
			return e;
	}
	if ((e = rc_setup_service_set_active(db, c->id, !c->retire)) ||
	    (e = rc_setup_service_booked(db, c->id, c->uc->now, c->booked)))
		return e;
	return rc_audit_add(db, c->uc->now, c->uc->actor, c->retire ? "clinic.service.retire" : "clinic.service.restore", 0,
	                    c->out->key, c->uc->address);
}

rc_err rc_app_setup_service_retire(const rc_uc *uc, int64_t id, bool retire, rc_service *out, int64_t *booked_ahead,
                                   rc_problem *p)
{
	clear(p);
	*booked_ahead = 0;
	struct service_retire c = {uc, id, retire, out, booked_ahead, p};
	return after_tx(uc, rc_db_tx(uc->db, service_retire_tx, &c), p, "retiring a service");
}

/* --- practitioners ------------------------------------------------------------------------------------- */

struct practitioner_save {
	const rc_uc *uc;
	const rc_setup_practitioner_in *in;
	rc_problem *p;
	char disciplines[129];
	int64_t account_id;
	bool keep_account;
	rc_service *offers; /* in->offers as services */
	rc_practitioner *out;
};

/* Whether another practitioner than `self` has this name (case and spaces aside) or this account. */
static rc_err duplicates(const struct people *all, int64_t self, const char *name, int64_t account_id, rc_problem *p)
{
	char key[256], other[256];
	rc_name_key(name, key, sizeof key);
	for (size_t i = 0; i < all->n; i++) {
		const rc_practitioner *x = &all->items[i];
		if (x->id == self)
			continue;
		rc_name_key(x->name, other, sizeof other);
		if (strcmp(key, other) == 0)
			return rc_problem_set(p, RC_ECONFLICT, "name", "%s is in the list already%s.", x->name,
			                      all->active[i] ? "" : " (retired: bring them back instead of adding them again)");
		if (account_id && x->account_id == account_id)
			return rc_problem_set(p, RC_ECONFLICT, "account",
			                      "That staff account is linked to %s already%s; one practitioner per account.", x->name,
			                      all->active[i] ? "" : " (retired)");
	}
	return RC_OK;
}

static rc_err practitioner_tx(rc_db *db, void *arg)
{
	struct practitioner_save *c = arg;
	const rc_uc *uc = c->uc;
	const rc_setup_practitioner_in *in = c->in;
	struct people all;
	rc_err e = people(uc, db, &all);
	if (e)
		return e;
	int64_t id = in->id, account_id = c->account_id;
	bool active = true;
	if (id) {
		size_t i = 0;
		while (i < all.n && all.items[i].id != id)
			i++;
		if (i == all.n)
			return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such practitioner.");
		active = all.active[i];
		if (c->keep_account)
			account_id = all.items[i].account_id;
	}
	if ((e = duplicates(&all, id, in->name, account_id, c->p)))
		return e;
	/* What they offer after this change, each of their disciplines. */
	rc_practitioner self = {.id = id};
	snprintf(self.name, sizeof self.name, "%s", in->name);
	snprintf(self.disciplines, sizeof self.disciplines, "%s", c->disciplines);
	if (in->set_offers) {
		for (size_t i = 0; i < in->noffers; i++)
			if ((e = may_offer(&self, true, c->offers[i].name, c->offers[i].discipline, "offers", c->p)))
				return e;
	} else if (id) {
		struct pairs now;
		if ((e = pairs_of(uc, db, id, false, &now)))
			return e;
		for (size_t i = 0; i < now.n; i++) {
			rc_service sv;
			bool found = false, sv_active = false;
			if ((e = rc_setup_service_get(db, now.others[i], NULL, &sv, &sv_active, &found)))
				return e;
			if (found && sv_active && (e = may_offer(&self, true, sv.name, sv.discipline, "disciplines", c->p)))
				return e;
		}
	}
	if (!id)
		e = rc_practitioner_create(db, account_id, in->name, c->disciplines, &id);
	else
		e = rc_setup_practitioner_update(db, id, account_id, in->name, c->disciplines);
	if (e == RC_ETOOBIG)
		return rc_problem_set(c->p, RC_ETOOBIG, NULL,
		                      "The clinic already has %d active practitioners, as many as runcare lists; retire one "
		                      "first.",
		                      RC_BOOKING_MAX_PRACTITIONERS);
	if (e == RC_ECONFLICT)
		return rc_problem_set(c->p, RC_ECONFLICT, "account", "That staff account is linked to someone else already.");
	if (!e && in->set_offers) {
		/* Active services only: a retired one keeps its pairs, for when it comes back. */
		rc_service *sv = rc_arena_alloc(uc->arena, sizeof *sv * RC_BOOKING_MAX_SERVICES);
		size_t n = 0;
		e = sv ? rc_services_list(db, sv, RC_BOOKING_MAX_SERVICES, &n) : RC_ENOMEM;
		for (size_t i = 0; !e && i < n; i++) {
			bool offers = false;
			for (size_t k = 0; k < in->noffers; k++)
				offers = offers || c->offers[k].id == sv[i].id;
			e = rc_setup_offer_set(db, id, sv[i].id, offers);
		}
	}
	bool found = false;
	if (!e && !(e = rc_setup_practitioner_get(db, id, c->out, &active, &found)) && !found)
		e = RC_EDB;
	if (!e)
		e = rc_audit_add(db, uc->now, uc->actor, in->id ? "clinic.practitioner.edit" : "clinic.practitioner.add", 0,
		                 in->name, uc->address);
	return e;
}

rc_err rc_app_setup_practitioner_save(const rc_uc *uc, const rc_setup_practitioner_in *in, rc_practitioner *out,
                                      rc_problem *p)
{
	clear(p);
	struct practitioner_save c = {.uc = uc, .in = in, .p = p, .out = out, .keep_account = in->account == NULL};
	if (!in->name || !*in->name || !rc_text_is_line(in->name, RC_NAME_MAX))
		return rc_problem_set(p, RC_EINVAL, "name", "'Name' must be 1–%d characters on one line.", RC_NAME_MAX);
	if (!rc_disciplines_ok(in->disciplines))
		return rc_problem_set(p, RC_EINVAL, "disciplines",
		                      "'Disciplines' must name at least one of acupuncture, physical therapy and sports "
		                      "massage.");
	/* Stored in one order, each once. */
	static const char *const all[] = {"physical_therapy", "acupuncture", "sports_massage"};
	for (size_t i = 0; i < 3; i++)
		if (rc_disciplines_have(in->disciplines, all[i])) {
			size_t used = strlen(c.disciplines);
			snprintf(c.disciplines + used, sizeof c.disciplines - used, "%s%s", used ? " " : "", all[i]);
		}
	if (in->account && *in->account) {
		char email[RC_EMAIL_MAX + 1];
		rc_account a;
		bool found = false;
		if (!rc_app_email_clean(in->account, email))
			return rc_problem_set(p, RC_EINVAL, "account", "'Staff account' must be an email address.");
		rc_err e = rc_account_by_email(uc->db, email, &a, &found);
		if (e)
			return db_failed(uc, e, p, "practitioner account");
		if (!found || !rc_role_is_staff(a.role))
			return rc_problem_set(p, RC_EINVAL, "account", "No staff account has the address %s.", email);
		c.account_id = a.id;
	}
	c.offers = rc_arena_alloc(uc->arena, sizeof *c.offers * (in->noffers + 1));
	if (!c.offers)
		return rc_problem_set(p, RC_ENOMEM, NULL, "Too many services were named.");
	for (size_t i = 0; i < in->noffers; i++) {
		bool found = false, active = false;
		rc_err e = rc_setup_service_get(uc->db, 0, in->offers[i], &c.offers[i], &active, &found);
		if (e)
			return db_failed(uc, e, p, "practitioner offers");
		if (!found || !active)
			return rc_problem_set(p, RC_EINVAL, "offers", "'%s' is not one of the clinic's services%s.", in->offers[i],
			                      found ? " any more (it is retired)" : "");
	}
	return after_tx(uc, rc_db_tx(uc->db, practitioner_tx, &c), p, "saving a practitioner");
}

/* --- changes to someone's time ---------------------------------------------------------------------------- */

enum change_kind { CHANGE_HOURS, CHANGE_TIME_OFF, CHANGE_RETIRE, CHANGE_RESTORE };

struct change {
	const rc_uc *uc;
	rc_problem *p;
	rc_setup_change_out *out;
	const rc_setup_visits *visits;
	enum change_kind kind;
	bool remove, outside_ok;
	int64_t id, practitioner;
	rc_weekly row;          /* hours */
	int64_t start, end;     /* time off */
	const char *note;
	const char *audit;      /* what changed, for the audit line */
};

/* One practitioner's time: weekly hours, time off, extra hours, each possibly with one row changed. */
struct time_of {
	rc_weekly *hours;
	int64_t *hour_ids;
	size_t nhours;
	rc_interval *off, *extra;
	int64_t *off_ids;
	size_t noff, nextra;
	size_t cap[5];
	rc_arena *a;
	bool full;
};

static void time_hours(void *ctx, const rc_setup_hours *h)
{
	struct time_of *t = ctx;
	size_t n = t->nhours;
	rc_weekly *w = t->full ? NULL : rc_uc_grow(t->a, t->hours, n, &t->cap[0], sizeof *w);
	int64_t *ids = w ? rc_uc_grow(t->a, t->hour_ids, n, &t->cap[1], sizeof *ids) : NULL;
	if (!w || !ids) {
		t->full = true;
		return;
	}
	t->hours = w;
	t->hour_ids = ids;
	w[n] = h->w;
	ids[n] = h->id;
	t->nhours++;
}

static void time_exception(void *ctx, const rc_setup_exception *x)
{
	struct time_of *t = ctx;
	if (t->full)
		return;
	rc_interval v = {x->start, x->end};
	if (strcmp(x->kind, "time_off") == 0) {
		size_t n = t->noff;
		rc_interval *o = rc_uc_grow(t->a, t->off, n, &t->cap[2], sizeof *o);
		int64_t *ids = o ? rc_uc_grow(t->a, t->off_ids, n, &t->cap[3], sizeof *ids) : NULL;
		if (!o || !ids) {
			t->full = true;
			return;
		}
		t->off = o;
		t->off_ids = ids;
		o[n] = v;
		ids[n] = x->id;
		t->noff++;
	} else {
		rc_interval *o = rc_uc_grow(t->a, t->extra, t->nextra, &t->cap[4], sizeof *o);
		if (!o) {
			t->full = true;
			return;
		}
		t->extra = o;
		o[t->nextra++] = v;
	}
}

/* Whether the booked visit a fits the time t: inside hours (or extra hours), clear of time off. */
static bool fits(const struct time_of *t, const rc_appointment *a)
{
	rc_day day = {.hours = t->hours, .nhours = t->nhours, .time_off = t->off, .ntime_off = t->noff,
	              .extra = t->extra, .nextra = t->nextra};
	rc_tz_day_bounds(a->starts_at, &day.start, &day.end);
	return rc_slot_check(&day, a->starts_at, (int)((a->ends_at - a->starts_at) / 60), 0) == RC_SLOT_FREE;
}

/* The time after the change: a copy of `before` with the row added, replaced or removed. */
static rc_err apply(const struct change *c, const struct time_of *before, struct time_of *after)
{
	*after = *before;
	rc_arena *a = c->uc->arena;
	after->hours = rc_arena_alloc(a, sizeof *after->hours * (before->nhours + 1));
	after->off = rc_arena_alloc(a, sizeof *after->off * (before->noff + 1));
	if (!after->hours || !after->off)
		return RC_ENOMEM;
	after->nhours = after->noff = 0;
	for (size_t i = 0; i < before->nhours; i++)
		if (!(c->kind == CHANGE_HOURS && before->hour_ids[i] == c->id))
			after->hours[after->nhours++] = before->hours[i];
	for (size_t i = 0; i < before->noff; i++)
		if (!(c->kind == CHANGE_TIME_OFF && before->off_ids[i] == c->id))
			after->off[after->noff++] = before->off[i];
	if (c->kind == CHANGE_HOURS && !c->remove)
		after->hours[after->nhours++] = c->row;
	if (c->kind == CHANGE_TIME_OFF && !c->remove)
		after->off[after->noff++] = (rc_interval){c->start, c->end};
	return RC_OK;
}

struct booked {
	rc_appointment *items;
	size_t n, cap;
	int64_t after;
	rc_arena *a;
	bool full;
};

static void take_booked(void *ctx, const rc_appointment *a)
{
	struct booked *b = ctx;
	if (b->full || strcmp(a->status, "booked") != 0 || a->starts_at <= b->after)
		return;
	rc_appointment *x = rc_uc_grow(b->a, b->items, b->n, &b->cap, sizeof *x);
	if (!x) {
		b->full = true;
		return;
	}
	b->items = x;
	x[b->n++] = *a;
}

/* The clinic's opening hours for that day, for the sentence that asks to confirm hours outside them. */
static rc_err outside(const struct change *c)
{
	const rc_clinic *clinic = c->visits->clinic;
	if (c->kind != CHANGE_HOURS || c->remove || c->outside_ok || !clinic ||
	    rc_within_opening(clinic->opening, clinic->nopening, c->row.weekday, c->row.start_minute, c->row.end_minute))
		return RC_OK;
	char open[160];
	rc_opening_describe(clinic->opening, clinic->nopening, c->row.weekday, open, sizeof open);
	return rc_problem_set(c->p, RC_EINVAL, "outside",
	                      "%s %02d:%02d–%02d:%02d is outside the clinic's opening hours (%s). Tick the box to "
	                      "confirm these hours all the same.",
	                      rc_weekday_labels[c->row.weekday], c->row.start_minute / 60, c->row.start_minute % 60,
	                      c->row.end_minute / 60, c->row.end_minute % 60, open);
}

/* Checks the change against the practitioner's other rows, before anything is written. */
static rc_err check(const struct change *c, const struct time_of *before, const rc_practitioner *who, bool active)
{
	if (!active && c->kind != CHANGE_RESTORE)
		return rc_problem_set(c->p, RC_EINVAL, "practitioner", "%s is retired: bring them back first.", who->name);
	if (c->kind == CHANGE_HOURS && !c->remove) {
		rc_weekly *others = rc_arena_alloc(c->uc->arena, sizeof *others * (before->nhours + 1));
		size_t n = 0;
		if (!others)
			return RC_ENOMEM;
		for (size_t i = 0; i < before->nhours; i++)
			if (before->hour_ids[i] != c->id)
				others[n++] = before->hours[i];
		const char *field;
		char why[240];
		if (rc_hours_check(&c->row, others, n, &field, why, sizeof why))
			return rc_problem_set(c->p, RC_EINVAL, field, "%s", why);
		return outside(c);
	}
	if (c->kind == CHANGE_TIME_OFF && !c->remove) {
		if (c->end <= c->start)
			return rc_problem_set(c->p, RC_EINVAL, "to", "'To' must be after 'From'.");
		if (c->end <= c->uc->now)
			return rc_problem_set(c->p, RC_EINVAL, "to", "That time is over already; time off is for what is ahead.");
	}
	return RC_OK;
}

static rc_err write_change(rc_db *db, const struct change *c)
{
	switch (c->kind) {
	case CHANGE_HOURS:
		if (c->remove)
			return rc_setup_hours_delete(db, c->id);
		if (c->id)
			return rc_setup_hours_update(db, c->id, c->row.weekday, c->row.start_minute, c->row.end_minute);
		return rc_hours_add(db, c->practitioner, c->row.weekday, c->row.start_minute, c->row.end_minute);
	case CHANGE_TIME_OFF:
		if (c->remove)
			return rc_setup_exception_delete(db, c->id);
		if (c->id)
			return rc_setup_exception_update(db, c->id, c->start, c->end, c->note);
		return rc_exception_add(db, c->practitioner, "time_off", c->start, c->end, c->note);
	case CHANGE_RETIRE:
	case CHANGE_RESTORE:
		return rc_setup_practitioner_set_active(db, c->practitioner, c->kind == CHANGE_RESTORE);
	}
	return RC_EINVAL;
}

static rc_err change_tx(rc_db *db, void *arg)
{
	struct change *c = arg;
	const rc_uc *uc = c->uc;
	rc_setup_change_out *out = c->out;
	out->ask = false;
	out->visits = NULL;
	out->nvisits = 0;
	out->cancelled = 0;
	rc_err e;
	bool found = false, active = false;
	/* The row changed, and whose it is. */
	if (c->id && c->kind == CHANGE_HOURS) {
		rc_setup_hours h;
		if ((e = rc_setup_hours_get(db, c->id, &h, &found)))
			return e;
		if (!found)
			return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "Those hours are not in the schedule any more.");
		c->practitioner = h.practitioner_id;
		if (c->remove)
			c->row = h.w;
	} else if (c->id && c->kind == CHANGE_TIME_OFF) {
		rc_setup_exception x;
		if ((e = rc_setup_exception_get(db, c->id, &x, &found)))
			return e;
		if (!found || strcmp(x.kind, "time_off") != 0)
			return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "That time off is not in the schedule any more.");
		c->practitioner = x.practitioner_id;
	}
	out->practitioner = c->practitioner;
	rc_practitioner who;
	if ((e = rc_setup_practitioner_get(db, c->practitioner, &who, &active, &found)))
		return e;
	if (!found)
		return rc_problem_set(c->p, RC_EINVAL, "practitioner", "Choose one of the clinic's practitioners.");
	if (c->kind == CHANGE_RETIRE && !active)
		return rc_problem_set(c->p, RC_ECONFLICT, NULL, "%s is retired already.", who.name);
	if (c->kind == CHANGE_RESTORE) {
		if (active)
			return rc_problem_set(c->p, RC_ECONFLICT, NULL, "%s is not retired.", who.name);
		struct people all;
		if ((e = people(uc, db, &all)))
			return e;
		/* Brought back, they must not duplicate someone active since. */
		struct people act = all;
		act.n = 0;
		for (size_t i = 0; i < all.n; i++)
			if (all.active[i] || all.items[i].id == who.id) {
				act.items[act.n] = all.items[i];
				act.active[act.n++] = all.active[i];
			}
		if ((e = duplicates(&act, who.id, who.name, who.account_id, c->p)))
			return e;
	}
	/* Their time now, and after the change. */
	struct time_of before = {.a = uc->arena}, after;
	if ((e = rc_setup_hours_list(db, c->practitioner, time_hours, &before)) ||
	    (e = rc_setup_exceptions_list(db, c->practitioner, uc->now, time_exception, &before)))
		return e;
	if (before.full)
		return RC_ENOMEM;
	if ((e = check(c, &before, &who, active)) || (e = apply(c, &before, &after)))
		return e;
	/* The booked visits ahead that fit now and would not after (retiring: all of them). */
	struct booked b = {.after = uc->now, .a = uc->arena};
	if ((e = rc_appointments_between(db, c->practitioner, uc->now, INT64_MAX, take_booked, &b)))
		return e;
	if (b.full)
		return RC_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < b.n; i++)
		if (c->kind == CHANGE_RETIRE || (fits(&before, &b.items[i]) && !fits(&after, &b.items[i])))
			b.items[n++] = b.items[i];
	out->visits = b.items;
	out->nvisits = n;
	if (n) {
		bool all_seen = true;
		for (size_t i = 0; i < n; i++)
			all_seen = all_seen && has_id(c->visits->seen, c->visits->nseen, b.items[i].id);
		if (c->visits->choice == RC_VISITS_ASK || !all_seen) {
			out->ask = true;
			return rc_problem_set(c->p, RC_ECONFLICT, NULL,
			                      c->visits->choice == RC_VISITS_ASK
			                          ? "%zu booked visit%s would fall outside %s's time. Nothing has changed yet: "
			                            "choose what happens to %s."
			                          : "Since you looked, %zu visit%s in that time changed (%s's). Nothing has "
			                            "changed yet: look at %s again and choose.",
			                      n, n == 1 ? "" : "s", who.name, n == 1 ? "it" : "them");
		}
	}
	if ((e = write_change(db, c)))
		return e;
	char detail[200];
	snprintf(detail, sizeof detail, "%s: %s; %zu visit%s %s", who.name, c->audit, n, n == 1 ? "" : "s",
	         !n ? "affected" : c->visits->choice == RC_VISITS_CANCEL ? "cancelled" : "kept");
	if ((e = rc_audit_add(db, uc->now, uc->actor, "clinic.schedule", 0, detail, uc->address)))
		return e;
	for (size_t i = 0; n && c->visits->choice == RC_VISITS_CANCEL && i < n; i++) {
		rc_appointment *a = &b.items[i];
		if ((e = rc_appointment_cancel(db, a->id, uc->now)))
			return e; /* RC_ENOTFOUND cannot be: it was read booked in this transaction */
		if ((e = rc_appointment_get(db, a->id, a, &found)) || !found)
			return e ? e : RC_EDB;
		if ((e = rc_audit_add(db, uc->now, uc->actor, "appointment.cancel", a->runner_id, a->service_key, uc->address)))
			return e;
		/* The patient's mail commits with the cancellation, or neither happens. */
		if (c->visits->clinic && (e = rc_app_visit_mail(uc, db, c->visits->clinic, c->visits->public_url, a,
		                                                RC_VISIT_MAIL_CANCELLED, c->visits->message)))
			return e;
		out->cancelled++;
	}
	return RC_OK;
}

/* A visit the clinic cancelled: its time, for the service, goes to the waitlist through the hook every
 * cancellation uses — with its practitioner if they can still see someone then, else with the first
 * other practitioner who offers the service and is free at that time (the patient's practitioner is
 * usually the one who is away). */
static bool offer_freed(const rc_uc *uc, const rc_appointment *a, const char *public_url)
{
	rc_practitioner *ps = rc_arena_alloc(uc->arena, sizeof *ps * RC_BOOKING_MAX_PRACTITIONERS);
	size_t np = 0;
	if (!ps || rc_practitioners_list(uc->db, a->service_id, ps, RC_BOOKING_MAX_PRACTITIONERS, &np))
		return false;
	int minutes = (int)((a->ends_at - a->starts_at) / 60);
	int64_t ds, de;
	rc_tz_day_bounds(a->starts_at, &ds, &de);
	for (size_t round = 0; round < 2; round++)
		for (size_t i = 0; i < np; i++) {
			if ((ps[i].id == a->practitioner_id) != (round == 0))
				continue;
			rc_day day;
			int64_t offer = 0;
			if (rc_day_load(uc->db, uc->arena, ps[i].id, ds, de, &day) ||
			    rc_slot_check(&day, a->starts_at, minutes, uc->now) != RC_SLOT_FREE)
				continue;
			if (rc_app_waitlist_freed(uc, ps[i].id, a->service_id, a->starts_at, minutes, public_url, &offer)) {
				rc_error("clinic setup: offering the time of visit %lld to the waitlist failed: %s", (long long)a->id,
				         rc_db_errmsg(uc->db));
				return false;
			}
			return offer != 0;
		}
	return false;
}

static rc_err run_change(const rc_uc *uc, struct change *c, rc_setup_change_out *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	const rc_setup_visits *v = c->visits;
	if (v->choice == RC_VISITS_CANCEL && v->message &&
	    (strlen(v->message) > RC_SETUP_MESSAGE_MAX || !rc_utf8_valid(v->message, strlen(v->message))))
		return rc_problem_set(p, RC_EINVAL, "message", "'Message to the patients' must be at most %d characters.",
		                      RC_SETUP_MESSAGE_MAX);
	rc_err e = after_tx(uc, rc_db_tx(uc->db, change_tx, c), p, "changing the schedule");
	if (e || v->choice != RC_VISITS_CANCEL)
		return e;
	for (size_t i = 0; i < out->nvisits; i++)
		out->offered += offer_freed(uc, &out->visits[i], v->public_url);
	return RC_OK;
}

rc_err rc_app_setup_hours_save(const rc_uc *uc, const rc_setup_hours_in *in, rc_setup_change_out *out, rc_problem *p)
{
	clear(p);
	memset(out, 0, sizeof *out);
	struct change c = {.uc = uc, .p = p, .out = out, .visits = &in->visits, .kind = CHANGE_HOURS, .remove = in->remove,
	                   .outside_ok = in->outside_opening, .id = in->id, .practitioner = in->practitioner};
	if (!in->remove) {
		c.row.weekday = rc_weekday_parse(in->day);
		if (c.row.weekday < 0)
			return rc_problem_set(p, RC_EINVAL, "day", "'Day' must be a day of the week, Monday to Sunday.");
		if (!rc_clock_parse(in->from, &c.row.start_minute))
			return rc_problem_set(p, RC_EINVAL, "from",
			                      "'From' must be a time on the quarter hour (:00, :15, :30 or :45), e.g. 08:00.");
		if (!rc_clock_parse(in->to, &c.row.end_minute))
			return rc_problem_set(p, RC_EINVAL, "to",
			                      "'To' must be a time on the quarter hour (:00, :15, :30 or :45), e.g. 12:30.");
	}
	if (!in->id && in->practitioner <= 0)
		return rc_problem_set(p, RC_EINVAL, "practitioner", "Choose one of the clinic's practitioners.");
	c.audit = in->remove ? "weekly hours removed"
	                     : rc_arena_printf(uc->arena, "%s hours %s %s–%s", in->id ? "edited" : "added",
	                                       rc_weekday_names[c.row.weekday], in->from, in->to);
	if (!c.audit)
		return rc_problem_set(p, RC_ENOMEM, NULL, "Out of memory.");
	return run_change(uc, &c, out, p);
}

rc_err rc_app_setup_time_off_save(const rc_uc *uc, const rc_setup_time_off_in *in, rc_setup_change_out *out,
                                  rc_problem *p)
{
	clear(p);
	memset(out, 0, sizeof *out);
	struct change c = {.uc = uc, .p = p, .out = out, .visits = &in->visits, .kind = CHANGE_TIME_OFF,
	                   .remove = in->remove, .id = in->id, .practitioner = in->practitioner,
	                   .note = in->note ? in->note : ""};
	if (!in->remove) {
		if (!rc_tz_parse_local(in->from, &c.start))
			return rc_problem_set(p, RC_EINVAL, "from", "'From' must be a date and time, e.g. 2026-12-03 13:00.");
		if (!rc_tz_parse_local(in->to, &c.end))
			return rc_problem_set(p, RC_EINVAL, "to", "'To' must be a date and time, e.g. 2026-12-03 18:00.");
		if (strlen(c.note) > RC_SETUP_NOTE_MAX || !rc_text_is_line(c.note, RC_SETUP_NOTE_MAX))
			return rc_problem_set(p, RC_EINVAL, "note", "'Note' must be at most %d characters on one line.",
			                      RC_SETUP_NOTE_MAX);
	}
	if (!in->id && in->practitioner <= 0)
		return rc_problem_set(p, RC_EINVAL, "practitioner", "Choose one of the clinic's practitioners.");
	c.audit = in->remove ? "time off removed"
	                     : rc_arena_printf(uc->arena, "time off %s %s – %s", in->id ? "edited" : "added",
	                                       when(uc, c.start), when(uc, c.end));
	if (!c.audit)
		return rc_problem_set(p, RC_ENOMEM, NULL, "Out of memory.");
	return run_change(uc, &c, out, p);
}

rc_err rc_app_setup_practitioner_retire(const rc_uc *uc, int64_t id, bool retire, const rc_setup_visits *visits,
                                        rc_setup_change_out *out, rc_problem *p)
{
	clear(p);
	memset(out, 0, sizeof *out);
	struct change c = {.uc = uc, .p = p, .out = out, .visits = visits,
	                   .kind = retire ? CHANGE_RETIRE : CHANGE_RESTORE, .practitioner = id,
	                   .audit = retire ? "retired" : "brought back"};
	if (id <= 0)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such practitioner.");
	return run_change(uc, &c, out, p);
}
