/* archive.c — plain, .gz and .zip sources of training files (see archive.h for the limits and how an
 * entry's expansion is measured). */
#include "formats/archive.h"
#include "formats/libarchive.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/tempfile.h"
#include "formats/activity.h"
#include "formats/garmin.h"
#include "formats/strava.h"

static bool is_gzip(const unsigned char *p, size_t n)
{
	return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static bool is_zip(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] == 'P' && p[1] == 'K' && (p[2] == 3 || p[2] == 5) && (p[3] == 4 || p[3] == 6);
}

/* What one read of an entry ended with. */
typedef enum { ENTRY_OK, ENTRY_REFUSED, ENTRY_BOMB } entry_end;

typedef struct {
	rc_archive_budget *budget;
	bool spool_zips;   /* a zip inside the zip goes to a temporary file, not memory (see read_entry) */
	char problem[200]; /* why the last entry was refused */
} walker;

static entry_end refuse(walker *w, entry_end how, const char *why)
{
	snprintf(w->problem, sizeof w->problem, "%s", why);
	return how;
}

/* An unnamed temporary file in $TMPDIR (else /tmp), gone when closed or when the process ends
 * (tmpfile() would ignore TMPDIR). NULL when none can be made. */
static FILE *spool_file(void)
{
	int fd = rc_temp_open(NULL);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w+b");
	if (!f)
		close(fd);
	return f;
}

/* Reads the current entry whole, within the limits; *out is NULL and w->problem says why when it is
 * refused. An entry's ratio is checked as each block arrives: the bytes expanded before the block
 * against what the entry has consumed of the source once the block is handed over (archive.h).
 * With w->spool_zips, an entry whose first block begins a zip (a Garmin export's UploadedFiles part,
 * often hundreds of MB) is written to an unnamed temporary file instead (*spool, rewound; *out NULL),
 * so memory stays flat whatever the part's size; it has the same ratio and budget checks, and the
 * budget, not the one-file limit, bounds it. */
rc_block_verdict rc_archive_block(rc_archive_budget *b, uint64_t so_far, uint64_t consumed, size_t size)
{
	if (so_far > RC_ARCHIVE_RATIO_ALLOWANCE && so_far > (uint64_t)RC_ARCHIVE_MAX_RATIO * consumed)
		return RC_BLOCK_BOMB;
	b->expanded += size;
	return b->expanded > b->max_expanded ? RC_BLOCK_OVER_BUDGET : RC_BLOCK_OK;
}

