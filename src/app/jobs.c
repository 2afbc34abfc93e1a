/* jobs.c (app) — import jobs: queued by an upload, run by one worker thread per process under a lease
 * (see jobs.h). */
#include "app/jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/import_batch.h"
#include "app/training.h"
#include "base/log.h"
#include "base/tempfile.h"
#include "base/text.h"
#include "base/thread.h"
#include "base/time.h"
#include "formats/archive.h"
#include "formats/platforms.h"

/* --- queueing an upload ------------------------------------------------------------------------ */

typedef struct {
	int64_t runner, now, total;
	const rc_import_upload *files;
	int n;
	int64_t job;
	bool runner_full, all_full;
	/* Storing the parts, a few to a transaction: where the next transaction begins (moved on only once
	 * one has committed, so a transaction tried again writes the same parts). */
	int file, next_file;
	size_t at, next_at;
	int64_t file_id, next_file_id;
} queue_ctx;

enum { RC_IMPORT_QUEUE_ATTEMPTS = 5 };

static rc_err queue_tx(rc_db *db, void *p)
{
	queue_ctx *q = p;
	int64_t mine = 0, bytes = 0;
	q->runner_full = q->all_full = false;
	rc_err e = rc_import_jobs_open(db, q->runner, &mine, &bytes);
	if (e)
		return e;
	/* Decided inside the write transaction, so two uploads at once cannot both pass the limit (a job
	 * still receiving its parts counts: it is open from its first transaction). */
	if (mine >= RC_IMPORT_MAX_OPEN_PER_RUNNER) {
		q->runner_full = true;
		return RC_OK;
	}
	if (bytes + q->total > RC_IMPORT_MAX_OPEN_BYTES) {
		q->all_full = true;
		return RC_OK;
	}
	return rc_import_job_create(db, q->runner, q->total, q->now, &q->job);
}

/* Up to RC_IMPORT_PARTS_PER_TX parts from where the last transaction ended; a file's row with its first;
 * the bytes stored so far, for the job's page. */
static rc_err parts_tx(rc_db *db, void *p)
{
	queue_ctx *q = p;
	int file = q->file;
	size_t at = q->at;
	int64_t file_id = q->file_id;
	rc_err e = RC_OK;
	for (int parts = 0; !e && parts < RC_IMPORT_PARTS_PER_TX && file < q->n;) {
		const rc_import_upload *f = &q->files[file];
		if (at == 0 && (e = rc_import_job_file_add(db, q->job, f->name, (int64_t)f->len, &file_id)))
			break;
		if (at < f->len) {
			size_t len = f->len - at < RC_IMPORT_PART_BYTES ? f->len - at : RC_IMPORT_PART_BYTES;
			e = rc_import_job_part_add(db, file_id, f->data + at, len);
			if (f->release)
				f->release(f->data + at, len);
			at += len;
			parts++;
		}
		if (at >= f->len) {
			file++;
			at = 0;
		}
	}
	if (!e) {
		int64_t stored = (int64_t)at;
		for (int i = 0; i < file; i++)
			stored += (int64_t)q->files[i].len;
		/* The clock read now, not the upload's: storing gigabytes takes minutes, and this time is what
		 * tells a storing that moves from one whose process died (RC_IMPORT_STALL_S). */
		e = rc_import_job_stored(db, q->job, stored, rc_time_now());
	}
	if (!e) {
		/* Kept for the next transaction; rc_db_tx calls this again from the same place if it retries. */
		q->next_file = file;
		q->next_at = at;
		q->next_file_id = file_id;
	}
	return e;
}

static rc_err received_tx(rc_db *db, void *p)
{
	return rc_import_job_received(db, ((queue_ctx *)p)->job);
}

typedef struct {
	int64_t job, now;
	const char *message;
} store_failed_ctx;

static rc_err store_failed_tx(rc_db *db, void *p)
{
	store_failed_ctx *c = p;
	return rc_import_job_store_failed(db, c->job, c->message, c->now);
}

