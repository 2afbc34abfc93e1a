/* booking.c — the booking rules and use cases (see booking.h): every door books, moves, cancels and
 * marks a visit through here. A read first where it saves a write lock, then one write transaction that
 * checks hours and time off, claims the quarter hours and writes the audit line. */
#include "app/booking.h"
#include "app/patients.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/time.h"
#include "domain/triage.h"
#include "store/selfcheck_store.h"
#include "store/waitlist.h"

_Static_assert(RC_BOOKING_REASON_MAX + RC_BOOKING_NOTE_MAX <= sizeof(((rc_appointment *)0)->reason) - 1,
               "what the runner writes and the self-check's note fit the appointment's reason");

/* "Tue 1 Dec, 09:30" in the clinic's zone, for sentences. */
static const char *when(const rc_uc *uc, int64_t t)
{
	char s[48];
	rc_tz_format(t, "%H:%M on %a %e %b", s, sizeof s);
	/* %e pads a one-digit day with a space. */
	char *d = strstr(s, "  ");
	if (d)
		memmove(d, d + 1, strlen(d));
	char *out = rc_arena_printf(uc->arena, "%s", s);
	return out ? out : "";
}

int64_t rc_booking_not_before(const rc_account *actor, int64_t now)
{
	return actor && rc_role_is_staff(actor->role) ? now : now + RC_BOOKING_LEAD_S;
}

int64_t rc_booking_horizon_end(int64_t now)
{
	return rc_tz_day_number_start(rc_tz_day_number(now) + RC_BOOKING_HORIZON_DAYS + 1);
}

static bool staff(const rc_uc *uc)
{
	return rc_role_is_staff(uc->actor->role);
}

/* --- the rules ------------------------------------------------------------------------------ */

rc_err rc_booking_may_change(const rc_uc *uc, const rc_appointment *a, rc_problem *p)
{
	if (strcmp(a->status, "booked") != 0)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "Only a booked appointment can be changed.");
	if (a->starts_at <= uc->now)
		return rc_problem_set(p, RC_ECONFLICT, NULL,
		                      "The visit has begun: it can no longer be cancelled or moved, only marked.");
	if (!staff(uc) && a->starts_at - uc->now < RC_BOOKING_NOTICE_S)
		return rc_problem_set(p, RC_ECONFLICT, NULL,
		                      "It is less than 24 hours away: please call the clinic to cancel or move it.");
	return RC_OK;
}

static rc_err may_mark(const rc_uc *uc, const rc_appointment *a, rc_problem *p)
{
	if (!staff(uc))
		return rc_problem_set(p, RC_ECONFLICT, NULL, "Only the clinic's staff mark visits.");
	if (strcmp(a->status, "cancelled") == 0)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "A cancelled appointment cannot be marked.");
	if (strcmp(a->status, "arrived") == 0)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "It is already marked as arrived; take that back first.");
	if (strcmp(a->status, "no_show") == 0)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "It is marked as a no-show; take that back first.");
	return RC_OK;
}

rc_err rc_booking_may_mark_arrived(const rc_uc *uc, const rc_appointment *a, rc_problem *p)
{
	rc_err e = may_mark(uc, a, p);
	if (e)
		return e;
	int64_t ds, de;
	rc_tz_day_bounds(a->starts_at, &ds, &de);
	/* On the visit's clinic day only, even for a visit just after midnight. */
	int64_t from = a->starts_at - RC_ARRIVED_EARLY_S > ds ? a->starts_at - RC_ARRIVED_EARLY_S : ds;
	if (uc->now < from)
		return rc_problem_set(p, RC_ECONFLICT, NULL,
		                      "A visit can be marked as arrived from 2 hours before it starts, on its day (from %s).",
		                      when(uc, from));
	if (uc->now >= de)
		return rc_problem_set(p, RC_ECONFLICT, NULL,
		                      "The visit's day is over: a visit is marked as arrived on its day.");
	return RC_OK;
}

rc_err rc_booking_may_mark_no_show(const rc_uc *uc, const rc_appointment *a, rc_problem *p)
{
	rc_err e = may_mark(uc, a, p);
	if (e)
		return e;
	/* Nobody fails to turn up for a visit that has not begun. */
	if (a->starts_at > uc->now)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "A visit can be marked a no-show only once its time has come.");
	return RC_OK;
}

