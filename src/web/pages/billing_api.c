/* billing_api.c — billing over the JSON API (bearer tokens): a patient's invoices and balance, invoicing a
 * visit, credit notes, payments with an Idempotency-Key, refunds. Amounts are whole cents in fields named
 * *_cents. Each handler parses, calls one use case in app/billing.h and renders. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/billing.h"
#include "base/time.h"
#include "domain/money.h"
#include "web/pages/pages.h"
#include "web/valid.h"

static void problem(rc_req *r, unsigned status, const char *field, const char *text)
{
	json_t *v = json_pack("{s:s, s:i}", "error", text, "status", (int)status);
	if (v && field)
		json_object_set_new(v, "field", json_string(field));
	rc_req_json(r, status, v);
}

static void fail(rc_req *r, rc_err e, const rc_problem *p)
{
	problem(r, rc_page_status_of(e), p->field, p->text[0] ? p->text : "Billing could not be read or saved; try again.");
}

static json_t *when(int64_t t)
{
	if (!t)
		return json_null();
	char s[40];
	rc_tz_rfc3339(t, s, sizeof s);
	return json_string(s);
}

static json_t *day_of(int64_t t)
{
	if (!t)
		return json_null();
	char d[11];
	rc_tz_date(t, d);
	return json_string(d);
}

static json_t *id_or_null(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

static json_t *payment_json(const rc_payment *p)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:o, s:o, s:s, s:o, s:o}", "id", (json_int_t)p->id, "kind", p->kind,
	                 "method", p->method, "amount_cents", (json_int_t)p->amount_cents, "invoice_number",
	                 id_or_null(p->invoice_number), "refund_of", id_or_null(p->refund_of), "reference", p->reference,
	                 "taken_at", when(p->taken_at), "refunded_cents",
	                 !strcmp(p->kind, "payment") ? json_integer(p->refunded_cents) : json_null());
}

static json_t *credit_json(const rc_credit_note *c)
{
	return json_pack("{s:I, s:I, s:s, s:o}", "number", (json_int_t)c->number, "amount_cents",
	                 (json_int_t)c->amount_cents, "reason", c->reason, "issued_at", when(c->issued_at));
}

/* The invoice's head and figures (lists too when doc is whole). */
static json_t *invoice_json(const rc_invoice *i, const rc_invoice_doc *doc)
{
	rc_money_invoice m = {i->total_cents, i->credited_cents, i->paid_cents, i->refunded_cents};
	json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:o, s:o, s:s, s:s, s:o, s:s, s:o, s:I, s:I, s:I, s:I, s:I}", "id",
	                      (json_int_t)i->id, "number", (json_int_t)i->number, "kind", i->kind, "patient_id",
	                      (json_int_t)i->runner_id, "visit_id", id_or_null(i->appointment_id), "package_id",
	                      id_or_null(i->package_id), "practitioner", i->practitioner_name, "service", i->service_name,
	                      "date_of_service", day_of(i->service_at), "icd10", i->icd10, "issued_at", when(i->issued_at),
	                      "total_cents", (json_int_t)i->total_cents, "credited_cents", (json_int_t)i->credited_cents,
	                      "paid_cents", (json_int_t)i->paid_cents, "refunded_cents", (json_int_t)i->refunded_cents,
	                      "balance_cents", (json_int_t)rc_money_invoice_balance(&m));
	if (!o || !doc)
		return o;
	json_t *lines = json_array(), *credits = json_array(), *pays = json_array();
	for (size_t k = 0; k < doc->nlines; k++) {
		const rc_invoice_line *l = &doc->lines[k];
		json_array_append_new(lines, json_pack("{s:s, s:s, s:i, s:I}", "description", l->description, "cpt", l->cpt,
		                                       "units", l->units, "amount_cents", (json_int_t)l->amount_cents));
	}
	for (size_t k = 0; k < doc->ncredits; k++)
		json_array_append_new(credits, credit_json(&doc->credits[k]));
	for (size_t k = 0; k < doc->npayments; k++)
		json_array_append_new(pays, payment_json(&doc->payments[k]));
	json_object_set_new(o, "lines", lines);
	json_object_set_new(o, "credit_notes", credits);
	json_object_set_new(o, "payments", pays);
	if (i->price_reason[0])
		json_object_set_new(o, "price_reason", json_string(i->price_reason));
	return o;
}

