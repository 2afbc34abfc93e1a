/* billing.c — invoices, credit notes, payments, refunds, packages and the day's close (see billing.h). */
#include "app/billing.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/account.h"
#include "base/text.h"
#include "base/time.h"
#include "domain/money.h"
#include "store/booking.h"
#include "store/chart_store.h"
#include "store/setup_store.h"

const rc_bill_method rc_bill_methods[] = {
	{"card", "Card (terminal)"}, {"cash", "Cash"}, {"check", "Check"}, {"hsa_fsa", "HSA/FSA card"}, {"other", "Other"},
};
const size_t rc_bill_nmethods = sizeof rc_bill_methods / sizeof rc_bill_methods[0];

const char *rc_bill_method_label(const char *key)
{
	for (size_t i = 0; i < rc_bill_nmethods; i++)
		if (!strcmp(rc_bill_methods[i].key, key))
			return rc_bill_methods[i].label;
	return key;
}

static int method_index(const char *key)
{
	for (size_t i = 0; key && i < rc_bill_nmethods; i++)
		if (!strcmp(rc_bill_methods[i].key, key))
			return (int)i;
	return -1;
}

const char *rc_bill_kind_label(const char *kind)
{
	static const struct {
		const char *key, *label;
	} kinds[] = {{"visit", "Visit"}, {"no_show_fee", "No-show fee"}, {"late_cancel_fee", "Late-cancellation fee"},
	             {"package", "Package"}};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i].key, kind))
			return kinds[i].label;
	return kind;
}

static rc_err desk_only(const rc_uc *uc, rc_problem *p)
{
	if (!rc_role_handles_money(uc->actor->role))
		return rc_problem_set(p, RC_EFORBIDDEN, NULL,
		                      "Invoices, payments and the day's close are the front desk's: ask the front desk or an "
		                      "administrator.");
	return RC_OK;
}

/* What of a patient's billing the actor reads: the front desk and administrators all of it, the runner
 * their own; a practitioner only what was billed for their own visits (practitioner 0 when the account
 * is no practitioner's: nothing). */
typedef struct {
	bool all, own_visits;
	int64_t practitioner;
} bill_scope;

static rc_err scope_of(const rc_uc *uc, bill_scope *out)
{
	memset(out, 0, sizeof *out);
	if (rc_role_handles_money(uc->actor->role)) {
		out->all = true;
		return RC_OK;
	}
	if (uc->actor->role != RC_ROLE_PRACTITIONER)
		return RC_OK;
	out->own_visits = true;
	rc_practitioner pr;
	bool found = false;
	rc_err e = rc_practitioner_of_account(uc->db, uc->actor->id, &pr, &found);
	if (!e && found)
		out->practitioner = pr.id;
	return e;
}

/* The actor may read runner_id's account (for a practitioner: the part of it their visits made). */
static bool may_see(const rc_uc *uc, int64_t runner_id)
{
	return rc_role_is_staff(uc->actor->role) || (uc->actor->id && uc->actor->id == runner_id);
}

/* The actor may read this invoice: may_see its patient and, for a practitioner, it bills their visit. */
static bool sees_invoice(const rc_uc *uc, const bill_scope *sc, const rc_invoice *inv)
{
	if (!may_see(uc, inv->runner_id))
		return false;
	return !sc->own_visits || (sc->practitioner && inv->practitioner_id == sc->practitioner);
}

/* An amount as typed (text) or as a whole number of cents from the API; refuses what is not money. */
static rc_err amount_of(const char *label, const char *field, const char *text, int64_t cents, int64_t *out,
                        rc_problem *p)
{
	char why[200];
	if (text) {
		if (rc_money_parse(label, text, RC_MONEY_MAX_CENTS, out, why, sizeof why))
			return rc_problem_set(p, RC_EINVAL, field, "%s", why);
	} else
		*out = cents;
	if (*out <= 0)
		return rc_problem_set(p, RC_EINVAL, field, "'%s' must be more than $0.00.", label);
	if (*out > RC_MONEY_MAX_CENTS) {
		rc_money_format(RC_MONEY_MAX_CENTS, why, sizeof why);
		return rc_problem_set(p, RC_EINVAL, field, "'%s' must be at most %s.", label, why);
	}
	return RC_OK;
}

static rc_err optional_line(const char *label, const char *field, const char *s, size_t max, bool required,
                            rc_problem *p)
{
	if ((!s || !*s) && required)
		return rc_problem_set(p, RC_EINVAL, field, "'%s' is missing: say why, in a few words.", label);
	if (s && *s && !rc_text_is_line(s, max * 4))
		return rc_problem_set(p, RC_EINVAL, field, "'%s' must be one line of at most %zu characters.", label, max);
	return RC_OK;
}

/* Runs fn in one transaction; a failure that named no problem of its own says `failed`. */
static rc_err in_tx(const rc_uc *uc, rc_tx_fn fn, void *ctx, rc_problem *p, const char *failed)
{
	p->text[0] = '\0';
	rc_err e = rc_db_tx(uc->db, fn, ctx);
	if (e && !p->text[0])
		rc_problem_set(p, e, NULL, "%s", failed);
	return e;
}

