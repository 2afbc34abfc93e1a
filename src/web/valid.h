/* valid.h — input checked once, at the door, against a table (in the spirit of kcgi's kvalid).
 *
 * A form, a query or a JSON body declares its fields once:
 *
 *     static const rc_vfield fields[] = {
 *         {"start", "Start", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX},
 *         {"reason", "What to look at", RC_V_TEXT, .max = 300},
 *     };
 *
 * one call turns what was sent into typed values, each with the sentence that says what is wrong with it,
 * and the emitters below show the form again with what was typed and each error next to its field. */
#ifndef RC_VALID_H
#define RC_VALID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "web/form.h"

enum {
	RC_VALID_TEXT_MAX = 10000, /* characters in a text field that names no max of its own */
};

typedef enum {
	RC_V_TEXT,           /* UTF-8 text without control characters (tab and line breaks are fine) */
	RC_V_INT,            /* a whole number in base 10, within [min, max] when either is set */
	RC_V_DATE,           /* YYYY-MM-DD, a real date; num is its day number */
	RC_V_DATETIME_LOCAL, /* YYYY-MM-DDTHH:MM in the clinic's zone (an HTML datetime-local); num: UTC seconds */
	RC_V_INSTANT,        /* RFC 3339 with its zone; num: UTC seconds */
	RC_V_ENUM,           /* one of choices[].value */
	RC_V_EMAIL,          /* an email address; text is trimmed and in lower case */
} rc_vtype;

typedef struct rc_vchoice {
	const char *value, *label;
} rc_vchoice;

typedef struct rc_vfield {
	const char *name;
	const char *label;  /* what a person reads beside the field; errors begin with it */
	rc_vtype type;
	bool required;
	int64_t min, max;   /* int: the range (both 0: any number); text, email: length in characters
	                     * (max 0: RC_VALID_TEXT_MAX) */
	const rc_vchoice *choices; /* enum */
	size_t nchoices;
	const char *hint;   /* replaces the type's own "must be …" after the label, e.g. for an API; a
	                     * hint that begins with a capital letter is the whole sentence */
} rc_vfield;

typedef struct rc_vvalue {
	const char *raw;   /* what was sent, as sent; NULL when absent. Shown again in the form */
	bool set;          /* present, not empty, and valid */
	const char *text;  /* text, enum and date: the value; email: cleaned; NULL unless set */
	int64_t num;       /* int: the number; date: its day number; datetime-local, instant: UTC seconds */
	const char *error; /* the sentence for the person, beginning with the label; NULL when fine */
} rc_vvalue;

/* Checks one value (raw may be NULL: absent). True when it is acceptable (set, or absent and optional). */
bool rc_valid_one(rc_arena *a, const rc_vfield *f, const char *raw, rc_vvalue *out);

/* Checks every field of the table against a form or query; out[i] belongs to fields[i]. Returns the
 * number of fields in error. Fields the table does not name are ignored. */
size_t rc_valid_form(rc_arena *a, const rc_form *in, const rc_vfield *fields, size_t n, rc_vvalue *out);

/* The same for a JSON object's members (jansson): text types take strings, int takes integers, null is
 * absent. A member the table does not name is an error too, reported on `*unknown` (else NULL). */
struct json_t;
size_t rc_valid_json(rc_arena *a, struct json_t *obj, const rc_vfield *fields, size_t n, rc_vvalue *out,
                     const char **unknown);

/* The index of the first field in error, or -1. */
int rc_valid_first_error(const rc_vvalue *v, size_t n);

/* Puts an error found later (by a use case) on the field of that name, so it shows beside it like the
 * others. False when the table has no such field. */
bool rc_valid_set_error(const rc_vfield *fields, size_t n, rc_vvalue *out, const char *name, const char *text);

/* --- showing a form again ----------------------------------------------------------------------- */

/* <label>…</label> [error] <input|select …>: the input type, the bounds, what was typed, and
 * aria-invalid / aria-describedby pointing at the error when there is one. */
void rc_valid_control(rc_buf *b, const rc_vfield *f, const rc_vvalue *v);
/* The same in a paragraph of its own, as a form's fields stand. */
void rc_valid_input(rc_buf *b, const rc_vfield *f, const rc_vvalue *v);
/* The same with a <textarea> of rows lines. */
void rc_valid_textarea(rc_buf *b, const rc_vfield *f, const rc_vvalue *v, int rows);
/* <input type="hidden"> with what was sent. */
void rc_valid_hidden(rc_buf *b, const rc_vfield *f, const rc_vvalue *v);

#endif