static rc_err drop_parts(rc_db *db, int64_t id);
static rc_err drop_finished_parts(rc_db *db);

/* The upload's bytes into the job, a few parts to a transaction, so a big upload neither holds one
 * long transaction (every other writer would wait on SQLite; PostgreSQL's would keep conflicting) nor
 * more than a part of it in memory; then the job is let go to the workers. Between transactions *stop
 * (may be NULL) ends it. A job that could not be stored is failed with a sentence for its page (the
 * runner may already be there), so nothing of it is read; its parts go as any finished job's. */
/* For tests only: RUNCARE_TEST_STORE_PAUSE_MS pauses the storing this long before each transaction
 * (outside it), so a test can watch the site answer, and a stop come, while an upload is stored. */
static int test_pause_ms(void)
{
	static atomic_int ms = -1;
	int v = atomic_load(&ms);
	if (v < 0) {
		const char *env = getenv("RUNCARE_TEST_STORE_PAUSE_MS");
		v = env ? atoi(env) : 0;
		v = v < 0 ? 0 : v > 10000 ? 10000 : v;
		if (v && atomic_exchange(&ms, v) < 0)
			rc_warn("import: RUNCARE_TEST_STORE_PAUSE_MS pauses the storing of uploads %d ms a transaction (for "
			        "tests only)", v);
		atomic_store(&ms, v);
	}
	return v;
}

static bool stopping(const atomic_bool *stop)
{
	int pause = test_pause_ms();
	for (int slept = 0; slept < pause && !(stop && atomic_load(stop)); slept += 20)
		usleep(20000);
	return stop && atomic_load(stop);
}

static rc_err store_parts(rc_db *db, queue_ctx *q, const atomic_bool *stop)
{
	rc_err e = RC_OK;
	bool stopped = false;
	while (!e && q->file < q->n) {
		if (stopping(stop)) {
			stopped = true;
			break;
		}
		e = rc_db_tx(db, parts_tx, q);
		if (!e) {
			q->file = q->next_file;
			q->at = q->next_at;
			q->file_id = q->next_file_id;
		}
	}
	if (!e && !stopped && !(e = rc_db_tx(db, received_tx, q)))
		return RC_OK;
	store_failed_ctx f = {
		.job = q->job,
		.now = q->now,
		.message = stopped ? "The server was stopped while your upload was being stored, so none of it was read; "
		                     "upload the files again."
		                   : "Your upload could not be stored (the clinic's database failed), so none of it was "
		                     "read; upload the files again.",
	};
	if (rc_db_tx(db, store_failed_tx, &f))
		rc_warn("import job %lld: an upload that could not be stored is left for the sweep", (long long)q->job);
	return stopped ? RC_OK : e;
}

static int64_t upload_total(const rc_import_upload *files, int n)
{
	int64_t total = 0;
	for (int i = 0; i < n; i++)
		total += (int64_t)files[i].len;
	return total;
}

