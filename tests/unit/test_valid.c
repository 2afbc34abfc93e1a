/* test_valid.c — unit tests for web/valid: a declared table turns a form, a query or a JSON body into
 * typed values, each error a sentence beginning with the field's label, and the form is shown again
 * with what was typed and the error tied to its field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/time.h"
#include "web/form.h"
#include "web/valid.h"

static int setup(void **state)
{
	static rc_arena a;
	rc_arena_init(&a, 1 << 20);
	*state = &a;
	return 0;
}

static int teardown(void **state)
{
	rc_arena_free(*state);
	return 0;
}

static rc_form form(rc_arena *a, const char *body)
{
	rc_form f;
	char err[128];
	assert_int_equal(rc_form_urlencoded(a, body, strlen(body), &f, err, sizeof err), RC_OK);
	return f;
}

static const rc_vchoice colours[] = {{"red", "Red"}, {"blue", "Blue <dark>"}};

enum { NAME, AGE, DAY, WHEN, COLOUR, MAIL, N };
static const rc_vfield table[N] = {
	[NAME] = {"name", "Your name", RC_V_TEXT, .required = true, .min = 2, .max = 5},
	[AGE] = {"age", "Age", RC_V_INT, .min = 1, .max = 120},
	[DAY] = {"day", "Day", RC_V_DATE, .required = false},
	[WHEN] = {"when", "When", RC_V_DATETIME_LOCAL, .required = false},
	[COLOUR] = {"colour", "Colour", RC_V_ENUM, .choices = colours, .nchoices = 2},
	[MAIL] = {"email", "Email", RC_V_EMAIL, .max = 40},
};

static void a_good_form_gives_typed_values(void **state)
{
	rc_vvalue v[N];
	rc_form f = form(*state, "name=Ren%C3%A9e&age=42&day=2026-12-01&when=2026-12-01T09%3A30&colour=blue"
	                         "&email=+Ana%40Example.ORG+&extra=ignored");
	assert_int_equal(rc_valid_form(*state, &f, table, N, v), 0);
	assert_int_equal(rc_valid_first_error(v, N), -1);
	for (int i = 0; i < N; i++)
		assert_true(v[i].set);
	assert_string_equal(v[NAME].text, "Ren\xC3\xA9" "e"); /* five characters, six bytes */
	assert_int_equal(v[AGE].num, 42);
	assert_int_equal(v[DAY].num, rc_days_from_civil(2026, 12, 1));
	assert_int_equal(v[WHEN].num, 1796146200); /* 09:30 in San Diego is 17:30 UTC in December */
	assert_string_equal(v[COLOUR].text, "blue");
	assert_string_equal(v[MAIL].text, "ana@example.org");
	assert_string_equal(v[MAIL].raw, " Ana@Example.ORG ");
}

static void absent_optional_fields_are_fine_and_required_ones_are_named(void **state)
{
	rc_vvalue v[N];
	rc_form f = form(*state, "age=&colour=");
	assert_int_equal(rc_valid_form(*state, &f, table, N, v), 1);
	assert_int_equal(rc_valid_first_error(v, N), NAME);
	assert_string_equal(v[NAME].error, "Your name must be filled in.");
	assert_null(v[NAME].raw);
	for (int i = AGE; i < N; i++) {
		assert_false(v[i].set);
		assert_null(v[i].error);
	}
	assert_string_equal(v[AGE].raw, "");
}

