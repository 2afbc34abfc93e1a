/* setup.h — the clinic's setup as use cases: services and practitioners added, edited, retired and
 * brought back (a retired one stays, so past visits keep their names); who offers what; weekly hours
 * and time off added, edited and deleted. A change to hours or time off that would leave booked visits
 * outside the practitioner's time writes nothing until the admin has seen those visits and chosen:
 * cancel them (each patient mailed, the freed times offered to the waitlist) or keep them to move one
 * by one. The admin pages and `runcare clinic` call these; what runners may book is app/offered.h. */
#ifndef RC_APP_SETUP_H
#define RC_APP_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "content/content.h"
#include "store/booking.h"
#include "store/setup_store.h"

enum {
	RC_SETUP_MESSAGE_MAX = 1000, /* bytes of the clinic's words to patients whose visits it cancels */
	RC_SETUP_NOTE_MAX = 200,     /* bytes of a time off's note */
	RC_SETUP_STAFF_MAX = 500,    /* staff accounts offered for linking to a practitioner */
};

/* --- what the setup page shows ------------------------------------------------------------------------ */

typedef struct rc_setup_view {
	rc_service *services; /* active first, then by name; retired ones too */
	bool *service_active;
	size_t nservices;
	rc_practitioner *practitioners; /* likewise */
	bool *practitioner_active;
	size_t npractitioners;
	bool *offers;                  /* offers[p * nservices + s]: practitioners[p] offers services[s] */
	rc_setup_hours *hours;         /* everyone's weekly hours, by practitioner, day and time */
	size_t nhours;
	rc_setup_exception *exceptions; /* time off and extra hours not yet over, soonest first */
	size_t nexceptions;
	rc_account *staff;             /* staff accounts a practitioner may be linked to, by role and name */
	size_t nstaff;
} rc_setup_view;

/* Everything in uc->arena. */
RC_WUR rc_err rc_app_setup_view(const rc_uc *uc, rc_setup_view *out);
/* Whether an active practitioner offers services[s] of the view (else runners do not see it). */
bool rc_setup_view_offered(const rc_setup_view *v, size_t s);
/* The staff account linked to a practitioner, from the view; NULL when none. */
const rc_account *rc_setup_view_account(const rc_setup_view *v, int64_t account_id);
/* Where a service (by id, or by key when key is not NULL) or a practitioner is in the view's arrays;
 * SIZE_MAX when it is not. */
size_t rc_setup_view_service(const rc_setup_view *v, int64_t id, const char *key);
size_t rc_setup_view_practitioner(const rc_setup_view *v, int64_t id);
/* A row of weekly hours, or a time off not yet over, from the view; NULL when there is none. */
const rc_setup_hours *rc_setup_view_hours(const rc_setup_view *v, int64_t id);
const rc_setup_exception *rc_setup_view_time_off(const rc_setup_view *v, int64_t id);

/* --- services ------------------------------------------------------------------------------------------ */

typedef struct rc_setup_service_in {
	int64_t id;                      /* 0: a new service */
	const char *key;                 /* a new service's key; a service keeps its key (it is in addresses) */
	const char *name, *minutes, *price, *discipline; /* as typed; price as people write it ("$85.50") */
	bool set_offered_by;             /* false: who offers it stays as it is */
	const int64_t *offered_by;       /* practitioner ids */
	size_t noffered_by;
} rc_setup_service_in;

/* Adds or edits a service; *out is it after. RC_EINVAL with p->field one of key, name, minutes, price,
 * discipline, offered_by; RC_ECONFLICT (field key) when the key is taken; RC_ETOOBIG at the clinic's
 * limit of active services; RC_ENOTFOUND. */
RC_WUR rc_err rc_app_setup_service_save(const rc_uc *uc, const rc_setup_service_in *in, rc_service *out,
                                        rc_problem *p);
/* Retires a service (nobody books it any more; booked visits keep it, *booked_ahead says how many) or
 * brings it back (retire false). */
RC_WUR rc_err rc_app_setup_service_retire(const rc_uc *uc, int64_t id, bool retire, rc_service *out,
                                          int64_t *booked_ahead, rc_problem *p);

/* --- practitioners --------------------------------------------------------------------------------------- */

