/* privacy.h — erasing a runner on request, and the retention period for the visit records the
 * clinic must keep. */
#ifndef RC_STORE_PRIVACY_H
#define RC_STORE_PRIVACY_H

#include <stdint.h>

#include "store/db.h"

enum { RC_RETENTION_YEARS_DEFAULT = 7 }; /* adult medical records: a common legal minimum (set per clinic) */

/* In the caller's transaction: everything about the runner goes — sessions, tokens, links, waitlist,
 * mail, sign-in failures, future and cancelled appointments — except visits that took place (the
 * clinic's records), which stay, under an erased name, until the retention period ends. */
RC_WUR rc_err rc_privacy_erase_runner(rc_db *db, int64_t account_id, int64_t now);

/* Deletes the kept visits of erased runners that started before cutoff; *n counts them. */
RC_WUR rc_err rc_privacy_purge(rc_db *db, int64_t cutoff, int64_t *n);

#endif