/* The body as a JSON object checked against fields; false (answered) when it is not acceptable. The
 * values' text is copied into the arena, so the document can go. */
static bool body(rc_req *r, const rc_vfield *f, size_t n, rc_vvalue *v, const char *what)
{
	json_error_t je;
	json_t *in = r->body.len ? json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je) : NULL;
	if (!in || !json_is_object(in)) {
		char msg[300];
		snprintf(msg, sizeof msg, "The body must be a JSON object: %s",
		         in ? "it is not an object" : r->body.len ? je.text : "it is empty");
		json_decref(in);
		problem(r, 400, NULL, msg);
		return false;
	}
	const char *unknown = NULL;
	rc_valid_json(&r->arena, in, f, n, v, &unknown);
	for (size_t i = 0; i < n; i++)
		if (v[i].text)
			v[i].text = rc_arena_strdup(&r->arena, v[i].text);
	json_decref(in);
	int bad = rc_valid_first_error(v, n);
	if (bad >= 0) {
		problem(r, 422, f[bad].name, v[bad].error);
		return false;
	}
	if (unknown) {
		char *msg = rc_arena_printf(&r->arena, "'%s' is not part of %s.", unknown, what);
		problem(r, 422, unknown, msg ? msg : "A member is not known here.");
		return false;
	}
	return true;
}

static const rc_vfield key_header = {"Idempotency-Key", "The Idempotency-Key header", RC_V_TEXT,
                                     .max = RC_BILL_KEY_MAX};

/* The Idempotency-Key header (required: a payment without one could be taken twice); false when answered. */
static bool idempotency_key(rc_req *r, const char **key)
{
	rc_vvalue v;
	const char *raw = rc_req_in_header(r, "Idempotency-Key");
	if (!raw || !*raw) {
		problem(r, 422, "Idempotency-Key",
		        "The Idempotency-Key header is missing: send a new unique key with each payment, and the same key "
		        "again when you retry it.");
		return false;
	}
	if (!rc_valid_one(&r->arena, &key_header, raw, &v)) {
		problem(r, 422, "Idempotency-Key", v.error);
		return false;
	}
	*key = v.text;
	return true;
}

#define CENTS_HINT "must be a whole number of cents above 0, e.g. 8550 for $85.50."

/* --- reading ------------------------------------------------------------------------------------------------ */

void rc_page_api_invoices(rc_req *r)
{
	rc_uc uc;
	rc_bill_account acc;
	rc_problem p = {0};
	rc_req_uc(r, &uc);
	rc_err e = rc_app_bill_account(&uc, rc_page_param_id(r), &acc, &p);
	if (e) {
		fail(r, e, &p);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < acc.ninvoices; i++)
		json_array_append_new(list, invoice_json(&acc.invoices[i], NULL));
	json_t *doc = json_pack("{s:I, s:o}", "patient_id", (json_int_t)rc_page_param_id(r), "invoices", list);
	/* A practitioner reads the invoices of their own visits, not the patient's balance. */
	if (doc && !acc.own_visits_only)
		json_object_set_new(doc, "balance_cents", json_integer(acc.totals.balance_cents));
	rc_req_json(r, 200, doc);
}

void rc_page_api_balance(rc_req *r)
{
	rc_uc uc;
	rc_bill_totals totals;
	rc_problem p = {0};
	rc_req_uc(r, &uc);
	rc_err e = rc_app_bill_balance(&uc, rc_page_param_id(r), &totals, &p);
	if (e) {
		fail(r, e, &p);
		return;
	}
	const rc_bill_totals *t = &totals;
	rc_req_json(r, 200, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "patient_id", (json_int_t)rc_page_param_id(r),
	                              "invoiced_cents", (json_int_t)t->invoiced_cents, "credited_cents",
	                              (json_int_t)t->credited_cents, "paid_cents", (json_int_t)t->paid_cents,
	                              "refunded_cents", (json_int_t)t->refunded_cents, "balance_cents",
	                              (json_int_t)t->balance_cents));
}

void rc_page_api_invoice(rc_req *r)
{
	rc_uc uc;
	rc_invoice_doc doc;
	rc_problem p = {0};
	rc_req_uc(r, &uc);
	rc_err e = rc_app_bill_invoice(&uc, rc_page_param_id(r), &doc, &p);
	if (e) {
		fail(r, e, &p);
		return;
	}
	rc_req_json(r, 200, json_pack("{s:o}", "invoice", invoice_json(&doc.inv, &doc)));
}

