/* visit_mail.h — the mail a patient gets when their visit is booked, moved or cancelled, with the visit
 * as an iCalendar attachment (same UID each time, so a calendar updates the one event). Written once
 * here for every door: the booking pages, the API and the clinic's setup when it cancels visits. */
#ifndef RC_APP_VISIT_MAIL_H
#define RC_APP_VISIT_MAIL_H

#include "app/app.h"
#include "content/content.h"
#include "store/booking.h"

typedef enum { RC_VISIT_MAIL_BOOKED, RC_VISIT_MAIL_MOVED, RC_VISIT_MAIL_CANCELLED } rc_visit_mail_kind;

/* Queues the mail in db (the caller's transaction, if any). A patient without an email address gets
 * none (RC_OK). note: the clinic's own words to the patient, put first; NULL or "" for none. */
RC_WUR rc_err rc_app_visit_mail(const rc_uc *uc, rc_db *db, const rc_clinic *clinic, const char *public_url,
                                const rc_appointment *a, rc_visit_mail_kind kind, const char *note);

#endif
