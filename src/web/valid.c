/* valid.c — input checked against a declared table (see valid.h), and the form shown again. */
#include "web/valid.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "base/time.h"
#include "store/account.h"
#include "web/html.h"
#include "web/pages/pages.h"

/* "Label must be …": the sentence for a field, from its hint when it has one. */
static bool fail(rc_arena *a, const rc_vfield *f, rc_vvalue *out, const char *must)
{
	out->set = false;
	out->text = NULL;
	/* A hint that begins with a capital is a whole sentence of its own. */
	if (f->hint && f->hint[0] >= 'A' && f->hint[0] <= 'Z')
		out->error = f->hint;
	else
		out->error = rc_arena_printf(a, "%s %s", f->label, f->hint ? f->hint : must);
	if (!out->error)
		out->error = "This field could not be checked.";
	return false;
}

static bool plain_text(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return false;
	}
	return true;
}

static bool whole_number(const char *s, int64_t *v)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (!*p || strlen(p) > 18)
		return false;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return false;
	long long n = 0;
	sscanf(s, "%lld", &n);
	*v = n;
	return true;
}

static bool check_text(rc_arena *a, const rc_vfield *f, const char *raw, rc_vvalue *out)
{
	int64_t max = f->max ? f->max : RC_VALID_TEXT_MAX;
	size_t n = rc_utf8_chars(raw);
	char must[96];
	if (!plain_text(raw))
		return fail(a, f, out, "must be plain text: it holds a control character.");
	if ((int64_t)n > max) {
		snprintf(must, sizeof must, "must be at most %lld characters long (it has %zu).", (long long)max, n);
		return fail(a, f, out, must);
	}
	if ((int64_t)n < f->min) {
		snprintf(must, sizeof must, "must be at least %lld characters long.", (long long)f->min);
		return fail(a, f, out, must);
	}
	out->text = raw;
	return true;
}

bool rc_valid_one(rc_arena *a, const rc_vfield *f, const char *raw, rc_vvalue *out)
{
	*out = (rc_vvalue){.raw = raw};
	if (!raw || !*raw) {
		if (f->required)
			return fail(a, f, out, "must be filled in.");
		return true;
	}
	char must[128];
	switch (f->type) {
	case RC_V_TEXT:
		if (!check_text(a, f, raw, out))
			return false;
		break;
	case RC_V_INT:
		if (!whole_number(raw, &out->num))
			return fail(a, f, out, "must be a whole number.");
		if ((f->min || f->max) && (out->num < f->min || out->num > f->max)) {
			snprintf(must, sizeof must, "must be a whole number from %lld to %lld.", (long long)f->min,
			         (long long)f->max);
			return fail(a, f, out, must);
		}
		out->text = raw;
		break;
	case RC_V_DATE: {
		int y, m, d;
		if (!rc_date_parse(raw, &y, &m, &d))
			return fail(a, f, out, "must be a date written YYYY-MM-DD, for example 2026-12-01.");
		out->num = rc_days_from_civil(y, m, d);
		out->text = raw;
		break;
	}
	case RC_V_DATETIME_LOCAL:
		if (!rc_tz_parse_local(raw, &out->num))
			return fail(a, f, out, "must be a date and a time, for example 2026-12-01T09:30.");
		out->text = raw;
		break;
	case RC_V_INSTANT:
		if (!rc_time_parse_rfc3339(raw, &out->num))
			return fail(a, f, out, "must be a time with its zone, for example 2026-12-01T09:30:00-08:00.");
		out->text = raw;
		break;
	case RC_V_ENUM:
		for (size_t i = 0; i < f->nchoices && !out->text; i++)
			if (strcmp(f->choices[i].value, raw) == 0)
				out->text = f->choices[i].value;
		if (!out->text)
			return fail(a, f, out, "must be one of the listed choices.");
		break;
	case RC_V_EMAIL: {
		char clean[RC_EMAIL_MAX + 1];
		if (!plain_text(raw) || !rc_clean_email(raw, clean))
			return fail(a, f, out, "must be an email address, like name@example.org.");
		if (f->max && (int64_t)rc_utf8_chars(clean) > f->max) {
			snprintf(must, sizeof must, "must be at most %lld characters long.", (long long)f->max);
			return fail(a, f, out, must);
		}
		out->text = rc_arena_printf(a, "%s", clean);
		if (!out->text)
			return fail(a, f, out, "could not be checked.");
		break;
	}
	}
	out->set = true;
	return true;
}

