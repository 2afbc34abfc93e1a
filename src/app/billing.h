/* billing.h — the clinic gets paid: invoices made from visits the runner came to, credit notes that correct
 * them (an issued invoice never changes), payments at the desk and refunds, a patient's balance and
 * statement, prepaid packages, no-show and late-cancellation fees, and the day's close. Money is whole
 * cents (domain/money.h); numbers run without gaps (store/billing_store.h); every change of money is in
 * the audit log.
 *
 * Who (issue 19's roles, decided here once): the front desk and administrators issue invoices, fees and
 * credit notes, take payments and refunds, sell packages and close the day; a
 * practitioner reads what was billed for their own visits (not payments, balances or packages); runners
 * read their own account; the revenue reports are the administrator's. The rule of who handles money is
 * rc_role_handles_money (app/account.h): routes that move money have RC_ACCESS_DESK (web/http.h). */
#ifndef RC_APP_BILLING_H
#define RC_APP_BILLING_H

#include "app/app.h"
#include "base/buf.h"
#include "content/billing.h"
#include "store/billing_store.h"
#include "store/booking.h"

enum {
	RC_BILL_KEY_MAX = 100, /* characters of an Idempotency-Key */
};

/* An invoice with everything said about it since. */
typedef struct rc_invoice_doc {
	rc_invoice inv;
	rc_invoice_line *lines;
	size_t nlines;
	rc_credit_note *credits;
	size_t ncredits;
	rc_payment *payments; /* payments and refunds, in order */
	size_t npayments;
	int64_t balance_cents; /* total − credited − paid + refunded */
	/* On a superbill only, a visit a prepaid package paid for: its part of the package's price
	 * (rc_money_share), added to its first line, its total and what was paid; prepaid_by the package. */
	int64_t prepaid_cents;
	char prepaid_by[81 * 4];
	/* A practitioner's view: what was billed (lines, total, credit notes), not what was paid or is owed. */
	bool billed_only;
} rc_invoice_doc;

/* The payment methods a desk takes: {"card", "Card (terminal)"}, … ; n of them. */
typedef struct rc_bill_method {
	const char *key, *label;
} rc_bill_method;
extern const rc_bill_method rc_bill_methods[];
extern const size_t rc_bill_nmethods;
/* "Card (terminal)" for "card"; the key itself when unknown. */
const char *rc_bill_method_label(const char *key);
/* "Visit", "No-show fee", "Late-cancellation fee", "Package". */
const char *rc_bill_kind_label(const char *kind);

typedef struct rc_invoice_visit_in {
	int64_t appointment_id;
	const char *price;  /* NULL or "": the service's price; else the visit's charge as typed ("85.50") */
	const char *reason; /* required when price differs from the service's */
	int64_t package_id; /* 0: the runner's package for this service that expires first, if any; -1: none */
} rc_invoice_visit_in;

/* Issues the invoice of a visit the runner came to: a line per code of the service (content/billing.json;
 * the first carries the visit's price) and per coded treatment its signed note records, the episode's
 * ICD-10-CM code, the next number. A visit drawn from a package is invoiced at $0.00 with the package
 * named. RC_ECONFLICT when the visit is already invoiced (and not wholly credited), RC_EINVAL for a visit
 * that did not take place, a bad price or a missing reason, an expired or used-up package. */
RC_WUR rc_err rc_app_bill_invoice_visit(const rc_uc *uc, const rc_billing_kb *kb, const rc_invoice_visit_in *in,
                                        rc_invoice_doc *out, rc_problem *p);

/* A no-show fee (a visit marked no-show) or a late-cancellation fee (cancelled within the policy's hours
 * before its start), as the policy in content/billing.json says. kind: "no_show_fee" or
 * "late_cancel_fee". */
RC_WUR rc_err rc_app_bill_fee(const rc_uc *uc, const rc_billing_kb *kb, int64_t appointment_id, const char *kind,
                              rc_invoice_doc *out, rc_problem *p);

