/* fuzz_form.c — libFuzzer target for web/form: urlencoded and multipart bodies and the Cookie header.
 * The whole input is a urlencoded body and (up to its first NUL) a Cookie header; for multipart its
 * first line is the Content-Type value and the rest the body. Besides crashes it checks what a parser
 * promises: every field it returns has a UTF-8 name and, unless a file, a terminated UTF-8 value; a file
 * part lies inside the body it came from. X-Forwarded-For is walked from a trusted peer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "web/form.h"

enum { FUZZ_ARENA = 1 << 20 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const rc_field *f)
{
	fprintf(stderr, "fuzz_form: %s (field '%s')\n", what, f->name ? f->name : "(null)");
	abort();
}

/* A parser that says RC_OK must hand back fields that keep the promises in form.h: text terminated
 * and UTF-8, a file part's bytes inside the body it came from. */
static void check(const rc_form *form, bool text_only, const char *body, size_t len)
{
	if (form->n > RC_FORM_MAX_FIELDS)
		abort();
	for (size_t i = 0; i < form->n; i++) {
		const rc_field *f = &form->fields[i];
		if (!f->name || !f->value)
			broken("NULL name or value", f);
		size_t nlen = strlen(f->name);
		if (nlen == 0 || nlen > RC_FORM_MAX_NAME || !rc_utf8_valid(f->name, nlen))
			broken("name empty, too long or not UTF-8", f);
		bool file = f->filename != NULL;
		if (file && !text_only && (f->value < body || f->len > len || f->value > body + (len - f->len)))
			broken("file part not inside the body", f);
		if ((text_only || !file) && f->value[f->len] != '\0')
			broken("value not terminated at len", f);
		if ((text_only || !file) && (!rc_utf8_valid(f->value, f->len) || memchr(f->value, 0, f->len)))
			broken("text value not UTF-8 or holds NUL", f);
		if (file && !rc_utf8_valid(f->filename, strlen(f->filename)))
			broken("file name not UTF-8", f);
		if (rc_form_field(form, f->name) == NULL)
			broken("rc_form_field cannot find a field it returned", f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	rc_arena a;
	rc_form form;
	char err[256];

	/* urlencoded: the whole input, in a copy of exactly its size so ASan sees any over-read. */
	char *body = malloc(size ? size : 1);
	if (!body)
		return 0;
	memcpy(body, in, size);
	rc_arena_init(&a, FUZZ_ARENA);
	err[0] = '\0';
	if (rc_form_urlencoded(&a, body, size, &form, err, sizeof err) == RC_OK)
		check(&form, true, body, size);
	else if (!err[0])
		abort(); /* every error explains itself */
	rc_arena_free(&a);
	free(body);

	/* multipart: first line (without a CR) is the Content-Type, the rest is the body. */
	const char *nl = memchr(in, '\n', size);
	size_t ctlen = nl ? (size_t)(nl - in) : size;
	size_t rest = nl ? size - ctlen - 1 : 0;
	char *ctype = malloc(ctlen + 1);
	body = malloc(rest ? rest : 1);
	if (ctype && body) {
		memcpy(ctype, in, ctlen);
		ctype[ctlen] = '\0';
		if (ctlen && ctype[ctlen - 1] == '\r')
			ctype[ctlen - 1] = '\0';
		if (rest)
			memcpy(body, nl + 1, rest);
		rc_arena_init(&a, FUZZ_ARENA);
		err[0] = '\0';
		if (rc_form_multipart(&a, ctype, body, rest, &form, err, sizeof err) == RC_OK)
			check(&form, false, body, rest);
		else if (!err[0])
			abort();
		rc_arena_free(&a);
	}
	free(ctype);
	free(body);

	/* Cookie: the input as a C string (a header cannot hold NUL, so it ends at the first). */
	char *header = malloc(size + 1);
	if (!header)
		return 0;
	memcpy(header, in, size);
	header[size] = '\0';
	rc_arena_init(&a, FUZZ_ARENA);
	if (rc_cookies_parse(&a, header, &form) == RC_OK) {
		check(&form, true, header, size);
		(void)rc_cookies_session_like(&form);
	}
	rc_arena_free(&a);
	/* X-Forwarded-For from a trusted peer: always some address, never a crash. */
	rc_ip_list trusted;
	char perr[300];
	if (rc_ip_list_parse("127.0.0.1,::1", &trusted, perr, sizeof perr) != RC_OK)
		abort();
	rc_ip peer;
	if (!rc_ip_parse("127.0.0.1", 9, &peer))
		abort();
	rc_ip who = rc_forwarded_client(&peer, header, &trusted);
	if (who.family == 0)
		abort();
	free(header);
	return 0;
}
