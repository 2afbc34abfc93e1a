/* test_waitlist.c — the waitlist's use cases on a temporary SQLite file, with "now" passed in (no
 * machine clock): joining is checked once, a freed time goes to the most urgent, the timed sweep
 * passes an expired offer on once (two connections, as two processes would) with its mail in the
 * same commit, and taking an offer books through the schedule's rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/booking.h"
#include "app/visit.h"
#include "app/waitlist.h"
#include "base/time.h"
#include "store/account.h"
#include "store/booking.h"
#include "store/migrate.h"

typedef struct {
	char dir[64], url[160];
	rc_db *db, *other; /* two connections to one file: two processes */
	rc_arena arena;
	rc_account desk, una, ben;
	int64_t service, practitioner, now, start;
	rc_clinic clinic;
} fixture;

static const char *const leftovers[] = {"w.db", "w.db-wal", "w.db-shm", "w.db-journal"};

/* 2027-03-01 (a Monday) 12:00 UTC; the freed time is the Wednesday after, 10:00 in San Diego. */
static int64_t monday_noon(void)
{
	int64_t t;
	return rc_time_parse_rfc3339("2027-03-01T12:00:00Z", &t) ? t : 0;
}

static rc_account account(rc_db *db, const char *email, rc_role role, int64_t now)
{
	rc_account a;
	int64_t id;
	bool found = false;
	assert_int_equal(rc_account_create(db, email, email, role, NULL, now, &id), RC_OK);
	assert_int_equal(rc_account_by_id(db, id, &a, &found), RC_OK);
	assert_true(found);
	return a;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char err[512] = "";
	int applied;
	if (!f || rc_tz_set("America/Los_Angeles"))
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/runcare-test-waitlist-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->url, sizeof f->url, "sqlite:%s/w.db", f->dir);
	if (rc_db_open(f->url, &f->db, err, sizeof err) || rc_migrate(f->db, &applied, err, sizeof err) ||
	    rc_db_open(f->url, &f->other, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	rc_arena_init(&f->arena, 4 * 1024 * 1024);
	f->now = monday_noon();
	f->desk = account(f->db, "desk@example.org", RC_ROLE_FRONT_DESK, f->now);
	f->una = account(f->db, "una@example.org", RC_ROLE_RUNNER, f->now);
	f->ben = account(f->db, "ben@example.org", RC_ROLE_RUNNER, f->now);
	if (rc_service_create(f->db, "follow-up", "Follow-up visit", 30, 8500, "physical_therapy", &f->service) ||
	    rc_practitioner_create(f->db, 0, "Priya", "physical_therapy", &f->practitioner) ||
	    rc_practitioner_offer(f->db, f->practitioner, f->service))
		return -1;
	for (int wd = 0; wd < 7; wd++)
		if (rc_hours_add(f->db, f->practitioner, wd, 8 * 60, 18 * 60))
			return -1;
	f->start = rc_tz_day_start(2027, 3, 3) + 10 * 3600;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	rc_arena_free(&f->arena);
	rc_db_close(f->other);
	rc_db_close(f->db);
	for (size_t i = 0; i < sizeof leftovers / sizeof leftovers[0]; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s/%s", f->dir, leftovers[i]);
		unlink(p);
	}
	int rc = rmdir(f->dir);
	free(f);
	return rc;
}

static rc_uc uc_for(fixture *f, rc_db *db, const rc_account *actor, int64_t now)
{
	return (rc_uc){db, now, actor, "test", &f->arena};
}

/* The rows a test counts, each a statement declared once, as store/ declares them. */
#define COUNT(name, sql) static const rc_sql name = {#name, "SELECT COUNT(*) FROM " sql}
COUNT(q_waitlist, "waitlist");
COUNT(q_waiting, "waitlist WHERE status = 'waiting'");
COUNT(q_booked, "waitlist WHERE status = 'booked'");
COUNT(q_joined, "audit_log WHERE action = 'waitlist.join'");
COUNT(q_mail, "mail_outbox");
COUNT(q_ben_mail, "mail_outbox WHERE to_addr = 'ben@example.org'");
COUNT(q_offers, "waitlist_offer");
COUNT(q_open, "waitlist_offer WHERE status = 'open'");
COUNT(q_expired, "waitlist_offer WHERE status = 'expired'");
COUNT(q_gone, "waitlist_offer WHERE status = 'gone'");
COUNT(q_visits, "appointment");

static int64_t count(rc_db *db, const rc_sql *q)
{
	rc_stmt *s;
	bool row = false;
	assert_int_equal(rc_db_query(db, q, &s, &row, ""), RC_OK);
	assert_true(row);
	int64_t n = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return n;
}

static void join(fixture *f, const char *email, const char *urgency)
{
	rc_uc uc = uc_for(f, f->db, &f->desk, f->now);
	rc_wait_join in = {.clinic = &f->clinic, .service = "follow-up", .from = "2027-03-02", .to = "2027-03-05",
	                   .patient = email, .urgency = urgency};
	rc_problem p = {0};
	rc_wait_joined joined;
	assert_int_equal(rc_app_waitlist_join(&uc, &in, &joined, &p), RC_OK);
	assert_true(joined.id > 0);
}

static int64_t open_offer_of(fixture *f, int64_t runner)
{
	rc_uc uc = uc_for(f, f->db, &f->desk, f->now);
	rc_wait_view v;
	assert_int_equal(rc_app_waitlist_view(&uc, &v), RC_OK);
	for (size_t i = 0; i < v.nentries; i++)
		if (v.entries[i].runner_id == runner && v.entries[i].offer_id)
			return v.entries[i].offer_id;
	return 0;
}

static void join_is_checked_once(void **state)
{
	fixture *f = *state;
	rc_uc uc = uc_for(f, f->db, &f->desk, f->now);
	rc_problem p = {0};
	rc_wait_joined joined;
	rc_wait_join in = {.clinic = &f->clinic, .service = "follow-up", .from = "2027-03-02", .to = "2027-05-01",
	                   .patient = "una@example.org", .urgency = "soon"};
	assert_int_equal(rc_app_waitlist_join(&uc, &in, &joined, &p), RC_EINVAL);
	assert_string_equal(p.field, "to");
	assert_non_null(strstr(p.text, "60 days"));
	in.to = "2027-03-01";
	assert_int_equal(rc_app_waitlist_join(&uc, &in, &joined, &p), RC_EINVAL);
	assert_string_equal(p.field, "to");
	in.from = "2027-09-01"; /* past the booking horizon */
	in.to = "2027-09-02";
	assert_int_equal(rc_app_waitlist_join(&uc, &in, &joined, &p), RC_EINVAL);
	assert_string_equal(p.field, "from");
	in.from = "2027-03-02";
	in.to = "2027-03-05";
	in.service = "massage";
	assert_int_equal(rc_app_waitlist_join(&uc, &in, &joined, &p), RC_EINVAL);
	assert_string_equal(p.field, "service");
	in.service = "follow-up";
	in.urgency = "whenever";
	assert_int_equal(rc_app_waitlist_join(&uc, &in, &joined, &p), RC_EINVAL);
	assert_string_equal(p.field, "urgency");
	in.urgency = "soon";
	in.patient = "desk@example.org";
	assert_int_equal(rc_app_waitlist_join(&uc, &in, &joined, &p), RC_EINVAL);
	assert_string_equal(p.field, "runner");
	/* The front desk may name the patient as it would search: nobody, or exactly one. */
	in.patient = "zebedee";
	assert_int_equal(rc_app_waitlist_join(&uc, &in, &joined, &p), RC_EINVAL);
	assert_string_equal(p.field, "runner");
	assert_non_null(strstr(p.text, "No patient matches 'zebedee'"));
	in.patient = "una@example.org";
	in.condition = "broken_heart";
	assert_int_equal(rc_app_waitlist_join(&uc, &in, &joined, &p), RC_EINVAL);
	assert_string_equal(p.field, "condition");
	assert_int_equal(count(f->db, &q_waitlist), 0);
	/* A runner joins for themselves: no urgency or email of theirs is needed. */
	rc_uc self = uc_for(f, f->db, &f->ben, f->now);
	rc_wait_join mine = {.clinic = &f->clinic, .service = "follow-up", .from = "2027-03-02", .to = "2027-03-05"};
	assert_int_equal(rc_app_waitlist_join(&self, &mine, &joined, &p), RC_OK);
	assert_int_equal(count(f->db, &q_joined), 1);
}

static void an_expired_offer_passes_on_once_with_its_mail(void **state)
{
	fixture *f = *state;
	join(f, "ben@example.org", "self_care");
	join(f, "una@example.org", "urgent");
	rc_uc uc = uc_for(f, f->db, &f->desk, f->now);
	int64_t first = 0;
	assert_int_equal(rc_app_waitlist_freed(&uc, f->practitioner, f->service, f->start, 30, "http://x", &first), RC_OK);
	assert_int_equal(open_offer_of(f, f->una.id), first);
	assert_int_equal(open_offer_of(f, f->ben.id), 0);
	assert_int_equal(count(f->db, &q_mail), 1);

	/* Before the hold runs out, the sweep does nothing. */
	rc_wait_sweep sw;
	rc_uc early = uc_for(f, f->db, &f->desk, f->now + RC_OFFER_TTL_S - 1);
	assert_int_equal(rc_app_waitlist_sweep(&early, "http://x", &sw), RC_OK);
	assert_int_equal(sw.expired, 0);

	/* Two processes sweep after it: the offer passes on to Ben once. */
	int64_t later = f->now + RC_OFFER_TTL_S + 60;
	rc_uc a = uc_for(f, f->db, &f->desk, later), b = uc_for(f, f->other, &f->desk, later);
	rc_wait_sweep sa, sb;
	assert_int_equal(rc_app_waitlist_sweep(&a, "http://x", &sa), RC_OK);
	assert_int_equal(rc_app_waitlist_sweep(&b, "http://x", &sb), RC_OK);
	assert_int_equal(sa.expired + sb.expired, 1);
	assert_int_equal(sa.offered + sb.offered, 1);
	assert_int_equal(count(f->db, &q_offers), 2);
	assert_int_equal(count(f->db, &q_expired), 1);
	assert_int_equal(count(f->db, &q_ben_mail), 1);
	f->now = later;
	int64_t second = open_offer_of(f, f->ben.id);
	assert_true(second > 0 && second != first);

	/* Una's answer comes too late; Ben declines, and nobody else waits: the time stays free. */
	rc_problem p = {0};
	int64_t visit;
	rc_uc una = uc_for(f, f->db, &f->una, later);
	assert_int_equal(rc_app_waitlist_accept(&una, first, &visit, &p), RC_ECONFLICT);
	assert_non_null(strstr(p.text, "no longer open"));
	rc_uc ben = uc_for(f, f->db, &f->ben, later);
	assert_int_equal(rc_app_waitlist_decline(&una, second, "http://x", &p), RC_ENOTFOUND); /* not hers */
	assert_int_equal(rc_app_waitlist_decline(&ben, second, "http://x", &p), RC_OK);
	assert_int_equal(count(f->db, &q_open), 0);
}

static void an_offer_whose_time_has_begun_expires_without_passing_on(void **state)
{
	fixture *f = *state;
	join(f, "una@example.org", "urgent");
	join(f, "ben@example.org", "soon");
	rc_uc uc = uc_for(f, f->db, &f->desk, f->now);
	int64_t first = 0;
	assert_int_equal(rc_app_waitlist_freed(&uc, f->practitioner, f->service, f->start, 30, "http://x", &first), RC_OK);
	assert_true(first > 0);
	rc_uc late = uc_for(f, f->db, &f->desk, f->start + 60);
	rc_wait_sweep sw;
	assert_int_equal(rc_app_waitlist_sweep(&late, "http://x", &sw), RC_OK);
	assert_int_equal(sw.expired, 1);
	assert_int_equal(sw.offered, 0);
	assert_int_equal(count(f->db, &q_offers), 1);
}

static void an_offer_is_held_no_longer_than_a_runner_may_book_it(void **state)
{
	fixture *f = *state;
	join(f, "una@example.org", "urgent");
	/* A time 90 minutes away is held until an hour before it (the booking lead time), not two hours. */
	rc_uc uc = uc_for(f, f->db, &f->desk, f->start - 90 * 60);
	rc_problem p = {0};
	bool open = false;
	rc_offer o;
	int64_t offer = 0;
	assert_int_equal(rc_app_waitlist_freed(&uc, f->practitioner, f->service, f->start, 30, "http://x", &offer), RC_OK);
	assert_true(offer > 0);
	assert_int_equal(rc_app_waitlist_offer(&uc, offer, &o, &open, &p), RC_OK);
	assert_true(open);
	assert_int_equal(o.expires_at, f->start - RC_BOOKING_LEAD_S);
	/* One 30 minutes away is offered to nobody: a runner could not book it online. */
	rc_uc late = uc_for(f, f->db, &f->desk, f->start + 4 * 3600 - 30 * 60);
	assert_int_equal(rc_app_waitlist_freed(&late, f->practitioner, f->service, f->start + 4 * 3600, 30, "http://x",
	                                       &offer), RC_OK);
	assert_int_equal(offer, 0);
}

static void taking_an_offer_books_through_the_schedule(void **state)
{
	fixture *f = *state;
	join(f, "una@example.org", "urgent");
	rc_uc uc = uc_for(f, f->db, &f->desk, f->now);
	int64_t offer = 0, visit = 0;
	assert_int_equal(rc_app_waitlist_freed(&uc, f->practitioner, f->service, f->start, 30, "http://x", &offer), RC_OK);
	/* The practitioner is away that morning after all: the offer is gone, Una keeps her place. */
	assert_int_equal(rc_exception_add(f->db, f->practitioner, "time_off", f->start - 3600, f->start + 3600, "away"),
	                 RC_OK);
	rc_problem p = {0};
	rc_uc una = uc_for(f, f->db, &f->una, f->now + 60);
	assert_int_equal(rc_app_waitlist_accept(&una, offer, &visit, &p), RC_ECONFLICT);
	assert_non_null(strstr(p.text, "keep your place"));
	assert_int_equal(count(f->db, &q_gone), 1);
	assert_int_equal(count(f->db, &q_waiting), 1);
	assert_int_equal(count(f->db, &q_visits), 0);
	/* Another free time that morning is offered again and taken. */
	int64_t free_start = f->start + 4 * 3600;
	assert_int_equal(rc_app_waitlist_freed(&uc, f->practitioner, f->service, free_start, 30, "http://x", &offer),
	                 RC_OK);
	assert_true(offer > 0);
	assert_int_equal(rc_app_waitlist_accept(&una, offer, &visit, &p), RC_OK);
	assert_true(visit > 0);
	assert_int_equal(count(f->db, &q_booked), 1);
}

/* Every door cancels and moves through app/visit.h: the time freed goes to the one waiting, and the
 * front desk is told to whom; a move frees the time it leaves. (The pages and the API once offered the
 * time themselves, each after its own call.) */
static void a_cancelled_or_moved_visit_offers_its_time_to_the_waitlist(void **state)
{
	fixture *f = *state;
	rc_uc uc = uc_for(f, f->db, &f->desk, f->now);
	rc_clinic clinic = {.name = "Test clinic", .phone = "(619) 555-0100", .email = "clinic@example.org",
	                    .timezone = "America/Los_Angeles", .street = "1 Main St", .city = "San Diego",
	                    .region = "CA", .postal_code = "92101", .country = "US"};
	rc_visit_ctx vc = {&clinic, "http://x"};
	rc_problem p = {0};
	rc_booking_in in = {.service = "follow-up", .practitioner = f->practitioner, .start = f->start,
	                    .patient = "ben@example.org"};
	rc_booking_out out;
	assert_int_equal(rc_app_visit_book(&uc, &vc, &in, &out, &p), RC_OK);
	assert_int_equal(count(f->db, &q_ben_mail), 1); /* booked: Ben's mail with the calendar entry */
	join(f, "una@example.org", "urgent");
	rc_appointment a;
	rc_visit_freed freed;
	assert_int_equal(rc_app_visit_cancel(&uc, &vc, out.appointment.id, &a, &freed, &p), RC_OK);
	assert_string_equal(a.status, "cancelled");
	assert_true(freed.offer > 0);
	assert_string_equal(freed.offered_to, "una@example.org");
	assert_int_equal(open_offer_of(f, f->una.id), freed.offer);
	assert_int_equal(count(f->db, &q_ben_mail), 2); /* and the cancellation's */
	/* Nobody waiting: nothing offered, and nothing said of it. */
	in.start = f->start + 3600;
	in.key = "second";
	assert_int_equal(rc_app_visit_book(&uc, &vc, &in, &out, &p), RC_OK);
	rc_booking_move_in mv = {.appointment = out.appointment.id, .practitioner = f->practitioner,
	                         .start = f->start + 2 * 3600};
	rc_booking_move_out moved;
	assert_int_equal(rc_app_visit_move(&uc, &vc, &mv, &moved, &freed, &p), RC_OK);
	assert_int_equal(freed.offer, 0);
	assert_string_equal(freed.offered_to, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(join_is_checked_once, setup, teardown),
		cmocka_unit_test_setup_teardown(an_expired_offer_passes_on_once_with_its_mail, setup, teardown),
		cmocka_unit_test_setup_teardown(an_offer_whose_time_has_begun_expires_without_passing_on, setup, teardown),
		cmocka_unit_test_setup_teardown(an_offer_is_held_no_longer_than_a_runner_may_book_it, setup, teardown),
		cmocka_unit_test_setup_teardown(taking_an_offer_books_through_the_schedule, setup, teardown),
		cmocka_unit_test_setup_teardown(a_cancelled_or_moved_visit_offers_its_time_to_the_waitlist, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
