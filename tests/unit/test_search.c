/* test_search.c — patient search's rules: what is read from what the front desk types, what matches,
 * and that the keys a term looks up always find the patients it matches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/search.h"

enum { YEAR = 2026 };

static int score(const char *typed, const char *name, const char *email, const char *digits, const char *dob)
{
	rc_search_query q;
	rc_search_parse(typed, YEAR, &q);
	rc_search_patient p = {name, email, digits, dob};
	return rc_search_score(&q, &p);
}

static const rc_search_patient rosa = {"Rosa María Núñez-O'Brien", "rosa.runner@example.org", "16195550173",
                                       "1991-04-17"};

static int rosa_score(const char *typed)
{
	rc_search_query q;
	rc_search_parse(typed, YEAR, &q);
	return rc_search_score(&q, &rosa);
}

static void words_are_prefixes_of_folded_names(void **state)
{
	(void)state;
	/* Case, accents, hyphens and apostrophes do not matter; every word must match. */
	assert_int_equal(rosa_score("rosa"), 3);
	assert_int_equal(rosa_score("ROS"), 2);
	assert_int_equal(rosa_score("maria"), 3);
	assert_int_equal(rosa_score("nunez"), 3);
	assert_int_equal(rosa_score("Núñez-O'Brien"), 3);
	assert_int_equal(rosa_score("obrien"), 3);
	assert_int_equal(rosa_score("o'brien"), 3);
	assert_int_equal(rosa_score("brien"), 3);
	assert_int_equal(rosa_score("rosa nunez"), 6);
	assert_int_equal(rosa_score("Nunez, Rosa"), 6);
	assert_int_equal(rosa_score("rosa smith"), 0);
	/* The email's words too, not its domain. */
	assert_int_equal(rosa_score("runner"), 3);
	assert_int_equal(rosa_score("rosarunner"), 3);
	assert_int_equal(rosa_score("example"), 0);
	assert_int_equal(rosa_score("zz"), 0);
}

static void one_edit_is_allowed_from_four_letters(void **state)
{
	(void)state;
	/* A letter wrong, missing, extra, or two swapped, anywhere in a word of 4 or more letters. */
	assert_int_equal(rosa_score("rsoa"), 1);
	assert_int_equal(rosa_score("roza"), 1);
	assert_int_equal(rosa_score("rosaa"), 1);
	assert_int_equal(rosa_score("nunes"), 1);
	assert_int_equal(rosa_score("nnez"), 1);
	assert_int_equal(rosa_score("xosa"), 1);
	/* ... also at the start of a longer word: "brein" is one swap from "brien". */
	assert_int_equal(rosa_score("brei"), 1);
	assert_int_equal(score("jonh", "John Smith", NULL, NULL, NULL), 1);
	assert_int_equal(score("smiht", "John Smithson", NULL, NULL, NULL), 1);
	assert_int_equal(score("smyth", "John Smith", NULL, NULL, NULL), 1);
	/* Two edits, or a short word, or a word with digits: no. */
	assert_int_equal(rosa_score("rzza"), 0);
	assert_int_equal(rosa_score("rxs"), 0);
	assert_int_equal(score("bulk00041", NULL, "bulk00042@example.org", NULL, NULL), 0);
	assert_int_equal(score("bulk00042", NULL, "bulk00042@example.org", NULL, NULL), 3);
	assert_int_equal(score("smtih", "Sam Ith", NULL, NULL, NULL), 0);
}

static void phones_in_any_format(void **state)
{
	(void)state;
	assert_int_equal(rosa_score("(619) 555-0173"), 2); /* the country code was not typed */
	assert_int_equal(rosa_score("+1 619 555 0173"), 3);
	assert_int_equal(rosa_score("619.555.0173"), 2);
	assert_int_equal(rosa_score("0173"), 2);
	assert_int_equal(rosa_score("555-0173"), 2);
	assert_int_equal(rosa_score("1619"), 2);
	assert_int_equal(rosa_score("0174"), 0);
	assert_int_equal(rosa_score("5550"), 0); /* neither the start nor the end */
	/* A number stored without the country code is found when it is typed with one. */
	assert_int_equal(score("+1 (619) 555-0173", "A B", NULL, "6195550173", NULL), 2);
	assert_int_equal(score("rosa 0173", rosa.name, NULL, "16195550173", NULL), 5);
	rc_search_query q;
	assert_int_equal(rc_search_parse("(619) 555-0173", YEAR, &q), 1);
	assert_int_equal(q.t[0].kind, RC_TERM_PHONE);
	assert_string_equal(q.t[0].text, "6195550173");
}