rc_err rc_app_import_open(const rc_uc *uc, int64_t runner_id, const rc_import_upload *files, int n, int64_t *job,
                          int64_t *retry_after, rc_problem *p)
{
	*job = 0;
	*retry_after = 0;
	if (n <= 0)
		return rc_problem_set(p, RC_EINVAL, "files", "Choose at least one file: GPX, TCX, FIT, .gz or a .zip export.");
	if (n > RC_IMPORT_MAX_FILES)
		return rc_problem_set(p, RC_EINVAL, "files",
		                      "At most %d files at once; put more in one .zip, or upload them in parts.",
		                      RC_IMPORT_MAX_FILES);
	int64_t total = upload_total(files, n);
	if (total > RC_IMPORT_MAX_JOB_BYTES)
		return rc_problem_set(p, RC_ETOOBIG, "files",
		                      "These files are more than %lld GB together; upload them in parts, or ask the "
		                      "clinic to import a larger export with runcare import.",
		                      (long long)(RC_IMPORT_MAX_JOB_BYTES >> 30));
	queue_ctx q = {.runner = runner_id, .now = uc->now, .total = total, .files = files, .n = n};
	/* On PostgreSQL the worker's progress commits keep conflicting with an upload's serializable
	 * transaction; rc_db_tx's own retries can run out while a big export is being read, so an upload
	 * tries again a few times, a little later each time, before it says the server is busy. */
	rc_err e = RC_EBUSY;
	for (int attempt = 0; attempt < RC_IMPORT_QUEUE_ATTEMPTS && e == RC_EBUSY; attempt++) {
		if (attempt)
			usleep((useconds_t)(100000 * attempt));
		e = rc_db_tx(uc->db, queue_tx, &q);
	}
	if (e == RC_EBUSY)
		return rc_problem_set(p, RC_EIO, "files",
		                      "The clinic's server is busy reading other uploads; nothing was saved. Try again in "
		                      "a minute.");
	if (e)
		return e;
	if (q.runner_full) {
		*retry_after = RC_IMPORT_RETRY_AFTER_S;
		return rc_problem_set(p, RC_EBUSY, "files",
		                      "You already have %d uploads waiting to be read; wait until one of them is done, "
		                      "then upload again.",
		                      RC_IMPORT_MAX_OPEN_PER_RUNNER);
	}
	if (q.all_full)
		return rc_problem_set(p, RC_EIO, "files",
		                      "The clinic's server has too many uploads waiting to be read just now; try again "
		                      "in a few minutes.");
	*job = q.job;
	return RC_OK;
}

rc_err rc_app_import_store(const rc_uc *uc, int64_t job, const rc_import_upload *files, int n,
                           const atomic_bool *stop)
{
	queue_ctx q = {.job = job, .now = uc->now, .files = files, .n = n, .total = upload_total(files, n)};
	return store_parts(uc->db, &q, stop);
}

/* --- the job page ------------------------------------------------------------------------------ */

typedef struct {
	rc_import_view *v;
	rc_arena *arena;
} view_ctx;

static void add_problem(void *ctx, const char *name, const char *why)
{
	view_ctx *c = ctx;
	if (c->v->nproblems >= RC_IMPORT_MAX_REPORTED)
		return;
	const char *n = rc_arena_strdup(c->arena, name), *w = rc_arena_strdup(c->arena, why);
	if (!n || !w)
		return;
	c->v->problems[c->v->nproblems].name = n;
	c->v->problems[c->v->nproblems].why = w;
	c->v->nproblems++;
}

bool rc_import_stalled(const rc_import_job *j, int64_t now)
{
	/* When its storing last moved: its last part, or its creation before the first. */
	int64_t moved = j->stored_at > j->created_at ? j->stored_at : j->created_at;
	return j->receiving && moved < now - RC_IMPORT_STALL_S;
}

rc_err rc_app_import_view(const rc_uc *uc, int64_t job_id, rc_import_view *out, bool *found)
{
	out->nproblems = 0;
	rc_err e = rc_import_job_get(uc->db, job_id, &out->job, found);
	if (e || !*found)
		return e;
	out->stalled = rc_import_stalled(&out->job, uc->now);
	view_ctx c = {out, uc->arena};
	return rc_import_job_problems(uc->db, job_id, RC_IMPORT_MAX_REPORTED, add_problem, &c);
}

int64_t rc_import_files_expected(const rc_import_job *j)
{
	if (j->files_seen < 5 || j->bytes_total <= 0 || j->bytes_done * 20 < j->bytes_total)
		return 0;
	if (j->bytes_done >= j->bytes_total)
		return j->files_seen;
	int64_t n = (int64_t)((double)j->files_seen * (double)j->bytes_total / (double)j->bytes_done + 0.5);
	return n > j->files_seen ? n : j->files_seen;
}

/* --- running a job ----------------------------------------------------------------------------- */

