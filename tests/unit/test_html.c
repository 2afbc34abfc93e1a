/* test_html.c — unit tests for web/html: text escaping, URL arguments and escaped printf. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "web/html.h"

static int buf_setup(void **state)
{
	static rc_buf b;
	rc_buf_init(&b, 1 << 16);
	*state = &b;
	return 0;
}

static int buf_teardown(void **state)
{
	rc_buf_free(*state);
	return 0;
}

/* The buffer's text so far; "" before the first write. */
static const char *out(rc_buf *b)
{
	return b->data ? b->data : "";
}

static void text_escapes_the_five(void **state)
{
	rc_buf *b = *state;
	rc_html_text(b, "a&b<c>d\"e'f");
	assert_string_equal(out(b), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	rc_buf_reset(b);
	rc_html_text(b, "<script>alert('x')</script>");
	assert_string_equal(out(b), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	rc_buf_reset(b);
	/* Already-escaped text is escaped again: the emitter never guesses. */
	rc_html_text(b, "&amp;");
	assert_string_equal(out(b), "&amp;amp;");
	rc_buf_reset(b);
	/* Everything else, UTF-8 included, is copied as is. */
	rc_html_text(b, "Caf\xC3\xA9 / 100% = ok; \\ `x`");
	assert_string_equal(out(b), "Caf\xC3\xA9 / 100% = ok; \\ `x`");
	rc_buf_reset(b);
	rc_html_text(b, NULL);
	rc_html_text(b, "");
	assert_int_equal(b->len, 0);
	/* Only n bytes are read. */
	rc_html_textn(b, "<a>&<b>", 3);
	assert_string_equal(out(b), "&lt;a&gt;");
}

/* Text is scanned eight bytes at a time: each of the five, at every place in and across those steps,
 * among plain bytes and bytes of every value (the high ones, and those next to the five), is escaped as
 * one byte at a time would. */
static void text_escapes_the_five_wherever_they_are(void **state)
{
	rc_buf *b = *state;
	static const char five[] = "&<>\"'";
	static const char fill[] = {'a', (char)0x80, (char)0xFF, (char)0x25, (char)0x27 ^ 1, (char)0x3D, 0x3F, 0x21, 0x01};
	char in[40], want[40 * 6 + 1];
	for (size_t f = 0; f < sizeof fill; f++)
		for (size_t len = 1; len <= sizeof in; len++)
			for (size_t at = 0; at < len; at++)
				for (size_t k = 0; k < 5; k++) {
					memset(in, fill[f], len);
					in[at] = five[k];
					if (at + 3 < len)
						in[at + 3] = five[(k + 1) % 5];
					size_t w = 0;
					for (size_t i = 0; i < len; i++) {
						const char *rep = in[i] == '&' ? "&amp;" : in[i] == '<' ? "&lt;" : in[i] == '>' ? "&gt;"
						                : in[i] == '"' ? "&quot;" : in[i] == '\'' ? "&#39;" : NULL;
						if (rep) {
							memcpy(want + w, rep, strlen(rep));
							w += strlen(rep);
						} else {
							want[w++] = in[i];
						}
					}
					want[w] = '\0';
					rc_buf_reset(b);
					rc_html_textn(b, in, len);
					if (b->len != w || memcmp(out(b), want, w) != 0)
						fail_msg("fill %zu, %zu bytes, '%c' at %zu: \"%s\" instead of \"%s\"", f, len, five[k], at,
						         out(b), want);
				}
}

static void text_appends(void **state)
{
	rc_buf *b = *state;
	rc_html_lit(b, "<p title=\"");
	rc_html_text(b, "\"><img src=x onerror=alert(1)>");
	rc_html_lit(b, "\">");
	assert_string_equal(out(b), "<p title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">");
}

static void url_arg_percent_encodes(void **state)
{
	rc_buf *b = *state;
	rc_html_url_arg(b, "AZaz09-_.~");
	assert_string_equal(out(b), "AZaz09-_.~");
	rc_buf_reset(b);
	rc_html_url_arg(b, "a b/c?d=e&f#g%h+i");
	assert_string_equal(out(b), "a%20b%2Fc%3Fd%3De%26f%23g%25h%2Bi");
	rc_buf_reset(b);
	rc_html_url_arg(b, "<\"'>:;@!$,()*[]");
	assert_string_equal(out(b), "%3C%22%27%3E%3A%3B%40%21%24%2C%28%29%2A%5B%5D");
	rc_buf_reset(b);
	/* Non-ASCII bytes, each one, upper-case hex. */
	rc_html_url_arg(b, "caf\xC3\xA9 \xF0\x9F\x8F\x83");
	assert_string_equal(out(b), "caf%C3%A9%20%F0%9F%8F%83");
	rc_buf_reset(b);
	rc_html_url_arg(b, "\x01\x7F\xFF");
	assert_string_equal(out(b), "%01%7F%FF");
	rc_buf_reset(b);
	rc_html_url_arg(b, "");
	assert_int_equal(b->len, 0);
}

static void printf_escapes_the_result(void **state)
{
	rc_buf *b = *state;
	rc_html_printf(b, "%d runs & %s", 3, "<b>\"fast\"</b>");
	assert_string_equal(out(b), "3 runs &amp; &lt;b&gt;&quot;fast&quot;&lt;/b&gt;");
	rc_buf_reset(b);
	/* The format string itself goes through the escaper too. */
	rc_html_printf(b, "<i>%s</i>", "x");
	assert_string_equal(out(b), "&lt;i&gt;x&lt;/i&gt;");
	rc_buf_reset(b);
	/* Output longer than the small stack buffer takes the heap path, still escaped. */
	char big[2000];
	memset(big, '<', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	rc_html_printf(b, "[%s]", big);
	assert_int_equal(b->len, 2 + 4 * (sizeof big - 1));
	assert_int_equal(b->data[0], '[');
	assert_memory_equal(b->data + 1, "&lt;&lt;", 8);
	assert_memory_equal(b->data + b->len - 5, "&lt;]", 5);
	assert_false(b->failed);
}

static void escaping_respects_the_buffer_cap(void **state)
{
	(void)state;
	rc_buf small;
	rc_buf_init(&small, 8);
	/* "&amp;&amp;" is 10 bytes: it cannot fit, the buffer fails and says so. */
	rc_html_text(&small, "&&");
	assert_true(small.failed);
	assert_true(small.len <= 8);
	rc_buf_free(&small);

	rc_buf_init(&small, 8);
	rc_html_url_arg(&small, "\xFF\xFF\xFF");
	assert_true(small.failed);
	assert_true(small.len <= 8);
	rc_buf_free(&small);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, buf_setup, buf_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(text_escapes_the_five),
		T(text_escapes_the_five_wherever_they_are),
		T(text_appends),
		T(url_arg_percent_encodes),
		T(printf_escapes_the_result),
		cmocka_unit_test(escaping_respects_the_buffer_cap),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
