/* buf.c — rc_buf: doubling growth up to a named maximum. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rc_buf_init(rc_buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void rc_buf_free(rc_buf *b)
{
	free(b->data);
	size_t max = b->max;
	rc_buf_init(b, max);
}

void rc_buf_reset(rc_buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->data)
		b->data[0] = '\0';
}

static rc_err grow(rc_buf *b, size_t extra)
{
	if (b->failed)
		return RC_ETOOBIG;
	if (extra > b->max || b->len > b->max - extra) {
		b->failed = true;
		return RC_ETOOBIG;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return RC_OK;
	size_t cap = b->cap ? b->cap : 1024; /* most are pages: 1 KiB then doubling, four copies to 16 KiB */
	while (cap < need)
		cap *= 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return RC_ENOMEM;
	}
	b->data = p;
	b->cap = cap;
	return RC_OK;
}

rc_err rc_buf_put(rc_buf *b, const void *p, size_t n)
{
	/* Where there is room (cap, when there is memory, is more than len and at most max + 1, so this
	 * also keeps within max), in two comparisons: a page makes thousands of these. */
	if (n < b->cap - b->len && !b->failed) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return RC_OK;
	}
	rc_err e = grow(b, n);
	if (e)
		return e;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return RC_OK;
}

rc_err rc_buf_puts(rc_buf *b, const char *s)
{
	return rc_buf_put(b, s, strlen(s));
}

rc_err rc_buf_putc(rc_buf *b, char c)
{
	return rc_buf_put(b, &c, 1);
}

rc_err rc_buf_printf(rc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return RC_EINVAL;
	if ((size_t)n < sizeof small)
		return rc_buf_put(b, small, (size_t)n);
	rc_err e = grow(b, (size_t)n);
	if (e)
		return e;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return RC_OK;
}

char *rc_buf_take(rc_buf *b, size_t *len)
{
	if (!b->data && grow(b, 0) != RC_OK)
		return NULL;
	/* A buffer that was never written to holds fresh memory: the caller still gets a C string. */
	b->data[b->len] = '\0';
	char *p = b->data;
	if (len)
		*len = b->len;
	size_t max = b->max;
	rc_buf_init(b, max);
	return p;
}
