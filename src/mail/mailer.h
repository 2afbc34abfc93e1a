/* mailer.h — the delivery thread: queues reminders a day ahead, sends the outbox through the relay,
 * retries failures; and the iCalendar text of an appointment. */
#ifndef RC_MAILER_H
#define RC_MAILER_H

#include "base/buf.h"
#include "content/content.h"
#include "store/booking.h"

typedef struct rc_mailer rc_mailer;

/* Starts a thread with its own database connection; NULL (and err set) on failure. */
rc_mailer *rc_mailer_start(const char *db_url, const char *relay, const char *from, const rc_content *content,
                           const char *public_url, char *err, size_t errlen);
/* Stops it (a message being sent finishes) and frees it. */
void rc_mailer_stop(rc_mailer *m);

/* One appointment as an iCalendar document: titles name the clinic and the service, never a
 * diagnosis or what the runner wrote. */
void rc_mail_appointment_ics(rc_buf *b, const rc_appointment *a, const rc_clinic *clinic);

#endif
