/* waitlist.c — the waitlist's use cases: join, leave, see, and the life of an offer (made when a
 * time comes free, taken, declined, or passed on by the timed job when its hold runs out). */
#include "app/waitlist.h"

#include "app/offered.h"

#include <stdio.h>
#include <string.h>

#include "app/booking.h"
#include "app/patients.h"
#include "base/time.h"
#include "domain/schedule.h"
#include "store/account.h"
#include "store/selfcheck_store.h"

const char *const rc_wait_urgencies[4] = {"emergency", "urgent", "soon", "self_care"};

static bool may_act_for(const rc_uc *uc, int64_t runner_id)
{
	return rc_role_is_staff(uc->actor->role) || (uc->actor->id && uc->actor->id == runner_id);
}

bool rc_app_condition_known(const rc_clinic *clinic, const char *key)
{
	if (!key)
		return false;
	if (strcmp(key, "other") == 0)
		return true;
	for (size_t i = 0; i < clinic->ntreats; i++)
		if (strcmp(clinic->treats[i].key, key) == 0)
			return true;
	return false;
}

/* --- joining and leaving ------------------------------------------------------------------------ */

struct join {
	const rc_uc *uc;
	int64_t runner, service, start, end, id;
	const char *urgency, *condition, *service_key;
};

static rc_err join_tx(rc_db *db, void *arg)
{
	struct join *c = arg;
	const rc_uc *uc = c->uc;
	rc_err e = rc_waitlist_join(db, c->runner, c->service, 0, c->start, c->end, c->urgency, c->condition, uc->now,
	                            &c->id);
	return e ? e : rc_audit_add(db, uc->now, uc->actor, "waitlist.join", c->runner, c->service_key, uc->address);
}

rc_err rc_app_waitlist_join(const rc_uc *uc, const rc_wait_join *in, rc_wait_joined *out, rc_problem *p)
{
	rc_service sv;
	bool found = false;
	int y1, m1, d1, y2, m2, d2;
	memset(out, 0, sizeof *out);
	if (!in->service || !*in->service)
		return rc_problem_set(p, RC_EINVAL, "service", "Choose a service.");
	rc_err e = rc_service_by_key(uc->db, in->service, &sv, &found);
	if (e)
		return e;
	if (!found)
		return rc_problem_set(p, RC_EINVAL, "service", "Choose one of the listed services.");
	if (!rc_date_parse(in->from, &y1, &m1, &d1))
		return rc_problem_set(p, RC_EINVAL, "from", "'From' must be a date, e.g. 2026-12-01.");
	if (!rc_date_parse(in->to, &y2, &m2, &d2))
		return rc_problem_set(p, RC_EINVAL, "to", "'To' must be a date, e.g. 2026-12-14.");
	int64_t days = rc_days_from_civil(y2, m2, d2) - rc_days_from_civil(y1, m1, d1) + 1;
	int64_t start = rc_tz_day_start(y1, m1, d1), end = rc_tz_day_start(y2, m2, d2 + 1);
	if (days < 1)
		return rc_problem_set(p, RC_EINVAL, "to", "'To' must be on or after 'From'.");
	if (end <= uc->now)
		return rc_problem_set(p, RC_EINVAL, "to", "'To' must not be in the past.");
	if (days > RC_WAIT_MAX_DAYS)
		return rc_problem_set(p, RC_EINVAL, "to", "'To' must be at most %d days after 'From' (both included).",
		                      RC_WAIT_MAX_DAYS);
	if (start >= rc_booking_horizon_end(uc->now))
		return rc_problem_set(p, RC_EINVAL, "from", "'From' must be within the %d days ahead that visits are booked.",
		                      RC_BOOKING_HORIZON_DAYS);
	const char *condition = in->condition && *in->condition ? in->condition : "other";
	if (!rc_app_condition_known(in->clinic, condition))
		return rc_problem_set(p, RC_EINVAL, "condition", "'What it is about' must be one of the listed choices.");
	if (strlen(condition) > RC_WAIT_CONDITION_MAX)
		return rc_problem_set(p, RC_EINVAL, "condition", "'What it is about' has a key longer than %d characters in "
		                      "the clinic's content; ask the clinic to shorten it.", RC_WAIT_CONDITION_MAX);
	struct join c = {.uc = uc, .service = sv.id, .start = start, .end = end, .condition = condition,
	                 .service_key = sv.key, .urgency = "soon"};
	if (rc_role_is_staff(uc->actor->role)) {
		/* The front desk adds a runner, with the urgency their self-check gave. */
		bool known = false;
		for (size_t i = 0; in->urgency && i < 4; i++)
			known |= strcmp(in->urgency, rc_wait_urgencies[i]) == 0;
		if (!known)
			return rc_problem_set(p, RC_EINVAL, "urgency", "'Urgency' must be emergency, urgent, soon or self_care.");
		if ((e = rc_app_patient_pick(uc, in->patient, "runner", &c.runner, p)))
			return e;
		c.urgency = in->urgency;
	} else if (uc->actor->role == RC_ROLE_RUNNER) {
		/* A runner's place follows their latest self-check: the most urgent are offered times first. */
		char latest[16], top[64];
		c.runner = uc->actor->id;
		if ((e = rc_selfcheck_latest(uc->db, c.runner, latest, sizeof latest, top, sizeof top)))
			return e;
		for (size_t i = 0; i < 4; i++)
			if (strcmp(latest, rc_wait_urgencies[i]) == 0)
				c.urgency = rc_wait_urgencies[i];
	} else {
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "Only a runner or the clinic's staff can join the waitlist.");
	}
	if ((e = rc_db_tx(uc->db, join_tx, &c)))
		return e;
	out->id = c.id;
	rc_account a;
	found = false;
	if (!rc_account_by_id(uc->db, c.runner, &a, &found) && found) {
		snprintf(out->name, sizeof out->name, "%s", a.name);
		out->has_email = a.email[0] != '\0';
	}
	return RC_OK;
}

