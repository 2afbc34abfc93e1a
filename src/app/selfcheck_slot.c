/* selfcheck_slot.c — the first free time for an urgent self-check result (see selfcheck_slot.h). */
#include "app/selfcheck_slot.h"

#include <string.h>

#include "app/offered.h"
#include "base/time.h"

rc_err rc_app_selfcheck_urgent_slot(const rc_uc *uc, rc_urgent_slot *out)
{
	memset(out, 0, sizeof *out);
	rc_service *sv;
	size_t n;
	rc_err e = rc_app_services_offered(uc, &sv, &n);
	if (e)
		return e;
	enum { MAX = RC_URGENT_SLOT_DAYS * RC_SLOTS_MAX_PER_DAY };
	rc_free_slot *slots = rc_arena_alloc(uc->arena, sizeof *slots * MAX);
	if (!slots)
		return RC_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		/* A physical therapist examines and refers on (to a doctor or a scan) when that is what is needed;
		 * massage and acupuncture are not the first look at an urgent problem. */
		if (strcmp(sv[i].discipline, "physical_therapy") != 0)
			continue;
		rc_booking_free_out fo = {slots, 0, MAX, 0};
		rc_booking_free_in in = {.service = &sv[i], .first_day = rc_tz_day_number(uc->now),
		                         .days = RC_URGENT_SLOT_DAYS, .each_time_once = true};
		rc_problem p;
		e = rc_app_booking_free(uc, &in, &fo, &p);
		if (e == RC_EINVAL)
			continue; /* not bookable by this actor (e.g. a service closed to online booking) */
		if (e)
			return e;
		if (!fo.n)
			continue;
		/* The earliest day first; on that day an assessment (the longest visit) before a shorter one: a new
		 * urgent problem needs the whole examination. */
		int64_t day = rc_tz_day_number(fo.slots[0].start), have = out->found ? rc_tz_day_number(out->slot.start) : 0;
		bool better = !out->found || day < have ||
		              (day == have && (sv[i].minutes > out->service.minutes ||
		                               (sv[i].minutes == out->service.minutes && fo.slots[0].start < out->slot.start)));
		if (better) {
			out->found = true;
			out->service = sv[i];
			out->slot = fo.slots[0];
		}
	}
	return RC_OK;
}
