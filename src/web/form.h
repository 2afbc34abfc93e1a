/* form.h — pure parsers for what a browser (or the proxy in front) sends: urlencoded and multipart
 * forms, cookies, IP addresses and X-Forwarded-For. Bytes and limits in, fields or an error out; no
 * I/O, so they are fuzzed (tests/fuzz/). */
#ifndef RC_FORM_H
#define RC_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

enum {
	RC_FORM_MAX_FIELDS = 256,      /* fields in one form, cookies in one header */
	RC_FORM_MAX_NAME = 256,        /* bytes in a field name */
	RC_FORM_MAX_PART_HEADER = 4096, /* bytes of headers in one multipart part */
	RC_FORM_MAX_TEXT_PART = 1024 * 1024, /* bytes of one multipart text (non-file) part: else 413 */
	RC_FORM_MAX_PROXIES = 16        /* addresses in --trusted-proxy */
};

typedef struct rc_field {
	const char *name;         /* NUL-terminated, valid UTF-8 */
	const char *value;        /* text: NUL-terminated, in the arena. A file part: its bytes as they are in
	                           * the body (not copied, not terminated, may hold NUL): borrowed from the
	                           * body, which must outlive the form */
	size_t len;               /* bytes in value */
	const char *filename;     /* multipart file parts only, else NULL */
	const char *content_type; /* multipart parts that state one, else NULL */
} rc_field;

typedef struct rc_form {
	rc_field *fields; /* in the arena */
	size_t n;
} rc_form;

/* a=1&b=two+words&c=%C3%A9. Text must be UTF-8; a field named twice keeps both. */
RC_WUR rc_err rc_form_urlencoded(rc_arena *a, const char *body, size_t len, rc_form *out, char *err,
                                 size_t errlen);

/* multipart/form-data; content_type is the whole header value (it carries the boundary).
 * Parts without a filename must be UTF-8 text (at most RC_FORM_MAX_TEXT_PART bytes, else RC_ETOOBIG)
 * and are copied into the arena; file parts point into body, so a 4 GiB upload costs no copy. */
RC_WUR rc_err rc_form_multipart(rc_arena *a, const char *content_type, const char *body, size_t len,
                                rc_form *out, char *err, size_t errlen);
/* The same, telling seen(ctx, upto) as the scan for a part's end passes each 8 MiB that the bytes of
 * body before upto will not be read again by the parser (an upload's mapped pages may be dropped). */
RC_WUR rc_err rc_form_multipart_paced(rc_arena *a, const char *content_type, const char *body, size_t len,
                                      rc_form *out, void (*seen)(void *ctx, size_t upto), void *seen_ctx, char *err,
                                      size_t errlen);

/* A Cookie header: "a=1; b=2". Malformed pairs are skipped, as browsers do. The one parser of
 * cookies: the session lookup and the anonymous page cache both read what it returns. */
RC_WUR rc_err rc_cookies_parse(rc_arena *a, const char *header, rc_form *out);

/* Whether a parsed jar names a session in any spelling: a cookie whose name, ignoring case and every
 * character that is not a letter or digit, contains "session" (rc_session, RC_SESSION, rc-Session…).
 * Such a request never gets, nor fills, the page every anonymous visitor gets. */
bool rc_cookies_session_like(const rc_form *cookies);

/* An IP address, IPv4-mapped IPv6 (::ffff:a.b.c.d) folded into IPv4 so one client has one key. */
typedef struct rc_ip {
	int family; /* AF_INET or AF_INET6; 0: none */
	unsigned char a[16];
} rc_ip;

typedef struct rc_ip_list {
	size_t n;
	rc_ip ip[RC_FORM_MAX_PROXIES];
} rc_ip_list;

/* A literal address, "192.0.2.1" or "2001:db8::1" (len bytes of text, surrounding spaces allowed). */
bool rc_ip_parse(const char *text, size_t len, rc_ip *out);
/* "192.0.2.1" or "2001:db8::1" into out (at least 46 bytes). */
void rc_ip_format(const rc_ip *ip, char *out, size_t outlen);
bool rc_ip_equal(const rc_ip *x, const rc_ip *y);
/* The key that per-address limits count under: the address itself for IPv4, its /64 for IPv6 (one
 * subscriber holds a whole /64, so counting single IPv6 addresses would limit nothing). */
rc_ip rc_ip_limit_key(const rc_ip *ip);
/* "ADDR[,ADDR]…" (--trusted-proxy); RC_EINVAL naming the entry that is not an address. */
RC_WUR rc_err rc_ip_list_parse(const char *text, rc_ip_list *out, char *err, size_t errlen);
bool rc_ip_list_has(const rc_ip_list *l, const rc_ip *ip);

/* Who is really asking. When peer is a trusted proxy, the right-most address of the X-Forwarded-For
 * list (xff: every such header joined with ",", or NULL) that is not itself a trusted proxy; an entry
 * that is not an address stops the walk at the proxy that added it. Otherwise, whatever xff says,
 * peer itself. */
rc_ip rc_forwarded_client(const rc_ip *peer, const char *xff, const rc_ip_list *trusted);

/* The first field of that name, or NULL. Borrowed from the form's arena. */
const rc_field *rc_form_field(const rc_form *f, const char *name);
const char *rc_form_get(const rc_form *f, const char *name);

/* Adds a field, copying name and value into the arena (used for query arguments). */
RC_WUR rc_err rc_form_add(rc_arena *a, rc_form *f, const char *name, const char *value, size_t len);

#endif
