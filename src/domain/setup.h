/* setup.h — what a valid clinic setting is: a service and its price, a discipline, a clock time, a
 * weekday, weekly hours beside a practitioner's others, the clinic's opening days, a practitioner's
 * name as compared for duplicates. Shared by the admin pages and `runcare clinic` (through
 * app/setup.c), so both refuse the same things in the same words. */
#ifndef RC_SETUP_H
#define RC_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/schedule.h"

enum {
	RC_PRICE_MAX_CENTS = 10000000, /* $100,000.00: a price above it is a typing slip */
	RC_PRICE_TEXT_MAX = 32,        /* characters of a price as typed */
};

/* acupuncture, physical_therapy, sports_massage */
bool rc_discipline_ok(const char *d);
/* A discipline in words: "Physical therapy"; the key itself when unknown. */
const char *rc_discipline_label(const char *d);
/* Space- or comma-separated disciplines, at least one, each known. */
bool rc_disciplines_ok(const char *list);
/* Whether the space- or comma-separated list names discipline d. */
bool rc_disciplines_have(const char *list, const char *d);
/* "HH:MM" on the quarter hour, 00:00–24:00, as minutes after midnight. */
bool rc_clock_parse(const char *s, int *minute);
/* "mon" … "sun" (or "0"…"6") as 0 Monday … 6 Sunday; -1 when unknown. */
int rc_weekday_parse(const char *s);
extern const char *const rc_weekday_names[7];
/* "Monday" … "Sunday". */
extern const char *const rc_weekday_labels[7];

/* RC_OK, or RC_EINVAL with *field ("key", "name", "minutes", "price", "discipline") and a sentence
 * naming it. */
RC_WUR rc_err rc_service_check(const char *key, const char *name, long long minutes, long long price_cents,
                               const char *discipline, const char **field, char *why, size_t n);

/* A price as people write it — "85", "85.00", "$85", "85.5", "1,200.00" — in cents. RC_EINVAL with a
 * sentence naming 'Price' for anything else: no number, letters, a negative amount, more than two
 * decimals, commas in the wrong places, more than RC_PRICE_MAX_CENTS. */
RC_WUR rc_err rc_price_parse(const char *s, int64_t *cents, char *why, size_t n);
/* "$85.00", "$1,200.00". */
void rc_price_format(int64_t cents, char *out, size_t n);

/* A practitioner's name as two entries are compared: trimmed, runs of spaces as one, letters in lower
 * case (ASCII and Latin-1 accented capitals), so "Lin  Wei" and "lin wei" are one person. */
void rc_name_key(const char *name, char *out, size_t n);

/* Whether weekly hours `row` may stand beside a practitioner's `others` (the row being edited left
 * out): from before to, and no overlap with another row of the same day (touching is fine: a break is
 * the gap between two rows). RC_EINVAL with *field ("to" or "from") and a sentence. */
RC_WUR rc_err rc_hours_check(const rc_weekly *row, const rc_weekly *others, size_t n, const char **field, char *why,
                             size_t wn);

/* The weekdays a row of the clinic's opening hours names: "Monday–Friday", "Mon-Fri", "Saturday",
 * "Sat, Sun", "Saturday and Sunday", "Tuesday to Thursday", "Weekdays", "Weekends", "Daily", "Every
 * day". False when a word is not a day or a range is left open. */
bool rc_days_parse(const char *text, bool days[7]);
/* Whether [from, to) minutes of weekday lies within the opening hours (rows that touch join up). */
bool rc_within_opening(const rc_weekly *opening, size_t n, int weekday, int from, int to);
/* "Sunday: closed", "Monday: 07:00–19:00", "Tuesday: 07:00–12:00, 13:00–19:00", for sentences. */
void rc_opening_describe(const rc_weekly *opening, size_t n, int weekday, char *out, size_t len);

#endif
