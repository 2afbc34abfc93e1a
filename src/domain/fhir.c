/* fhir.c — the pure rules of runcare's FHIR R4 output (see fhir.h). */
#include "domain/fhir.h"

#include <stdio.h>
#include <string.h>

#include "base/time.h"
#include "domain/training.h"

const char *const rc_fhir_types[RC_FHIR_NTYPES + 1] = {
	"Patient", "Organization", "Practitioner", "PractitionerRole", "Appointment", "Encounter", "EpisodeOfCare",
	"Condition", "Observation", "Questionnaire", "QuestionnaireResponse", "CarePlan", "Procedure",
	"DocumentReference", "AllergyIntolerance", "Flag", NULL,
};

unsigned rc_fhir_type_bit(const char *type)
{
	for (int i = 0; i < RC_FHIR_NTYPES; i++)
		if (strcmp(rc_fhir_types[i], type) == 0)
			return 1u << i;
	return 0;
}

bool rc_fhir_parse_types(const char *value, unsigned *mask, char *bad, size_t n)
{
	*mask = 0;
	const char *p = value;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[40];
		unsigned bit = 0;
		if (len > 0 && len < sizeof name) {
			memcpy(name, p, len);
			name[len] = 0;
			bit = rc_fhir_type_bit(name);
		}
		if (!bit) {
			snprintf(bad, n, "%.*s", (int)(len < 60 ? len : 60), p);
			return false;
		}
		*mask |= bit;
		if (!end)
			return true;
		p = end + 1;
	}
}

const char *rc_fhir_pain_loinc(const char *field_key)
{
	static const char *const pain[] = {"pain_rest", "pain_activity", "pain_sitting", "pain_running",
	                                   "first_step_pain", "hop_pain", NULL};
	for (int i = 0; pain[i]; i++)
		if (strcmp(pain[i], field_key) == 0)
			return "72514-3";
	return NULL;
}

rc_fhir_unit rc_fhir_ucum(const char *unit)
{
	if (strcmp(unit, "cm") == 0)
		return (rc_fhir_unit){"cm", "cm"};
	if (strcmp(unit, "degrees") == 0)
		return (rc_fhir_unit){"deg", "degrees"};
	if (strcmp(unit, "repetitions") == 0)
		return (rc_fhir_unit){"{repetitions}", "repetitions"};
	if (strcmp(unit, "/10") == 0)
		return (rc_fhir_unit){"{score}", "score out of 10"};
	return (rc_fhir_unit){"1", unit[0] ? unit : "1"};
}

void rc_fhir_id(char *out, size_t n, const char *prefix, int64_t id)
{
	snprintf(out, n, "%s%s%lld", prefix, prefix[0] ? "-" : "", (long long)id);
}

void rc_fhir_key_id(char *out, size_t n, const char *prefix, const char *key)
{
	int len = snprintf(out, n, "%s-%s", prefix, key);
	if (n > 65)
		out[64] = 0; /* ids are at most 64 characters */
	for (int i = 0; out[i] && (len < 0 || i < len); i++) {
		char c = out[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
			out[i] = '-';
	}
}

bool rc_fhir_week_add(rc_fhir_week *w, int *n, int cap, int64_t start, const char *sport, int64_t moving_s,
                      int64_t distance_m)
{
	if (!rc_training_is_run(sport))
		return true;
	int64_t day = rc_tz_day_number(start);
	/* 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday. */
	int64_t monday = day - (((day + 3) % 7) + 7) % 7;
	int i = 0;
	while (i < *n && w[i].monday < monday)
		i++;
	if (i == *n || w[i].monday != monday) {
		if (*n == cap)
			return false;
		memmove(&w[i + 1], &w[i], (size_t)(*n - i) * sizeof *w);
		w[i] = (rc_fhir_week){.monday = monday};
		(*n)++;
	}
	w[i].minutes += (double)moving_s / 60.0;
	w[i].km += (double)distance_m / 1000.0;
	w[i].runs++;
	return true;
}

rc_fhir_owner_src rc_fhir_id_owner(const char *type, const char *id, int64_t *n)
{
	static const struct {
		const char *type, *prefix;
		rc_fhir_owner_src src;
	} ids[] = {
		{"Patient", "", RC_FHIR_OWN_SELF},
		{"Appointment", "", RC_FHIR_OWN_APPOINTMENT},
		{"Encounter", "note", RC_FHIR_OWN_NOTE},
		{"Encounter", "visit", RC_FHIR_OWN_APPOINTMENT},
		{"EpisodeOfCare", "", RC_FHIR_OWN_EPISODE},
		{"Condition", "", RC_FHIR_OWN_EPISODE},
		{"Observation", "measure", RC_FHIR_OWN_MEASURE},
		{"Observation", "diary", RC_FHIR_OWN_DIARY},
		{"Observation", "psfs", RC_FHIR_OWN_PSFS},
		{"Observation", "load", RC_FHIR_OWN_SELF},
		{"QuestionnaireResponse", "selfcheck", RC_FHIR_OWN_SELFCHECK},
		{"CarePlan", "", RC_FHIR_OWN_PROGRAM},
		{"Procedure", "treatment", RC_FHIR_OWN_TREATMENT},
		{"DocumentReference", "note", RC_FHIR_OWN_NOTE},
		{"DocumentReference", "file", RC_FHIR_OWN_ACTIVITY},
		{"AllergyIntolerance", "allergies", RC_FHIR_OWN_SELF},
		{"Flag", "alert", RC_FHIR_OWN_SELF},
		{"Practitioner", "", RC_FHIR_OWN_SHARED},
		{"Practitioner", "staff", RC_FHIR_OWN_SHARED},
		{"PractitionerRole", "", RC_FHIR_OWN_SHARED},
	};
	*n = 0;
	if (strcmp(type, "Organization") == 0)
		return strcmp(id, "clinic") == 0 ? RC_FHIR_OWN_SHARED : RC_FHIR_OWN_NONE;
	if (strcmp(type, "Questionnaire") == 0)
		return strcmp(id, "selfcheck") == 0 ? RC_FHIR_OWN_SHARED : RC_FHIR_OWN_NONE;
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		if (strcmp(ids[i].type, type) != 0)
			continue;
		size_t pl = strlen(ids[i].prefix);
		const char *p = id;
		if (pl) {
			if (strncmp(id, ids[i].prefix, pl) != 0 || id[pl] != '-')
				continue;
			p = id + pl + 1;
		}
		if (*p < '1' || *p > '9')
			continue;
		int64_t v = 0;
		while (*p >= '0' && *p <= '9' && v < INT64_MAX / 10)
			v = v * 10 + (*p++ - '0');
		/* A plain number ends there; the others may go on ("diary-12-rest", "load-5-2026-10-19"). */
		if (*p && (!pl || *p != '-'))
			continue;
		*n = v;
		return ids[i].src;
	}
	return RC_FHIR_OWN_NONE;
}