rc_err rc_booking_may_undo_mark(const rc_uc *uc, const rc_appointment *a, rc_problem *p)
{
	if (!staff(uc))
		return rc_problem_set(p, RC_ECONFLICT, NULL, "Only the clinic's staff mark visits.");
	if (strcmp(a->status, "arrived") != 0 && strcmp(a->status, "no_show") != 0)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "Only an arrived or no-show mark can be taken back.");
	/* A slip is put right the same day; later, the mark is part of the day's record. A mark made before
	 * the time of marks was kept counts as made on the visit's day. */
	int64_t marked = a->marked_at ? a->marked_at : a->starts_at;
	if (rc_tz_day_number(uc->now) != rc_tz_day_number(marked)) {
		char day[48];
		rc_tz_format(marked, "%A %e %B", day, sizeof day);
		return rc_problem_set(p, RC_ECONFLICT, NULL,
		                      "A mark can be taken back only on the day it was made (%s); it stays in the record.",
		                      day);
	}
	return RC_OK;
}

/* Whether a new visit may start at `start`: not past, not within the lead time (runners), within the
 * horizon. state says which, for a door that lists alternatives. */
static rc_err check_start(const rc_uc *uc, int64_t start, rc_slot_state *state, rc_problem *p)
{
	*state = RC_SLOT_PAST;
	if (start <= uc->now)
		return rc_problem_set(p, RC_EINVAL, "start", "That time has passed; choose one of the free times.");
	if (start < rc_booking_not_before(uc->actor, uc->now))
		return rc_problem_set(p, RC_EINVAL, "start",
		                      "Visits starting within the next hour are not booked online; choose a later time, "
		                      "or call the clinic.");
	if (start >= rc_booking_horizon_end(uc->now)) {
		*state = RC_SLOT_CLOSED;
		return rc_problem_set(p, RC_EINVAL, "start", "Visits are booked up to %d days ahead; choose an earlier day.",
		                      RC_BOOKING_HORIZON_DAYS);
	}
	*state = RC_SLOT_FREE;
	return RC_OK;
}

static rc_err db_failed(const rc_uc *uc, rc_err e, rc_problem *p, const char *what)
{
	rc_error("%s: %s", what, rc_db_errmsg(uc->db));
	return rc_problem_set(p, e == RC_ENOMEM ? RC_ENOMEM : RC_EDB, NULL,
	                      "The clinic's records could not be reached; nothing was changed. Try again in a moment.");
}

/* A service and a practitioner who offers it. */
static rc_err service_and_practitioner(const rc_uc *uc, const char *key, int64_t sid, int64_t pid, rc_service *sv,
                                       rc_problem *p)
{
	bool found = false, offers = false;
	rc_err e = key ? rc_service_by_key(uc->db, key, sv, &found) : rc_service_by_id(uc->db, sid, sv, &found);
	if (e)
		return db_failed(uc, e, p, "booking: service");
	if (!found)
		return rc_problem_set(p, RC_EINVAL, "service", "There is no such service; choose one from the list.");
	if (pid <= 0)
		return rc_problem_set(p, RC_EINVAL, "practitioner", "Choose who the visit is with.");
	if ((e = rc_practitioner_offers(uc->db, pid, sv->id, &offers)))
		return db_failed(uc, e, p, "booking: practitioner");
	if (!offers)
		return rc_problem_set(p, RC_EINVAL, "practitioner", "That practitioner does not offer this service.");
	return RC_OK;
}

/* Who the visit is for: a runner books for themselves, staff for the runner they chose (by id) or name
 * (by email). */
static rc_err whose(const rc_uc *uc, int64_t id, const char *typed, int64_t *runner, rc_problem *p)
{
	if (uc->actor->role == RC_ROLE_RUNNER) {
		*runner = uc->actor->id;
		return RC_OK;
	}
	if (!staff(uc))
		return rc_problem_set(p, RC_EINVAL, NULL, "Sign in to book a visit.");
	if (id <= 0) {
		rc_err e = rc_app_patient_pick(uc, typed, "runner", runner, p);
		return e && !p->text[0] ? db_failed(uc, e, p, "booking: patient") : e;
	}
	rc_account a;
	bool found = false;
	rc_err e = rc_account_by_id(uc->db, id, &a, &found);
	if (e)
		return db_failed(uc, e, p, "booking: runner");
	if (!found || !a.patient)
		return rc_problem_set(p, RC_EINVAL, "runner", "There is no such patient; search again and choose one.");
	*runner = a.id;
	return RC_OK;
}