/* --- offers ------------------------------------------------------------------------------------- */

/* The offer's mail, queued in the caller's transaction so that it is sent if and only if the offer
 * commits. */
static rc_err queue_offer_mail(const rc_uc *uc, rc_db *db, int64_t offer_id, const char *public_url)
{
	rc_offer o;
	bool found = false;
	rc_err e = rc_offer_get(db, offer_id, &o, &found);
	if (e || !found)
		return e ? e : RC_EDB;
	if (!o.runner_email[0])
		return RC_OK;
	char at[80], until[80];
	rc_tz_format(o.starts_at, "%A %-d %B at %H:%M", at, sizeof at);
	rc_tz_format(o.expires_at, "%H:%M on %A %-d %B", until, sizeof until);
	char *body = rc_arena_printf(uc->arena,
	                             "Hello %s,\n\nA time came free: %s with %s on %s.\nIt is held for you until %s: "
	                             "%s/waitlist/offers/%lld\n\nAfter that it goes to the next runner waiting.\n",
	                             o.runner_name, o.service_name, o.practitioner_name, at, until,
	                             public_url ? public_url : "", (long long)o.id);
	if (!body)
		return RC_ENOMEM;
	return rc_outbox_add(db, o.runner_email, "A time came free for you", body, uc->now);
}

/* Offers a free time to the next runner waiting who fits it, with the mail; in the caller's
 * transaction. The hold is RC_OFFER_TTL_S, but never past the last moment a runner may book the time
 * online (the booking lead time); a time already past that is offered to nobody — the front desk books
 * a walk-in. */
