/* patient_store.h — patients as the front desk finds and tidies them: the search keys each patient is
 * stored under (domain/search.h decides them), the candidates of a search, the list of every patient,
 * and moving a duplicate registration's rows to the record kept. Writers run inside the caller's
 * transaction. A patient is a live account whose role is runner or that kept its patient record when
 * it became staff (migration 0013). */
#ifndef RC_PATIENT_STORE_H
#define RC_PATIENT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/search.h"
#include "store/db.h"

/* One patient as lists show them; the strings live until the next row. */
typedef struct rc_patient_row {
	int64_t id;
	const char *name, *email, *phone, *phone_digits, *dob; /* "" when not known */
	const char *role;                                      /* "runner", or a staff role */
	int64_t created_at, deactivated_at;                    /* deactivated_at 0: active */
	bool has_password;                                     /* has chosen a password: signs in online */
} rc_patient_row;
typedef void (*rc_patient_row_fn)(void *ctx, const rc_patient_row *p);

/* Writes account id's search keys from its details as they are now, or removes them when it is not a
 * live patient, and marks it indexed. fresh: an account made in this transaction (no keys to remove).
 * Every write of a name, email, phone or date of birth calls it in its transaction. */
RC_WUR rc_err rc_patient_index(rc_db *db, int64_t id, bool fresh);
/* Indexes up to max (at most RC_PATIENT_INDEX_BATCH) accounts that are not yet (see migration 0013);
 * *done says how many. A batch is one transaction's work: the larger, the fewer times the same pages
 * of the index are written. */
enum { RC_PATIENT_INDEX_BATCH = 2000 };
RC_WUR rc_err rc_patient_index_pending(rc_db *db, int max, int *done);

/* Live patients stored under any of keys[0..n) (n from 1 to RC_PATIENT_LOOKUP_KEYS), then those not
 * indexed yet; a patient may come twice. Stops after max rows with *too_many set. */
enum { RC_PATIENT_LOOKUP_KEYS = 16 };
RC_WUR rc_err rc_patient_candidates(rc_db *db, const char (*keys)[RC_SEARCH_KEY_MAX + 1], size_t n, int64_t max,
                                    rc_patient_row_fn fn, void *ctx, bool *too_many);
/* One page of every live patient, by name; *total how many there are. */
RC_WUR rc_err rc_patient_page(rc_db *db, int64_t offset, int64_t limit, rc_patient_row_fn fn, void *ctx,
                              int64_t *total);
/* One live patient; *found false when id is not one. */
RC_WUR rc_err rc_patient_get(rc_db *db, int64_t id, rc_patient_row_fn fn, void *ctx, bool *found);

/* --- merging a duplicate registration ----------------------------------------------------------- */

/* What a merge moves, one count per kind of row (the names are the tables'). */
typedef enum {
	RC_MERGE_APPOINTMENTS, RC_MERGE_WAITLIST, RC_MERGE_SELFCHECKS, RC_MERGE_ACTIVITIES, RC_MERGE_ACTIVITIES_SAME,
	RC_MERGE_IMPORTS, RC_MERGE_PROGRAMS, RC_MERGE_EXERCISE_LOGS, RC_MERGE_DIARY, RC_MERGE_PSFS,
	RC_MERGE_DETAILS, RC_MERGE_DETAIL_VERSIONS, RC_MERGE_EPISODES, RC_MERGE_NOTES, RC_MERGE_ADDENDA,
	RC_MERGE_MEASURES, RC_MERGE_TREATMENTS, RC_MERGE_CONSENTS, RC_MERGE_ADVERSE, RC_MERGE_FEEDS,
	RC_MERGE_KINDS
} rc_merge_kind;
typedef struct rc_merge_counts {
	int64_t n[RC_MERGE_KINDS]; /* ACTIVITIES_SAME: the duplicate's runs the kept record has too (dropped) */
} rc_merge_counts;
RC_WUR rc_err rc_patient_merge_counts(rc_db *db, int64_t dup, int64_t keep, rc_merge_counts *out);

/* Moves every row about dup to keep: a run both have is kept once; dup's current home program ends
 * when keep has one; a day both wrote in the diary keeps keep's entry, dup's as the earlier version;
 * dup's details become an earlier version of keep's (the caller has written keep's merged details);
 * dup's sessions end and its API tokens and single-use links are revoked. The audit log is not
 * touched: it keeps naming dup. */
RC_WUR rc_err rc_patient_merge_move(rc_db *db, int64_t dup, int64_t keep, int64_t now);
/* Retires dup (merged into keep: no email, no password, deleted_at set, its name kept). RC_ECONFLICT
 * when it is no longer a live account (another merge or an erasure came first). */
RC_WUR rc_err rc_patient_retire(rc_db *db, int64_t dup, int64_t keep, int64_t now);
/* The record kept signs in with dup's email and password (taken after rc_patient_retire freed the email). */
RC_WUR rc_err rc_patient_take_login(rc_db *db, int64_t keep, const char *email, const char *password_hash,
                                    int64_t changed_at);
/* The record a merged registration went into (0 when it was not merged). */
RC_WUR rc_err rc_patient_merged_into(rc_db *db, int64_t id, int64_t *into);

#endif
