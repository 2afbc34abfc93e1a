/* billing.c — the billing pages: a patient's account (their statement: balance, invoices, payments,
 * packages; for the front desk also the visits to bill and the forms to take money and sell a package),
 * one invoice (lines, codes, credit notes, payments; the desk takes a payment, issues a credit note or
 * refunds from it). Each handler parses, calls one use case in app/billing.h and renders. */
#include <stdio.h>
#include <string.h>

#include "app/account.h"
#include "app/billing.h"
#include "base/crypto.h"
#include "base/time.h"
#include "domain/money.h"
#include "store/booking.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/billing_pages.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"
#include "web/valid.h"

static rc_vchoice method_choices[8];

static const rc_vchoice *methods(size_t *n)
{
	/* Read-only after the first call; the same on every thread. */
	for (size_t i = 0; i < rc_bill_nmethods; i++)
		method_choices[i] = (rc_vchoice){rc_bill_methods[i].key, rc_bill_methods[i].label};
	*n = rc_bill_nmethods;
	return method_choices;
}

/* The forms of the invoice page, each field named apart so one page holds them all. */
enum { PF_AMOUNT, PF_METHOD, PF_REFERENCE, PF_KEY, PF_N };
static const rc_vfield pay_form[PF_N] = {
	[PF_AMOUNT] = {"amount", "Amount", RC_V_TEXT, .required = true, .max = RC_MONEY_TEXT_MAX},
	[PF_METHOD] = {"method", "Paid by", RC_V_ENUM, .required = true},
	[PF_REFERENCE] = {"reference", "Reference (check number, terminal receipt)", RC_V_TEXT, .max = RC_BILL_REFERENCE_MAX},
	[PF_KEY] = {"key", "Form key", RC_V_TEXT, .max = RC_BILL_KEY_MAX},
};
enum { CF_AMOUNT, CF_REASON, CF_N };
static const rc_vfield credit_form[CF_N] = {
	[CF_AMOUNT] = {"credit_amount", "Amount to credit", RC_V_TEXT, .required = true, .max = RC_MONEY_TEXT_MAX},
	[CF_REASON] = {"credit_reason", "Reason", RC_V_TEXT, .required = true, .max = RC_BILL_REASON_MAX},
};
enum { RF_AMOUNT, RF_REASON, RF_KEY, RF_N };
static const rc_vfield refund_form[RF_N] = {
	[RF_AMOUNT] = {"refund_amount", "Amount to refund", RC_V_TEXT, .required = true, .max = RC_MONEY_TEXT_MAX},
	[RF_REASON] = {"refund_reason", "Reason", RC_V_TEXT, .required = true, .max = RC_BILL_REFERENCE_MAX},
	[RF_KEY] = {"key", "Form key", RC_V_TEXT, .max = RC_BILL_KEY_MAX},
};

static void fields_with_methods(rc_vfield *f)
{
	memcpy(f, pay_form, sizeof pay_form);
	f[PF_METHOD].choices = methods(&f[PF_METHOD].nchoices);
}

/* A new key for a form that moves money: sent back with it, so a second click of the same form is the
 * same payment. */
static const char *form_key(rc_req *r)
{
	char k[RC_TOKEN_CHARS + 1];
	rc_crypto_token(k);
	return rc_arena_strdup(&r->arena, k);
}

void rc_bill_num(rc_buf *b, int64_t v)
{
	rc_html_printf(b, "%lld", (long long)v);
}

void rc_bill_money_td(rc_buf *b, int64_t cents)
{
	rc_html_lit(b, "<td class=\"money\">");
	rc_visit_money(b, cents);
	rc_html_lit(b, "</td>");
}

/* --- one invoice ------------------------------------------------------------------------------------------ */

typedef struct {
	rc_vvalue pay[PF_N], credit[CF_N], refund[RF_N];
	bool pay_set, credit_set, refund_set;
	int64_t refund_payment; /* the payment whose refund form came back with an error */
	const char *alert;
	const char *notice;
} invoice_forms;

