/* billing_print.c — the superbill: one page per invoiced visit with what an insurer needs to reimburse a
 * patient who paid the clinic themself (clinic, NPI and tax id, rendering provider, patient and date of
 * birth, date and place of service, ICD-10-CM diagnosis, CPT codes with units and charges, what was paid).
 * Printable as it is: the site's print style drops the navigation. */
#include <stdio.h>
#include <string.h>

#include "app/billing.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/billing_pages.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"

static void fact(rc_buf *b, const char *term, const char *value)
{
	rc_html_lit(b, "<dt>");
	rc_html_text(b, term);
	rc_html_lit(b, "</dt><dd>");
	rc_html_text(b, value && *value ? value : "—");
	rc_html_lit(b, "</dd>");
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
	const rc_clinic *c = &r->app->content->clinic;
	const rc_billing_kb *kb = r->app->billing;
	rc_buf *b = &r->out;
	rc_page_begin(r, "Superbill", rc_role_is_staff(r->user.role) ? "patients" : "account");
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
	fact(b, "Rendering provider", d->inv.practitioner_name);
	char pos[80];
	snprintf(pos, sizeof pos, "%s (%s)", kb ? kb->pos : "", kb ? kb->pos_name : "");
	fact(b, "Place of service", pos);
	rc_html_lit(b, "</dl></section>\n<section aria-labelledby=\"sb-patient\"><h2 id=\"sb-patient\">Patient</h2>"
	               "<dl class=\"facts\">");
	fact(b, "Name", d->inv.runner_name);
	fact(b, "Date of birth", sb.date_of_birth);
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
	rc_html_lit(b, "<dl class=\"figures\"><dt>Total charges</dt><dd>");
	rc_visit_money(b, d->inv.total_cents);
	if (d->inv.credited_cents) {
		rc_html_lit(b, "</dd><dt>Adjustments (credit notes)</dt><dd>");
		rc_visit_money(b, d->inv.credited_cents);
	}
	rc_html_lit(b, "</dd><dt>Amount paid by the patient</dt><dd>");
	rc_visit_money(b, d->inv.paid_cents - d->inv.refunded_cents);
	rc_html_lit(b, "</dd><dt>Balance</dt><dd>");
	rc_visit_money(b, d->balance_cents);
	rc_html_lit(b, "</dd></dl>\n<p>Print this page with your browser's Print command.</p></article>\n");
	rc_page_end(r);
}