static rc_err pass_on(const rc_uc *uc, rc_db *db, int64_t pid, int64_t sid, int64_t start, int minutes,
                      const char *public_url, int64_t *offer_id)
{
	*offer_id = 0;
	int64_t last = start - RC_BOOKING_LEAD_S;
	if (last <= uc->now)
		return RC_OK;
	int64_t hold = uc->now + RC_OFFER_TTL_S < last ? uc->now + RC_OFFER_TTL_S : last;
	rc_err e = rc_waitlist_offer_next(db, pid, sid, start, minutes, uc->now, hold, offer_id);
	if (!e && *offer_id)
		e = queue_offer_mail(uc, db, *offer_id, public_url);
	return e;
}

struct freed {
	const rc_uc *uc;
	int64_t pid, sid, start, offer_id;
	int minutes;
	const char *public_url;
};

static rc_err freed_tx(rc_db *db, void *arg)
{
	struct freed *c = arg;
	return pass_on(c->uc, db, c->pid, c->sid, c->start, c->minutes, c->public_url, &c->offer_id);
}

rc_err rc_app_waitlist_freed(const rc_uc *uc, int64_t practitioner_id, int64_t service_id, int64_t start, int minutes,
                             const char *public_url, int64_t *offer_id)
{
	struct freed c = {uc, practitioner_id, service_id, start, 0, minutes, public_url};
	*offer_id = 0;
	if (start <= uc->now)
		return RC_OK;
	rc_err e = rc_db_tx(uc->db, freed_tx, &c);
	if (!e)
		*offer_id = c.offer_id;
	return e;
}

rc_err rc_app_waitlist_offer(const rc_uc *uc, int64_t offer_id, rc_offer *out, bool *open, rc_problem *p)
{
	bool found = false;
	*open = false;
	rc_err e = rc_offer_get(uc->db, offer_id, out, &found);
	if (e)
		return e;
	if (!found || !may_act_for(uc, out->runner_id))
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such offer.");
	*open = strcmp(out->status, "open") == 0 && out->expires_at > uc->now;
	return RC_OK;
}

enum { TAKEN_NOT_FOUND, TAKEN_NOT_OPEN, TAKEN_UNAVAILABLE, TAKEN_BOOKED };

struct accept {
	const rc_uc *uc;
	int64_t offer_id, appointment_id;
	rc_offer o;
	int outcome;
	rc_slot_state state;
};

static rc_err accept_tx(rc_db *db, void *arg)
{
	struct accept *c = arg;
	const rc_uc *uc = c->uc;
	rc_offer *o = &c->o;
	bool found = false, was_open = false, existing = false;
	c->outcome = TAKEN_NOT_FOUND;
	c->appointment_id = 0;
	rc_err e = rc_offer_get(db, c->offer_id, o, &found);
	if (e || !found || !may_act_for(uc, o->runner_id))
		return e;
	c->outcome = TAKEN_NOT_OPEN;
	if (strcmp(o->status, "open") != 0 || o->expires_at <= uc->now)
		return RC_OK;
	/* The schedule's rules, as for any booking (app/booking.c): hours, time off, the lead time; the
	 * quarter hours' keys decide whether another visit holds it. */
	int64_t ds, de;
	rc_day day;
	rc_tz_day_bounds(o->starts_at, &ds, &de);
	if ((e = rc_day_load(db, uc->arena, o->practitioner_id, ds, de, &day)))
		return e;
	c->state = rc_slot_check(&day, o->starts_at, o->minutes, rc_booking_not_before(uc->actor, uc->now));
	if (c->state == RC_SLOT_TAKEN)
		c->state = RC_SLOT_FREE;
	if (c->state != RC_SLOT_FREE) {
		c->outcome = TAKEN_UNAVAILABLE;
		return rc_offer_close(db, o->id, "gone", &was_open);
	}
	if ((e = rc_offer_close(db, o->id, "accepted", &was_open)) || !was_open)
		return e;
	e = rc_appointment_book(db, o->runner_id, o->practitioner_id, o->service_id, o->starts_at,
	                        o->starts_at + (int64_t)o->minutes * 60, uc->actor->id, NULL, "from the waitlist",
	                        o->condition[0] ? o->condition : NULL, uc->now, &c->appointment_id, &existing);
	if (e) /* RC_ECONFLICT: another visit holds a quarter hour of it; everything rolls back */
		return e;
	if ((e = rc_waitlist_booked(db, o->waitlist_id, c->appointment_id)))
		return e;
	c->outcome = TAKEN_BOOKED;
	return rc_audit_add(db, uc->now, uc->actor, "waitlist.accept", o->runner_id, o->service_key, uc->address);
}

