/* mailer.h — the process's timed jobs and the outbox's delivery, on one thread of its own: expired
 * waitlist offers pass on to the next runner (always, relay or not), reminders are queued a day
 * ahead and the outbox is sent through the relay with retries (with a relay). */
#ifndef RC_MAILER_H
#define RC_MAILER_H

#include <stddef.h>

#include "content/content.h"

typedef struct rc_mailer rc_mailer;

/* Starts the thread with its own database connection; NULL (and err set) on failure. relay NULL:
 * the timed jobs run and mail waits in the outbox. The strings are borrowed: they must outlive the
 * thread (until rc_mailer_stop). */
rc_mailer *rc_mailer_start(const char *db_url, const char *relay, const char *from, const rc_content *content,
                           const char *public_url, char *err, size_t errlen);
/* Stops it (a message being sent finishes) and frees it. */
void rc_mailer_stop(rc_mailer *m);

#endif
