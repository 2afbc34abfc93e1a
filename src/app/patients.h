/* patients.h (app) — the front desk's patients: register one who phones in (name, date of birth,
 * phone; email optional), find anyone fast, merge a duplicate registration into the record kept. The
 * pages (web/pages/patients.c), the JSON API (GET /api/patients) and `runcare patient` call these;
 * inviting a patient to choose a password is app/account.h's rc_app_invite. A patient without an email
 * is a whole patient: an account with no email and no password until they are invited or sign up. */
#ifndef RC_APP_PATIENTS_H
#define RC_APP_PATIENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "store/patient_store.h"

enum {
	RC_PATIENT_SEARCH_LOOK = 20000, /* patients a search may look at; past it, it asks for more of the name */
	RC_PATIENT_DUPLICATES = 10,     /* possible duplicates shown before registering */
	RC_PATIENT_DOB_MAX = 40,        /* bytes of a date of birth as typed */
	RC_PATIENT_SEARCH_MIN = 2,      /* characters a search needs (none: the list of everyone) */
	RC_PATIENT_API_PAGE = 25,       /* patients a page of GET /api/patients */
};

/* Who registers patients, merges registrations and invites patients: the front desk and administrators
 * (and the command line's operator, an administrator). Practitioners find patients. */
bool rc_app_patients_may_manage(rc_role role);

typedef struct rc_patient {
	int64_t id;
	const char *name, *email, *phone, *dob; /* "" when not known */
	rc_role role;
	int64_t created_at, deactivated_at;
	bool has_password;
	int score;        /* how well it matched the search (domain/search.h); 0 in a plain list */
	const char *sort; /* the name as sorted */
} rc_patient;

typedef struct rc_patient_list {
	rc_patient *v; /* this page's, in uc->arena */
	int n;
	int64_t total, page, pages; /* matches on all pages; this page and how many (from 1) */
} rc_patient_list;

/* Patients matching what was typed (domain/search.h), best first then by name; q NULL or "": every
 * patient by name. page counts from 1, per_page rows each. Staff only (RC_EFORBIDDEN). RC_EINVAL
 * ("q") when q is shorter than RC_PATIENT_SEARCH_MIN characters or not one line of at most
 * RC_SEARCH_MAX bytes, or matches too many patients to rank (type more); RC_ENOTFOUND ("page") past
 * the last page. A search is written to the audit log. */
RC_WUR rc_err rc_app_patient_find(const rc_uc *uc, const char *q, int64_t page, int per_page, rc_patient_list *out,
                                  rc_problem *p);

/* The one patient the front desk means by what it typed in a booking or waitlist form: an email address
 * names its account exactly; anything else is a search (rc_app_patient_find) that must find exactly one
 * patient. RC_EINVAL naming `field` otherwise, the sentence saying what was found: nobody (register them
 * first), or the first few of several (with their dates of birth and phones) and to type more. */
RC_WUR rc_err rc_app_patient_pick(const rc_uc *uc, const char *typed, const char *field, int64_t *id, rc_problem *p);

/* One live patient. RC_ENOTFOUND when id is not one. */
RC_WUR rc_err rc_app_patient_summary(const rc_uc *uc, int64_t id, rc_patient *out, rc_problem *p);

typedef struct rc_patient_new {
	const char *name, *dob, *phone, *email; /* email NULL or "": none */
	bool anyway;                            /* register though possible duplicates were shown */
} rc_patient_new;

/* Registers a patient who phoned in: name, date of birth (YYYY-MM-DD or as people write it, when that
 * is not ambiguous), phone; an email if they have one. RC_EINVAL naming "name", "dob", "phone" or
 * "email"; RC_ECONFLICT naming "email" when the address has an account already; RC_ECONFLICT (no
 * field) with the possible duplicates in *dups (same name and date of birth, same phone) unless
 * in->anyway. *id the new patient's. */
RC_WUR rc_err rc_app_patient_register(const rc_uc *uc, const rc_patient_new *in, int64_t *id, rc_patient_list *dups,
                                      rc_problem *p);

/* What merging dup into keep does: both patients, what moves, the sign-in the kept record ends with,
 * and why it cannot be done ("" when it can). */
typedef struct rc_merge_plan {
	rc_patient dup, keep;
	rc_merge_counts counts;
	const char *login;  /* the email the kept record will have ("" none) */
	bool login_moves;   /* the duplicate's email and password move to the kept record */
	bool email_moves;   /* the duplicate's email moves (no password) */
	char refused[300];
} rc_merge_plan;

/* The plan, for the page that asks to confirm. RC_ENOTFOUND when either is not a live patient;
 * RC_EINVAL ("into") when they are the same; RC_EFORBIDDEN for practitioners and runners. */
RC_WUR rc_err rc_app_patient_merge_plan(const rc_uc *uc, int64_t dup, int64_t keep, rc_merge_plan *out,
                                        rc_problem *p);
/* Merges in one transaction with its audit lines (on both records), as the plan says; RC_ECONFLICT with
 * the plan's reason when it is refused, or when another merge came first. */
RC_WUR rc_err rc_app_patient_merge(const rc_uc *uc, int64_t dup, int64_t keep, rc_merge_plan *out, rc_problem *p);
/* A kind of row that moves, in words ("appointments"); clinical marks the ones only clinicians see. */
const char *rc_app_merge_kind_label(rc_merge_kind k, bool *clinical);

#endif
