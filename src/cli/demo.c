/* demo.c — a demo clinic that looks alive: patients, this week's and next week's visits across the
 * practitioners and services (the past ones arrived, one a no-show, one cancelled), and last year's
 * marathon with the wave of visits after it, so the schedule, the grid and the reports have something
 * to show on a newcomer's first `make run`.
 *
 * Everything goes through the use cases every door calls, each with the clock of the moment it
 * stands for: a visit is booked by the front desk two days before it, marked arrived five minutes
 * after its start, last year's event recorded a month before it. The rules therefore hold for the
 * demo's history exactly as they would have held for a real one. */
#include <stdio.h>
#include <string.h>

#include "app/booking.h"
#include "app/wave.h"
#include "base/arena.h"
#include "base/time.h"
#include "cli/cli.h"
#include "store/account.h"
#include "store/booking.h"
#include "store/chart_store.h"
#include "store/db.h"

/* The demo's patients (the demo runner, Rosa, is made with the staff). Phone and birth date as the
 * front desk takes them; each comes for one of the complaints the clinic sees after a marathon; one
 * has no email address. */
static const struct {
	const char *name, *email, *dob, *phone, *digits, *condition;
} patients[] = {
	{"Alex Kim", "alex.kim@demo.runcare.test", "1988-02-11", "(619) 555-0101", "6195550101", "runners_butt"},
	{"Bea Okafor", "bea.okafor@demo.runcare.test", "1994-07-30", "(619) 555-0102", "6195550102", "shin_splints"},
	{"Carlos Mendes", "carlos.mendes@demo.runcare.test", "1979-11-05", "(858) 555-0103", "8585550103", "low_back_pain"},
	{"Dee Patel", "dee.patel@demo.runcare.test", "1990-05-22", "(858) 555-0104", "8585550104", "foot_pain"},
	{"Eli Novak", "eli.novak@demo.runcare.test", "1985-09-14", "(760) 555-0105", "7605550105", "neck_pain"},
	{"Fay Lindqvist", "fay.lindqvist@demo.runcare.test", "1972-03-03", "(619) 555-0106", "6195550106", "runners_butt"},
	{"Gus Ortega", "gus.ortega@demo.runcare.test", "1998-12-19", "(619) 555-0107", "6195550107", "shin_splints"},
	{"Hana Sato", "hana.sato@demo.runcare.test", "1983-06-08", "(858) 555-0108", "8585550108", "foot_pain"},
	{"Ivan Petrov", "ivan.petrov@demo.runcare.test", "1976-01-27", "(760) 555-0109", "7605550109", "low_back_pain"},
	{"June Walker", "june.walker@demo.runcare.test", "1992-10-12", "(619) 555-0110", "6195550110", "runners_butt"},
	/* A patient without an email is a whole patient: the desk books her by phone. */
	{"Kalani Akana", NULL, "1968-08-09", "(619) 555-0111", "6195550111", "low_back_pain"},
};
enum { NPATIENTS = sizeof patients / sizeof patients[0] };

/* Who gives what: the demo team's services in the order demo_schedule (serve.c) made them. */
static const struct {
	const char *services[3];
	int nservices;
} team[] = {
	{{"initial-assessment", "follow-up", "acupuncture"}, 3}, /* Priya */
	{{"acupuncture", NULL, NULL}, 1},                       /* Lin */
	{{"sports-massage", NULL, NULL}, 1},                    /* Marco */
};
enum { NTEAM = sizeof team / sizeof team[0] };

/* Weekday 0 Monday … 6 Sunday of a day number (day 0, 1970-01-01, was a Thursday). */
static int weekday(int64_t day)
{
	return (int)(((day + 3) % 7 + 7) % 7);
}

typedef struct {
	rc_db *db;
	const rc_account *desk;
	int64_t practitioners[NTEAM];
	int64_t now;
	int64_t patients[NPATIENTS]; /* their accounts, in the order of patients[] */
	int booked;
} demo_ctx;

/* Books patient `who` with practitioner `p` on clinic day `day` at hh:mm, as the front desk two days
 * before; the visit's id in *id (0 when the time was not free: the demo skips it). */
