/* people.h (app) — an administrator's work on accounts: change a role, deactivate and reactivate an
 * account (its sessions and API tokens end at once), always leaving the clinic an active
 * administrator. Invitations are app/account.h's rc_app_invite. The pages (web/pages/people.c) call
 * these; each writes its audit line in its transaction. */
#ifndef RC_APP_PEOPLE_H
#define RC_APP_PEOPLE_H

#include <stdint.h>

#include "app/app.h"

/* A live account, for the page that changes it. RC_EFORBIDDEN unless uc->actor is an administrator;
 * RC_ENOTFOUND. */
RC_WUR rc_err rc_app_people_get(const rc_uc *uc, int64_t id, rc_account *out, rc_problem *p);

/* A new role for account id. A runner who becomes staff keeps their patient record (appointments,
 * chart, programs stay theirs). RC_EINVAL ("role") for a role that is not one; RC_ECONFLICT when it
 * would leave no active administrator (an administrator demoting themself, the last one). */
RC_WUR rc_err rc_app_people_role(const rc_uc *uc, int64_t id, rc_role role, rc_problem *p);

/* Account id can no longer sign in; its sessions and API tokens end now. RC_ECONFLICT when it already
 * is deactivated, or is the last active administrator. */
RC_WUR rc_err rc_app_people_deactivate(const rc_uc *uc, int64_t id, rc_problem *p);

/* Account id may sign in again with its password (its old API tokens stay revoked). RC_ECONFLICT when
 * it is active. */
RC_WUR rc_err rc_app_people_reactivate(const rc_uc *uc, int64_t id, rc_problem *p);

#endif
