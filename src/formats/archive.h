/* archive.h — training files as they arrive: one plain file, a .gz, or a whole .zip export (with
 * .gz files inside, as Strava and others ship them), read through libarchive with limits against
 * decompression bombs. Each training file found is handed over whole, in memory, one at a time.
 *
 * How an entry's expansion is measured. libarchive does not say how many compressed bytes a zip
 * entry holds (a zip may even lie about it in its headers), so runcare measures what each entry
 * actually consumed: the read position of the source (archive_filter_bytes(a, -1), the bytes taken
 * from the file or memory below every decompressor) when the entry's data begins, and again each time
 * the decompressor hands over a block. An entry's ratio is its expanded bytes over the source bytes
 * it consumed — its own, not the archive's so far, so an incompressible first entry buys nothing for
 * the entries after it. Two details make this exact rather than approximate:
 *  - a stored (uncompressed) entry is handed over straight from the source and counted as consumed
 *    only when the next block is asked for, so each block's check compares the bytes expanded
 *    *before* that block with the position *after* asking for it: a stored entry is always 1:1,
 *    and a deflated one is at most one decompressor block (256 KiB) late;
 *  - the zip is read through its central directory only (the seekable reader), so an entry that is
 *    skipped is jumped over, never decompressed to find its end.
 * A .gz inside a zip is measured the same way against its own compressed bytes. Past
 * RC_ARCHIVE_RATIO_ALLOWANCE, an entry that expands more than RC_ARCHIVE_MAX_RATIO-fold is refused as
 * a bomb and the rest of that archive is not read. Every byte decompressed counts against the
 * caller's budget (rc_archive_budget), one for a whole upload or import. */
#ifndef RC_ARCHIVE_H
#define RC_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "formats/exporthint.h"

enum {
	RC_ARCHIVE_MAX_FILE = 128 * 1024 * 1024,    /* bytes of one training file, expanded */
	RC_ARCHIVE_MAX_RATIO = 100,                 /* an entry's expanded bytes over its own compressed bytes */
	RC_ARCHIVE_RATIO_ALLOWANCE = 1024 * 1024,   /* bytes an entry may expand to before its ratio counts */
	RC_ARCHIVE_MAX_ENTRIES = 100000,            /* entries read from one archive */
	RC_ARCHIVE_MAX_DEPTH = 1,                   /* zips inside a zip, as Garmin writes them; no deeper */
	RC_ARCHIVE_SKIP_REASONS = 8,                /* kinds of FIT file that are not activities, counted apart */
};
/* Bytes all the sources of one upload (a web upload's files, read by the import worker) or one
 * `runcare import` may expand to together. The web's is 4 times its 4 GiB upload (a Garmin export's
 * FIT files expand about 2-fold; an Apple Health export.xml is read as it expands and never held); the
 * operator's command reads whole folders of exports of many years. */
#define RC_ARCHIVE_MAX_TOTAL_UPLOAD (16ULL << 30)
#define RC_ARCHIVE_MAX_TOTAL_IMPORT (64ULL << 30)

/* One upload's or import's budget, kept by the caller across every source it reads. */
typedef struct rc_archive_budget {
	uint64_t max_expanded; /* in: RC_ARCHIVE_MAX_TOTAL_UPLOAD or _IMPORT */
	uint64_t expanded;     /* bytes decompressed so far, every source and level (a .gz in a zip twice) */
	int skipped;           /* files in archives that are not training files */
	int entries;           /* files found in archives */
	/* FIT files in archives whose own type says they are not activities (a Garmin export's daily
	 * monitoring, settings, sleep…): skipped, not failures, counted by reason (formats/activity.h's
	 * rc_fit_type_skip_reason); not in `skipped`. */
	int not_activities;
	struct {
		const char *why;
		int count;
	} skip_reasons[RC_ARCHIVE_SKIP_REASONS];
	int nskip_reasons;
	/* While a file is handed over: its sport as the export's own list names it (a Strava export's
	 * activities.csv, by the file's path: "running", "cycling", "walking"…), else NULL. */
	const char *sport_hint;
	/* While a file is handed over: all the export's own lists say of it (its name, sport and shoes in a
	 * Strava export's activities.csv; a Garmin export's summaries to match it by start), else zeroed.
	 * A Strava manual activity, a row of activities.csv with no file, is handed over as its own row (a
	 * small CSV named "activities.csv, line N") with hint.manual set; a bad row as a problem naming
	 * its line. */
	rc_export_hint hint;
} rc_archive_budget;

