/* setup.h — what a valid clinic setting is: a service, a discipline, a clock time, a weekday.
 * Shared by the admin pages and `runcare clinic`, so both refuse the same things in the same words. */
#ifndef RC_SETUP_H
#define RC_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* acupuncture, physical_therapy, sports_massage */
bool rc_discipline_ok(const char *d);
/* Space- or comma-separated disciplines, at least one, each known. */
bool rc_disciplines_ok(const char *list);
/* "HH:MM" on the quarter hour, 00:00–24:00, as minutes after midnight. */
bool rc_clock_parse(const char *s, int *minute);
/* "mon" … "sun" (or "0"…"6") as 0 Monday … 6 Sunday; -1 when unknown. */
int rc_weekday_parse(const char *s);
extern const char *const rc_weekday_names[7];

/* RC_OK, or RC_EINVAL with a sentence naming the field. */
RC_WUR rc_err rc_service_check(const char *key, const char *name, long long minutes, long long price_cents,
                               const char *discipline, char *why, size_t n);

#endif
