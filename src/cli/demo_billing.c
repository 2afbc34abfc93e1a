/* demo_billing.c — the demo clinic's books: every visit that took place is invoiced when it ends, most paid
 * at the desk (card, cash, HSA/FSA card) and a few left owing, a no-show charged its fee, a patient with a
 * package of acupuncture visits drawing it down, and the demo runner (Rosa) with one visit paid, one invoice
 * outstanding and yesterday's visit still to bill — each through the use cases, at the moment it stands for. */
#include <stdio.h>
#include <string.h>

#include "app/billing.h"
#include "app/booking.h"
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

/* Books the demo runner with the first practitioner on a past day at the first free quarter hour and
 * marks her arrived; 0 when no time was free (a day the practitioner does not work). */
static int64_t rosa_visit(rc_db *db, const rc_account *desk, int64_t practitioner, int64_t day, const char *service,
                          rc_arena *a)
{
	for (int minute = 8 * 60; minute <= 17 * 60; minute += 15) {
		char dn[11], local[20];
		int64_t start;
		rc_day_name(day, dn);
		snprintf(local, sizeof local, "%sT%02d:%02d", dn, minute / 60, minute % 60);
		if (!rc_tz_parse_local(local, &start))
			return 0;
		rc_uc uc = {db, start - 3 * 86400, desk, "demo", a};
		rc_booking_in in = {.service = service, .practitioner = practitioner, .start = start,
		                    .patient = "runner@demo.runcare.test", .condition = "runners_butt"};
		rc_booking_out out;
		rc_problem p = {0};
		if (rc_app_booking_book(&uc, &in, &out, &p))
			continue;
		rc_appointment done;
		uc.now = start + 5 * 60;
		if (rc_app_booking_arrived(&uc, out.appointment.id, &done, &p))
			return 0;
		return out.appointment.id;
	}
	return 0;
}

rc_err rc_cli_demo_billing(rc_db *db, const rc_account *desk, int64_t now, int64_t from, char *err, size_t errlen)
{
	rc_billing_kb *kb = NULL;
	rc_err e = rc_billing_kb_load(NULL, &kb, err, errlen);
	if (e)
		return e;
	rc_arena arena;
	rc_arena_init(&arena, 64 * 1024 * 1024);
	rc_practitioner team[4];
	size_t nteam = 0;
	e = rc_practitioners_list(db, 0, team, 4, &nteam);
	bool found = false;
	rc_account rosa;
	if (!e)
		e = rc_account_by_email(db, "runner@demo.runcare.test", &rosa, &found);
	/* Rosa's two acupuncture visits with Priya: twelve days ago (paid) and three days ago (owing). */
	int64_t today = rc_tz_day_number(now), rosa_paid = 0, rosa_owing = 0;
	for (int64_t back = 12; !e && found && nteam && back <= 16 && !rosa_paid; back++)
		rosa_paid = rosa_visit(db, desk, team[0].id, today - back, "acupuncture", &arena);
	for (int64_t back = 3; !e && found && nteam && back <= 6 && !rosa_owing; back++)
		rosa_owing = rosa_visit(db, desk, team[0].id, today - back, "acupuncture", &arena);
	/* And her latest (yesterday's, or the day before's after a Sunday), which took place and waits for the
	 * front desk to bill it. */
	int64_t rosa_tobill = 0;
	for (int64_t back = 1; !e && found && nteam && back < 3 && !rosa_tobill; back++)
		rosa_tobill = rosa_visit(db, desk, team[0].id, today - back, "acupuncture", &arena);

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
	static const char *const methods[] = {"card", "card", "cash", "hsa_fsa", "card", "check"};
	for (size_t i = 0; !e && i < v.n; i++) {
		const rc_appointment *a = &v.list[i];
		bool no_show = !strcmp(a->status, "no_show");
		if (a->id == rosa_tobill)
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
		/* Most pay at the desk on the way out; every seventh patient's visit is left owing, and Rosa's last. */
		if (a->id == rosa_owing || (a->runner_id != rosa.id && a->id % 7 == 3) || d.balance_cents <= 0)
			continue;
		rc_pay_in pay = {.invoice_id = d.inv.id, .method = methods[a->id % 6], .amount_cents = d.balance_cents};
		rc_payment out;
		bool existing;
		e = rc_app_bill_pay(&uc, &pay, &out, &existing, &p);
	}
	rc_arena_free(&arena);
	rc_billing_kb_free(kb);
	if (e)
		return rc_errf(err, errlen, e, "the demo's invoices: %s", p.text[0] ? p.text : rc_db_errmsg(db));
	return RC_OK;
}
