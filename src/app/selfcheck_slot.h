/* selfcheck_slot.h — what the self-check's result offers when it is urgent: the clinic's first free
 * physical-therapy time today or the next clinic day, found through the booking rules (the same free
 * times /book shows the runner), so an urgent result can say "there is a time at 15:30" or, when there
 * is none, give the clinic's phone number instead. */
#ifndef RC_APP_SELFCHECK_SLOT_H
#define RC_APP_SELFCHECK_SLOT_H

#include <stdbool.h>

#include "app/app.h"
#include "app/booking.h"

/* How many clinic days an urgent result looks at: today and the next. */
enum { RC_URGENT_SLOT_DAYS = 2 };

typedef struct rc_urgent_slot {
	bool found;
	rc_service service; /* the service the time is for */
	rc_free_slot slot;
} rc_urgent_slot;

/* The first free time, today or else the next clinic day, of a service the clinic's physical therapists
 * offer: on the earliest day with a free time, the longest such service (an assessment before a
 * follow-up), at its first free time; out->found false when nothing is free. Errors only when the
 * database failed. */
RC_WUR rc_err rc_app_selfcheck_urgent_slot(const rc_uc *uc, rc_urgent_slot *out);

#endif