static void every_type_says_what_it_wants(void **state)
{
	rc_vvalue v[N];
	rc_form f = form(*state, "name=Bartholomew&age=121&day=2026-02-30&when=tomorrow&colour=green&email=not-an-address");
	assert_int_equal(rc_valid_form(*state, &f, table, N, v), N);
	assert_string_equal(v[NAME].error, "Your name must be at most 5 characters long (it has 11).");
	assert_string_equal(v[AGE].error, "Age must be a whole number from 1 to 120.");
	assert_string_equal(v[DAY].error, "Day must be a date written YYYY-MM-DD, for example 2026-12-01.");
	assert_string_equal(v[WHEN].error, "When must be a date and a time, for example 2026-12-01T09:30.");
	assert_string_equal(v[COLOUR].error, "Colour must be one of the listed choices.");
	assert_string_equal(v[MAIL].error, "Email must be an email address, like name@example.org.");
	/* What was typed is kept, to be shown again. */
	assert_string_equal(v[NAME].raw, "Bartholomew");
	assert_string_equal(v[COLOUR].raw, "green");
	for (int i = 0; i < N; i++) {
		assert_false(v[i].set);
		assert_null(v[i].text);
	}
	f = form(*state, "name=A&age=12x&day=2026-1-01");
	rc_valid_form(*state, &f, table, N, v);
	assert_string_equal(v[NAME].error, "Your name must be at least 2 characters long.");
	assert_string_equal(v[AGE].error, "Age must be a whole number.");
	assert_non_null(v[DAY].error);
	f = form(*state, "name=ab%01c&age=-5&age=7");
	rc_valid_form(*state, &f, table, N, v);
	assert_string_equal(v[NAME].error, "Your name must be plain text: it holds a control character.");
	assert_non_null(v[AGE].error); /* the first of a field sent twice counts */
	f = form(*state, "name=a%0Ab&age=99999999999999999999");
	rc_valid_form(*state, &f, table, N, v);
	assert_null(v[NAME].error); /* a line break is text */
	assert_string_equal(v[AGE].error, "Age must be a whole number.");
}

static void a_hint_replaces_the_type_sentence_and_any_range_is_open(void **state)
{
	static const rc_vfield f = {"practitioner", "'practitioner'", RC_V_INT, .required = true,
	                            .hint = "must be a practitioner's id."};
	static const rc_vfield any = {"n", "N", RC_V_INT, .required = false};
	static const rc_vfield t = {"start", "'start'", RC_V_INSTANT, .required = true};
	rc_vvalue v;
	assert_false(rc_valid_one(*state, &f, "one", &v));
	assert_string_equal(v.error, "'practitioner' must be a practitioner's id.");
	assert_false(rc_valid_one(*state, &f, NULL, &v));
	assert_string_equal(v.error, "'practitioner' must be a practitioner's id.");
	assert_true(rc_valid_one(*state, &any, "-9000000000", &v));
	assert_int_equal(v.num, -9000000000LL);
	assert_true(rc_valid_one(*state, &t, "2026-12-01T09:30:00-08:00", &v));
	assert_int_equal(v.num, 1796146200);
	static const rc_vfield whole = {"d", "Day", RC_V_DATE, .hint = "Write the day as YYYY-MM-DD."};
	assert_false(rc_valid_one(*state, &whole, "1 Dec", &v));
	assert_string_equal(v.error, "Write the day as YYYY-MM-DD."); /* a capital: the whole sentence */
	assert_false(rc_valid_one(*state, &t, "2026-12-01T09:30:00", &v));
	assert_string_equal(v.error, "'start' must be a time with its zone, for example 2026-12-01T09:30:00-08:00.");
}

static void a_json_body_checks_types_and_names_strangers(void **state)
{
	static const rc_vfield f[] = {
		{"service", "'service'", RC_V_TEXT, .required = true, .max = 32},
		{"practitioner", "'practitioner'", RC_V_INT, .required = true, .min = 1, .max = 1000},
		{"reason", "'reason'", RC_V_TEXT, .required = false},
	};
	rc_vvalue v[3];
	const char *unknown;
	json_t *j = json_loads("{\"service\": \"acupuncture\", \"practitioner\": 2, \"reason\": null}", 0, NULL);
	assert_int_equal(rc_valid_json(*state, j, f, 3, v, &unknown), 0);
	assert_null(unknown);
	assert_string_equal(v[0].text, "acupuncture");
	assert_int_equal(v[1].num, 2);
	assert_false(v[2].set);
	json_decref(j);
	j = json_loads("{\"service\": 7, \"practitioner\": \"2\", \"colour\": \"red\"}", 0, NULL);
	assert_int_equal(rc_valid_json(*state, j, f, 3, v, &unknown), 2);
	assert_string_equal(v[0].error, "'service' must be a string.");
	assert_string_equal(v[1].error, "'practitioner' must be a whole number.");
	assert_string_equal(unknown, "colour");
	json_decref(j);
	j = json_loads("{\"service\": \"a\\u0000b\", \"practitioner\": 0}", JSON_ALLOW_NUL, NULL);
	assert_int_equal(rc_valid_json(*state, j, f, 3, v, &unknown), 2);
	assert_string_equal(v[0].error, "'service' must be a string.");
	assert_string_equal(v[1].error, "'practitioner' must be a whole number from 1 to 1000.");
	json_decref(j);
}

