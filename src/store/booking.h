/* booking.h — services, practitioners, weekly hours, exceptions and appointments. No double
 * booking: rc_appointment_book claims one appointment_unit row per quarter hour, and the primary
 * key lets only one appointment own each. */
#ifndef RC_STORE_BOOKING_H
#define RC_STORE_BOOKING_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "domain/schedule.h"
#include "store/db.h"

/* A clinic's active services and practitioners: creation refuses the next one (RC_ETOOBIG), and the
 * lists read them all, so no page or forecast silently leaves one out. */
enum { RC_BOOKING_MAX_SERVICES = 64, RC_BOOKING_MAX_PRACTITIONERS = 64, RC_IDEMPOTENCY_MAX = 64 };

typedef struct rc_service {
	int64_t id;
	char key[33], name[81], discipline[33];
	int minutes;
	int64_t price_cents;
} rc_service;

typedef struct rc_practitioner {
	int64_t id, account_id; /* account_id 0 when the person has no sign-in */
	char name[121], disciplines[129];
} rc_practitioner;

typedef struct rc_appointment {
	int64_t id, runner_id, practitioner_id, service_id, starts_at, ends_at, created_at;
	int64_t series_id;  /* the recurring series it belongs to, or 0 */
	int64_t marked_at;  /* when it was marked arrived or a no-show, or 0 */
	char status[16], reason[501], condition[33];
	char service_key[33], service_name[81], practitioner_name[121], runner_name[121], runner_email[255];
} rc_appointment;

RC_WUR rc_err rc_services_list(rc_db *db, rc_service *out, size_t max, size_t *n);
RC_WUR rc_err rc_service_by_key(rc_db *db, const char *key, rc_service *out, bool *found);
RC_WUR rc_err rc_service_by_id(rc_db *db, int64_t id, rc_service *out, bool *found);
/* Those who offer the service (service_id 0: everyone active). */
RC_WUR rc_err rc_practitioners_list(rc_db *db, int64_t service_id, rc_practitioner *out, size_t max, size_t *n);
RC_WUR rc_err rc_practitioner_by_id(rc_db *db, int64_t id, rc_practitioner *out, bool *found);
/* The practitioner a staff account is (found false: the account is not a practitioner's). */
RC_WUR rc_err rc_practitioner_of_account(rc_db *db, int64_t account_id, rc_practitioner *out, bool *found);
RC_WUR rc_err rc_practitioner_offers(rc_db *db, int64_t practitioner_id, int64_t service_id, bool *offers);

/* Setting the clinic up. */
RC_WUR rc_err rc_service_create(rc_db *db, const char *key, const char *name, int minutes, int64_t price_cents,
                                const char *discipline, int64_t *id);
RC_WUR rc_err rc_practitioner_create(rc_db *db, int64_t account_id, const char *name, const char *disciplines,
                                     int64_t *id);
RC_WUR rc_err rc_practitioner_offer(rc_db *db, int64_t practitioner_id, int64_t service_id);
RC_WUR rc_err rc_hours_add(rc_db *db, int64_t practitioner_id, int weekday, int start_minute, int end_minute);
RC_WUR rc_err rc_exception_add(rc_db *db, int64_t practitioner_id, const char *kind, int64_t start, int64_t end,
                               const char *note);

typedef void (*rc_hours_fn)(void *ctx, int weekday, int start_minute, int end_minute);
RC_WUR rc_err rc_hours_list(rc_db *db, int64_t practitioner_id, rc_hours_fn fn, void *ctx);
typedef void (*rc_exception_fn)(void *ctx, const char *kind, int64_t start, int64_t end, const char *note);
/* Exceptions ending after `from`, soonest first. */
RC_WUR rc_err rc_exceptions_list(rc_db *db, int64_t practitioner_id, int64_t from, rc_exception_fn fn, void *ctx);
/* The service keys a practitioner offers, space-separated, into out. */
RC_WUR rc_err rc_practitioner_services(rc_db *db, int64_t practitioner_id, char *out, size_t n);

/* Everything rc_slot_check needs for one practitioner's local day [start, end), in the arena. */
RC_WUR rc_err rc_day_load(rc_db *db, rc_arena *a, int64_t practitioner_id, int64_t start, int64_t end, rc_day *out);

/* Books inside the caller's transaction. *existing is true when this runner already used the
 * idempotency key: *id is then that earlier booking and nothing new is written. RC_ECONFLICT when
 * any quarter hour of it is taken. */
RC_WUR rc_err rc_appointment_book(rc_db *db, int64_t runner_id, int64_t practitioner_id, int64_t service_id,
                                  int64_t start, int64_t end, int64_t booked_by, const char *idempotency_key,
                                  const char *reason, const char *condition, int64_t now, int64_t *id,
                                  bool *existing);
/* Moves a booked appointment to a new start (and practitioner), in the caller's transaction. */
RC_WUR rc_err rc_appointment_move(rc_db *db, int64_t id, int64_t practitioner_id, int64_t start, int64_t end);
RC_WUR rc_err rc_appointment_cancel(rc_db *db, int64_t id, int64_t now);
/* Marks a booked, arrived or no-show visit with status; marked_at is when (0: not marked, i.e. booked again). */
RC_WUR rc_err rc_appointment_set_status(rc_db *db, int64_t id, const char *status, int64_t marked_at);
RC_WUR rc_err rc_appointment_get(rc_db *db, int64_t id, rc_appointment *out, bool *found);
/* The runner who owns appointment id, or 0. */
RC_WUR rc_err rc_appointment_owner(rc_db *db, int64_t id, int64_t *runner_id);

typedef void (*rc_appointment_fn)(void *ctx, const rc_appointment *a);
/* A runner's appointments, soonest first (past ones too). */
RC_WUR rc_err rc_appointments_of_runner(rc_db *db, int64_t runner_id, rc_appointment_fn fn, void *ctx);
/* The visits of a recurring series, by start. */
RC_WUR rc_err rc_appointments_of_series(rc_db *db, int64_t series_id, rc_appointment_fn fn, void *ctx);
/* Appointments starting in [from, to), for one practitioner or (0) all, by start. */
RC_WUR rc_err rc_appointments_between(rc_db *db, int64_t practitioner_id, int64_t from, int64_t to,
                                      rc_appointment_fn fn, void *ctx);

#endif