size_t rc_valid_form(rc_arena *a, const rc_form *in, const rc_vfield *fields, size_t n, rc_vvalue *out)
{
	size_t errors = 0;
	for (size_t i = 0; i < n; i++) {
		const rc_field *fv = rc_form_field(in, fields[i].name);
		/* A file part is no text field: it counts as absent. */
		const char *raw = fv && !fv->filename ? fv->value : NULL;
		if (raw && strlen(raw) != fv->len) {
			out[i] = (rc_vvalue){.raw = NULL};
			fail(a, &fields[i], &out[i], "must be plain text: it holds a NUL character.");
			errors++;
			continue;
		}
		errors += !rc_valid_one(a, &fields[i], raw, &out[i]);
	}
	return errors;
}

size_t rc_valid_json(rc_arena *a, json_t *obj, const rc_vfield *fields, size_t n, rc_vvalue *out,
                     const char **unknown)
{
	size_t errors = 0;
	*unknown = NULL;
	const char *key;
	json_t *member;
	json_object_foreach(obj, key, member) {
		size_t i = 0;
		while (i < n && strcmp(fields[i].name, key) != 0)
			i++;
		if (i == n && !*unknown)
			*unknown = rc_arena_printf(a, "%s", key);
		(void)member;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_object_get(obj, fields[i].name);
		const char *raw = NULL;
		char num[24];
		bool wrong = false;
		if (!j || json_is_null(j))
			raw = NULL;
		else if (fields[i].type == RC_V_INT) {
			if (json_is_integer(j)) {
				snprintf(num, sizeof num, "%lld", (long long)json_integer_value(j));
				raw = rc_arena_printf(a, "%s", num);
			} else
				wrong = true;
		} else if (json_is_string(j)) {
			/* A string with a NUL inside is not text. */
			raw = strlen(json_string_value(j)) == json_string_length(j) ? json_string_value(j) : NULL;
			wrong = !raw;
		} else
			wrong = true;
		if (wrong) {
			out[i] = (rc_vvalue){0};
			fail(a, &fields[i], &out[i],
			     fields[i].type == RC_V_INT ? "must be a whole number." : "must be a string.");
			errors++;
			continue;
		}
		errors += !rc_valid_one(a, &fields[i], raw, &out[i]);
	}
	return errors;
}

int rc_valid_first_error(const rc_vvalue *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].error)
			return (int)i;
	return -1;
}

bool rc_valid_set_error(const rc_vfield *fields, size_t n, rc_vvalue *out, const char *name, const char *text)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(fields[i].name, name) == 0) {
			out[i].error = text;
			out[i].set = false;
			return true;
		}
	return false;
}

/* --- emitters ------------------------------------------------------------------------------------ */

static void label_and_error(rc_buf *b, const rc_vfield *f, const rc_vvalue *v)
{
	rc_html_lit(b, "<label for=\"f-");
	rc_html_text(b, f->name);
	rc_html_lit(b, "\">");
	rc_html_text(b, f->label);
	/* A select always sends one of its choices: only what may be left empty says so. */
	if (!f->required && f->type != RC_V_ENUM)
		rc_html_lit(b, " (optional)");
	rc_html_lit(b, "</label>");
	if (v && v->error) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-");
		rc_html_text(b, f->name);
		rc_html_lit(b, "\">");
		rc_html_text(b, v->error);
		rc_html_lit(b, "</span>");
	}
}

