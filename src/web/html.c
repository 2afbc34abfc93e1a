/* html.c — escaping emitters (after cgit's html.c). */
#include "web/html.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"

/* Whether any of the eight bytes in w is one that HTML escapes (& < > " '): for each, a byte equal to
 * it becomes zero under the XOR, and (x - 0x01…) & ~x & 0x80… is non-zero exactly when x has a zero
 * byte. Text is mostly plain, so it is copied eight bytes a step rather than one. */
static uint64_t escapes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t a = w ^ (ones * '&'), l = w ^ (ones * '<'), g = w ^ (ones * '>'), q = w ^ (ones * '"'),
	         t = w ^ (ones * '\'');
	return (((a - ones) & ~a) | ((l - ones) & ~l) | ((g - ones) & ~g) | ((q - ones) & ~q) | ((t - ones) & ~t)) &
	       (ones * 0x80);
}

void rc_html_textn(rc_buf *b, const char *s, size_t n)
{
	size_t start = 0, i = 0;
	while (i < n) {
		uint64_t w;
		if (n - i >= 8 && (memcpy(&w, s + i, 8), !escapes(w))) {
			i += 8;
			continue;
		}
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: i++; continue;
		}
		rc_buf_put(b, s + start, i - start);
		rc_buf_puts(b, rep);
		start = ++i;
	}
	rc_buf_put(b, s + start, n - start);
}

void rc_html_text(rc_buf *b, const char *s)
{
	if (s)
		rc_html_textn(b, s, strlen(s));
}

void rc_html_printf(rc_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		rc_html_textn(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->failed = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc_html_textn(b, big, (size_t)n);
	free(big);
}

void rc_html_url_arg(rc_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '_' || *p == '.' || *p == '~') {
			rc_buf_putc(b, (char)*p);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			rc_buf_put(b, e, 3);
		}
	}
}

void rc_html_cmark(rc_buf *b, const char *rendered)
{
	rc_buf_puts(b, rendered);
}

void rc_html_tel(rc_buf *b, const char *phone)
{
	for (const char *p = phone; *p; p++)
		if ((*p >= '0' && *p <= '9') || (*p == '+' && p == phone))
			rc_buf_putc(b, *p);
}

void rc_html_time(rc_buf *b, int64_t t, const char *fmt)
{
	char s[80], iso[40];
	rc_tz_format(t, fmt, s, sizeof s);
	rc_tz_rfc3339(t, iso, sizeof iso);
	rc_html_lit(b, "<time datetime=\"");
	rc_html_text(b, iso);
	rc_html_lit(b, "\">");
	rc_html_text(b, s[0] == ' ' ? s + 1 : s); /* %e pads a one-digit day */
	rc_html_lit(b, "</time>");
}
