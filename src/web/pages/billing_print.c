/* billing_print.c — the superbill: one page per invoiced visit with what an insurer needs to reimburse a
 * patient who paid the clinic themself (clinic, NPI and tax id, rendering provider, patient and date of
 * birth, date and place of service, ICD-10-CM diagnosis, CPT codes with units and charges, what was paid).
 * Printable as it is: the site's print style drops the navigation. And the same for a period: every visit
 * invoiced with its date, provider, diagnosis and codes. */
#include <stdio.h>
#include <string.h>

#include "app/billing.h"
#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/billing_pages.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"
#include "web/valid.h"

static void fact(rc_buf *b, const char *term, const char *value)
{
	rc_html_lit(b, "<dt>");
	rc_html_text(b, term);
	rc_html_lit(b, "</dt><dd>");
	rc_html_text(b, value && *value ? value : "—");
	rc_html_lit(b, "</dd>");
}

/* The provider and the patient, as every superbill begins. practitioner: the rendering provider, or NULL when
 * the lines name their own. */
static void head(rc_req *r, const char *practitioner, const char *patient, const char *dob)
{
	const rc_clinic *c = &r->app->content->clinic;
	const rc_billing_kb *kb = r->app->billing;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<article class=\"superbill\"><h1>Superbill</h1>\n<p>An itemised statement of services for the "
	               "patient to send to their insurer. The clinic does not bill the insurer itself.</p>\n");
	rc_html_lit(b, "<section aria-labelledby=\"sb-provider\"><h2 id=\"sb-provider\">Provider</h2><dl class=\"facts\">");
	fact(b, "Clinic", c->name);
	char addr[400];
	snprintf(addr, sizeof addr, "%s, %s, %s %s", c->street ? c->street : "", c->city ? c->city : "",
	         c->region ? c->region : "", c->postal_code ? c->postal_code : "");
	fact(b, "Address", addr);
	fact(b, "Phone", c->phone);
	fact(b, "NPI", kb ? kb->npi : "");
	fact(b, "Tax id (EIN)", kb ? kb->tax_id : "");
	if (practitioner)
		fact(b, "Rendering provider", practitioner);
	char pos[80];
	snprintf(pos, sizeof pos, "%s (%s)", kb ? kb->pos : "", kb ? kb->pos_name : "");
	fact(b, "Place of service", pos);
	rc_html_lit(b, "</dl></section>\n<section aria-labelledby=\"sb-patient\"><h2 id=\"sb-patient\">Patient</h2>"
	               "<dl class=\"facts\">");
	fact(b, "Name", patient);
	fact(b, "Date of birth", dob);
}

static void totals(rc_buf *b, int64_t charges, int64_t credited, int64_t paid)
{
	rc_html_lit(b, "<dl class=\"figures\"><dt>Total charges</dt><dd>");
	rc_visit_money(b, charges);
	if (credited) {
		rc_html_lit(b, "</dd><dt>Adjustments (credit notes)</dt><dd>");
		rc_visit_money(b, credited);
	}
	rc_html_lit(b, "</dd><dt>Amount paid by the patient</dt><dd>");
	rc_visit_money(b, paid);
	rc_html_lit(b, "</dd><dt>Balance</dt><dd>");
	rc_visit_money(b, charges - credited - paid);
	rc_html_lit(b, "</dd></dl>\n<p>Print this page with your browser's Print command.</p></article>\n");
}

/* A visit a package paid for: how it was paid, since its invoice itself asked $0.00. */
static void prepaid_note(rc_buf *b, const rc_invoice_doc *d)
{
	if (!d->prepaid_cents)
		return;
	rc_html_lit(b, "<p>Paid in advance: ");
	rc_visit_money(b, d->prepaid_cents);
	rc_html_lit(b, " of the prepaid package “");
	rc_html_text(b, d->prepaid_by);
	rc_html_lit(b, "” (its price shared over its visits).</p>\n");
}

void rc_page_billing_superbill(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_superbill sb;
	rc_problem p = {0};
	rc_err e = rc_app_bill_superbill(&uc, rc_page_param_id(r), &sb, &p);
	if (e) {
		rc_page_refused(r, e, &p, "superbill");
		return;
	}
	const rc_invoice_doc *d = &sb.doc;
	rc_buf *b = &r->out;
	rc_page_begin(r, "Superbill", rc_role_is_staff(r->user.role) ? "patients" : "account");
	head(r, d->inv.practitioner_name, d->inv.runner_name, sb.date_of_birth);
	rc_html_lit(b, "<dt>Date of service</dt><dd>");
	if (d->inv.service_at)
		rc_html_time(b, d->inv.service_at, "%m/%d/%Y");
	else
		rc_html_lit(b, "—");
	rc_html_lit(b, "</dd>");
	fact(b, "Diagnosis (ICD-10-CM)", d->inv.icd10);
	char number[32];
	snprintf(number, sizeof number, "%lld", (long long)d->inv.number);
	fact(b, "Invoice", number);
	rc_html_lit(b, "</dl></section>\n");
	rc_bill_lines_table(b, d);
	prepaid_note(b, d);
	totals(b, d->inv.total_cents, d->inv.credited_cents, d->inv.paid_cents - d->inv.refunded_cents);
	rc_page_end(r);
}