static void figures(rc_buf *b, const rc_invoice_doc *d)
{
	rc_html_lit(b, "<dl class=\"figures\"><dt>Total</dt><dd>");
	rc_visit_money(b, d->inv.total_cents);
	if (d->inv.credited_cents) {
		rc_html_lit(b, "</dd><dt>Credited</dt><dd>");
		rc_visit_money(b, d->inv.credited_cents);
	}
	if (d->billed_only) {
		rc_html_lit(b, "</dd></dl>\n");
		return;
	}
	rc_html_lit(b, "</dd><dt>Paid</dt><dd>");
	rc_visit_money(b, d->inv.paid_cents);
	if (d->inv.refunded_cents) {
		rc_html_lit(b, "</dd><dt>Refunded</dt><dd>");
		rc_visit_money(b, d->inv.refunded_cents);
	}
	if (d->balance_cents >= 0)
		rc_html_lit(b, "</dd><dt>Balance due</dt><dd><strong>");
	else
		rc_html_lit(b, "</dd><dt>Credit to the patient</dt><dd><strong>");
	rc_visit_money(b, d->balance_cents >= 0 ? d->balance_cents : -d->balance_cents);
	rc_html_lit(b, "</strong></dd></dl>\n");
}

void rc_bill_lines_table(rc_buf *b, const rc_invoice_doc *d)
{
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list bill\"><caption>Charges</caption>"
	               "<thead><tr><th scope=\"col\">Service</th><th scope=\"col\">CPT code</th><th scope=\"col\">Units</th>"
	               "<th scope=\"col\" class=\"money\">Amount</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < d->nlines; i++) {
		const rc_invoice_line *l = &d->lines[i];
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, l->description);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, l->cpt[0] ? l->cpt : "—");
		rc_html_lit(b, "</td><td>");
		rc_bill_num(b, l->units);
		rc_html_lit(b, "</td>");
		rc_bill_money_td(b, l->amount_cents);
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody><tfoot><tr><th scope=\"row\" colspan=\"3\">Total</th>");
	rc_bill_money_td(b, d->inv.total_cents);
	rc_html_lit(b, "</tr></tfoot></table></div>\n");
}

static void refund_details(rc_req *r, const rc_payment *pay, const invoice_forms *f)
{
	rc_buf *b = &r->out;
	bool again = f && f->refund_set && f->refund_payment == pay->id;
	if (again)
		rc_html_lit(b, "<details open><summary>Refund</summary>\n");
	else
		rc_html_lit(b, "<details><summary>Refund</summary>\n");
	char action[64];
	snprintf(action, sizeof action, "/payments/%lld/refunds", (long long)pay->id);
	rc_form_open(r, action);
	rc_vvalue key = {.raw = form_key(r)};
	if (again) {
		rc_valid_input(b, &refund_form[RF_AMOUNT], &f->refund[RF_AMOUNT]);
		rc_valid_input(b, &refund_form[RF_REASON], &f->refund[RF_REASON]);
		rc_valid_hidden(b, &refund_form[RF_KEY], f->refund[RF_KEY].raw ? &f->refund[RF_KEY] : &key);
	} else {
		char left[40];
		int64_t cents = pay->amount_cents - pay->refunded_cents;
		snprintf(left, sizeof left, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
		rc_vvalue amount = {.raw = left};
		rc_valid_input(b, &refund_form[RF_AMOUNT], &amount);
		rc_valid_input(b, &refund_form[RF_REASON], NULL);
		rc_valid_hidden(b, &refund_form[RF_KEY], &key);
	}
	rc_form_close(r, "Refund");
	rc_html_lit(b, "</details>");
}

static void payments_table(rc_req *r, const rc_payment *p, size_t n, bool with_invoice, bool refunds,
                           const invoice_forms *f)
{
	rc_buf *b = &r->out;
	if (!n) {
		rc_html_lit(b, "<p>No payments yet.</p>\n");
		return;
	}
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>Payments and refunds"
	               "</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">What</th>");
	if (with_invoice)
		rc_html_lit(b, "<th scope=\"col\">Invoice</th>");
	rc_html_lit(b, "<th scope=\"col\">Reference</th><th scope=\"col\" class=\"money\">Amount</th>");
	if (refunds)
		rc_html_lit(b, "<th scope=\"col\">Refund</th>");
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		bool refund = !strcmp(p[i].kind, "refund");
		rc_html_lit(b, "<tr><td>");
		rc_visit_time(b, p[i].taken_at, true);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, refund ? "Refund" : "Payment");
		rc_html_lit(b, ", ");
		rc_html_text(b, rc_bill_method_label(p[i].method));
		rc_html_lit(b, "</td>");
		if (with_invoice) {
			if (p[i].invoice_id) {
				rc_html_lit(b, "<td><a href=\"/invoices/");
				rc_bill_num(b, p[i].invoice_id);
				rc_html_lit(b, "\">");
				rc_bill_num(b, p[i].invoice_number);
				rc_html_lit(b, "</a></td>");
			} else
				rc_html_lit(b, "<td>on account</td>");
		}
		rc_html_lit(b, "<td>");
		rc_html_text(b, p[i].reference);
		rc_html_lit(b, "</td>");
		rc_bill_money_td(b, refund ? -p[i].amount_cents : p[i].amount_cents);
		if (refunds) {
			rc_html_lit(b, "<td>");
			if (!refund && p[i].refunded_cents < p[i].amount_cents)
				refund_details(r, &p[i], f);
			else if (!refund)
				rc_html_lit(b, "refunded");
			rc_html_lit(b, "</td>");
		}
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
}

