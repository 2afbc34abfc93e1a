/* archive.h — training files as they arrive: one plain file, a .gz, or a whole .zip export (with
 * .gz files inside, as Strava and others ship them), read through libarchive with limits against
 * decompression bombs. Each training file found is handed over whole, in memory, one at a time. */
#ifndef RC_ARCHIVE_H
#define RC_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum {
	RC_ARCHIVE_MAX_FILE = 128 * 1024 * 1024, /* bytes of one training file, expanded */
	RC_ARCHIVE_MAX_RATIO = 100,              /* expanded over compressed, past the first MB */
	RC_ARCHIVE_MAX_ENTRIES = 100000,
};
#define RC_ARCHIVE_MAX_TOTAL (8ULL << 30) /* bytes expanded from one archive */

/* Called for each file inside: data is NULL and problem says why when it could not be read (too
 * big, expands too far, damaged); name is the path inside the archive. in_bytes: how much of the
 * source has been read so far (for progress). Returning non-zero stops the walk. */
typedef int (*rc_entry_fn)(void *ctx, const char *name, const unsigned char *data, size_t len, const char *problem,
                           uint64_t in_bytes);

/* Reads the file at path (plain, .gz or .zip, recognised by content). Files in an archive that are
 * not training files are skipped and counted in *skipped. RC_EINVAL (with err) when the source
 * itself cannot be read. */
RC_WUR rc_err rc_archive_each_file(const char *path, rc_entry_fn fn, void *ctx, int *skipped, char *err,
                                   size_t errlen);
/* The same for bytes in memory (an upload); name names it in messages. */
RC_WUR rc_err rc_archive_each_mem(const char *name, const unsigned char *data, size_t len, rc_entry_fn fn,
                                  void *ctx, int *skipped, char *err, size_t errlen);

#endif