const char *rc_app_booking_selfcheck_note(const rc_uc *uc, const struct rc_triage_kb *kb, int64_t runner)
{
	char latest[16], top[64];
	if (rc_selfcheck_latest(uc->db, runner, latest, sizeof latest, top, sizeof top) || !latest[0])
		return NULL;
	int ci = kb ? rc_triage_condition(kb, top) : -1;
	return rc_arena_printf(uc->arena, "%s; most likely %s.", rc_level_label(latest),
	                       ci >= 0 ? kb->conditions[ci].name : top);
}

/* --- booking ---------------------------------------------------------------------------------- */

struct book {
	const rc_uc *uc;
	int64_t runner, practitioner, service, start, end;
	const char *key, *reason, *condition;
	rc_slot_state state;
	int64_t id;
	bool existing;
};

static rc_err book_tx(rc_db *db, void *arg)
{
	struct book *b = arg;
	const rc_uc *uc = b->uc;
	int64_t ds, de;
	rc_tz_day_bounds(b->start, &ds, &de);
	rc_day day;
	b->existing = false;
	rc_err e = rc_day_load(db, uc->arena, b->practitioner, ds, de, &day);
	if (e)
		return e;
	b->state = rc_slot_check(&day, b->start, (int)((b->end - b->start) / 60), rc_booking_not_before(uc->actor, uc->now));
	/* "Taken" is left to the quarter-hour keys: a retry with its key must find its own booking. */
	if (b->state == RC_SLOT_TAKEN)
		b->state = RC_SLOT_FREE;
	if (b->state != RC_SLOT_FREE)
		return RC_OK;
	e = rc_appointment_book(db, b->runner, b->practitioner, b->service, b->start, b->end, uc->actor->id, b->key,
	                        b->reason, b->condition, uc->now, &b->id, &b->existing);
	if (e == RC_ECONFLICT)
		b->state = RC_SLOT_TAKEN;
	/* The audit line commits with the booking: one transaction, one flush to disk. */
	if (!e && !b->existing)
		e = rc_audit_add(db, uc->now, uc->actor, "appointment.book", b->runner, b->condition, uc->address);
	return e;
}

/* A time the slot check refused: RC_ECONFLICT when taken, RC_EINVAL otherwise, and why. */
static rc_err refused(rc_slot_state state, rc_problem *p)
{
	const char *why = rc_slot_reason(state);
	/* rc_slot_reason speaks in lower case, for the middle of a sentence. */
	return rc_problem_set(p, state == RC_SLOT_TAKEN ? RC_ECONFLICT : RC_EINVAL, "start", "%c%s.",
	                      toupper((unsigned char)why[0]), why + 1);
}

rc_err rc_app_booking_book(const rc_uc *uc, const rc_booking_in *in, rc_booking_out *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	out->state = RC_SLOT_FREE;
	rc_err e = service_and_practitioner(uc, in->service ? in->service : "", 0, in->practitioner, &out->service, p);
	if (e)
		return e;
	struct book b = {.uc = uc, .practitioner = in->practitioner, .service = out->service.id, .start = in->start,
	                 .end = in->start + (int64_t)out->service.minutes * 60, .key = in->key && *in->key ? in->key : NULL,
	                 .reason = in->reason ? in->reason : "", .condition = in->condition ? in->condition : "other"};
	if ((e = whose(uc, in->runner, in->patient, &b.runner, p)))
		return e;
	if (strlen(b.reason) > RC_BOOKING_REASON_MAX)
		return rc_problem_set(p, RC_EINVAL, "reason", "Please say it in at most %d characters.", RC_BOOKING_REASON_MAX);
	if (!*b.condition || strlen(b.condition) >= sizeof out->appointment.condition)
		return rc_problem_set(p, RC_EINVAL, "condition", "Choose what the visit is about from the list.");
	if (b.key && strlen(b.key) > RC_IDEMPOTENCY_MAX)
		return rc_problem_set(p, RC_EINVAL, "key", "The booking's key is longer than %d characters.", RC_IDEMPOTENCY_MAX);
	if ((e = check_start(uc, b.start, &out->state, p)))
		return e;
	/* A time already taken needs no write lock to be refused (unless a key may have booked it). */
	bool taken = false;
	if (!b.key && (e = rc_slot_taken(uc->db, b.practitioner, b.start, b.end, &taken)))
		return db_failed(uc, e, p, "booking");
	if (taken) {
		out->state = RC_SLOT_TAKEN;
		return refused(out->state, p);
	}
	e = rc_db_tx(uc->db, book_tx, &b);
	if (e == RC_ECONFLICT)
		e = RC_OK; /* b.state says taken */
	if (e)
		return db_failed(uc, e, p, "booking");
	out->state = b.state;
	if (b.state != RC_SLOT_FREE)
		return refused(b.state, p);
	out->existing = b.existing;
	bool found = false;
	if ((e = rc_appointment_get(uc->db, b.id, &out->appointment, &found)) || !found) {
		rc_error("booking %lld: saved but not read back: %s", (long long)b.id, rc_db_errmsg(uc->db));
		return rc_problem_set(p, RC_EDB, NULL, "The visit was booked but could not be shown; see your appointments.");
	}
	return RC_OK;
}