static void invoice_page(rc_req *r, const rc_invoice_doc *d, invoice_forms *f)
{
	rc_buf *b = &r->out;
	bool staff = rc_role_is_staff(r->user.role), desk = rc_role_handles_money(r->user.role);
	char title[64];
	snprintf(title, sizeof title, "Invoice %lld", (long long)d->inv.number);
	rc_page_begin(r, title, staff ? "patients" : "account");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, title);
	rc_html_lit(b, "</h1>\n");
	if (f && f->alert)
		rc_page_alert(r, f->alert);
	if (f && f->notice)
		rc_page_notice(r, f->notice);
	rc_html_lit(b, "<dl class=\"facts\"><dt>Patient</dt><dd>");
	rc_html_lit(b, "<a href=\"/runners/");
	rc_bill_num(b, d->inv.runner_id);
	rc_html_lit(b, "/billing\">");
	rc_html_text(b, d->inv.runner_name[0] ? d->inv.runner_name : "(erased)");
	rc_html_lit(b, "</a></dd><dt>Issued</dt><dd>");
	rc_visit_time(b, d->inv.issued_at, true);
	rc_html_lit(b, "</dd><dt>For</dt><dd>");
	rc_html_text(b, rc_bill_kind_label(d->inv.kind));
	if (d->inv.service_at) {
		rc_html_lit(b, "</dd><dt>Date of service</dt><dd>");
		rc_html_time(b, d->inv.service_at, "%a %e %b %Y");
	}
	if (d->inv.practitioner_name[0]) {
		rc_html_lit(b, "</dd><dt>Practitioner</dt><dd>");
		rc_html_text(b, d->inv.practitioner_name);
	}
	if (d->inv.icd10[0]) {
		rc_html_lit(b, "</dd><dt>Diagnosis (ICD-10-CM)</dt><dd>");
		rc_html_text(b, d->inv.icd10);
	}
	if (d->inv.price_reason[0]) {
		rc_html_lit(b, "</dd><dt>Price changed because</dt><dd>");
		rc_html_text(b, d->inv.price_reason);
	}
	rc_html_lit(b, "</dd></dl>\n");
	rc_bill_lines_table(b, d);
	figures(b, d);
	rc_html_lit(b, "<p class=\"actions\"><a href=\"/invoices/");
	rc_bill_num(b, d->inv.id);
	rc_html_lit(b, "/superbill\">Superbill for the insurer (printable)</a></p>\n");
	if (d->ncredits) {
		rc_html_lit(b, "<h2>Credit notes</h2>\n<ul>\n");
		for (size_t i = 0; i < d->ncredits; i++) {
			rc_html_lit(b, "<li>Credit note ");
			rc_bill_num(b, d->credits[i].number);
			rc_html_lit(b, ", ");
			rc_html_time(b, d->credits[i].issued_at, "%e %b %Y");
			rc_html_lit(b, ": ");
			rc_visit_money(b, d->credits[i].amount_cents);
			rc_html_lit(b, " — ");
			rc_html_text(b, d->credits[i].reason);
			rc_html_lit(b, "</li>\n");
		}
		rc_html_lit(b, "</ul>\n");
	}
	rc_html_lit(b, "<h2>Payments</h2>\n");
	payments_table(r, d->payments, d->npayments, false, desk, f);
	if (desk && d->balance_cents > 0) {
		rc_vfield pf[PF_N];
		fields_with_methods(pf);
		rc_html_lit(b, "<section aria-labelledby=\"take\"><h2 id=\"take\">Take a payment</h2>\n");
		char action[64];
		snprintf(action, sizeof action, "/invoices/%lld/payments", (long long)d->inv.id);
		rc_form_open(r, action);
		if (f && f->pay_set) {
			for (int i = 0; i < PF_KEY; i++)
				rc_valid_input(b, &pf[i], &f->pay[i]);
			rc_valid_hidden(b, &pf[PF_KEY], &f->pay[PF_KEY]);
		} else {
			char owed[40];
			snprintf(owed, sizeof owed, "%lld.%02lld", (long long)(d->balance_cents / 100),
			         (long long)(d->balance_cents % 100));
			rc_vvalue amount = {.raw = owed}, method = {.raw = "card"}, key = {.raw = form_key(r)};
			rc_valid_input(b, &pf[PF_AMOUNT], &amount);
			rc_valid_input(b, &pf[PF_METHOD], &method);
			rc_valid_input(b, &pf[PF_REFERENCE], NULL);
			rc_valid_hidden(b, &pf[PF_KEY], &key);
		}
		rc_form_close(r, "Take payment");
		rc_html_lit(b, "</section>\n");
	}
	if (desk && d->inv.credited_cents < d->inv.total_cents) {
		if (f && f->credit_set)
			rc_html_lit(b, "<details open>");
		else
			rc_html_lit(b, "<details>");
		rc_html_lit(b, "<summary>Correct this invoice with a credit note</summary>\n<p>An issued invoice is never "
		               "changed: a credit note takes an amount off it, with the reason.</p>\n");
		char action[64];
		snprintf(action, sizeof action, "/invoices/%lld/credit-notes", (long long)d->inv.id);
		rc_form_open(r, action);
		for (int i = 0; i < CF_N; i++)
			rc_valid_input(b, &credit_form[i], f && f->credit_set ? &f->credit[i] : NULL);
		rc_form_close(r, "Issue credit note");
		rc_html_lit(b, "</details>\n");
	}
	rc_page_end(r);
}

