/* jobs.h (app) — training files imported off the request threads. An upload is queued as an import
 * job: its files are kept in the database in parts of 1 MiB (written a few parts to a transaction, so an
 * upload of gigabytes is never in memory and never one long transaction), where the worker of any
 * process can read them (several processes on PostgreSQL share nothing else). One worker thread per
 * process, with its own database connection, claims jobs under a lease, copies each uploaded file part
 * by part into an unlinked temporary file and reads it as `runcare import` reads a file on disk
 * (formats/platforms.h: zip entries streamed, zips inside zips through a temporary file), storing the
 * training files a batch to a transaction (app/import_batch.h, the CLI's) with each file's count. The job
 * page reads the job; the worker's sweep deletes finished jobs after RC_IMPORT_KEEP_DAYS. */
#ifndef RC_APP_JOBS_H
#define RC_APP_JOBS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "store/training_store.h"

/* Named limits (docs/security.md, "Training files"). */
enum {
	RC_IMPORT_MAX_OPEN_PER_RUNNER = 3,  /* a runner's jobs waiting or running: past it, RC_EBUSY (429) */
	RC_IMPORT_MAX_FILES = 255,          /* files in one job (a form holds at most 256 fields) */
	RC_IMPORT_LEASE_S = 300,            /* a running job is another process's to take after this long
	                                     * without a word from its worker (renewed with every file) */
	RC_IMPORT_MAX_ATTEMPTS = 3,         /* claims of one job; a job whose worker died this often fails */
	RC_IMPORT_MAX_REPORTED = 50,        /* files that could not be read, listed by name on the job page */
	RC_IMPORT_RETRY_AFTER_S = 30,       /* what a 429 for too many jobs asks the runner to wait */
	RC_IMPORT_TICK_MS = 250,            /* how often an idle worker looks for a job */
	RC_IMPORT_PARTS_PER_TX = 8,         /* parts of an upload written, or read back, at a time */
	RC_IMPORT_KEEP_DAYS = 30,           /* a finished job (its report) is deleted this long after it ended */
	RC_IMPORT_RECEIVE_MAX_S = 6 * 3600, /* a job still receiving its parts this long after it began was
	                                     * left by a process that stopped mid-upload: deleted */
	RC_IMPORT_SWEEP_S = 600,            /* how often a worker deletes what is past those times */
	RC_IMPORT_STALL_S = 600,            /* an upload whose storing has not moved this long was left by a
	                                     * process that died while storing it: its page says so, and the
	                                     * sweep fails it (a live one stores a part every second or so) */
};
/* The files of one job: the most the web upload takes (`runcare serve --max-upload` may lower it), a
 * Garmin or Apple Health export of many years. Past it, RC_ETOOBIG (413). */
#define RC_IMPORT_MAX_JOB_BYTES (4LL << 30)
/* Uploaded bytes all jobs waiting or running may hold together in the database: past it, RC_EIO (503). */
#define RC_IMPORT_MAX_OPEN_BYTES (16LL << 30)

/* One uploaded file: borrowed. release (may be NULL) is told of each piece once it is stored, so bytes
 * mapped from disk need not stay resident (web/http.h's rc_req_upload_release). */
typedef struct rc_import_upload {
	const char *name;
	const unsigned char *data;
	size_t len;
	void (*release)(const void *p, size_t n);
} rc_import_upload;

/* An upload queued as an import job for the runner (uc->actor is the runner), in two steps (the web
 * upload's, app/ingest.h). _open checks it and creates its job, `receiving`, in one short transaction;
 * *job is its id. RC_EINVAL (no files, or more than RC_IMPORT_MAX_FILES), RC_ETOOBIG (over
 * RC_IMPORT_MAX_JOB_BYTES), RC_EBUSY with *retry_after when the runner already has
 * RC_IMPORT_MAX_OPEN_PER_RUNNER jobs open, RC_EIO when all open jobs together hold
 * RC_IMPORT_MAX_OPEN_BYTES; each with p's sentence. _store then stores its files' bytes (on another thread, its own connection in uc->db) and lets the workers
 * have it. Between transactions *stop (may be NULL) ends the storing; a job whose bytes could not all
 * be stored (stopped, or the database failed) is failed with a sentence its page shows, and none of it
 * is read. RC_OK when stopped. */
RC_WUR rc_err rc_app_import_open(const rc_uc *uc, int64_t runner_id, const rc_import_upload *files, int n,
                                 int64_t *job, int64_t *retry_after, rc_problem *p);
RC_WUR rc_err rc_app_import_store(const rc_uc *uc, int64_t job, const rc_import_upload *files, int n,
                                  const atomic_bool *stop);

/* A job as its page shows it: the counts and the files that could not be read (names and reasons in
 * uc->arena). *found false when there is no such job. Reads only. */
/* Whether a job is still receiving its parts but its storing has not moved for RC_IMPORT_STALL_S by now
 * (its process died while storing it): it never will be read. */
bool rc_import_stalled(const rc_import_job *j, int64_t now);
/* What a stalled upload's page says, before the sweep fails the job with it and after. */
extern const char rc_import_stalled_message[];

typedef struct rc_import_view {
	rc_import_job job;
	bool stalled; /* still receiving, but its storing has not moved for RC_IMPORT_STALL_S: it never will */
	int nproblems;
	struct {
		const char *name, *why;
	} problems[RC_IMPORT_MAX_REPORTED];
} rc_import_view;
RC_WUR rc_err rc_app_import_view(const rc_uc *uc, int64_t job_id, rc_import_view *out, bool *found);

/* About how many training files the job holds in all, for its progress ("120 of about 480"): the
 * files read so far scaled by the share of the uploaded bytes read, once enough of both has been read
 * for the guess to mean something (5 files and 5% of the bytes); 0 until then, and never fewer than
 * the files already read. Reading every zip's table of contents first would cost a pass over the
 * export, so the page says "about". */
int64_t rc_import_files_expected(const rc_import_job *j);

/* One turn of a worker: fails the jobs whose workers died too often, then claims the first job it may
 * and runs it to its end (or until *stop). Each file is one unit of work with its own "now" (its
 * lease, its activity's import time); uc->now is the claim's. *ran: a job was claimed. */
RC_WUR rc_err rc_app_import_run_next(const rc_uc *uc, const atomic_bool *stop, bool *ran);

/* The sweep: deletes the jobs that finished more than RC_IMPORT_KEEP_DAYS before uc->now, with their
 * files' names and problems (their activities and original files stay), and uploads left half-stored
 * for RC_IMPORT_RECEIVE_MAX_S; *deleted says how many. Logged as a count, naming nobody. */
RC_WUR rc_err rc_app_import_purge(const rc_uc *uc, int *deleted);

/* The worker thread of `runcare serve`: its own connection to db_url, a turn every RC_IMPORT_TICK_MS
 * while idle, the sweep when it starts and every RC_IMPORT_SWEEP_S. NULL (and err) when it cannot start. */
typedef struct rc_import_worker rc_import_worker;
rc_import_worker *rc_import_worker_start(const char *db_url, char *err, size_t errlen);
/* Asks it to stop, waits for the file in hand to finish (the job goes back to waiting, its progress
 * kept) and frees it. NULL is fine. */
void rc_import_worker_stop(rc_import_worker *w);

#endif