static rc_err book(demo_ctx *c, int64_t day, int hh, int mm, int p, const char *service, int who, int64_t *id)
{
	*id = 0;
	rc_problem prob = {0};
	/* The wall-clock time on that day, whatever a clock change did to the day's length. */
	char dn[11], local[20];
	rc_day_name(day, dn);
	snprintf(local, sizeof local, "%sT%02d:%02d", dn, hh, mm);
	int64_t start;
	if (!rc_tz_parse_local(local, &start))
		return RC_OK;
	rc_arena arena;
	rc_arena_init(&arena, 1024 * 1024);
	rc_uc uc = {c->db, start - 2 * 86400, c->desk, "demo", &arena};
	rc_booking_in in = {.service = service, .practitioner = c->practitioners[p], .start = start,
	                    .runner = c->patients[who], .condition = patients[who].condition};
	rc_booking_out out;
	rc_err e = rc_app_booking_book(&uc, &in, &out, &prob);
	rc_arena_free(&arena);
	if (e == RC_ECONFLICT || e == RC_EINVAL)
		return RC_OK; /* taken or outside the hours (a demo with other hours): leave that cell free */
	if (e)
		return e;
	*id = out.appointment.id;
	c->booked++;
	return RC_OK;
}

/* Marks a visit that has happened: arrived five minutes after its start, or a no-show half an hour
 * after it. */
static rc_err mark(demo_ctx *c, int64_t id, int64_t start, bool came)
{
	rc_problem prob = {0};
	rc_appointment a;
	rc_arena arena;
	rc_arena_init(&arena, 1024 * 1024);
	rc_uc uc = {c->db, start + (came ? 5 : 30) * 60, c->desk, "demo", &arena};
	rc_err e = came ? rc_app_booking_arrived(&uc, id, &a, &prob) : rc_app_booking_no_show(&uc, id, &a, &prob);
	rc_arena_free(&arena);
	return e == RC_ECONFLICT ? RC_OK : e;
}

/* A day's visits for practitioner p: which of the day's times are taken varies with the day, so
 * the grid is neither empty nor full. per_day 2..5. */
static rc_err fill_day(demo_ctx *c, int64_t day, int p, int per_day, int64_t *first_past_id, int64_t *first_future_id)
{
	static const int times[][2] = {{8, 0}, {9, 30}, {11, 0}, {13, 0}, {14, 30}, {16, 0}, {17, 0}};
	bool saturday = weekday(day) == 5;
	int n = 0;
	for (int k = 0; k < 7 && n < per_day; k++) {
		int slot = (int)((day * 3 + p * 5 + k * 2) % 7);
		if (saturday && times[slot][0] >= 12)
			continue;
		int who = (int)((day * 7 + p * 3 + k) % NPATIENTS);
		const char *service = team[p].services[(day + k) % team[p].nservices];
		int64_t id;
		rc_err e = book(c, day, times[slot][0], times[slot][1], p, service, who, &id);
		if (e)
			return e;
		if (!id)
			continue;
		n++;
		rc_appointment a;
		bool found = false;
		if ((e = rc_appointment_get(c->db, id, &a, &found)) || !found)
			return e ? e : RC_EDB;
		if (a.ends_at <= c->now) {
			if (first_past_id && !*first_past_id) {
				*first_past_id = id; /* the caller decides which one did not come */
				continue;
			}
			if ((e = mark(c, id, a.starts_at, true)))
				return e;
		} else if (first_future_id && !*first_future_id && a.starts_at > c->now + 86400) {
			*first_future_id = id;
		}
	}
	return RC_OK;
}

