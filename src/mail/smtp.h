/* smtp.h — sends one message to an SMTP relay with libcurl. */
#ifndef RC_SMTP_H
#define RC_SMTP_H

#include <stddef.h>

#include "base/err.h"

/* Loads libcurl (it is not mapped at every start of every command: base/dl.h) and starts it, once;
 * runcare serve calls it before its threads start, and rc_smtp_send calls it too. RC_EIO with the
 * reason in words when libcurl cannot be loaded. */
RC_WUR rc_err rc_smtp_init(char *err, size_t errlen);

/* relay: smtp://HOST:PORT (or smtps://). attachment (iCalendar text) may be NULL. Header values with
 * CR or LF are refused (no header injection). */
RC_WUR rc_err rc_smtp_send(const char *relay, const char *from, const char *to, const char *subject, const char *body,
                           const char *attachment, long message_no, char *err, size_t errlen);

#endif