static rc_err audit(const rc_uc *uc, rc_db *db, const char *action, int64_t runner_id, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static rc_err audit(const rc_uc *uc, rc_db *db, const char *action, int64_t runner_id, const char *fmt, ...)
{
	char detail[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	return rc_audit_add(db, uc->now, uc->actor, action, runner_id, detail, uc->address);
}

/* --- collecting rows into the arena ------------------------------------------------------------------ */

typedef struct {
	rc_arena *a;
	void *items;
	size_t n, cap, size;
	bool full;
} collect;

static void push(collect *c, const void *item)
{
	void *more = c->full ? NULL : rc_uc_grow(c->a, c->items, c->n, &c->cap, c->size);
	if (!more) {
		c->full = true;
		return;
	}
	c->items = more;
	memcpy((char *)c->items + c->n++ * c->size, item, c->size);
}

static void push_invoice(void *ctx, const rc_invoice *v)
{
	push(ctx, v);
}
static void push_line(void *ctx, const rc_invoice_line *v)
{
	push(ctx, v);
}
static void push_credit(void *ctx, const rc_credit_note *v)
{
	push(ctx, v);
}
static void push_payment(void *ctx, const rc_payment *v)
{
	push(ctx, v);
}
static void push_package(void *ctx, const rc_package *v)
{
	push(ctx, v);
}

static void push_appointment(void *ctx, const rc_appointment *v)
{
	push(ctx, v);
}

#define COLLECT(uc, type) {(uc)->arena, NULL, 0, 0, sizeof(type), false}

/* Reads an invoice's document (inside or outside a transaction). */
static rc_err load_doc(const rc_uc *uc, rc_db *db, int64_t id, rc_invoice_doc *out, bool *found)
{
	memset(out, 0, sizeof *out);
	rc_err e = rc_invoice_get(db, id, &out->inv, found);
	if (e || !*found)
		return e;
	collect lines = COLLECT(uc, rc_invoice_line), credits = COLLECT(uc, rc_credit_note),
	        pays = COLLECT(uc, rc_payment);
	if ((e = rc_invoice_lines(db, id, push_line, &lines)) ||
	    (e = rc_credit_notes_of_invoice(db, id, push_credit, &credits)) ||
	    (e = rc_payments_of_invoice(db, id, push_payment, &pays)))
		return e;
	if (lines.full || credits.full || pays.full)
		return RC_ENOMEM;
	out->lines = lines.items;
	out->nlines = lines.n;
	out->credits = credits.items;
	out->ncredits = credits.n;
	out->payments = pays.items;
	out->npayments = pays.n;
	rc_money_invoice m = {out->inv.total_cents, out->inv.credited_cents, out->inv.paid_cents, out->inv.refunded_cents};
	out->balance_cents = rc_money_invoice_balance(&m);
	return RC_OK;
}

/* --- issuing invoices ---------------------------------------------------------------------------------- */

enum { MAX_LINES = RC_BILLING_MAX_CODES + RC_BILLING_MAX_TREATMENTS + 1 };

typedef struct {
	const rc_uc *uc;
	const rc_billing_kb *kb;
	const rc_invoice_visit_in *in;
	const char *kind;    /* visit, no_show_fee, late_cancel_fee */
	bool price_set;
	int64_t price;
	rc_invoice_doc *out;
	rc_problem *p;
} issue_ctx;

static void add_line(rc_invoice_line *lines, int *n, const char *description, const char *cpt, int units, int64_t cents)
{
	rc_invoice_line *l = &lines[(*n)++];
	memset(l, 0, sizeof *l);
	l->seq = *n;
	snprintf(l->description, sizeof l->description, "%s", description);
	snprintf(l->cpt, sizeof l->cpt, "%s", cpt);
	l->units = units;
	l->amount_cents = cents;
}

/* Writes the invoice and its lines with the next number, and sets out. */
static rc_err write_invoice(const rc_uc *uc, rc_db *db, rc_invoice *inv, rc_invoice_line *lines, int n,
                            rc_invoice_doc *out, rc_problem *p)
{
	int64_t total = 0;
	for (int i = 0; i < n; i++)
		if (!rc_money_add(total, lines[i].amount_cents, &total))
			return rc_problem_set(p, RC_EINVAL, NULL, "The invoice's total is too large.");
	inv->total_cents = total; /* by construction: the sum of its lines */
	inv->issued_at = uc->now;
	inv->issued_by = uc->actor->id;
	rc_err e = rc_bill_next_number(db, "invoice", &inv->number);
	if (!e)
		e = rc_invoice_insert(db, inv);
	for (int i = 0; !e && i < n; i++) {
		lines[i].invoice_id = inv->id;
		e = rc_invoice_line_insert(db, &lines[i]);
	}
	bool found = false;
	if (!e)
		e = load_doc(uc, db, inv->id, out, &found);
	return e ? e : found ? RC_OK : RC_EDB;
}

typedef struct {
	int64_t open_number;
} visit_check;

/* An invoice still bills its visit unless credit notes took all of it back (a $0.00 invoice — a visit a
 * package paid for — stands). */
static bool live(const rc_invoice *inv)
{
	return inv->total_cents == 0 || inv->credited_cents < inv->total_cents;
}

static void open_invoice(void *ctx, const rc_invoice *inv)
{
	visit_check *v = ctx;
	if (live(inv) && !v->open_number)
		v->open_number = inv->number;
}

/* --- billing codes ---------------------------------------------------------------------------------------- */

typedef struct {
	rc_service_code *codes;
	int n;
} codes_ctx;

static void push_code(void *ctx, const rc_service_code *c)
{
	codes_ctx *cc = ctx;
	if (cc->n < RC_BILLING_MAX_CODES)
		cc->codes[cc->n++] = *c;
}

/* The codes a service's visits are billed with: those an administrator set (*own), else the clinic
 * file's (content/billing.json); none: the visit is one line named as the service. */
static rc_err service_codes(rc_db *db, const rc_billing_kb *kb, int64_t service_id, const char *key,
                            rc_service_code *out, int *n, bool *own)
{
	codes_ctx cc = {out, 0};
	rc_err e = rc_service_codes(db, service_id, push_code, &cc);
	*n = cc.n;
	*own = cc.n > 0;
	if (e || cc.n)
		return e;
	const rc_billing_service *file = kb ? rc_billing_service_codes(kb, key) : NULL;
	for (int i = 0; file && i < file->ncodes && i < RC_BILLING_MAX_CODES; i++) {
		rc_service_code *c = &out[(*n)++];
		memset(c, 0, sizeof *c);
		c->seq = i + 1;
		c->units = file->codes[i].units;
		snprintf(c->cpt, sizeof c->cpt, "%s", file->codes[i].cpt);
		snprintf(c->description, sizeof c->description, "%s", file->codes[i].description);
	}
	return RC_OK;
}

void rc_app_bill_codes_text(const rc_service_code *codes, int n, rc_buf *out)
{
	for (int i = 0; i < n; i++)
		rc_buf_printf(out, "%s %d %s\n", codes[i].cpt, codes[i].units, codes[i].description);
}

/* A code's description: as long as content/billing.json allows one (content/billing.c). */
enum { CODE_TEXT_MAX = 120 };

/* Reads the page's text: one code a line, "CPT UNITS DESCRIPTION"; empty lines skipped. */
static rc_err parse_codes(const char *text, rc_service_code *out, int *n, rc_problem *p)
{
	*n = 0;
	int line = 0;
	for (const char *s = text ? text : ""; *s;) {
		const char *end = strchr(s, '\n');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		char buf[600];
		line++;
		if (len >= sizeof buf)
			return rc_problem_set(p, RC_EINVAL, "codes", "Line %d is too long: a code's description is at most %d "
			                      "characters.", line, CODE_TEXT_MAX);
		size_t from = 0;
		while (from < len && (s[from] == ' ' || s[from] == '\t' || s[from] == '\r'))
			from++;
		while (len > from && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
			len--;
		memcpy(buf, s + from, len - from);
		buf[len - from] = '\0';
		s = end ? end + 1 : s + strlen(s);
		if (!buf[0])
			continue;
		if (*n == RC_BILLING_MAX_CODES)
			return rc_problem_set(p, RC_EINVAL, "codes", "A service is billed with at most %d codes; line %d is one "
			                      "too many.", RC_BILLING_MAX_CODES, line);
		rc_service_code *c = &out[*n];
		memset(c, 0, sizeof *c);
		char cpt[16] = "", *after = NULL;
		long units = strtol(buf + strcspn(buf, " \t"), &after, 10);
		size_t cl = strcspn(buf, " \t");
		snprintf(cpt, sizeof cpt, "%.*s", (int)(cl < sizeof cpt - 1 ? cl : sizeof cpt - 1), buf);
		if (!rc_billing_cpt_ok(cpt))
			return rc_problem_set(p, RC_EINVAL, "codes", "Line %d: '%.10s' is not a CPT code (five digits, or four "
			                      "digits and a letter, such as 97810).", line, cpt);
		if (!after || after == buf + cl || units < 1 || units > RC_BILLING_MAX_UNITS || (*after && *after != ' ' &&
		                                                                              *after != '\t'))
			return rc_problem_set(p, RC_EINVAL, "codes", "Line %d: after the code comes the number of units, a whole "
			                      "number from 1 to %d.", line, RC_BILLING_MAX_UNITS);
		while (*after == ' ' || *after == '\t')
			after++;
		if (!*after || !rc_text_is_line(after, CODE_TEXT_MAX * 4) || rc_utf8_chars(after) > CODE_TEXT_MAX)
			return rc_problem_set(p, RC_EINVAL, "codes", "Line %d: after the units comes what the code is, in at most "
			                      "%d characters.", line, CODE_TEXT_MAX);
		c->seq = *n + 1;
		c->units = (int)units;
		memcpy(c->cpt, cpt, 6); /* five characters and the end: rc_billing_cpt_ok checked the length */
		snprintf(c->description, sizeof c->description, "%s", after);
		(*n)++;
	}
	return RC_OK;
}

typedef struct {
	rc_bill_codes_view *out;
	const rc_uc *uc;
	collect list;
} codes_view_ctx;

static void push_service(void *ctx, const rc_service *sv, bool active)
{
	codes_view_ctx *c = ctx;
	rc_bill_codes_service item;
	memset(&item, 0, sizeof item);
	item.service = *sv;
	item.active = active;
	push(&c->list, &item);
}

rc_err rc_app_bill_codes(const rc_uc *uc, const rc_billing_kb *kb, rc_bill_codes_view *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (uc->actor->role != RC_ROLE_ADMIN)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "The billing codes are the administrator's.");
	codes_view_ctx c = {out, uc, COLLECT(uc, rc_bill_codes_service)};
	rc_err e = rc_setup_services(uc->db, push_service, &c);
	if (!e && c.list.full)
		e = RC_ENOMEM;
	rc_bill_codes_service *list = c.list.items;
	for (size_t i = 0; !e && i < c.list.n; i++)
		e = service_codes(uc->db, kb, list[i].service.id, list[i].service.key, list[i].codes, &list[i].ncodes,
		                  &list[i].own);
	if (e)
		return rc_problem_set(p, e, NULL, "The billing codes could not be read; try again.");
	out->services = list;
	out->nservices = c.list.n;
	return RC_OK;
}

typedef struct {
	const rc_uc *uc;
	const char *key;
	rc_service_code *codes;
	int n;
	rc_problem *p;
} codes_save_ctx;

static rc_err codes_tx(rc_db *db, void *arg)
{
	codes_save_ctx *c = arg;
	rc_service sv;
	bool active = false, found = false;
	rc_err e = rc_setup_service_get(db, 0, c->key, &sv, &active, &found);
	if (e)
		return e;
	if (!found)
		return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such service.");
	if ((e = rc_service_codes_replace(db, sv.id, c->codes, c->n, c->uc->now, c->uc->actor->id)))
		return e;
	char first[16] = "";
	if (c->n)
		snprintf(first, sizeof first, "%s", c->codes[0].cpt);
	return audit(c->uc, db, "billing.codes", 0, "service %s: %d code%s%s%s", sv.key, c->n, c->n == 1 ? "" : "s",
	             c->n ? ", first " : " (the clinic file's again)", first);
}

rc_err rc_app_bill_codes_save(const rc_uc *uc, const char *service_key, const char *text, rc_problem *p)
{
	if (uc->actor->role != RC_ROLE_ADMIN)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "The billing codes are the administrator's.");
	if (!service_key || !*service_key)
		return rc_problem_set(p, RC_EINVAL, "service", "Say which service these codes are for.");
	rc_service_code codes[RC_BILLING_MAX_CODES];
	codes_save_ctx c = {uc, service_key, codes, 0, p};
	rc_err e = parse_codes(text, codes, &c.n, p);
	if (e)
		return e;
	return in_tx(uc, codes_tx, &c, p, "The billing codes could not be saved; try again.");
}

/* The package a visit draws from: the one chosen, or the runner's for this service that expires first. */
static rc_err pick_package(const issue_ctx *c, rc_db *db, const rc_appointment *a, rc_package *out, bool *use)
{
	collect pk = COLLECT(c->uc, rc_package);
	*use = false;
	if (c->in->package_id < 0)
		return RC_OK;
	rc_err e = rc_packages_of_runner(db, a->runner_id, push_package, &pk);
	if (e)
		return e;
	if (pk.full)
		return RC_ENOMEM;
	const rc_package *list = pk.items, *best = NULL;
	char day[11];
	for (size_t i = 0; i < pk.n; i++) {
		const rc_package *k = &list[i];
		if (c->in->package_id > 0) {
			if (k->id != c->in->package_id)
				continue;
			if (k->service_id != a->service_id)
				return rc_problem_set(c->p, RC_EINVAL, "package", "Package '%s' is for %s, not for %s.", k->name,
				                      k->service_name, a->service_name);
			if (k->expires_at <= a->starts_at) {
				rc_tz_date(k->expires_at, day);
				return rc_problem_set(c->p, RC_EINVAL, "package",
				                      "Package '%s' expired on %s, before this visit: it cannot pay for it.", k->name,
				                      day);
			}
			if (k->used >= k->visits)
				return rc_problem_set(c->p, RC_EINVAL, "package", "Package '%s' is used up (%d of %d visits).",
				                      k->name, k->used, k->visits);
			best = k;
			break;
		}
		if (k->service_id == a->service_id && k->expires_at > a->starts_at && k->used < k->visits &&
		    k->sold_at <= c->uc->now &&
		    (!best || k->expires_at < best->expires_at))
			best = k;
	}
	if (c->in->package_id > 0 && !best)
		return rc_problem_set(c->p, RC_EINVAL, "package", "That package is not one of %s's.", a->runner_name);
	if (best) {
		*out = *best;
		*use = true;
	}
	return RC_OK;
}

static rc_err visit_tx(rc_db *db, void *arg)
{
	issue_ctx *c = arg;
	const rc_uc *uc = c->uc;
	rc_appointment a;
	rc_service sv;
	bool found = false;
	rc_err e = rc_appointment_get(db, c->in->appointment_id, &a, &found);
	if (e)
		return e;
	if (!found)
		return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such visit.");
	if (strcmp(a.status, "arrived") != 0)
		return rc_problem_set(c->p, RC_EINVAL, NULL,
		                      "Only a visit the runner came to is invoiced: this one is %s (a missed visit or a late "
		                      "cancellation is billed as a fee).",
		                      !strcmp(a.status, "no_show") ? "marked no-show" : a.status);
	visit_check v = {0};
	if ((e = rc_invoices_of_visit(db, a.id, "visit", open_invoice, &v)))
		return e;
	if (v.open_number)
		return rc_problem_set(c->p, RC_ECONFLICT, NULL,
		                      "This visit is already on invoice %lld: an issued invoice is not changed; correct it "
		                      "with a credit note.",
		                      (long long)v.open_number);
	if ((e = rc_service_by_id(db, a.service_id, &sv, &found)))
		return e;
	if (!found)
		return RC_EDB;
	int64_t price = c->price_set ? c->price : sv.price_cents;
	if (price != sv.price_cents && (!c->in->reason || !*c->in->reason))
		return rc_problem_set(c->p, RC_EINVAL, "reason",
		                      "'Reason' is missing: say why this visit is charged other than the service's price.");
	rc_package pkg;
	bool use = false;
	if ((e = pick_package(c, db, &a, &pkg, &use)))
		return e;
	rc_invoice inv;
	memset(&inv, 0, sizeof inv);
	snprintf(inv.kind, sizeof inv.kind, "visit");
	inv.runner_id = a.runner_id;
	inv.appointment_id = a.id;
	inv.practitioner_id = a.practitioner_id;
	inv.service_id = a.service_id;
	inv.service_at = a.starts_at;
	if (price != sv.price_cents)
		snprintf(inv.price_reason, sizeof inv.price_reason, "%s", c->in->reason);
	if (use) {
		inv.package_id = pkg.id;
		price = 0;
	}
	char kinds[400];
	if ((e = rc_bill_visit_chart(db, a.id, a.runner_id, inv.icd10, sizeof inv.icd10, kinds, sizeof kinds)))
		return e;
	rc_invoice_line lines[MAX_LINES];
	int n = 0, ncodes = 0;
	rc_service_code codes[RC_BILLING_MAX_CODES];
	bool own = false;
	if ((e = service_codes(db, c->kb, sv.id, sv.key, codes, &ncodes, &own)))
		return e;
	for (int i = 0; i < ncodes; i++)
		add_line(lines, &n, codes[i].description, codes[i].cpt, codes[i].units, i ? 0 : price);
	if (!ncodes)
		add_line(lines, &n, sv.name, "", 1, price);
	if (use) {
		char prepaid[200];
		snprintf(prepaid, sizeof prepaid, "%.80s (prepaid: %.80s, visit %d of %d)", lines[0].description, pkg.name,
		         pkg.used + 1, pkg.visits);
		snprintf(lines[0].description, sizeof lines[0].description, "%s", prepaid);
	}
	for (char *k = kinds, *next; k && *k && n < MAX_LINES; k = next) {
		next = strchr(k, ',');
		if (next)
			*next++ = '\0';
		const rc_billing_treatment *t = rc_billing_treatment_code(c->kb, k);
		bool dup = false;
		for (int i = 0; t && i < n; i++)
			dup = dup || !strcmp(lines[i].cpt, t->code.cpt);
		if (t && !dup)
			add_line(lines, &n, t->code.description, t->code.cpt, t->code.units, t->code.charge_cents);
	}
	if ((e = write_invoice(uc, db, &inv, lines, n, c->out, c->p)))
		return e;
	if (use && (e = rc_package_use_insert(db, pkg.id, a.id, inv.id, uc->now)))
		return e;
	char total[40];
	rc_money_format(inv.total_cents, total, sizeof total);
	return audit(uc, db, "invoice.issue", inv.runner_id, "invoice %lld for visit %lld: %s%s%s", (long long)inv.number,
	             (long long)a.id, total, use ? ", drawn from package " : "", use ? pkg.name : "");
}

rc_err rc_app_bill_invoice_visit(const rc_uc *uc, const rc_billing_kb *kb, const rc_invoice_visit_in *in,
                                 rc_invoice_doc *out, rc_problem *p)
{
	rc_err e = desk_only(uc, p);
	if (e)
		return e;
	issue_ctx c = {uc, kb, in, "visit", false, 0, out, p};
	if (in->price && *in->price) {
		char why[200];
		if (rc_money_parse("Charge", in->price, RC_MONEY_MAX_CENTS, &c.price, why, sizeof why))
			return rc_problem_set(p, RC_EINVAL, "price", "%s", why);
		c.price_set = true;
	}
	if ((e = optional_line("Reason", "reason", in->reason, RC_BILL_REASON_MAX, false, p)))
		return e;
	return in_tx(uc, visit_tx, &c, p, "The invoice could not be saved; try again.");
}

/* --- fees ------------------------------------------------------------------------------------------------ */

static rc_err fee_tx(rc_db *db, void *arg)
{
	issue_ctx *c = arg;
	rc_appointment a;
	bool found = false;
	rc_err e = rc_appointment_get(db, c->in->appointment_id, &a, &found);
	if (e)
		return e;
	if (!found)
		return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such visit.");
	bool no_show = !strcmp(c->kind, "no_show_fee");
	int64_t fee = no_show ? c->kb->no_show_cents : c->kb->late_cancel_cents;
	if (no_show && strcmp(a.status, "no_show") != 0)
		return rc_problem_set(c->p, RC_EINVAL, NULL, "A no-show fee is charged only for a visit marked no-show.");
	if (!no_show) {
		int64_t at = 0;
		if ((e = rc_bill_cancelled_at(db, a.id, &at)))
			return e;
		if (!at || a.starts_at - at >= (int64_t)c->kb->late_cancel_hours * 3600)
			return rc_problem_set(c->p, RC_EINVAL, NULL,
			                      "A late-cancellation fee is charged only for a visit cancelled within %d hours of "
			                      "its start.",
			                      c->kb->late_cancel_hours);
	}
	if (fee <= 0)
		return rc_problem_set(c->p, RC_EINVAL, NULL, "The clinic's policy charges no such fee.");
	visit_check v = {0};
	if ((e = rc_invoices_of_visit(db, a.id, c->kind, open_invoice, &v)))
		return e;
	if (v.open_number)
		return rc_problem_set(c->p, RC_ECONFLICT, NULL, "This fee is already on invoice %lld.",
		                      (long long)v.open_number);
	rc_invoice inv;
	memset(&inv, 0, sizeof inv);
	snprintf(inv.kind, sizeof inv.kind, "%s", c->kind);
	inv.runner_id = a.runner_id;
	inv.appointment_id = a.id;
	inv.practitioner_id = a.practitioner_id;
	inv.service_id = a.service_id;
	inv.service_at = a.starts_at;
	rc_invoice_line line[1];
	int n = 0;
	char what[200];
	snprintf(what, sizeof what, "%.40s: %.80s", rc_bill_kind_label(c->kind), a.service_name);
	add_line(line, &n, what, "", 1, fee);
	if ((e = write_invoice(c->uc, db, &inv, line, n, c->out, c->p)))
		return e;
	char total[40];
	rc_money_format(fee, total, sizeof total);
	return audit(c->uc, db, "invoice.fee", inv.runner_id, "invoice %lld, %s for visit %lld: %s", (long long)inv.number,
	             rc_bill_kind_label(c->kind), (long long)a.id, total);
}

rc_err rc_app_bill_fee(const rc_uc *uc, const rc_billing_kb *kb, int64_t appointment_id, const char *kind,
                       rc_invoice_doc *out, rc_problem *p)
{
	rc_err e = desk_only(uc, p);
	if (e)
		return e;
	if (!kb)
		return rc_problem_set(p, RC_EINVAL, NULL, "The clinic has no fee policy (content/billing.json).");
	if (!kind || (strcmp(kind, "no_show_fee") && strcmp(kind, "late_cancel_fee")))
		return rc_problem_set(p, RC_EINVAL, "kind", "'Fee' must be a no-show fee or a late-cancellation fee.");
	rc_invoice_visit_in in = {.appointment_id = appointment_id};
	issue_ctx c = {uc, kb, &in, kind, false, 0, out, p};
	return in_tx(uc, fee_tx, &c, p, "The fee could not be saved; try again.");
}

/* --- packages -------------------------------------------------------------------------------------------- */

typedef struct {
	const rc_uc *uc;
	const rc_billing_package *plan;
	int64_t runner_id;
	rc_invoice_doc *out;
	rc_problem *p;
} sell_ctx;

static rc_err sell_tx(rc_db *db, void *arg)
{
	sell_ctx *c = arg;
	rc_service sv;
	rc_account who;
	bool found = false;
	rc_err e = rc_account_by_id(db, c->runner_id, &who, &found);
	if (e)
		return e;
	if (!found || who.role != RC_ROLE_RUNNER)
		return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such patient.");
	if ((e = rc_service_by_key(db, c->plan->service, &sv, &found)))
		return e;
	if (!found)
		return rc_problem_set(c->p, RC_EINVAL, "package", "Package '%s' names service '%s', which the clinic does "
		                                                  "not offer.", c->plan->name, c->plan->service);
	rc_package k;
	memset(&k, 0, sizeof k);
	k.runner_id = c->runner_id;
	snprintf(k.plan_key, sizeof k.plan_key, "%s", c->plan->key);
	snprintf(k.name, sizeof k.name, "%s", c->plan->name);
	k.service_id = sv.id;
	k.visits = c->plan->visits;
	k.price_cents = c->plan->price_cents;
	k.sold_at = c->uc->now;
	k.expires_at = rc_tz_day_number_start(rc_tz_day_number(c->uc->now) + c->plan->valid_days + 1);
	k.sold_by = c->uc->actor->id;
	if ((e = rc_package_insert(db, &k)))
		return e;
	rc_invoice inv;
	memset(&inv, 0, sizeof inv);
	snprintf(inv.kind, sizeof inv.kind, "package");
	inv.runner_id = c->runner_id;
	inv.package_id = k.id;
	inv.service_id = sv.id;
	rc_invoice_line line[1];
	int n = 0;
	char what[200];
	snprintf(what, sizeof what, "%.80s (%d visits of %.80s)", k.name, k.visits, sv.name);
	add_line(line, &n, what, "", 1, k.price_cents);
	if ((e = write_invoice(c->uc, db, &inv, line, n, c->out, c->p)))
		return e;
	char total[40];
	rc_money_format(k.price_cents, total, sizeof total);
	return audit(c->uc, db, "package.sell", c->runner_id, "package %s on invoice %lld: %s", k.name,
	             (long long)inv.number, total);
}

rc_err rc_app_bill_sell_package(const rc_uc *uc, const rc_billing_kb *kb, int64_t runner_id, const char *key,
                                rc_invoice_doc *out, rc_problem *p)
{
	rc_err e = desk_only(uc, p);
	if (e)
		return e;
	const rc_billing_package *plan = key ? rc_billing_package_by_key(kb, key) : NULL;
	if (!plan)
		return rc_problem_set(p, RC_EINVAL, "package", "'Package' must be one of the clinic's packages.");
	sell_ctx c = {uc, plan, runner_id, out, p};
	return in_tx(uc, sell_tx, &c, p, "The package could not be saved; try again.");
}

/* --- credit notes ------------------------------------------------------------------------------------------ */

typedef struct {
	const rc_uc *uc;
	const rc_credit_in *in;
	int64_t amount;
	rc_credit_note *out;
	rc_problem *p;
} credit_ctx;

static rc_err credit_tx(rc_db *db, void *arg)
{
	credit_ctx *c = arg;
	rc_invoice inv;
	bool found = false;
	rc_err e = rc_invoice_get(db, c->in->invoice_id, &inv, &found);
	if (e)
		return e;
	if (!found)
		return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such invoice.");
	rc_money_invoice m = {inv.total_cents, inv.credited_cents, inv.paid_cents, inv.refunded_cents};
	char why[240];
	if (rc_money_check_credit("Amount", c->amount, rc_money_creditable(&m), why, sizeof why))
		return rc_problem_set(c->p, RC_EINVAL, "amount_cents", "%s", why);
	rc_credit_note *cn = c->out;
	memset(cn, 0, sizeof *cn);
	cn->invoice_id = inv.id;
	cn->runner_id = inv.runner_id;
	cn->amount_cents = c->amount;
	snprintf(cn->reason, sizeof cn->reason, "%s", c->in->reason);
	cn->issued_at = c->uc->now;
	cn->issued_by = c->uc->actor->id;
	if ((e = rc_bill_next_number(db, "credit_note", &cn->number)) || (e = rc_credit_note_insert(db, cn)))
		return e;
	char amount[40];
	rc_money_format(c->amount, amount, sizeof amount);
	return audit(c->uc, db, "invoice.credit", inv.runner_id, "credit note %lld on invoice %lld: %s (%s)",
	             (long long)cn->number, (long long)inv.number, amount, cn->reason);
}

rc_err rc_app_bill_credit(const rc_uc *uc, const rc_credit_in *in, rc_credit_note *out, rc_problem *p)
{
	credit_ctx c = {uc, in, 0, out, p};
	rc_err e = desk_only(uc, p);
	if (!e)
		e = amount_of("Amount", "amount_cents", in->amount, in->amount_cents, &c.amount, p);
	if (!e)
		e = optional_line("Reason", "reason", in->reason, RC_BILL_REASON_MAX, true, p);
	if (e)
		return e;
	return in_tx(uc, credit_tx, &c, p, "The credit note could not be saved; try again.");
}

/* --- payments and refunds ------------------------------------------------------------------------------------ */

typedef struct {
	const rc_uc *uc;
	rc_payment want; /* what to write: everything but id */
	const char *key;
	rc_payment *out;
	bool *existing;
	rc_problem *p;
} pay_ctx;

/* The same key again: the same payment, or a conflict when the key was used for something else. */
static rc_err replay(pay_ctx *c, rc_db *db, bool *done)
{
	bool found = false;
	*done = false;
	if (!c->key || !*c->key)
		return RC_OK;
	rc_err e = rc_payment_by_key(db, c->uc->actor->id, c->key, c->out, &found);
	if (e || !found)
		return e;
	*done = true;
	*c->existing = true;
	if (c->out->amount_cents != c->want.amount_cents || (c->want.runner_id && c->out->runner_id != c->want.runner_id) ||
	    c->out->invoice_id != c->want.invoice_id || strcmp(c->out->kind, c->want.kind) ||
	    c->out->refund_of != c->want.refund_of)
		return rc_problem_set(c->p, RC_ECONFLICT, "Idempotency-Key",
		                      "This Idempotency-Key was already used for a different payment; use a new key for a new "
		                      "payment.");
	return RC_OK;
}

static rc_err pay_tx(rc_db *db, void *arg)
{
	pay_ctx *c = arg;
	rc_payment *w = &c->want;
	bool done;
	rc_err e = replay(c, db, &done);
	if (e || done)
		return e;
	int64_t owed = -1, number = 0;
	if (w->invoice_id) {
		rc_invoice inv;
		bool found = false;
		if ((e = rc_invoice_get(db, w->invoice_id, &inv, &found)))
			return e;
		if (!found)
			return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such invoice.");
		if (w->runner_id && w->runner_id != inv.runner_id)
			return rc_problem_set(c->p, RC_EINVAL, "invoice", "Invoice %lld is not this patient's.",
			                      (long long)inv.number);
		w->runner_id = inv.runner_id;
		number = inv.number;
		rc_money_invoice m = {inv.total_cents, inv.credited_cents, inv.paid_cents, inv.refunded_cents};
		owed = rc_money_payable(&m);
	} else {
		rc_account who;
		bool found = false;
		if ((e = rc_account_by_id(db, w->runner_id, &who, &found)))
			return e;
		if (!found || who.role != RC_ROLE_RUNNER)
			return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such patient.");
	}
	char why[240];
	if (rc_money_check_payment("Amount", w->amount_cents, owed, why, sizeof why))
		return rc_problem_set(c->p, RC_EINVAL, "amount_cents", "%s", why);
	w->taken_at = c->uc->now;
	w->taken_by = c->uc->actor->id;
	if ((e = rc_payment_insert(db, w, c->key)))
		return e;
	*c->out = *w;
	c->out->invoice_number = number;
	char amount[40];
	rc_money_format(w->amount_cents, amount, sizeof amount);
	if (number)
		return audit(c->uc, db, "payment.take", w->runner_id, "payment %lld, %s, on invoice %lld: %s", (long long)w->id,
		             rc_bill_method_label(w->method), (long long)number, amount);
	return audit(c->uc, db, "payment.take", w->runner_id, "payment %lld, %s, on account: %s", (long long)w->id,
	             rc_bill_method_label(w->method), amount);
}

static rc_err refund_tx(rc_db *db, void *arg)
{
	pay_ctx *c = arg;
	rc_payment *w = &c->want, orig;
	bool found = false;
	rc_err e = rc_payment_get(db, w->refund_of, &orig, &found);
	if (e)
		return e;
	if (!found || strcmp(orig.kind, "payment"))
		return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such payment.");
	w->runner_id = orig.runner_id;
	w->invoice_id = orig.invoice_id;
	if (!w->method[0])
		snprintf(w->method, sizeof w->method, "%s", orig.method);
	bool done;
	if ((e = replay(c, db, &done)) || done)
		return e;
	char why[240];
	if (rc_money_check_refund("Amount", w->amount_cents, orig.amount_cents, orig.refunded_cents, why, sizeof why))
		return rc_problem_set(c->p, RC_EINVAL, "amount_cents", "%s", why);
	w->taken_at = c->uc->now;
	w->taken_by = c->uc->actor->id;
	if ((e = rc_payment_insert(db, w, c->key)))
		return e;
	*c->out = *w;
	c->out->invoice_number = orig.invoice_number;
	char amount[40];
	rc_money_format(w->amount_cents, amount, sizeof amount);
	return audit(c->uc, db, "payment.refund", w->runner_id, "refund %lld of payment %lld, %s: %s (%s)",
	             (long long)w->id, (long long)orig.id, rc_bill_method_label(w->method), amount, w->reference);
}

static rc_err run_pay(pay_ctx *c, rc_tx_fn fn)
{
	c->p->text[0] = '\0';
	rc_err e = rc_db_tx(c->uc->db, fn, c);
	if (e == RC_ECONFLICT && !c->p->text[0] && c->key && *c->key) {
		/* Two requests with one key at once: the other wrote first; answer with what it wrote. */
		bool found = false;
		if (!rc_payment_by_key(c->uc->db, c->uc->actor->id, c->key, c->out, &found) && found) {
			*c->existing = true;
			return RC_OK;
		}
	}
	if (e && !c->p->text[0])
		rc_problem_set(c->p, e, NULL, "The payment could not be saved; try again.");
	return e;
}

static rc_err check_key(const char *key, rc_problem *p)
{
	if (key && *key && (!rc_text_is_line(key, RC_BILL_KEY_MAX) || strlen(key) > RC_BILL_KEY_MAX))
		return rc_problem_set(p, RC_EINVAL, "Idempotency-Key", "The Idempotency-Key must be one line of at most %d "
		                                                       "characters.", RC_BILL_KEY_MAX);
	return RC_OK;
}

rc_err rc_app_bill_pay(const rc_uc *uc, const rc_pay_in *in, rc_payment *out, bool *existing, rc_problem *p)
{
	pay_ctx c = {uc, {0}, in->key, out, existing, p};
	*existing = false;
	rc_err e = desk_only(uc, p);
	if (e || (e = check_key(in->key, p)))
		return e;
	if (method_index(in->method) < 0)
		return rc_problem_set(p, RC_EINVAL, "method",
		                      "'Method' must be card (terminal), cash, check, HSA/FSA card or other.");
	if ((e = amount_of("Amount", "amount_cents", in->amount, in->amount_cents, &c.want.amount_cents, p)) ||
	    (e = optional_line("Reference", "reference", in->reference, RC_BILL_REFERENCE_MAX, false, p)))
		return e;
	if (!in->invoice_id && !in->runner_id)
		return rc_problem_set(p, RC_EINVAL, "invoice", "Say which invoice is paid, or whose account the money goes on.");
	snprintf(c.want.kind, sizeof c.want.kind, "payment");
	snprintf(c.want.method, sizeof c.want.method, "%s", in->method);
	snprintf(c.want.reference, sizeof c.want.reference, "%s", in->reference ? in->reference : "");
	c.want.runner_id = in->runner_id;
	c.want.invoice_id = in->invoice_id;
	return run_pay(&c, pay_tx);
}

rc_err rc_app_bill_refund(const rc_uc *uc, const rc_refund_in *in, rc_payment *out, bool *existing, rc_problem *p)
{
	pay_ctx c = {uc, {0}, in->key, out, existing, p};
	*existing = false;
	rc_err e = desk_only(uc, p);
	if (e || (e = check_key(in->key, p)))
		return e;
	if (in->method && *in->method && method_index(in->method) < 0)
		return rc_problem_set(p, RC_EINVAL, "method",
		                      "'Method' must be card (terminal), cash, check, HSA/FSA card or other.");
	if ((e = amount_of("Amount", "amount_cents", in->amount, in->amount_cents, &c.want.amount_cents, p)) ||
	    (e = optional_line("Reason", "reason", in->reason, RC_BILL_REFERENCE_MAX, true, p)))
		return e;
	snprintf(c.want.kind, sizeof c.want.kind, "refund");
	snprintf(c.want.method, sizeof c.want.method, "%s", in->method ? in->method : "");
	snprintf(c.want.reference, sizeof c.want.reference, "%s", in->reason);
	c.want.refund_of = in->payment_id;
	return run_pay(&c, refund_tx);
}

/* --- reading ----------------------------------------------------------------------------------------------- */

rc_err rc_app_bill_payment(const rc_uc *uc, int64_t payment_id, rc_payment *out, bool *found, rc_problem *p)
{
	rc_err e = rc_payment_get(uc->db, payment_id, out, found);
	if (e)
		return rc_problem_set(p, e, NULL, "The payment could not be read; try again.");
	/* Payments are the desk's and the patient's; a practitioner reads what their visits were billed. */
	if (*found && (!may_see(uc, out->runner_id) || uc->actor->role == RC_ROLE_PRACTITIONER))
		*found = false;
	return RC_OK;
}

rc_err rc_app_bill_invoice(const rc_uc *uc, int64_t invoice_id, rc_invoice_doc *out, rc_problem *p)
{
	bool found = false;
	bill_scope sc;
	rc_err e = scope_of(uc, &sc);
	if (!e)
		e = load_doc(uc, uc->db, invoice_id, out, &found);
	if (e)
		return rc_problem_set(p, e, NULL, "The invoice could not be read; try again.");
	if (!found || !may_see(uc, out->inv.runner_id))
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such invoice.");
	if (!sees_invoice(uc, &sc, &out->inv))
		return rc_problem_set(p, RC_EFORBIDDEN, NULL,
		                      "This invoice is not for a visit of yours: a practitioner sees what was billed for their "
		                      "own visits.");
	if (sc.own_visits) { /* what was billed, not who paid what */
		out->npayments = 0;
		out->billed_only = true;
	}
	return RC_OK;
}

/* The visits of a runner that are billable and not billed: arrived without a live visit invoice, no-show
 * without a fee invoice. */
static rc_err unbilled(const rc_uc *uc, int64_t runner_id, const rc_invoice *inv, size_t ninv, rc_bill_account *out)
{
	collect all = COLLECT(uc, rc_appointment);
	rc_err e = rc_appointments_of_runner(uc->db, runner_id, push_appointment, &all);
	if (e || all.full)
		return e ? e : RC_ENOMEM;
	rc_appointment *a = all.items;
	size_t n = 0;
	for (size_t i = 0; i < all.n; i++) {
		bool arrived = !strcmp(a[i].status, "arrived"), no_show = !strcmp(a[i].status, "no_show");
		if (!arrived && !no_show)
			continue;
		bool billed = false;
		for (size_t k = 0; k < ninv && !billed; k++)
			billed = inv[k].appointment_id == a[i].id && live(&inv[k]) &&
			         !strcmp(inv[k].kind, arrived ? "visit" : "no_show_fee");
		if (!billed)
			a[n++] = a[i];
	}
	out->unbilled = a;
	out->nunbilled = n;
	return RC_OK;
}

/* A visit a package paid for bills $0.00 (the package's own invoice took the money); an insurer still needs
 * its charge and that it was paid: on a superbill it is its part of the package's price, paid in advance. */
static rc_err superbill_prepaid(const rc_uc *uc, rc_invoice_doc *d)
{
	if (!d->inv.package_id || strcmp(d->inv.kind, "visit") || !d->nlines)
		return RC_OK;
	rc_package k;
	bool found = false;
	int rank = 0;
	rc_err e = rc_package_get(uc->db, d->inv.package_id, &k, &found);
	if (!e && found)
		e = rc_package_use_rank(uc->db, k.id, d->inv.id, &rank);
	if (e || !found || !rank)
		return e;
	d->prepaid_cents = rc_money_share(k.price_cents, k.visits, rank);
	snprintf(d->prepaid_by, sizeof d->prepaid_by, "%s", k.name);
	d->lines[0].amount_cents += d->prepaid_cents;
	d->inv.total_cents += d->prepaid_cents;
	d->inv.paid_cents += d->prepaid_cents;
	return RC_OK;
}

rc_err rc_app_bill_superbill(const rc_uc *uc, int64_t invoice_id, rc_superbill *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	rc_err e = rc_app_bill_invoice(uc, invoice_id, &out->doc, p);
	if (e)
		return e;
	rc_profile prof;
	bool found = false;
	if ((e = rc_profile_get(uc->db, out->doc.inv.runner_id, &prof, &found)) || (e = superbill_prepaid(uc, &out->doc)))
		return rc_problem_set(p, e, NULL, "The patient's details could not be read; try again.");
	if (found)
		snprintf(out->date_of_birth, sizeof out->date_of_birth, "%s", prof.date_of_birth);
	return RC_OK;
}

rc_err rc_app_bill_superbill_period(const rc_uc *uc, int64_t runner_id, int64_t from_day, int64_t to_day,
                                    rc_superbill_period *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (!may_see(uc, runner_id))
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such patient.");
	bill_scope sc;
	rc_err e = scope_of(uc, &sc);
	if (e)
		return rc_problem_set(p, e, NULL, "The superbill could not be read; try again.");
	out->own_visits_only = sc.own_visits;
	if (to_day < from_day)
		return rc_problem_set(p, RC_EINVAL, "to", "'To' must be on or after 'From'.");
	if (to_day - from_day + 1 > RC_BILL_SUPERBILL_MAX_DAYS)
		return rc_problem_set(p, RC_EINVAL, "to", "A superbill covers at most a year.");
	out->from_day = from_day;
	out->to_day = to_day;
	rc_account who;
	rc_profile prof;
	bool found = false, has_profile = false;
	collect inv = COLLECT(uc, rc_invoice);
	e = rc_account_by_id(uc->db, runner_id, &who, &found);
	if (!e && (!found || who.role != RC_ROLE_RUNNER))
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such patient.");
	if (!e)
		e = rc_profile_get(uc->db, runner_id, &prof, &has_profile);
	if (!e)
		e = rc_invoices_of_runner(uc->db, runner_id, push_invoice, &inv);
	if (!e && inv.full)
		e = RC_ENOMEM;
	if (e)
		return rc_problem_set(p, e, NULL, "The superbill could not be read; try again.");
	snprintf(out->name, sizeof out->name, "%s", who.name);
	if (has_profile)
		snprintf(out->date_of_birth, sizeof out->date_of_birth, "%s", prof.date_of_birth);
	const rc_invoice *list = inv.items;
	out->docs = rc_arena_alloc(uc->arena, (inv.n ? inv.n : 1) * sizeof *out->docs);
	if (!out->docs)
		return rc_problem_set(p, RC_ENOMEM, NULL, "The superbill is too large.");
	/* Newest first from the store: walk back for the oldest first. */
	for (size_t i = inv.n; i-- > 0;) {
		int64_t day = list[i].service_at ? rc_tz_day_number(list[i].service_at) : 0;
		if (strcmp(list[i].kind, "visit") || day < from_day || day > to_day || !sees_invoice(uc, &sc, &list[i]))
			continue;
		rc_invoice_doc *d = &out->docs[out->ndocs];
		bool there = false;
		if ((e = load_doc(uc, uc->db, list[i].id, d, &there)) || (there && (e = superbill_prepaid(uc, d))))
			return rc_problem_set(p, e, NULL, "The superbill could not be read; try again.");
		if (!there)
			continue;
		out->ndocs++;
		out->charges_cents += d->inv.total_cents;
		out->credited_cents += d->inv.credited_cents;
		out->paid_cents += d->inv.paid_cents - d->inv.refunded_cents;
	}
	return RC_OK;
}

rc_err rc_app_bill_account(const rc_uc *uc, int64_t runner_id, rc_bill_account *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (!may_see(uc, runner_id))
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such patient.");
	bill_scope sc;
	collect inv = COLLECT(uc, rc_invoice), pay = COLLECT(uc, rc_payment), cn = COLLECT(uc, rc_credit_note),
	        pk = COLLECT(uc, rc_package);
	rc_account who;
	bool found = false;
	rc_err e = scope_of(uc, &sc);
	if (!e)
		e = rc_account_by_id(uc->db, runner_id, &who, &found);
	if (!e && (!found || who.role != RC_ROLE_RUNNER))
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such patient.");
	snprintf(out->name, sizeof out->name, "%s", found ? who.name : "");
	if (!e)
		e = rc_db_begin_snapshot(uc->db);
	if (!e && !(e = rc_bill_totals_of(uc->db, runner_id, &out->totals)) &&
	    !(e = rc_invoices_of_runner(uc->db, runner_id, push_invoice, &inv)) &&
	    !(e = rc_payments_of_runner(uc->db, runner_id, push_payment, &pay)) &&
	    !(e = rc_credit_notes_of_runner(uc->db, runner_id, push_credit, &cn)))
		e = rc_packages_of_runner(uc->db, runner_id, push_package, &pk);
	rc_db_rollback(uc->db);
	if (!e && (inv.full || pay.full || cn.full || pk.full))
		e = RC_ENOMEM;
	if (e)
		return rc_problem_set(p, e, NULL, "The account could not be read; try again.");
	out->invoices = inv.items;
	out->ninvoices = inv.n;
	out->payments = pay.items;
	out->npayments = pay.n;
	out->credits = cn.items;
	out->ncredits = cn.n;
	out->packages = pk.items;
	out->npackages = pk.n;
	if (sc.own_visits) {
		/* A practitioner's view: the invoices of their own visits; the patient's money is the desk's. */
		size_t n = 0;
		for (size_t i = 0; i < out->ninvoices; i++)
			if (sees_invoice(uc, &sc, &out->invoices[i]))
				out->invoices[n++] = out->invoices[i];
		out->ninvoices = n;
		out->npayments = out->ncredits = out->npackages = 0;
		memset(&out->totals, 0, sizeof out->totals);
		out->own_visits_only = true;
		return RC_OK;
	}
	if (sc.all && (e = unbilled(uc, runner_id, out->invoices, out->ninvoices, out)))
		return rc_problem_set(p, e, NULL, "The account could not be read; try again.");
	return RC_OK;
}

rc_err rc_app_bill_balance(const rc_uc *uc, int64_t runner_id, rc_bill_totals *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (uc->actor->role == RC_ROLE_PRACTITIONER)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL,
		                      "A patient's balance is the front desk's: a practitioner sees what was billed for their "
		                      "own visits.");
	if (!may_see(uc, runner_id))
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such patient.");
	/* The figures alone: not the invoices, payments and packages the account page reads. */
	rc_account who;
	bool found = false;
	rc_err e = rc_account_by_id(uc->db, runner_id, &who, &found);
	if (!e && (!found || who.role != RC_ROLE_RUNNER))
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such patient.");
	if (!e)
		e = rc_bill_totals_of(uc->db, runner_id, out);
	return e ? rc_problem_set(p, e, NULL, "The balance could not be read; try again.") : RC_OK;
}

