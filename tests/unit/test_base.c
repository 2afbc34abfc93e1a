/* test_base.c — unit tests for base/: the arena's cap, rc_buf's hard maximum, UTF-8 and %-decoding, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/dl.h"
#include "base/text.h"
#include "base/time.h"
#include "base/err.h"
#include "base/text.h"

/* --- arena -------------------------------------------------------------------------------- */

static void arena_memory_is_zeroed_and_aligned(void **state)
{
	(void)state;
	rc_arena a;
	rc_arena_init(&a, 0);
	for (size_t n = 1; n < 200; n += 7) {
		unsigned char *p = rc_arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xAB, n); /* the next allocation must not see this */
	}
	/* A request larger than a block gets its own, and is still zeroed and aligned. */
	unsigned char *big = rc_arena_alloc(&a, 100 * 1024);
	assert_non_null(big);
	assert_int_equal((uintptr_t)big % _Alignof(max_align_t), 0);
	assert_int_equal(big[0], 0);
	assert_int_equal(big[100 * 1024 - 1], 0);
	/* Small allocations after the big one still come from usable memory. */
	char *after = rc_arena_strdup(&a, "still here");
	assert_string_equal(after, "still here");
	rc_arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	/* A big block handed out from calloc (not cleared by the arena) is zero in every byte, also when
	 * the memory of an earlier one, written all over, has been given back. */
	for (int round = 0; round < 3; round++) {
		size_t n = 512 * 1024 + 3;
		unsigned char *p = rc_arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (size_t i = 0; i < n; i++)
			if (p[i] != 0)
				fail_msg("byte %zu of a big allocation is %d, not 0", i, p[i]);
		memset(p, 0xAB, n);
		unsigned char *small = rc_arena_alloc(&a, 24);
		assert_non_null(small);
		assert_int_equal(small[23], 0);
		rc_arena_free(&a);
	}
}

static void arena_enforces_its_limit(void **state)
{
	(void)state;
	rc_arena a;
	rc_arena_init(&a, 1000);
	assert_non_null(rc_arena_alloc(&a, 500));
	assert_true(a.used >= 500 && a.used <= 1000);
	size_t before = a.used;
	/* 600 more would pass the cap: refused, and nothing is counted. */
	assert_null(rc_arena_alloc(&a, 600));
	assert_int_equal(a.used, before);
	/* What still fits is handed out. */
	assert_non_null(rc_arena_alloc(&a, 400));
	assert_null(rc_arena_alloc(&a, 200));
	/* Absurd sizes are refused rather than wrapped around. */
	assert_null(rc_arena_alloc(&a, SIZE_MAX));
	rc_arena_free(&a);

	/* A freed arena can be used again, and the cap still holds. */
	assert_int_equal(a.used, 0);
	assert_non_null(rc_arena_alloc(&a, 900));
	assert_null(rc_arena_alloc(&a, 200));
	rc_arena_free(&a);

	rc_arena_init(&a, 0);
	assert_null(rc_arena_alloc(&a, SIZE_MAX / 2 + 1));
	rc_arena_free(&a);
}

static void arena_strndup_and_printf(void **state)
{
	(void)state;
	rc_arena a;
	rc_arena_init(&a, 0);
	char *s = rc_arena_strndup(&a, "hello world", 5);
	assert_string_equal(s, "hello");
	/* strndup copies exactly n bytes, NUL bytes included, and terminates. */
	char *z = rc_arena_strndup(&a, "a\0b", 3);
	assert_memory_equal(z, "a\0b\0", 4);
	assert_string_equal(rc_arena_strdup(&a, ""), "");
	char *p = rc_arena_printf(&a, "%s-%d-%05.1f", "run", 42, 3.14159);
	assert_string_equal(p, "run-42-003.1");
	/* Longer than any internal small buffer. */
	char *long_s = rc_arena_printf(&a, "%0600d", 7);
	assert_int_equal(strlen(long_s), 600);
	assert_int_equal(long_s[599], '7');
	assert_int_equal(long_s[0], '0');
	rc_arena_free(&a);

	/* printf under a cap that cannot hold the result gives NULL. */
	rc_arena_init(&a, 32);
	assert_null(rc_arena_printf(&a, "%0100d", 1));
	assert_non_null(rc_arena_printf(&a, "%d", 1));
	rc_arena_free(&a);
}

