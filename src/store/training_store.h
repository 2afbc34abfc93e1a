/* training_store.h — a runner's stored activities (reading a file and deciding are src/app/training.c's). */
#ifndef RC_TRAINING_STORE_H
#define RC_TRAINING_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/training.h"
#include "store/db.h"

/* Stores an activity already read (inside the caller's transaction), once: when the runner has the same
 * one (domain/training.h's rc_activity_same: the same kind of sport, a start within a minute, the
 * distance within 3%), it is not stored again. Then the richer record's figures are kept
 * (rc_activity_richness: heart rate, then a recorded file over a manual entry; the one stored first on
 * a tie), and the first one's name, shoes and sport stay, a name or shoes it lacked taken from the new. */
typedef struct rc_stored {
	int64_t id;            /* the activity: the new one, or the one it is the same as */
	bool duplicate;        /* it was there already */
	bool replaced;         /* and the new record's figures replaced its own */
	char same_source[128]; /* the duplicate's (or the clash's): the file the activity was first read from */
	bool clash;            /* not stored: another sport's activity starts at the very same second */
} rc_stored;
RC_WUR rc_err rc_activity_store_once(rc_db *db, int64_t runner_id, const rc_activity_rec *a, const char *warnings_json,
                                     int64_t now, rc_stored *out);
/* The same, for callers that need only the id and whether it was there. */
RC_WUR rc_err rc_activity_insert(rc_db *db, int64_t runner_id, const rc_activity_rec *a, const char *warnings_json,
                                 int64_t now, bool *duplicate, int64_t *id);

/* The file an activity was read from, as given, kept for the runner's download (migration 0019; since
 * 0021 an activity read from two platforms keeps both files); a file over RC_ACTIVITY_FILE_MAX bytes, or
 * one of the same name and size kept for it already (the same export imported again), is not kept
 * (RC_OK, nothing written). */
enum { RC_ACTIVITY_FILE_MAX = 16 * 1024 * 1024 };
RC_WUR rc_err rc_activity_file_insert(rc_db *db, int64_t activity_id, const char *name, const unsigned char *data,
                                      size_t len);
/* Each kept file of the runner's activities, oldest activity first: fn(activity id, name, bytes). The
 * bytes are valid during the call only. fn returning non-zero stops the walk. */
typedef int (*rc_activity_file_fn)(void *ctx, int64_t activity_id, const char *name, const unsigned char *data,
                                   size_t len);
RC_WUR rc_err rc_activity_files_each(rc_db *db, int64_t runner_id, rc_activity_file_fn fn, void *ctx);

typedef void (*rc_activity_fn)(void *ctx, const rc_activity_rec *a);
/* The columns every read of an activity selects after the original eighteen (id … track_direction),
 * and the one function that reads such a row (store/activity_store.c reads the same). */
#define RC_ACTIVITY_MORE "sport_kind, track_bend_s, track_lane, effort, hr_zones, name, gear, energy_kcal"
enum { RC_ACTIVITY_NCOLS = 26 }; /* the columns rc_activity_row reads; a query's own come after */
void rc_activity_row(rc_stmt *s, rc_activity_rec *out);
/* Activities starting at or after `from`, oldest first. */
RC_WUR rc_err rc_activity_each(rc_db *db, int64_t runner_id, int64_t from, rc_activity_fn fn, void *ctx);
/* The sport and heart-rate zones of the same activities that have zones, in no order: what finding the
 * highest heart rate needs, without reading the rest of each row. */
typedef void (*rc_hr_zones_fn)(void *ctx, const char *sport, const char *hr_zones);
RC_WUR rc_err rc_activity_hr_zones_each(rc_db *db, int64_t runner_id, int64_t from, rc_hr_zones_fn fn, void *ctx);
/* The latest activity's start, 0 when there is none. */
RC_WUR rc_err rc_activity_latest(rc_db *db, int64_t runner_id, int64_t *start);

