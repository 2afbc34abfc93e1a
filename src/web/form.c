/* form.c — urlencoded (WHATWG), multipart/form-data (RFC 7578), Cookie (RFC 6265 §5.4) and
 * X-Forwarded-For parsing. */
#include "web/form.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "base/text.h"

static rc_err push(rc_arena *a, rc_form *f, rc_field fld)
{
	if (f->n == RC_FORM_MAX_FIELDS)
		return RC_ETOOBIG;
	if (!f->fields && !(f->fields = rc_arena_alloc(a, sizeof *f->fields * RC_FORM_MAX_FIELDS)))
		return RC_ENOMEM;
	f->fields[f->n++] = fld;
	return RC_OK;
}

/* Names why push failed: the cap or the arena, which are different answers (413 or 500). */
static rc_err push_failed(rc_err e, char *err, size_t errlen)
{
	if (e == RC_ETOOBIG)
		return rc_errf(err, errlen, e, "the form has more than %d fields", RC_FORM_MAX_FIELDS);
	return rc_errf(err, errlen, e, "out of memory");
}

rc_err rc_form_add(rc_arena *a, rc_form *f, const char *name, const char *value, size_t len)
{
	rc_field fld = {rc_arena_strdup(a, name), rc_arena_strndup(a, value, len), len, NULL, NULL};
	if (!fld.name || !fld.value)
		return RC_ENOMEM;
	return push(a, f, fld);
}

const rc_field *rc_form_field(const rc_form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}

const char *rc_form_get(const rc_form *f, const char *name)
{
	const rc_field *fld = rc_form_field(f, name);
	return fld ? fld->value : NULL;
}

rc_err rc_form_urlencoded(rc_arena *a, const char *body, size_t len, rc_form *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	size_t pos = 0;
	while (pos < len) {
		const char *amp = memchr(body + pos, '&', len - pos);
		size_t end = amp ? (size_t)(amp - body) : len;
		const char *pair = body + pos;
		size_t plen = end - pos;
		pos = end + 1;
		if (plen == 0)
			continue;
		const char *eq = memchr(pair, '=', plen);
		size_t nlen = eq ? (size_t)(eq - pair) : plen;
		size_t vlen = eq ? plen - nlen - 1 : 0;
		char *name = rc_arena_strndup(a, pair, nlen);
		char *value = rc_arena_strndup(a, eq ? eq + 1 : "", vlen);
		if (!name || !value)
			return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		nlen = rc_percent_decode(name, nlen, true);
		if (nlen == (size_t)-1)
			return rc_errf(err, errlen, RC_EINVAL, "a field name has a broken %%-escape");
		if (nlen == 0 || nlen > RC_FORM_MAX_NAME || !rc_utf8_valid(name, nlen) || memchr(name, 0, nlen))
			return rc_errf(err, errlen, RC_EINVAL, "a field name is empty, too long or not valid text");
		vlen = rc_percent_decode(value, vlen, true);
		if (vlen == (size_t)-1)
			return rc_errf(err, errlen, RC_EINVAL, "the field '%s' has a broken %%-escape", name);
		if (!rc_utf8_valid(value, vlen) || memchr(value, 0, vlen))
			return rc_errf(err, errlen, RC_EINVAL, "the field '%s' is not valid UTF-8 text", name);
		rc_err e = push(a, out, (rc_field){name, value, vlen, NULL, NULL});
		if (e)
			return push_failed(e, err, errlen);
	}
	return RC_OK;
}

/* Finds needle in hay[0..n) (memmem, bounded). */
static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
	if (m == 0 || n < m)
		return NULL;
	for (size_t i = 0; i + m <= n; i++) {
		const char *p = memchr(hay + i, needle[0], n - m - i + 1);
		if (!p)
			return NULL;
		i = (size_t)(p - hay);
		if (memcmp(p, needle, m) == 0)
			return p;
	}
	return NULL;
}

/* find() over a body of any size in windows of RC_FORM_SCAN_WINDOW, telling seen(ctx, upto) after each
 * window that the bytes before upto (counted from body) are not needed again: the caller may drop them
 * from memory (a mapped upload's pages), so scanning 4 GiB does not make 4 GiB resident. */
