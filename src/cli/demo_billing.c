/* demo_billing.c — the demo clinic's books: every visit that took place is invoiced when it ends, most paid
 * at the desk (card, cash, HSA/FSA card, check) and a few left owing, a no-show charged its fee, a patient with
 * a package of acupuncture visits drawing it down, two recent visits left for the front desk to bill, and the
 * demo runner (Rosa) with a package she paid part of: her one invoice outstanding. Each through the use cases,
 * at the moment it stands for. (Rosa has no visits of her own here: the booking cases start from none.) */
#include <stdio.h>
#include <string.h>

#include "app/billing.h"
#include "base/arena.h"
#include "base/time.h"
#include "cli/cli.h"
#include "content/billing.h"
#include "store/account.h"
#include "store/booking.h"

typedef struct {
	rc_appointment *list;
	size_t n, cap;
} visits;

static void keep(void *ctx, const rc_appointment *a)
{
	visits *v = ctx;
	if (v->n < v->cap && (!strcmp(a->status, "arrived") || !strcmp(a->status, "no_show")))
		v->list[v->n++] = *a;
}

rc_err rc_cli_demo_billing(rc_db *db, const rc_account *desk, int64_t now, int64_t from, char *err, size_t errlen)
{
	rc_billing_kb *kb = NULL;
	rc_err e = rc_billing_kb_load(NULL, &kb, err, errlen);
	if (e)
		return e;
	rc_arena arena;
	rc_arena_init(&arena, 64 * 1024 * 1024);
	bool found = false;
	rc_account rosa = {0};
	e = rc_account_by_email(db, "runner@demo.runcare.test", &rosa, &found);
	visits v = {rc_arena_alloc(&arena, 4000 * sizeof(rc_appointment)), 0, 4000};
	if (!e && !v.list)
		e = RC_ENOMEM;
	if (!e)
		e = rc_appointments_between(db, 0, rc_tz_day_number_start(from), now, keep, &v);
	/* A package of acupuncture visits for the first patient (not Rosa) who comes for acupuncture in the last
	 * weeks, sold the day before that visit. */
	int64_t package_runner = 0;
	rc_problem p = {0};
	for (size_t i = 0; !e && i < v.n && !package_runner; i++) {
		const rc_appointment *a = &v.list[i];
		if (a->starts_at < now - 21 * 86400 || strcmp(a->service_key, "acupuncture") || a->runner_id == rosa.id ||
		    strcmp(a->status, "arrived"))
			continue;
		rc_uc uc = {db, a->starts_at - 86400, desk, "demo", &arena};
		rc_invoice_doc d;
		if (!(e = rc_app_bill_sell_package(&uc, kb, a->runner_id, "acupuncture-5", &d, &p))) {
			package_runner = a->runner_id;
			rc_pay_in pay = {.invoice_id = d.inv.id, .method = "card", .amount_cents = d.inv.total_cents};
			rc_payment out;
			bool existing;
			e = rc_app_bill_pay(&uc, &pay, &out, &existing, &p);
		}
	}
	/* Left for the front desk to bill: the package holder's latest acupuncture visit (the package pays for it)
	 * and the latest visit of someone else. */
	int64_t keep_package = 0, keep_other = 0, at_package = 0, at_other = 0;
	for (size_t i = 0; i < v.n; i++) {
		const rc_appointment *a = &v.list[i];
		if (strcmp(a->status, "arrived"))
			continue;
		if (a->runner_id == package_runner && !strcmp(a->service_key, "acupuncture") && a->starts_at > at_package)
			keep_package = a->id, at_package = a->starts_at;
		else if (a->runner_id != package_runner && a->starts_at > at_other)
			keep_other = a->id, at_other = a->starts_at;
	}
	static const char *const methods[] = {"card", "card", "cash", "hsa_fsa", "card", "check"};
	for (size_t i = 0; !e && i < v.n; i++) {
		const rc_appointment *a = &v.list[i];
		bool no_show = !strcmp(a->status, "no_show");
		if (a->id == keep_package || a->id == keep_other)
			continue;
		rc_uc uc = {db, a->ends_at + 10 * 60, desk, "demo", &arena};
		rc_invoice_doc d;
		if (no_show) {
			e = rc_app_bill_fee(&uc, kb, a->id, "no_show_fee", &d, &p);
			if (e == RC_EINVAL || e == RC_ECONFLICT)
				e = RC_OK; /* a policy without the fee */
			continue;
		}
		rc_invoice_visit_in in = {.appointment_id = a->id};
		if ((e = rc_app_bill_invoice_visit(&uc, kb, &in, &d, &p)))
			break;
		/* Most pay at the desk on the way out; every seventh visit is left owing. */
		if (a->id % 7 == 3 || d.balance_cents <= 0)
			continue;
		rc_pay_in pay = {.invoice_id = d.inv.id, .method = methods[a->id % 6], .amount_cents = d.balance_cents};
		rc_payment out;
		bool existing;
		e = rc_app_bill_pay(&uc, &pay, &out, &existing, &p);
	}
	/* The demo runner bought a package of acupuncture visits ten days ago and paid part of it: her one invoice
	 * outstanding. */
	if (!e && found) {
		rc_uc uc = {db, now - 10 * 86400, desk, "demo", &arena};
		rc_invoice_doc d;
		if (!(e = rc_app_bill_sell_package(&uc, kb, rosa.id, "acupuncture-5", &d, &p))) {
			rc_pay_in pay = {.invoice_id = d.inv.id, .method = "card", .amount_cents = 20000, .reference = "Deposit"};
			rc_payment out;
			bool existing;
			e = rc_app_bill_pay(&uc, &pay, &out, &existing, &p);
		}
	}
	rc_arena_free(&arena);
	rc_billing_kb_free(kb);
	if (e)
		return rc_errf(err, errlen, e, "the demo's invoices: %s", p.text[0] ? p.text : rc_db_errmsg(db));
	return RC_OK;
}
