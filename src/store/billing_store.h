/* billing_store.h — the statements of billing: invoices and their lines, credit notes, payments and
 * refunds, packages, and the sums a balance, a statement and the day's close are made of. Writers run
 * inside the caller's transaction (app/billing.c's); nothing here decides a rule. */
#ifndef RC_STORE_BILLING_STORE_H
#define RC_STORE_BILLING_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

enum {
	RC_BILL_REASON_MAX = 200,    /* characters of a credit note's or a changed price's reason */
	RC_BILL_REFERENCE_MAX = 80,  /* characters of a payment's reference (check number, receipt) */
	RC_BILL_ICD10_MAX = 63,
};

typedef struct rc_invoice {
	int64_t id, number, runner_id, appointment_id, package_id, practitioner_id, service_id, service_at;
	int64_t issued_at, issued_by;
	int64_t total_cents, credited_cents, paid_cents, refunded_cents; /* the last three: summed from their rows */
	char kind[20], icd10[RC_BILL_ICD10_MAX + 1], price_reason[RC_BILL_REASON_MAX * 4 + 1];
	char runner_name[121], practitioner_name[121], service_name[81];
} rc_invoice;

typedef struct rc_invoice_line {
	int64_t id, invoice_id, amount_cents;
	int seq, units;
	char description[121 * 4], cpt[8];
} rc_invoice_line;

/* A billing code an administrator set for a service (migration 0022). */
typedef struct rc_service_code {
	int seq, units;
	char cpt[8], description[121 * 4];
} rc_service_code;

typedef struct rc_credit_note {
	int64_t id, number, invoice_id, runner_id, amount_cents, issued_at, issued_by;
	char reason[RC_BILL_REASON_MAX * 4 + 1];
} rc_credit_note;

typedef struct rc_payment {
	int64_t id, runner_id, invoice_id, amount_cents, refund_of, taken_at, taken_by;
	int64_t refunded_cents; /* payments: what refunds have returned of it */
	int64_t invoice_number; /* 0 on account */
	char kind[8], method[8], reference[RC_BILL_REFERENCE_MAX * 4 + 1], runner_name[121];
} rc_payment;

typedef struct rc_package {
	int64_t id, runner_id, service_id, price_cents, sold_at, expires_at, sold_by;
	int visits, used;
	char plan_key[33], name[81 * 4], service_name[81];
} rc_package;

/* A patient's figures: balance = invoiced − credited − paid + refunded. */
typedef struct rc_bill_totals {
	int64_t invoiced_cents, credited_cents, paid_cents, refunded_cents, balance_cents;
} rc_bill_totals;

/* A patient whose balance is not zero. */
typedef struct rc_bill_owing {
	int64_t runner_id, balance_cents;
	char name[121];
} rc_bill_owing;
typedef void (*rc_bill_owing_fn)(void *ctx, const rc_bill_owing *o);
/* Every patient with a balance other than zero, largest first. */
RC_WUR rc_err rc_bill_owing_list(rc_db *db, rc_bill_owing_fn fn, void *ctx);

/* The next number of kind ("invoice", "credit_note"), taken in the caller's transaction. */
RC_WUR rc_err rc_bill_next_number(rc_db *db, const char *kind, int64_t *number);

/* Writes an invoice (every field but id and the sums) and sets inv->id. */
RC_WUR rc_err rc_invoice_insert(rc_db *db, rc_invoice *inv);
RC_WUR rc_err rc_invoice_line_insert(rc_db *db, const rc_invoice_line *l);
RC_WUR rc_err rc_invoice_get(rc_db *db, int64_t id, rc_invoice *out, bool *found);
typedef void (*rc_invoice_fn)(void *ctx, const rc_invoice *inv);
/* A runner's invoices, newest first (runner 0: everyone's issued in [from, to), oldest first). */
RC_WUR rc_err rc_invoices_of_runner(rc_db *db, int64_t runner_id, rc_invoice_fn fn, void *ctx);
RC_WUR rc_err rc_invoices_between(rc_db *db, int64_t from, int64_t to, rc_invoice_fn fn, void *ctx);
/* The invoices of a visit of kind, oldest first. */
RC_WUR rc_err rc_invoices_of_visit(rc_db *db, int64_t appointment_id, const char *kind, rc_invoice_fn fn, void *ctx);
typedef void (*rc_invoice_line_fn)(void *ctx, const rc_invoice_line *l);
RC_WUR rc_err rc_invoice_lines(rc_db *db, int64_t invoice_id, rc_invoice_line_fn fn, void *ctx);
/* For RC_ACCESS_RUNNER_RECORD routes: whose invoice or payment it is (0: none). */
RC_WUR rc_err rc_invoice_owner(rc_db *db, int64_t id, int64_t *runner_id);
RC_WUR rc_err rc_payment_owner(rc_db *db, int64_t id, int64_t *runner_id);

