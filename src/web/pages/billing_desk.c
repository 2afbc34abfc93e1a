/* billing_desk.c — the front desk's close of a day (every payment and refund taken, the net by method,
 * to count the drawer and match the card terminal's batch) and the administrator's revenue reports (by
 * month, practitioner and service, money taken by method, balances owed), each table as CSV and the main
 * figures as SVG charts beside their tables. Each calls one use case in app/billing.h. */
#include <stdio.h>
#include <string.h>

#include "app/billing.h"
#include "base/time.h"
#include "store/booking.h"
#include "domain/money.h"
#include "web/chart.h"
#include "web/csv.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/billing_pages.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"
#include "web/valid.h"

static void csv_answer(rc_req *r, const char *name)
{
	r->content_type = "text/csv; charset=utf-8; header=present";
	char *h = rc_arena_printf(&r->arena, "attachment; filename=\"%s\"", name);
	rc_req_header(r, "Content-Disposition", h ? h : "attachment");
}

/* --- the day's close --------------------------------------------------------------------------------------- */

static const rc_vfield day_field = {"day", "Day", RC_V_DATE, .hint = "Write the day as YYYY-MM-DD, e.g. 2026-12-01."};

static void day_page(rc_req *r, bool csv)
{
	rc_vvalue q;
	bool ok = rc_valid_one(&r->arena, &day_field, rc_req_query(r, "day"), &q);
	int64_t day = ok && q.set ? q.num : rc_tz_day_number(r->now);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_bill_day d;
	rc_problem p = {0};
	rc_err e = rc_app_bill_day(&uc, day, &d, &p);
	if (e) {
		rc_page_refused(r, e, &p, "day close");
		return;
	}
	char name[11];
	rc_day_name(day, name);
	if (csv) {
		rc_csv c = {&r->out, false};
		rc_csv_text(&c, "Time");
		rc_csv_text(&c, "Patient");
		rc_csv_text(&c, "Kind");
		rc_csv_text(&c, "Method");
		rc_csv_text(&c, "Invoice");
		rc_csv_text(&c, "Reference");
		rc_csv_text(&c, "Amount");
		rc_csv_end(&c);
		for (size_t i = 0; i < d.npayments; i++) {
			const rc_payment *x = &d.payments[i];
			char at[32];
			rc_tz_format(x->taken_at, "%Y-%m-%d %H:%M", at, sizeof at);
			rc_csv_text(&c, at);
			rc_csv_text(&c, x->runner_name);
			rc_csv_text(&c, x->kind);
			rc_csv_text(&c, rc_bill_method_label(x->method));
			if (x->invoice_number)
				rc_csv_int(&c, x->invoice_number);
			else
				rc_csv_text(&c, "on account");
			rc_csv_text(&c, x->reference);
			rc_csv_cents(&c, !strcmp(x->kind, "refund") ? -x->amount_cents : x->amount_cents);
			rc_csv_end(&c);
		}
		csv_answer(r, rc_arena_printf(&r->arena, "runcare-day-close-%s.csv", name));
		return;
	}
	rc_buf *b = &r->out;
	if (!ok)
		r->status = 422;
	rc_page_begin(r, "The day's close", "billing");
	rc_html_lit(b, "<h1>The day's close: ");
	rc_html_time(b, rc_tz_day_number_start(day) + 12 * 3600, "%A %e %B %Y");
	rc_html_lit(b, "</h1>\n<form class=\"inline-form\" method=\"get\" action=\"/billing/day\"><p>");
	rc_vvalue shown = q;
	if (!shown.raw)
		shown.raw = name;
	rc_valid_control(b, &day_field, &shown);
	rc_html_lit(b, "</p><p><button type=\"submit\">Show</button></p></form>\n");
	char prev[11], next[11];
	rc_day_name(day - 1, prev);
	rc_day_name(day + 1, next);
	rc_html_lit(b, "<p class=\"actions\"><a href=\"/billing/day?day=");
	rc_html_text(b, prev);
	rc_html_lit(b, "\">Day before</a> <a href=\"/billing/day?day=");
	rc_html_text(b, next);
	rc_html_lit(b, "\">Day after</a> <a href=\"/billing/day.csv?day=");
	rc_html_text(b, name);
	rc_html_lit(b, "\" download>Download (CSV)</a>");
	if (r->user.role == RC_ROLE_ADMIN)
		rc_html_lit(b, " <a href=\"/billing/reports\">Revenue reports</a> <a href=\"/admin/billing/codes\">Billing "
		               "codes</a>");
	rc_html_lit(b, "</p>\n");
	rc_html_lit(b, "<table class=\"list close\"><caption>Net by method: count the drawer and match the terminal's batch"
	               "</caption><thead><tr><th scope=\"col\">Method</th><th scope=\"col\" class=\"money\">Net</th></tr>"
	               "</thead><tbody>\n");
	for (size_t i = 0; i < rc_bill_nmethods; i++) {
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_text(b, rc_bill_methods[i].label);
		rc_html_lit(b, "</th>");
		rc_bill_money_td(b, d.by_method[i]);
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody><tfoot><tr><th scope=\"row\">Taken</th>");
	rc_bill_money_td(b, d.taken_cents);
	rc_html_lit(b, "</tr><tr><th scope=\"row\">Refunded</th>");
	rc_bill_money_td(b, d.refunded_cents);
	rc_html_lit(b, "</tr><tr><th scope=\"row\">Net</th>");
	rc_bill_money_td(b, d.net_cents);
	rc_html_lit(b, "</tr></tfoot></table>\n<h2>Visits still to bill</h2>\n");
	if (!d.nunbilled)
		rc_html_lit(b, "<p>Every visit of the last two weeks is billed.</p>\n");
	else {
		rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list tobill\"><caption>Visits of the "
		               "last two weeks that took place and have no invoice</caption><thead><tr><th scope=\"col\">"
		               "Visit</th><th scope=\"col\">Patient</th><th scope=\"col\">Service</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < d.nunbilled; i++) {
			const rc_appointment *v = &d.unbilled[i];
			rc_html_lit(b, "<tr><td>");
			rc_visit_time(b, v->starts_at, true);
			rc_html_lit(b, "</td><td><a href=\"/runners/");
			rc_bill_num(b, v->runner_id);
			rc_html_lit(b, "/billing\">");
			rc_html_text(b, v->runner_name);
			rc_html_lit(b, "</a></td><td>");
			rc_html_text(b, v->service_name);
			rc_html_lit(b, " with ");
			rc_html_text(b, v->practitioner_name);
			rc_html_lit(b, "</td></tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	rc_html_lit(b, "<h2>Every payment and refund</h2>\n");
	if (!d.npayments)
		rc_html_lit(b, "<p>Nothing was taken this day.</p>\n");
	else {
		rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr><th scope=\"col\">"
		               "Time</th><th scope=\"col\">Patient</th><th scope=\"col\">What</th><th scope=\"col\">Invoice</th>"
		               "<th scope=\"col\" class=\"money\">Amount</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < d.npayments; i++) {
			const rc_payment *x = &d.payments[i];
			bool refund = !strcmp(x->kind, "refund");
			rc_html_lit(b, "<tr><td>");
			rc_html_time(b, x->taken_at, "%H:%M");
			rc_html_lit(b, "</td><td><a href=\"/runners/");
			rc_bill_num(b, x->runner_id);
			rc_html_lit(b, "/billing\">");
			rc_html_text(b, x->runner_name);
			rc_html_lit(b, "</a></td><td>");
			rc_html_text(b, refund ? "Refund, " : "Payment, ");
			rc_html_text(b, rc_bill_method_label(x->method));
			if (x->reference[0]) {
				rc_html_lit(b, " (");
				rc_html_text(b, x->reference);
				rc_html_lit(b, ")");
			}
			rc_html_lit(b, "</td><td>");
			if (x->invoice_id) {
				rc_html_lit(b, "<a href=\"/invoices/");
				rc_bill_num(b, x->invoice_id);
				rc_html_lit(b, "\">");
				rc_bill_num(b, x->invoice_number);
				rc_html_lit(b, "</a>");
			} else
				rc_html_lit(b, "on account");
			rc_html_lit(b, "</td>");
			rc_bill_money_td(b, refund ? -x->amount_cents : x->amount_cents);
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	rc_page_end(r);
}

void rc_page_billing_day(rc_req *r)
{
	day_page(r, false);
}

void rc_page_billing_day_csv(rc_req *r)
{
	day_page(r, true);
}

/* --- the revenue reports ---------------------------------------------------------------------------------- */

enum { RQ_FROM, RQ_TO, RQ_N };
static const rc_vfield report_query[RQ_N] = {
	[RQ_FROM] = {"from", "From", RC_V_DATE, .hint = "Write the first day as YYYY-MM-DD, for example 2026-01-01."},
	[RQ_TO] = {"to", "To", RC_V_DATE, .hint = "Write the last day as YYYY-MM-DD, for example 2026-12-31."},
};

static const char *const csv_names[] = {"months", "practitioners", "services", "methods", "owing"};

static void rows_table(rc_req *r, const char *caption, const char *first, const rc_bill_row *rows, size_t n)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>");
	rc_html_text(b, caption);
	rc_html_lit(b, "</caption><thead><tr><th scope=\"col\">");
	rc_html_text(b, first);
	rc_html_lit(b, "</th><th scope=\"col\">Invoices</th><th scope=\"col\" class=\"money\">Invoiced</th><th scope=\"col\" "
	               "class=\"money\">Credited</th><th scope=\"col\" class=\"money\">Net</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_text(b, rows[i].label);
		rc_html_lit(b, "</th><td>");
		rc_bill_num(b, rows[i].invoices);
		rc_html_lit(b, "</td>");
		rc_bill_money_td(b, rows[i].invoiced_cents);
		rc_bill_money_td(b, rows[i].credited_cents);
		rc_bill_money_td(b, rows[i].net_cents);
		rc_html_lit(b, "</tr>\n");
	}
	if (!n)
		rc_html_lit(b, "<tr><td colspan=\"5\">No invoices in these days.</td></tr>\n");
	rc_html_lit(b, "</tbody></table></div>\n");
}

static void rows_chart(rc_req *r, const char *id, const char *title, const rc_bill_row *rows, size_t n)
{
	rc_chart_bar *bar = rc_arena_alloc(&r->arena, (n ? n : 1) * sizeof *bar);
	if (!bar)
		return;
	double top = 1;
	for (size_t i = 0; i < n; i++) {
		/* The drawing's scale only: the table beside it has the exact amounts. */
		double dollars = rows[i].net_cents > 0 ? (double)rows[i].net_cents / 100.0 : 0;
		char money[40];
		rc_money_format(rows[i].net_cents, money, sizeof money);
		bar[i] = (rc_chart_bar){dollars, rows[i].label, rc_arena_printf(&r->arena, "%s: %s", rows[i].label, money)};
		if (dollars > top)
			top = dollars;
	}
	rc_chart c = {.id = id, .title = title, .desc = "Net revenue (invoiced less credited) in dollars; the table has "
	                                                "the exact amounts.",
	              .top = rc_chart_nice_top(top, 4), .unit = "$", .grid = 4, .empty = "No invoices in these days."};
	rc_chart_bars(&r->out, &c, bar, (int)n);
}

static void csv_link(rc_buf *b, const char *which, const char *from, const char *to)
{
	rc_html_lit(b, "<p><a class=\"download\" href=\"/billing/revenue.csv?table=");
	rc_html_text(b, which);
	rc_html_lit(b, "&amp;from=");
	rc_html_url_arg(b, from);
	rc_html_lit(b, "&amp;to=");
	rc_html_url_arg(b, to);
	rc_html_lit(b, "\" download>Download (CSV)</a></p>\n");
}

static void report_csv(rc_req *r, const rc_bill_report *rep, size_t which, const char *from, const char *to)
{
	rc_csv c = {&r->out, false};
	if (which == 4) {
		rc_csv_text(&c, "Patient");
		rc_csv_text(&c, "Balance");
		rc_csv_end(&c);
		for (size_t i = 0; i < rep->nowing; i++) {
			rc_csv_text(&c, rep->owing[i].name);
			rc_csv_cents(&c, rep->owing[i].balance_cents);
			rc_csv_end(&c);
		}
	} else {
		const rc_bill_row *rows[] = {rep->months, rep->practitioners, rep->services, rep->methods};
		size_t ns[] = {rep->nmonths, rep->npractitioners, rep->nservices, rep->nmethods};
		static const char *const first[] = {"Month", "Practitioner", "Service", "Method"};
		rc_csv_text(&c, first[which]);
		rc_csv_text(&c, which == 3 ? "Payments and refunds" : "Invoices");
		rc_csv_text(&c, which == 3 ? "Taken" : "Invoiced");
		rc_csv_text(&c, which == 3 ? "Refunded" : "Credited");
		rc_csv_text(&c, "Net");
		rc_csv_end(&c);
		for (size_t i = 0; i < ns[which]; i++) {
			rc_csv_text(&c, rows[which][i].label);
			rc_csv_int(&c, rows[which][i].invoices);
			rc_csv_cents(&c, rows[which][i].invoiced_cents);
			rc_csv_cents(&c, rows[which][i].credited_cents);
			rc_csv_cents(&c, rows[which][i].net_cents);
			rc_csv_end(&c);
		}
	}
	csv_answer(r, rc_arena_printf(&r->arena, "runcare-revenue-%s-%s-to-%s.csv", csv_names[which], from, to));
}

static void reports(rc_req *r, bool csv_wanted)
{
	rc_vvalue q[RQ_N];
	rc_valid_form(&r->arena, &r->query, report_query, RQ_N, q);
	int64_t today = rc_tz_day_number(r->now);
	int64_t from = q[RQ_FROM].set ? q[RQ_FROM].num : today - 364, to = q[RQ_TO].set ? q[RQ_TO].num : today;
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_bill_report rep;
	rc_problem p = {0};
	rc_err e = rc_valid_first_error(q, RQ_N) >= 0 ? RC_EINVAL : rc_app_bill_report(&uc, from, to, &rep, &p);
	char fromname[11], toname[11];
	rc_day_name(from, fromname);
	rc_day_name(to, toname);
	const char *csv = csv_wanted ? rc_req_query(r, "table") : NULL;
	if (csv_wanted && !csv)
		csv = "months";
	if (!e && csv) {
		size_t which = 0;
		while (which < 5 && strcmp(csv, csv_names[which]))
			which++;
		if (which == 5) {
			rc_page_error(r, 404, "There is no such report.");
			return;
		}
		report_csv(r, &rep, which, fromname, toname);
		return;
	}
	if (e && e != RC_EINVAL) {
		rc_page_refused(r, e, &p, "revenue report");
		return;
	}
	rc_buf *b = &r->out;
	if (e) {
		r->status = 422;
		if (p.field)
			rc_valid_set_error(report_query, RQ_N, q, p.field, p.text);
	}
	rc_page_begin(r, "Revenue", "billing");
	rc_html_lit(b, "<h1>Revenue</h1>\n<p>Invoices by the day they were issued; credit notes count against the invoice "
	               "they correct. Money taken is by the day it was taken.</p>\n");
	rc_vvalue shown[RQ_N];
	memcpy(shown, q, sizeof shown);
	if (!shown[RQ_FROM].raw)
		shown[RQ_FROM].raw = fromname;
	if (!shown[RQ_TO].raw)
		shown[RQ_TO].raw = toname;
	rc_html_lit(b, "<form class=\"inline-form\" method=\"get\" action=\"/billing/reports\">");
	for (int i = 0; i < RQ_N; i++) {
		rc_html_lit(b, "<p>");
		rc_valid_control(b, &report_query[i], &shown[i]);
		rc_html_lit(b, "</p>");
	}
	rc_html_lit(b, "<p><button type=\"submit\">Show</button></p></form>\n");
	if (e) {
		rc_page_end(r);
		return;
	}
	rc_html_lit(b, "<dl class=\"figures\"><dt>Invoiced</dt><dd>");
	rc_visit_money(b, rep.invoiced_cents);
	rc_html_lit(b, "</dd><dt>Credited</dt><dd>");
	rc_visit_money(b, rep.credited_cents);
	rc_html_lit(b, "</dd><dt>Net revenue</dt><dd>");
	rc_visit_money(b, rep.net_cents);
	rc_html_lit(b, "</dd><dt>Money taken (less refunds)</dt><dd>");
	rc_visit_money(b, rep.taken_cents - rep.refunded_cents);
	rc_html_lit(b, "</dd><dt>Owed by patients today</dt><dd>");
	rc_visit_money(b, rep.owed_cents);
	rc_html_lit(b, "</dd></dl>\n<h2>By month</h2>\n");
	rows_chart(r, "rev-month", "Net revenue by month", rep.months, rep.nmonths);
	rows_table(r, "Revenue by month", "Month", rep.months, rep.nmonths);
	csv_link(b, "months", fromname, toname);
	rc_html_lit(b, "<h2>By practitioner</h2>\n");
	rows_chart(r, "rev-practitioner", "Net revenue by practitioner", rep.practitioners, rep.npractitioners);
	rows_table(r, "Revenue by practitioner", "Practitioner", rep.practitioners, rep.npractitioners);
	csv_link(b, "practitioners", fromname, toname);
	rc_html_lit(b, "<h2>By service</h2>\n");
	rows_table(r, "Revenue by service", "Service", rep.services, rep.nservices);
	csv_link(b, "services", fromname, toname);
	rc_html_lit(b, "<h2>Money taken by method</h2>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\">"
	               "<caption>Payments and refunds by method</caption><thead><tr><th scope=\"col\">Method</th>"
	               "<th scope=\"col\" class=\"money\">Taken</th><th scope=\"col\" class=\"money\">Refunded</th>"
	               "<th scope=\"col\" class=\"money\">Net</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < rep.nmethods; i++) {
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_text(b, rep.methods[i].label);
		rc_html_lit(b, "</th>");
		rc_bill_money_td(b, rep.methods[i].invoiced_cents);
		rc_bill_money_td(b, rep.methods[i].credited_cents);
		rc_bill_money_td(b, rep.methods[i].net_cents);
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	csv_link(b, "methods", fromname, toname);
	rc_html_lit(b, "<h2>Balances owed</h2>\n");
	if (!rep.nowing)
		rc_html_lit(b, "<p>Every patient's balance is settled.</p>\n");
	else {
		rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>Patients whose balance "
		               "is not zero (negative: account credit)</caption><thead><tr><th scope=\"col\">Patient</th>"
		               "<th scope=\"col\" class=\"money\">Balance</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < rep.nowing; i++) {
			rc_html_lit(b, "<tr><th scope=\"row\"><a href=\"/runners/");
			rc_bill_num(b, rep.owing[i].runner_id);
			rc_html_lit(b, "/billing\">");
			rc_html_text(b, rep.owing[i].name[0] ? rep.owing[i].name : "(erased)");
			rc_html_lit(b, "</a></th>");
			rc_bill_money_td(b, rep.owing[i].balance_cents);
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	csv_link(b, "owing", fromname, toname);
	rc_page_end(r);
}

void rc_page_billing_reports(rc_req *r)
{
	reports(r, false);
}

void rc_page_billing_reports_csv(rc_req *r)
{
	reports(r, true);
}
