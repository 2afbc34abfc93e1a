/* text.h — small string helpers with no domain knowledge: UTF-8 checks, decoding, trimming. */
#ifndef RC_TEXT_H
#define RC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no code points past U+10FFFF). */
bool rc_utf8_valid(const char *s, size_t n);

/* Decodes %XX escapes (and '+' as space when plus_is_space) in place; returns the new length,
 * or (size_t)-1 for a malformed escape. The result is NUL-terminated. */
size_t rc_percent_decode(char *s, size_t n, bool plus_is_space);

/* True when a == b over their whole lengths, without the timing leak of an early exit. */
bool rc_str_eq(const char *a, const char *b);
bool rc_has_prefix(const char *s, const char *prefix);

/* Lower-case ASCII compare of n bytes. */
bool rc_ascii_ieq(const char *a, const char *b, size_t n);

#endif
