/* offered.c — the services runners may book (see offered.h). */
#include "app/offered.h"

#include "store/setup_store.h"

rc_err rc_app_services_offered(const rc_uc *uc, rc_service **out, size_t *n)
{
	/* However many there are (the clinic's limit is kept when they are added, but this list does not
	 * depend on it): read again, twice as long, until they fit. */
	for (size_t cap = RC_BOOKING_MAX_SERVICES;; cap *= 2) {
		rc_service *sv = rc_arena_alloc(uc->arena, cap * sizeof *sv);
		if (!sv)
			return RC_ENOMEM;
		rc_err e = rc_setup_services_offered(uc->db, sv, cap, n);
		if (e == RC_ETOOBIG)
			continue;
		*out = sv;
		return e;
	}
}

rc_err rc_app_service_offered(const rc_uc *uc, const char *key, rc_service *out, bool *found)
{
	return rc_setup_service_offered(uc->db, key, out, found);
}