void rc_page_billing_invoice(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_invoice_doc d;
	rc_problem p = {0};
	rc_err e = rc_app_bill_invoice(&uc, rc_page_param_id(r), &d, &p);
	if (e) {
		rc_page_refused(r, e, &p, "invoice");
		return;
	}
	invoice_forms f = {0};
	const char *done = rc_req_query(r, "done");
	if (done && !strcmp(done, "paid"))
		f.notice = "Payment taken.";
	else if (done && !strcmp(done, "issued"))
		f.notice = "Invoice issued.";
	else if (done && !strcmp(done, "credited"))
		f.notice = "Credit note issued.";
	else if (done && !strcmp(done, "refunded"))
		f.notice = "Refund recorded.";
	invoice_page(r, &d, &f);
}

/* After a refused form: the invoice again with what was typed, the problem beside its field. */
static void invoice_again(rc_req *r, int64_t invoice_id, rc_err e, const rc_problem *p, invoice_forms *f)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_invoice_doc d;
	rc_problem p2 = {0};
	if (e != RC_EINVAL && e != RC_ECONFLICT) {
		rc_page_refused(r, e, p, "billing");
		return;
	}
	rc_err e2 = rc_app_bill_invoice(&uc, invoice_id, &d, &p2);
	if (e2) {
		rc_page_refused(r, e2, &p2, "invoice");
		return;
	}
	r->status = rc_page_status_of(e);
	f->alert = p->field ? "Nothing is saved: please correct what is marked below." : p->text;
	invoice_page(r, &d, f);
}

static void redirect_invoice(rc_req *r, int64_t id, const char *done)
{
	char to[80];
	snprintf(to, sizeof to, "/invoices/%lld?done=%s", (long long)id, done);
	rc_req_redirect(r, to);
}

void rc_page_billing_pay(rc_req *r)
{
	invoice_forms f = {0};
	rc_vfield pf[PF_N];
	fields_with_methods(pf);
	rc_valid_form(&r->arena, &r->form, pf, PF_N, f.pay);
	f.pay_set = true;
	int64_t id = rc_page_param_id(r);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_payment pay;
	bool existing = false;
	rc_problem p = {0};
	rc_err e;
	if (rc_valid_first_error(f.pay, PF_N) >= 0)
		e = RC_EINVAL, p.field = "amount";
	else {
		rc_pay_in in = {.invoice_id = id, .method = f.pay[PF_METHOD].text, .amount = f.pay[PF_AMOUNT].raw,
		                .reference = f.pay[PF_REFERENCE].text, .key = f.pay[PF_KEY].text};
		e = rc_app_bill_pay(&uc, &in, &pay, &existing, &p);
		if (!e) {
			redirect_invoice(r, id, "paid");
			return;
		}
		const char *field = !p.field ? NULL : !strcmp(p.field, "amount_cents") ? "amount" : p.field;
		if (field && !rc_valid_set_error(pf, PF_N, f.pay, field, p.text))
			p.field = NULL;
	}
	invoice_again(r, id, e, &p, &f);
}