enum { RC_FORM_SCAN_WINDOW = 8 * 1024 * 1024 };
static const char *find_paced(const char *body, size_t from, size_t n, const char *needle, size_t m,
                              void (*seen)(void *, size_t), void *ctx)
{
	if (!seen)
		return find(body + from, n - from, needle, m);
	for (size_t w = from; w < n; w += RC_FORM_SCAN_WINDOW) {
		size_t end = w + RC_FORM_SCAN_WINDOW + m - 1;
		const char *p = find(body + w, (end < n ? end : n) - w, needle, m);
		if (p)
			return p;
		if (w + RC_FORM_SCAN_WINDOW < n)
			seen(ctx, w + RC_FORM_SCAN_WINDOW);
	}
	return NULL;
}

/* The value of `key=` in a header value like `form-data; name="a"; filename="b"`; quoted or token.
 * Writes NULL when absent. */
static rc_err header_param(rc_arena *a, const char *h, size_t n, const char *key, const char **out)
{
	size_t klen = strlen(key);
	*out = NULL;
	size_t i = 0;
	while (i < n) {
		/* Parameters follow a ';' outside quotes: name="a; filename=b" is one parameter, not two. */
		bool quoted = false;
		for (; i < n && (quoted || h[i] != ';'); i++) {
			if (quoted && h[i] == '\\' && i + 1 < n)
				i++;
			else if (h[i] == '"')
				quoted = !quoted;
		}
		if (i >= n)
			return RC_OK;
		i++;
		while (i < n && (h[i] == ' ' || h[i] == '\t'))
			i++;
		if (n - i > klen && rc_ascii_ieq(h + i, key, klen) && h[i + klen] == '=') {
			i += klen + 1;
			if (i < n && h[i] == '"') {
				i++;
				size_t start = i;
				while (i < n && h[i] != '"') {
					if (h[i] == '\\' && i + 1 < n)
						i++;
					i++;
				}
				if (i >= n)
					return RC_EINVAL;
				/* Unescape \" and \\ in place in a copy. */
				char *v = rc_arena_strndup(a, h + start, i - start);
				if (!v)
					return RC_ENOMEM;
				size_t o = 0;
				for (size_t k = 0; v[k]; k++) {
					if (v[k] == '\\' && v[k + 1])
						k++;
					v[o++] = v[k];
				}
				v[o] = '\0';
				*out = v;
				return RC_OK;
			}
			size_t start = i;
			while (i < n && h[i] != ';' && h[i] != ' ' && h[i] != '\t')
				i++;
			*out = rc_arena_strndup(a, h + start, i - start);
			return *out ? RC_OK : RC_ENOMEM;
		}
	}
	return RC_OK;
}

rc_err rc_form_multipart(rc_arena *a, const char *content_type, const char *body, size_t len, rc_form *out,
                         char *err, size_t errlen)
{
	return rc_form_multipart_paced(a, content_type, body, len, out, NULL, NULL, err, errlen);
}

