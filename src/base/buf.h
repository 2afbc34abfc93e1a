/* buf.h — a growable byte buffer with a hard maximum (after curl's dynbuf). */
#ifndef RC_BUF_H
#define RC_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

typedef struct rc_buf {
	char *data; /* NUL-terminated while len > 0; caller frees with rc_buf_free */
	size_t len, cap, max;
	bool failed; /* sticky: set when an append hit the maximum or memory ran out */
} rc_buf;

void rc_buf_init(rc_buf *b, size_t max);
void rc_buf_free(rc_buf *b);
void rc_buf_reset(rc_buf *b);
/* Appends; on failure the buffer keeps what it had and `failed` is set. */
rc_err rc_buf_put(rc_buf *b, const void *p, size_t n);
rc_err rc_buf_puts(rc_buf *b, const char *s);
rc_err rc_buf_putc(rc_buf *b, char c);
rc_err rc_buf_printf(rc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (who frees them) and leaves the buffer empty. */
char *rc_buf_take(rc_buf *b, size_t *len);

/* Appends a string literal without strlen. */
#define rc_buf_lit(b, s) rc_buf_put((b), "" s "", sizeof(s) - 1)

#endif
