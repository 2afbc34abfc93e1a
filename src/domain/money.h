/* money.h — amounts of money as whole cents (int64_t), never floating point: reading them as people write
 * them, writing them back, and the sums billing keeps (an invoice's total, what is left to pay, what may
 * still be refunded or credited). Pure: no I/O, no database. */
#ifndef RC_DOMAIN_MONEY_H
#define RC_DOMAIN_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum {
	RC_MONEY_TEXT_MAX = 32, /* characters in an amount as typed */
};
/* The most one amount may be ($1,000,000.00): far above any visit, far below int64 overflow when
 * thousands are added. */
#define RC_MONEY_MAX_CENTS ((int64_t)100000000)

/* An amount as people write it — "85", "85.5", "$85.50", "1,200.00" — in cents. RC_EINVAL with a sentence
 * that begins with 'label' for anything else: no number, letters, a negative amount, a fraction of a cent
 * (more than two decimals), commas out of place, more than max cents. */
RC_WUR rc_err rc_money_parse(const char *label, const char *s, int64_t max, int64_t *cents, char *why, size_t n);
/* "$85.00", "$1,200.00", "-$5.00". */
void rc_money_format(int64_t cents, char *out, size_t n);

/* a + b into *sum; false when it would pass RC_MONEY_MAX_CENTS * 1000 either way (a broken invariant
 * for any real clinic, refused rather than wrapped). */
bool rc_money_add(int64_t a, int64_t b, int64_t *sum);

/* What an invoice's figures are, from its parts. */
typedef struct rc_money_invoice {
	int64_t total_cents;    /* the sum of its lines */
	int64_t credited_cents; /* credit notes against it */
	int64_t paid_cents;     /* payments on it */
	int64_t refunded_cents; /* refunds of those payments */
} rc_money_invoice;

/* total − credited − paid + refunded: what is left to pay (negative: paid more than it now asks, which is
 * the patient's account credit). */
int64_t rc_money_invoice_balance(const rc_money_invoice *m);
/* How much a new credit note may still take off: the total less what earlier credit notes took. */
int64_t rc_money_creditable(const rc_money_invoice *m);
/* How much a new payment may bring in: the balance, or 0 when nothing is owed. */
int64_t rc_money_payable(const rc_money_invoice *m);

/* The k-th (1 … n) of n shares of total in whole cents: floor(total·k/n) − floor(total·(k−1)/n), so the n
 * shares add up to total exactly (a visit's part of a prepaid package's price); 0 when k is out of range. */
int64_t rc_money_share(int64_t total, int n, int k);

/* RC_OK when a payment of amount may be taken against what is owed (owed < 0: no invoice, on account);
 * else RC_EINVAL with a sentence naming 'label'. */
RC_WUR rc_err rc_money_check_payment(const char *label, int64_t amount, int64_t owed, char *why, size_t n);
/* RC_OK when a refund of amount may come out of a payment of paid of which refunded is already back; else
 * RC_EINVAL with a sentence naming 'label' and what may still be refunded. */
RC_WUR rc_err rc_money_check_refund(const char *label, int64_t amount, int64_t paid, int64_t refunded, char *why,
                                    size_t n);
/* RC_OK when a credit note of amount fits what is left to credit; else RC_EINVAL naming 'label'. */
RC_WUR rc_err rc_money_check_credit(const char *label, int64_t amount, int64_t creditable, char *why, size_t n);

#endif