rc_err rc_app_bill_day(const rc_uc *uc, int64_t day, rc_bill_day *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	out->day = day;
	rc_err e = desk_only(uc, p);
	if (e)
		return e;
	collect pay = COLLECT(uc, rc_payment);
	e = rc_payments_between(uc->db, rc_tz_day_number_start(day), rc_tz_day_number_start(day + 1), push_payment, &pay);
	if (!e && pay.full)
		e = RC_ENOMEM;
	if (e)
		return rc_problem_set(p, e, NULL, "The day's payments could not be read; try again.");
	out->payments = pay.items;
	out->npayments = pay.n;
	collect todo = COLLECT(uc, rc_appointment);
	e = rc_bill_unbilled_between(uc->db, rc_tz_day_number_start(day + 1 - RC_BILL_DAY_LOOKBACK),
	                             rc_tz_day_number_start(day + 1), push_appointment, &todo);
	if (!e && todo.full)
		e = RC_ENOMEM;
	if (e)
		return rc_problem_set(p, e, NULL, "The visits to bill could not be read; try again.");
	out->unbilled = todo.items;
	out->nunbilled = todo.n;
	for (size_t i = 0; i < pay.n; i++) {
		const rc_payment *x = &out->payments[i];
		int m = method_index(x->method);
		bool refund = !strcmp(x->kind, "refund");
		if (m >= 0)
			out->by_method[m] += refund ? -x->amount_cents : x->amount_cents;
		if (refund)
			out->refunded_cents += x->amount_cents;
		else
			out->taken_cents += x->amount_cents;
	}
	out->net_cents = out->taken_cents - out->refunded_cents;
	return RC_OK;
}