rc_err rc_form_multipart_paced(rc_arena *a, const char *content_type, const char *body, size_t len, rc_form *out,
                               void (*seen)(void *ctx, size_t upto), void *seen_ctx, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *boundary = NULL;
	if (header_param(a, content_type, strlen(content_type), "boundary", &boundary) || !boundary ||
	    !*boundary || strlen(boundary) > 70)
		return rc_errf(err, errlen, RC_EINVAL, "the multipart form has no usable boundary");
	size_t blen = strlen(boundary);
	char *delim = rc_arena_alloc(a, blen + 5);
	if (!delim)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	/* Every delimiter after the first is preceded by CRLF; the first may start the body. */
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	size_t dlen = blen + 4;

	size_t pos;
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		pos = dlen - 2;
	else {
		const char *first = find(body, len, delim, dlen);
		if (!first)
			return rc_errf(err, errlen, RC_EINVAL, "the multipart form has no opening boundary");
		pos = (size_t)(first - body) + dlen;
	}
	for (;;) {
		/* After a delimiter: "--" ends the form; otherwise CRLF and a part follow. */
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			return RC_OK;
		while (pos < len && (body[pos] == ' ' || body[pos] == '\t'))
			pos++;
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
			return rc_errf(err, errlen, RC_EINVAL, "the multipart form ends without its closing boundary");
		pos += 2;
		const char *hend = find(body + pos, len - pos, "\r\n\r\n", 4);
		size_t hlen;
		if (len - pos >= 2 && body[pos] == '\r' && body[pos + 1] == '\n')
			hlen = 0, hend = body + pos - 2; /* a part with no headers */
		else if (!hend)
			return rc_errf(err, errlen, RC_EINVAL, "a part of the multipart form has unterminated headers");
		else
			hlen = (size_t)(hend - (body + pos));
		if (hlen > RC_FORM_MAX_PART_HEADER)
			return rc_errf(err, errlen, RC_ETOOBIG, "a part of the multipart form has headers over %d bytes",
			               RC_FORM_MAX_PART_HEADER);
		const char *h = body + pos;
		const char *name = NULL, *filename = NULL, *ctype = NULL;
		size_t i = 0;
		while (i < hlen) {
			const char *nl = find(h + i, hlen - i, "\r\n", 2);
			size_t l = nl ? (size_t)(nl - (h + i)) : hlen - i;
			const char *line = h + i;
			i += l + 2;
			static const char cd[] = "content-disposition:", ct[] = "content-type:";
			if (l > sizeof cd - 1 && rc_ascii_ieq(line, cd, sizeof cd - 1)) {
				if (header_param(a, line, l, "name", &name) || header_param(a, line, l, "filename", &filename))
					return rc_errf(err, errlen, RC_EINVAL, "a part has a malformed Content-Disposition");
			} else if (l > sizeof ct - 1 && rc_ascii_ieq(line, ct, sizeof ct - 1)) {
				const char *v = line + sizeof ct - 1;
				size_t vl = l - (sizeof ct - 1);
				while (vl && (*v == ' ' || *v == '\t'))
					v++, vl--;
				ctype = rc_arena_strndup(a, v, vl);
			}
		}
		pos = (size_t)(hend - body) + 4;
		const char *next = find_paced(body, pos, len, delim, dlen, seen, seen_ctx);
		if (!next)
			return rc_errf(err, errlen, RC_EINVAL, "the multipart form ends without its closing boundary");
		size_t vlen = (size_t)(next - (body + pos));
		if (!name || !*name || strlen(name) > RC_FORM_MAX_NAME || !rc_utf8_valid(name, strlen(name)))
			return rc_errf(err, errlen, RC_EINVAL, "a part of the multipart form has no usable field name");
		if (filename && !rc_utf8_valid(filename, strlen(filename)))
			return rc_errf(err, errlen, RC_EINVAL, "the file name in '%s' is not valid UTF-8", name);
		const char *value = body + pos; /* a file part: borrowed from the body, never copied */
		if (!filename) {
			if (vlen > RC_FORM_MAX_TEXT_PART)
				return rc_errf(err, errlen, RC_ETOOBIG, "the field '%s' is longer than %d bytes", name,
				               RC_FORM_MAX_TEXT_PART);
			if (!rc_utf8_valid(body + pos, vlen) || memchr(body + pos, 0, vlen))
				return rc_errf(err, errlen, RC_EINVAL, "the field '%s' is not valid UTF-8 text", name);
			if (!(value = rc_arena_strndup(a, body + pos, vlen)))
				return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		}
		rc_err e = push(a, out, (rc_field){name, value, vlen, filename, ctype});
		if (e)
			return push_failed(e, err, errlen);
		pos = (size_t)(next - body) + dlen;
	}
}

rc_err rc_cookies_parse(rc_arena *a, const char *header, rc_form *out)
{
	memset(out, 0, sizeof *out);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, ';');
		size_t l = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', l);
		if (eq && eq > p) {
			size_t nlen = (size_t)(eq - p);
			while (nlen && (p[nlen - 1] == ' ' || p[nlen - 1] == '\t'))
				nlen--;
			const char *v = eq + 1;
			size_t vlen = l - (size_t)(v - p);
			while (vlen && (*v == ' ' || *v == '\t'))
				v++, vlen--;
			while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"')
				v++, vlen -= 2;
			if (nlen && nlen <= RC_FORM_MAX_NAME && rc_utf8_valid(p, nlen) && rc_utf8_valid(v, vlen)) {
				rc_field f = {rc_arena_strndup(a, p, nlen), rc_arena_strndup(a, v, vlen), vlen, NULL, NULL};
				if (!f.name || !f.value)
					return RC_ENOMEM;
				if (push(a, out, f))
					return RC_OK; /* past the cap the rest is ignored, like an over-long jar */
			}
		}
		p += l;
	}
	return RC_OK;
}

