/* api.c — the JSON API for booking: services, practitioners, free slots, appointments.
 * Bearer tokens only (http.c); errors are {"error": "...", "status": N} naming the field. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/time.h"
#include "domain/schedule.h"
#include "store/booking.h"
#include "store/waitlist.h"
#include "web/bookings.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

enum { RC_API_MAX_DAYS = 31, RC_API_MAX_SLOTS = 2000 };

static json_t *iso(int64_t t)
{
	char s[40];
	rc_tz_rfc3339(t, s, sizeof s);
	return json_string(s);
}

static json_t *appointment_json(const rc_appointment *a)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:s, s:o, s:o, s:s}", "id", (json_int_t)a->id, "service", a->service_key,
	                 "service_name", a->service_name, "practitioner", (json_int_t)a->practitioner_id,
	                 "practitioner_name", a->practitioner_name, "start", iso(a->starts_at), "end", iso(a->ends_at),
	                 "status", a->status);
}

void rc_page_api_services(rc_req *r)
{
	rc_service sv[RC_BOOKING_MAX_SERVICES];
	size_t n = 0;
	if (rc_services_list(rc_req_db(r), sv, RC_BOOKING_MAX_SERVICES, &n)) {
		rc_page_error(r, 503, "The services could not be read; try again.");
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:i, s:I, s:s}", "key", sv[i].key, "name", sv[i].name,
		                                      "minutes", sv[i].minutes, "price_cents", (json_int_t)sv[i].price_cents,
		                                      "discipline", sv[i].discipline));
	rc_req_json(r, 200, json_pack("{s:o}", "services", list));
}

void rc_page_api_practitioners(rc_req *r)
{
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t n = 0;
	if (rc_practitioners_list(rc_req_db(r), 0, ps, RC_BOOKING_MAX_PRACTITIONERS, &n)) {
		rc_page_error(r, 503, "The practitioners could not be read; try again.");
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_array();
		char buf[sizeof ps[i].disciplines];
		snprintf(buf, sizeof buf, "%s", ps[i].disciplines);
		for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
			json_array_append_new(d, json_string(t));
		json_array_append_new(list, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)ps[i].id, "name", ps[i].name,
		                                      "disciplines", d));
	}
	rc_req_json(r, 200, json_pack("{s:o}", "practitioners", list));
}

void rc_page_api_slots(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	const char *key = rc_req_query(r, "service"), *from = rc_req_query(r, "from"), *to = rc_req_query(r, "to");
	rc_service sv;
	bool found = false;
	int y1, m1, d1, y2, m2, d2;
	if (!key || rc_service_by_key(db, key, &sv, &found) || !found) {
		rc_page_error(r, 400, "'service' must be the key of a service (see GET /api/services).");
		return;
	}
	if (!from || !rc_date_parse(from, &y1, &m1, &d1)) {
		rc_page_error(r, 400, "'from' must be a date written YYYY-MM-DD.");
		return;
	}
	if (!to || !rc_date_parse(to, &y2, &m2, &d2)) {
		rc_page_error(r, 400, "'to' must be a date written YYYY-MM-DD.");
		return;
	}
	int64_t start = rc_tz_day_start(y1, m1, d1), end = rc_tz_day_start(y2, m2, d2 + 1);
	if (end <= start || end - start > (int64_t)RC_API_MAX_DAYS * 86400 + 3600) {
		rc_page_error(r, 400, "'to' must be on or after 'from', at most 31 days later.");
		return;
	}
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t np = 0;
	if (rc_practitioners_list(db, sv.id, ps, RC_BOOKING_MAX_PRACTITIONERS, &np)) {
		rc_page_error(r, 503, "The schedule could not be read; try again.");
		return;
	}
	json_t *slots = json_array();
	size_t total = 0;
	int64_t now = r->now;
	for (int64_t noon = start + 12 * 3600; noon < end && total < RC_API_MAX_SLOTS; noon += 86400) {
		int64_t ds, de;
		rc_tz_day_bounds(noon, &ds, &de);
		for (size_t i = 0; i < np; i++) {
			rc_day day;
			int64_t s[RC_SLOTS_MAX_PER_DAY];
			if (rc_day_load(db, &r->arena, ps[i].id, ds, de, &day))
				continue;
			size_t n = rc_slots_free(&day, sv.minutes, now, s, RC_SLOTS_MAX_PER_DAY);
			for (size_t k = 0; k < n && total < RC_API_MAX_SLOTS; k++, total++)
				json_array_append_new(slots, json_pack("{s:o, s:I}", "start", iso(s[k]), "practitioner",
				                                       (json_int_t)ps[i].id));
		}
	}
	rc_req_json(r, 200, json_pack("{s:s, s:i, s:o}", "service", sv.key, "minutes", sv.minutes, "slots", slots));
}

void rc_page_api_book(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	json_error_t je;
	json_t *in = r->body.len ? json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je) : NULL;
	if (!in || !json_is_object(in)) {
		char msg[300];
		snprintf(msg, sizeof msg, "The body must be a JSON object: %s", in ? "it is not an object" : r->body.len ? je.text : "it is empty");
		json_decref(in);
		rc_page_error(r, 400, msg);
		return;
	}
	const char *key = json_string_value(json_object_get(in, "service"));
	json_t *pj = json_object_get(in, "practitioner");
	const char *start_s = json_string_value(json_object_get(in, "start"));
	rc_service sv;
	bool found = false, offers = false;
	int64_t start = 0;
	const char *err = NULL;
	unsigned status = 400;
	if (!key || rc_service_by_key(db, key, &sv, &found) || !found)
		err = "'service' must be the key of a service (see GET /api/services).";
	else if (!json_is_integer(pj) || json_integer_value(pj) <= 0)
		err = "'practitioner' must be a practitioner's id (a number; see GET /api/practitioners).";
	else if (!start_s || !rc_time_parse_rfc3339(start_s, &start))
		err = "'start' must be a time with its zone, e.g. 2026-12-01T09:30:00-08:00.";
	else if (rc_practitioner_offers(db, json_integer_value(pj), sv.id, &offers) || !offers)
		err = "'practitioner' does not offer this service.";
	if (err) {
		json_decref(in);
		rc_page_error(r, status, err);
		return;
	}
	const char *idem = rc_req_in_header(r, "Idempotency-Key");
	if (idem && (strlen(idem) == 0 || strlen(idem) > RC_IDEMPOTENCY_MAX)) {
		json_decref(in);
		rc_page_error(r, 400, "The Idempotency-Key header must be 1 to 64 characters.");
		return;
	}
	rc_booking c = {.runner = r->user.id, .practitioner = json_integer_value(pj), .service = sv.id, .start = start,
	                .by = r->user.id, .minutes = sv.minutes, .key = idem, .condition = "other", .actor = &r->user,
	                .address = r->remote, .arena = &r->arena, .now = r->now};
	json_decref(in);
	if (r->user.role != RC_ROLE_RUNNER) {
		rc_page_error(r, 403, "Only a runner's token books through the API; the front desk books on the web.");
		return;
	}
	if (rc_booking_make(db, &c)) {
		rc_error("api booking: %s", rc_db_errmsg(db));
		rc_page_error(r, 503, "The booking could not be saved; nothing was booked. Try again.");
		return;
	}
	if (c.state == RC_SLOT_TAKEN) {
		/* The nearest free times from the same practitioner, that day and the next. */
		json_t *alts = json_array();
		for (int d = 0; d < 3 && json_array_size(alts) < 5; d++) {
			int64_t ds, de;
			rc_tz_day_bounds(start + (int64_t)d * 86400, &ds, &de);
			rc_day day;
			int64_t s[RC_SLOTS_MAX_PER_DAY];
			if (rc_day_load(db, &r->arena, c.practitioner, ds, de, &day))
				break;
			size_t n = rc_slots_free(&day, sv.minutes, start > r->now ? start : r->now, s,
			                         RC_SLOTS_MAX_PER_DAY);
			for (size_t k = 0; k < n && json_array_size(alts) < 5; k++)
				json_array_append_new(alts, json_pack("{s:o, s:I}", "start", iso(s[k]), "practitioner", (json_int_t)c.practitioner));
		}
		rc_req_json(r, 409, json_pack("{s:s, s:i, s:o}", "error", "that time is already booked", "status", 409,
		                            "alternatives", alts));
		return;
	}
	if (c.state != RC_SLOT_FREE) {
		char msg[200];
		snprintf(msg, sizeof msg, "'start' cannot be booked: %s.", rc_slot_reason(c.state));
		rc_page_error(r, 422, msg);
		return;
	}
	rc_appointment a;
	if (rc_appointment_get(db, c.id, &a, &found) || !found) {
		rc_page_error(r, 503, "Booked, but the appointment could not be read back.");
		return;
	}
	char loc[48];
	snprintf(loc, sizeof loc, "/api/appointments/%lld", (long long)a.id);
	rc_req_header(r, "Location", loc);
	rc_req_json(r, c.existing ? 200 : 201, appointment_json(&a));
}

