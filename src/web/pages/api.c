/* api.c — the JSON API for booking: services, practitioners, free slots, appointments.
 * Bearer tokens only (http.c); errors are {"error": "...", "status": N}, and bad input is a 422 whose
 * "field" names the member (or query argument, or header) to change. Booking and cancelling go through
 * the same use cases as the pages (app/booking.c). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/booking.h"
#include "app/offered.h"
#include "base/time.h"
#include "store/booking.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"
#include "web/valid.h"

/* A slots answer holds at least one whole day of every practitioner; more days go on from "next_from". */
enum { RC_API_MAX_DAYS = 31, RC_API_MAX_SLOTS = RC_BOOKING_MAX_PRACTITIONERS * RC_SLOTS_MAX_PER_DAY };

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
	rc_uc uc = rc_visit_uc(r);
	rc_service *sv = NULL;
	size_t n = 0;
	/* What runners may book, as on /book: a service nobody offers is not listed. */
	if (!uc.db || rc_app_services_offered(&uc, &sv, &n)) {
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

/* A field's problem: {"error": sentence, "field": name, "status": N}. */
static void api_problem(rc_req *r, unsigned status, const char *field, const char *text)
{
	json_t *v = json_pack("{s:s, s:i}", "error", text, "status", (int)status);
	if (v && field)
		json_object_set_new(v, "field", json_string(field));
	rc_req_json(r, status, v);
}

/* The first field in error of a validated table, answered as 422. */
static bool api_invalid(rc_req *r, const rc_vfield *f, const rc_vvalue *v, size_t n)
{
	int i = rc_valid_first_error(v, n);
	if (i < 0)
		return false;
	api_problem(r, 422, f[i].name, v[i].error);
	return true;
}

enum { SQ_SERVICE, SQ_FROM, SQ_TO, SQ_N };
static const rc_vfield slots_query[SQ_N] = {
	[SQ_SERVICE] = {"service", "'service'", RC_V_TEXT, .required = true, .max = 32,
	                .hint = "must be the key of a service (see GET /api/services)."},
	[SQ_FROM] = {"from", "'from'", RC_V_DATE, .required = true},
	[SQ_TO] = {"to", "'to'", RC_V_DATE, .required = true},
};

void rc_page_api_slots(rc_req *r)
{
	rc_vvalue q[SQ_N];
	rc_service sv;
	bool found = false;
	rc_valid_form(&r->arena, &r->query, slots_query, SQ_N, q);
	if (api_invalid(r, slots_query, q, SQ_N))
		return;
	if (rc_service_by_key(rc_req_db(r), q[SQ_SERVICE].text, &sv, &found)) {
		rc_page_error(r, 503, "The services could not be read; try again.");
		return;
	}
	if (!found) {
		api_problem(r, 422, "service", "'service' must be the key of a service (see GET /api/services).");
		return;
	}
	int64_t days = q[SQ_TO].num - q[SQ_FROM].num + 1;
	if (days < 1 || days > RC_API_MAX_DAYS) {
		api_problem(r, 422, "to", "'to' must be on or after 'from', at most 31 days later.");
		return;
	}
	rc_uc uc = rc_visit_uc(r);
	rc_free_slot *slots = rc_arena_alloc(&r->arena, sizeof *slots * RC_API_MAX_SLOTS);
	rc_booking_free_out out = {slots, 0, slots ? RC_API_MAX_SLOTS : 0, 0};
	rc_booking_free_in in = {.service = &sv, .first_day = q[SQ_FROM].num, .days = (int)days};
	rc_problem p;
	rc_err e = rc_app_booking_free(&uc, &in, &out, &p);
	if (e) {
		rc_page_error(r, 503, p.text);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < out.n; i++)
		json_array_append_new(list, json_pack("{s:o, s:I}", "start", iso(slots[i].start), "practitioner",
		                                      (json_int_t)slots[i].practitioner));
	json_t *doc = json_pack("{s:s, s:i, s:o}", "service", sv.key, "minutes", sv.minutes, "slots", list);
	/* More free times than one answer holds: the list ends with a whole day and says where to go on. */
	if (doc && out.next_day) {
		char next[11];
		rc_day_name(out.next_day, next);
		json_object_set_new(doc, "next_from", json_string(next));
	}
	rc_req_json(r, 200, doc);
}

enum { BK_SERVICE, BK_PRACTITIONER, BK_START, BK_REASON, BK_CONDITION, BK_N };
static const rc_vfield book_body[BK_N] = {
	[BK_SERVICE] = {"service", "'service'", RC_V_TEXT, .required = true, .max = 32,
	                .hint = "must be the key of a service (see GET /api/services)."},
	[BK_PRACTITIONER] = {"practitioner", "'practitioner'", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX,
	                     .hint = "must be a practitioner's id (a number; see GET /api/practitioners)."},
	[BK_START] = {"start", "'start'", RC_V_INSTANT, .required = true,
	              .hint = "must be a time with its zone, e.g. 2026-12-01T09:30:00-08:00."},
	[BK_REASON] = {"reason", "'reason'", RC_V_TEXT, .max = RC_BOOKING_REASON_MAX},
	[BK_CONDITION] = {"condition", "'condition'", RC_V_ENUM,
	                  .hint = "must be the key of a condition the clinic treats, or \"other\"."},
};
static const rc_vfield idempotency_header = {"Idempotency-Key", "The Idempotency-Key header", RC_V_TEXT,
                                             .max = RC_IDEMPOTENCY_MAX};

/* The nearest free times with the same practitioner, that day and the next two. */
static json_t *alternatives(rc_req *r, const rc_service *sv, int64_t practitioner, int64_t start)
{
	enum { DAYS = 3, MAX = 5 };
	rc_uc uc = rc_visit_uc(r);
	rc_free_slot *slots = rc_arena_alloc(&r->arena, sizeof *slots * DAYS * RC_SLOTS_MAX_PER_DAY);
	rc_booking_free_out out = {slots, 0, slots ? DAYS * RC_SLOTS_MAX_PER_DAY : 0, 0};
	rc_booking_free_in in = {.service = sv, .practitioner = practitioner, .first_day = rc_tz_day_number(start),
	                         .days = DAYS, .from = start};
	rc_problem p;
	json_t *alts = json_array();
	if (rc_app_booking_free(&uc, &in, &out, &p))
		out.n = 0;
	for (size_t i = 0; i < out.n && i < MAX; i++)
		json_array_append_new(alts, json_pack("{s:o, s:I}", "start", iso(slots[i].start), "practitioner",
		                                      (json_int_t)slots[i].practitioner));
	return alts;
}

void rc_page_api_book(rc_req *r)
{
	if (r->user.role != RC_ROLE_RUNNER) {
		rc_page_error(r, 403, "Only a runner's token books through the API; the front desk books on the web.");
		return;
	}
	json_error_t je;
	json_t *in = r->body.len ? json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je) : NULL;
	if (!in || !json_is_object(in)) {
		char msg[300];
		snprintf(msg, sizeof msg, "The body must be a JSON object: %s", in ? "it is not an object" : r->body.len ? je.text : "it is empty");
		json_decref(in);
		rc_page_error(r, 400, msg);
		return;
	}
	rc_vfield f[BK_N];
	rc_vvalue v[BK_N], key;
	const char *unknown = NULL;
	memcpy(f, book_body, sizeof book_body);
	f[BK_CONDITION].choices = rc_visit_conditions(r, &f[BK_CONDITION].nchoices);
	/* The values point into the JSON document: copy what outlives it. */
	rc_valid_json(&r->arena, in, f, BK_N, v, &unknown);
	for (int i = 0; i < BK_N; i++)
		if (v[i].text)
			v[i].text = rc_arena_printf(&r->arena, "%s", v[i].text);
	json_decref(in);
	if (api_invalid(r, f, v, BK_N))
		return;
	if (unknown) {
		char *msg = rc_arena_printf(&r->arena, "'%s' is not part of a booking (service, practitioner, start, reason, "
		                                       "condition).", unknown);
		api_problem(r, 422, unknown, msg ? msg : "A member is not part of a booking.");
		return;
	}
	if (!rc_valid_one(&r->arena, &idempotency_header, rc_req_in_header(r, "Idempotency-Key"), &key)) {
		api_problem(r, 422, "Idempotency-Key", key.error);
		return;
	}
	rc_uc uc = rc_visit_uc(r);
	rc_booking_in bi = {.service = v[BK_SERVICE].text, .practitioner = v[BK_PRACTITIONER].num,
	                    .start = v[BK_START].num, .key = key.text, .reason = v[BK_REASON].text,
	                    .condition = v[BK_CONDITION].text, .triage = r->app->triage};
	rc_booking_out out;
	rc_problem p = {0};
	rc_visit_ctx vc = rc_visit_ctx_of(r);
	rc_err e = rc_app_visit_book(&uc, &vc, &bi, &out, &p);
	if (e == RC_ECONFLICT && out.state == RC_SLOT_TAKEN) {
		json_t *doc = json_pack("{s:s, s:s, s:i, s:o}", "error", p.text, "field", "start", "status", 409,
		                        "alternatives", alternatives(r, &out.service, bi.practitioner, bi.start));
		rc_req_json(r, 409, doc);
		return;
	}
	if (e) {
		api_problem(r, rc_visit_status(e), p.field, p.text);
		return;
	}
	char loc[48];
	snprintf(loc, sizeof loc, "/api/appointments/%lld", (long long)out.appointment.id);
	rc_req_header(r, "Location", loc);
	rc_req_json(r, out.existing ? 200 : 201, appointment_json(&out.appointment));
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

void rc_page_api_cancel(rc_req *r)
{
	rc_vvalue id;
	static const rc_vfield id_param = {"appointment", "The appointment", RC_V_INT, .required = true, .min = 1,
	                                   .max = INT64_MAX};
	if (!rc_valid_one(&r->arena, &id_param, r->params[0], &id)) {
		rc_page_error(r, 404, "There is no such appointment.");
		return;
	}
	rc_uc uc = rc_visit_uc(r);
	rc_appointment a;
	rc_problem p = {0};
	rc_visit_ctx vc = rc_visit_ctx_of(r);
	rc_err e = rc_app_visit_cancel(&uc, &vc, id.num, &a, NULL, &p);
	if (e) {
		api_problem(r, rc_visit_status(e), p.field, p.text);
		return;
	}
	r->status = 204;
	r->content_type = "application/json";
}