/* The decompression-bomb rules for one block of an entry, in one place for every reader of archives
 * (this file's walk, formats/zipentry.c's platform exports): before the block, so_far bytes of the entry
 * had been expanded from consumed bytes of its source, and size more come now. RC_BLOCK_BOMB when the
 * entry already expands more than RC_ARCHIVE_MAX_RATIO-fold (past the allowance); else the block counts
 * toward the budget, and RC_BLOCK_OVER_BUDGET when the budget is then spent. */
typedef enum { RC_BLOCK_OK, RC_BLOCK_BOMB, RC_BLOCK_OVER_BUDGET } rc_block_verdict;
rc_block_verdict rc_archive_block(rc_archive_budget *b, uint64_t so_far, uint64_t consumed, size_t size);

/* "12 FIT files that are not activities skipped: 10 daily monitoring (…), 2 device or sport settings";
 * "" when there were none. */
void rc_archive_skipped_text(const rc_archive_budget *budget, char *buf, size_t n);

/* Called for each file inside: data is NULL and problem says why when it could not be read (too
 * big, expands too far, damaged); name is the path inside the archive. in_bytes: how much of the
 * source has been read so far (for progress). Returning non-zero stops the walk. */
typedef int (*rc_entry_fn)(void *ctx, const char *name, const unsigned char *data, size_t len, const char *problem,
                           uint64_t in_bytes);

/* Reads the file at path (plain, .gz or .zip, recognised by content). Files in an archive that are
 * not training files are skipped and counted in budget->skipped. A zip inside the zip (a Garmin Connect
 * export's DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip) is read the same way, its
 * files named "outer path/inner path", within the same limits (its own bytes count as one entry's, and
 * each of its entries is measured again); a zip nested deeper is refused by name. RC_EINVAL (with err) when the source
 * itself cannot be read. */
RC_WUR rc_err rc_archive_each_file(const char *path, rc_archive_budget *budget, rc_entry_fn fn, void *ctx,
                                   char *err, size_t errlen);
/* The same for the file at path, named name in what it reports (an upload copied to a temporary file). */
RC_WUR rc_err rc_archive_each_named(const char *name, const char *path, rc_archive_budget *budget, rc_entry_fn fn,
                                    void *ctx, char *err, size_t errlen);
/* The same for bytes in memory (an upload); name names it in messages. */
RC_WUR rc_err rc_archive_each_mem(const char *name, const unsigned char *data, size_t len, rc_archive_budget *budget,
                                  rc_entry_fn fn, void *ctx, char *err, size_t errlen);

/* --- writing: a .zip for a person's download ----------------------------------------------------
 * Entries are deflated into memory; the whole archive may hold at most max_bytes (else RC_ETOOBIG from
 * the call that passes it). mtime: the entries' modification time (Unix seconds). */
typedef struct rc_zip_writer rc_zip_writer;
RC_WUR rc_err rc_zip_open(size_t max_bytes, rc_zip_writer **out);
RC_WUR rc_err rc_zip_add(rc_zip_writer *z, const char *name, const void *data, size_t len, int64_t mtime);
/* Finishes the archive: *out (caller frees) and *len; frees z whatever happens. */
RC_WUR rc_err rc_zip_close(rc_zip_writer *z, unsigned char **out, size_t *len);
/* Frees a writer given up on. */
void rc_zip_free(rc_zip_writer *z);

#endif