/* --- moving, cancelling -------------------------------------------------------------------------- */

static rc_err load(const rc_uc *uc, int64_t id, rc_appointment *a, rc_problem *p)
{
	bool found = false;
	rc_err e = rc_appointment_get(uc->db, id, a, &found);
	if (e)
		return db_failed(uc, e, p, "appointment");
	if (!found)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such appointment.");
	return RC_OK;
}

struct move {
	const rc_uc *uc;
	rc_problem *p;
	const rc_booking_move_in *in;
	rc_booking_move_out *out;
};

static rc_err move_tx(rc_db *db, void *arg)
{
	struct move *m = arg;
	const rc_uc *uc = m->uc;
	rc_booking_move_out *out = m->out;
	/* Read again inside the transaction: a cancel a moment ago wins. */
	rc_err e = load(uc, m->in->appointment, &out->before, m->p);
	if (!e)
		e = rc_booking_may_change(uc, &out->before, m->p);
	if (e)
		return e;
	int64_t ds, de, end = m->in->start + (int64_t)out->service.minutes * 60;
	rc_tz_day_bounds(m->in->start, &ds, &de);
	rc_day day;
	if ((e = rc_day_load(db, uc->arena, m->in->practitioner, ds, de, &day)))
		return e;
	out->state = rc_slot_check(&day, m->in->start, out->service.minutes, rc_booking_not_before(uc->actor, uc->now));
	if (out->state == RC_SLOT_TAKEN)
		out->state = RC_SLOT_FREE; /* the keys decide, and the appointment's own quarter hours are freed first */
	if (out->state != RC_SLOT_FREE)
		return refused(out->state, m->p);
	e = rc_appointment_move(db, out->before.id, m->in->practitioner, m->in->start, end);
	if (e == RC_ECONFLICT) {
		out->state = RC_SLOT_TAKEN;
		return refused(out->state, m->p);
	}
	if (e == RC_ENOTFOUND)
		return rc_problem_set(m->p, RC_ECONFLICT, NULL, "Only a booked appointment can be changed.");
	if (!e)
		e = rc_audit_add(db, uc->now, uc->actor, "appointment.move", out->before.runner_id, out->service.key, uc->address);
	return e;
}

rc_err rc_app_booking_move(const rc_uc *uc, const rc_booking_move_in *in, rc_booking_move_out *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	out->state = RC_SLOT_FREE;
	rc_err e = load(uc, in->appointment, &out->before, p);
	if (!e)
		e = rc_booking_may_change(uc, &out->before, p);
	if (!e)
		e = service_and_practitioner(uc, NULL, out->before.service_id, in->practitioner, &out->service, p);
	if (!e)
		e = check_start(uc, in->start, &out->state, p);
	if (e)
		return e;
	p->field = NULL;
	p->text[0] = '\0';
	struct move m = {uc, p, in, out};
	e = rc_db_tx(uc->db, move_tx, &m);
	/* A refusal from inside the transaction has said why; anything else is the database. */
	if (e && !p->text[0])
		return db_failed(uc, e, p, "moving");
	if (e)
		return e;
	bool found = false;
	if ((e = rc_appointment_get(uc->db, in->appointment, &out->after, &found)) || !found)
		return rc_problem_set(p, RC_EDB, NULL, "The visit was moved but could not be shown; see the appointments.");
	return RC_OK;
}

struct cancel {
	const rc_uc *uc;
	rc_problem *p;
	int64_t id;
	rc_appointment *a;
};

static rc_err cancel_tx(rc_db *db, void *arg)
{
	struct cancel *c = arg;
	rc_err e = load(c->uc, c->id, c->a, c->p);
	if (!e)
		e = rc_booking_may_change(c->uc, c->a, c->p);
	if (e)
		return e;
	e = rc_appointment_cancel(db, c->id, c->uc->now);
	if (e == RC_ENOTFOUND)
		return rc_problem_set(c->p, RC_ECONFLICT, NULL, "Only a booked appointment can be changed.");
	if (!e)
		e = rc_audit_add(db, c->uc->now, c->uc->actor, "appointment.cancel", c->a->runner_id, c->a->service_key,
		                 c->uc->address);
	return e;
}

