/* mailer.h — the delivery thread: queues reminders a day ahead, sends the outbox through the relay,
 * retries failures. */
#ifndef RC_MAILER_H
#define RC_MAILER_H

#include <stddef.h>

#include "content/content.h"

typedef struct rc_mailer rc_mailer;

/* Starts a thread with its own database connection; NULL (and err set) on failure. */
rc_mailer *rc_mailer_start(const char *db_url, const char *relay, const char *from, const rc_content *content,
                           const char *public_url, char *err, size_t errlen);
/* Stops it (a message being sent finishes) and frees it. */
void rc_mailer_stop(rc_mailer *m);

#endif
