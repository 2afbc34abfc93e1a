/* html.c — escaping emitters (after cgit's html.c). */
#include "web/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"

void rc_html_textn(rc_buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		rc_buf_put(b, s + start, i - start);
		rc_buf_puts(b, rep);
		start = i + 1;
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