/* Sells a package (content/billing.json's key) to a runner: the package and its invoice. */
RC_WUR rc_err rc_app_bill_sell_package(const rc_uc *uc, const rc_billing_kb *kb, int64_t runner_id, const char *key,
                                       rc_invoice_doc *out, rc_problem *p);

typedef struct rc_credit_in {
	int64_t invoice_id;
	const char *amount;   /* as typed ("12.50"), or NULL to use amount_cents */
	int64_t amount_cents;
	const char *reason;
} rc_credit_in;
/* A credit note against an issued invoice: at most what is left to credit, with a reason. */
RC_WUR rc_err rc_app_bill_credit(const rc_uc *uc, const rc_credit_in *in, rc_credit_note *out, rc_problem *p);

typedef struct rc_pay_in {
	int64_t runner_id;   /* whose money (with an invoice: must be the invoice's runner; 0: the invoice's) */
	int64_t invoice_id;  /* 0: on account (the patient's credit) */
	const char *method;  /* rc_bill_methods key */
	const char *amount;  /* as typed, or NULL to use amount_cents */
	int64_t amount_cents;
	const char *reference;
	const char *key;     /* Idempotency-Key: the same key from the same person is the same payment */
} rc_pay_in;
/* Takes a payment: at most what the invoice has left to pay (the rest goes on account). *existing is true
 * when the key was used before (out is that payment; nothing new is written). */
RC_WUR rc_err rc_app_bill_pay(const rc_uc *uc, const rc_pay_in *in, rc_payment *out, bool *existing, rc_problem *p);

typedef struct rc_refund_in {
	int64_t payment_id;
	const char *method;  /* NULL or "": the payment's own */
	const char *amount;
	int64_t amount_cents;
	const char *reason;
	const char *key;
} rc_refund_in;
/* Refunds (part of) a payment: never more than is left of it. */
RC_WUR rc_err rc_app_bill_refund(const rc_uc *uc, const rc_refund_in *in, rc_payment *out, bool *existing,
                                 rc_problem *p);

/* One invoice with its lines, credit notes and payments; RC_ENOTFOUND when there is none the actor may see. */
RC_WUR rc_err rc_app_bill_invoice(const rc_uc *uc, int64_t invoice_id, rc_invoice_doc *out, rc_problem *p);

/* What a superbill shows beyond the invoice: the patient's date of birth (from the chart's details, "" when
 * not recorded). */
typedef struct rc_superbill {
	rc_invoice_doc doc;
	char date_of_birth[11];
} rc_superbill;
RC_WUR rc_err rc_app_bill_superbill(const rc_uc *uc, int64_t invoice_id, rc_superbill *out, rc_problem *p);

/* The superbill of a period: every visit invoice of the runner whose date of service is a clinic day in
 * [from_day, to_day], oldest first, each whole. */
typedef struct rc_superbill_period {
	char name[121], date_of_birth[11];
	int64_t from_day, to_day;
	rc_invoice_doc *docs;
	size_t ndocs;
	int64_t charges_cents, credited_cents, paid_cents; /* paid: payments less refunds */
	bool own_visits_only; /* a practitioner's: only their own visits */
} rc_superbill_period;
enum { RC_BILL_SUPERBILL_MAX_DAYS = 366 };
RC_WUR rc_err rc_app_bill_superbill_period(const rc_uc *uc, int64_t runner_id, int64_t from_day, int64_t to_day,
                                           rc_superbill_period *out, rc_problem *p);

/* One payment or refund the actor may see (*found false otherwise). */
RC_WUR rc_err rc_app_bill_payment(const rc_uc *uc, int64_t payment_id, rc_payment *out, bool *found, rc_problem *p);

