/* people_store.h — what an administrator changes about an account: its role, and whether it may sign
 * in. Writers run inside the caller's transaction (app/people.c's). */
#ifndef RC_PEOPLE_STORE_H
#define RC_PEOPLE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/account.h"
#include "store/db.h"

/* A new role. keep_patient: the account keeps its patient record whatever the role (a runner who
 * becomes staff). *changed false when the account is not a live one. */
RC_WUR rc_err rc_people_set_role(rc_db *db, int64_t id, rc_role role, bool keep_patient, bool *changed);
/* The account may no longer sign in: its sessions end, its API tokens and single-use links are
 * revoked, now. *changed false when it was already deactivated (or is not a live account). */
RC_WUR rc_err rc_people_deactivate(rc_db *db, int64_t id, int64_t now, bool *changed);
/* It may sign in again (with its password; its old tokens stay revoked). */
RC_WUR rc_err rc_people_reactivate(rc_db *db, int64_t id, bool *changed);
/* Live, active administrators other than but_id (0: count all). */
RC_WUR rc_err rc_people_admins(rc_db *db, int64_t but_id, int64_t *n);

#endif
