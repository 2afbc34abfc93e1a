/* search.h — finding a patient the way the front desk types: the rules of patient search, pure.
 *
 * What a person types is read into terms (rc_search_parse): words (part of a name or of an email),
 * an email address, phone digits written any way ("(619) 555-0173", "+1 619 555 0173", "0173"), and a
 * date of birth in the forms people write it ("1985-03-14", "3/14/1985", "14.3.85", "Mar 14 1985").
 * A patient matches when every term matches one of their details:
 *
 *   word   the start of a word of their name or email (names and emails are folded: case, accents,
 *          apostrophes and hyphens do not matter); a word of 4 or more letters may be one edit away
 *          (a letter wrong, missing, extra, or two swapped) from the start of such a word;
 *   email  the start of their email address;
 *   phone  (4 to 15 digits) the start or the end of their number, or their number is the end of it
 *          (7 digits or more: a country code typed but not stored);
 *   date   their date of birth (both readings of an ambiguous day and month, "3/4/1985").
 *
 * The database finds candidates by keys — a patient is stored under rc_search_patient_keys, a term
 * looks up rc_search_term_keys, and every patient that matches a term shares a key with it — then
 * rc_search_score checks each candidate and ranks it here, so both database engines give the same
 * patients in the same order. */
#ifndef RC_DOMAIN_SEARCH_H
#define RC_DOMAIN_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	RC_SEARCH_TERMS_MAX = 6,      /* terms read from one search; more are ignored */
	RC_SEARCH_TOKEN_MAX = 48,     /* characters of one word kept (longer words are cut) */
	RC_SEARCH_KEY_MAX = 40,       /* bytes of one key */
	RC_SEARCH_TERM_KEYS_MAX = 12, /* keys one term looks up */
	RC_SEARCH_PATIENT_KEYS_MAX = 256, /* keys one patient is stored under */
	RC_SEARCH_PREFIX_KEY = 6,     /* characters of a word's longest prefix key */
	RC_SEARCH_FUZZY_MIN = 4,      /* letters a word needs before one edit is allowed */
	RC_SEARCH_PHONE_MIN = 4,      /* digits that make a phone term */
	RC_SEARCH_PHONE_MAX = 15,     /* digits a phone number has at most (E.164) */
	RC_SEARCH_PHONE_SAME = 7,     /* digits two numbers must share at the end to be the same number */
};

typedef enum { RC_TERM_WORD, RC_TERM_EMAIL, RC_TERM_PHONE, RC_TERM_DATE } rc_term_kind;

typedef struct rc_search_term {
	rc_term_kind kind;
	uint32_t cp[RC_SEARCH_TOKEN_MAX]; /* word: its folded characters */
	int ncp;
	bool fuzzy;       /* word: 4 or more letters and no digit, so one edit is allowed */
	char text[256];   /* email: folded, as typed; phone: its digits; date: "YYYY-MM-DD" */
	char alt[11];     /* date: the other reading of an ambiguous day and month, or "" */
} rc_search_term;

typedef struct rc_search_query {
	rc_search_term t[RC_SEARCH_TERMS_MAX];
	int n;
} rc_search_query;

/* Reads what was typed into terms; this_year reads a two-digit year ("85" is 1985 in 2026, "19" is
 * 2019). Returns the number of terms (0 when nothing in it can be searched for). */
int rc_search_parse(const char *typed, int this_year, rc_search_query *out);

/* A patient's details as search sees them; NULL or "" when not known. */
typedef struct rc_search_patient {
	const char *name, *email, *phone_digits, *dob;
} rc_search_patient;

/* The keys a patient is stored under, each at most RC_SEARCH_KEY_MAX bytes, without repeats. Returns
 * how many (at most max). */
size_t rc_search_patient_keys(const rc_search_patient *p, char (*keys)[RC_SEARCH_KEY_MAX + 1], size_t max);

/* The keys that find every patient a term matches (and some it does not: rc_search_score decides). */
size_t rc_search_term_keys(const rc_search_term *t, char (*keys)[RC_SEARCH_KEY_MAX + 1], size_t max);

/* The term whose keys find the fewest patients: a date, then a long phone number, an email, the
 * longest word. -1 when the query has no term. */
int rc_search_pick(const rc_search_query *q);

/* How well a patient matches: 0 when some term does not match; else the sum over the terms of 3 (the
 * whole word, number, email or date), 2 (its start) or 1 (one edit away). */
int rc_search_score(const rc_search_query *q, const rc_search_patient *p);

/* The name folded for sorting (lower case, accents off), so both engines list patients in one order. */
size_t rc_search_sort_key(const char *name, char *out, size_t n);

/* --- the details themselves ---------------------------------------------------------------- */

/* A phone number as people write it: 7 to 15 digits, with spaces, '+', '-', '.', and brackets. */
bool rc_search_phone_ok(const char *s);
/* Its digits alone (at most n - 1 of them). */
size_t rc_search_phone_digits(const char *s, char *out, size_t n);
/* Whether two numbers (digits) are the same: the shorter has 7 digits or more and ends the longer. */
bool rc_search_same_phone(const char *a, const char *b);
/* Whether two names are the same person's: each word of the one with fewer words is a word of the
 * other (or one edit from it, when either has 4 or more letters); order, case and accents aside. */
bool rc_search_same_name(const char *a, const char *b);

/* A date as people write it, into "YYYY-MM-DD" (and alt: the other reading of an ambiguous day and
 * month, or ""). Real dates from 1900 to this_year only. */
bool rc_search_date(const char *typed, int this_year, char out[11], char alt[11]);

/* Optimal string alignment distance (edits: insert, delete, replace, swap two neighbours) between
 * the whole of a and the closest prefix of b, stopping at 2: 0, 1 or 2 ("2 or more"). */
int rc_search_prefix_distance(const uint32_t *a, int na, const uint32_t *b, int nb);

/* Folds one word to the characters search compares (lower case, accents off, hyphens and apostrophes
 * out). Returns how many (at most max). */
int rc_search_fold_word(const char *s, uint32_t *out, int max);

#endif