/* The patients, with the details the front desk took on the phone. */
static rc_err demo_patients(rc_db *db, int64_t now, int64_t ids[NPATIENTS])
{
	for (int i = 0; i < NPATIENTS; i++) {
		rc_err e = rc_account_create(db, patients[i].email, patients[i].name, RC_ROLE_RUNNER, NULL, now, &ids[i]);
		int64_t id = ids[i];
		if (e)
			return e;
		rc_profile pr = {.runner_id = id};
		snprintf(pr.date_of_birth, sizeof pr.date_of_birth, "%s", patients[i].dob);
		snprintf(pr.phone, sizeof pr.phone, "%s", patients[i].phone);
		if ((e = rc_profile_put(db, &pr, patients[i].digits, now, 0)))
			return e;
	}
	return RC_OK;
}

static rc_err patients_tx(rc_db *db, void *arg)
{
	demo_ctx *c = arg;
	return demo_patients(db, c->now, c->patients);
}

rc_err rc_cli_demo_visits(rc_db *db, const rc_account *desk, const rc_account *admin, int64_t now, char *err,
                          size_t errlen)
{
	demo_ctx c = {.db = db, .desk = desk, .now = now};
	rc_err e = rc_db_tx(db, patients_tx, &c);
	if (e)
		return rc_errf(err, errlen, e, "the demo's patients: %s", rc_db_errmsg(db));
	rc_arena arena;
	rc_arena_init(&arena, 1024 * 1024);
	rc_practitioner list[16];
	size_t n = 0;
	if ((e = rc_practitioners_list(db, 0, list, 16, &n)) || n < NTEAM) {
		rc_arena_free(&arena);
		return rc_errf(err, errlen, e ? e : RC_ENOTFOUND, "the demo's practitioners could not be read");
	}
	for (int p = 0; p < NTEAM; p++)
		c.practitioners[p] = list[p].id;

	/* This week (from its Monday) and next, Monday to Saturday, and the week before, so that early on a
	 * Monday the front desk still sees visits that happened. */
	int64_t today = rc_tz_day_number(now), monday = today - weekday(today);
	int64_t no_show = 0, cancel = 0;
	for (int64_t day = monday - 7; day < monday + 14 && !e; day++)
		if (weekday(day) != 6)
			for (int p = 0; p < NTEAM && !e; p++)
				e = fill_day(&c, day, p, 2 + (int)((day + p) % 3), &no_show, &cancel);
	/* The first visit that has happened did not come; the first one after tomorrow was cancelled by
	 * the patient (the waitlist is offered the time). */
	rc_appointment a;
	bool found = false;
	if (!e && no_show && !(e = rc_appointment_get(db, no_show, &a, &found)) && found)
		e = mark(&c, no_show, a.starts_at, false);
	if (!e && cancel) {
		rc_problem prob = {0};
		rc_uc uc = {db, now, desk, "demo", &arena};
		e = rc_app_booking_cancel(&uc, cancel, &a, &prob);
		if (e == RC_ECONFLICT)
			e = RC_OK;
	}

	/* Last year's marathon: the Sunday 52 weeks back, recorded a month before it, then three quiet
	 * weeks before it and two busy ones after, all seen. */
	int64_t race = today - 364;
	race -= (weekday(race) + 1) % 7;
	if (!e) {
		char day[11];
		rc_day_name(race, day);
		rc_problem prob = {0};
		int64_t id;
		rc_uc uc = {db, rc_tz_day_number_start(race - 30) + 10 * 3600, admin, "demo", &arena};
		rc_wave_event_in last_year = {"Mission Bay Marathon", day, "8,400"};
		e = rc_app_wave_event_add(&uc, &last_year, &id, &prob);
		if (e == RC_EINVAL || e == RC_ECONFLICT)
			e = RC_OK;
	}
	for (int64_t day = race - 21; day <= race + 14 && !e; day++) {
		if (weekday(day) == 6)
			continue;
		int per = day > race && day <= race + 10 ? 5 : 2;
		for (int p = 0; p < NTEAM && !e; p++)
			e = fill_day(&c, day, p, per, NULL, NULL);
	}
	rc_arena_free(&arena);
	if (e)
		return rc_errf(err, errlen, e, "the demo's visits: %s", rc_db_errmsg(db));
	/* Every visit since then invoiced, most paid (demo_billing.c). */
	return rc_cli_demo_billing(db, desk, now, race - 21, err, errlen);
}