typedef struct {
	rc_uc uc;                /* the claim's, then each file's own "now" */
	int64_t job, runner, claim;
	int64_t skip, seen;      /* training files counted by an earlier attempt; met by this one so far */
	uint64_t base, size;     /* the uploaded file being read: bytes of those before it, its own size */
	uint64_t in_bytes;       /* how far into it the current file ends */
	rc_archive_budget budget;
	rc_import_batch *batch;  /* the files read, stored a batch to a transaction (app/import_batch.h) */
	const atomic_bool *stop;
	bool lost, stopped;
	rc_err failed;
	const char *refusal;     /* why a file could not be stored at all */
	char name_text[400];     /* a file's name as valid UTF-8 (a zip's names may be in any encoding) */
	int copy_fd;             /* the uploaded file being copied out of the database */
} job_run;

static int64_t bytes_done(const job_run *j)
{
	return (int64_t)(j->base + (j->in_bytes < j->size ? j->in_bytes : j->size));
}

/* Inside the transaction that stores the file (its batch's, app/import_batch.h): its count, its problem
 * if it has one, the lease renewed. A job that is no longer this worker's (taken after its lease ran
 * out, or erased with its runner) changes nothing, and RC_ENOTFOUND rolls the batch back with it. */
static rc_err count_file(rc_db *db, const char *name, const rc_import_result *res, void *ctx)
{
	job_run *j = ctx;
	rc_import_progress pr = {
		.added = res->outcome == RC_IMPORT_ADDED,
		.duplicates = res->outcome == RC_IMPORT_DUPLICATE,
		.refused = res->outcome == RC_IMPORT_REFUSED,
		.bytes_done = bytes_done(j),
		.bytes_expanded = (int64_t)j->budget.expanded,
		.lease_until = j->uc.now + RC_IMPORT_LEASE_S,
	};
	bool held = false;
	rc_err e = rc_import_job_progress(db, j->job, j->claim, &pr, &held);
	if (e)
		return e;
	if (!held)
		return RC_ENOTFOUND;
	char why[340];
	if (res->outcome == RC_IMPORT_REFUSED)
		snprintf(why, sizeof why, "%s", res->message[0] ? res->message : "could not be read");
	else if (res->outcome == RC_IMPORT_ADDED && res->message[0])
		snprintf(why, sizeof why, "added, but %s", res->message);
	else if (res->outcome == RC_IMPORT_DUPLICATE && res->message[0])
		snprintf(why, sizeof why, "skipped: %s", res->message);
	else
		return RC_OK;
	rc_text_clean(j->name_text, sizeof j->name_text, name, strlen(name));
	return rc_import_job_problem_add(db, j->job, j->name_text, why, RC_IMPORT_MAX_REPORTED);
}

typedef struct {
	job_run *j;
	const char *name;
} refused_ctx;

static rc_err refused_tx(rc_db *db, void *ctx)
{
	refused_ctx *c = ctx;
	rc_import_result res;
	memset(&res, 0, sizeof res);
	res.outcome = RC_IMPORT_REFUSED;
	snprintf(res.message, sizeof res.message, "%s", c->j->refusal);
	return count_file(db, c->name, &res, c->j);
}

/* Each file once its batch's transaction is over: counted inside it, or what went wrong. */
static void stored(void *ctx, const char *name, rc_err e, const rc_import_result *res)
{
	(void)res;
	job_run *j = ctx;
	if (e == RC_ECONFLICT) {
		/* The one constraint an activity can meet: the runner's activities start at different seconds.
		 * Two files of one run whose lengths differ by more than the duplicate rule allows meet it; the
		 * file is refused, and the job goes on. */
		j->refusal = "another of your activities starts at the same second, so this one was not stored";
		e = rc_db_tx(j->uc.db, refused_tx, &(refused_ctx){j, name});
	}
	if (e == RC_ENOTFOUND)
		j->lost = true;
	else if (e && !j->failed)
		j->failed = e;
}

