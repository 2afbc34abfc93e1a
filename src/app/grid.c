/* grid.c — the front desk's calendar (see grid.h). */
#include "app/grid.h"

#include <stdio.h>
#include <string.h>

#include "app/booking.h"
#include "app/patients.h"
#include "base/log.h"
#include "base/time.h"
#include "domain/schedule.h"

static rc_err failed(const rc_uc *uc, rc_err e, rc_problem *p, const char *what)
{
	rc_error("%s: %s", what, rc_db_errmsg(uc->db));
	return rc_problem_set(p, e == RC_ENOMEM ? RC_ENOMEM : RC_EDB, NULL,
	                      "The schedule could not be read; try again in a moment.");
}

/* What each quarter hour of the column is, by the booking rules: a free one is bookable when the
 * actor may book a visit starting then (booking.c's earliest start and horizon). */
static void fill_cells(const rc_uc *uc, const rc_day *day, rc_grid_column *c)
{
	int64_t not_before = rc_booking_not_before(uc->actor, uc->now), horizon = rc_booking_horizon_end(uc->now);
	for (size_t u = 0; u < c->nunits; u++) {
		int64_t t = c->start + (int64_t)u * RC_UNIT_S;
		rc_cell cell;
		switch (rc_slot_check(day, t, RC_UNIT_S / 60, INT64_MIN)) {
		case RC_SLOT_FREE: cell = t >= not_before && t < horizon ? RC_CELL_FREE : RC_CELL_OPEN; break;
		case RC_SLOT_TIME_OFF: cell = RC_CELL_AWAY; break;
		case RC_SLOT_TAKEN: cell = RC_CELL_TAKEN; break;
		default: cell = RC_CELL_CLOSED; break;
		}
		c->cells[u] = (unsigned char)cell;
		if (cell == RC_CELL_FREE)
			c->free_minutes += RC_UNIT_S / 60;
	}
}

rc_err rc_app_grid(const rc_uc *uc, const rc_grid_in *in, rc_grid *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (!rc_role_is_staff(uc->actor->role))
		return rc_problem_set(p, RC_ECONFLICT, NULL, "The schedule is for the clinic's staff.");
	if (in->days < 1 || in->days > RC_GRID_MAX_DAYS)
		return rc_problem_set(p, RC_EINVAL, "date", "The schedule shows 1 to %d days at once.", RC_GRID_MAX_DAYS);
	/* Every visit of the span at once; each goes in its column below. */
	int64_t from = rc_tz_day_number_start(in->first_day), to = rc_tz_day_number_start(in->first_day + in->days);
	rc_visit_list g = {uc->arena, NULL, 0, 0, false};
	rc_err e = rc_appointments_between(uc->db, in->practitioner, from, to, rc_visit_list_add, &g);
	if (e)
		return failed(uc, e, p, "grid: visits");
	if (g.full)
		return rc_problem_set(p, RC_ENOMEM, NULL, "The schedule has more visits than one page can show; "
		                                          "choose one practitioner or the day view.");
	enum { MAX = 2 * RC_BOOKING_MAX_PRACTITIONERS };
	rc_practitioner *all = rc_arena_alloc(uc->arena, sizeof *all * MAX);
	if (!all)
		return rc_problem_set(p, RC_ENOMEM, NULL, "The schedule could not be read; try again in a moment.");
	size_t n = 0;
	if ((e = rc_practitioners_list(uc->db, 0, all, RC_BOOKING_MAX_PRACTITIONERS, &n)))
		return failed(uc, e, p, "grid: practitioners");
	/* Someone no longer active keeps a column while visits of theirs are shown: no visit is left out. */
	for (size_t k = 0; k < g.n && n < MAX; k++) {
		bool listed = strcmp(g.v[k].status, "cancelled") == 0 && !in->cancelled, found = false;
		for (size_t i = 0; i < n && !listed; i++)
			listed = all[i].id == g.v[k].practitioner_id;
		if (!listed && (e = rc_practitioner_by_id(uc->db, g.v[k].practitioner_id, &all[n], &found)))
			return failed(uc, e, p, "grid: practitioner");
		n += !listed && found;
	}
	/* The staff member's own column first, the others in the clinic's order. */
	for (size_t i = 0; i < n; i++)
		if (all[i].account_id && all[i].account_id == uc->actor->id) {
			rc_practitioner own = all[i];
			memmove(all + 1, all, sizeof *all * i);
			all[0] = own;
			out->own = own.id;
			break;
		}
	out->everyone = out->practitioners = all;
	out->neveryone = out->np = n;
	if (in->practitioner) {
		size_t k = 0;
		while (k < n && all[k].id != in->practitioner)
			k++;
		if (k == n)
			return rc_problem_set(p, RC_EINVAL, "practitioner", "There is no such practitioner; choose one from the list.");
		out->practitioners = all + k;
		n = out->np = 1;
	}
	all = out->practitioners;
	out->days = in->days;
	out->ncolumns = n * (size_t)in->days;
	out->columns = rc_arena_alloc(uc->arena, sizeof *out->columns * (out->ncolumns ? out->ncolumns : 1));
	if (!out->columns)
		return rc_problem_set(p, RC_ENOMEM, NULL, "The schedule could not be read; try again in a moment.");

	for (size_t i = 0; i < n; i++)
		for (int d = 0; d < in->days; d++) {
			rc_grid_column *c = &out->columns[i * (size_t)in->days + (size_t)d];
			c->practitioner = &all[i];
			c->own = all[i].id == out->own;
			c->day = in->first_day + d;
			c->start = rc_tz_day_number_start(c->day);
			c->end = rc_tz_day_number_start(c->day + 1);
			c->nunits = (size_t)((c->end - c->start) / RC_UNIT_S);
			c->cells = rc_arena_alloc(uc->arena, c->nunits);
			c->visits = rc_arena_alloc(uc->arena, sizeof *c->visits * (g.n ? g.n : 1));
			if (!c->cells || !c->visits)
				return rc_problem_set(p, RC_ENOMEM, NULL, "The schedule could not be read; try again in a moment.");
			rc_day day;
			if ((e = rc_day_load(uc->db, uc->arena, all[i].id, c->start, c->end, &day)))
				return failed(uc, e, p, "grid: day");
			fill_cells(uc, &day, c);
			for (size_t k = 0; k < g.n; k++) {
				const rc_appointment *a = &g.v[k];
				if (a->practitioner_id != all[i].id || a->starts_at < c->start || a->starts_at >= c->end)
					continue;
				if (strcmp(a->status, "cancelled") == 0 && !in->cancelled) {
					out->hidden_cancelled++;
					continue;
				}
				c->visits[c->nvisits++] = a;
			}
		}
	return RC_OK;
}

