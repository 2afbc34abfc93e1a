/* ingest.c (app) — the ingest thread: web uploads stored into their jobs off the request threads (see
 * ingest.h). */
#include "app/ingest.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "app/jobs.h"
#include "base/log.h"
#include "base/thread.h"
#include "base/tempfile.h"
#include "base/time.h"

/* Uploads waiting to be stored, each holding a descriptor of its spool: past it the upload's own request
 * stores it, so waiting uploads never hold more than a few descriptors beyond the connections' own (the
 * descriptor limit gives every connection room for a spool; web/http.c, connection_cap). */
enum { RC_INGEST_MAX_WAITING = 64 };

typedef struct ingest_task {
	struct ingest_task *next;
	int64_t job;
	int fd;
	size_t size;
	int n;
	rc_import_upload *files; /* data: offsets into the spool until it is mapped */
	void (*done)(void *ctx);
	void *ctx;
} ingest_task;

struct rc_import_ingest {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_bool stop;
	ingest_task *head, *tail;
	int waiting;
	rc_db *db;
};

static void task_free(ingest_task *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->done)
		t->done(t->ctx);
	free(t);
}

/* One upload: its spool mapped again, its files stored (or failed, when stopping), the spool let go. */
static void store_one(rc_import_ingest *ing, ingest_task *t)
{
	static const rc_account nobody; /* the storing acts as nobody; the upload's request audited it */
	rc_uc uc = {.db = ing->db, .now = rc_time_now(), .actor = &nobody, .address = "ingest", .arena = NULL};
	void *m = t->size ? mmap(NULL, t->size, PROT_READ, MAP_PRIVATE, t->fd, 0) : NULL;
	if (m == MAP_FAILED) {
		rc_error("import job %lld: cannot map its upload: %s", (long long)t->job, strerror(errno));
		m = NULL;
	}
	for (int i = 0; i < t->n; i++) {
		size_t off = (size_t)(uintptr_t)t->files[i].data;
		t->files[i].data = m ? (const unsigned char *)m + off : NULL;
		t->files[i].release = rc_pages_drop;
	}
	/* Not mapped: nothing can be stored, and the job is failed as a stop fails it. */
	static const atomic_bool cannot = true;
	rc_err e = rc_app_import_store(&uc, t->job, t->files, t->n, m ? &ing->stop : &cannot);
	if (e)
		rc_warn("import job %lld: its upload could not be stored: %s (%s)", (long long)t->job, rc_err_str(e),
		        rc_db_errmsg(ing->db));
	if (m)
		munmap(m, t->size);
}

static void *ingest(void *arg)
{
	rc_import_ingest *ing = arg;
	for (;;) {
		pthread_mutex_lock(&ing->lock);
		while (!ing->head && !atomic_load(&ing->stop))
			pthread_cond_wait(&ing->wake, &ing->lock);
		ingest_task *t = ing->head;
		if (t && !(ing->head = t->next))
			ing->tail = NULL;
		if (t)
			ing->waiting--;
		pthread_mutex_unlock(&ing->lock);
		if (!t)
			return NULL; /* stopping, nothing left */
		store_one(ing, t);
		task_free(t);
	}
}

rc_import_ingest *rc_import_ingest_start(const char *db_url, char *err, size_t errlen)
{
	rc_import_ingest *ing = calloc(1, sizeof *ing);
	if (!ing) {
		rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		return NULL;
	}
	if (rc_db_open(db_url, &ing->db, err, errlen)) {
		free(ing);
		return NULL;
	}
	pthread_mutex_init(&ing->lock, NULL);
	pthread_cond_init(&ing->wake, NULL);
	if (rc_thread_start(&ing->thread, ingest, ing) != 0) {
		pthread_mutex_destroy(&ing->lock);
		pthread_cond_destroy(&ing->wake);
		rc_db_close(ing->db);
		free(ing);
		rc_errf(err, errlen, RC_EIO, "cannot start the upload storing thread");
		return NULL;
	}
	return ing;
}

bool rc_import_ingest_hand(rc_import_ingest *ing, int64_t job, int fd, size_t size, const rc_ingest_file *files,
                           int n, void (*done)(void *ctx), void *ctx)
{
	size_t names = 0;
	for (int i = 0; i < n; i++)
		names += strlen(files[i].name) + 1;
	ingest_task *t = malloc(sizeof *t + (size_t)n * sizeof(rc_import_upload) + names);
	if (!t) {
		close(fd);
		if (done)
			done(ctx);
		return false;
	}
	*t = (ingest_task){.job = job, .fd = fd, .size = size, .n = n, .done = done, .ctx = ctx};
	t->files = (rc_import_upload *)(t + 1);
	char *name = (char *)(t->files + n);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(files[i].name) + 1;
		memcpy(name, files[i].name, len);
		t->files[i] = (rc_import_upload){name, (const unsigned char *)(uintptr_t)files[i].offset, files[i].len, NULL};
		name += len;
	}
	pthread_mutex_lock(&ing->lock);
	bool stopping = atomic_load(&ing->stop) || ing->waiting >= RC_INGEST_MAX_WAITING;
	if (!stopping) {
		ing->waiting++;
		if (ing->tail)
			ing->tail->next = t;
		else
			ing->head = t;
		ing->tail = t;
		pthread_cond_signal(&ing->wake);
	}
	pthread_mutex_unlock(&ing->lock);
	if (stopping) {
		task_free(t);
		return false;
	}
	return true;
}

void rc_import_ingest_stop(rc_import_ingest *ing)
{
	if (!ing)
		return;
	pthread_mutex_lock(&ing->lock);
	atomic_store(&ing->stop, true);
	pthread_cond_signal(&ing->wake);
	pthread_mutex_unlock(&ing->lock);
	/* The thread drains what is waiting: each store sees the stop before its first transaction and
	 * only fails its job. */
	pthread_join(ing->thread, NULL);
	pthread_mutex_destroy(&ing->lock);
	pthread_cond_destroy(&ing->wake);
	rc_db_close(ing->db);
	free(ing);
}
