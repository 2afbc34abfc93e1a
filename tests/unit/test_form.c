/* test_form.c — unit tests for web/form: urlencoded and multipart bodies, the Cookie header, IP
 * addresses and X-Forwarded-For. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/buf.h"
#include "web/form.h"

#define CT "multipart/form-data; boundary=----b0und4ry"
#define XYZ "multipart/form-data; boundary=xyz"

/* Each test gets a fresh arena with the cap a request has, freed after. */
static int arena_setup(void **state)
{
	static rc_arena a;
	rc_arena_init(&a, 1 << 20);
	*state = &a;
	return 0;
}

static int arena_teardown(void **state)
{
	rc_arena_free(*state);
	return 0;
}

static rc_err urlenc(rc_arena *a, const char *body, rc_form *f, char *err, size_t errlen)
{
	return rc_form_urlencoded(a, body, strlen(body), f, err, errlen);
}

/* --- urlencoded --------------------------------------------------------------------------- */

static void urlencoded_decodes_plus_and_percent(void **state)
{
	rc_form f;
	char err[256] = "";
	assert_int_equal(urlenc(*state, "a=1&b=two+words&c=%C3%A9&d=50%25+off%21", &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 4);
	assert_string_equal(f.fields[0].name, "a");
	assert_string_equal(f.fields[0].value, "1");
	assert_int_equal(f.fields[0].len, 1);
	assert_string_equal(rc_form_get(&f, "b"), "two words");
	assert_string_equal(rc_form_get(&f, "c"), "\xC3\xA9");
	assert_int_equal(rc_form_field(&f, "c")->len, 2);
	assert_string_equal(rc_form_get(&f, "d"), "50% off!");
	assert_null(rc_form_get(&f, "e"));
	/* Names are decoded too. */
	assert_int_equal(urlenc(*state, "first+name=Ana&caf%C3%A9=1", &f, err, sizeof err), RC_OK);
	assert_string_equal(rc_form_get(&f, "first name"), "Ana");
	assert_string_equal(rc_form_get(&f, "caf\xC3\xA9"), "1");
	assert_null(f.fields[0].filename);
	assert_null(f.fields[0].content_type);
}

static void urlencoded_empty_pairs_and_missing_equals(void **state)
{
	rc_form f;
	char err[256] = "";
	assert_int_equal(urlenc(*state, "&&a=1&&b=&flag&", &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 3);
	assert_string_equal(rc_form_get(&f, "a"), "1");
	assert_string_equal(rc_form_get(&f, "b"), "");
	assert_int_equal(rc_form_field(&f, "b")->len, 0);
	assert_string_equal(rc_form_get(&f, "flag"), ""); /* no '=': present with an empty value */
	assert_int_equal(urlenc(*state, "", &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 0);
	/* A value may itself contain '='. */
	assert_int_equal(urlenc(*state, "eq=a=b", &f, err, sizeof err), RC_OK);
	assert_string_equal(rc_form_get(&f, "eq"), "a=b");
	/* A name given twice keeps both, in order; rc_form_get sees the first. */
	assert_int_equal(urlenc(*state, "t=1&t=2", &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 2);
	assert_string_equal(rc_form_get(&f, "t"), "1");
	assert_string_equal(f.fields[1].value, "2");
	/* Only len bytes are read: the body need not be NUL-terminated. */
	assert_int_equal(rc_form_urlencoded(*state, "a=1&b=2", 3, &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 1);
	assert_null(rc_form_get(&f, "b"));
}

static void urlencoded_rejects_bad_text_and_names_the_field(void **state)
{
	rc_form f;
	char err[256] = "";
	assert_int_equal(urlenc(*state, "ok=1&note=caf%E9", &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'note'"));
	assert_non_null(strstr(err, "UTF-8"));
	err[0] = '\0';
	assert_int_equal(urlenc(*state, "qty=%4", &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'qty'"));
	err[0] = '\0';
	assert_int_equal(urlenc(*state, "qty=%zz1", &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'qty'"));
	/* A surrogate encoded in UTF-8 is not text. */
	assert_int_equal(urlenc(*state, "s=%ED%A0%80", &f, err, sizeof err), RC_EINVAL);
	/* Raw bytes that are not UTF-8, unescaped. */
	assert_int_equal(urlenc(*state, "r=\xFF", &f, err, sizeof err), RC_EINVAL);
	/* Names: broken escape, not UTF-8, empty. */
	assert_int_equal(urlenc(*state, "%=1", &f, err, sizeof err), RC_EINVAL);
	assert_int_equal(urlenc(*state, "%FF=1", &f, err, sizeof err), RC_EINVAL);
	assert_int_equal(urlenc(*state, "=1", &f, err, sizeof err), RC_EINVAL);
}

static void urlencoded_rejects_nul(void **state)
{
	rc_form f;
	char err[256] = "";
	assert_int_equal(urlenc(*state, "pw=ab%00cd", &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'pw'"));
	assert_int_equal(urlenc(*state, "p%00w=abcd", &f, err, sizeof err), RC_EINVAL);
	/* A literal NUL inside the body is caught the same way. */
	assert_int_equal(rc_form_urlencoded(*state, "pw=a\0b", 6, &f, err, sizeof err), RC_EINVAL);
}

static void urlencoded_limits(void **state)
{
	rc_form f;
	char err[256] = "";
	rc_buf b;
	rc_buf_init(&b, 1 << 20);
	for (int i = 0; i < RC_FORM_MAX_FIELDS; i++)
		assert_int_equal(rc_buf_printf(&b, "%sf%d=%d", i ? "&" : "", i, i), RC_OK);
	assert_int_equal(rc_form_urlencoded(*state, b.data, b.len, &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, RC_FORM_MAX_FIELDS);
	assert_string_equal(rc_form_get(&f, "f255"), "255");
	/* One more is too many. */
	assert_int_equal(rc_buf_lit(&b, "&one=more"), RC_OK);
	assert_int_equal(rc_form_urlencoded(*state, b.data, b.len, &f, err, sizeof err), RC_ETOOBIG);
	char want[64];
	snprintf(want, sizeof want, "more than %d fields", RC_FORM_MAX_FIELDS);
	assert_non_null(strstr(err, want));

	/* A name at the limit is fine; one byte more is refused. */
	rc_buf_reset(&b);
	for (int i = 0; i < RC_FORM_MAX_NAME; i++)
		assert_int_equal(rc_buf_putc(&b, 'n'), RC_OK);
	assert_int_equal(rc_buf_lit(&b, "=v"), RC_OK);
	assert_int_equal(rc_form_urlencoded(*state, b.data, b.len, &f, err, sizeof err), RC_OK);
	rc_buf_reset(&b);
	for (int i = 0; i < RC_FORM_MAX_NAME + 1; i++)
		assert_int_equal(rc_buf_putc(&b, 'n'), RC_OK);
	assert_int_equal(rc_buf_lit(&b, "=v"), RC_OK);
	assert_int_equal(rc_form_urlencoded(*state, b.data, b.len, &f, err, sizeof err), RC_EINVAL);
	rc_buf_free(&b);
}

static void form_arena_exhaustion_is_out_of_memory(void **state)
{
	(void)state;
	rc_arena small;
	rc_arena_init(&small, 64);
	rc_form f;
	char err[256] = "";
	/* The field table alone does not fit in 64 bytes: that is out of memory, not too many fields. */
	assert_int_equal(rc_form_urlencoded(&small, "a=1", 3, &f, err, sizeof err), RC_ENOMEM);
	assert_non_null(strstr(err, "out of memory"));
	static const char body[] = "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nA\r\n--xyz--\r\n";
	rc_arena_free(&small);
	err[0] = '\0';
	assert_int_equal(rc_form_multipart(&small, XYZ, body, sizeof body - 1, &f, err, sizeof err), RC_ENOMEM);
	assert_non_null(strstr(err, "out of memory"));
	rc_arena_free(&small);
}

static void form_add_copies(void **state)
{
	rc_form f = {0};
	char value[] = "mutable";
	assert_int_equal(rc_form_add(*state, &f, "q", value, 3), RC_OK);
	value[0] = 'X';
	assert_int_equal(f.n, 1);
	assert_string_equal(rc_form_get(&f, "q"), "mut");
	assert_int_equal(rc_form_field(&f, "q")->len, 3);
}

/* --- multipart ---------------------------------------------------------------------------- */

/* Parses a body whose boundary is "xyz". */
static rc_err xyz(rc_arena *a, const char *body, size_t len, rc_form *f, char *err, size_t errlen)
{
	return rc_form_multipart(a, XYZ, body, len, f, err, errlen);
}

static void multipart_text_and_file(void **state)
{
	static const char body[] = "------b0und4ry\r\n"
	                           "Content-Disposition: form-data; name=\"title\"\r\n"
	                           "\r\n"
	                           "Long run, caf\xC3\xA9 after\r\n"
	                           "------b0und4ry\r\n"
	                           "Content-Disposition: form-data; name=\"activity\"; filename=\"run 1.fit\"\r\n"
	                           "Content-Type: application/octet-stream\r\n"
	                           "\r\n"
	                           "FITDATA\r\n"
	                           "------b0und4ry--\r\n";
	rc_form f;
	char err[256] = "";
	assert_int_equal(rc_form_multipart(*state, CT, body, sizeof body - 1, &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.fields[0].name, "title");
	assert_string_equal(f.fields[0].value, "Long run, caf\xC3\xA9 after");
	assert_int_equal(f.fields[0].len, strlen("Long run, caf\xC3\xA9 after"));
	assert_null(f.fields[0].filename);
	assert_null(f.fields[0].content_type);
	const rc_field *file = rc_form_field(&f, "activity");
	assert_non_null(file);
	assert_string_equal(file->filename, "run 1.fit");
	assert_string_equal(file->content_type, "application/octet-stream");
	assert_int_equal(file->len, 7);
	assert_memory_equal(file->value, "FITDATA", 7);
	/* A file part is not copied: it points into the body (an upload is a mapped file on disk). */
	assert_true(file->value > body && file->value + file->len < body + sizeof body);
}

static void multipart_quoted_boundary_and_preamble(void **state)
{
	/* A quoted boundary may hold a space; a preamble before the first delimiter is ignored. */
	static const char ct[] = "multipart/form-data; boundary=\"my boundary\"";
	static const char body[] = "This is the preamble.\r\n"
	                           "--my boundary\r\n"
	                           "content-disposition: form-data; name=x\r\n"
	                           "\r\n"
	                           "1\r\n"
	                           "--my boundary\r\n"
	                           "Content-Disposition: form-data; name=\"y\"\r\n"
	                           "\r\n"
	                           "\r\n"
	                           "--my boundary--";
	rc_form f;
	char err[256] = "";
	assert_int_equal(rc_form_multipart(*state, ct, body, sizeof body - 1, &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 2);
	assert_string_equal(rc_form_get(&f, "x"), "1"); /* unquoted name= in the part header */
	assert_string_equal(rc_form_get(&f, "y"), "");
	assert_int_equal(rc_form_field(&f, "y")->len, 0);

	/* Unquoted boundary followed by another parameter, and a charset before it. */
	static const char ct2[] = "multipart/form-data; charset=utf-8; boundary=xyz; foo=bar";
	static const char body2[] = "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nA\r\n--xyz--\r\n";
	assert_int_equal(rc_form_multipart(*state, ct2, body2, sizeof body2 - 1, &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(rc_form_get(&f, "a"), "A");

	/* A form with no parts at all. */
	assert_int_equal(xyz(*state, "--xyz--\r\n", 9, &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 0);
}

static void multipart_requires_a_boundary(void **state)
{
	static const char body[] = "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nA\r\n--xyz--\r\n";
	static const char *const bad[] = {
		"multipart/form-data",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"xyz", /* an unclosed quote */
		"multipart/form-data; boundary=\"\"",
	};
	rc_form f;
	char err[256];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		rc_err e = rc_form_multipart(*state, bad[i], body, sizeof body - 1, &f, err, sizeof err);
		assert_int_equal(e, RC_EINVAL);
		assert_non_null(strstr(err, "no usable boundary"));
	}
	/* A boundary that never appears in the body. */
	static const char other[] = "multipart/form-data; boundary=other";
	assert_int_equal(rc_form_multipart(*state, other, body, sizeof body - 1, &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "opening boundary"));
}

static void multipart_missing_closing_boundary(void **state)
{
	rc_form f;
	char err[256] = "";
	/* The last part is never closed. */
	static const char cut[] = "------b0und4ry\r\n"
	                          "Content-Disposition: form-data; name=\"title\"\r\n"
	                          "\r\n"
	                          "Long run";
	assert_int_equal(rc_form_multipart(*state, CT, cut, sizeof cut - 1, &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "closing boundary"));
	/* A delimiter with neither "--" nor CRLF after it. */
	static const char open[] = "------b0und4ry\r\n"
	                           "Content-Disposition: form-data; name=\"title\"\r\n"
	                           "\r\n"
	                           "x\r\n"
	                           "------b0und4ry";
	assert_int_equal(rc_form_multipart(*state, CT, open, sizeof open - 1, &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "closing boundary"));
	/* Headers that never end. */
	static const char headers[] = "------b0und4ry\r\nContent-Disposition: form-data; name=\"t\"\r\n";
	assert_int_equal(rc_form_multipart(*state, CT, headers, sizeof headers - 1, &f, err, sizeof err), RC_EINVAL);
}

static void multipart_part_without_name(void **state)
{
	rc_form f;
	char err[256] = "";
	static const char noname[] = "--xyz\r\nContent-Disposition: form-data\r\n\r\nA\r\n--xyz--\r\n";
	assert_int_equal(xyz(*state, noname, sizeof noname - 1, &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "field name"));
	static const char empty[] = "--xyz\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nA\r\n--xyz--\r\n";
	assert_int_equal(xyz(*state, empty, sizeof empty - 1, &f, err, sizeof err), RC_EINVAL);
	static const char noheaders[] = "--xyz\r\n\r\nA\r\n--xyz--\r\n";
	assert_int_equal(xyz(*state, noheaders, sizeof noheaders - 1, &f, err, sizeof err), RC_EINVAL);
	/* "filename=" alone is not a name. */
	static const char fileonly[] =
		"--xyz\r\nContent-Disposition: form-data; filename=\"a.txt\"\r\n\r\nA\r\n--xyz--\r\n";
	assert_int_equal(xyz(*state, fileonly, sizeof fileonly - 1, &f, err, sizeof err), RC_EINVAL);
}

static void multipart_binary_file_keeps_nul_bytes(void **state)
{
	static const char head[] = "--xyz\r\n"
	                           "Content-Disposition: form-data; name=\"upload\"; filename=\"a.bin\"\r\n"
	                           "Content-Type: application/vnd.ant.fit\r\n"
	                           "\r\n";
	static const unsigned char data[] = {0x0E, 0x10, 0x00, 0x00, 0xFF, 0xFE, '\r', '\n', '-', 0x00, 0x80, 0xC0};
	static const char tail[] = "\r\n--xyz--\r\n";
	char body[256];
	size_t len = 0;
	memcpy(body + len, head, sizeof head - 1), len += sizeof head - 1;
	memcpy(body + len, data, sizeof data), len += sizeof data;
	memcpy(body + len, tail, sizeof tail - 1), len += sizeof tail - 1;
	rc_form f;
	char err[256] = "";
	assert_int_equal(xyz(*state, body, len, &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.fields[0].len, sizeof data);
	assert_memory_equal(f.fields[0].value, data, sizeof data);
	assert_ptr_equal(f.fields[0].value, body + sizeof head - 1); /* the bytes where they are */
	assert_string_equal(f.fields[0].filename, "a.bin");
	assert_string_equal(f.fields[0].content_type, "application/vnd.ant.fit");
}

static void multipart_text_part_must_be_utf8(void **state)
{
	rc_form f;
	char err[256] = "";
	static const char bad[] =
		"--xyz\r\nContent-Disposition: form-data; name=\"notes\"\r\n\r\ncaf\xE9\r\n--xyz--\r\n";
	assert_int_equal(xyz(*state, bad, sizeof bad - 1, &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'notes'"));
	/* A NUL byte in a text part is refused too. */
	static const char nul[] = "--xyz\r\nContent-Disposition: form-data; name=\"notes\"\r\n\r\na\0b\r\n--xyz--\r\n";
	assert_int_equal(xyz(*state, nul, sizeof nul - 1, &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'notes'"));
	/* A file name that is not UTF-8. */
	static const char fname[] =
		"--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\xFF.bin\"\r\n\r\nA\r\n--xyz--\r\n";
	assert_int_equal(xyz(*state, fname, sizeof fname - 1, &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'f'"));
}

static void multipart_quoted_semicolon_is_not_a_parameter(void **state)
{
	rc_form f;
	char err[256] = "";
	/* A ';' inside a quoted name does not start a filename parameter. */
	static const char inname[] =
		"--xyz\r\nContent-Disposition: form-data; name=\"a; filename=b\"\r\n\r\ntext\r\n--xyz--\r\n";
	assert_int_equal(xyz(*state, inname, sizeof inname - 1, &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.fields[0].name, "a; filename=b");
	assert_null(f.fields[0].filename);
	/* Nor inside another parameter's value: this is a text part, so its bytes must be UTF-8. */
	static const char smuggled[] = "--xyz\r\nContent-Disposition: form-data; name=\"pw\"; x=\"; filename=b\"\r\n"
	                               "\r\nab\xFF\r\n--xyz--\r\n";
	assert_int_equal(xyz(*state, smuggled, sizeof smuggled - 1, &f, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'pw'"));
	/* An escaped quote does not end the quoted string. */
	static const char escaped[] = "--xyz\r\nContent-Disposition: form-data; name=\"q\\\"; filename=c\"\r\n"
	                              "\r\nv\r\n--xyz--\r\n";
	assert_int_equal(xyz(*state, escaped, sizeof escaped - 1, &f, err, sizeof err), RC_OK);
	assert_string_equal(f.fields[0].name, "q\"; filename=c");
	assert_null(f.fields[0].filename);
	/* The same holds for the boundary in the Content-Type. */
	static const char ct[] = "multipart/form-data; x=\"; boundary=wrong\"; boundary=xyz";
	static const char body[] = "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nA\r\n--xyz--\r\n";
	assert_int_equal(rc_form_multipart(*state, ct, body, sizeof body - 1, &f, err, sizeof err), RC_OK);
	assert_string_equal(rc_form_get(&f, "a"), "A");
}

#define PART_FMT "--xyz\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n%d\r\n"

static void multipart_limits(void **state)
{
	rc_form f;
	char err[256] = "";
	/* A boundary longer than RFC 2046's 70 characters is refused. */
	char ct[160];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%071d", 0);
	assert_int_equal(rc_form_multipart(*state, ct, "--x--", 5, &f, err, sizeof err), RC_EINVAL);

	/* Part headers past RC_FORM_MAX_PART_HEADER. */
	rc_buf b;
	rc_buf_init(&b, 1 << 20);
	assert_int_equal(rc_buf_lit(&b, "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: "), RC_OK);
	for (int i = 0; i < RC_FORM_MAX_PART_HEADER; i++)
		assert_int_equal(rc_buf_putc(&b, 'p'), RC_OK);
	assert_int_equal(rc_buf_lit(&b, "\r\n\r\nA\r\n--xyz--\r\n"), RC_OK);
	assert_int_equal(xyz(*state, b.data, b.len, &f, err, sizeof err), RC_ETOOBIG);

	/* More than RC_FORM_MAX_FIELDS parts. */
	rc_buf_reset(&b);
	for (int i = 0; i <= RC_FORM_MAX_FIELDS; i++)
		assert_int_equal(rc_buf_printf(&b, PART_FMT, i, i), RC_OK);
	assert_int_equal(rc_buf_lit(&b, "--xyz--\r\n"), RC_OK);
	assert_int_equal(xyz(*state, b.data, b.len, &f, err, sizeof err), RC_ETOOBIG);
	rc_buf_free(&b);
}

/* --- cookies ------------------------------------------------------------------------------ */

static void cookies_basic_and_spaces(void **state)
{
	rc_form f;
	assert_int_equal(rc_cookies_parse(*state, "sid=abc123; theme=dark", &f), RC_OK);
	assert_int_equal(f.n, 2);
	assert_string_equal(rc_form_get(&f, "sid"), "abc123");
	assert_string_equal(rc_form_get(&f, "theme"), "dark");
	/* Extra spaces and tabs around pairs, names and values are not part of them. */
	assert_int_equal(rc_cookies_parse(*state, "  a=1 ;b=2;\tc = 3 ;;  d=", &f), RC_OK);
	assert_int_equal(f.n, 4);
	assert_string_equal(rc_form_get(&f, "a"), "1");
	assert_string_equal(rc_form_get(&f, "b"), "2");
	assert_string_equal(rc_form_get(&f, "c"), "3");
	assert_int_equal(rc_form_field(&f, "c")->len, 1);
	assert_string_equal(rc_form_get(&f, "d"), "");
	/* A value may contain '='. */
	assert_int_equal(rc_cookies_parse(*state, "tok=YWJj==", &f), RC_OK);
	assert_string_equal(rc_form_get(&f, "tok"), "YWJj==");
}

static void cookies_quoted_values(void **state)
{
	rc_form f;
	assert_int_equal(rc_cookies_parse(*state, "q=\"hello world\"; e=\"\"; one=\"", &f), RC_OK);
	assert_int_equal(f.n, 3);
	assert_string_equal(rc_form_get(&f, "q"), "hello world");
	assert_int_equal(rc_form_field(&f, "q")->len, 11);
	assert_string_equal(rc_form_get(&f, "e"), "");
	assert_string_equal(rc_form_get(&f, "one"), "\""); /* a lone quote is not a quoted value */
}

static void cookies_malformed_pairs_are_skipped(void **state)
{
	rc_form f;
	assert_int_equal(rc_cookies_parse(*state, "justaname; =novalue; ok=1; bad=\xFF; \xC0=x; ; last=2", &f), RC_OK);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.fields[0].name, "ok");
	assert_string_equal(f.fields[0].value, "1");
	assert_string_equal(f.fields[1].name, "last");
	assert_string_equal(f.fields[1].value, "2");
}

static void cookies_empty_header(void **state)
{
	rc_form f;
	assert_int_equal(rc_cookies_parse(*state, "", &f), RC_OK);
	assert_int_equal(f.n, 0);
	assert_int_equal(rc_cookies_parse(*state, " ; ;\t", &f), RC_OK);
	assert_int_equal(f.n, 0);
}

static void cookies_past_the_cap_are_ignored(void **state)
{
	rc_buf b;
	rc_buf_init(&b, 1 << 20);
	for (int i = 0; i < RC_FORM_MAX_FIELDS + 10; i++)
		assert_int_equal(rc_buf_printf(&b, "c%d=%d; ", i, i), RC_OK);
	rc_form f;
	assert_int_equal(rc_cookies_parse(*state, b.data, &f), RC_OK);
	assert_int_equal(f.n, RC_FORM_MAX_FIELDS);
	assert_string_equal(rc_form_get(&f, "c0"), "0");
	assert_null(rc_form_get(&f, "c256"));
	rc_buf_free(&b);
}


/* A text part is copied into the request's arena, so its size has a cap of its own (413), separate
 * from the upload's: a 60 MiB "notes" field must not be "out of memory". */
static void multipart_text_part_over_its_cap_is_too_big(void **state)
{
	(void)state;
	size_t big = RC_FORM_MAX_TEXT_PART + 1;
	static const char head[] = "--xyz\r\nContent-Disposition: form-data; name=\"notes\"\r\n\r\n";
	static const char tail[] = "\r\n--xyz--\r\n";
	size_t len = sizeof head - 1 + big + sizeof tail - 1;
	char *body = malloc(len);
	assert_non_null(body);
	memcpy(body, head, sizeof head - 1);
	memset(body + sizeof head - 1, 'a', big);
	memcpy(body + sizeof head - 1 + big, tail, sizeof tail - 1);
	rc_arena a;
	rc_arena_init(&a, 16 << 20);
	rc_form f;
	char err[256] = "";
	assert_int_equal(xyz(&a, body, len, &f, err, sizeof err), RC_ETOOBIG);
	assert_non_null(strstr(err, "'notes'"));
	/* The same bytes as a file part cost the arena nothing. */
	static const char fhead[] = "--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.gpx\"\r\n\r\n";
	char *fbody = malloc(sizeof fhead - 1 + big + sizeof tail - 1);
	assert_non_null(fbody);
	memcpy(fbody, fhead, sizeof fhead - 1);
	memset(fbody + sizeof fhead - 1, 'a', big);
	memcpy(fbody + sizeof fhead - 1 + big, tail, sizeof tail - 1);
	rc_arena small;
	rc_arena_init(&small, 64 * 1024);
	assert_int_equal(xyz(&small, fbody, sizeof fhead - 1 + big + sizeof tail - 1, &f, err, sizeof err), RC_OK);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.fields[0].len, big);
	rc_arena_free(&small);
	rc_arena_free(&a);
	free(fbody);
	free(body);
}

/* --- the session cookie in any spelling ---------------------------------------------------- */

static void cookies_session_like_in_any_spelling(void **state)
{
	static const char *const yes[] = {
		"rc_session=x", "rc_session =x", " rc_session\t= x", "RC_SESSION=x", "rc-Session=x", "a=1; rc_sess_ion=2",
		"session=x", "xsessionx=1", "rc_sesssession=1",
	};
	static const char *const no[] = {"rc_csrf=abc", "a=1; b=2", "sess=1; ion=2", "", "rc_session", "=session"};
	rc_form f;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		assert_int_equal(rc_cookies_parse(*state, yes[i], &f), RC_OK);
		if (!rc_cookies_session_like(&f))
			fail_msg("'%s' names a session", yes[i]);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		assert_int_equal(rc_cookies_parse(*state, no[i], &f), RC_OK);
		if (rc_cookies_session_like(&f))
			fail_msg("'%s' names no session", no[i]);
	}
	/* The space before '=' that the session lookup forgives: the same parse the cache decides on. */
	assert_int_equal(rc_cookies_parse(*state, "rc_session =TOKEN", &f), RC_OK);
	assert_string_equal(rc_form_get(&f, "rc_session"), "TOKEN");
}

/* --- addresses and X-Forwarded-For ----------------------------------------------------------- */

static rc_ip ip(const char *text)
{
	rc_ip out;
	if (!rc_ip_parse(text, strlen(text), &out))
		fail_msg("'%s' should parse", text);
	return out;
}

static const char *client(const char *peer, const char *xff, const rc_ip_list *trusted)
{
	static char out[64];
	rc_ip p = ip(peer);
	rc_ip c = rc_forwarded_client(&p, xff, trusted);
	rc_ip_format(&c, out, sizeof out);
	return out;
}

static void ip_parse_and_format(void **state)
{
	(void)state;
	char out[64];
	rc_ip a = ip(" 192.0.2.7 ");
	assert_int_equal(a.family, AF_INET);
	rc_ip_format(&a, out, sizeof out);
	assert_string_equal(out, "192.0.2.7");
	rc_ip m = ip("::ffff:192.0.2.7"); /* a mapped IPv4 address is that address */
	assert_true(rc_ip_equal(&a, &m));
	rc_ip b = ip("2001:db8::1");
	rc_ip_format(&b, out, sizeof out);
	assert_string_equal(out, "2001:db8::1");
	rc_ip bad;
	static const char *const not_ips[] = {"", " ", "1.2.3", "1.2.3.4.5", "example.org", "1.2.3.4:80", "[::1]",
	                                      "127.0.0.1, 10.0.0.1", "::1\n"};
	for (size_t i = 0; i < sizeof not_ips / sizeof not_ips[0]; i++)
		if (rc_ip_parse(not_ips[i], strlen(not_ips[i]), &bad))
			fail_msg("'%s' is not an address", not_ips[i]);
	/* Per-address limits count an IPv6 /64 as one address. */
	rc_ip k1 = ip("2001:db8:1:2::1"), k2 = ip("2001:db8:1:2:ffff::9"), k3 = ip("2001:db8:1:3::1");
	rc_ip l1 = rc_ip_limit_key(&k1), l2 = rc_ip_limit_key(&k2), l3 = rc_ip_limit_key(&k3);
	assert_true(rc_ip_equal(&l1, &l2));
	assert_false(rc_ip_equal(&l1, &l3));
}

static void ip_list_parse(void **state)
{
	(void)state;
	rc_ip_list l;
	char err[300];
	assert_int_equal(rc_ip_list_parse("127.0.0.1", &l, err, sizeof err), RC_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(rc_ip_list_parse("127.0.0.1, ::1,10.0.0.2", &l, err, sizeof err), RC_OK);
	assert_int_equal(l.n, 3);
	rc_ip six = ip("::1");
	assert_true(rc_ip_list_has(&l, &six));
	assert_int_equal(rc_ip_list_parse("127.0.0.1,proxy.local", &l, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'proxy.local' is not an IP address"));
	assert_int_equal(rc_ip_list_parse("", &l, err, sizeof err), RC_EINVAL);
	assert_int_equal(rc_ip_list_parse("127.0.0.1,", &l, err, sizeof err), RC_EINVAL);
}

static void forwarded_for_only_from_a_trusted_proxy(void **state)
{
	(void)state;
	rc_ip_list t;
	char err[300];
	assert_int_equal(rc_ip_list_parse("127.0.0.1,10.0.0.5", &t, err, sizeof err), RC_OK);
	/* From a peer that is not trusted the header is ignored, whatever it says. */
	assert_string_equal(client("203.0.113.9", "198.51.100.1", &t), "203.0.113.9");
	/* From a trusted proxy: the right-most address that is not itself trusted. */
	assert_string_equal(client("127.0.0.1", "198.51.100.1", &t), "198.51.100.1");
	assert_string_equal(client("127.0.0.1", "6.6.6.6, 198.51.100.1", &t), "198.51.100.1");
	assert_string_equal(client("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.5", &t), "198.51.100.1");
	assert_string_equal(client("127.0.0.1", " 198.51.100.1 ,, ", &t), "198.51.100.1");
	assert_string_equal(client("127.0.0.1", "2001:db8::7", &t), "2001:db8::7");
	/* Nothing forwarded, or only proxies: the last proxy is all that is known. */
	assert_string_equal(client("127.0.0.1", NULL, &t), "127.0.0.1");
	assert_string_equal(client("127.0.0.1", "", &t), "127.0.0.1");
	assert_string_equal(client("127.0.0.1", "10.0.0.5", &t), "10.0.0.5");
	/* An entry that is not an address stops the walk at the proxy that wrote it down. */
	assert_string_equal(client("127.0.0.1", "198.51.100.1, unknown", &t), "127.0.0.1");
	assert_string_equal(client("127.0.0.1", "198.51.100.1, 10.0.0.5, <script>", &t), "127.0.0.1");
	/* No trusted proxies at all: never believed. */
	rc_ip_list none = {0};
	assert_string_equal(client("127.0.0.1", "198.51.100.1", &none), "127.0.0.1");
}

/* A file part of 20 MiB with the boundary's start placed across the scan's 8 MiB windows: the paced parse
 * finds the same parts as the plain one, and says as it goes how much of the body is behind it, never
 * more than the part's own bytes before its end, always rising. */
typedef struct {
	size_t last, calls;
	bool rising;
} pace;

static void paced(void *ctx, size_t upto)
{
	pace *p = ctx;
	if (upto <= p->last)
		p->rising = false;
	p->last = upto;
	p->calls++;
}

static void multipart_paced_scan_tells_what_is_behind_it(void **state)
{
	const char *head = "------b0und4ry\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.fit\"\r\n\r\n";
	const char *tail = "\r\n------b0und4ry\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n------b0und4ry--\r\n";
	size_t file = 20u << 20, hl = strlen(head), tl = strlen(tail), len = hl + file + tl;
	char *body = malloc(len);
	assert_non_null(body);
	memcpy(body, head, hl);
	memset(body + hl, 'q', file);
	/* A near-boundary straddling the first window's edge, which must not end the part. */
	memcpy(body + hl + (8u << 20) - 6, "\r\n------b0und", 14);
	memcpy(body + hl + file, tail, tl);
	rc_form f1, f2;
	char err[200];
	pace p = {.rising = true};
	assert_int_equal(rc_form_multipart(*state, CT, body, len, &f1, err, sizeof err), RC_OK);
	assert_int_equal(rc_form_multipart_paced(*state, CT, body, len, &f2, paced, &p, err, sizeof err), RC_OK);
	assert_int_equal(f1.n, 2);
	assert_int_equal(f2.n, 2);
	assert_int_equal(f2.fields[0].len, file);
	assert_ptr_equal(f2.fields[0].value, body + hl);
	assert_string_equal(f2.fields[1].value, "tok");
	assert_true(p.calls >= 2 && p.rising);
	assert_true(p.last <= hl + file);
	free(body);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, arena_setup, arena_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(urlencoded_decodes_plus_and_percent),
		T(urlencoded_empty_pairs_and_missing_equals),
		T(urlencoded_rejects_bad_text_and_names_the_field),
		T(urlencoded_rejects_nul),
		T(urlencoded_limits),
		T(form_arena_exhaustion_is_out_of_memory),
		T(form_add_copies),
		T(multipart_text_and_file),
		T(multipart_quoted_boundary_and_preamble),
		T(multipart_requires_a_boundary),
		T(multipart_missing_closing_boundary),
		T(multipart_part_without_name),
		T(multipart_binary_file_keeps_nul_bytes),
		T(multipart_text_part_must_be_utf8),
		T(multipart_quoted_semicolon_is_not_a_parameter),
		T(multipart_limits),
		T(cookies_basic_and_spaces),
		T(cookies_quoted_values),
		T(cookies_malformed_pairs_are_skipped),
		T(cookies_empty_header),
		T(cookies_past_the_cap_are_ignored),
		T(multipart_text_part_over_its_cap_is_too_big),
		T(cookies_session_like_in_any_spelling),
		T(ip_parse_and_format),
		T(ip_list_parse),
		T(forwarded_for_only_from_a_trusted_proxy),
		T(multipart_paced_scan_tells_what_is_behind_it),
	};
	return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