/* --- writing ------------------------------------------------------------------------------------------------ */

static void created(rc_req *r, const rc_invoice_doc *doc)
{
	char loc[48];
	snprintf(loc, sizeof loc, "/api/invoices/%lld", (long long)doc->inv.id);
	rc_req_header(r, "Location", loc);
	rc_req_json(r, 201, json_pack("{s:o}", "invoice", invoice_json(&doc->inv, doc)));
}

enum { VI_PRICE, VI_REASON, VI_PACKAGE, VI_N };
static const rc_vfield visit_body[VI_N] = {
	[VI_PRICE] = {"price_cents", "'price_cents'", RC_V_INT, .min = 0, .max = RC_MONEY_MAX_CENTS,
	              .hint = "must be a whole number of cents from 0, e.g. 8550 for $85.50."},
	[VI_REASON] = {"reason", "'reason'", RC_V_TEXT, .max = RC_BILL_REASON_MAX},
	[VI_PACKAGE] = {"package_id", "'package_id'", RC_V_INT, .min = -1, .max = INT64_MAX,
	                .hint = "must be a package's id, or -1 for none."},
};

void rc_page_api_visit_invoice(rc_req *r)
{
	rc_vvalue v[VI_N];
	/* An empty body is fine: the service's price and the package the visit may draw from. */
	if (r->body.len && !body(r, visit_body, VI_N, v, "an invoice (price_cents, reason, package_id)"))
		return;
	if (!r->body.len)
		memset(v, 0, sizeof v);
	rc_uc uc;
	rc_req_uc(r, &uc);
	char price[32] = "";
	if (v[VI_PRICE].set) {
		int64_t c = v[VI_PRICE].num;
		snprintf(price, sizeof price, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
	}
	rc_invoice_visit_in in = {.appointment_id = rc_page_param_id(r), .price = price, .reason = v[VI_REASON].text,
	                          .package_id = v[VI_PACKAGE].set ? v[VI_PACKAGE].num : 0};
	rc_invoice_doc doc;
	rc_problem p = {0};
	rc_err e = rc_app_bill_invoice_visit(&uc, r->app->billing, &in, &doc, &p);
	if (e) {
		fail(r, e, &p);
		return;
	}
	created(r, &doc);
}

enum { CN_AMOUNT, CN_REASON, CN_N };
static const rc_vfield credit_body[CN_N] = {
	[CN_AMOUNT] = {"amount_cents", "'amount_cents'", RC_V_INT, .required = true, .min = 1, .max = RC_MONEY_MAX_CENTS,
	               .hint = CENTS_HINT},
	[CN_REASON] = {"reason", "'reason'", RC_V_TEXT, .required = true, .max = RC_BILL_REASON_MAX},
};

void rc_page_api_credit_note(rc_req *r)
{
	rc_vvalue v[CN_N];
	if (!body(r, credit_body, CN_N, v, "a credit note (amount_cents, reason)"))
		return;
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_credit_in in = {.invoice_id = rc_page_param_id(r), .amount_cents = v[CN_AMOUNT].num, .reason = v[CN_REASON].text};
	rc_credit_note cn;
	rc_problem p = {0};
	rc_err e = rc_app_bill_credit(&uc, &in, &cn, &p);
	rc_invoice_doc doc;
	if (!e)
		e = rc_app_bill_invoice(&uc, in.invoice_id, &doc, &p);
	if (e) {
		fail(r, e, &p);
		return;
	}
	rc_req_json(r, 201, json_pack("{s:o, s:o}", "credit_note", credit_json(&cn), "invoice", invoice_json(&doc.inv, &doc)));
}

enum { PY_AMOUNT, PY_METHOD, PY_REFERENCE, PY_N };
static const rc_vfield pay_body[PY_N] = {
	[PY_AMOUNT] = {"amount_cents", "'amount_cents'", RC_V_INT, .required = true, .min = 1, .max = RC_MONEY_MAX_CENTS,
	               .hint = CENTS_HINT},
	[PY_METHOD] = {"method", "'method'", RC_V_TEXT, .required = true, .max = 16,
	               .hint = "must be card, cash, check, hsa_fsa or other."},
	[PY_REFERENCE] = {"reference", "'reference'", RC_V_TEXT, .max = RC_BILL_REFERENCE_MAX},
};

/* Answers a payment or refund: 201 the first time, 200 with the same payment when the key comes again. */
static void paid(rc_req *r, const rc_uc *uc, const rc_payment *pay, bool existing)
{
	rc_invoice_doc doc;
	rc_problem p = {0};
	json_t *o = json_pack("{s:o}", "payment", payment_json(pay));
	if (pay->invoice_id && !rc_app_bill_invoice(uc, pay->invoice_id, &doc, &p))
		json_object_set_new(o, "invoice", invoice_json(&doc.inv, &doc));
	rc_req_json(r, existing ? 200 : 201, o);
}

/* A payment, to an invoice or on account, and its answer. */
static void pay(rc_req *r, const rc_pay_in *in)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_payment done;
	bool existing;
	rc_problem p = {0};
	rc_err e = rc_app_bill_pay(&uc, in, &done, &existing, &p);
	if (e) {
		fail(r, e, &p);
		return;
	}
	paid(r, &uc, &done, existing);
}

