/* money.c — whole cents in, whole cents out (see money.h). */
#include "domain/money.h"

#include <stdio.h>
#include <string.h>

/* Sums past this are a broken invariant, not a clinic's books. */
#define SUM_LIMIT (RC_MONEY_MAX_CENTS * 1000)

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

rc_err rc_money_parse(const char *label, const char *s, int64_t max, int64_t *cents, char *why, size_t n)
{
	static const char how[] = "Write the amount in dollars, for example 85, 85.50 or 1,200.00.";
	char top[40];
	if (!s)
		s = "";
	size_t len = strlen(s);
	while (len && s[len - 1] == ' ')
		len--;
	while (len && *s == ' ')
		s++, len--;
	rc_money_format(max, top, sizeof top);
	if (!len)
		return rc_errf(why, n, RC_EINVAL, "'%s' is missing. %s", label, how);
	if (len > RC_MONEY_TEXT_MAX)
		return rc_errf(why, n, RC_EINVAL, "'%s' is too long. %s", label, how);
	const char *p = s, *end = s + len;
	bool minus = false;
	if (p < end && *p == '-')
		minus = true, p++;
	if (p < end && *p == '$')
		p++;
	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '-')
		minus = true, p++;
	/* Whole dollars, with commas between groups of three if any. */
	int64_t dollars = 0;
	int digits = 0, group = 0;
	bool commas = false;
	for (; p < end && (digit(*p) || *p == ','); p++) {
		if (*p == ',') {
			/* The first group has 1–3 digits, every later one exactly 3. */
			if (!digits || (commas ? group != 3 : group > 3))
				return rc_errf(why, n, RC_EINVAL, "'%s' has a comma out of place. %s", label, how);
			commas = true;
			group = 0;
			continue;
		}
		if (++digits > 11)
			return rc_errf(why, n, RC_EINVAL, "'%s' must be at most %s.", label, top);
		dollars = dollars * 10 + (*p - '0');
		group++;
	}
	if (commas && group != 3)
		return rc_errf(why, n, RC_EINVAL, "'%s' has a comma out of place. %s", label, how);
	int64_t c = 0;
	int decimals = 0;
	if (p < end && *p == '.') {
		for (p++; p < end && digit(*p); p++) {
			if (++decimals > 2)
				return rc_errf(why, n, RC_EINVAL,
				               "'%s' has more than two decimals: money is counted in whole cents, e.g. 85.50.", label);
			c = c * 10 + (*p - '0');
		}
		if (decimals == 1)
			c *= 10;
	}
	if (p != end || (!digits && !decimals))
		return rc_errf(why, n, RC_EINVAL, "'%s' must be an amount of money. %s", label, how);
	if (minus && (dollars || c))
		return rc_errf(why, n, RC_EINVAL, "'%s' cannot be negative.", label);
	if (dollars > max / 100)
		return rc_errf(why, n, RC_EINVAL, "'%s' must be at most %s.", label, top);
	int64_t total = dollars * 100 + c;
	if (total > max)
		return rc_errf(why, n, RC_EINVAL, "'%s' must be at most %s.", label, top);
	*cents = total;
	return RC_OK;
}

void rc_money_format(int64_t cents, char *out, size_t n)
{
	char whole[32], grouped[48];
	bool neg = cents < 0;
	uint64_t v = neg ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	int len = snprintf(whole, sizeof whole, "%llu", (unsigned long long)(v / 100));
	size_t k = 0;
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[k++] = ',';
		grouped[k++] = whole[i];
	}
	grouped[k] = '\0';
	snprintf(out, n, "%s$%s.%02llu", neg ? "-" : "", grouped, (unsigned long long)(v % 100));
}

bool rc_money_add(int64_t a, int64_t b, int64_t *sum)
{
	if (a > SUM_LIMIT || a < -SUM_LIMIT || b > SUM_LIMIT || b < -SUM_LIMIT)
		return false;
	int64_t s = a + b; /* cannot overflow: both are far inside int64 */
	if (s > SUM_LIMIT || s < -SUM_LIMIT)
		return false;
	*sum = s;
	return true;
}

int64_t rc_money_invoice_balance(const rc_money_invoice *m)
{
	return m->total_cents - m->credited_cents - m->paid_cents + m->refunded_cents;
}

int64_t rc_money_creditable(const rc_money_invoice *m)
{
	int64_t left = m->total_cents - m->credited_cents;
	return left > 0 ? left : 0;
}

int64_t rc_money_payable(const rc_money_invoice *m)
{
	int64_t b = rc_money_invoice_balance(m);
	return b > 0 ? b : 0;
}

int64_t rc_money_share(int64_t total, int n, int k)
{
	if (n <= 0 || k < 1 || k > n || total < 0 || total > RC_MONEY_MAX_CENTS * 1000)
		return 0;
	/* total ≤ 10^12 and n ≤ 100 (a package's visits) keep total·k far inside 64 bits. */
	return total * k / n - total * (k - 1) / n;
}

rc_err rc_money_check_payment(const char *label, int64_t amount, int64_t owed, char *why, size_t n)
{
	char s[40];
	if (amount <= 0)
		return rc_errf(why, n, RC_EINVAL, "'%s' must be more than $0.00.", label);
	if (amount > RC_MONEY_MAX_CENTS) {
		rc_money_format(RC_MONEY_MAX_CENTS, s, sizeof s);
		return rc_errf(why, n, RC_EINVAL, "'%s' must be at most %s.", label, s);
	}
	if (owed >= 0 && amount > owed) {
		rc_money_format(owed, s, sizeof s);
		if (owed == 0)
			return rc_errf(why, n, RC_EINVAL, "'%s': nothing is left to pay on this invoice.", label);
		return rc_errf(why, n, RC_EINVAL,
		               "'%s' is more than the %s left to pay on this invoice: take the rest on account.", label, s);
	}
	return RC_OK;
}

rc_err rc_money_check_refund(const char *label, int64_t amount, int64_t paid, int64_t refunded, char *why, size_t n)
{
	char s[40];
	int64_t left = paid - refunded;
	if (amount <= 0)
		return rc_errf(why, n, RC_EINVAL, "'%s' must be more than $0.00.", label);
	if (amount > left) {
		rc_money_format(left > 0 ? left : 0, s, sizeof s);
		return rc_errf(why, n, RC_EINVAL, "'%s' is more than was paid: at most %s of this payment can be refunded.",
		               label, s);
	}
	return RC_OK;
}

rc_err rc_money_check_credit(const char *label, int64_t amount, int64_t creditable, char *why, size_t n)
{
	char s[40];
	if (amount <= 0)
		return rc_errf(why, n, RC_EINVAL, "'%s' must be more than $0.00.", label);
	if (amount > creditable) {
		rc_money_format(creditable, s, sizeof s);
		return rc_errf(why, n, RC_EINVAL, "'%s' is more than the invoice has left to credit (%s).", label, s);
	}
	return RC_OK;
}