rc_err rc_app_booking_cancel(const rc_uc *uc, int64_t id, rc_appointment *out, rc_problem *p)
{
	p->field = NULL;
	p->text[0] = '\0';
	struct cancel c = {uc, p, id, out};
	rc_err e = rc_db_tx(uc->db, cancel_tx, &c);
	if (e && !p->text[0])
		return db_failed(uc, e, p, "cancelling");
	if (e)
		return e;
	return load(uc, id, out, p);
}

/* --- the front desk's marks ------------------------------------------------------------------------ */

typedef rc_err (*may_fn)(const rc_uc *uc, const rc_appointment *a, rc_problem *p);

struct mark {
	const rc_uc *uc;
	rc_problem *p;
	int64_t id;
	rc_appointment *a;
	may_fn may;
	const char *status, *action;
};

static rc_err mark_tx(rc_db *db, void *arg)
{
	struct mark *m = arg;
	rc_err e = load(m->uc, m->id, m->a, m->p);
	if (!e)
		e = m->may(m->uc, m->a, m->p);
	if (e)
		return e;
	/* The time of the mark, so that taking it back is held to its day; an undo clears it. */
	e = rc_appointment_set_status(db, m->id, m->status, strcmp(m->status, "booked") == 0 ? 0 : m->uc->now);
	if (e == RC_ENOTFOUND)
		return rc_problem_set(m->p, RC_ECONFLICT, NULL, "A cancelled appointment cannot be marked.");
	/* The audit line names what the mark was, so an undo shows what it took back. */
	if (!e)
		e = rc_audit_add(db, m->uc->now, m->uc->actor, m->action, m->a->runner_id, m->a->status, m->uc->address);
	return e;
}

static rc_err mark(const rc_uc *uc, int64_t id, may_fn may, const char *status, const char *action,
                   rc_appointment *out, rc_problem *p)
{
	p->field = NULL;
	p->text[0] = '\0';
	struct mark m = {uc, p, id, out, may, status, action};
	rc_err e = rc_db_tx(uc->db, mark_tx, &m);
	if (e && !p->text[0])
		return db_failed(uc, e, p, action);
	if (e)
		return e;
	return load(uc, id, out, p);
}

rc_err rc_app_booking_arrived(const rc_uc *uc, int64_t id, rc_appointment *out, rc_problem *p)
{
	return mark(uc, id, rc_booking_may_mark_arrived, "arrived", "appointment.arrived", out, p);
}

rc_err rc_app_booking_no_show(const rc_uc *uc, int64_t id, rc_appointment *out, rc_problem *p)
{
	return mark(uc, id, rc_booking_may_mark_no_show, "no_show", "appointment.no_show", out, p);
}

rc_err rc_app_booking_undo_mark(const rc_uc *uc, int64_t id, rc_appointment *out, rc_problem *p)
{
	return mark(uc, id, rc_booking_may_undo_mark, "booked", "appointment.unmark", out, p);
}

/* --- free times ------------------------------------------------------------------------------------- */

struct ranked {
	int64_t start;
	size_t rank; /* the practitioner's place in the list */
	int64_t practitioner;
};

