/* csv.c — RFC 4180 cells that a spreadsheet will not run (see csv.h). */
#include "web/csv.h"

#include <string.h>

static void separate(rc_csv *c)
{
	if (c->mid_row)
		(void)rc_buf_lit(c->b, ",");
	c->mid_row = true;
}

void rc_csv_text(rc_csv *c, const char *s)
{
	separate(c);
	if (!s)
		return;
	bool formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		(void)rc_buf_lit(c->b, "\"");
	if (formula)
		(void)rc_buf_lit(c->b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			(void)rc_buf_lit(c->b, "\"");
		(void)rc_buf_putc(c->b, *p);
	}
	if (quote)
		(void)rc_buf_lit(c->b, "\"");
}

void rc_csv_int(rc_csv *c, int64_t v)
{
	separate(c);
	(void)rc_buf_printf(c->b, "%lld", (long long)v);
}

void rc_csv_cents(rc_csv *c, int64_t cents)
{
	separate(c);
	uint64_t v = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	(void)rc_buf_printf(c->b, "%s%llu.%02llu", cents < 0 ? "-" : "", (unsigned long long)(v / 100),
	                    (unsigned long long)(v % 100));
}

void rc_csv_dec1(rc_csv *c, double v)
{
	separate(c);
	if (v >= 0)
		(void)rc_buf_printf(c->b, "%.1f", v);
}

void rc_csv_end(rc_csv *c)
{
	(void)rc_buf_lit(c->b, "\r\n");
	c->mid_row = false;
}