/* --- import jobs (app/jobs.c decides; these only read and write) --------------------------------
 * An upload waits as a job with its files until a worker claims it. Every write a worker makes names
 * the claim it holds (the job's `attempts` when it claimed it): when the job has been taken by another
 * process since (its lease ran out) or erased with its runner, the write changes nothing and the
 * function says so (*held false), so the worker stops. */
typedef enum { RC_JOB_QUEUED, RC_JOB_RUNNING, RC_JOB_DONE, RC_JOB_FAILED } rc_job_state;

typedef struct rc_import_job {
	int64_t id, runner_id;
	rc_job_state state;
	int64_t files_seen, added, duplicates, refused, skipped;
	int64_t bytes_done, bytes_total, bytes_expanded;
	int64_t created_at, started_at, finished_at; /* 0: not yet */
	int64_t lease_until, attempts, nfiles;
	bool receiving;    /* its parts are still being stored (bytes_done: how many so far) */
	int64_t stored_at; /* when the last of them was stored (0: none yet) */
	char message[300];
} rc_import_job;

typedef struct rc_import_job_file {
	int64_t id, size;
	char name[256];
} rc_import_job_file;

/* Jobs waiting or running: the runner's, and the bytes of all of them (everyone's). */
RC_WUR rc_err rc_import_jobs_open(rc_db *db, int64_t runner_id, int64_t *runner_jobs, int64_t *all_bytes);
RC_WUR rc_err rc_import_job_create(rc_db *db, int64_t runner_id, int64_t bytes_total, int64_t now, int64_t *id);
/* One uploaded file of a job (its name and size): *file_id, to add its parts to. */
RC_WUR rc_err rc_import_job_file_add(rc_db *db, int64_t job_id, const char *name, int64_t size, int64_t *file_id);
/* One part of it, in order: at most RC_IMPORT_PART_BYTES, kept as base64 text (see migration 0012). */
enum { RC_IMPORT_PART_BYTES = 1024 * 1024 };
RC_WUR rc_err rc_import_job_part_add(rc_db *db, int64_t file_id, const unsigned char *data, size_t len);
/* Every part is in: the job may be claimed (a new job is `receiving` until then; migration 0023); its
 * bytes_done, which counted the bytes stored, starts again from 0 for the reading. */
RC_WUR rc_err rc_import_job_received(rc_db *db, int64_t job_id);
/* How many of a receiving job's bytes are stored so far (its page's "Storing your upload"), at now. */
RC_WUR rc_err rc_import_job_stored(rc_db *db, int64_t job_id, int64_t bytes, int64_t now);
/* The first job still receiving its parts whose storing last moved (a part stored, or the job made)
 * before moved_before; *found false when there is none. */
RC_WUR rc_err rc_import_jobs_stalled(rc_db *db, int64_t moved_before, int64_t *id, bool *found);
/* A receiving job whose parts will not all come (its server stopped while storing them, or the database
 * failed): failed with message, so its page says so; its parts are dropped like any finished job's. */
RC_WUR rc_err rc_import_job_store_failed(rc_db *db, int64_t job_id, const char *message, int64_t now);
/* Deletes a job with its files, their parts and its problems (drop the parts first: a job's parts may be
 * gigabytes, too many for one transaction). */
RC_WUR rc_err rc_import_job_discard(rc_db *db, int64_t id);
/* The sweep's: the first job that finished (done or failed) before finished_before, or that was still
 * receiving its parts when created before received_before; *found false when there is none. */
RC_WUR rc_err rc_import_jobs_purgeable(rc_db *db, int64_t finished_before, int64_t received_before, int64_t *id,
                                       bool *found);
RC_WUR rc_err rc_import_job_get(rc_db *db, int64_t id, rc_import_job *out, bool *found);
/* The runner a job belongs to (0 when there is no such job), for the route table. */
RC_WUR rc_err rc_import_job_owner(rc_db *db, int64_t id, int64_t *runner_id);
typedef void (*rc_job_problem_fn)(void *ctx, const char *name, const char *why);
/* The files that could not be read (at most max, in the order they were met). */
RC_WUR rc_err rc_import_job_problems(rc_db *db, int64_t id, int max, rc_job_problem_fn fn, void *ctx);
/* The runner's latest jobs, newest first (ids), for the training page. */
RC_WUR rc_err rc_import_jobs_latest(rc_db *db, int64_t runner_id, int64_t *ids, int max, int *n);