void rc_page_billing_credit(rc_req *r)
{
	invoice_forms f = {0};
	rc_valid_form(&r->arena, &r->form, credit_form, CF_N, f.credit);
	f.credit_set = true;
	int64_t id = rc_page_param_id(r);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_credit_note cn;
	rc_problem p = {0};
	rc_err e;
	if (rc_valid_first_error(f.credit, CF_N) >= 0)
		e = RC_EINVAL, p.field = "credit_amount";
	else {
		rc_credit_in in = {.invoice_id = id, .amount = f.credit[CF_AMOUNT].raw, .reason = f.credit[CF_REASON].text};
		e = rc_app_bill_credit(&uc, &in, &cn, &p);
		if (!e) {
			redirect_invoice(r, id, "credited");
			return;
		}
		const char *field = !p.field                          ? NULL
		                    : !strcmp(p.field, "amount_cents") ? "credit_amount"
		                    : !strcmp(p.field, "reason")       ? "credit_reason"
		                                                       : p.field;
		if (field && !rc_valid_set_error(credit_form, CF_N, f.credit, field, p.text))
			p.field = NULL;
	}
	invoice_again(r, id, e, &p, &f);
}

void rc_page_billing_refund(rc_req *r)
{
	invoice_forms f = {0};
	rc_valid_form(&r->arena, &r->form, refund_form, RF_N, f.refund);
	f.refund_set = true;
	f.refund_payment = rc_page_param_id(r);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_payment orig, out;
	bool found = false, existing = false;
	rc_problem p = {0};
	rc_err e = rc_app_bill_payment(&uc, f.refund_payment, &orig, &found, &p);
	if (!e && !found)
		e = rc_problem_set(&p, RC_ENOTFOUND, NULL, "There is no such payment.");
	if (e) {
		rc_page_refused(r, e, &p, "refund");
		return;
	}
	if (rc_valid_first_error(f.refund, RF_N) >= 0)
		e = RC_EINVAL, p.field = "refund_amount";
	else {
		rc_refund_in in = {.payment_id = orig.id, .amount = f.refund[RF_AMOUNT].raw,
		                   .reason = f.refund[RF_REASON].text, .key = f.refund[RF_KEY].text};
		e = rc_app_bill_refund(&uc, &in, &out, &existing, &p);
		if (!e) {
			if (orig.invoice_id)
				redirect_invoice(r, orig.invoice_id, "refunded");
			else {
				char to[80];
				snprintf(to, sizeof to, "/runners/%lld/billing?done=refunded", (long long)orig.runner_id);
				rc_req_redirect(r, to);
			}
			return;
		}
		const char *field = !p.field                          ? NULL
		                    : !strcmp(p.field, "amount_cents") ? "refund_amount"
		                    : !strcmp(p.field, "reason")       ? "refund_reason"
		                                                       : p.field;
		if (field && !rc_valid_set_error(refund_form, RF_N, f.refund, field, p.text))
			p.field = NULL;
	}
	if (!orig.invoice_id) {
		r->status = rc_page_status_of(e);
		rc_page_error(r, r->status, p.text);
		return;
	}
	invoice_again(r, orig.invoice_id, e, &p, &f);
}

/* --- invoicing a visit ------------------------------------------------------------------------------------- */

void rc_page_billing_invoice_visit(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_invoice_visit_in in = {.appointment_id = rc_page_param_id(r), .price = rc_req_form(r, "price"),
	                          .reason = rc_req_form(r, "reason")};
	const char *pkg = rc_req_form(r, "package");
	if (pkg && !strcmp(pkg, "none"))
		in.package_id = -1;
	rc_invoice_doc d;
	rc_problem p = {0};
	rc_err e = rc_app_bill_invoice_visit(&uc, r->app->billing, &in, &d, &p);
	if (e) {
		/* Shown on the error page with a way back: the visit's patient's account. */
		rc_page_refused(r, e, &p, "invoice");
		return;
	}
	redirect_invoice(r, d.inv.id, "issued");
}

void rc_page_billing_fee(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_invoice_doc d;
	rc_problem p = {0};
	rc_err e = rc_app_bill_fee(&uc, r->app->billing, rc_page_param_id(r), rc_req_form(r, "kind"), &d, &p);
	if (e) {
		rc_page_refused(r, e, &p, "fee");
		return;
	}
	redirect_invoice(r, d.inv.id, "issued");
}

/* --- a patient's account: the statement --------------------------------------------------------------------- */