/* --- buf ---------------------------------------------------------------------------------- */

static void buf_grows_and_stays_terminated(void **state)
{
	(void)state;
	rc_buf b;
	rc_buf_init(&b, 1 << 20);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(rc_buf_putc(&b, (char)('a' + i % 26)), RC_OK);
	assert_int_equal(b.len, 1000);
	assert_true(b.cap > 1000);
	assert_int_equal(b.data[1000], '\0');
	assert_int_equal(b.data[26], 'a');
	assert_int_equal(rc_buf_lit(&b, "|lit"), RC_OK);
	assert_int_equal(rc_buf_printf(&b, "|%d|%s", 7, "x"), RC_OK);
	assert_string_equal(b.data + 1000, "|lit|7|x");
	/* A printf longer than the small stack buffer takes the second path. */
	rc_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(rc_buf_printf(&b, "%0700d", 5), RC_OK);
	assert_int_equal(b.len, 700);
	assert_int_equal(strlen(b.data), 700);
	assert_int_equal(b.data[699], '5');
	assert_false(b.failed);
	rc_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.max, 1 << 20); /* free keeps the maximum */
}

static void buf_hard_max_is_sticky(void **state)
{
	(void)state;
	rc_buf b;
	rc_buf_init(&b, 10);
	assert_int_equal(rc_buf_puts(&b, "0123456789"), RC_OK); /* exactly the maximum */
	assert_int_equal(b.len, 10);
	assert_false(b.failed);
	assert_int_equal(rc_buf_putc(&b, 'x'), RC_ETOOBIG);
	assert_true(b.failed);
	/* The buffer keeps what it had. */
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "0123456789");
	/* Once failed, even an empty append reports the failure. */
	assert_int_equal(rc_buf_put(&b, "", 0), RC_ETOOBIG);
	assert_int_equal(rc_buf_printf(&b, "%s", ""), RC_ETOOBIG);
	/* Reset clears the failure. */
	rc_buf_reset(&b);
	assert_false(b.failed);
	assert_int_equal(rc_buf_puts(&b, "abc"), RC_OK);
	rc_buf_free(&b);

	/* A failed buffer that still has room (in memory and under its maximum) takes nothing more. */
	rc_buf_init(&b, 100);
	assert_int_equal(rc_buf_puts(&b, "0123456789"), RC_OK);
	char many[200];
	memset(many, 'x', sizeof many);
	assert_int_equal(rc_buf_put(&b, many, sizeof many), RC_ETOOBIG);
	assert_true(b.failed && b.cap - b.len > 1);
	assert_int_equal(rc_buf_putc(&b, 'y'), RC_ETOOBIG);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "0123456789");
	rc_buf_free(&b);

	/* A single append larger than the maximum fails without writing anything. */
	rc_buf_init(&b, 4);
	assert_int_equal(rc_buf_puts(&b, "hello"), RC_ETOOBIG);
	assert_true(b.failed);
	assert_int_equal(b.len, 0);
	rc_buf_free(&b);

	/* The long printf path respects the maximum too. */
	rc_buf_init(&b, 300);
	assert_int_equal(rc_buf_printf(&b, "%0400d", 1), RC_ETOOBIG);
	assert_true(b.failed);
	assert_int_equal(b.len, 0);
	rc_buf_free(&b);
}