static entry_end read_entry_or_spool(struct archive *a, walker *w, unsigned char **out, size_t *len, FILE **spool)
{
	rc_archive_budget *b = w->budget;
	int64_t start = libarchive.filter_bytes(a, -1);
	size_t cap = 0, n = 0;
	uint64_t spooled = 0;
	unsigned char *buf = NULL;
	FILE *f = NULL;
	entry_end end = ENTRY_OK;
	*out = NULL;
	*len = 0;
	if (spool)
		*spool = NULL;
	for (;;) {
		const void *block;
		size_t size;
		la_int64_t offset;
		int r = libarchive.read_data_block(a, &block, &size, &offset);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			end = refuse(w, ENTRY_REFUSED, "damaged inside the archive");
			break;
		}
		if (size == 0)
			continue;
		uint64_t consumed = (uint64_t)(libarchive.filter_bytes(a, -1) - start);
		uint64_t so_far = n + spooled;
		rc_block_verdict v = rc_archive_block(b, so_far, consumed, size);
		if (v == RC_BLOCK_BOMB) {
			end = refuse(w, ENTRY_BOMB, "expands more than 100-fold: refused as a decompression bomb");
			break;
		}
		if (v == RC_BLOCK_OVER_BUDGET) {
			snprintf(w->problem, sizeof w->problem,
			         "the files of this %s expand past %llu MB together: refused as a decompression bomb",
			         b->max_expanded > RC_ARCHIVE_MAX_TOTAL_UPLOAD ? "import" : "upload",
			         (unsigned long long)(b->max_expanded / 1000000));
			end = ENTRY_BOMB;
			break;
		}
		if (spool && w->spool_zips && so_far == 0 && !f && is_zip(block, size)) {
			if (!(f = spool_file())) {
				end = refuse(w, ENTRY_REFUSED, "a zip inside the archive could not be opened: no room for a "
				                               "temporary file");
				break;
			}
		}
		if (f) {
			if (fwrite(block, 1, size, f) != size) {
				end = refuse(w, ENTRY_REFUSED, "a zip inside the archive could not be opened: no room for a "
				                               "temporary file");
				break;
			}
			spooled += size;
			continue;
		}
		if (size > RC_ARCHIVE_MAX_FILE - n) {
			end = refuse(w, ENTRY_REFUSED, "larger than 128 MB once expanded, the limit for one training file");
			break;
		}
		if (n + size > cap) {
			size_t want = cap ? cap : 64 * 1024;
			while (want < n + size)
				want *= 2;
			if (want > RC_ARCHIVE_MAX_FILE)
				want = RC_ARCHIVE_MAX_FILE;
			unsigned char *nb = realloc(buf, want);
			if (!nb) {
				end = refuse(w, ENTRY_REFUSED, "out of memory");
				break;
			}
			buf = nb;
			cap = want;
		}
		memcpy(buf + n, block, size);
		n += size;
	}
	if (f && end == ENTRY_OK && (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0))
		end = refuse(w, ENTRY_REFUSED, "a zip inside the archive could not be opened: no room for a temporary file");
	if (end != ENTRY_OK) {
		free(buf);
		if (f)
			fclose(f);
		return end;
	}
	if (f) {
		free(buf);
		*spool = f;
		*len = (size_t)spooled;
		return ENTRY_OK;
	}
	if (!buf && !(buf = malloc(1))) /* an empty entry is an empty file, not a failure */
		return refuse(w, ENTRY_REFUSED, "out of memory");
	*out = buf;
	*len = n;
	return ENTRY_OK;
}

