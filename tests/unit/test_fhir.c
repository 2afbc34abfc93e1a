/* test_fhir.c — the pure rules of the FHIR output: the _type parameter, LOINC for pain scores, UCUM
 * units, resource ids, base64 and the weekly training load by the clinic's weeks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/text.h"
#include "base/time.h"
#include "domain/fhir.h"

static void type_lists_name_what_is_not_returned(void **state)
{
	(void)state;
	unsigned m;
	char bad[64];
	assert_true(rc_fhir_parse_types("Patient", &m, bad, sizeof bad));
	assert_int_equal(m, rc_fhir_type_bit("Patient"));
	assert_true(rc_fhir_parse_types("Observation,Condition,Flag", &m, bad, sizeof bad));
	assert_int_equal(m, rc_fhir_type_bit("Observation") | rc_fhir_type_bit("Condition") | rc_fhir_type_bit("Flag"));
	assert_false(rc_fhir_parse_types("Observation,Medication", &m, bad, sizeof bad));
	assert_string_equal(bad, "Medication");
	/* Case matters in FHIR, an empty name is no type, and a Bundle is never an entry. */
	assert_false(rc_fhir_parse_types("observation", &m, bad, sizeof bad));
	assert_false(rc_fhir_parse_types("Patient,", &m, bad, sizeof bad));
	assert_string_equal(bad, "");
	assert_false(rc_fhir_parse_types("Bundle", &m, bad, sizeof bad));
	for (int i = 0; i < RC_FHIR_NTYPES; i++)
		assert_true(rc_fhir_type_bit(rc_fhir_types[i]) & RC_FHIR_ALL_TYPES);
}

static void pain_scores_carry_loinc_and_units_ucum(void **state)
{
	(void)state;
	assert_string_equal(rc_fhir_pain_loinc("pain_rest"), "72514-3");
	assert_string_equal(rc_fhir_pain_loinc("hop_pain"), "72514-3");
	assert_null(rc_fhir_pain_loinc("slr_angle"));
	assert_null(rc_fhir_pain_loinc("psfs"));
	assert_string_equal(rc_fhir_ucum("degrees").code, "deg");
	assert_string_equal(rc_fhir_ucum("cm").code, "cm");
	assert_string_equal(rc_fhir_ucum("/10").code, "{score}");
	assert_string_equal(rc_fhir_ucum("repetitions").code, "{repetitions}");
}

static void ids_keep_to_fhirs_alphabet(void **state)
{
	(void)state;
	char id[80];
	rc_fhir_id(id, sizeof id, "note", 12);
	assert_string_equal(id, "note-12");
	rc_fhir_id(id, sizeof id, "", 7);
	assert_string_equal(id, "7");
	rc_fhir_key_id(id, sizeof id, "alert", "needle_phobia");
	assert_string_equal(id, "alert-needle-phobia");
	rc_fhir_key_id(id, sizeof id, "x", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_int_equal(strlen(id), 64);
}

static void base64_pads(void **state)
{
	(void)state;
	char out[16];
	rc_base64_encode((const unsigned char *)"Ma", 2, out);
	assert_string_equal(out, "TWE=");
	rc_base64_encode((const unsigned char *)"Man", 3, out);
	assert_string_equal(out, "TWFu");
	rc_base64_encode((const unsigned char *)"M", 1, out);
	assert_string_equal(out, "TQ==");
	unsigned char back[4];
	assert_int_equal(rc_base64_decode("TWFu", back, sizeof back), 3);
	assert_memory_equal(back, "Man", 3);
	assert_int_equal(rc_base64_decode("TWF", back, sizeof back), -1);
}

static void weekly_load_counts_runs_by_the_clinics_weeks(void **state)
{
	(void)state;
	assert_int_equal(rc_tz_set("America/Los_Angeles"), RC_OK);
	rc_fhir_week w[3];
	int n = 0;
	/* Sunday 2026-11-29 at 22:00 in San Diego is Monday in UTC: it belongs to the week of the 23rd. */
	int64_t sunday_evening = rc_tz_day_start(2026, 11, 29) + 22 * 3600;
	int64_t monday = rc_tz_day_start(2026, 11, 30) + 8 * 3600;
	assert_true(rc_fhir_week_add(w, &n, 3, monday, "running", 1800, 5000));
	assert_true(rc_fhir_week_add(w, &n, 3, sunday_evening, "", 3600, 10000));
	assert_true(rc_fhir_week_add(w, &n, 3, monday + 3600, "cycling", 7200, 40000));
	assert_int_equal(n, 2);
	char day[11];
	rc_day_name(w[0].monday, day);
	assert_string_equal(day, "2026-11-23");
	assert_float_equal(w[0].minutes, 60, 1e-9);
	rc_day_name(w[1].monday, day);
	assert_string_equal(day, "2026-11-30");
	assert_float_equal(w[1].km, 5, 1e-9);
	assert_int_equal(w[1].runs, 1);
	/* Full: a third week fits, a fourth is refused rather than dropped silently. */
	assert_true(rc_fhir_week_add(w, &n, 3, monday + 7 * 86400, "run", 60, 100));
	assert_false(rc_fhir_week_add(w, &n, 3, monday + 14 * 86400, "run", 60, 100));
}

static void an_id_names_whose_record_it_is(void **state)
{
	(void)state;
	int64_t n;
	assert_int_equal(rc_fhir_id_owner("Patient", "12", &n), RC_FHIR_OWN_SELF);
	assert_int_equal(n, 12);
	assert_int_equal(rc_fhir_id_owner("Observation", "diary-7-rest", &n), RC_FHIR_OWN_DIARY);
	assert_int_equal(n, 7);
	assert_int_equal(rc_fhir_id_owner("Observation", "load-5-2026-10-19", &n), RC_FHIR_OWN_SELF);
	assert_int_equal(n, 5);
	assert_int_equal(rc_fhir_id_owner("Encounter", "visit-9", &n), RC_FHIR_OWN_APPOINTMENT);
	assert_int_equal(rc_fhir_id_owner("DocumentReference", "file-3", &n), RC_FHIR_OWN_ACTIVITY);
	assert_int_equal(rc_fhir_id_owner("Flag", "alert-4-needle-phobia", &n), RC_FHIR_OWN_SELF);
	assert_int_equal(n, 4);
	assert_int_equal(rc_fhir_id_owner("Organization", "clinic", &n), RC_FHIR_OWN_SHARED);
	/* Not ids runcare makes: a plain number with more after it, a zero, a prefix of another type's. */
	assert_int_equal(rc_fhir_id_owner("Appointment", "12-x", &n), RC_FHIR_OWN_NONE);
	assert_int_equal(rc_fhir_id_owner("Appointment", "0", &n), RC_FHIR_OWN_NONE);
	assert_int_equal(rc_fhir_id_owner("Observation", "note-4", &n), RC_FHIR_OWN_NONE);
	assert_int_equal(rc_fhir_id_owner("Observation", "load-x", &n), RC_FHIR_OWN_NONE);
	assert_int_equal(rc_fhir_id_owner("Organization", "other", &n), RC_FHIR_OWN_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(type_lists_name_what_is_not_returned),
		cmocka_unit_test(pain_scores_carry_loinc_and_units_ucum),
		cmocka_unit_test(ids_keep_to_fhirs_alphabet),
		cmocka_unit_test(base64_pads),
		cmocka_unit_test(weekly_load_counts_runs_by_the_clinics_weeks),
		cmocka_unit_test(an_id_names_whose_record_it_is),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
