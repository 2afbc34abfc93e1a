/* billing_pages.h — what the billing pages (billing.c, billing_desk.c, billing_print.c) share. */
#ifndef RC_WEB_PAGES_BILLING_PAGES_H
#define RC_WEB_PAGES_BILLING_PAGES_H

#include "app/billing.h"
#include "base/buf.h"

/* A whole number in text (rc_html_printf escapes its result: markup stays in literals). */
void rc_bill_num(rc_buf *b, int64_t v);
/* <td class="money">$85.00</td>. */
void rc_bill_money_td(rc_buf *b, int64_t cents);
/* An invoice's lines as a table with its total (the invoice page and the superbill). */
void rc_bill_lines_table(rc_buf *b, const rc_invoice_doc *d);

#endif
