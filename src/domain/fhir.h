/* fhir.h — the pure rules of runcare's HL7 FHIR R4 output: which resource types a patient's bundle
 * holds and how the _type parameter names them, the codes (LOINC for pain scores, UCUM for units),
 * resource ids, and the weekly training load an Observation reports. No I/O. */
#ifndef RC_DOMAIN_FHIR_H
#define RC_DOMAIN_FHIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The resource types Patient/$everything returns, in the bundle's order; each a bit of a type mask. */
extern const char *const rc_fhir_types[];
enum { RC_FHIR_NTYPES = 16 };
#define RC_FHIR_ALL_TYPES ((1u << RC_FHIR_NTYPES) - 1)
/* The bit of a type name (exact, as FHIR spells it), or 0 when runcare does not return that type. */
unsigned rc_fhir_type_bit(const char *type);
/* A _type value ("Observation,Condition"): the mask of the types it names. False when a name is not
 * one of rc_fhir_types, with that name (as typed, cut to n-1 bytes) in bad. */
bool rc_fhir_parse_types(const char *value, unsigned *mask, char *bad, size_t n);

/* The LOINC code of a chart field or diary score that is a 0-10 pain rating (72514-3, "Pain severity -
 * 0-10 verbal numeric rating [Score] - Reported"), or NULL when the field is not one. */
const char *rc_fhir_pain_loinc(const char *field_key);
#define RC_FHIR_LOINC_PAIN_DISPLAY "Pain severity - 0-10 verbal numeric rating [Score] - Reported"

/* A chart field's unit as runcare writes it ("/10", "cm", "degrees", "repetitions") as a UCUM code and
 * the words shown beside it. */
typedef struct rc_fhir_unit {
	const char *code, *unit;
} rc_fhir_unit;
rc_fhir_unit rc_fhir_ucum(const char *unit);

/* A FHIR id from a prefix and a row id ("note", 12 → "note-12"; "", 12 → "12"); a key made of words
 * with underscores becomes one with hyphens ("needle_phobia" → "needle-phobia"): ids allow only
 * letters, digits, '-' and '.', at most 64. */
void rc_fhir_id(char *out, size_t n, const char *prefix, int64_t id);
void rc_fhir_key_id(char *out, size_t n, const char *prefix, const char *key);

/* The weekly training load: running minutes (moving time of runs) and kilometres per clinic week,
 * Monday to Sunday. Add each activity, then read the weeks in order. */
typedef struct rc_fhir_week {
	int64_t monday; /* day number (rc_days_from_civil) of the week's Monday in the clinic's calendar */
	double minutes, km;
	int runs;
} rc_fhir_week;
/* Adds an activity that started at start (UTC) to the weeks in w (n of them, sorted by monday; room for
 * cap). False when a new week is needed and there is no room. Sports other than running are left out
 * (the load counts running, as domain/training.h does). */
bool rc_fhir_week_add(rc_fhir_week *w, int *n, int cap, int64_t start, const char *sport, int64_t moving_s,
                      int64_t distance_m);

/* Whose record a resource id of runcare's names, for a read of one resource: the table its number is a
 * row of (RC_FHIR_OWN_SELF: the number is the patient's own id; RC_FHIR_OWN_SHARED: no patient's — the
 * clinic, a practitioner, the self-check's questionnaire). */
typedef enum {
	RC_FHIR_OWN_NONE, RC_FHIR_OWN_SELF, RC_FHIR_OWN_SHARED, RC_FHIR_OWN_APPOINTMENT, RC_FHIR_OWN_NOTE,
	RC_FHIR_OWN_EPISODE, RC_FHIR_OWN_MEASURE, RC_FHIR_OWN_DIARY, RC_FHIR_OWN_PSFS, RC_FHIR_OWN_SELFCHECK,
	RC_FHIR_OWN_PROGRAM, RC_FHIR_OWN_TREATMENT, RC_FHIR_OWN_ACTIVITY,
} rc_fhir_owner_src;
/* RC_FHIR_OWN_NONE when the id is not one runcare makes for that type; *n the row (or patient) number. */
rc_fhir_owner_src rc_fhir_id_owner(const char *type, const char *id, int64_t *n);

#endif