/* id, name, the error's aria attributes and required. */
static void common_attrs(rc_buf *b, const rc_vfield *f, const rc_vvalue *v)
{
	rc_html_lit(b, " id=\"f-");
	rc_html_text(b, f->name);
	rc_html_lit(b, "\" name=\"");
	rc_html_text(b, f->name);
	rc_html_lit(b, "\"");
	if (v && v->error) {
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-");
		rc_html_text(b, f->name);
		rc_html_lit(b, "\"");
	}
	if (f->required)
		rc_html_lit(b, " required");
}

/* rc_html_printf escapes what it formats, quotes too: attributes are written around it. */
static void maxlength(rc_buf *b, const rc_vfield *f)
{
	rc_html_lit(b, " maxlength=\"");
	rc_html_printf(b, "%lld", (long long)(f->max ? f->max : RC_VALID_TEXT_MAX));
	rc_html_lit(b, "\"");
}

static void select_field(rc_buf *b, const rc_vfield *f, const rc_vvalue *v)
{
	rc_html_lit(b, "<select");
	common_attrs(b, f, v);
	rc_html_lit(b, ">");
	for (size_t i = 0; i < f->nchoices; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_text(b, f->choices[i].value);
		rc_html_lit(b, "\"");
		if (v && v->raw && strcmp(v->raw, f->choices[i].value) == 0)
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, f->choices[i].label ? f->choices[i].label : f->choices[i].value);
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select>");
}

void rc_valid_control(rc_buf *b, const rc_vfield *f, const rc_vvalue *v)
{
	label_and_error(b, f, v);
	if (f->type == RC_V_ENUM) {
		select_field(b, f, v);
		return;
	}
	static const char *const types[] = {
		[RC_V_TEXT] = "text", [RC_V_INT] = "number", [RC_V_DATE] = "date",
		[RC_V_DATETIME_LOCAL] = "datetime-local", [RC_V_INSTANT] = "text", [RC_V_EMAIL] = "email",
	};
	rc_html_lit(b, "<input type=\"");
	rc_html_text(b, types[f->type]);
	rc_html_lit(b, "\"");
	common_attrs(b, f, v);
	if (f->type == RC_V_INT && (f->min || f->max)) {
		rc_html_lit(b, " min=\"");
		rc_html_printf(b, "%lld", (long long)f->min);
		rc_html_lit(b, "\" max=\"");
		rc_html_printf(b, "%lld", (long long)f->max);
		rc_html_lit(b, "\"");
	}
	if (f->type == RC_V_TEXT || f->type == RC_V_EMAIL)
		maxlength(b, f);
	if (v && v->raw) {
		rc_html_lit(b, " value=\"");
		rc_html_text(b, v->raw);
		rc_html_lit(b, "\"");
	}
	rc_html_lit(b, ">");
}

void rc_valid_input(rc_buf *b, const rc_vfield *f, const rc_vvalue *v)
{
	rc_html_lit(b, "<p>");
	rc_valid_control(b, f, v);
	rc_html_lit(b, "</p>\n");
}

void rc_valid_textarea(rc_buf *b, const rc_vfield *f, const rc_vvalue *v, int rows)
{
	rc_html_lit(b, "<p>");
	label_and_error(b, f, v);
	rc_html_lit(b, "<textarea");
	common_attrs(b, f, v);
	rc_html_lit(b, " rows=\"");
	rc_html_printf(b, "%d", rows);
	rc_html_lit(b, "\"");
	maxlength(b, f);
	rc_html_lit(b, ">");
	if (v && v->raw)
		rc_html_text(b, v->raw);
	rc_html_lit(b, "</textarea></p>\n");
}

void rc_valid_hidden(rc_buf *b, const rc_vfield *f, const rc_vvalue *v)
{
	rc_html_lit(b, "<input type=\"hidden\" name=\"");
	rc_html_text(b, f->name);
	rc_html_lit(b, "\" value=\"");
	if (v && v->raw)
		rc_html_text(b, v->raw);
	rc_html_lit(b, "\">");
}
