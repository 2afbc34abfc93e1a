/* archive.c — plain, .gz and .zip sources of training files (see archive.h). */
#include "formats/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/activity.h"

static bool is_gzip(const unsigned char *p, size_t n)
{
	return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static bool is_zip(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] == 'P' && p[1] == 'K' && (p[2] == 3 || p[2] == 5) && (p[3] == 4 || p[3] == 6);
}

/* Reads the current entry whole, within the limits. *problem is set when it is refused. */
static unsigned char *read_entry(struct archive *a, size_t *len, uint64_t *total, uint64_t in_before,
                                 const char **problem)
{
	size_t cap = 64 * 1024, n = 0;
	unsigned char *buf = malloc(cap);
	*problem = NULL;
	if (!buf) {
		*problem = "out of memory";
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= RC_ARCHIVE_MAX_FILE) {
				*problem = "larger than 128 MB once expanded, the limit for one training file";
				break;
			}
			cap *= 2;
			unsigned char *nb = realloc(buf, cap);
			if (!nb) {
				*problem = "out of memory";
				break;
			}
			buf = nb;
		}
		la_ssize_t got = archive_read_data(a, buf + n, cap - n);
		if (got < 0) {
			*problem = "damaged inside the archive";
			break;
		}
		if (got == 0) {
			*len = n;
			return buf;
		}
		n += (size_t)got;
		*total += (uint64_t)got;
		uint64_t in = (uint64_t)archive_filter_bytes(a, -1) - in_before;
		if (*total > RC_ARCHIVE_MAX_TOTAL) {
			*problem = "the archive expands past 8 GB: refused as a decompression bomb";
			break;
		}
		if (n > (1u << 20) && in > 0 && n / in > RC_ARCHIVE_MAX_RATIO) {
			*problem = "expands more than 100-fold: refused as a decompression bomb";
			break;
		}
	}
	free(buf);
	return NULL;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* One .gz inside an archive (activities/123.fit.gz): expanded from memory, one level deep. */
static int inner_gzip(const char *name, const unsigned char *data, size_t len, rc_entry_fn fn, void *ctx,
                      uint64_t *total, uint64_t in_bytes)
{
	struct archive *g = archive_read_new();
	archive_read_support_filter_gzip(g);
	archive_read_support_format_raw(g);
	struct archive_entry *e;
	int stop = 0;
	if (archive_read_open_memory(g, data, len) != ARCHIVE_OK || archive_read_next_header(g, &e) != ARCHIVE_OK) {
		stop = fn(ctx, name, NULL, 0, "a damaged .gz file", in_bytes);
	} else {
		const char *problem;
		size_t n = 0;
		unsigned char *inner = read_entry(g, &n, total, 0, &problem);
		stop = fn(ctx, name, inner, n, problem, in_bytes);
		free(inner);
	}
	archive_read_free(g);
	return stop;
}

static rc_err walk(struct archive *a, const char *source, bool plain_gz, rc_entry_fn fn, void *ctx, int *skipped,
                   char *err, size_t errlen)
{
	struct archive_entry *e;
	uint64_t total = 0;
	int entries = 0, r;
	*skipped = 0;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if (++entries > RC_ARCHIVE_MAX_ENTRIES) {
			fn(ctx, source, NULL, 0, "more than 100,000 files in one archive: the rest were left out",
			   (uint64_t)archive_filter_bytes(a, -1));
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG && !plain_gz)
			continue;
		const char *path = plain_gz ? source : archive_entry_pathname(e);
		if (!path)
			path = source;
		const char *base = base_name(path);
		if (base[0] == '.' || strncmp(path, "__MACOSX/", 9) == 0) {
			(*skipped)++;
			continue;
		}
		const char *problem;
		size_t n = 0;
		unsigned char *data = read_entry(a, &n, &total, 0, &problem);
		uint64_t in = (uint64_t)archive_filter_bytes(a, -1);
		int stop;
		if (!data)
			stop = fn(ctx, path, NULL, 0, problem, in);
		else if (!plain_gz && is_gzip(data, n))
			stop = inner_gzip(path, data, n, fn, ctx, &total, in);
		else if (!plain_gz && rc_activity_kind(data, n) == RC_FILE_UNKNOWN) {
			(*skipped)++; /* an export's CSV, JSON and photos */
			stop = 0;
		} else
			stop = fn(ctx, path, data, n, NULL, in);
		free(data);
		if (stop || (!data && problem && strstr(problem, "bomb")))
			break;
	}
	if (r == ARCHIVE_FATAL) {
		snprintf(err, errlen, "%s: the archive is damaged (%s)", source, archive_error_string(a));
		return entries ? RC_OK : RC_EINVAL;
	}
	return RC_OK;
}

static struct archive *opener(bool gz)
{
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	if (gz) {
		archive_read_support_filter_gzip(a);
		archive_read_support_format_raw(a);
	} else {
		archive_read_support_format_zip(a);
	}
	return a;
}

rc_err rc_archive_each_mem(const char *name, const unsigned char *data, size_t len, rc_entry_fn fn, void *ctx,
                           int *skipped, char *err, size_t errlen)
{
	*skipped = 0;
	if (!is_gzip(data, len) && !is_zip(data, len)) {
		fn(ctx, name, data, len, NULL, len);
		return RC_OK;
	}
	struct archive *a = opener(is_gzip(data, len));
	if (!a)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	rc_err e;
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK)
		e = rc_errf(err, errlen, RC_EINVAL, "%s: not a readable archive (%s)", name, archive_error_string(a));
	else
		e = walk(a, name, is_gzip(data, len), fn, ctx, skipped, err, errlen);
	archive_read_free(a);
	return e;
}

rc_err rc_archive_each_file(const char *path, rc_entry_fn fn, void *ctx, int *skipped, char *err, size_t errlen)
{
	*skipped = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return rc_errf(err, errlen, RC_EINVAL, "%s: cannot open it", path);
	unsigned char head[4] = {0};
	size_t h = fread(head, 1, 4, f);
	if (!is_gzip(head, h) && !is_zip(head, h)) {
		/* A plain file: read whole, within the limit for one training file. */
		if (fseek(f, 0, SEEK_END) != 0) {
			fclose(f);
			return rc_errf(err, errlen, RC_EINVAL, "%s: cannot read it", path);
		}
		long size = ftell(f);
		rewind(f);
		if (size < 0 || size > RC_ARCHIVE_MAX_FILE) {
			fclose(f);
			fn(ctx, path, NULL, 0, "larger than 128 MB, the limit for one training file", (uint64_t)(size > 0 ? size : 0));
			return RC_OK;
		}
		unsigned char *data = malloc((size_t)size + 1);
		size_t n = data ? fread(data, 1, (size_t)size, f) : 0;
		fclose(f);
		if (!data)
			return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		fn(ctx, path, data, n, NULL, n);
		free(data);
		return RC_OK;
	}
	fclose(f);
	struct archive *a = opener(is_gzip(head, h));
	if (!a)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	rc_err e;
	if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK)
		e = rc_errf(err, errlen, RC_EINVAL, "%s: not a readable archive (%s)", path, archive_error_string(a));
	else
		e = walk(a, path, is_gzip(head, h), fn, ctx, skipped, err, errlen);
	archive_read_free(a);
	return e;
}
