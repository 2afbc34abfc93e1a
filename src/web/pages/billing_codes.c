/* billing_codes.c — the Billing codes page (administrators): every service with the CPT codes and units
 * its visits are billed with, each editable as a few lines of text; the treatments' codes as the clinic's
 * file gives them. Each handler parses, calls one use case in app/billing.h and renders. */
#include <stdio.h>
#include <string.h>

#include "app/billing.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/billing_pages.h"
#include "web/pages/pages.h"

/* What came back with an error: the service whose text it was, what was typed, and why. */
typedef struct {
	const char *key, *text, *error;
} codes_again;

static void codes_table(rc_buf *b, const rc_service_code *codes, int n, const char *caption)
{
	if (!n) {
		rc_html_lit(b, "<p>No codes: its visits are billed as one line named after the service.</p>\n");
		return;
	}
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>");
	rc_html_text(b, caption);
	rc_html_lit(b,
		    "</caption><thead><tr><th scope=\"col\">CPT code</th><th scope=\"col\">Units</th><th scope=\"col\">"
		    "What it is</th></tr></thead><tbody>\n");
	for (int i = 0; i < n; i++) {
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, codes[i].cpt);
		rc_html_lit(b, "</td><td>");
		rc_bill_num(b, codes[i].units);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, codes[i].description);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
}

static void service_section(rc_req *r, const rc_bill_codes_service *s, const codes_again *again)
{
	rc_buf *b = &r->out;
	const char *key = s->service.key;
	bool bad = again && again->key && !strcmp(again->key, key);
	rc_html_lit(b, "<section aria-labelledby=\"sv-");
	rc_html_text(b, key);
	rc_html_lit(b, "\" id=\"service-");
	rc_html_text(b, key);
	rc_html_lit(b, "\"><h2 id=\"sv-");
	rc_html_text(b, key);
	rc_html_lit(b, "\">");
	rc_html_text(b, s->service.name);
	if (!s->active)
		rc_html_lit(b, " (retired)");
	rc_html_lit(b, "</h2>\n<p>");
	if (s->own)
		rc_html_lit(b, "Set on this page.");
	else
		rc_html_lit(b, "From the clinic's billing file (content/billing.json).");
	rc_html_lit(b, " The first code's line carries the visit's price.</p>\n");
	char caption[200];
	snprintf(caption, sizeof caption, "Codes for %s", s->service.name);
	codes_table(b, s->codes, s->ncodes, caption);
	if (bad)
		rc_html_lit(b, "<details open>");
	else
		rc_html_lit(b, "<details>");
	rc_html_lit(b, "<summary>Change the codes for ");
	rc_html_text(b, s->service.name);
	rc_html_lit(b, "</summary>\n");
	rc_form_open(r, "/admin/billing/codes");
	rc_html_lit(b, "<input type=\"hidden\" name=\"service\" value=\"");
	rc_html_text(b, key);
	rc_html_lit(b, "\"><p><label for=\"codes-");
	rc_html_text(b, key);
	rc_html_lit(b, "\">Codes for ");
	rc_html_text(b, s->service.name);
	rc_html_lit(b, "</label> <span class=\"hint\" id=\"hint-");
	rc_html_text(b, key);
	rc_html_lit(b, "\">One code a line: the CPT code, the units, then what it is — for example "
		       "<kbd>97810 1 Acupuncture, first 15 minutes</kbd>. Leave it empty to use the clinic's file "
		       "again.</span>");
	if (bad) {
		rc_html_lit(b, " <span class=\"field-error\" id=\"error-");
		rc_html_text(b, key);
		rc_html_lit(b, "\">");
		rc_html_text(b, again->error);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "</p><p><textarea name=\"codes\" rows=\"4\" cols=\"72\" id=\"codes-");
	rc_html_text(b, key);
	rc_html_lit(b, "\" aria-describedby=\"hint-");
	rc_html_text(b, key);
	if (bad) {
		rc_html_lit(b, " error-");
		rc_html_text(b, key);
		rc_html_lit(b, "\" aria-invalid=\"true");
	}
	rc_html_lit(b, "\">");
	if (bad)
		rc_html_text(b, again->text ? again->text : "");
	else {
		rc_buf text;
		rc_buf_init(&text, 4096);
		rc_app_bill_codes_text(s->codes, s->ncodes, &text);
		rc_html_text(b, text.data ? text.data : "");
		rc_buf_free(&text);
	}
	rc_html_lit(b, "</textarea></p>\n");
	char button[200];
	snprintf(button, sizeof button, "Save the codes for %s", s->service.name);
	rc_form_close(r, button);
	rc_html_lit(b, "</details></section>\n");
}