void rc_page_api_payment(rc_req *r)
{
	rc_vvalue v[PY_N];
	const char *key;
	if (!idempotency_key(r, &key) || !body(r, pay_body, PY_N, v, "a payment (amount_cents, method, reference)"))
		return;
	rc_pay_in in = {.invoice_id = rc_page_param_id(r), .method = v[PY_METHOD].text, .amount_cents = v[PY_AMOUNT].num,
	                .reference = v[PY_REFERENCE].text, .key = key};
	pay(r, &in);
}

enum { AP_PATIENT, AP_AMOUNT, AP_METHOD, AP_REFERENCE, AP_N };
static const rc_vfield account_body[AP_N] = {
	[AP_PATIENT] = {"patient_id", "'patient_id'", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX,
	                .hint = "must be the patient's id."},
	[AP_AMOUNT] = {"amount_cents", "'amount_cents'", RC_V_INT, .required = true, .min = 1, .max = RC_MONEY_MAX_CENTS,
	               .hint = CENTS_HINT},
	[AP_METHOD] = {"method", "'method'", RC_V_TEXT, .required = true, .max = 16,
	               .hint = "must be card, cash, check, hsa_fsa or other."},
	[AP_REFERENCE] = {"reference", "'reference'", RC_V_TEXT, .max = RC_BILL_REFERENCE_MAX},
};

/* Money on account: the patient's credit, drawn on by later invoices' balances. */
void rc_page_api_account_payment(rc_req *r)
{
	rc_vvalue v[AP_N];
	const char *key;
	if (!idempotency_key(r, &key) ||
	    !body(r, account_body, AP_N, v, "a payment on account (patient_id, amount_cents, method, reference)"))
		return;
	rc_pay_in in = {.runner_id = v[AP_PATIENT].num, .method = v[AP_METHOD].text, .amount_cents = v[AP_AMOUNT].num,
	                .reference = v[AP_REFERENCE].text, .key = key};
	pay(r, &in);
}

enum { RF_AMOUNT, RF_METHOD, RF_REASON, RF_N };
static const rc_vfield refund_body[RF_N] = {
	[RF_AMOUNT] = {"amount_cents", "'amount_cents'", RC_V_INT, .required = true, .min = 1, .max = RC_MONEY_MAX_CENTS,
	               .hint = CENTS_HINT},
	[RF_METHOD] = {"method", "'method'", RC_V_TEXT, .max = 16,
	               .hint = "must be card, cash, check, hsa_fsa or other (absent: the payment's own)."},
	[RF_REASON] = {"reason", "'reason'", RC_V_TEXT, .required = true, .max = RC_BILL_REFERENCE_MAX},
};

void rc_page_api_refund(rc_req *r)
{
	rc_vvalue v[RF_N];
	const char *key;
	if (!idempotency_key(r, &key) || !body(r, refund_body, RF_N, v, "a refund (amount_cents, method, reason)"))
		return;
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_refund_in in = {.payment_id = rc_page_param_id(r), .method = v[RF_METHOD].text, .amount_cents = v[RF_AMOUNT].num,
	                   .reason = v[RF_REASON].text, .key = key};
	rc_payment pay;
	bool existing;
	rc_problem p = {0};
	rc_err e = rc_app_bill_refund(&uc, &in, &pay, &existing, &p);
	if (e) {
		fail(r, e, &p);
		return;
	}
	paid(r, &uc, &pay, existing);
}