static void buf_take_hands_over(void **state)
{
	(void)state;
	rc_buf b;
	rc_buf_init(&b, 100);
	assert_int_equal(rc_buf_puts(&b, "payload"), RC_OK);
	size_t len = 0;
	char *p = rc_buf_take(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 7);
	assert_string_equal(p, "payload");
	/* The buffer is empty and reusable, with the same maximum. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 100);
	free(p);

	/* Taking an empty buffer gives an empty string the caller frees. */
	len = 99;
	p = rc_buf_take(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	assert_string_equal(p, "");
	free(p);

	/* Taking after a reset gives "" too, not the old bytes. */
	assert_int_equal(rc_buf_puts(&b, "old"), RC_OK);
	rc_buf_reset(&b);
	p = rc_buf_take(&b, &len);
	assert_int_equal(len, 0);
	assert_string_equal(p, "");
	free(p);
	rc_buf_free(&b);
}

/* --- text --------------------------------------------------------------------------------- */

static bool valid(const char *s)
{
	return rc_utf8_valid(s, strlen(s));
}

static void utf8_accepts_well_formed(void **state)
{
	(void)state;
	assert_true(rc_utf8_valid("", 0));
	assert_true(valid("plain ASCII"));
	assert_true(valid("caf\xC3\xA9"));           /* é, 2 bytes */
	assert_true(valid("\xE2\x82\xAC"));          /* €, 3 bytes */
	assert_true(valid("\xED\x9F\xBF"));          /* U+D7FF, just below the surrogates */
	assert_true(valid("\xEE\x80\x80"));          /* U+E000, just above them */
	assert_true(valid("\xF0\x9F\x8F\x83"));      /* 🏃, 4 bytes */
	assert_true(valid("\xF4\x8F\xBF\xBF"));      /* U+10FFFF, the last code point */
	assert_true(rc_utf8_valid("a\0b", 3));       /* NUL is a valid code point */
}

static void utf8_rejects_malformed(void **state)
{
	(void)state;
	assert_false(valid("\xC0\xAF"));             /* overlong '/' */
	assert_false(valid("\xC1\xBF"));             /* overlong */
	assert_false(valid("\xE0\x80\xAF"));         /* overlong 3-byte '/' */
	assert_false(valid("\xE0\x9F\xBF"));         /* overlong 3-byte */
	assert_false(valid("\xF0\x80\x80\xAF"));     /* overlong 4-byte */
	assert_false(valid("\xF0\x8F\xBF\xBF"));     /* overlong 4-byte */
	assert_false(valid("\xED\xA0\x80"));         /* U+D800, a surrogate */
	assert_false(valid("\xED\xBF\xBF"));         /* U+DFFF */
	assert_false(valid("\xF4\x90\x80\x80"));     /* U+110000 */
	assert_false(valid("\xF5\x80\x80\x80"));     /* no such lead byte */
	assert_false(valid("\xFF"));
	assert_false(valid("\x80"));                 /* a lone continuation byte */
	assert_false(valid("ab\xC3"));               /* truncated 2-byte */
	assert_false(valid("\xE2\x82"));             /* truncated 3-byte */
	assert_false(valid("\xF0\x9F\x8F"));         /* truncated 4-byte */
	assert_false(valid("\xE2\x28\xA1"));         /* bad continuation */
	assert_false(valid("\xF0\x9F\x8F\x41"));     /* bad last continuation */
	/* The length is honoured: the same bytes cut short are truncated. */
	assert_false(rc_utf8_valid("\xF0\x9F\x8F\x83", 3));
	assert_true(rc_utf8_valid("\xF0\x9F\x8F\x83", 4));
}

/* Decodes a copy of s; the copy has room for the terminator. */
static size_t decode(const char *s, bool plus, char *out, size_t outlen)
{
	size_t n = strlen(s);
	assert_true(n < outlen);
	memcpy(out, s, n + 1);
	return rc_percent_decode(out, n, plus);
}

static void percent_decode_good_and_broken(void **state)
{
	(void)state;
	char b[64];
	assert_int_equal(decode("a%20b%2Fc%2f", false, b, sizeof b), 6);
	assert_string_equal(b, "a b/c/");
	assert_int_equal(decode("two+words", true, b, sizeof b), 9);
	assert_string_equal(b, "two words");
	assert_int_equal(decode("two+words", false, b, sizeof b), 9);
	assert_string_equal(b, "two+words");
	assert_int_equal(decode("%2B", true, b, sizeof b), 1); /* an escaped '+' stays a '+' */
	assert_string_equal(b, "+");
	assert_int_equal(decode("caf%C3%A9", true, b, sizeof b), 5);
	assert_string_equal(b, "caf\xC3\xA9");
	assert_int_equal(decode("x%00y", true, b, sizeof b), 3);
	assert_memory_equal(b, "x\0y", 3);
	assert_int_equal(decode("", true, b, sizeof b), 0);
	assert_string_equal(b, "");

	assert_int_equal(decode("%", true, b, sizeof b), (size_t)-1);
	assert_int_equal(decode("abc%4", true, b, sizeof b), (size_t)-1);
	assert_int_equal(decode("%zz", true, b, sizeof b), (size_t)-1);
	assert_int_equal(decode("%g0", true, b, sizeof b), (size_t)-1);
	assert_int_equal(decode("%0g", true, b, sizeof b), (size_t)-1);
	/* Only n bytes are looked at: an escape cut by n is broken even if the bytes follow. */
	memcpy(b, "%41%42", 7);
	assert_int_equal(rc_percent_decode(b, 5, false), (size_t)-1);
}

static void str_eq_and_helpers(void **state)
{
	(void)state;
	assert_true(rc_str_eq("", ""));
	assert_true(rc_str_eq("secret-token", "secret-token"));
	assert_false(rc_str_eq("secret-token", "secret-tokeN"));
	assert_false(rc_str_eq("secret", "secret-token")); /* a prefix is not equal */
	assert_false(rc_str_eq("secret-token", "secret"));
	assert_false(rc_str_eq("", "a"));
	assert_true(rc_has_prefix("sqlite:x.db", "sqlite:"));
	assert_false(rc_has_prefix("sqlit", "sqlite:"));
	assert_true(rc_ascii_ieq("Content-Type", "content-type", 12));
	assert_false(rc_ascii_ieq("Content-Typf", "content-type", 12));
}

/* --- err ---------------------------------------------------------------------------------- */

static void err_messages_and_errf(void **state)
{
	(void)state;
	assert_string_equal(rc_err_str(RC_OK), "ok");
	assert_string_equal(rc_err_str(RC_ETOOBIG), "too large");
	assert_string_equal(rc_err_str(RC_EUNSUPPORTED), "not supported");
	assert_string_equal(rc_err_str((rc_err)9999), "unknown error");
	assert_string_equal(rc_err_str((rc_err)-1), "unknown error");

	char buf[64];
	assert_int_equal(rc_errf(buf, sizeof buf, RC_EINVAL, "line %d: '%s' must be between 1 and 100", 12, "reps"),
	                 RC_EINVAL);
	assert_string_equal(buf, "line 12: 'reps' must be between 1 and 100");
	/* A small buffer is cut and still terminated. */
	char tiny[8];
	memset(tiny, 'X', sizeof tiny);
	assert_int_equal(rc_errf(tiny, sizeof tiny, RC_EIO, "%s", "a long message"), RC_EIO);
	assert_string_equal(tiny, "a long ");
	/* Cut in the middle of a character, a message ends before it: it may quote what someone typed and
	 * go out as JSON, which must be UTF-8 (the HTTP fuzzer found a self-check answer that broke it). */
	char cut[5];
	assert_int_equal(rc_errf(cut, sizeof cut, RC_EINVAL, "'%s'", "\xC3\xA9\xC3\xA9"), RC_EINVAL);
	assert_string_equal(cut, "'\xC3\xA9");
	char four[5];
	assert_int_equal(rc_errf(four, sizeof four, RC_EINVAL, "%s", "\xF0\x9F\x8F\x83!"), RC_EINVAL);
	assert_string_equal(four, "\xF0\x9F\x8F\x83");
	/* No buffer: the code is still returned. */
	assert_int_equal(rc_errf(NULL, 0, RC_EDB, "ignored %d", 1), RC_EDB);
}

/* The test clock: an instant, optionally anchored to a real second, after which time runs on. */
static void clock_override_and_clinic_days(void **state)
{
	(void)state;
	char err[256];
	setenv("RUNCARE_CLOCK", "2026-12-31T23:50:00-08:00@1000", 1);
	assert_int_equal(rc_clock_init(err, sizeof err), RC_OK);
	assert_true(rc_clock_overridden());
	int64_t want;
	assert_true(rc_time_parse_rfc3339("2026-12-31T23:50:00-08:00", &want));
	int64_t real = (int64_t)time(NULL);
	assert_true(rc_time_now() - want - (real - 1000) <= 1 && rc_time_now() - want - (real - 1000) >= -1);
	setenv("RUNCARE_CLOCK", "2026-12-31T23:50:00-08:00", 1); /* anchored at the call */
	assert_int_equal(rc_clock_init(err, sizeof err), RC_OK);
	assert_true(rc_time_now() - want <= 1 && rc_time_now() - want >= 0);
	const char *bads[] = {"2026-12-31T23:50:00", "yesterday", "2026-12-31T23:50:00Z@x", "2026-12-31T23:50:00Z@"};
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		setenv("RUNCARE_CLOCK", bads[i], 1);
		assert_int_equal(rc_clock_init(err, sizeof err), RC_EINVAL);
		assert_non_null(strstr(err, "RUNCARE_CLOCK"));
	}
	unsetenv("RUNCARE_CLOCK");

	/* New Year's Eve in San Diego is already 1 January in UTC: the clinic's date is still 31 December. */
	assert_int_equal(rc_tz_set("America/Los_Angeles"), RC_OK);
	char d[11];
	rc_tz_date(want, d);
	assert_string_equal(d, "2026-12-31");
	assert_int_equal(rc_tz_day_number(want), rc_days_from_civil(2026, 12, 31));
	rc_day_name(rc_tz_day_number(want) + 1, d);
	assert_string_equal(d, "2027-01-01");
	/* The day the clocks go forward has 23 hours. */
	int64_t day = rc_days_from_civil(2027, 3, 14);
	assert_int_equal(rc_tz_day_number_start(day + 1) - rc_tz_day_number_start(day), 23 * 3600);
	char f[40];
	rc_tz_format(want, "%H:%M", f, sizeof f);
	assert_string_equal(f, "23:50");
}

