/* waitlist.h — runners waiting for a time, offers of freed times in order of urgency then waiting
 * time, and the visits the wave after an event (store/wave_store.h) is counted by. */
#ifndef RC_STORE_WAITLIST_H
#define RC_STORE_WAITLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

enum {
	RC_OFFER_TTL_S = 2 * 60 * 60, /* an offer waits two hours for an answer (at most), then moves on */
	RC_WAIT_CONDITION_MAX = 32,   /* bytes of a condition's key (app/waitlist.c refuses longer) */
};

typedef struct rc_wait_entry {
	int64_t id, runner_id, service_id, practitioner_id, window_start, window_end, created_at, appointment_id;
	char urgency[16], condition[RC_WAIT_CONDITION_MAX + 1], status[16];
	char runner_name[121], runner_email[255], service_name[81], service_key[33];
	char runner_phone[41]; /* from the patient's record; "" not known */
	int64_t offer_id, offer_start, offer_expires; /* the open offer, if any (0 otherwise) */
} rc_wait_entry;

typedef struct rc_offer {
	int64_t id, waitlist_id, runner_id, practitioner_id, service_id, starts_at, expires_at;
	int minutes;
	char status[16], runner_email[255], runner_name[121], service_name[81], service_key[33], practitioner_name[121];
	char condition[RC_WAIT_CONDITION_MAX + 1]; /* what the runner waits about, for the visit it books */
} rc_offer;

/* urgency is one of emergency, urgent, soon, self_care (the self-check's levels). */
RC_WUR rc_err rc_waitlist_join(rc_db *db, int64_t runner_id, int64_t service_id, int64_t practitioner_id,
                               int64_t window_start, int64_t window_end, const char *urgency, const char *condition,
                               int64_t now, int64_t *id);
RC_WUR rc_err rc_waitlist_cancel(rc_db *db, int64_t id);
RC_WUR rc_err rc_waitlist_owner(rc_db *db, int64_t id, int64_t *runner_id);
RC_WUR rc_err rc_offer_owner(rc_db *db, int64_t id, int64_t *runner_id);

typedef void (*rc_wait_fn)(void *ctx, const rc_wait_entry *e);
/* Waiting entries, most urgent first, then longest waiting; runner_id 0: everyone's. An offer shows
 * (offer_id) while it is open and its hold has not run out at now. */
RC_WUR rc_err rc_waitlist_list(rc_db *db, int64_t runner_id, int64_t now, rc_wait_fn fn, void *ctx);
/* The open offer made to a waitlist entry; 0 when none. */
RC_WUR rc_err rc_waitlist_open_offer(rc_db *db, int64_t waitlist_id, int64_t *offer_id);

/* Offers a freed time [start, start + minutes) with a practitioner to the first waiting runner who
 * fits it and has not been offered it before, held until expires_at; *offer_id 0 when nobody fits.
 * In the caller's transaction. */
RC_WUR rc_err rc_waitlist_offer_next(rc_db *db, int64_t practitioner_id, int64_t service_id, int64_t start,
                                     int minutes, int64_t now, int64_t expires_at, int64_t *offer_id);
RC_WUR rc_err rc_offer_get(rc_db *db, int64_t id, rc_offer *out, bool *found);
/* Marks an open offer (open → status), e.g. "accepted", "declined", "gone". */
RC_WUR rc_err rc_offer_close(rc_db *db, int64_t id, const char *status, bool *was_open);
RC_WUR rc_err rc_waitlist_booked(rc_db *db, int64_t waitlist_id, int64_t appointment_id);
/* The open offer whose hold ran out first (expires_at <= now); *found false when there is none. */
RC_WUR rc_err rc_offer_next_expired(rc_db *db, int64_t now, int64_t *id, bool *found);
/* Whether any quarter hour of [start, end) is owned by an appointment. */
RC_WUR rc_err rc_slot_taken(rc_db *db, int64_t practitioner_id, int64_t start, int64_t end, bool *taken);

/* Appointments (not cancelled) starting in [from, to): start, condition and practitioner each. */
typedef void (*rc_visit_fn)(void *ctx, int64_t starts_at, const char *condition, int64_t practitioner_id,
                            const char *practitioner_name);
RC_WUR rc_err rc_visits_between(rc_db *db, int64_t from, int64_t to, rc_visit_fn fn, void *ctx);

#endif