static rc_err gone_tx(rc_db *db, void *arg)
{
	bool was_open;
	return rc_offer_close(db, *(int64_t *)arg, "gone", &was_open);
}

rc_err rc_app_waitlist_accept(const rc_uc *uc, int64_t offer_id, int64_t *appointment_id, rc_problem *p)
{
	struct accept c = {.uc = uc, .offer_id = offer_id};
	*appointment_id = 0;
	rc_err e = rc_db_tx(uc->db, accept_tx, &c);
	if (e == RC_ECONFLICT) {
		/* Someone booked it between the offer and the answer: the offer is gone, the place kept. */
		if ((e = rc_db_tx(uc->db, gone_tx, &offer_id)))
			return e;
		return rc_problem_set(p, RC_ECONFLICT, NULL,
		                      "Sorry: someone booked this time a moment ago. You keep your place on the waitlist.");
	}
	if (e)
		return e;
	switch (c.outcome) {
	case TAKEN_NOT_FOUND:
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such offer.");
	case TAKEN_NOT_OPEN:
		return rc_problem_set(p, RC_ECONFLICT, NULL, "This offer is no longer open.");
	case TAKEN_UNAVAILABLE:
		return rc_problem_set(p, RC_ECONFLICT, NULL, "Sorry: this time can no longer be booked (%s). You keep your "
		                      "place on the waitlist.", rc_slot_reason(c.state));
	default:
		*appointment_id = c.appointment_id;
		return RC_OK;
	}
}

struct decline {
	const rc_uc *uc;
	int64_t offer_id, next;
	const char *public_url;
	bool found, was_open;
};

static rc_err decline_tx(rc_db *db, void *arg)
{
	struct decline *c = arg;
	const rc_uc *uc = c->uc;
	rc_offer o;
	c->next = 0;
	c->was_open = false;
	rc_err e = rc_offer_get(db, c->offer_id, &o, &c->found);
	if (e || !c->found || !(c->found = may_act_for(uc, o.runner_id)))
		return e;
	if ((e = rc_offer_close(db, o.id, "declined", &c->was_open)) || !c->was_open)
		return e;
	if ((e = rc_audit_add(db, uc->now, uc->actor, "waitlist.decline", o.runner_id, o.service_key, uc->address)))
		return e;
	/* Straight on to the next runner waiting. */
	return pass_on(uc, db, o.practitioner_id, o.service_id, o.starts_at, o.minutes, c->public_url, &c->next);
}

rc_err rc_app_waitlist_decline(const rc_uc *uc, int64_t offer_id, const char *public_url, rc_problem *p)
{
	struct decline c = {.uc = uc, .offer_id = offer_id, .public_url = public_url};
	rc_err e = rc_db_tx(uc->db, decline_tx, &c);
	if (e)
		return e;
	if (!c.found)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such offer.");
	if (!c.was_open)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "This offer is no longer open.");
	return RC_OK;
}

struct leave {
	const rc_uc *uc;
	int64_t entry;
	const char *public_url;
};