static void a_use_case_error_lands_on_its_field(void **state)
{
	rc_vvalue v[N];
	rc_form f = form(*state, "name=Ana&email=ana%40example.org");
	assert_int_equal(rc_valid_form(*state, &f, table, N, v), 0);
	assert_true(rc_valid_set_error(table, N, v, "email", "No runner has an account with that email address."));
	assert_false(rc_valid_set_error(table, N, v, "nothing", "x"));
	assert_int_equal(rc_valid_first_error(v, N), MAIL);
	assert_false(v[MAIL].set);
}

static void the_form_comes_back_with_what_was_typed_and_the_error_tied_to_its_field(void **state)
{
	rc_vvalue v[N];
	rc_buf b;
	rc_buf_init(&b, 1 << 16);
	rc_form f = form(*state, "name=%3Cb%3Ehello&colour=blue&age=300");
	rc_valid_form(*state, &f, table, N, v);
	rc_valid_input(&b, &table[NAME], &v[NAME]);
	assert_non_null(strstr(b.data, "<p><label for=\"f-name\">Your name</label>"));
	assert_non_null(strstr(b.data, "<span class=\"field-error\" id=\"e-name\">Your name must be at most 5"));
	assert_non_null(strstr(b.data, "id=\"f-name\" name=\"name\" aria-invalid=\"true\" aria-describedby=\"e-name\" required"));
	assert_non_null(strstr(b.data, "value=\"&lt;b&gt;hello\""));
	assert_non_null(strstr(b.data, "maxlength=\"5\""));
	assert_null(strstr(b.data, "<b>"));
	rc_buf_reset(&b);
	rc_valid_input(&b, &table[COLOUR], &v[COLOUR]);
	assert_non_null(strstr(b.data, "<option value=\"blue\" selected>Blue &lt;dark&gt;</option>"));
	assert_null(strstr(b.data, "aria-invalid"));
	assert_null(strstr(b.data, "(optional)"));
	rc_buf_reset(&b);
	rc_valid_input(&b, &table[AGE], &v[AGE]);
	assert_non_null(strstr(b.data, "Age (optional)</label>"));
	assert_non_null(strstr(b.data, "type=\"number\""));
	assert_non_null(strstr(b.data, "min=\"1\" max=\"120\""));
	assert_non_null(strstr(b.data, "value=\"300\""));
	rc_buf_reset(&b);
	rc_valid_textarea(&b, &table[NAME], &v[NAME], 3);
	assert_non_null(strstr(b.data, "rows=\"3\" maxlength=\"5\">&lt;b&gt;hello</textarea>"));
	rc_buf_reset(&b);
	rc_valid_hidden(&b, &table[COLOUR], &v[COLOUR]);
	assert_string_equal(b.data, "<input type=\"hidden\" name=\"colour\" value=\"blue\">");
	rc_buf_reset(&b);
	rc_valid_control(&b, &table[DAY], NULL);
	assert_int_equal(strncmp(b.data, "<label for=\"f-day\">", 19), 0); /* inline: no paragraph of its own */
	assert_non_null(strstr(b.data, "type=\"date\""));
	assert_null(strstr(b.data, "value="));
	rc_buf_free(&b);
}

int main(void)
{
	if (rc_tz_set("America/Los_Angeles") != RC_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_good_form_gives_typed_values, setup, teardown),
		cmocka_unit_test_setup_teardown(absent_optional_fields_are_fine_and_required_ones_are_named, setup, teardown),
		cmocka_unit_test_setup_teardown(every_type_says_what_it_wants, setup, teardown),
		cmocka_unit_test_setup_teardown(a_hint_replaces_the_type_sentence_and_any_range_is_open, setup, teardown),
		cmocka_unit_test_setup_teardown(a_json_body_checks_types_and_names_strangers, setup, teardown),
		cmocka_unit_test_setup_teardown(a_use_case_error_lands_on_its_field, setup, teardown),
		cmocka_unit_test_setup_teardown(the_form_comes_back_with_what_was_typed_and_the_error_tied_to_its_field,
		                                setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