/* Text from files and forms: cut on character boundaries, invalid bytes replaced, one line only. */
static void text_clean_cut_and_lines(void **state)
{
	(void)state;
	char out[8];
	/* "ééééé" is 10 bytes: 7 bytes of room hold three whole characters, never half of the fourth. */
	assert_int_equal(rc_text_clean(out, sizeof out, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 10), 6);
	assert_true(rc_utf8_valid(out, strlen(out)));
	char big[32];
	rc_text_clean(big, sizeof big, "a\xFF" "b\r\nc", 6);
	assert_string_equal(big, "a\xEF\xBF\xBD" "b  c");
	rc_text_clean(big, sizeof big, "cut\xC3", 4); /* a character cut in the source */
	assert_true(rc_utf8_valid(big, strlen(big)));
	assert_int_equal(rc_utf8_prefix("\xC3\xA9\xC3\xA9", 4, 3), 2);
	assert_int_equal(rc_utf8_prefix("abcd", 4, 3), 3);
	assert_int_equal(rc_utf8_prefix("ab", 2, 3), 2);
	assert_int_equal(rc_utf8_whole("a\xC3\xA9", 3), 3);
	assert_int_equal(rc_utf8_whole("a\xC3", 2), 1);
	assert_int_equal(rc_utf8_whole("a\xE2\x82", 3), 1);
	assert_int_equal(rc_utf8_whole("\xF0\x9F\x8F", 3), 0);
	assert_int_equal(rc_utf8_whole("\xF0\x9F\x8F\x83", 4), 4);
	assert_int_equal(rc_utf8_whole("abc", 3), 3);
	assert_int_equal(rc_utf8_whole("", 0), 0);
	assert_true(rc_text_is_line("Zo\xC3\xAB O'Brien", 120));
	assert_false(rc_text_is_line("Eve\r\nBcc: x", 120));
	assert_false(rc_text_is_line("tab\there", 120));
	assert_false(rc_text_is_line("C1 \xC2\x85", 120));
	assert_false(rc_text_is_line("bad \xFF", 120));
	assert_false(rc_text_is_line("toolong", 3));
}