/* Each training file found in an upload: read and held for its batch, with its own "now". */
static int one_file(void *ctx, const char *name, const unsigned char *data, size_t len, const char *problem,
                    uint64_t in_bytes)
{
	job_run *j = ctx;
	if (atomic_load(j->stop)) {
		j->stopped = true;
		return 1;
	}
	if (++j->seen <= j->skip)
		return 0; /* counted, with its activity, by an attempt that did not finish */
	j->uc.now = rc_time_now();
	j->in_bytes = in_bytes;
	rc_err e = data ? rc_import_batch_add(&j->uc, j->batch, name, &j->budget.hint, data, len)
	                : rc_import_batch_refuse(&j->uc, j->batch, name, problem ? problem : "could not be read");
	if (e && !j->failed)
		j->failed = e;
	return j->lost || j->failed;
}

typedef struct {
	job_run *j;
	rc_job_state state;
	const char *message;
	bool held;
} finish_ctx;

static rc_err finish_tx(rc_db *db, void *p)
{
	finish_ctx *f = p;
	job_run *j = f->j;
	rc_err e = rc_import_job_finish(db, j->job, j->claim, f->state, f->message, j->budget.skipped,
	                                 (int64_t)j->budget.expanded, j->uc.now, &f->held);
	/* FIT files that are not activities (a Garmin export's monitoring, settings…): listed by reason
	 * with the job's report, not counted as files that could not be read. */
	for (int i = 0; f->held && i < j->budget.nskip_reasons; i++) {
		char name[80], why[200];
		int n = j->budget.skip_reasons[i].count;
		snprintf(name, sizeof name, "%d FIT %s", n, n == 1 ? "file" : "files");
		snprintf(why, sizeof why, "skipped: %s", j->budget.skip_reasons[i].why);
		e = rc_import_job_problem_add(db, j->job, name, why, RC_IMPORT_MAX_REPORTED);
		if (e)
			return e;
	}
	return e;
}

typedef struct {
	int64_t now;
	bool found;
} stale_ctx;

static rc_err fail_stale_tx(rc_db *db, void *p)
{
	stale_ctx *c = p;
	return rc_import_job_fail_stale(db, c->now, RC_IMPORT_MAX_ATTEMPTS,
	                                "The import stopped before it finished three times (the server was restarted, "
	                                "or a file in it could not be read); upload the files again.",
	                                &c->found);
}


static rc_err copy_part(void *ctx, const unsigned char *data, size_t len)
{
	job_run *j = ctx;
	for (size_t done = 0; done < len;) {
		ssize_t w = write(j->copy_fd, data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc_error("import job %lld: cannot write its temporary file: %s", (long long)j->job,
			         w < 0 ? strerror(errno) : "no space");
			return RC_EIO;
		}
		done += (size_t)w;
	}
	return RC_OK;
}

/* One uploaded file out of the database into a temporary file, part by part (the lease renewed as it
 * goes): the readers then take it as `runcare import` takes a file on disk, streamed. */
static rc_err copy_out(job_run *j, const rc_import_job_file *f)
{
	int64_t after = 0;
	int got = RC_IMPORT_PARTS_PER_TX;
	rc_err e = RC_OK;
	while (!e && got == RC_IMPORT_PARTS_PER_TX) {
		if (atomic_load(j->stop)) {
			j->stopped = true;
			return RC_OK;
		}
		if ((e = rc_import_job_parts_read(j->uc.db, f->id, &after, RC_IMPORT_PARTS_PER_TX, copy_part, j, &got)))
			break;
		bool held = false;
		j->uc.now = rc_time_now();
		if ((e = rc_import_job_heartbeat(j->uc.db, j->job, j->claim, (int64_t)j->base, (int64_t)j->budget.expanded,
		                                 j->uc.now + RC_IMPORT_LEASE_S, &held)))
			break;
		if (!held) {
			j->lost = true;
			return RC_OK;
		}
	}
	if (e)
		return e;
	off_t size = lseek(j->copy_fd, 0, SEEK_END);
	if (size != (off_t)f->size)
		return RC_EINVAL;
	return lseek(j->copy_fd, 0, SEEK_SET) == 0 ? RC_OK : RC_EIO;
}

