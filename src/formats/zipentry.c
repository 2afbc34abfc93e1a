/* zipentry.c — zip entries read within limits, for the platforms' export readers (see zipentry.h). */
#include "formats/zipentry.h"
#include "formats/libarchive.h"

#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

bool rc_zipent_is_zip(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] == 'P' && p[1] == 'K' && (p[2] == 3 || p[2] == 5) && (p[3] == 4 || p[3] == 6);
}

struct archive *rc_zipent_open(const char *path, const unsigned char *mem, size_t len, bool *streamed)
{
	for (int streaming = 0; streaming < (streamed ? 2 : 1); streaming++) {
		struct archive *a = rc_archive_read_new();
		if (!a)
			return NULL;
		if (streaming)
			libarchive.read_support_format_zip_streamable(a);
		else
			libarchive.read_support_format_zip_seekable(a);
		int r = mem ? libarchive.read_open_memory(a, mem, len) : libarchive.read_open_filename(a, path, 1 << 16);
		if (r == ARCHIVE_OK) {
			if (streamed)
				*streamed = streaming;
			return a;
		}
		libarchive.read_free(a);
	}
	return NULL;
}

bool rc_zipent_any(const char *path, const unsigned char *mem, size_t len, bool (*match)(void *ctx, const char *name),
                   void *ctx)
{
	if (mem && !rc_zipent_is_zip(mem, len))
		return false;
	bool streamed = false;
	struct archive *a = rc_zipent_open(path, mem, len, &streamed);
	if (!a)
		return false;
	struct archive_entry *e;
	bool found = false;
	int r;
	/* Entry by entry, the next header is found by decompressing the entry before it: the first only. */
	for (int i = 0; !found && i < (streamed ? 1 : RC_ARCHIVE_MAX_ENTRIES) &&
	                ((r = libarchive.read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN);
	     i++)
		found = match(ctx, libarchive.entry_pathname(e));
	libarchive.read_free(a);
	return found;
}

const char *rc_zipent_stream(struct archive *a, rc_archive_budget *b, uint64_t max,
                             bool (*feed)(void *, const void *, size_t), void *ctx, bool *over_budget)
{
	/* Measured as archive.h says: the bytes expanded before each block against what the entry has
	 * consumed of the source once the block is handed over. */
	int64_t start = libarchive.filter_bytes(a, -1);
	uint64_t n = 0;
	for (;;) {
		const void *block;
		size_t size;
		la_int64_t offset;
		int r = libarchive.read_data_block(a, &block, &size, &offset);
		if (r == ARCHIVE_EOF)
			return NULL;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return "damaged inside the archive (cut short?)";
		if (!size)
			continue;
		uint64_t consumed = (uint64_t)(libarchive.filter_bytes(a, -1) - start);
		rc_block_verdict v = rc_archive_block(b, n, consumed, size);
		if (v == RC_BLOCK_BOMB)
			return "expands more than 100-fold: refused as a decompression bomb";
		if (v == RC_BLOCK_OVER_BUDGET) {
			*over_budget = true;
			return "the files of this import expand past the limit for one import together: the rest was not read";
		}
		if (size > max - n)
			return "larger than runcare reads of one file of this kind";
		n += size;
		if (!feed(ctx, block, size))
			return NULL;
	}
}

bool rc_zipent_feed_bytes(void *ctx, const void *block, size_t size)
{
	rc_zipent_bytes *b = ctx;
	if (b->n + size > b->cap) {
		size_t cap = b->cap ? b->cap : 64 * 1024;
		while (cap < b->n + size)
			cap *= 2;
		unsigned char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return false;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, block, size);
	b->n += size;
	return true;
}

bool rc_zipent_discard(void *ctx, const void *block, size_t size)
{
	(void)ctx, (void)block, (void)size;
	return true;
}