static rc_err leave_tx(rc_db *db, void *arg)
{
	struct leave *c = arg;
	const rc_uc *uc = c->uc;
	int64_t runner = 0, offer_id = 0, next = 0;
	rc_err e = rc_waitlist_owner(db, c->entry, &runner);
	if (e)
		return e;
	if (!runner || !may_act_for(uc, runner))
		return RC_ENOTFOUND;
	if ((e = rc_waitlist_cancel(db, c->entry)) || (e = rc_waitlist_open_offer(db, c->entry, &offer_id)))
		return e;
	if ((e = rc_audit_add(db, uc->now, uc->actor, "waitlist.leave", runner, "", uc->address)) || !offer_id)
		return e;
	/* An offer held for someone who no longer waits goes on to the next at once. */
	rc_offer o;
	bool found = false, was_open = false;
	if ((e = rc_offer_get(db, offer_id, &o, &found)) || !found)
		return e;
	if ((e = rc_offer_close(db, offer_id, "declined", &was_open)) || !was_open)
		return e;
	return pass_on(uc, db, o.practitioner_id, o.service_id, o.starts_at, o.minutes, c->public_url, &next);
}

rc_err rc_app_waitlist_leave(const rc_uc *uc, int64_t entry_id, const char *public_url, rc_problem *p)
{
	struct leave c = {uc, entry_id, public_url};
	rc_err e = rc_db_tx(uc->db, leave_tx, &c);
	if (e == RC_ENOTFOUND)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "That entry was no longer waiting.");
	return e;
}

/* --- the timed job ------------------------------------------------------------------------------ */

struct sweep {
	const rc_uc *uc;
	const char *public_url;
	int64_t expired, next;
};

static rc_err sweep_tx(rc_db *db, void *arg)
{
	struct sweep *c = arg;
	const rc_uc *uc = c->uc;
	bool found = false, was_open = false;
	int64_t id = 0;
	c->expired = c->next = 0;
	rc_err e = rc_offer_next_expired(db, uc->now, &id, &found);
	if (e || !found)
		return e;
	/* Closed first, by id alone: whatever else is true of it, this offer stops being open, so the
	 * sweep always comes to an end. Only the transaction that closed it passes it on. */
	if ((e = rc_offer_close(db, id, "expired", &was_open)) || !was_open)
		return e;
	c->expired = id;
	rc_offer o;
	if ((e = rc_offer_get(db, id, &o, &found)) || !found)
		return e;
	return pass_on(uc, db, o.practitioner_id, o.service_id, o.starts_at, o.minutes, c->public_url, &c->next);
}

rc_err rc_app_waitlist_sweep(const rc_uc *uc, const char *public_url, rc_wait_sweep *out)
{
	memset(out, 0, sizeof *out);
	for (;;) {
		/* A read first: most of the time nothing is due, and that needs no write lock. */
		int64_t id;
		bool due = false;
		rc_err e = rc_offer_next_expired(uc->db, uc->now, &id, &due);
		if (e || !due)
			return e;
		struct sweep c = {uc, public_url, 0, 0};
		if ((e = rc_db_tx(uc->db, sweep_tx, &c)))
			return e;
		out->expired += c.expired != 0;
		out->offered += c.next != 0;
	}
}

/* --- what the waitlist page shows --------------------------------------------------------------- */

struct collect {
	rc_arena *arena;
	rc_wait_entry *items;
	size_t n, cap;
	bool full;
};

static void collect_entry(void *arg, const rc_wait_entry *w)
{
	struct collect *c = arg;
	rc_wait_entry *more = c->full ? NULL : rc_uc_grow(c->arena, c->items, c->n, &c->cap, sizeof *c->items);
	if (!more) {
		c->full = true;
		return;
	}
	c->items = more;
	c->items[c->n++] = *w;
}

rc_err rc_app_waitlist_view(const rc_uc *uc, rc_wait_view *out)
{
	memset(out, 0, sizeof *out);
	bool staff = rc_role_is_staff(uc->actor->role);
	if (!staff && !uc->actor->id)
		return RC_OK;
	struct collect c = {.arena = uc->arena};
	rc_err e = rc_waitlist_list(uc->db, staff ? 0 : uc->actor->id, uc->now, collect_entry, &c);
	if (e)
		return e;
	if (c.full)
		return RC_ENOMEM;
	out->entries = c.items;
	out->nentries = c.n;
	/* What one may wait for is what runners may book: a service nobody offers is not listed. */
	return rc_app_services_offered(uc, &out->services, &out->nservices);
}