/* --- the administrator's report ------------------------------------------------------------------------ */

typedef struct {
	const rc_uc *uc;
	collect months, practitioners, services;
	rc_bill_report *out;
} report_ctx;

/* Adds an invoice's figures to the row labelled label (made when new). */
static void tally(collect *c, const char *label, const rc_invoice *inv)
{
	rc_bill_row *rows = c->items;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(rows[i].label, label)) {
			rows[i].invoices++;
			rows[i].invoiced_cents += inv->total_cents;
			rows[i].credited_cents += inv->credited_cents;
			rows[i].net_cents += inv->total_cents - inv->credited_cents;
			return;
		}
	rc_bill_row r = {rc_arena_strdup(c->a, label), 1, inv->total_cents, inv->credited_cents,
	                 inv->total_cents - inv->credited_cents};
	if (r.label)
		push(c, &r);
	else
		c->full = true;
}

static void report_invoice(void *ctx, const rc_invoice *inv)
{
	report_ctx *c = ctx;
	char month[8];
	rc_tz_format(inv->issued_at, "%Y-%m", month, sizeof month);
	tally(&c->months, month, inv);
	tally(&c->practitioners, inv->practitioner_name[0] ? inv->practitioner_name : "(no practitioner: packages)", inv);
	tally(&c->services, inv->service_name[0] ? inv->service_name : "(none)", inv);
	c->out->invoiced_cents += inv->total_cents;
	c->out->credited_cents += inv->credited_cents;
}