RC_WUR rc_err rc_credit_note_insert(rc_db *db, rc_credit_note *c);
typedef void (*rc_credit_note_fn)(void *ctx, const rc_credit_note *c);
RC_WUR rc_err rc_credit_notes_of_invoice(rc_db *db, int64_t invoice_id, rc_credit_note_fn fn, void *ctx);
RC_WUR rc_err rc_credit_notes_of_runner(rc_db *db, int64_t runner_id, rc_credit_note_fn fn, void *ctx);

/* The payment the same person took with this key before, if any. */
RC_WUR rc_err rc_payment_by_key(rc_db *db, int64_t taken_by, const char *key, rc_payment *out, bool *found);
RC_WUR rc_err rc_payment_insert(rc_db *db, rc_payment *p, const char *key);
RC_WUR rc_err rc_payment_get(rc_db *db, int64_t id, rc_payment *out, bool *found);
typedef void (*rc_payment_fn)(void *ctx, const rc_payment *p);
RC_WUR rc_err rc_payments_of_invoice(rc_db *db, int64_t invoice_id, rc_payment_fn fn, void *ctx);
RC_WUR rc_err rc_payments_of_runner(rc_db *db, int64_t runner_id, rc_payment_fn fn, void *ctx);
/* Everyone's payments and refunds taken in [from, to), in order (the day's close). */
RC_WUR rc_err rc_payments_between(rc_db *db, int64_t from, int64_t to, rc_payment_fn fn, void *ctx);

RC_WUR rc_err rc_bill_totals_of(rc_db *db, int64_t runner_id, rc_bill_totals *out);

/* What a visit's signed note says for its bill: the episode's ICD-10-CM code(s) (the runner's latest
 * active episode when the note names none or there is no note; "" when neither) and the kinds of
 * treatment given, each once, comma-separated ("" when none). */
RC_WUR rc_err rc_bill_visit_chart(rc_db *db, int64_t appointment_id, int64_t runner_id, char *icd10, size_t icdlen,
                                  char *kinds, size_t kindslen);

/* Visits that took place in [from, to) and no live invoice bills (none, or every one wholly credited back; a
 * $0.00 one a package paid stands), oldest first: only id, runner_id, starts_at and the three names are set. */
struct rc_appointment;
typedef void (*rc_bill_visit_fn)(void *ctx, const struct rc_appointment *a);
RC_WUR rc_err rc_bill_unbilled_between(rc_db *db, int64_t from, int64_t to, rc_bill_visit_fn fn, void *ctx);

/* When a visit was cancelled (0: it was not), for the late-cancellation fee. */
RC_WUR rc_err rc_bill_cancelled_at(rc_db *db, int64_t appointment_id, int64_t *at);

RC_WUR rc_err rc_package_insert(rc_db *db, rc_package *p);
RC_WUR rc_err rc_package_get(rc_db *db, int64_t id, rc_package *out, bool *found);
typedef void (*rc_package_fn)(void *ctx, const rc_package *p);
RC_WUR rc_err rc_packages_of_runner(rc_db *db, int64_t runner_id, rc_package_fn fn, void *ctx);
/* Which use of package_id invoice_id's visit was (1 the first; 0 when it drew none from it). */
RC_WUR rc_err rc_package_use_rank(rc_db *db, int64_t package_id, int64_t invoice_id, int *rank);
RC_WUR rc_err rc_package_use_insert(rc_db *db, int64_t package_id, int64_t appointment_id, int64_t invoice_id,
                                    int64_t at);

/* The codes an administrator set for a service, in order (none: the service is billed with the clinic
 * file's). */
typedef void (*rc_service_code_fn)(void *ctx, const rc_service_code *c);
RC_WUR rc_err rc_service_codes(rc_db *db, int64_t service_id, rc_service_code_fn fn, void *ctx);
/* Replaces a service's codes with codes[0..n) (n 0: back to the clinic file's). Inside a transaction. */
RC_WUR rc_err rc_service_codes_replace(rc_db *db, int64_t service_id, const rc_service_code *codes, int n, int64_t at,
                                       int64_t by);

#endif