static void collect(void *ctx, const rc_appointment *a)
{
	json_array_append_new((json_t *)ctx, appointment_json(a));
}

void rc_page_api_my_appointments(rc_req *r)
{
	json_t *list = json_array();
	if (rc_appointments_of_runner(rc_req_db(r), r->user.id, collect, list)) {
		json_decref(list);
		rc_page_error(r, 503, "The appointments could not be read; try again.");
		return;
	}
	rc_req_json(r, 200, json_pack("{s:o}", "appointments", list));
}

/* arg: {appointment id, now} */
static rc_err api_cancel_tx(rc_db *db, void *arg)
{
	const int64_t *v = arg;
	return rc_appointment_cancel(db, v[0], v[1]);
}

void rc_page_api_cancel(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	rc_appointment a;
	bool found = false;
	int64_t id = strtoll(r->params[0], NULL, 10);
	if (rc_appointment_get(db, id, &a, &found) || !found) {
		rc_page_error(r, 404, "There is no such appointment.");
		return;
	}
	if (strcmp(a.status, "booked") != 0) {
		rc_page_error(r, 409, "Only a booked appointment can be cancelled.");
		return;
	}
	if (!rc_role_is_staff(r->user.role) && a.starts_at - r->now < 24 * 3600) {
		rc_page_error(r, 409, "It is less than 24 hours away: please call the clinic to cancel it.");
		return;
	}
	int64_t cancel[2] = {id, r->now};
	rc_err e = rc_db_tx(db, api_cancel_tx, cancel);
	if (e) {
		rc_page_error(r, e == RC_ENOTFOUND ? 409 : 503, "The appointment could not be cancelled.");
		return;
	}
	rc_req_audit(r, "appointment.cancel", a.runner_id, "api");
	rc_waitlist_freed(r, a.practitioner_id, a.service_id, a.starts_at, (int)((a.ends_at - a.starts_at) / 60));
	r->status = 204;
	r->content_type = "application/json";
}
