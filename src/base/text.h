/* text.h — small string helpers with no domain knowledge: UTF-8 checks, decoding, trimming. */
#ifndef RC_TEXT_H
#define RC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no code points past U+10FFFF). */
bool rc_utf8_valid(const char *s, size_t n);

/* True when s is one line a person typed: well-formed UTF-8 with no control character (C0, DEL, C1 —
 * so no CR or LF that could start a new header line in a mail) and at most max_bytes long. */
bool rc_text_is_line(const char *s, size_t max_bytes);

/* Characters, not bytes, of UTF-8 text (every byte but the continuation bytes); NULL has none. */
size_t rc_utf8_chars(const char *s);

/* The longest prefix of s[0..n) of at most max bytes that ends on a character boundary: a text cut
 * to fit a column never ends in half a character. */
size_t rc_utf8_prefix(const char *s, size_t n, size_t max);

/* The length of s[0..n) without a last character cut short (a lead byte without all of its continuation
 * bytes), as snprintf leaves a text it had to cut; n when the text ends on a whole character. */
size_t rc_utf8_whole(const char *s, size_t n);

/* Copies at most n bytes of src (stopping at a NUL) into dst as text that is safe to store: invalid
 * UTF-8 becomes U+FFFD, control characters a space, and a character that does not fit whole is left
 * out (never half of it). Returns the bytes written; dst is always terminated. */
size_t rc_text_clean(char *dst, size_t dstsize, const char *src, size_t n);

/* Decodes %XX escapes (and '+' as space when plus_is_space) in place; returns the new length,
 * or (size_t)-1 for a malformed escape. The result is NUL-terminated. */
size_t rc_percent_decode(char *s, size_t n, bool plus_is_space);

/* True when a == b over their whole lengths, without the timing leak of an early exit. */
bool rc_str_eq(const char *a, const char *b);
bool rc_has_prefix(const char *s, const char *prefix);

/* Lower-case ASCII compare of n bytes. */
bool rc_ascii_ieq(const char *a, const char *b, size_t n);

/* Standard base64 with padding of n bytes; out holds 4 * ((n + 2) / 3) + 1 bytes. */
void rc_base64_encode(const unsigned char *p, size_t n, char *out);
/* Decodes base64 text into out (room for cap bytes): the bytes written, or -1 when it is not base64 or
 * does not fit. */
long long rc_base64_decode(const char *text, unsigned char *out, size_t cap);

#endif