enum { AF_AMOUNT, AF_METHOD, AF_REFERENCE, AF_KEY, AF_N };

static void account_page(rc_req *r, int64_t runner, const rc_bill_account *a, const char *alert, const char *notice)
{
	rc_buf *b = &r->out;
	bool staff = rc_role_is_staff(r->user.role), desk = rc_role_handles_money(r->user.role);
	const rc_billing_kb *kb = r->app->billing;
	rc_page_begin(r, "Invoices and payments", staff ? "patients" : "account");
	rc_html_lit(b, "<h1>Invoices and payments");
	if (staff && a->name[0]) {
		rc_html_lit(b, ": ");
		rc_html_text(b, a->name);
	}
	rc_html_lit(b, "</h1>\n");
	if (alert)
		rc_page_alert(r, alert);
	if (notice)
		rc_page_notice(r, notice);
	const rc_bill_totals *t = &a->totals;
	if (a->own_visits_only)
		rc_html_lit(b, "<p>What was billed for your own visits with this patient. Their payments, balance and "
			       "packages are kept by the front desk.</p>\n");
	else {
		rc_html_lit(b, "<section aria-labelledby=\"statement\"><h2 id=\"statement\">Statement</h2>\n<p>As of ");
		rc_html_time(b, r->now, "%e %b %Y, %H:%M");
		rc_html_lit(b, ".</p>\n<dl class=\"figures\"><dt>Invoiced</dt><dd>");
		rc_visit_money(b, t->invoiced_cents);
		rc_html_lit(b, "</dd><dt>Credited</dt><dd>");
		rc_visit_money(b, t->credited_cents);
		rc_html_lit(b, "</dd><dt>Paid</dt><dd>");
		rc_visit_money(b, t->paid_cents);
		rc_html_lit(b, "</dd><dt>Refunded</dt><dd>");
		rc_visit_money(b, t->refunded_cents);
		if (t->balance_cents >= 0)
			rc_html_lit(b, "</dd><dt>Balance due</dt><dd><strong id=\"balance\">");
		else
			rc_html_lit(b, "</dd><dt>Account credit</dt><dd><strong id=\"balance\">");
		rc_visit_money(b, t->balance_cents >= 0 ? t->balance_cents : -t->balance_cents);
		rc_html_lit(b, "</strong></dd></dl></section>\n");
	}

	if (desk && a->nunbilled) {
		rc_html_lit(b, "<section aria-labelledby=\"tobill\"><h2 id=\"tobill\">Visits to bill</h2>\n<div class=\"table-scroll\" "
		               "tabindex=\"0\"><table class=\"list\"><thead><tr><th scope=\"col\">Visit</th><th scope=\"col\">"
		               "Service</th><th scope=\"col\">Status</th><th scope=\"col\">Bill</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < a->nunbilled; i++) {
			const rc_appointment *v = &a->unbilled[i];
			bool no_show = !strcmp(v->status, "no_show");
			char action[64];
			rc_html_lit(b, "<tr><td>");
			rc_visit_time(b, v->starts_at, true);
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, v->service_name);
			rc_html_lit(b, " with ");
			rc_html_text(b, v->practitioner_name);
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, rc_visit_status_label(v->status));
			rc_html_lit(b, "</td><td>");
			snprintf(action, sizeof action, no_show ? "/visits/%lld/fee" : "/visits/%lld/invoice", (long long)v->id);
			rc_form_open(r, action);
			if (no_show) {
				rc_html_lit(b, "<input type=\"hidden\" name=\"kind\" value=\"no_show_fee\">");
				rc_html_lit(b, "<p><button type=\"submit\">Charge the no-show fee (");
				rc_visit_money(b, kb ? kb->no_show_cents : 0);
				rc_html_lit(b, ")</button></p></form>");
			} else {
				rc_html_lit(b, "<details><summary>Charge another price</summary>\n");
				char id[48];
				snprintf(id, sizeof id, "price-%lld", (long long)v->id);
				rc_html_lit(b, "<p><label for=\"");
				rc_html_text(b, id);
				rc_html_lit(b, "\">Charge (leave empty for the service's price)</label> <input type=\"text\" "
				               "inputmode=\"decimal\" name=\"price\" id=\"");
				rc_html_text(b, id);
				rc_html_lit(b, "\"></p><p><label for=\"r");
				rc_html_text(b, id);
				rc_html_lit(b, "\">Reason</label> <input type=\"text\" name=\"reason\" maxlength=\"200\" id=\"r");
				rc_html_text(b, id);
				rc_html_lit(b, "\"></p></details>\n");
				rc_form_close(r, "Invoice this visit");
			}
			rc_html_lit(b, "</td></tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div></section>\n");
	}

	rc_html_lit(b, "<section aria-labelledby=\"invoices\"><h2 id=\"invoices\">Invoices</h2>\n");
	if (!a->ninvoices)
		rc_html_lit(b, "<p>No invoices yet.</p>\n");
	else {
		rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr><th scope=\"col\">"
		               "Invoice</th><th scope=\"col\">Issued</th><th scope=\"col\">For</th><th scope=\"col\" "
		               "class=\"money\">Total</th>");
		if (!a->own_visits_only) /* what was billed, not what the patient still owes */
			rc_html_lit(b, "<th scope=\"col\" class=\"money\">Balance</th>");
		rc_html_lit(b, "</tr></thead><tbody>\n");
		for (size_t i = 0; i < a->ninvoices; i++) {
			const rc_invoice *v = &a->invoices[i];
			rc_money_invoice m = {v->total_cents, v->credited_cents, v->paid_cents, v->refunded_cents};
			rc_html_lit(b, "<tr><td><a href=\"/invoices/");
			rc_bill_num(b, v->id);
			rc_html_lit(b, "\">Invoice ");
			rc_bill_num(b, v->number);
			rc_html_lit(b, "</a></td><td>");
			rc_html_time(b, v->issued_at, "%e %b %Y");
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, !strcmp(v->kind, "visit") ? v->service_name : rc_bill_kind_label(v->kind));
			if (v->service_at) {
				rc_html_lit(b, ", ");
				rc_html_time(b, v->service_at, "%e %b");
			}
			rc_html_lit(b, "</td>");
			rc_bill_money_td(b, v->total_cents);
			if (!a->own_visits_only)
				rc_bill_money_td(b, rc_money_invoice_balance(&m));
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	rc_html_lit(b, "</section>\n");
	if (!a->own_visits_only) {
		rc_html_lit(b, "<section aria-labelledby=\"payments\"><h2 id=\"payments\">Payments and refunds</h2>\n");
		payments_table(r, a->payments, a->npayments, true, false, NULL);
		rc_html_lit(b, "</section>\n<section aria-labelledby=\"packages\"><h2 id=\"packages\">Packages</h2>\n");
		if (!a->npackages)
			rc_html_lit(b, "<p>No prepaid packages.</p>\n");
		else {
			rc_html_lit(b, "<ul>\n");
			for (size_t i = 0; i < a->npackages; i++) {
				const rc_package *k = &a->packages[i];
				rc_html_lit(b, "<li>");
				rc_html_text(b, k->name);
				rc_html_lit(b, ": ");
				rc_bill_num(b, k->used);
				rc_html_lit(b, " of ");
				rc_bill_num(b, k->visits);
				if (k->expires_at > r->now)
					rc_html_lit(b, " visits used; valid until ");
				else
					rc_html_lit(b, " visits used; expired ");
				rc_html_time(b, k->expires_at - 1, "%e %b %Y");
				rc_html_lit(b, "</li>\n");
			}
			rc_html_lit(b, "</ul>\n");
		}
		if (desk && kb && kb->npackages) {
			char action[64];
			snprintf(action, sizeof action, "/runners/%lld/packages", (long long)runner);
			rc_form_open(r, action);
			rc_html_lit(b, "<p><label for=\"package\">Sell a package</label> <select name=\"package\" "
				       "id=\"package\">");
			for (int i = 0; i < kb->npackages; i++) {
				rc_html_lit(b, "<option value=\"");
				rc_html_text(b, kb->packages[i].key);
				rc_html_lit(b, "\">");
				rc_html_text(b, kb->packages[i].name);
				rc_html_lit(b, ", ");
				rc_visit_money(b, kb->packages[i].price_cents);
				rc_html_lit(b, "</option>");
			}
			rc_html_lit(b, "</select></p>\n");
			rc_form_close(r, "Sell package");
		}
		rc_html_lit(b, "</section>\n");
	}
	if (desk) {
		rc_vfield pf[PF_N];
		fields_with_methods(pf);
		rc_html_lit(b, "<details><summary>Take money on account</summary>\n");
		char action[64];
		snprintf(action, sizeof action, "/runners/%lld/payments", (long long)runner);
		rc_form_open(r, action);
		rc_vvalue method = {.raw = "card"}, key = {.raw = form_key(r)};
		rc_valid_input(b, &pf[PF_AMOUNT], NULL);
		rc_valid_input(b, &pf[PF_METHOD], &method);
		rc_valid_input(b, &pf[PF_REFERENCE], NULL);
		rc_valid_hidden(b, &pf[PF_KEY], &key);
		rc_form_close(r, "Take payment on account");
		rc_html_lit(b, "</details>\n");
	}
	/* A superbill of every visit in a period (this year so far unless changed), for one claim. */
	char first[11], today[11];
	rc_tz_format(r->now, "%Y-01-01", first, sizeof first);
	rc_day_name(rc_tz_day_number(r->now), today);
	rc_html_lit(b, "<section aria-labelledby=\"period\"><h2 id=\"period\">Superbill for a period</h2>\n"
	               "<form class=\"inline-form\" method=\"get\" action=\"/runners/");
	rc_bill_num(b, runner);
	rc_html_lit(b, "/superbill\"><p><label for=\"sb-from\">From</label> <input type=\"date\" id=\"sb-from\" "
	               "name=\"from\" required value=\"");
	rc_html_text(b, first);
	rc_html_lit(b, "\"></p><p><label for=\"sb-to\">To</label> <input type=\"date\" id=\"sb-to\" name=\"to\" "
	               "required value=\"");
	rc_html_text(b, today);
	rc_html_lit(b, "\"></p><p><button type=\"submit\">Show the superbill</button></p></form></section>\n");
	if (kb && kb->policy_text[0]) {
		rc_html_lit(b, "<h2>Cancellation policy</h2>\n<p>");
		rc_html_text(b, kb->policy_text);
		rc_html_lit(b, "</p>\n");
	}
	rc_page_end(r);
}

