/* offered.h — the services runners may book: active, and offered by at least one active practitioner.
 * The one definition that /book, the JSON API and the waitlist use, so a service nobody offers (its
 * last practitioner retired, or never given one) is offered nowhere. */
#ifndef RC_APP_OFFERED_H
#define RC_APP_OFFERED_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"
#include "store/booking.h"

/* Every such service, by id, in uc->arena. */
RC_WUR rc_err rc_app_services_offered(const rc_uc *uc, rc_service **out, size_t *n);
/* One of those by key; *found false when it is retired, unknown or nobody offers it. */
RC_WUR rc_err rc_app_service_offered(const rc_uc *uc, const char *key, rc_service *out, bool *found);

#endif
