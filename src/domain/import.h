/* import.h — the pure rules of moving a clinic in from another practice system's CSV export: the words
 * other systems use for a visit's status and a practitioner's disciplines, date-times with or without a
 * zone, and service keys made from names. No I/O. */
#ifndef RC_DOMAIN_IMPORT_H
#define RC_DOMAIN_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "Scheduled", "Checked out", "No Show", "Canceled" … → "booked", "arrived", "no_show", "cancelled";
 * NULL for a word runcare does not know. Case, spaces, hyphens and underscores do not matter. */
const char *rc_import_status(const char *word);

/* "Acupuncture; PT", "Physical Therapy, Massage" → "acupuncture physical_therapy sports_massage" (each
 * once, in runcare's order). False, with the word in bad, when one is not a discipline runcare knows. */
bool rc_import_disciplines(const char *text, char *out, size_t n, char *bad, size_t badn);
/* One discipline ("PT" → "physical_therapy"), or NULL. */
const char *rc_import_discipline(const char *word);

/* A date and time as practice systems write it: 2026-12-01 09:00[:00], 2026-12-01T09:00, 12/01/2026
 * 9:00 AM (month first, as in the US), optionally followed by a zone: Z, UTC, GMT, an offset (+01:00,
 * -0800) or a US zone's abbreviation (PST, PDT, MST, MDT, CST, CDT, EST, EDT, AKST, HST). Without a zone
 * it is the clinic's local time. False when it cannot be read. */
bool rc_import_time(const char *text, int64_t *utc);

/* A service key from its name: lower case letters and digits, words joined by '-', at most n-1 bytes
 * (n ≤ 33); "" when nothing is left. */
void rc_import_key(const char *name, char *out, size_t n);

#endif
