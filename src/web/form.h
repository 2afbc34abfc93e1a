/* form.h — pure parsers for what a browser sends: urlencoded and multipart forms, and cookies.
 * Bytes and limits in, fields or an error out; no I/O, so they are fuzzed (tests/fuzz/). */
#ifndef RC_FORM_H
#define RC_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

enum {
	RC_FORM_MAX_FIELDS = 256,      /* fields in one form, cookies in one header */
	RC_FORM_MAX_NAME = 256,        /* bytes in a field name */
	RC_FORM_MAX_PART_HEADER = 4096 /* bytes of headers in one multipart part */
};

typedef struct rc_field {
	const char *name;         /* NUL-terminated, valid UTF-8 */
	const char *value;        /* NUL-terminated; a file part may also hold NUL bytes */
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
 * Parts without a filename must be UTF-8 text; file parts are kept as bytes. */
RC_WUR rc_err rc_form_multipart(rc_arena *a, const char *content_type, const char *body, size_t len,
                                rc_form *out, char *err, size_t errlen);

/* A Cookie header: "a=1; b=2". Malformed pairs are skipped, as browsers do. */
RC_WUR rc_err rc_cookies_parse(rc_arena *a, const char *header, rc_form *out);

/* The first field of that name, or NULL. Borrowed from the form's arena. */
const rc_field *rc_form_field(const rc_form *f, const char *name);
const char *rc_form_get(const rc_form *f, const char *name);

/* Adds a field, copying name and value into the arena (used for query arguments). */
RC_WUR rc_err rc_form_add(rc_arena *a, rc_form *f, const char *name, const char *value, size_t len);

#endif