/* Reads every uploaded file of a claimed job, in upload order. */
static void run_job(job_run *j)
{
	rc_db *db = j->uc.db;
	rc_import_job_file *files = malloc(RC_IMPORT_MAX_FILES * sizeof *files);
	int n = 0;
	rc_err e = files ? rc_import_job_files(db, j->job, files, RC_IMPORT_MAX_FILES, &n) : RC_ENOMEM;
	if (!e && !(j->batch = rc_import_batch_new(j->runner, stored, j)))
		e = RC_ENOMEM;
	if (e) {
		free(files);
		j->failed = e;
		return;
	}
	rc_import_batch_set_also(j->batch, count_file, j);
	for (int i = 0; i < n && !j->lost && !j->stopped && !j->failed; i++) {
		j->size = (uint64_t)files[i].size;
		j->in_bytes = 0;
		if ((j->copy_fd = rc_temp_open(NULL)) < 0) {
			rc_error("import job %lld: cannot make a temporary file: %s", (long long)j->job, strerror(errno));
			j->failed = RC_EIO;
			break;
		}
		e = copy_out(j, &files[i]);
		if (e == RC_EINVAL) {
			one_file(j, files[i].name, NULL, 0, "the stored upload is damaged; upload the file again", 0);
		} else if (e) {
			j->failed = e;
		} else if (!j->lost && !j->stopped) {
			char path[64], err[400];
			snprintf(path, sizeof path, "/proc/self/fd/%d", j->copy_fd);
			if (rc_platform_each_named(files[i].name, path, &j->budget, one_file, j, err, sizeof err))
				one_file(j, files[i].name, NULL, 0, err, j->size);
		}
		close(j->copy_fd);
		j->copy_fd = -1;
		j->base += j->size;
	}
	/* What is held is stored now: a stop keeps it (the next start goes on after it); a job lost to
	 * another worker stores nothing (each file's count finds the job no longer this one's). */
	if (j->lost)
		rc_import_batch_discard(j->batch);
	else
		rc_import_batch_free(&j->uc, j->batch);
	j->batch = NULL;
	free(files);
}

rc_err rc_app_import_run_next(const rc_uc *uc, const atomic_bool *stop, bool *ran)
{
	*ran = false;
	rc_db *db = uc->db;
	stale_ctx stale = {.now = uc->now, .found = true};
	rc_err e = RC_OK;
	int failed = 0;
	for (; failed < 100 && stale.found && !e; failed++)
		e = rc_db_tx(db, fail_stale_tx, &stale);
	if (!e && failed > 1)
		e = drop_finished_parts(db);
	if (e)
		return e;
	bool found = false;
	int64_t id = 0, attempts = 0;
	bool won = false;
	for (int tries = 0; tries < 4 && !won; tries++) {
		if ((e = rc_import_job_next(db, uc->now, RC_IMPORT_MAX_ATTEMPTS, &id, &attempts, &found)) || !found)
			return e;
		/* Only the process whose update changed the row runs the job (like the outbox's lease). */
		if ((e = rc_import_job_claim(db, id, attempts, uc->now, uc->now + RC_IMPORT_LEASE_S, &won)))
			return e;
	}
	if (!won)
		return RC_OK;
	*ran = true;
	rc_import_job job;
	if ((e = rc_import_job_get(db, id, &job, &found)) || !found)
		return e;
	job_run j = {
		.uc = *uc,
		.job = id,
		.runner = job.runner_id,
		.claim = attempts + 1,
		.skip = job.files_seen,
		.budget = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD},
		.stop = stop,
		.copy_fd = -1,
	};
	if (j.skip)
		rc_info("import job %lld: taken again (attempt %lld), from file %lld", (long long)id, (long long)j.claim,
		        (long long)j.skip + 1);
	run_job(&j);
	if (j.lost) {
		rc_info("import job %lld: no longer this worker's (taken by another or erased); stopped", (long long)id);
		return RC_OK;
	}
	if (j.stopped) {
		/* Back to waiting at once, so the next start goes on where this one stopped. */
		e = rc_import_job_release(db, id, j.claim);
		return e;
	}
	if (j.failed) {
		/* Its lease ends now, so the next turn (after the worker's pause) takes it again, as its next
		 * attempt: a database that stays down fails the job after RC_IMPORT_MAX_ATTEMPTS. */
		rc_warn("import job %lld: stopped by a database error (%s); it is taken again shortly", (long long)id,
		        rc_db_errmsg(db));
		bool held = false;
		if (rc_import_job_heartbeat(db, id, j.claim, bytes_done(&j), (int64_t)j.budget.expanded, rc_time_now(), &held))
			rc_warn("import job %lld: its lease runs out on its own", (long long)id);
		return j.failed;
	}
	j.uc.now = rc_time_now();
	finish_ctx f = {.j = &j, .state = RC_JOB_DONE, .message = ""};
	e = rc_db_tx(db, finish_tx, &f);
	if (!e && f.held)
		e = drop_parts(db, id);
	if (!e && f.held)
		rc_info("import job %lld done: %lld MB expanded", (long long)id, (long long)(j.budget.expanded / 1000000));
	else if (!e)
		rc_info("import job %lld: no longer this worker's when it ended; left as it is", (long long)id);
	return e;
}