static void dates_as_people_write_them(void **state)
{
	(void)state;
	char d[11], alt[11];
	struct {
		const char *typed, *date, *alt;
	} ok[] = {
		{"1985-03-14", "1985-03-14", ""}, {"1985/3/14", "1985-03-14", ""}, {"3/14/1985", "1985-03-14", ""},
		{"03-14-1985", "1985-03-14", ""}, {"14.3.1985", "1985-03-14", ""},  {"3/14/85", "1985-03-14", ""},
		{"3/4/1985", "1985-03-04", "1985-04-03"}, {"Mar 14 1985", "1985-03-14", ""},
		{"March 14, 1985", "1985-03-14", ""}, {"14 march 1985", "1985-03-14", ""}, {"sept. 1 2001", "2001-09-01", ""},
		{"2/29/2000", "2000-02-29", ""}, {"1/2/24", "2024-01-02", "2024-02-01"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_true(rc_search_date(ok[i].typed, YEAR, d, alt));
		assert_string_equal(d, ok[i].date);
		assert_string_equal(alt, ok[i].alt);
	}
	const char *bad[] = {"2/29/2001", "13/13/1985", "1985-13-01", "3/14", "1899-12-31", "2030-01-01", "Marc 14 1985",
	                     "3/14-1985", "31/4/1985", "12345", "", "14 1985 March", "Ma 14 1985"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(rc_search_date(bad[i], YEAR, d, alt));
	assert_int_equal(rosa_score("4/17/1991"), 3);
	assert_int_equal(rosa_score("17.4.91"), 3);
	assert_int_equal(rosa_score("Apr 17, 1991"), 3);
	assert_int_equal(rosa_score("rosa 1991-04-17"), 6);
	assert_int_equal(rosa_score("1991-04-18"), 0);
	assert_int_equal(score("4/3/1991", "A", NULL, NULL, "1991-03-04"), 3);
}

static void emails_from_their_start(void **state)
{
	(void)state;
	assert_int_equal(rosa_score("ROSA.RUNNER@example.org"), 3);
	assert_int_equal(rosa_score("rosa.runner@ex"), 2);
	assert_int_equal(rosa_score("rosa.runner@other"), 0);
	assert_int_equal(score("x@example.org", "X", NULL, NULL, NULL), 0);
	rc_search_query q;
	rc_search_parse("100%_", YEAR, &q);
	assert_int_equal(q.n, 1);
	assert_int_equal(q.t[0].kind, RC_TERM_WORD);
	assert_int_equal(rc_search_parse("%% -- ..", YEAR, &q), 0);
}

/* Random words and typed variants one edit away (or not): whenever a patient matches, the keys of the
 * term meet the patient's keys, so the database's candidates never miss one. */
static void keys_find_every_match(void **state)
{
	(void)state;
	srand(1234);
	const char alphabet[] = "abcdef";
	char keys[RC_SEARCH_PATIENT_KEYS_MAX][RC_SEARCH_KEY_MAX + 1], tkeys[RC_SEARCH_TERM_KEYS_MAX][RC_SEARCH_KEY_MAX + 1];
	int matched = 0;
	for (int round = 0; round < 20000; round++) {
		char name[64] = "", typed[64] = "";
		int len = 3 + rand() % 6;
		for (int i = 0; i < len; i++)
			name[i] = alphabet[rand() % 6];
		name[len] = '\0';
		/* Typed: a prefix of the name with up to one edit. */
		int plen = 1 + rand() % len;
		memcpy(typed, name, (size_t)plen);
		typed[plen] = '\0';
		int edit = rand() % 5, at = rand() % plen;
		char t2[64];
		if (edit == 1) { /* replace */
			typed[at] = alphabet[rand() % 6];
		} else if (edit == 2) { /* delete */
			memmove(typed + at, typed + at + 1, strlen(typed + at));
		} else if (edit == 3) { /* insert */
			snprintf(t2, sizeof t2, "%.*s%c%s", at, typed, alphabet[rand() % 6], typed + at);
			snprintf(typed, sizeof typed, "%s", t2);
		} else if (edit == 4 && at + 1 < plen) { /* swap */
			char c = typed[at];
			typed[at] = typed[at + 1];
			typed[at + 1] = c;
		}
		if (!typed[0])
			continue;
		rc_search_query q;
		if (rc_search_parse(typed, YEAR, &q) != 1)
			continue;
		rc_search_patient p = {name, NULL, NULL, NULL};
		if (!rc_search_score(&q, &p))
			continue;
		matched++;
		size_t nk = rc_search_patient_keys(&p, keys, RC_SEARCH_PATIENT_KEYS_MAX);
		size_t nt = rc_search_term_keys(&q.t[0], tkeys, RC_SEARCH_TERM_KEYS_MAX);
		bool met = false;
		for (size_t i = 0; i < nt && !met; i++)
			for (size_t j = 0; j < nk && !met; j++)
				met = strcmp(tkeys[i], keys[j]) == 0;
		if (!met)
			fail_msg("'%s' matches '%s' but shares no key with it", typed, name);
	}
	assert_true(matched > 5000);
}

static void phone_and_date_keys_find_their_matches(void **state)
{
	(void)state;
	char keys[RC_SEARCH_PATIENT_KEYS_MAX][RC_SEARCH_KEY_MAX + 1], tkeys[RC_SEARCH_TERM_KEYS_MAX][RC_SEARCH_KEY_MAX + 1];
	const char *typed[] = {"0173", "555 0173", "16195550173", "+1 619 555 0173", "1619555", "4/17/91", "(619) 555-0173",
	                       "rosa.runner@ex"};
	size_t nk = rc_search_patient_keys(&rosa, keys, RC_SEARCH_PATIENT_KEYS_MAX);
	assert_true(nk > 20 && nk < RC_SEARCH_PATIENT_KEYS_MAX);
	for (size_t k = 0; k < sizeof typed / sizeof typed[0]; k++) {
		rc_search_query q;
		assert_int_equal(rc_search_parse(typed[k], YEAR, &q), 1);
		assert_true(rc_search_score(&q, &rosa) > 0);
		size_t nt = rc_search_term_keys(&q.t[0], tkeys, RC_SEARCH_TERM_KEYS_MAX);
		bool met = false;
		for (size_t i = 0; i < nt; i++)
			for (size_t j = 0; j < nk; j++)
				met |= strcmp(tkeys[i], keys[j]) == 0;
		if (!met)
			fail_msg("'%s' shares no key with the patient", typed[k]);
	}
	/* The number stored without its country code, typed with it. */
	rc_search_patient p = {"A", NULL, "6195550173", NULL};
	rc_search_query q;
	rc_search_parse("+1 619 555 0173", YEAR, &q);
	nk = rc_search_patient_keys(&p, keys, RC_SEARCH_PATIENT_KEYS_MAX);
	size_t nt = rc_search_term_keys(&q.t[0], tkeys, RC_SEARCH_TERM_KEYS_MAX);
	bool met = false;
	for (size_t i = 0; i < nt; i++)
		for (size_t j = 0; j < nk; j++)
			met |= strcmp(tkeys[i], keys[j]) == 0;
	assert_true(met);
}

static void the_most_selective_term_is_looked_up(void **state)
{
	(void)state;
	rc_search_query q;
	rc_search_parse("jo smith 3/14/1985", YEAR, &q);
	assert_int_equal(q.n, 3);
	assert_int_equal(rc_search_pick(&q), 2);
	rc_search_parse("jo smithson", YEAR, &q);
	assert_int_equal(rc_search_pick(&q), 1);
	rc_search_parse("", YEAR, &q);
	assert_int_equal(rc_search_pick(&q), -1);
}

static void duplicates_by_name_and_phone(void **state)
{
	(void)state;
	assert_true(rc_search_same_name("John Smith", "smith, JOHN"));
	assert_true(rc_search_same_name("Jon Smith", "John Smith"));
	assert_true(rc_search_same_name("John Smith", "John A. Smith"));
	assert_true(rc_search_same_name("José Núñez", "Jose Nunez"));
	assert_false(rc_search_same_name("John Smith", "Jane Smith"));
	assert_false(rc_search_same_name("John Smith", "John Smithsonian"));
	assert_false(rc_search_same_name("", "John"));
	assert_true(rc_search_same_phone("6195550173", "16195550173"));
	assert_true(rc_search_same_phone("5550173", "6195550173"));
	assert_false(rc_search_same_phone("550173", "6195550173"));
	assert_false(rc_search_same_phone("6195550174", "6195550173"));
	assert_true(rc_search_phone_ok("(619) 555-0173"));
	assert_true(rc_search_phone_ok("+1 619 555 0173"));
	assert_false(rc_search_phone_ok("555-017"));
	assert_false(rc_search_phone_ok("call me"));
	assert_false(rc_search_phone_ok("1234567890123456"));
	char d[16];
	assert_int_equal(rc_search_phone_digits("+1 (619) 555-0173", d, sizeof d), 11);
	assert_string_equal(d, "16195550173");
}

static void names_sort_folded(void **state)
{
	(void)state;
	char a[64], b[64];
	rc_search_sort_key("Élodie  Zola", a, sizeof a);
	assert_string_equal(a, "elodie zola");
	rc_search_sort_key("eve Adams", b, sizeof b);
	assert_true(strcmp(a, b) < 0);
	rc_search_sort_key("O'Neil-Smith", a, sizeof a);
	assert_string_equal(a, "oneilsmith");
	char tiny[4];
	rc_search_sort_key("Abcdef", tiny, sizeof tiny);
	assert_string_equal(tiny, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_are_prefixes_of_folded_names),
		cmocka_unit_test(one_edit_is_allowed_from_four_letters),
		cmocka_unit_test(phones_in_any_format),
		cmocka_unit_test(dates_as_people_write_them),
		cmocka_unit_test(emails_from_their_start),
		cmocka_unit_test(keys_find_every_match),
		cmocka_unit_test(phone_and_date_keys_find_their_matches),
		cmocka_unit_test(the_most_selective_term_is_looked_up),
		cmocka_unit_test(duplicates_by_name_and_phone),
		cmocka_unit_test(names_sort_folded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
