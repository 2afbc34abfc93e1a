/* import_batch.c (app) — many training files stored a batch to a transaction (see import_batch.h). */
#include "app/import_batch.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char *name, *warnings, *detail;
	unsigned char *data;
	size_t len;
	int64_t now;
	rc_import_result res;
} held;

struct rc_import_batch {
	int64_t runner_id;
	rc_import_done_fn done;
	void *ctx;
	rc_import_batch_also_fn also;
	void *also_ctx;
	int n;
	size_t bytes;
	held files[RC_IMPORT_BATCH_FILES];
};

rc_import_batch *rc_import_batch_new(int64_t runner_id, rc_import_done_fn done, void *ctx)
{
	rc_import_batch *b = calloc(1, sizeof *b);
	if (b) {
		b->runner_id = runner_id;
		b->done = done;
		b->ctx = ctx;
	}
	return b;
}

typedef struct {
	rc_import_batch *b;
	int from, to;
} store_ctx;

/* Safe to repeat: each file's outcome is decided again from the database. */
static rc_err store_tx(rc_db *db, void *p)
{
	store_ctx *c = p;
	for (int i = c->from; i < c->to; i++) {
		held *h = &c->b->files[i];
		rc_err e = RC_OK;
		if (h->res.outcome != RC_IMPORT_REFUSED) {
			h->res.outcome = RC_IMPORT_ADDED;
			e = rc_app_training_store(db, c->b->runner_id, h->now, h->data, h->len, h->warnings, &h->res);
		}
		if (!e && c->b->also)
			e = c->b->also(db, h->name, &h->res, c->b->also_ctx);
		if (e)
			return e;
	}
	return RC_OK;
}

static void release(held *h)
{
	free(h->name);
	free(h->warnings);
	free(h->detail);
	free(h->data);
	memset(h, 0, sizeof *h);
}

void rc_import_batch_flush(const rc_uc *uc, rc_import_batch *b)
{
	if (!b || !b->n)
		return;
	store_ctx c = {b, 0, b->n};
	rc_err all = rc_db_tx(uc->db, store_tx, &c);
	for (int i = 0; i < b->n; i++) {
		held *h = &b->files[i];
		rc_err e = RC_OK;
		if (all) {
			/* One file's trouble is that file's alone: each stored again on its own. */
			store_ctx one = {b, i, i + 1};
			if (h->res.outcome != RC_IMPORT_REFUSED)
				h->res.outcome = RC_IMPORT_ADDED;
			e = rc_db_tx(uc->db, store_tx, &one);
		}
		h->res.rec.detail = NULL;
		b->done(b->ctx, h->name, e, &h->res);
		release(h);
	}
	b->n = 0;
	b->bytes = 0;
	/* The batch's files (up to a megabyte each) are freed among the database's long-lived allocations;
	 * glibc keeps such holes in the heap, and over thousands of files the process grows with the
	 * export. Handing them back after each batch keeps memory flat (measured: bench/run.sh). */
	malloc_trim(0);
}

rc_err rc_import_batch_add(const rc_uc *uc, rc_import_batch *b, const char *name, const rc_export_hint *hint,
                           const unsigned char *data, size_t len)
{
	if (b->n == RC_IMPORT_BATCH_FILES || (b->n && b->bytes + len > RC_IMPORT_BATCH_BYTES))
		rc_import_batch_flush(uc, b);
	held *h = &b->files[b->n];
	rc_err e = rc_app_training_prepare(uc->now, name, hint, data, len, &h->res, &h->warnings, &h->detail);
	h->name = strdup(name);
	h->now = uc->now;
	if (!e && h->res.outcome != RC_IMPORT_REFUSED) {
		/* The original file is stored beside the activity: held until the batch is. */
		h->data = malloc(len ? len : 1);
		if (h->data)
			memcpy(h->data, data, len);
		h->len = len;
	}
	if (!e && (!h->name || (h->res.outcome != RC_IMPORT_REFUSED && !h->data)))
		e = RC_ENOMEM;
	if (e) {
		release(h);
		return e;
	}
	b->n++;
	b->bytes += h->len;
	return RC_OK;
}

void rc_import_batch_set_also(rc_import_batch *b, rc_import_batch_also_fn also, void *ctx)
{
	b->also = also;
	b->also_ctx = ctx;
}

rc_err rc_import_batch_refuse(const rc_uc *uc, rc_import_batch *b, const char *name, const char *why)
{
	if (b->n == RC_IMPORT_BATCH_FILES)
		rc_import_batch_flush(uc, b);
	held *h = &b->files[b->n];
	memset(h, 0, sizeof *h);
	h->res.outcome = RC_IMPORT_REFUSED;
	snprintf(h->res.message, sizeof h->res.message, "%s", why);
	h->now = uc->now;
	if (!(h->name = strdup(name)))
		return RC_ENOMEM;
	b->n++;
	return RC_OK;
}

void rc_import_batch_free(const rc_uc *uc, rc_import_batch *b)
{
	if (!b)
		return;
	rc_import_batch_flush(uc, b);
	free(b);
}

void rc_import_batch_discard(rc_import_batch *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->n; i++)
		release(&b->files[i]);
	free(b);
}
