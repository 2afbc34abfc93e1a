/* text.c — UTF-8 validation (RFC 3629 table 4) and percent-decoding. */
#include "base/text.h"

#include <stdint.h>
#include <string.h>

/* The length of the well-formed UTF-8 character at s[0..n), or 0 when it is not one. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xBF)
			return 0;
	return len;
}

bool rc_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_char(s + i, n - i);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

size_t rc_text_clean(char *dst, size_t dstsize, const char *src, size_t n)
{
	static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;
	if (!dstsize)
		return 0;
	for (size_t i = 0; i < n && s[i];) {
		size_t len = utf8_char(s + i, n - i);
		const char *piece = (const char *)s + i;
		size_t plen = len;
		if (!len) { /* a byte that starts no character: one replacement character for it */
			piece = replacement;
			plen = 3;
			len = 1;
		} else if (s[i] < 0x20 || s[i] == 0x7F || (s[i] == 0xC2 && s[i + 1] <= 0x9F)) {
			piece = " "; /* control characters become a space */
			plen = 1;
		}
		if (o + plen >= dstsize)
			break; /* the whole character fits, or none of it */
		memcpy(dst + o, piece, plen);
		o += plen;
		i += len;
	}
	dst[o] = '\0';
	return o;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t rc_percent_decode(char *s, size_t n, bool plus_is_space)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (n - i < 3)
				return (size_t)-1;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return (size_t)-1;
			s[o++] = (char)(h * 16 + l);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			s[o++] = ' ';
		} else {
			s[o++] = c;
		}
	}
	s[o] = '\0';
	return o;
}

bool rc_str_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = (unsigned char)(la != lb);
	size_t n = la < lb ? la : lb;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

bool rc_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool rc_ascii_ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

size_t rc_utf8_chars(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

bool rc_text_is_line(const char *str, size_t max_bytes)
{
	if (!str)
		return false;
	size_t n = strlen(str);
	if (n > max_bytes || !rc_utf8_valid(str, n))
		return false;
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] == 0x7F)
			return false;
		/* C1 controls are U+0080..U+009F: C2 80..C2 9F in UTF-8. */
		if (s[i] == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F)
			return false;
	}
	return true;
}

size_t rc_utf8_whole(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k = n;
	/* Back over up to three continuation bytes to the character's first byte. */
	while (k > 0 && n - k < 3 && (s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k == 0)
		return n;
	unsigned char lead = s[k - 1];
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	return want > n - (k - 1) ? k - 1 : n;
}

size_t rc_utf8_prefix(const char *str, size_t n, size_t max)
{
	if (n <= max)
		return n;
	const unsigned char *s = (const unsigned char *)str;
	size_t k = max;
	/* Step back over continuation bytes to the start of the character that would be cut. */
	while (k > 0 && (s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with padding; out holds 4 * ((n + 2) / 3) + 1 bytes. */
void rc_base64_encode(const unsigned char *p, size_t n, char *out)
{
	size_t o = 0, i = 0;
	for (; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64_alphabet[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes text into out (room for cap bytes); -1 when it is not base64 or does not fit. */
long long rc_base64_decode(const char *text, unsigned char *out, size_t cap)
{
	size_t n = strlen(text), o = 0;
	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		for (int k = 0; k < 4; k++) {
			v[k] = text[i + k] == '=' && i + 4 == n && k >= 2 ? (pad++, 0) : b64_value(text[i + k]);
			if (v[k] < 0)
				return -1;
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		size_t bytes = 3 - (size_t)pad;
		if (o + bytes > cap)
			return -1;
		out[o++] = (unsigned char)(w >> 16);
		if (bytes > 1)
			out[o++] = (unsigned char)(w >> 8);
		if (bytes > 2)
			out[o++] = (unsigned char)w;
	}
	return (long long)o;
}