static int by_time_then_rank(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

rc_err rc_app_booking_free(const rc_uc *uc, const rc_booking_free_in *in, rc_booking_free_out *out, rc_problem *p)
{
	out->n = 0;
	out->next_day = 0;
	rc_practitioner *ps = rc_arena_alloc(uc->arena, sizeof *ps * RC_BOOKING_MAX_PRACTITIONERS);
	struct ranked *day_slots = rc_arena_alloc(uc->arena, sizeof *day_slots * RC_BOOKING_MAX_PRACTITIONERS *
	                                                         RC_SLOTS_MAX_PER_DAY);
	if (!ps || !day_slots)
		return rc_problem_set(p, RC_ENOMEM, NULL, "The free times could not be gathered; try again in a moment.");
	size_t np = 0;
	rc_err e = rc_practitioners_list(uc->db, in->service->id, ps, RC_BOOKING_MAX_PRACTITIONERS, &np);
	if (e)
		return db_failed(uc, e, p, "free times");
	int64_t not_before = rc_booking_not_before(uc->actor, uc->now), horizon = rc_booking_horizon_end(uc->now);
	if (in->from > not_before)
		not_before = in->from;
	for (int d = 0; d < in->days; d++) {
		int64_t ds = rc_tz_day_number_start(in->first_day + d), de = rc_tz_day_number_start(in->first_day + d + 1);
		if (de <= not_before)
			continue;
		if (ds >= horizon)
			break;
		size_t nd = 0;
		for (size_t i = 0; i < np; i++) {
			if (in->practitioner && ps[i].id != in->practitioner)
				continue;
			rc_day day;
			int64_t s[RC_SLOTS_MAX_PER_DAY];
			if ((e = rc_day_load(uc->db, uc->arena, ps[i].id, ds, de, &day)))
				return db_failed(uc, e, p, "free times");
			size_t ns = rc_slots_free(&day, in->service->minutes, not_before, s, RC_SLOTS_MAX_PER_DAY);
			for (size_t k = 0; k < ns; k++)
				if (s[k] < horizon)
					day_slots[nd++] = (struct ranked){s[k], i, ps[i].id};
		}
		qsort(day_slots, nd, sizeof *day_slots, by_time_then_rank);
		size_t kept = 0;
		for (size_t k = 0; k < nd; k++)
			if (!in->each_time_once || kept == 0 || day_slots[kept - 1].start != day_slots[k].start)
				day_slots[kept++] = day_slots[k];
		if (out->n + kept > out->max) {
			out->next_day = in->first_day + d;
			break;
		}
		for (size_t k = 0; k < kept; k++)
			out->slots[out->n++] = (rc_free_slot){day_slots[k].start, day_slots[k].practitioner};
	}
	return RC_OK;
}

/* --- a recurring series ------------------------------------------------------------------------------ */

static bool skipped(const rc_series_in *in, int64_t day)
{
	for (size_t i = 0; i < in->nskip; i++)
		if (in->skip[i] == day)
			return true;
	return false;
}

/* The start of the k-th visit: the first one's clinic wall-clock time, every_weeks * k weeks later, so a
 * series keeps its hour across a daylight-saving change. 0 when there is no such time. */
static int64_t series_start(const rc_series_in *in, int k)
{
	struct tm tm;
	rc_tz_local(in->start, &tm);
	char ymd[11], local[24];
	rc_day_name(rc_tz_day_number(in->start) + (int64_t)7 * in->every_weeks * k, ymd);
	snprintf(local, sizeof local, "%sT%02d:%02d", ymd, tm.tm_hour, tm.tm_min);
	int64_t t = 0;
	return rc_tz_parse_local(local, &t) ? t : 0;
}

/* Whether one date can be booked, by the same rules as a single visit: its state, and why not. */
static rc_err series_check(const rc_uc *uc, rc_db *db, int64_t practitioner, int minutes, rc_series_visit *v)
{
	rc_problem why = {0};
	v->why = NULL;
	if (check_start(uc, v->start, &v->state, &why) == RC_OK) {
		int64_t ds, de;
		rc_tz_day_bounds(v->start, &ds, &de);
		rc_day day;
		rc_err e = rc_day_load(db, uc->arena, practitioner, ds, de, &day);
		if (e)
			return e;
		v->state = rc_slot_check(&day, v->start, minutes, rc_booking_not_before(uc->actor, uc->now));
		if (v->state != RC_SLOT_FREE)
			(void)refused(v->state, &why);
	}
	if (v->state != RC_SLOT_FREE)
		v->why = rc_arena_strdup(uc->arena, why.text);
	return RC_OK;
}

/* What a series needs before its dates are looked at: who may book it, what, with whom, for whom. */
static rc_err series_input(const rc_uc *uc, const rc_series_in *in, rc_series_out *out, int64_t *runner,
                           rc_problem *p)
{
	if (!staff(uc))
		return rc_problem_set(p, RC_ECONFLICT, NULL, "Only the clinic's staff book recurring visits.");
	if (in->every_weeks < 1 || in->every_weeks > RC_SERIES_EVERY_MAX)
		return rc_problem_set(p, RC_EINVAL, "every", "Repeat every 1 to %d weeks.", RC_SERIES_EVERY_MAX);
	if (in->count < 2 || in->count > RC_SERIES_MAX)
		return rc_problem_set(p, RC_EINVAL, "count", "A series has 2 to %d visits.", RC_SERIES_MAX);
	rc_err e = service_and_practitioner(uc, in->service ? in->service : "", 0, in->practitioner, &out->service, p);
	if (!e)
		e = whose(uc, in->runner, NULL, runner, p);
	if (e)
		return e;
	if (in->reason && strlen(in->reason) > RC_BOOKING_REASON_MAX)
		return rc_problem_set(p, RC_EINVAL, "reason", "Please say it in at most %d characters.", RC_BOOKING_REASON_MAX);
	if (in->condition && (!*in->condition || strlen(in->condition) >= sizeof ((rc_appointment *)0)->condition))
		return rc_problem_set(p, RC_EINVAL, "condition", "Choose what the visit is about from the list.");
	if (in->key && strlen(in->key) > RC_IDEMPOTENCY_MAX)
		return rc_problem_set(p, RC_EINVAL, "key", "The booking's key is longer than %d characters.", RC_IDEMPOTENCY_MAX);
	return RC_OK;
}

static rc_err plan(const rc_uc *uc, const rc_series_in *in, rc_series_out *out, int64_t *runner, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	rc_err e = series_input(uc, in, out, runner, p);
	if (e)
		return e;
	for (int k = 0; k < in->count; k++) {
		rc_series_visit *v = &out->visits[out->n++];
		if (!(v->start = series_start(in, k)))
			return rc_problem_set(p, RC_EINVAL, "start", "Choose the first visit's date and time.");
		v->day = rc_tz_day_number(v->start);
		v->skip = skipped(in, v->day);
		if (v->skip)
			continue;
		if ((e = series_check(uc, uc->db, in->practitioner, out->service.minutes, v)))
			return db_failed(uc, e, p, "series");
		out->conflicts += v->state != RC_SLOT_FREE;
	}
	return RC_OK;
}

rc_err rc_app_booking_series_plan(const rc_uc *uc, const rc_series_in *in, rc_series_out *out, rc_problem *p)
{
	int64_t runner;
	return plan(uc, in, out, &runner, p);
}

struct series_tx {
	const rc_uc *uc;
	const rc_series_in *in;
	rc_series_out *out;
	int64_t runner;
};

static rc_err series_tx(rc_db *db, void *arg)
{
	struct series_tx *t = arg;
	const rc_uc *uc = t->uc;
	const rc_series_in *in = t->in;
	rc_series_out *out = t->out;
	int minutes = out->service.minutes;
	const char *condition = in->condition ? in->condition : "other";
	rc_series s = {.practitioner_id = in->practitioner, .service_id = out->service.id, .every_weeks = in->every_weeks,
	               .occurrences = in->count, .created_by = uc->actor->id, .created_at = uc->now};
	out->booked = 0;
	rc_err e = rc_series_create(db, &s, in->key, &out->series, &out->existing);
	if (e || out->existing)
		return e;
	for (size_t i = 0; i < out->n; i++) {
		rc_series_visit *v = &out->visits[i];
		v->appointment = 0;
		if (v->skip)
			continue;
		/* Read again under the write lock: a date taken since the plan stops the whole series. */
		if ((e = series_check(uc, db, in->practitioner, minutes, v)))
			return e;
		if (v->state != RC_SLOT_FREE)
			return RC_ECONFLICT;
		bool existing = false;
		e = rc_appointment_book(db, t->runner, in->practitioner, out->service.id, v->start,
		                        v->start + (int64_t)minutes * 60, uc->actor->id, NULL, in->reason ? in->reason : "",
		                        condition, uc->now, &v->appointment, &existing);
		if (e == RC_ECONFLICT) {
			v->state = RC_SLOT_TAKEN;
			v->why = "That time is already booked.";
		}
		if (!e)
			e = rc_appointment_set_series(db, v->appointment, out->series);
		if (!e)
			e = rc_audit_add(db, uc->now, uc->actor, "appointment.book", t->runner, condition, uc->address);
		if (e)
			return e;
		out->booked++;
	}
	char *detail = rc_arena_printf(uc->arena, "%zu visits, every %d week%s", out->booked, in->every_weeks,
	                               in->every_weeks == 1 ? "" : "s");
	return rc_audit_add(db, uc->now, uc->actor, "series.book", t->runner, detail ? detail : "", uc->address);
}

rc_err rc_app_booking_series_book(const rc_uc *uc, const rc_series_in *in, rc_series_out *out, rc_problem *p)
{
	struct series_tx t = {uc, in, out, 0};
	rc_err e = plan(uc, in, out, &t.runner, p);
	if (e)
		return e;
	/* A second click on the same form finds the series the first one booked. */
	bool found = false;
	if (in->key && *in->key && (e = rc_series_by_key(uc->db, uc->actor->id, in->key, &out->series, &found)))
		return db_failed(uc, e, p, "series");
	if (found) {
		out->existing = true;
		return RC_OK;
	}
	if (out->conflicts)
		return rc_problem_set(p, RC_ECONFLICT, NULL,
		                      "%zu of the %zu dates cannot be booked (named below): nothing was booked. Book the "
		                      "others without them, or change the series.", out->conflicts, out->n);
	size_t left = 0;
	for (size_t i = 0; i < out->n; i++)
		left += !out->visits[i].skip;
	if (!left)
		return rc_problem_set(p, RC_EINVAL, NULL, "Every date is left out: there is nothing to book.");
	e = rc_db_tx(uc->db, series_tx, &t);
	/* The same key racing itself: the other request booked the series. */
	if (e == RC_ECONFLICT && in->key && *in->key && !rc_series_by_key(uc->db, uc->actor->id, in->key, &out->series, &found) &&
	    found) {
		out->existing = true;
		return RC_OK;
	}
	if (e == RC_ECONFLICT) {
		out->conflicts = 0;
		for (size_t i = 0; i < out->n; i++)
			out->conflicts += !out->visits[i].skip && out->visits[i].state != RC_SLOT_FREE;
		out->booked = 0;
		out->series = 0;
		return rc_problem_set(p, RC_ECONFLICT, NULL,
		                      "A date was taken a moment ago: nothing was booked. The dates that cannot be booked "
		                      "are named below.");
	}
	if (e)
		return db_failed(uc, e, p, "series");
	return RC_OK;
}

void rc_visit_list_add(void *ctx, const rc_appointment *a)
{
	rc_visit_list *l = ctx;
	rc_appointment *grown = l->full ? NULL : rc_uc_grow(l->arena, l->v, l->n, &l->cap, sizeof *l->v);
	if (!grown) {
		l->full = true;
		return;
	}
	l->v = grown;
	l->v[l->n++] = *a;
}

rc_err rc_app_booking_series_show(const rc_uc *uc, int64_t id, rc_series_view *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (!staff(uc))
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such series.");
	bool found = false;
	rc_err e = rc_series_get(uc->db, id, &out->series, &found);
	if (!e && found)
		e = rc_service_by_id(uc->db, out->series.service_id, &out->service, &found);
	if (e)
		return db_failed(uc, e, p, "series");
	if (!found)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such series.");
	rc_visit_list l = {uc->arena, NULL, 0, 0, false};
	if ((e = rc_appointments_of_series(uc->db, id, rc_visit_list_add, &l)))
		return db_failed(uc, e, p, "series");
	if (l.full)
		return rc_problem_set(p, RC_ENOMEM, NULL, "The series could not be shown; try again in a moment.");
	out->visits = l.v;
	out->n = l.n;
	return RC_OK;
}

struct series_cancel {
	const rc_uc *uc;
	int64_t id;
	rc_appointment *cancelled;
	size_t *n;
};

static rc_err series_cancel_tx(rc_db *db, void *arg)
{
	struct series_cancel *c = arg;
	rc_visit_list l = {c->uc->arena, NULL, 0, 0, false};
	*c->n = 0;
	rc_err e = rc_appointments_of_series(db, c->id, rc_visit_list_add, &l);
	if (!e && l.full)
		e = RC_ENOMEM;
	for (size_t i = 0; !e && i < l.n; i++) {
		rc_problem ignored;
		/* What has begun or been marked stays; the rest goes, by the rule a single cancel follows. */
		if (rc_booking_may_change(c->uc, &l.v[i], &ignored) || *c->n == RC_SERIES_MAX)
			continue;
		if ((e = rc_appointment_cancel(db, l.v[i].id, c->uc->now)))
			break;
		e = rc_audit_add(db, c->uc->now, c->uc->actor, "appointment.cancel", l.v[i].runner_id, l.v[i].service_key,
		                 c->uc->address);
		c->cancelled[(*c->n)++] = l.v[i];
	}
	return e;
}

rc_err rc_app_booking_series_cancel(const rc_uc *uc, int64_t id, rc_appointment *cancelled, size_t *n, rc_problem *p)
{
	*n = 0;
	rc_series_view v;
	rc_err e = rc_app_booking_series_show(uc, id, &v, p);
	if (e)
		return e;
	struct series_cancel c = {uc, id, cancelled, n};
	if ((e = rc_db_tx(uc->db, series_cancel_tx, &c)))
		return db_failed(uc, e, p, "cancelling a series");
	/* As they are now (cancelled), for the runner's mail. */
	for (size_t i = 0; i < *n; i++) {
		bool found = false;
		if (rc_appointment_get(uc->db, cancelled[i].id, &cancelled[i], &found) || !found)
			rc_error("series %lld: visit %lld cancelled but not read back", (long long)id, (long long)cancelled[i].id);
	}
	return RC_OK;
}