/* --- the patient lookup -------------------------------------------------------------------------- */

rc_err rc_app_patient_lookup(const rc_uc *uc, const char *text, rc_account *out, size_t max, size_t *n, rc_problem *p)
{
	*n = 0;
	if (!rc_role_is_staff(uc->actor->role))
		return rc_problem_set(p, RC_ECONFLICT, NULL, "Looking up patients is for the clinic's staff.");
	if (!text || !*text)
		return RC_OK;
	/* The patients' own search (app/patients.h): name, phone, email or date of birth, typos forgiven. */
	rc_patient_list l;
	rc_err e = rc_app_patient_find(uc, text, 1, (int)max, &l, p);
	if (e == RC_EINVAL)
		return e;
	if (e)
		return failed(uc, e, p, "patient lookup");
	for (int i = 0; i < l.n && *n < max; i++) {
		rc_account *a = &out[(*n)++];
		memset(a, 0, sizeof *a);
		a->id = l.v[i].id;
		snprintf(a->name, sizeof a->name, "%s", l.v[i].name);
		snprintf(a->email, sizeof a->email, "%s", l.v[i].email);
		a->role = l.v[i].role;
		a->patient = true;
		a->created_at = l.v[i].created_at;
		a->deactivated_at = l.v[i].deactivated_at;
	}
	return RC_OK;
}

rc_err rc_app_patient_get(const rc_uc *uc, int64_t id, rc_account *out, rc_problem *p)
{
	bool ok = false;
	if (!rc_role_is_staff(uc->actor->role))
		return rc_problem_set(p, RC_ECONFLICT, NULL, "Looking up patients is for the clinic's staff.");
	rc_err e = rc_account_by_id(uc->db, id, out, &ok);
	if (e)
		return failed(uc, e, p, "patient");
	if (!ok || !out->patient)
		return rc_problem_set(p, RC_ENOTFOUND, "runner", "There is no such patient; search again and choose one.");
	return RC_OK;
}