enum { SQ_FROM, SQ_TO, SQ_N };
static const rc_vfield period_query[SQ_N] = {
	[SQ_FROM] = {"from", "From", RC_V_DATE, .required = true,
	             .hint = "Write the first day as YYYY-MM-DD, for example 2026-01-01."},
	[SQ_TO] = {"to", "To", RC_V_DATE, .required = true, .hint = "Write the last day as YYYY-MM-DD, for example 2026-03-31."},
};

void rc_page_billing_superbill_period(rc_req *r)
{
	rc_vvalue q[SQ_N];
	rc_valid_form(&r->arena, &r->query, period_query, SQ_N, q);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_superbill_period sp;
	rc_problem p = {0};
	rc_err e = rc_valid_first_error(q, SQ_N) >= 0
	               ? RC_EINVAL
	               : rc_app_bill_superbill_period(&uc, rc_page_param_id(r), q[SQ_FROM].num, q[SQ_TO].num, &sp, &p);
	if (e && e != RC_EINVAL) {
		rc_page_refused(r, e, &p, "superbill");
		return;
	}
	rc_buf *b = &r->out;
	if (e) {
		int bad = rc_valid_first_error(q, SQ_N);
		r->status = 422;
		rc_page_begin(r, "Superbill", rc_role_is_staff(r->user.role) ? "patients" : "account");
		rc_html_lit(b, "<h1>Superbill</h1>\n");
		rc_page_alert(r, bad >= 0 ? q[bad].error : p.text);
		rc_html_lit(b, "<form class=\"inline-form\" method=\"get\" action=\"superbill\">");
		for (int i = 0; i < SQ_N; i++) {
			rc_html_lit(b, "<p>");
			rc_valid_control(b, &period_query[i], &q[i]);
			rc_html_lit(b, "</p>");
		}
		rc_html_lit(b, "<p><button type=\"submit\">Show</button></p></form>\n");
		rc_page_end(r);
		return;
	}
	if (rc_role_is_staff(r->user.role))
		rc_req_audit(r, "billing.superbill", rc_page_param_id(r), "");
	rc_page_begin(r, "Superbill", rc_role_is_staff(r->user.role) ? "patients" : "account");
	head(r, NULL, sp.name, sp.date_of_birth);
	char from[11], to[11], period[40];
	rc_day_name(sp.from_day, from);
	rc_day_name(sp.to_day, to);
	snprintf(period, sizeof period, "%s to %s", from, to);
	fact(b, "Dates of service", period);
	rc_html_lit(b, "</dl></section>\n");
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list bill\"><caption>Services</caption>"
	               "<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Provider</th><th scope=\"col\">"
	               "Diagnosis</th><th scope=\"col\">CPT code</th><th scope=\"col\">Service</th><th scope=\"col\">"
	               "Units</th><th scope=\"col\" class=\"money\">Charge</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < sp.ndocs; i++) {
		const rc_invoice_doc *d = &sp.docs[i];
		for (size_t k = 0; k < d->nlines; k++) {
			const rc_invoice_line *l = &d->lines[k];
			rc_html_lit(b, "<tr><td>");
			rc_html_time(b, d->inv.service_at, "%m/%d/%Y");
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, d->inv.practitioner_name);
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, d->inv.icd10[0] ? d->inv.icd10 : "—");
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, l->cpt[0] ? l->cpt : "—");
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, l->description);
			rc_html_lit(b, "</td><td>");
			rc_bill_num(b, l->units);
			rc_html_lit(b, "</td>");
			rc_bill_money_td(b, l->amount_cents);
			rc_html_lit(b, "</tr>\n");
		}
	}
	if (!sp.ndocs)
		rc_html_lit(b, "<tr><td colspan=\"7\">No visits were invoiced in these days.</td></tr>\n");
	rc_html_lit(b, "</tbody></table></div>\n");
	for (size_t i = 0; i < sp.ndocs; i++)
		prepaid_note(b, &sp.docs[i]);
	totals(b, sp.charges_cents, sp.credited_cents, sp.paid_cents);
	rc_page_end(r);
}
