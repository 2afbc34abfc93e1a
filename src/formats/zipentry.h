/* zipentry.h — for the readers of platforms' own export shapes (applehealth.c, polar.c): a zip opened
 * through its central directory, and its current entry read block by block within archive.h's limits
 * (the entry's ratio, the upload's or import's budget). */
#ifndef RC_ZIPENTRY_H
#define RC_ZIPENTRY_H

#include <archive.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/archive.h"

bool rc_zipent_is_zip(const unsigned char *p, size_t n);
/* The zip at path, or in mem/len, through its central directory; NULL when it cannot be opened. With
 * streamed, a zip without one (cut short) is opened to be read entry by entry from its start, and
 * *streamed says so. */
struct archive *rc_zipent_open(const char *path, const unsigned char *mem, size_t len, bool *streamed);
/* Whether any entry's name matches (read from the central directory only: nothing is decompressed); in a
 * zip cut short, whether its first entry's does. */
bool rc_zipent_any(const char *path, const unsigned char *mem, size_t len, bool (*match)(void *ctx, const char *name),
                   void *ctx);
/* Reads the current entry, handing each block to feed (false stops the read, not an error); max: bytes
 * the entry may expand to. NULL, or why it was refused; *over_budget when the whole budget is spent. */
const char *rc_zipent_stream(struct archive *a, rc_archive_budget *b, uint64_t max,
                             bool (*feed)(void *, const void *, size_t), void *ctx, bool *over_budget);

/* An entry collected whole: feed is rc_zipent_feed_bytes, ctx an rc_zipent_bytes (caller frees p). */
typedef struct {
	unsigned char *p;
	size_t n, cap;
	bool oom;
} rc_zipent_bytes;
bool rc_zipent_feed_bytes(void *ctx, const void *block, size_t size);
/* An entry read through only to be measured and dropped (a zip read entry by entry cannot jump over one). */
bool rc_zipent_discard(void *ctx, const void *block, size_t size);

#endif