typedef struct rc_setup_practitioner_in {
	int64_t id;                      /* 0: a new practitioner */
	const char *name;
	const char *disciplines;         /* space- or comma-separated keys */
	const char *account;             /* a staff account's email, "" for none; NULL: the link stays */
	bool set_offers;                 /* false: what they offer stays as it is */
	const char *const *offers;       /* service keys */
	size_t noffers;
} rc_setup_practitioner_in;

/* Adds or edits a practitioner; *out is them after. RC_EINVAL with p->field one of name, disciplines,
 * account, offers; RC_ECONFLICT (field name or account) for a duplicate — the same name whatever its
 * case and spaces, or a staff account already linked to someone; RC_ETOOBIG; RC_ENOTFOUND. */
RC_WUR rc_err rc_app_setup_practitioner_save(const rc_uc *uc, const rc_setup_practitioner_in *in,
                                             rc_practitioner *out, rc_problem *p);

/* --- changes that may cut across booked visits ------------------------------------------------------------- */

typedef enum {
	RC_VISITS_ASK,    /* list the visits the change would cut across, and write nothing */
	RC_VISITS_CANCEL, /* cancel them, mail each patient, offer the freed times to the waitlist */
	RC_VISITS_KEEP,   /* keep them booked, to move one by one */
} rc_visits_choice;

typedef struct rc_setup_visits {
	rc_visits_choice choice;
	const char *message;             /* cancel: the clinic's words in each patient's mail (may be NULL) */
	const int64_t *seen;             /* the visits the admin was shown when they chose */
	size_t nseen;
	const rc_clinic *clinic;         /* its opening hours, and the mail's letterhead */
	const char *public_url;          /* for links in the mail */
} rc_setup_visits;

typedef struct rc_setup_change_out {
	int64_t practitioner;            /* whose time changed */
	bool ask;                        /* nothing was written: these visits need the admin's choice */
	rc_appointment *visits;          /* the booked visits the change leaves outside their practitioner's
	                                  * time (in uc->arena): to choose about, or as handled */
	size_t nvisits;
	int cancelled, offered;          /* visits cancelled (and mailed); freed times offered to the waitlist */
} rc_setup_change_out;

typedef struct rc_setup_hours_in {
	int64_t id;                      /* the row edited or deleted; 0 for a new one */
	int64_t practitioner;            /* a new row's */
	bool remove;
	const char *day, *from, *to;     /* as typed: "mon" … "sun", "HH:MM" on the quarter hour */
	bool outside_opening;            /* the admin confirmed hours outside the clinic's opening hours */
	rc_setup_visits visits;
} rc_setup_hours_in;

/* Adds, edits or deletes a row of weekly hours. RC_OK when written. RC_ECONFLICT with out->ask when
 * booked visits need a choice first (p says so, nothing written). RC_EINVAL with p->field one of
 * practitioner, day, from, to, outside (hours outside the clinic's opening hours, not confirmed),
 * message; RC_ENOTFOUND. */
RC_WUR rc_err rc_app_setup_hours_save(const rc_uc *uc, const rc_setup_hours_in *in, rc_setup_change_out *out,
                                      rc_problem *p);

typedef struct rc_setup_time_off_in {
	int64_t id;                      /* the time off edited or deleted; 0 for new */
	int64_t practitioner;            /* new time off's */
	bool remove;
	const char *from, *to;           /* the clinic's local time, "YYYY-MM-DDTHH:MM" (or a space for T) */
	const char *note;
	rc_setup_visits visits;
} rc_setup_time_off_in;

/* The same for time off; p->field one of practitioner, from, to, note, message. */
RC_WUR rc_err rc_app_setup_time_off_save(const rc_uc *uc, const rc_setup_time_off_in *in, rc_setup_change_out *out,
                                         rc_problem *p);

/* Retires a practitioner (every booked visit ahead needs the same choice first) or brings them back
 * (retire false; a duplicate of someone active is refused). */
RC_WUR rc_err rc_app_setup_practitioner_retire(const rc_uc *uc, int64_t id, bool retire, const rc_setup_visits *visits,
                                               rc_setup_change_out *out, rc_problem *p);

#endif
