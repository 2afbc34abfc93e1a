/* mailer.c — one thread per process for the timed jobs and the mail. Each tick takes "now" once and
 * runs the jobs with it: expired waitlist offers pass on to the next runner (in every configuration,
 * so the waitlist moves on time with nobody looking), and with a relay, reminders for appointments
 * within a day are queued (once each, even with several processes). Then, with a relay, due mails
 * are claimed under a lease and sent, each with its own reading of the clock (a send can take
 * seconds). A relay that is down only delays mail: failures are retried with backoff. */
#include "mail/mailer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/calendar.h"
#include "app/waitlist.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/thread.h"
#include "base/time.h"
#include "mail/smtp.h"
#include "store/booking.h"
#include "store/outbox.h"

enum {
	RC_MAILER_TICK_MS = 500,
	RC_MAILER_BATCH = 20,                /* mails sent in one tick; the rest wait for the next */
	RC_MAILER_JOB_ARENA = 4 * 1024 * 1024, /* what one tick's jobs may allocate */
};

struct rc_mailer {
	pthread_t thread;
	atomic_bool stop;
	rc_db *db;
	const char *relay, *from, *public_url; /* borrowed: serve's settings outlive the thread; relay NULL:
	                                        * no delivery */
	const rc_content *content;
};

struct remind {
	rc_mailer *m;
	int64_t now;
	rc_arena *arena;
};

static rc_err remind_one(void *ctx, rc_db *db, int64_t id)
{
	rc_mailer *m = ((struct remind *)ctx)->m;
	int64_t now = ((struct remind *)ctx)->now;
	rc_arena *arena = ((struct remind *)ctx)->arena;
	rc_appointment a;
	bool found = false;
	rc_err e = rc_appointment_get(db, id, &a, &found);
	if (e || !found || !a.runner_email[0])
		return e;
	char when[64];
	rc_tz_format(a.starts_at, "%A %-d %B at %H:%M", when, sizeof when);
	const rc_clinic *c = &m->content->clinic;
	char *body = rc_arena_printf(arena,
	                             "Hello %s,\n\nA reminder: your %s with %s is on %s (%s).\n\n%s\n%s, %s\n%s\n\n"
	                             "To move or cancel it, call us (it is less than a day away).\n",
	                             a.runner_name, a.service_name, a.practitioner_name, when, c->timezone, c->name,
	                             c->street, c->city, c->phone);
	if (!body)
		return RC_ENOMEM;
	rc_buf ics;
	rc_buf_init(&ics, 64 * 1024);
	rc_calendar_appointment_ics(&ics, &a, c);
	e = rc_outbox_add_ics(db, a.runner_email, "Reminder: your visit tomorrow", body, ics.data, now);
	rc_buf_free(&ics);
	return e;
}

static rc_err reminders_tx(rc_db *db, void *ctx)
{
	int n = 0;
	return rc_reminders_due(db, ((struct remind *)ctx)->now, remind_one, ctx, &n);
}

/* The timed jobs of one tick, all with the same now. A job acts as nobody: id 0, no role. */
static void jobs(rc_mailer *m, int64_t now, rc_arena *arena)
{
	static const rc_account nobody;
	rc_uc uc = {m->db, now, &nobody, "job", arena};
	rc_wait_sweep sw;
	if (rc_app_waitlist_sweep(&uc, m->public_url, &sw))
		rc_warn("waitlist: passing on expired offers failed: %s", rc_db_errmsg(m->db));
	else if (sw.expired)
		rc_info("waitlist: %d offer%s ran out; %d passed on to the next runner", sw.expired,
		        sw.expired == 1 ? "" : "s", sw.offered);
	if (m->relay) {
		struct remind ctx = {m, now, arena};
		if (rc_db_tx(m->db, reminders_tx, &ctx))
			rc_warn("mail: queuing reminders failed: %s", rc_db_errmsg(m->db));
	}
}

static void deliver(rc_mailer *m)
{
	for (int i = 0; i < RC_MAILER_BATCH && !atomic_load(&m->stop); i++) {
		rc_mail mail;
		bool found = false;
		if (rc_outbox_claim(m->db, rc_time_now(), &mail, &found)) {
			rc_warn("mail: could not read the outbox: %s", rc_db_errmsg(m->db));
			return;
		}
		if (!found)
			return;
		char err[300];
		const char *domain = strchr(mail.to, '@');
		if (rc_smtp_send(m->relay, m->from, mail.to, mail.subject, mail.body, mail.attachment, (long)mail.id, err,
		                 sizeof err)) {
			rc_warn("mail %lld to %s: %s (attempt %lld)", (long long)mail.id, domain ? domain + 1 : "?", err,
			        (long long)mail.attempts + 1);
			if (rc_outbox_failed(m->db, mail.id, mail.attempts + 1, rc_time_now(), err))
				rc_warn("mail: could not record a failure");
		} else {
			/* The log names the recipient's domain only: bodies and links can hold tokens. */
			rc_info("mail %lld sent to a recipient at %s", (long long)mail.id, domain ? domain + 1 : "?");
			if (rc_outbox_sent(m->db, mail.id, rc_time_now()))
				rc_warn("mail: could not record a delivery");
		}
		free(mail.body);
		free(mail.attachment);
	}
}

static void *run(void *arg)
{
	rc_mailer *m = arg;
	rc_arena arena;
	rc_arena_init(&arena, RC_MAILER_JOB_ARENA);
	while (!atomic_load(&m->stop)) {
		jobs(m, rc_time_now(), &arena);
		rc_arena_free(&arena);
		if (m->relay)
			deliver(m);
		for (int slept = 0; slept < RC_MAILER_TICK_MS && !atomic_load(&m->stop); slept += 50) {
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

rc_mailer *rc_mailer_start(const char *db_url, const char *relay, const char *from, const rc_content *content,
                           const char *public_url, char *err, size_t errlen)
{
	rc_mailer *m = calloc(1, sizeof *m);
	if (!m) {
		rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		return NULL;
	}
	m->relay = relay && *relay ? relay : NULL;
	/* libcurl is opened and started here, before the thread, when there is a relay to send to. */
	if (m->relay && rc_smtp_init(err, errlen)) {
		free(m);
		return NULL;
	}
	m->from = from;
	m->public_url = public_url;
	m->content = content;
	if (rc_db_open(db_url, &m->db, err, errlen)) {
		free(m);
		return NULL;
	}
	if (rc_thread_start(&m->thread, run, m) != 0) {
		rc_db_close(m->db);
		free(m);
		rc_errf(err, errlen, RC_EIO, "cannot start the mail thread");
		return NULL;
	}
	return m;
}

void rc_mailer_stop(rc_mailer *m)
{
	if (!m)
		return;
	atomic_store(&m->stop, true);
	pthread_join(m->thread, NULL);
	rc_db_close(m->db);
	free(m);
}