/* --- the sweep ------------------------------------------------------------------------------- */

enum { RC_IMPORT_DROP_PARTS = 16 }; /* parts deleted in one transaction */

typedef struct {
	int64_t id;
	bool more, found;
	int64_t finished_before, received_before;
} drop_ctx;

static rc_err drop_tx(rc_db *db, void *p)
{
	drop_ctx *c = p;
	return rc_import_job_parts_drop(db, c->id, RC_IMPORT_DROP_PARTS, &c->more);
}

/* A job's stored bytes, deleted a few parts a transaction: one statement over a gigabyte of rows would
 * hold it all in SQLite's cache (measured: the server's heap grew by the upload's size). */
static rc_err drop_parts(rc_db *db, int64_t id)
{
	drop_ctx c = {.id = id, .more = true};
	rc_err e = RC_OK;
	while (!e && c.more)
		e = rc_db_tx(db, drop_tx, &c);
	return e;
}

static rc_err with_parts_tx(rc_db *db, void *p)
{
	drop_ctx *c = p;
	return rc_import_jobs_with_parts(db, &c->id, &c->found);
}

/* The bytes of every finished job that still has some (failed by the stale rule, or a drop cut short). */
static rc_err drop_finished_parts(rc_db *db)
{
	drop_ctx c = {.found = true};
	rc_err e = RC_OK;
	for (int i = 0; i < 1000 && !e && c.found; i++)
		if (!(e = rc_db_tx(db, with_parts_tx, &c)) && c.found)
			e = drop_parts(db, c.id);
	return e;
}

static rc_err purgeable_tx(rc_db *db, void *p)
{
	drop_ctx *c = p;
	return rc_import_jobs_purgeable(db, c->finished_before, c->received_before, &c->id, &c->found);
}

static rc_err discard_job_tx(rc_db *db, void *p)
{
	return rc_import_job_discard(db, ((drop_ctx *)p)->id);
}

typedef struct {
	int64_t before, now, id;
	bool found;
} stall_ctx;

const char rc_import_stalled_message[] = "Storing your upload stopped before it was all in (the server stopped while "
                                      "storing it), so none of it was read; upload the files again.";

/* The first stalled upload, failed with a sentence for its page (its parts then go as a failed job's). */
static rc_err fail_stalled_tx(rc_db *db, void *p)
{
	stall_ctx *c = p;
	rc_err e = rc_import_jobs_stalled(db, c->before, &c->id, &c->found);
	if (e || !c->found)
		return e;
	return rc_import_job_store_failed(db, c->id, rc_import_stalled_message, c->now);
}