static entry_end read_entry(struct archive *a, walker *w, unsigned char **out, size_t *len)
{
	return read_entry_or_spool(a, w, out, len, NULL);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* One walk through one archive: a top-level source, or a zip inside it (depth 1). */
typedef struct {
	rc_archive_budget *budget;
	rc_entry_fn fn;
	void *ctx;
	int depth;
	uint64_t outer_in; /* depth > 0: how far into the top-level source the inner zip ends (progress) */
	uint64_t outer_from, inner_len; /* depth > 0: where it begins there, and its own length */
	struct fd_source *fd;           /* depth > 0, spooled: the temporary file, and where reading is in it */
	bool halt;         /* the caller asked to stop, or the whole budget is spent: nothing more is read */
	bool streaming;    /* read entry by entry from the start (the central directory is missing) */
	rc_strava_csv *csv; /* a Strava export's activities.csv, read before its files */
	rc_garmin_summary *garmin; /* a Garmin export's summaries, read before its files (owned at depth 0) */
} walk_args;

static void count_skip(rc_archive_budget *b, const char *why)
{
	b->not_activities++;
	for (int i = 0; i < b->nskip_reasons; i++)
		if (b->skip_reasons[i].why == why) {
			b->skip_reasons[i].count++;
			return;
		}
	if (b->nskip_reasons < RC_ARCHIVE_SKIP_REASONS) {
		b->skip_reasons[b->nskip_reasons].why = why;
		b->skip_reasons[b->nskip_reasons++].count = 1;
	}
}

void rc_archive_skipped_text(const rc_archive_budget *b, char *buf, size_t n)
{
	if (!n)
		return;
	buf[0] = 0;
	if (!b->not_activities)
		return;
	size_t at = (size_t)snprintf(buf, n, "%d FIT %s not %s skipped:", b->not_activities,
	                             b->not_activities == 1 ? "file that is" : "files that are",
	                             b->not_activities == 1 ? "an activity" : "activities");
	for (int i = 0; i < b->nskip_reasons && at < n; i++)
		at += (size_t)snprintf(buf + at, n - at, "%s %d %s", i ? ";" : "", b->skip_reasons[i].count,
		                       b->skip_reasons[i].why);
}

/* A file found in an archive: a FIT file whose own type says it is not an activity is counted as
 * skipped with its reason; any other is handed over. */
static int deliver(walk_args *wa, const char *path, const unsigned char *data, size_t n, uint64_t in)
{
	if (rc_activity_kind(data, n) == RC_FILE_FIT) {
		const char *why = rc_fit_type_skip_reason(rc_fit_file_type(data, n));
		if (why) {
			count_skip(wa->budget, why);
			return 0;
		}
	}
	rc_archive_budget *b = wa->budget;
	rc_strava_hint(wa->csv, path, &b->hint);
	b->hint.garmin = rc_garmin_summary_count(wa->garmin) ? wa->garmin : NULL;
	b->sport_hint = b->hint.sport;
	int stop = wa->fn(wa->ctx, path, data, n, NULL, in);
	memset(&b->hint, 0, sizeof b->hint);
	b->sport_hint = NULL;
	return stop;
}

/* A Strava export's manual activities (rows of activities.csv with no file), after its files: each
 * handed over as its own row with the hint, or named as a problem by its line. */
static void manual_rows(walk_args *wa, uint64_t in)
{
	rc_archive_budget *b = wa->budget;
	for (int i = 0; !wa->halt && i < rc_strava_manual_count(wa->csv); i++) {
		int line;
		const char *problem, *text;
		size_t len;
		char name[64];
		rc_strava_manual(wa->csv, i, &line, &b->hint, &problem, &text, &len);
		snprintf(name, sizeof name, "activities.csv, line %d", line);
		b->sport_hint = b->hint.sport;
		int stop = problem ? wa->fn(wa->ctx, name, NULL, 0, problem, in)
		                   : wa->fn(wa->ctx, name, (const unsigned char *)text, len, NULL, in);
		memset(&b->hint, 0, sizeof b->hint);
		b->sport_hint = NULL;
		if (stop)
			wa->halt = true;
	}
	const char *damage = rc_strava_csv_problem(wa->csv);
	if (damage && !wa->halt) {
		char why[300];
		snprintf(why, sizeof why, "%s: the rows after it were not read", damage);
		wa->halt = wa->fn(wa->ctx, "activities.csv", NULL, 0, why, in) != 0;
	}
}

/* A Garmin export's activity summary (DI_CONNECT/DI-Connect-Fitness/..._summarizedActivities.json). */
static bool is_garmin_summary(const char *name)
{
	static const char suffix[] = "summarizedActivities.json";
	size_t n = strlen(name), k = sizeof suffix - 1;
	return strstr(name, "DI-Connect-Fitness/") && n > k && strcmp(name + n - k, suffix) == 0;
}

/* The export's own lists, found through the central directory (the other entries are jumped over) and
 * read within the same limits as any entry, before the files they describe: a Strava export's
 * activities.csv at the top of the zip, a Garmin export's activity summaries. A summary over its cap
 * or unreadable is named as a problem, and the files are imported without it. */
static void export_lists(walk_args *wa, const char *path, const unsigned char *mem, size_t len)
{
	struct archive *a = rc_archive_read_new();
	struct archive_entry *e;
	if (!a)
		return;
	libarchive.read_support_format_zip_seekable(a);
	int r = mem ? libarchive.read_open_memory(a, mem, len) : libarchive.read_open_filename(a, path, 1 << 16);
	for (int i = 0; r == ARCHIVE_OK && i < RC_ARCHIVE_MAX_ENTRIES; i++) {
		if ((r = libarchive.read_next_header(a, &e)) != ARCHIVE_OK && r != ARCHIVE_WARN)
			break;
		const char *name = libarchive.entry_pathname(e);
		bool csv = name && !wa->csv && strcmp(name, "activities.csv") == 0;
		bool summary = name && is_garmin_summary(name);
		if (!csv && !summary)
			continue;
		char why[400] = "";
		if (summary && libarchive.entry_size_is_set(e) && libarchive.entry_size(e) > RC_GARMIN_SUMMARY_MAX) {
			snprintf(why, sizeof why, "an activity summary of %lld MB, over runcare's limit of %d MB for one: its "
			         "names were not read (the activities in the FIT files are imported all the same)",
			         (long long)(libarchive.entry_size(e) >> 20), RC_GARMIN_SUMMARY_MAX >> 20);
		} else {
			walker w = {.budget = wa->budget};
			unsigned char *data;
			size_t n;
			if (read_entry(a, &w, &data, &n) != ENTRY_OK) {
				snprintf(why, sizeof why, "%s", w.problem[0] ? w.problem : "could not be read");
			} else if (csv) {
				wa->csv = rc_strava_csv_read((const char *)data, n);
			} else {
				if (!wa->garmin)
					wa->garmin = rc_garmin_summary_new();
				if (!wa->garmin)
					snprintf(why, sizeof why, "out of memory");
				else if (rc_garmin_summary_add(wa->garmin, (const char *)data, n, why, sizeof why) == RC_OK)
					why[0] = 0;
			}
			free(data);
		}
		if (why[0] && wa->fn(wa->ctx, name, NULL, 0, why, (uint64_t)libarchive.filter_bytes(a, -1)))
			wa->halt = true;
	}
	libarchive.read_free(a);
}

/* One .gz inside an archive (activities/123.fit.gz): expanded from memory, one level deep. */
static entry_end inner_gzip(walker *w, walk_args *wa, const char *name, const unsigned char *data, size_t len,
                            uint64_t in_bytes, int *stop)
{
	struct archive *g = rc_archive_read_new();
	struct archive_entry *e;
	entry_end end = ENTRY_OK;
	if (!g) {
		*stop = wa->fn(wa->ctx, name, NULL, 0, "out of memory", in_bytes);
		return ENTRY_REFUSED;
	}
	libarchive.read_support_filter_gzip(g);
	libarchive.read_support_format_raw(g);
	if (libarchive.read_open_memory(g, data, len) != ARCHIVE_OK || libarchive.read_next_header(g, &e) != ARCHIVE_OK) {
		*stop = wa->fn(wa->ctx, name, NULL, 0, "a damaged .gz file", in_bytes);
		end = ENTRY_REFUSED;
	} else {
		unsigned char *inner;
		size_t n;
		end = read_entry(g, w, &inner, &n);
		*stop = inner ? deliver(wa, name, inner, n, in_bytes) : wa->fn(wa->ctx, name, NULL, 0, w->problem, in_bytes);
		free(inner);
	}
	libarchive.read_free(g);
	return end;
}

/* A spooled zip inside the zip, read through the central directory: its reads and seeks, keeping the
 * position (libarchive's byte count adds up every read, the directory's at the end among them). */
typedef struct fd_source {
	int fd;
	uint64_t pos;
	unsigned char buf[1 << 16];
} fd_source;

static la_ssize_t fd_read(struct archive *a, void *ctx, const void **out)
{
	fd_source *f = ctx;
	ssize_t n = read(f->fd, f->buf, sizeof f->buf);
	if (n < 0) {
		libarchive.set_error(a, errno, "cannot read the temporary file");
		return -1;
	}
	f->pos += (uint64_t)n;
	*out = f->buf;
	return n;
}

static la_int64_t fd_seek(struct archive *a, void *ctx, la_int64_t offset, int whence)
{
	(void)a;
	fd_source *f = ctx;
	off_t r = lseek(f->fd, (off_t)offset, whence);
	if (r >= 0)
		f->pos = (uint64_t)r;
	return r < 0 ? ARCHIVE_FATAL : (la_int64_t)r;
}

static la_int64_t fd_skip(struct archive *a, void *ctx, la_int64_t request)
{
	la_int64_t r = fd_seek(a, ctx, request, SEEK_CUR);
	return r < 0 ? 0 : request;
}

static int fd_open(struct archive *a, fd_source *f)
{
	if (lseek(f->fd, 0, SEEK_SET) != 0)
		return ARCHIVE_FATAL;
	f->pos = 0;
	libarchive.read_set_callback_data(a, f);
	libarchive.read_set_read_callback(a, fd_read);
	libarchive.read_set_seek_callback(a, fd_seek);
	libarchive.read_set_skip_callback(a, fd_skip);
	return libarchive.read_open1(a);
}

static rc_err walk_source(const char *source, const char *path, int fd, const unsigned char *mem, size_t len,
                          bool gz, walk_args *wa, char *err, size_t errlen);

/* A zip inside the zip, already read within the per-entry limits (into memory, or spooled to the
 * temporary file fd): walked one level deeper, its entries measured and counted against the same
 * budget. */
static void inner_zip(walk_args *wa, const char *name, int fd, const unsigned char *data, size_t len, uint64_t from,
                      uint64_t in)
{
	if (wa->depth >= RC_ARCHIVE_MAX_DEPTH) {
		if (wa->fn(wa->ctx, name, NULL, 0,
		           "a zip inside a zip inside a zip: runcare opens the zips inside an export, as Garmin writes "
		           "them, but not one nested deeper; unzip this one and upload the files it holds",
		           in))
			wa->halt = true;
		return;
	}
	walk_args inner = {.budget = wa->budget, .fn = wa->fn, .ctx = wa->ctx, .depth = wa->depth + 1, .outer_in = in,
	                   .outer_from = from < in ? from : in, .inner_len = len, .garmin = wa->garmin};
	fd_source *src = NULL;
	if (fd >= 0) {
		if (!(src = malloc(sizeof *src))) {
			wa->halt = wa->fn(wa->ctx, name, NULL, 0, "out of memory", in) != 0;
			return;
		}
		src->fd = fd;
		inner.fd = src;
	}
	char err[400];
	if (walk_source(name, NULL, fd, data, len, false, &inner, err, sizeof err) || err[0])
		/* A damaged inner zip: what was read before the damage is kept, and the damage is named. */
		wa->halt = inner.halt || wa->fn(wa->ctx, name, NULL, 0, err, in) != 0;
	else
		wa->halt = inner.halt;
	free(src);
}

/* How far into the top-level source the reading is: inside a zip within the zip, the share of the
 * inner zip read so far, laid over the bytes it took in the top-level source. */
static uint64_t progress_at(struct archive *a, const walk_args *wa)
{
	uint64_t pos = wa->fd ? wa->fd->pos : (uint64_t)libarchive.filter_bytes(a, -1);
	if (!wa->depth)
		return pos;
	if (!wa->inner_len || pos >= wa->inner_len)
		return wa->outer_in;
	return wa->outer_from + (uint64_t)((double)(wa->outer_in - wa->outer_from) * (double)pos / (double)wa->inner_len);
}

/* Names no training file has: what exports hold beside the activities. A training file may be named
 * anything else (a .xml TCX, no extension at all) and is told by its content. */
static bool other_file_name(const char *base)
{
	static const char *const ext[] = {".json", ".csv", ".txt", ".jpg", ".jpeg", ".png", ".gif", ".heic",
	                                  ".mp4", ".mov", ".pdf", ".html", ".htm"};
	size_t n = strlen(base);
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		size_t e = strlen(ext[i]);
		if (n > e && strcasecmp(base + n - e, ext[i]) == 0)
			return true;
	}
	return false;
}