/* A patient's account: figures, invoices (newest first), payments and refunds, credit notes, packages. */
typedef struct rc_bill_account {
	char name[121]; /* the patient's */
	rc_bill_totals totals;
	rc_invoice *invoices;
	size_t ninvoices;
	rc_payment *payments;
	size_t npayments;
	rc_credit_note *credits;
	size_t ncredits;
	rc_package *packages;
	size_t npackages;
	/* For the front desk and administrators only (NULL otherwise): visits the runner came to that no live
	 * invoice bills, and no-show visits not charged their fee, oldest first. */
	struct rc_appointment *unbilled;
	size_t nunbilled;
	/* A practitioner's view: only the invoices of their own visits; no totals, payments, credit notes or
	 * packages (the patient's money is the front desk's). */
	bool own_visits_only;
} rc_bill_account;
RC_WUR rc_err rc_app_bill_account(const rc_uc *uc, int64_t runner_id, rc_bill_account *out, rc_problem *p);

/* The Billing codes page (administrators): every service with the codes its visits are billed with — set
 * here (own), else content/billing.json's. */
typedef struct rc_bill_codes_service {
	rc_service service;
	bool active, own;
	rc_service_code codes[RC_BILLING_MAX_CODES];
	int ncodes;
} rc_bill_codes_service;
typedef struct rc_bill_codes_view {
	rc_bill_codes_service *services;
	size_t nservices;
} rc_bill_codes_view;
RC_WUR rc_err rc_app_bill_codes(const rc_uc *uc, const rc_billing_kb *kb, rc_bill_codes_view *out, rc_problem *p);
/* Sets a service's codes from text as the page writes it — one a line, "CPT UNITS DESCRIPTION" (e.g.
 * "97810 1 Acupuncture, first 15 minutes") — in order, the first carrying the visit's price; empty text
 * goes back to the clinic file's. RC_EINVAL naming the line (field "codes"); RC_EFORBIDDEN but for an
 * administrator; RC_ENOTFOUND. Audited. */
RC_WUR rc_err rc_app_bill_codes_save(const rc_uc *uc, const char *service_key, const char *text, rc_problem *p);
/* The codes as that text. */
void rc_app_bill_codes_text(const rc_service_code *codes, int n, rc_buf *out);

/* A patient's balance and the figures behind it: the front desk, administrators and the runner themself
 * (a practitioner is refused: RC_EFORBIDDEN). */
RC_WUR rc_err rc_app_bill_balance(const rc_uc *uc, int64_t runner_id, rc_bill_totals *out, rc_problem *p);

/* The day's close: every payment and refund taken on a clinic day, and the net by method. */
typedef struct rc_bill_day {
	int64_t day; /* day number */
	rc_payment *payments;
	size_t npayments;
	int64_t by_method[8]; /* net (payments − refunds) per rc_bill_methods index */
	int64_t taken_cents, refunded_cents, net_cents;
	/* Visits of the RC_BILL_DAY_LOOKBACK days up to this one that took place and are not billed yet. */
	struct rc_appointment *unbilled;
	size_t nunbilled;
} rc_bill_day;
enum { RC_BILL_DAY_LOOKBACK = 14 };
RC_WUR rc_err rc_app_bill_day(const rc_uc *uc, int64_t day, rc_bill_day *out, rc_problem *p);

/* The administrator's revenue report over clinic days [from_day, to_day]: invoiced and credited by the
 * month, the practitioner and the service of the invoices issued then (net = invoiced − credited), money
 * taken by method, and every patient whose balance is not zero. */
typedef struct rc_bill_row {
	const char *label; /* "2026-11", a practitioner's or a service's name, a method's label */
	int64_t invoices, invoiced_cents, credited_cents, net_cents;
} rc_bill_row;
typedef struct rc_bill_report {
	int64_t from_day, to_day;
	rc_bill_row *months, *practitioners, *services, *methods;
	size_t nmonths, npractitioners, nservices, nmethods;
	rc_bill_owing *owing;
	size_t nowing;
	int64_t invoiced_cents, credited_cents, net_cents, taken_cents, refunded_cents, owed_cents;
} rc_bill_report;
enum { RC_BILL_REPORT_MAX_DAYS = 366 * 3 };
RC_WUR rc_err rc_app_bill_report(const rc_uc *uc, int64_t from_day, int64_t to_day, rc_bill_report *out,
                                 rc_problem *p);

#endif