rc_err rc_app_import_purge(const rc_uc *uc, int *deleted)
{
	*deleted = 0;
	drop_ctx c = {.finished_before = uc->now - (int64_t)RC_IMPORT_KEEP_DAYS * 86400,
	              .received_before = uc->now - RC_IMPORT_RECEIVE_MAX_S,
	              .found = true};
	rc_err e = drop_finished_parts(uc->db);
	/* One job at a time, its parts first: other writers never wait for a whole job's bytes. */
	while (!e && c.found) {
		if ((e = rc_db_tx(uc->db, purgeable_tx, &c)) || !c.found)
			break;
		if (!(e = drop_parts(uc->db, c.id)) && !(e = rc_db_tx(uc->db, discard_job_tx, &c)))
			(*deleted)++;
	}
	/* Uploads whose storing stopped (its process died) are failed, so their pages say so and their
	 * bytes go; one at a time, as many as there are (each is one short transaction). */
	stall_ctx st = {.before = uc->now - RC_IMPORT_STALL_S, .now = uc->now, .found = true};
	for (int i = 0; i < 1000 && !e && st.found; i++)
		if (!(e = rc_db_tx(uc->db, fail_stalled_tx, &st)) && st.found)
			rc_info("import job %lld: its upload stopped being stored; failed so its page says so", (long long)st.id);
	if (!e)
		e = drop_finished_parts(uc->db);
	if (*deleted)
		rc_info("import: %d finished or abandoned upload%s deleted (finished over %d days ago)", *deleted,
		        *deleted == 1 ? "" : "s", RC_IMPORT_KEEP_DAYS);
	return e;
}

/* --- the worker thread ------------------------------------------------------------------------- */

struct rc_import_worker {
	pthread_t thread;
	atomic_bool stop;
	rc_db *db;
};

static void nap(rc_import_worker *w, int ms)
{
	for (int slept = 0; slept < ms && !atomic_load(&w->stop); slept += 50) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

static void *work(void *arg)
{
	static const rc_account nobody; /* a timed job acts as nobody (app.h) */
	rc_import_worker *w = arg;
	int64_t swept = 0;
	while (!atomic_load(&w->stop)) {
		rc_uc uc = {.db = w->db, .now = rc_time_now(), .actor = &nobody, .address = "job", .arena = NULL};
		if (!swept || uc.now - swept >= RC_IMPORT_SWEEP_S) {
			int n = 0;
			swept = uc.now;
			if (rc_app_import_purge(&uc, &n))
				rc_warn("import: the sweep of finished jobs failed: %s", rc_db_errmsg(w->db));
		}
		bool ran = false;
		rc_err e = rc_app_import_run_next(&uc, &w->stop, &ran);
		if (e) {
			rc_warn("import: %s (%s)", rc_err_str(e), rc_db_errmsg(w->db));
			nap(w, 5000); /* a database that is down is asked again in a while, not in a loop */
		} else if (!ran) {
			nap(w, RC_IMPORT_TICK_MS);
		}
	}
	return NULL;
}

rc_import_worker *rc_import_worker_start(const char *db_url, char *err, size_t errlen)
{
	rc_import_worker *w = calloc(1, sizeof *w);
	if (!w) {
		rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		return NULL;
	}
	if (rc_db_open(db_url, &w->db, err, errlen)) {
		free(w);
		return NULL;
	}
	if (rc_thread_start(&w->thread, work, w) != 0) {
		rc_db_close(w->db);
		free(w);
		rc_errf(err, errlen, RC_EIO, "cannot start the import worker");
		return NULL;
	}
	return w;
}

void rc_import_worker_stop(rc_import_worker *w)
{
	if (!w)
		return;
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	rc_db_close(w->db);
	free(w);
}