static void account(rc_req *r, int64_t runner, const char *alert, const char *notice, unsigned status)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_bill_account a;
	rc_problem p = {0};
	rc_err e = rc_app_bill_account(&uc, runner, &a, &p);
	if (e) {
		rc_page_refused(r, e, &p, "billing account");
		return;
	}
	/* Every read of a patient's record by the staff is in the audit log, their billing too. */
	if (rc_role_is_staff(r->user.role))
		rc_req_audit(r, "billing.view", runner, "");
	r->status = status;
	account_page(r, runner, &a, alert, notice);
}

void rc_page_billing_account(rc_req *r)
{
	const char *done = rc_req_query(r, "done");
	const char *notice = !done                       ? NULL
	                     : !strcmp(done, "sold")     ? "Package sold: its invoice is below."
	                     : !strcmp(done, "paid")     ? "Payment taken on account."
	                     : !strcmp(done, "refunded") ? "Refund recorded."
	                                                 : NULL;
	account(r, rc_page_param_id(r), NULL, notice, 200);
}

void rc_page_billing_account_pay(rc_req *r)
{
	rc_vfield pf[PF_N];
	rc_vvalue v[PF_N];
	fields_with_methods(pf);
	rc_valid_form(&r->arena, &r->form, pf, PF_N, v);
	int64_t runner = rc_page_param_id(r);
	int bad = rc_valid_first_error(v, PF_N);
	if (bad >= 0) {
		account(r, runner, v[bad].error, NULL, 422);
		return;
	}
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_pay_in in = {.runner_id = runner, .method = v[PF_METHOD].text, .amount = v[PF_AMOUNT].raw,
	                .reference = v[PF_REFERENCE].text, .key = v[PF_KEY].text};
	rc_payment pay;
	bool existing;
	rc_problem p = {0};
	rc_err e = rc_app_bill_pay(&uc, &in, &pay, &existing, &p);
	if (e == RC_EINVAL || e == RC_ECONFLICT) {
		account(r, runner, p.text, NULL, rc_page_status_of(e));
		return;
	}
	if (e) {
		rc_page_refused(r, e, &p, "payment");
		return;
	}
	char to[80];
	snprintf(to, sizeof to, "/runners/%lld/billing?done=paid", (long long)runner);
	rc_req_redirect(r, to);
}

void rc_page_billing_sell(rc_req *r)
{
	int64_t runner = rc_page_param_id(r);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_invoice_doc d;
	rc_problem p = {0};
	rc_err e = rc_app_bill_sell_package(&uc, r->app->billing, runner, rc_req_form(r, "package"), &d, &p);
	if (e == RC_EINVAL) {
		account(r, runner, p.text, NULL, 422);
		return;
	}
	if (e) {
		rc_page_refused(r, e, &p, "package");
		return;
	}
	redirect_invoice(r, d.inv.id, "issued");
}