static void report_payment(void *ctx, const rc_payment *pay)
{
	report_ctx *c = ctx;
	int m = method_index(pay->method);
	bool refund = !strcmp(pay->kind, "refund");
	if (m < 0)
		return;
	rc_bill_row *row = &c->out->methods[m];
	row->invoices++;
	row->invoiced_cents += refund ? 0 : pay->amount_cents;
	row->credited_cents += refund ? pay->amount_cents : 0;
	row->net_cents += refund ? -pay->amount_cents : pay->amount_cents;
	if (refund)
		c->out->refunded_cents += pay->amount_cents;
	else
		c->out->taken_cents += pay->amount_cents;
}

typedef struct {
	collect list;
	int64_t owed;
} owing_ctx;

static void push_owing(void *ctx, const rc_bill_owing *o)
{
	owing_ctx *c = ctx;
	push(&c->list, o);
	if (o->balance_cents > 0)
		c->owed += o->balance_cents;
}

rc_err rc_app_bill_report(const rc_uc *uc, int64_t from_day, int64_t to_day, rc_bill_report *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (uc->actor->role != RC_ROLE_ADMIN)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "The revenue reports are the administrator's.");
	if (to_day < from_day)
		return rc_problem_set(p, RC_EINVAL, "to", "'To' must be on or after 'From'.");
	if (to_day - from_day + 1 > RC_BILL_REPORT_MAX_DAYS)
		return rc_problem_set(p, RC_EINVAL, "to", "A report covers at most three years.");
	out->from_day = from_day;
	out->to_day = to_day;
	report_ctx c = {uc, COLLECT(uc, rc_bill_row), COLLECT(uc, rc_bill_row), COLLECT(uc, rc_bill_row), out};
	owing_ctx ow = {COLLECT(uc, rc_bill_owing), 0};
	out->methods = rc_arena_alloc(uc->arena, sizeof *out->methods * rc_bill_nmethods);
	if (!out->methods)
		return rc_problem_set(p, RC_ENOMEM, NULL, "The report is too large.");
	memset(out->methods, 0, sizeof *out->methods * rc_bill_nmethods);
	for (size_t i = 0; i < rc_bill_nmethods; i++)
		out->methods[i].label = rc_bill_methods[i].label;
	out->nmethods = rc_bill_nmethods;
	int64_t from = rc_tz_day_number_start(from_day), to = rc_tz_day_number_start(to_day + 1);
	rc_err e = rc_db_begin_snapshot(uc->db);
	if (!e && !(e = rc_invoices_between(uc->db, from, to, report_invoice, &c)) &&
	    !(e = rc_payments_between(uc->db, from, to, report_payment, &c)))
		e = rc_bill_owing_list(uc->db, push_owing, &ow);
	rc_db_rollback(uc->db);
	if (!e && (c.months.full || c.practitioners.full || c.services.full || ow.list.full))
		e = RC_ENOMEM;
	if (e)
		return rc_problem_set(p, e, NULL, "The report could not be read; try again.");
	out->months = c.months.items;
	out->nmonths = c.months.n;
	out->practitioners = c.practitioners.items;
	out->npractitioners = c.practitioners.n;
	out->services = c.services.items;
	out->nservices = c.services.n;
	out->owing = ow.list.items;
	out->nowing = ow.list.n;
	out->owed_cents = ow.owed;
	out->net_cents = out->invoiced_cents - out->credited_cents;
	return RC_OK;
}