static rc_err walk(struct archive *a, const char *source, bool plain_gz, walk_args *wa, char *err, size_t errlen)
{
	rc_archive_budget *budget = wa->budget;
	rc_entry_fn fn = wa->fn;
	void *ctx = wa->ctx;
	walker w = {.budget = budget, .spool_zips = !plain_gz && wa->depth < RC_ARCHIVE_MAX_DEPTH};
	struct archive_entry *e;
	int entries = 0, r;
	char full[1024];
	if (err && errlen)
		err[0] = 0;
	while ((r = libarchive.read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		uint64_t in = progress_at(a, wa), from = in;
		if (++entries > RC_ARCHIVE_MAX_ENTRIES) {
			fn(ctx, source, NULL, 0, "more than 100,000 files in one archive: the rest were left out", in);
			break;
		}
		/* Entries left unread are jumped over by the central directory's sizes (archive.h). */
		if (libarchive.entry_filetype(e) != AE_IFREG && !plain_gz)
			continue;
		bool hidden = false;
		const char *path = plain_gz ? source : libarchive.entry_pathname(e);
		if (!path)
			path = source;
		const char *base = base_name(path);
		if (base[0] == '.' || strncmp(path, "__MACOSX/", 9) == 0) {
			budget->skipped++;
			/* Read entry by entry, a skipped entry would be decompressed to find its end, unmeasured:
			 * it is read through the limits instead, and dropped. */
			if (!wa->streaming)
				continue;
			hidden = true;
		}
		/* An export's other files by their names (its JSON, CSV, photos: a Garmin export's wellness
		 * files are hundreds of MB): skipped like any file that is not a training file, but jumped over
		 * rather than read whole to be told apart by content. */
		if (!hidden && !plain_gz && other_file_name(base)) {
			budget->entries++;
			budget->skipped++;
			if (!wa->streaming)
				continue;
			hidden = true;
		}
		/* Inside a zip within the zip, a file is named by both paths, so a message finds it. */
		if (wa->depth && !plain_gz) {
			snprintf(full, sizeof full, "%s/%s", source, path);
			path = full;
		}
		if (!hidden)
			budget->entries++;
		unsigned char *data;
		size_t n;
		FILE *spool = NULL;
		entry_end end = read_entry_or_spool(a, &w, &data, &n, &spool);
		if (hidden && (data || spool)) {
			free(data);
			if (spool)
				fclose(spool);
			continue;
		}
		in = progress_at(a, wa);
		int stop = 0;
		if (spool) {
			inner_zip(wa, path, fileno(spool), NULL, n, from, in);
			fclose(spool);
		} else if (!data)
			stop = fn(ctx, path, NULL, 0, w.problem, in);
		else if (!plain_gz && is_gzip(data, n))
			end = inner_gzip(&w, wa, path, data, n, in, &stop);
		else if (!plain_gz && is_zip(data, n))
			inner_zip(wa, path, -1, data, n, from, in);
		else if (!plain_gz && rc_activity_kind(data, n) == RC_FILE_UNKNOWN)
			budget->skipped++; /* an export's CSV, JSON and photos */
		else if (!plain_gz)
			stop = deliver(wa, path, data, n, in);
		else
			stop = fn(ctx, path, data, n, NULL, in);
		free(data);
		if (stop)
			wa->halt = true;
		if (end == ENTRY_BOMB && budget->expanded > budget->max_expanded)
			wa->halt = true;
		if (wa->halt || end == ENTRY_BOMB)
			break;
	}
	if (r == ARCHIVE_FATAL) {
		snprintf(err, errlen, "%s: the archive is damaged (%s)", source, libarchive.error_string(a));
		return entries ? RC_OK : RC_EINVAL;
	}
	return RC_OK;
}

static struct archive *opener(bool gz, bool streaming)
{
	struct archive *a = rc_archive_read_new();
	if (!a)
		return NULL;
	if (gz) {
		libarchive.read_support_filter_gzip(a);
		libarchive.read_support_format_raw(a);
	} else if (streaming) {
		libarchive.read_support_format_zip_streamable(a);
	} else {
		/* The central directory only: sizes come from it, and skipping an entry is a seek. */
		libarchive.read_support_format_zip_seekable(a);
	}
	return a;
}

/* A .gz or .zip, from memory (mem), an open file (fd >= 0, read from its start) or a file (path);
 * source names it. A zip is read through its central
 * directory; when that cannot be found (an export cut short in its download), it is read again entry by
 * entry from the start, the files before the cut are handed over, and the cut is named. */
static rc_err walk_source(const char *source, const char *path, int fd, const unsigned char *mem, size_t len,
                          bool gz, walk_args *wa, char *err, size_t errlen)
{
	rc_err e = RC_OK;
	if (err && errlen)
		err[0] = 0;
	for (int streaming = 0; streaming < (gz ? 1 : 2); streaming++) {
		struct archive *a = opener(gz, streaming);
		if (!a)
			return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		wa->streaming = streaming;
		if (!gz && !streaming && !wa->depth)
			export_lists(wa, path, mem, len);
		int r = mem ? libarchive.read_open_memory(a, mem, len)
		        : fd >= 0 ? fd_open(a, wa->fd)
		                  : libarchive.read_open_filename(a, path, 1 << 16);
		if (r != ARCHIVE_OK)
			e = rc_errf(err, errlen, RC_EINVAL, "%s: not a readable archive (%s)", source, libarchive.error_string(a));
		else
			e = walk(a, source, gz, wa, err, errlen);
		uint64_t in = wa->depth ? wa->outer_in : (uint64_t)libarchive.filter_bytes(a, -1);
		libarchive.read_free(a);
		if (e != RC_EINVAL)
			manual_rows(wa, in);
		rc_strava_csv_free(wa->csv);
		wa->csv = NULL;
		if (!wa->depth) {
			rc_garmin_summary_free(wa->garmin);
			wa->garmin = NULL;
		}
		if (!streaming && (e != RC_EINVAL || gz))
			return e;
		if (streaming && e != RC_EINVAL) {
			const char *why = "the archive is cut short or damaged (its table of contents at the end is missing): the "
			                  "files before the damage were read; download the export again for the rest";
			if (err && errlen)
				err[0] = 0;
			if (!wa->halt && wa->fn(wa->ctx, source, NULL, 0, why, in))
				wa->halt = true;
		}
	}
	return e;
}

rc_err rc_archive_each_mem(const char *name, const unsigned char *data, size_t len, rc_archive_budget *budget,
                           rc_entry_fn fn, void *ctx, char *err, size_t errlen)
{
	if (!is_gzip(data, len) && !is_zip(data, len)) {
		fn(ctx, name, data, len, NULL, len);
		return RC_OK;
	}
	walk_args wa = {.budget = budget, .fn = fn, .ctx = ctx};
	return walk_source(name, NULL, -1, data, len, is_gzip(data, len), &wa, err, errlen);
}

rc_err rc_archive_each_named(const char *name, const char *path, rc_archive_budget *budget, rc_entry_fn fn, void *ctx,
                             char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return rc_errf(err, errlen, RC_EINVAL, "%s: cannot open it", name);
	unsigned char head[4] = {0};
	size_t h = fread(head, 1, 4, f);
	if (!is_gzip(head, h) && !is_zip(head, h)) {
		/* A plain file: read whole, within the limit for one training file. */
		if (fseek(f, 0, SEEK_END) != 0) {
			fclose(f);
			return rc_errf(err, errlen, RC_EINVAL, "%s: cannot read it", name);
		}
		long size = ftell(f);
		rewind(f);
		if (size < 0 || size > RC_ARCHIVE_MAX_FILE) {
			fclose(f);
			fn(ctx, name, NULL, 0, "larger than 128 MB, the limit for one training file", (uint64_t)(size > 0 ? size : 0));
			return RC_OK;
		}
		unsigned char *data = malloc((size_t)size + 1);
		size_t n = data ? fread(data, 1, (size_t)size, f) : 0;
		fclose(f);
		if (!data)
			return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		fn(ctx, name, data, n, NULL, n);
		free(data);
		return RC_OK;
	}
	fclose(f);
	walk_args wa = {.budget = budget, .fn = fn, .ctx = ctx};
	return walk_source(name, path, -1, NULL, 0, is_gzip(head, h), &wa, err, errlen);
}

rc_err rc_archive_each_file(const char *path, rc_archive_budget *budget, rc_entry_fn fn, void *ctx, char *err,
                            size_t errlen)
{
	return rc_archive_each_named(path, path, budget, fn, ctx, err, errlen);
}

/* --- writing ------------------------------------------------------------------------------------ */

struct rc_zip_writer {
	struct archive *a;
	unsigned char *data;
	size_t len, cap, max;
	bool too_big;
};

static la_ssize_t zip_write_cb(struct archive *a, void *ctx, const void *buf, size_t n)
{
	rc_zip_writer *z = ctx;
	if (z->len + n > z->max) {
		z->too_big = true;
		libarchive.set_error(a, ENOSPC, "the archive is larger than allowed");
		return -1;
	}
	if (z->len + n > z->cap) {
		size_t cap = z->cap ? z->cap : 64 * 1024;
		while (cap < z->len + n)
			cap *= 2;
		unsigned char *p = realloc(z->data, cap);
		if (!p) {
			libarchive.set_error(a, ENOMEM, "out of memory");
			return -1;
		}
		z->data = p;
		z->cap = cap;
	}
	memcpy(z->data + z->len, buf, n);
	z->len += n;
	return (la_ssize_t)n;
}

rc_err rc_zip_open(size_t max_bytes, rc_zip_writer **out)
{
	rc_zip_writer *z = calloc(1, sizeof *z);
	if (!z)
		return RC_ENOMEM;
	z->max = max_bytes;
	z->a = rc_archive_write_new();
	if (!z->a || libarchive.write_set_format_zip(z->a) != ARCHIVE_OK ||
	    libarchive.write_set_bytes_in_last_block(z->a, 1) != ARCHIVE_OK ||
	    libarchive.write_open2(z->a, z, NULL, zip_write_cb, NULL, NULL) != ARCHIVE_OK) {
		rc_zip_free(z);
		return RC_ENOMEM;
	}
	*out = z;
	return RC_OK;
}

rc_err rc_zip_add(rc_zip_writer *z, const char *name, const void *data, size_t len, int64_t mtime)
{
	struct archive_entry *e = libarchive.entry_new();
	if (!e)
		return RC_ENOMEM;
	libarchive.entry_set_pathname_utf8(e, name);
	libarchive.entry_set_filetype(e, AE_IFREG);
	libarchive.entry_set_perm(e, 0644);
	libarchive.entry_set_size(e, (la_int64_t)len);
	libarchive.entry_set_mtime(e, (time_t)mtime, 0);
	bool ok = libarchive.write_header(z->a, e) == ARCHIVE_OK &&
	          (len == 0 || libarchive.write_data(z->a, data, len) == (la_ssize_t)len) &&
	          libarchive.write_finish_entry(z->a) == ARCHIVE_OK;
	libarchive.entry_free(e);
	return ok ? RC_OK : z->too_big ? RC_ETOOBIG : RC_EIO;
}

rc_err rc_zip_close(rc_zip_writer *z, unsigned char **out, size_t *len)
{
	bool ok = libarchive.write_close(z->a) == ARCHIVE_OK;
	rc_err e = ok ? RC_OK : z->too_big ? RC_ETOOBIG : RC_EIO;
	if (!e) {
		*out = z->data;
		*len = z->len;
		z->data = NULL;
	}
	rc_zip_free(z);
	return e;
}

void rc_zip_free(rc_zip_writer *z)
{
	if (!z)
		return;
	if (z->a)
		libarchive.write_free(z->a);
	free(z->data);
	free(z);
}