/* --- a library opened when first needed (base/dl.h) ---------------------------------------- */

typedef double cos_fn(double);
static cos_fn *my_cos;
static const rc_dl_sym libm_syms[] = {{"cos", (void **)&my_cos}};

static void dl_loads_once_and_names_what_is_missing(void **state)
{
	(void)state;
	char err[400];
	rc_dl_lib m = RC_DL_LIB("libm.so.6", "cosines", "libc6", libm_syms);
	assert_int_equal(rc_dl_load(&m, err, sizeof err), RC_OK);
	assert_non_null(my_cos);
	assert_true(my_cos(0.0) == 1.0);
	assert_int_equal(rc_dl_load(&m, err, sizeof err), RC_OK); /* again: already loaded */

	/* A library that is not there: which, for what, and the package, in words. */
	static void *slot;
	static const rc_dl_sym none_syms[] = {{"nothing", &slot}};
	rc_dl_lib none = RC_DL_LIB("libruncare-absent.so.9", "sending mail", "libruncare-absent9", none_syms);
	assert_int_equal(rc_dl_load(&none, err, sizeof err), RC_EIO);
	assert_non_null(strstr(err, "runcare needs libruncare-absent.so.9 for sending mail, and it could not be loaded"));
	assert_non_null(strstr(err, "Debian's package libruncare-absent9"));
	assert_false(atomic_load(&none.loaded));

	/* A library that lacks a function the caller needs. */
	static void *nothing;
	static const rc_dl_sym odd_syms[] = {{"cos", &nothing}, {"rc_no_such_function", &nothing}};
	rc_dl_lib odd = RC_DL_LIB("libm.so.6", "cosines", "libc6", odd_syms);
	assert_int_equal(rc_dl_load(&odd, err, sizeof err), RC_EIO);
	assert_non_null(strstr(err, "lacks rc_no_such_function"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_memory_is_zeroed_and_aligned),
		cmocka_unit_test(dl_loads_once_and_names_what_is_missing),
		cmocka_unit_test(arena_enforces_its_limit),
		cmocka_unit_test(arena_strndup_and_printf),
		cmocka_unit_test(buf_grows_and_stays_terminated),
		cmocka_unit_test(buf_hard_max_is_sticky),
		cmocka_unit_test(buf_take_hands_over),
		cmocka_unit_test(utf8_accepts_well_formed),
		cmocka_unit_test(utf8_rejects_malformed),
		cmocka_unit_test(percent_decode_good_and_broken),
		cmocka_unit_test(str_eq_and_helpers),
		cmocka_unit_test(err_messages_and_errf),
		cmocka_unit_test(clock_override_and_clinic_days),
		cmocka_unit_test(text_clean_cut_and_lines),
	};
	return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
