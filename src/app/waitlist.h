/* waitlist.h — the waitlist's use cases. When nothing fits, a runner waits for a service in a window
 * of days; a time that comes free is offered to one waiting runner at a time — the most urgent (by
 * their self-check's level) first, then whoever has waited longest — and held for them for
 * RC_OFFER_TTL_S; an offer that is declined or runs out passes on to the next. Every door (the pages,
 * the booking pages when they free a time, the timed job, the demo) goes through these. */
#ifndef RC_APP_WAITLIST_H
#define RC_APP_WAITLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "content/content.h"
#include "store/booking.h"
#include "store/waitlist.h"

enum { RC_WAIT_MAX_DAYS = 60 }; /* the longest window of days a runner may wait in */

/* The self-check's levels, most urgent first: the waitlist's order. */
extern const char *const rc_wait_urgencies[4];

/* What a person asked for when joining, as typed. Staff add a patient (rc_app_patient_pick) with the urgency
 * their self-check gave; a runner joins for themselves, and their latest self-check sets their place. */
typedef struct rc_wait_join {
	const rc_clinic *clinic;  /* borrowed: what the clinic treats */
	const char *service;      /* a service's key */
	const char *from, *to;    /* "YYYY-MM-DD" in the clinic's zone, both days included */
	const char *condition;    /* a key of clinic->treats or "other"; NULL or "": other */
	const char *patient;      /* staff only: the patient as typed (an email, or a name, phone or date of birth) */
	const char *urgency;      /* staff only: one of rc_wait_urgencies */
} rc_wait_join;

/* Who joined: the new entry, and the patient's name and whether they can be mailed an offer. */
typedef struct rc_wait_joined {
	int64_t id;
	char name[RC_NAME_MAX + 1];
	bool has_email;
} rc_wait_joined;

/* Joins. RC_EINVAL with p->field one of service, from, to, condition, runner, urgency. Writes the
 * audit line in the same transaction. */
RC_WUR rc_err rc_app_waitlist_join(const rc_uc *uc, const rc_wait_join *in, rc_wait_joined *out, rc_problem *p);

/* Leaves the waitlist: an open offer made to this entry passes on at once (its mail queued with the
 * same commit). RC_ENOTFOUND when the entry is not the actor's to leave or no longer waiting. */
RC_WUR rc_err rc_app_waitlist_leave(const rc_uc *uc, int64_t entry_id, const char *public_url, rc_problem *p);

/* What the waitlist page shows; arrays in uc->arena, sized by the data. */
typedef struct rc_wait_view {
	rc_wait_entry *entries; /* everyone's for staff, else the actor's own */
	size_t nentries;
	rc_service *services;   /* what one may wait for */
	size_t nservices;
} rc_wait_view;
RC_WUR rc_err rc_app_waitlist_view(const rc_uc *uc, rc_wait_view *out);

/* One offer, for its runner or staff (RC_ENOTFOUND otherwise). *open: it can still be taken now. */
RC_WUR rc_err rc_app_waitlist_offer(const rc_uc *uc, int64_t offer_id, rc_offer *out, bool *open, rc_problem *p);

/* Takes an open offer: books the time through the schedule's rules (hours, time off, the past, the
 * quarter hours nobody else holds) in one transaction with closing the offer and the entry.
 * RC_ECONFLICT with a sentence when the offer is no longer open or the time is no longer free (the
 * runner keeps their place); *appointment_id is the visit booked. */
RC_WUR rc_err rc_app_waitlist_accept(const rc_uc *uc, int64_t offer_id, int64_t *appointment_id, rc_problem *p);

/* Declines an open offer: it passes on to the next runner waiting, with their mail, in the same
 * transaction. RC_ECONFLICT when it was no longer open. */
RC_WUR rc_err rc_app_waitlist_decline(const rc_uc *uc, int64_t offer_id, const char *public_url, rc_problem *p);

/* A time came free (a visit cancelled or moved): [start, start + minutes) with a practitioner is
 * offered to the first runner waiting who fits, and their mail queued, in one transaction.
 * *offer_id 0 when nobody fits, the time has begun, or it is already on offer. */
RC_WUR rc_err rc_app_waitlist_freed(const rc_uc *uc, int64_t practitioner_id, int64_t service_id, int64_t start,
                                    int minutes, const char *public_url, int64_t *offer_id);

/* The timed job: every open offer whose hold ran out by uc->now expires and passes on to the next
 * runner (each in its own transaction, with the mail). With several processes on one database an
 * offer passes on once: only the transaction that closes it while it is still open goes on. Returns
 * how many expired and how many new offers were made. */
typedef struct rc_wait_sweep {
	int expired, offered;
} rc_wait_sweep;
RC_WUR rc_err rc_app_waitlist_sweep(const rc_uc *uc, const char *public_url, rc_wait_sweep *out);

/* Whether key names something the clinic treats (or "other"): what a visit or a wait is about. */
bool rc_app_condition_known(const rc_clinic *clinic, const char *key);

#endif
