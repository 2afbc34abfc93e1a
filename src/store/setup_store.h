/* setup_store.h — statements for changing the clinic's setup: services and practitioners edited,
 * retired and brought back (a retired row stays, so past visits keep their names), who offers what,
 * weekly hours and time off row by row, and the services runners may book. The rules are
 * app/setup.c's; these only read and write. */
#ifndef RC_STORE_SETUP_H
#define RC_STORE_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/schedule.h"
#include "store/booking.h"
#include "store/db.h"

/* Every service, retired ones too: active first, then by name. */
typedef void (*rc_setup_service_fn)(void *ctx, const rc_service *sv, bool active);
RC_WUR rc_err rc_setup_services(rc_db *db, rc_setup_service_fn fn, void *ctx);
/* One service by id or by key (retired ones too). */
RC_WUR rc_err rc_setup_service_get(rc_db *db, int64_t id, const char *key, rc_service *out, bool *active, bool *found);
RC_WUR rc_err rc_setup_service_update(rc_db *db, int64_t id, const char *name, int minutes, int64_t price_cents,
                                      const char *discipline);
RC_WUR rc_err rc_setup_service_set_active(rc_db *db, int64_t id, bool active);
/* The services runners may book: active, and offered by at least one active practitioner; by id. The
 * same limit as rc_services_list (RC_ETOOBIG past max). */
RC_WUR rc_err rc_setup_services_offered(rc_db *db, rc_service *out, size_t max, size_t *n);
/* One of those by key: *found false when it is retired, unknown or offered by nobody. */
RC_WUR rc_err rc_setup_service_offered(rc_db *db, const char *key, rc_service *out, bool *found);
/* Booked visits of a service from `from` on. */
RC_WUR rc_err rc_setup_service_booked(rc_db *db, int64_t service_id, int64_t from, int64_t *n);

/* Every practitioner, retired ones too: active first, then by name. */
typedef void (*rc_setup_practitioner_fn)(void *ctx, const rc_practitioner *p, bool active);
RC_WUR rc_err rc_setup_practitioners(rc_db *db, rc_setup_practitioner_fn fn, void *ctx);
RC_WUR rc_err rc_setup_practitioner_get(rc_db *db, int64_t id, rc_practitioner *out, bool *active, bool *found);
/* account_id 0: no sign-in linked. */
RC_WUR rc_err rc_setup_practitioner_update(rc_db *db, int64_t id, int64_t account_id, const char *name,
                                           const char *disciplines);
RC_WUR rc_err rc_setup_practitioner_set_active(rc_db *db, int64_t id, bool active);

/* Who offers what: every (practitioner, service) pair. A retired practitioner or service keeps its
 * pairs, for when it is brought back; the lists of what runners may book leave them out. */
typedef void (*rc_setup_offer_fn)(void *ctx, int64_t practitioner_id, int64_t service_id);
RC_WUR rc_err rc_setup_offers(rc_db *db, rc_setup_offer_fn fn, void *ctx);
/* Adds the pair unless it is there, or removes it. */
RC_WUR rc_err rc_setup_offer_set(rc_db *db, int64_t practitioner_id, int64_t service_id, bool offers);

/* A practitioner's weekly hours with their ids, by day and time. */
typedef struct rc_setup_hours {
	int64_t id, practitioner_id;
	rc_weekly w;
} rc_setup_hours;
typedef void (*rc_setup_hours_fn)(void *ctx, const rc_setup_hours *h);
/* practitioner_id 0: everyone's. */
RC_WUR rc_err rc_setup_hours_list(rc_db *db, int64_t practitioner_id, rc_setup_hours_fn fn, void *ctx);
RC_WUR rc_err rc_setup_hours_get(rc_db *db, int64_t id, rc_setup_hours *out, bool *found);
RC_WUR rc_err rc_setup_hours_update(rc_db *db, int64_t id, int weekday, int start_minute, int end_minute);
RC_WUR rc_err rc_setup_hours_delete(rc_db *db, int64_t id);

/* Time off and extra hours, with their ids. */
typedef struct rc_setup_exception {
	int64_t id, practitioner_id, start, end;
	char kind[16], note[201];
} rc_setup_exception;
typedef void (*rc_setup_exception_fn)(void *ctx, const rc_setup_exception *x);
/* Those ending after `from` (practitioner_id 0: everyone's), soonest first. */
RC_WUR rc_err rc_setup_exceptions_list(rc_db *db, int64_t practitioner_id, int64_t from, rc_setup_exception_fn fn,
                                       void *ctx);
RC_WUR rc_err rc_setup_exception_get(rc_db *db, int64_t id, rc_setup_exception *out, bool *found);
RC_WUR rc_err rc_setup_exception_update(rc_db *db, int64_t id, int64_t start, int64_t end, const char *note);
RC_WUR rc_err rc_setup_exception_delete(rc_db *db, int64_t id);

#endif