bool rc_cookies_session_like(const rc_form *cookies)
{
	for (size_t i = 0; i < cookies->n; i++) {
		char folded[RC_FORM_MAX_NAME + 1]; /* the parser keeps names within RC_FORM_MAX_NAME */
		size_t n = 0;
		for (const char *p = cookies->fields[i].name; *p && n < RC_FORM_MAX_NAME; p++)
			if (isalnum((unsigned char)*p))
				folded[n++] = (char)tolower((unsigned char)*p);
		folded[n] = '\0';
		if (strstr(folded, "session"))
			return true;
	}
	return false;
}

/* --- addresses ------------------------------------------------------------------------------- */

bool rc_ip_parse(const char *text, size_t len, rc_ip *out)
{
	memset(out, 0, sizeof *out);
	while (len && (*text == ' ' || *text == '\t'))
		text++, len--;
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	char buf[64];
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	unsigned char a6[16];
	if (inet_pton(AF_INET, buf, out->a) == 1) {
		out->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, buf, a6) != 1)
		return false;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(a6, mapped, sizeof mapped) == 0) {
		out->family = AF_INET;
		memcpy(out->a, a6 + 12, 4);
	} else {
		out->family = AF_INET6;
		memcpy(out->a, a6, 16);
	}
	return true;
}

void rc_ip_format(const rc_ip *ip, char *out, size_t outlen)
{
	if (!ip->family || !inet_ntop(ip->family, ip->a, out, (socklen_t)outlen))
		snprintf(out, outlen, "-");
}

bool rc_ip_equal(const rc_ip *x, const rc_ip *y)
{
	return x->family == y->family && memcmp(x->a, y->a, x->family == AF_INET ? 4 : 16) == 0;
}

rc_ip rc_ip_limit_key(const rc_ip *ip)
{
	rc_ip k = *ip;
	if (k.family == AF_INET6)
		memset(k.a + 8, 0, 8);
	else
		memset(k.a + 4, 0, 12);
	return k;
}

rc_err rc_ip_list_parse(const char *text, rc_ip_list *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *p = text;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t l = comma ? (size_t)(comma - p) : strlen(p);
		rc_ip ip;
		if (!rc_ip_parse(p, l, &ip))
			return rc_errf(err, errlen, RC_EINVAL, "'%.*s' is not an IP address (give addresses like 127.0.0.1 "
			               "or ::1, separated by commas)", (int)(l > 64 ? 64 : l), p);
		if (out->n == RC_FORM_MAX_PROXIES)
			return rc_errf(err, errlen, RC_EINVAL, "more than %d trusted proxies", RC_FORM_MAX_PROXIES);
		out->ip[out->n++] = ip;
		if (!comma)
			return RC_OK;
		p = comma + 1;
	}
}

bool rc_ip_list_has(const rc_ip_list *l, const rc_ip *ip)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (rc_ip_equal(&l->ip[i], ip))
			return true;
	return false;
}

rc_ip rc_forwarded_client(const rc_ip *peer, const char *xff, const rc_ip_list *trusted)
{
	rc_ip client = *peer;
	if (!xff || !rc_ip_list_has(trusted, peer))
		return client;
	/* Right to left: each hop that is a trusted proxy vouches for the address it was sent from. */
	size_t end = strlen(xff);
	while (rc_ip_list_has(trusted, &client)) {
		while (end && (xff[end - 1] == ' ' || xff[end - 1] == '\t' || xff[end - 1] == ','))
			end--;
		if (end == 0)
			break;
		size_t start = end;
		while (start && xff[start - 1] != ',')
			start--;
		rc_ip hop;
		if (!rc_ip_parse(xff + start, end - start, &hop))
			break;
		client = hop;
		end = start;
	}
	return client;
}