/* The first job a worker may take at now: waiting, or running with its lease run out, and claimed
 * fewer than max_attempts times. *found false when there is none. */
RC_WUR rc_err rc_import_job_next(rc_db *db, int64_t now, int64_t max_attempts, int64_t *id, int64_t *attempts,
                                 bool *found);
/* Takes it, if nobody has since (one UPDATE whose WHERE only one process can satisfy): *won. The claim
 * is attempts + 1; the lease runs to lease_until. */
RC_WUR rc_err rc_import_job_claim(rc_db *db, int64_t id, int64_t attempts, int64_t now, int64_t lease_until,
                                  bool *won);
/* A running job whose lease ran out after max_attempts claims: failed, with message (one at a time;
 * *found false when there is none); its files' bytes are dropped afterwards (rc_import_job_parts_drop).
 * Inside the caller's transaction. */
RC_WUR rc_err rc_import_job_fail_stale(rc_db *db, int64_t now, int64_t max_attempts, const char *message,
                                       bool *found);
/* The job's files in upload order (at most max). */
RC_WUR rc_err rc_import_job_files(rc_db *db, int64_t job_id, rc_import_job_file *out, int max, int *n);
/* A file's parts in order, at most max of them after the part *after (0: from the first), each decoded
 * and handed to fn (its error stops the read and is returned); *after moves to the last one read and *n
 * says how many were. Fewer than max: the file is read to its end. RC_EINVAL for a damaged part. */
typedef rc_err (*rc_job_part_fn)(void *ctx, const unsigned char *data, size_t len);
RC_WUR rc_err rc_import_job_parts_read(rc_db *db, int64_t file_id, int64_t *after, int max, rc_job_part_fn fn, void *ctx,
                                       int *n);

/* One training file read by the worker holding claim: counts added to, progress set, lease renewed. */
typedef struct rc_import_progress {
	int added, duplicates, refused; /* 0 or 1 each: what this file was */
	int64_t bytes_done, bytes_expanded, lease_until;
} rc_import_progress;
RC_WUR rc_err rc_import_job_progress(rc_db *db, int64_t id, int64_t claim, const rc_import_progress *pr, bool *held);
/* Renews the lease and the byte counts without a file (between uploaded files). */
RC_WUR rc_err rc_import_job_heartbeat(rc_db *db, int64_t id, int64_t claim, int64_t bytes_done, int64_t bytes_expanded,
                                      int64_t lease_until, bool *held);
/* A file's problem for the job page; only the first max are kept. */
RC_WUR rc_err rc_import_job_problem_add(rc_db *db, int64_t id, const char *name, const char *why, int max);
/* Done or failed: the end time, the archive's skipped count and the message. Inside the caller's
 * transaction; the files' bytes are dropped afterwards, a few parts a transaction: */
RC_WUR rc_err rc_import_job_finish(rc_db *db, int64_t id, int64_t claim, rc_job_state state, const char *message,
                                   int64_t skipped, int64_t bytes_expanded, int64_t now, bool *held);
/* Deletes up to max of the job's parts; *more when there may be others. */
RC_WUR rc_err rc_import_job_parts_drop(rc_db *db, int64_t id, int max, bool *more);
/* The first finished (done or failed) job that still has parts (a drop that was stopped), for the sweep. */
RC_WUR rc_err rc_import_jobs_with_parts(rc_db *db, int64_t *id, bool *found);
/* Back to waiting, its progress kept, the claim not counted: a worker stopping cleanly mid-job. */
RC_WUR rc_err rc_import_job_release(rc_db *db, int64_t id, int64_t claim);

#endif