static void codes_page(rc_req *r, const codes_again *again, const char *notice, unsigned status)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_bill_codes_view v;
	rc_problem p = {0};
	rc_err e = rc_app_bill_codes(&uc, r->app->billing, &v, &p);
	if (e) {
		rc_page_refused(r, e, &p, "billing codes");
		return;
	}
	rc_buf *b = &r->out;
	r->status = status;
	rc_page_begin(r, "Billing codes", "billing");
	rc_html_lit(b, "<h1>Billing codes</h1>\n<p>The CPT codes and units each service's visits are invoiced with. A "
		       "change applies to invoices issued from now on: an issued invoice keeps its codes.</p>\n");
	if (again && again->error)
		rc_page_alert(r, again->error);
	if (notice)
		rc_page_notice(r, notice);
	for (size_t i = 0; i < v.nservices; i++)
		service_section(r, &v.services[i], again);
	const rc_billing_kb *kb = r->app->billing;
	rc_html_lit(b,
		    "<section aria-labelledby=\"treatments\"><h2 id=\"treatments\">Treatments</h2>\n<p>A treatment the "
		    "practitioner records in a signed note adds its code to the visit's invoice. These follow the "
		    "clinical note's kinds of treatment and are set in the clinic's billing file "
		    "(content/billing.json).</p>\n");
	if (kb && kb->ntreatments) {
		rc_html_lit(
		    b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>Codes for treatments"
		       "</caption><thead><tr><th scope=\"col\">CPT code</th><th scope=\"col\">Units</th>"
		       "<th scope=\"col\">What it is</th><th scope=\"col\" class=\"money\">Adds</th></tr></thead>"
		       "<tbody>\n");
		for (int i = 0; i < kb->ntreatments; i++) {
			const rc_billing_code *c = &kb->treatments[i].code;
			rc_html_lit(b, "<tr><td>");
			rc_html_text(b, c->cpt);
			rc_html_lit(b, "</td><td>");
			rc_bill_num(b, c->units);
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, c->description);
			rc_html_lit(b, "</td>");
			rc_bill_money_td(b, c->charge_cents);
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	rc_html_lit(b, "</section>\n");
	rc_page_end(r);
}

void rc_page_billing_codes(rc_req *r)
{
	const char *saved = rc_req_query(r, "saved");
	codes_page(r, NULL, saved ? "The codes are saved: invoices issued from now on use them." : NULL, 200);
}

void rc_page_billing_codes_save(rc_req *r)
{
	const char *key = rc_req_form(r, "service"), *text = rc_req_form(r, "codes");
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_err e = rc_app_bill_codes_save(&uc, key, text, &p);
	if (e == RC_EINVAL) {
		codes_again again = {key, text, p.text};
		codes_page(r, &again, NULL, 422);
		return;
	}
	if (e) {
		rc_page_refused(r, e, &p, "billing codes");
		return;
	}
	rc_buf to;
	rc_buf_init(&to, 256);
	rc_buf_lit(&to, "/admin/billing/codes?saved=1#service-");
	rc_html_url_arg(&to, key);
	rc_req_redirect(r, to.failed ? "/admin/billing/codes?saved=1" : to.data);
	rc_buf_free(&to);
}
