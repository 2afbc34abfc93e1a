/* chart.h — the clinical chart's pure rules: sides, alerts, the structured fields a note template
 * declares and how a typed value is checked against one, acupuncture points written the way a
 * clinician types them ("BL40 both, GB30 L, GV20"), which side a point may take (GV and CV run on
 * the midline), needling ranges, and which ICD-10-CM code a diagnosis takes on a side. No I/O: the
 * knowledge (templates, the acupoint list, codes) is data that content/chart.c loads and passes in. */
#ifndef RC_DOMAIN_CHART_H
#define RC_DOMAIN_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Named limits. Passing one is an error a person reads, never a silent cut. */
enum {
	RC_CHART_MAX_POINTS = 40,        /* points in one acupuncture row */
	RC_CHART_NEEDLES_MAX = 60,       /* needles in one row: a sanity bound, not a dose */
	RC_CHART_RETENTION_MAX_MIN = 60, /* needle retention, minutes */
	RC_CHART_HZ_MIN = 1,             /* electro-acupuncture frequency, Hz */
	RC_CHART_HZ_MAX = 200,
	RC_CHART_CODE_MAX = 15,          /* "EX-HN12" and the like */
	RC_CHART_FIELD_CHOICES = 8,
	RC_CHART_TEXT_MAX = 4000,        /* one SOAP section, bytes */
	RC_CHART_SHORT_MAX = 500,        /* a palpation finding, a muscle, a detail */
};

/* --- sides ------------------------------------------------------------------------------------ */

typedef enum { RC_SIDE_NONE, RC_SIDE_LEFT, RC_SIDE_RIGHT, RC_SIDE_BOTH, RC_SIDE_MIDLINE } rc_side;
/* "left", "right", "both", "midline"; "" for none. */
const char *rc_side_name(rc_side s);
/* The words a person reads: "left", "right", "both sides", "midline"; "" for none. */
const char *rc_side_label(rc_side s);
/* Accepts the names and the clinic's shorthand (L, R, B, bilateral, bil, M, mid), any case; returns
 * false for anything else. "" parses as RC_SIDE_NONE. */
bool rc_side_parse(const char *s, rc_side *out);

/* --- alerts: what matters before needling or manual therapy ------------------------------------ */

typedef struct rc_chart_alert {
	const char *key;   /* stored */
	const char *label; /* "Takes anticoagulants (blood thinners)" */
	const char *why;   /* what the practitioner does about it */
} rc_chart_alert;

extern const rc_chart_alert rc_chart_alerts[];
enum { RC_CHART_NALERTS = 7 };
const rc_chart_alert *rc_chart_alert_find(const char *key);

/* Electro-stimulation is refused for a patient with an implanted electrical device: true, or false and
 * why (with the source) in why. */
bool rc_chart_electro_allowed(const char *const *alerts, int nalerts, char *why, size_t n);

/* --- fields a template declares ---------------------------------------------------------------- */

typedef enum { RC_FIELD_INT, RC_FIELD_TEST, RC_FIELD_CHOICE, RC_FIELD_TEXT } rc_field_type;

typedef struct rc_chart_choice {
	const char *key, *label;
} rc_chart_choice;

typedef struct rc_chart_field {
	const char *key, *label, *plain, *unit, *source;
	rc_field_type type;
	int min, max;       /* RC_FIELD_INT: the range, in whole units */
	int decimals;       /* RC_FIELD_INT: 0 or 1 (PSFS averages) */
	bool sided;         /* a value for the left and one for the right */
	bool chart;         /* charted across visits */
	bool higher_better; /* for the words of a trend */
	rc_chart_choice choices[RC_CHART_FIELD_CHOICES];
	int nchoices;
} rc_chart_field;

/* Checks one typed value against a field. "" means not recorded (RC_OK, *empty true). An int is
 * returned in tenths when the field has one decimal (7.5 → 75), else as is. A test's values are
 * "positive" and "negative"; a choice's its keys. On error, msg says what is allowed (no field
 * name: the caller names the field). */
bool rc_chart_field_check(const rc_chart_field *f, const char *value, bool *empty, int64_t *num, char *msg,
                          size_t n);
/* A number as it is shown: 75 in tenths → "7.5". */
void rc_chart_number(const rc_chart_field *f, int64_t v, char *out, size_t n);

/* --- acupuncture points ------------------------------------------------------------------------ */

/* A point code as the WHO writes it ("BL40", "EX-HN3"), from what a person typed ("bl 40", "Bl-40",
 * "ex-hn3"); false when it cannot be one. */
bool rc_acupoint_normalise(const char *in, char out[RC_CHART_CODE_MAX + 1]);
/* The meridian code of a WHO point code ("BL40" → "BL"), or "" for an extra point (EX-…). */
void rc_acupoint_meridian(const char *code, char out[4]);
/* Midline points (the Governing and Conception Vessels) have no side. */
bool rc_acupoint_is_midline(const char *meridian);
/* Whether a point of this meridian may be needled on this side: midline points take RC_SIDE_MIDLINE
 * (or none, read as midline), channel points left, right or both; extra points (no meridian) any
 * side. False with the sentence in why. */
bool rc_acupoint_side_ok(const char *code, const char *meridian, rc_side side, char *why, size_t n);

typedef struct rc_point_entry {
	char code[RC_CHART_CODE_MAX + 1];
	rc_side side; /* RC_SIDE_NONE when not given */
} rc_point_entry;

/* Reads "BL40 both, GB30 L; GV20" (commas, semicolons or new lines between points; the side after the
 * code, optional). Returns the count, or -1 with the sentence in why (naming the entry). */
int rc_acupoint_parse_list(const char *text, rc_point_entry *out, int max, char *why, size_t n);
/* Needles a list takes: two for a point on both sides, one otherwise. */
int rc_acupoint_needle_sites(const rc_point_entry *v, int n);

/* Needle count, retention and frequency in range (hz 0: not electro). False with the sentence. */
bool rc_chart_needling_ok(int needles, int minutes, int hz, bool electro, int sites, char *why, size_t n,
                          const char **field);

/* --- diagnosis codes ---------------------------------------------------------------------------- */

typedef struct rc_chart_codes {
	const char *left, *right, *both, *unspecified, *any; /* NULL when the code set has none */
} rc_chart_codes;

/* The ICD-10-CM code(s) for a side: a lateral code set gives the side's code, a bilateral code or both
 * sides' codes ("M76.891, M76.892") for both, the unspecified one for none; a code set without laterality
 * its one code. Empty when nothing fits. */
void rc_chart_icd_for_side(const rc_chart_codes *c, rc_side side, char *out, size_t n);

/* --- people ----------------------------------------------------------------------------------- */

/* A date of birth: a real "YYYY-MM-DD" from 1900 up to today ("YYYY-MM-DD"). */
bool rc_chart_birth_date_ok(const char *dob, const char *today);
/* Whole years between a date of birth and a day ("YYYY-MM-DD" both); -1 when either is not a date or
 * the birth is after the day. */
int rc_chart_age(const char *dob, const char *today);

#endif
