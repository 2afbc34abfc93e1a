/* test_archive.c — the archive reader's limits against decompression bombs, on zips built here with
 * libarchive's writer: an incompressible entry buys nothing for the bombs after it (they are stopped
 * after about a megabyte each, measured in bytes expanded, not in time), a stored entry is 1:1 and never
 * a bomb, a whole upload has one budget, and an ordinary export still reads whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/activity.h"
#include "formats/archive.h"
#include "formats/strava.h"
#include "formats/zipentry.h"

#define MIB (1024u * 1024u)

/* --- building archives ------------------------------------------------------------------------ */

typedef struct {
	struct archive *a;
	unsigned char *buf;
	size_t cap, used;
} zipw;

static void zip_open(zipw *z, size_t cap)
{
	z->buf = malloc(cap);
	z->cap = cap;
	z->used = 0;
	z->a = archive_write_new();
	assert_non_null(z->buf);
	assert_int_equal(archive_write_set_format_zip(z->a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(z->a, z->buf, z->cap, &z->used), ARCHIVE_OK);
}

/* An entry of `repeat` copies of data, stored or deflated. */
static void zip_add(zipw *z, const char *name, const void *data, size_t n, size_t repeat, bool stored)
{
	if (stored)
		archive_write_zip_set_compression_store(z->a);
	else
		archive_write_zip_set_compression_deflate(z->a);
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)(n * repeat));
	assert_int_equal(archive_write_header(z->a, e), ARCHIVE_OK);
	for (size_t i = 0; i < repeat; i++)
		assert_int_equal(archive_write_data(z->a, data, n), (la_ssize_t)n);
	archive_entry_free(e);
}

static void zip_dir(zipw *z, const char *name)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFDIR);
	archive_entry_set_perm(e, 0755);
	assert_int_equal(archive_write_header(z->a, e), ARCHIVE_OK);
	archive_entry_free(e);
}

static void zip_close(zipw *z)
{
	assert_int_equal(archive_write_close(z->a), ARCHIVE_OK);
	archive_write_free(z->a);
}

/* data gzipped, in a new buffer of *len bytes (caller frees). */
static unsigned char *gzip_of(const void *data, size_t n, size_t repeat, size_t *len)
{
	size_t cap = n * repeat / 50 + 64 * 1024;
	unsigned char *buf = malloc(cap);
	struct archive *a = archive_write_new();
	archive_write_add_filter_gzip(a);
	archive_write_set_format_raw(a);
	size_t used = 0;
	assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, "x");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_size(e, (la_int64_t)(n * repeat));
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	for (size_t i = 0; i < repeat; i++)
		assert_int_equal(archive_write_data(a, data, n), (la_ssize_t)n);
	archive_entry_free(e);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	*len = used;
	return buf;
}

static unsigned char *noise(size_t n)
{
	unsigned char *p = malloc(n);
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (unsigned char)(x >> 24);
	}
	return p;
}

/* A small GPX run (what rc_activity_kind recognises), i points a second apart. */
static char *gpx(int minute, size_t *len)
{
	size_t cap = 64 * 1024;
	char *s = malloc(cap);
	size_t n = (size_t)snprintf(s, cap, "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"t\" "
	                                    "xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><trkseg>");
	for (int i = 0; i < 120; i++)
		n += (size_t)snprintf(s + n, cap - n,
		                      "<trkpt lat=\"51.5%04d\" lon=\"-0.1\"><time>2024-05-01T07:%02d:%02dZ</time></trkpt>", i,
		                      minute + i / 60, i % 60);
	n += (size_t)snprintf(s + n, cap - n, "</trkseg></trk></gpx>\n");
	*len = n;
	return s;
}

/* --- what the reader hands over --------------------------------------------------------------- */

typedef struct {
	int ok, refused;
	char names[16][128], problems[16][200];
	size_t lens[16];
	uint64_t in[16]; /* how far into the source each file ends, as reported */
} seen;

static int collect(void *ctx, const char *name, const unsigned char *data, size_t len, const char *problem,
                   uint64_t in_bytes)
{
	seen *s = ctx;
	int i = s->ok + s->refused;
	if (i < 16) {
		s->in[i] = in_bytes;
		snprintf(s->names[i], sizeof s->names[i], "%s", name);
		snprintf(s->problems[i], sizeof s->problems[i], "%s", data ? "" : problem);
		s->lens[i] = len;
	}
	if (data)
		s->ok++;
	else
		s->refused++;
	return 0;
}

/* --- the finding ------------------------------------------------------------------------------ */

/* 5 MiB that deflate cannot shrink, then four entries of 128 MiB of zeros (about 130 KB each). Before,
 * the ratio divided by the whole archive read so far, so each bomb expanded to the 128 MB file limit:
 * 517 MiB here, 7.8 GiB for the 13 MB zip of the finding. Now the first bomb is stopped after its
 * first megabyte and a block, and the rest of the archive is not read. */
static void bombs_after_an_incompressible_entry_stop_at_once(void **state)
{
	(void)state;
	unsigned char *rnd = noise(5 * MIB);
	static const unsigned char zero[MIB];
	zipw z;
	zip_open(&z, 16 * MIB);
	zip_add(&z, "activities/noise.fit", rnd, 5 * MIB, 1, false);
	for (int i = 0; i < 4; i++) {
		char name[64];
		snprintf(name, sizeof name, "activities/run-%d.gpx", i);
		zip_add(&z, name, zero, sizeof zero, 128, false);
	}
	zip_close(&z);
	assert_true(z.used < 6 * MIB);
	rc_archive_budget b = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD};
	seen s = {0};
	char err[300] = "";
	assert_int_equal(rc_archive_each_mem("bombs.zip", z.buf, z.used, &b, collect, &s, err, sizeof err), RC_OK);
	/* noise.fit is not a training file (skipped); the first bomb is refused; the walk stops there. */
	assert_int_equal(b.skipped, 1);
	assert_int_equal(s.ok, 0);
	assert_int_equal(s.refused, 1);
	assert_string_equal(s.names[0], "activities/run-0.gpx");
	assert_non_null(strstr(s.problems[0], "expands more than 100-fold"));
	/* The budget: 5 MiB of noise, then at most the allowance and one decompressor block of the bomb. */
	assert_true(b.expanded <= 5 * MIB + RC_ARCHIVE_RATIO_ALLOWANCE + 512 * 1024);
	print_message("bombs.zip: %zu bytes, %llu bytes expanded (before: at least %u)\n", z.used,
	              (unsigned long long)b.expanded, 5 * MIB + 4 * 128 * MIB);
	free(rnd);
	free(z.buf);
}

/* A stored entry of 3 MiB, first in the archive (before, it was "expands more than 100-fold": the
 * reader hands a stored entry over before it counts it as read). From memory and from a file. */
static void a_stored_entry_is_never_a_bomb(void **state)
{
	(void)state;
	size_t one;
	char *run = gpx(0, &one);
	size_t big = 3 * MIB;
	char *doc = malloc(big);
	/* A GPX padded with spaces inside: stored, it is 3 MiB in and 3 MiB out. */
	memset(doc, ' ', big);
	memcpy(doc, run, one - 7);
	memcpy(doc + big - 7, "</gpx>\n", 7);
	zipw z;
	zip_open(&z, 8 * MIB);
	zip_add(&z, "activities/big.gpx", doc, big, 1, true);
	zip_add(&z, "activities/small.gpx", run, one, 1, true);
	zip_close(&z);
	rc_archive_budget b = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD};
	seen s = {0};
	char err[300] = "";
	assert_int_equal(rc_archive_each_mem("stored.zip", z.buf, z.used, &b, collect, &s, err, sizeof err), RC_OK);
	assert_int_equal(s.refused, 0);
	assert_int_equal(s.ok, 2);
	assert_int_equal(s.lens[0], big);
	char path[] = "/tmp/runcare-test-stored-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, z.buf, z.used), (ssize_t)z.used);
	close(fd);
	memset(&s, 0, sizeof s);
	assert_int_equal(rc_archive_each_file(path, &b, collect, &s, err, sizeof err), RC_OK);
	unlink(path);
	assert_int_equal(s.refused, 0);
	assert_int_equal(s.ok, 2);
	free(doc);
	free(run);
	free(z.buf);
}

/* A watch export: runs deflated and gzipped inside, a CSV, a folder, macOS's leftovers. */
static void an_ordinary_export_reads_whole(void **state)
{
	(void)state;
	zipw z;
	zip_open(&z, 4 * MIB);
	zip_dir(&z, "activities/");
	size_t lens[4];
	char *runs[4];
	for (int i = 0; i < 4; i++)
		runs[i] = gpx(i * 3, &lens[i]);
	zip_add(&z, "activities/1.gpx", runs[0], lens[0], 1, false);
	zip_add(&z, "activities/2.gpx", runs[1], lens[1], 1, false);
	size_t gzlen;
	unsigned char *gz = gzip_of(runs[2], lens[2], 1, &gzlen);
	zip_add(&z, "activities/3.gpx.gz", gz, gzlen, 1, true);
	zip_add(&z, "activities/4.gpx", runs[3], lens[3], 1, true);
	zip_add(&z, "activities.csv", "id,name\n1,x\n", 12, 1, false);
	zip_add(&z, "__MACOSX/activities/._1.gpx", "junk", 4, 1, false);
	zip_close(&z);
	rc_archive_budget b = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD};
	seen s = {0};
	char err[300] = "";
	assert_int_equal(rc_archive_each_mem("export.zip", z.buf, z.used, &b, collect, &s, err, sizeof err), RC_OK);
	assert_int_equal(s.refused, 0);
	assert_int_equal(s.ok, 4);
	assert_string_equal(s.names[2], "activities/3.gpx.gz");
	assert_int_equal(s.lens[2], lens[2]);
	assert_int_equal(b.skipped, 2); /* the CSV and the leftover */
	for (int i = 0; i < 4; i++)
		free(runs[i]);
	free(gz);
	free(z.buf);
}

/* Entries that each stay under the ratio still meet the upload's one budget: the walk stops there. */
static void one_budget_for_a_whole_upload(void **state)
{
	(void)state;
	/* About 40-fold: 24 bytes of noise in each KiB of zeros. */
	unsigned char *block = calloc(1, MIB);
	unsigned char *rnd = noise(MIB);
	for (size_t at = 0; at < MIB; at += 1024)
		memcpy(block + at, rnd + at, 24);
	zipw z;
	zip_open(&z, 8 * MIB);
	for (int i = 0; i < 10; i++) {
		char name[64];
		snprintf(name, sizeof name, "activities/x%d.gpx", i);
		zip_add(&z, name, block, MIB, 8, false);
	}
	zip_close(&z);
	rc_archive_budget b = {.max_expanded = 20 * MIB};
	seen s = {0};
	char err[300] = "";
	assert_int_equal(rc_archive_each_mem("many.zip", z.buf, z.used, &b, collect, &s, err, sizeof err), RC_OK);
	/* Two whole entries are skipped (not training files), the third passes the budget and ends the walk. */
	assert_int_equal(b.skipped, 2);
	assert_int_equal(s.refused, 1);
	assert_non_null(strstr(s.problems[0], "expand past"));
	assert_true(b.expanded <= 20 * MIB + 512 * 1024);
	free(block);
	free(rnd);
	free(z.buf);
}

/* A .gz bomb stored inside a zip, and a plain .gz bomb: each measured against its own gzip bytes. */
static void gzip_bombs_inside_and_alone(void **state)
{
	(void)state;
	static const unsigned char zero[MIB];
	size_t gzlen;
	unsigned char *gz = gzip_of(zero, sizeof zero, 200, &gzlen);
	assert_true(gzlen < 400 * 1024);
	zipw z;
	zip_open(&z, 2 * MIB);
	zip_add(&z, "activities/1.fit.gz", gz, gzlen, 1, true);
	zip_close(&z);
	rc_archive_budget b = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD};
	seen s = {0};
	char err[300] = "";
	assert_int_equal(rc_archive_each_mem("inner.zip", z.buf, z.used, &b, collect, &s, err, sizeof err), RC_OK);
	assert_int_equal(s.refused, 1);
	assert_non_null(strstr(s.problems[0], "100-fold"));
	assert_true(b.expanded <= gzlen + RC_ARCHIVE_RATIO_ALLOWANCE + 512 * 1024);
	memset(&b, 0, sizeof b);
	b.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD;
	memset(&s, 0, sizeof s);
	assert_int_equal(rc_archive_each_mem("zeros.gpx.gz", gz, gzlen, &b, collect, &s, err, sizeof err), RC_OK);
	assert_int_equal(s.refused, 1);
	assert_non_null(strstr(s.problems[0], "100-fold"));
	assert_true(b.expanded <= RC_ARCHIVE_RATIO_ALLOWANCE + 512 * 1024);
	free(gz);
	free(z.buf);
}


/* --- Garmin Connect exports: zips inside the zip, FIT files of every kind ----------------------- */

/* A minimal FIT file whose file_id says `type` (4 activity, 32 monitoring, 2 settings): header,
 * one definition of file_id with its type field, one data message, CRC left zero. */
static size_t fit_of_type(unsigned char *p, int type)
{
	static const unsigned char def[] = {0x40, 0, 0, 0, 0, 2, 0, 1, 0x00, 1, 2, 0x84};
	unsigned char data[] = {0x00, (unsigned char)type, 1, 0};
	size_t n = 12;
	memcpy(p + n, def, sizeof def);
	n += sizeof def;
	memcpy(p + n, data, sizeof data);
	n += sizeof data;
	p[0] = 12, p[1] = 0x10, p[2] = 0x08, p[3] = 0x08;
	uint32_t ds = (uint32_t)(n - 12);
	p[4] = (unsigned char)ds, p[5] = (unsigned char)(ds >> 8), p[6] = 0, p[7] = 0;
	memcpy(p + 8, ".FIT", 4);
	p[n++] = 0, p[n++] = 0;
	return n;
}

static void fit_types_are_read_from_file_id(void **state)
{
	(void)state;
	unsigned char f[64];
	size_t n = fit_of_type(f, 4);
	assert_int_equal(rc_fit_file_type(f, n), 4);
	assert_null(rc_fit_type_skip_reason(4));
	n = fit_of_type(f, 32);
	assert_int_equal(rc_fit_file_type(f, n), 32);
	assert_non_null(strstr(rc_fit_type_skip_reason(32), "monitoring"));
	assert_non_null(strstr(rc_fit_type_skip_reason(2), "settings"));
	assert_null(rc_fit_type_skip_reason(-1)); /* a file that does not say is read as an activity */
	assert_int_equal(rc_fit_file_type(f, 20), -1); /* cut inside its messages */
	assert_int_equal(rc_fit_file_type((const unsigned char *)"not a fit file at all", 21), -1);
}

/* The export as Garmin writes it: DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip with
 * the FIT files inside (activities, daily monitoring, settings), JSON beside it. */
static void a_garmin_export_opens_the_zip_inside(void **state)
{
	(void)state;
	unsigned char act[64], mon[64], set[64];
	size_t na = fit_of_type(act, 4), nm = fit_of_type(mon, 32), ns = fit_of_type(set, 2);
	zipw in;
	zip_open(&in, MIB);
	zip_add(&in, "runner@example.com_1001.fit", act, na, 1, false);
	zip_add(&in, "runner@example.com_1002.fit", mon, nm, 1, false);
	zip_add(&in, "runner@example.com_1003.fit", mon, nm, 1, true);
	zip_add(&in, "runner@example.com_1004.fit", set, ns, 1, false);
	zip_add(&in, "runner@example.com_1005.fit", act, na, 1, true);
	zip_close(&in);
	zipw out;
	zip_open(&out, 2 * MIB);
	zip_dir(&out, "DI_CONNECT/");
	zip_add(&out, "DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json", "[]", 2, 1, false);
	zip_add(&out, "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", in.buf, in.used, 1, true);
	zip_close(&out);
	rc_archive_budget b = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD};
	seen s = {0};
	char err[300] = "";
	assert_int_equal(rc_archive_each_mem("export.zip", out.buf, out.used, &b, collect, &s, err, sizeof err), RC_OK);
	assert_int_equal(s.ok, 2);
	assert_int_equal(s.refused, 0);
	assert_string_equal(s.names[0],
	                    "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip/runner@example.com_1001.fit");
	assert_int_equal(b.skipped, 1);        /* the JSON */
	assert_int_equal(b.not_activities, 3); /* named by reason, not failures */
	char text[400];
	rc_archive_skipped_text(&b, text, sizeof text);
	assert_non_null(strstr(text, "3 FIT files that are not activities skipped"));
	assert_non_null(strstr(text, "2 daily monitoring"));
	assert_non_null(strstr(text, "1 device or sport settings"));
	/* The inner zip's bytes count once as the outer's entry, and each of its entries again. */
	assert_true(b.expanded >= in.used + 2 * na + 2 * nm + ns);
	free(in.buf);
	free(out.buf);
}

/* A Garmin part is read from a temporary file, not memory (it may be hundreds of MB), and progress moves
 * through it file by file rather than jumping to its end at the first one. */
static void progress_moves_through_the_zip_inside(void **state)
{
	(void)state;
	enum { PAD = 400 * 1024 };
	unsigned char *f = malloc(64 + PAD);
	assert_non_null(f);
	size_t n = fit_of_type(f, 4);
	uint32_t x = 12345;
	for (size_t i = 0; i < PAD; i++) /* bytes deflate cannot shrink, after the FIT file */
		f[n + i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 24);
	zipw in;
	zip_open(&in, 4 * MIB);
	zip_add(&in, "runner@example.com_1.fit", f, n + PAD, 1, false);
	zip_add(&in, "runner@example.com_2.fit", f, n + PAD, 1, true);
	zip_add(&in, "runner@example.com_3.fit", f, n + PAD, 1, false);
	zip_close(&in);
	zipw out;
	zip_open(&out, 4 * MIB);
	zip_add(&out, "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", in.buf, in.used, 1, false);
	zip_close(&out);
	rc_archive_budget b = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD};
	seen s = {0};
	char err[300] = "";
	assert_int_equal(rc_archive_each_mem("export.zip", out.buf, out.used, &b, collect, &s, err, sizeof err), RC_OK);
	assert_int_equal(s.ok, 3);
	assert_int_equal(s.lens[2], n + PAD);
	assert_true(s.in[0] < s.in[1]);
	assert_true(s.in[1] < s.in[2]);
	assert_true(s.in[2] <= out.used);
	assert_true(s.in[0] < out.used / 2); /* the first of three about a third of the way in */
	free(f);
	free(in.buf);
	free(out.buf);
}

/* A zip in a zip in a zip: refused by name, the files beside it still read. */
static void nesting_deeper_than_garmin_is_refused_by_name(void **state)
{
	(void)state;
	unsigned char act[64];
	size_t na = fit_of_type(act, 4);
	zipw z3, z2, z1;
	zip_open(&z3, MIB);
	zip_add(&z3, "deep.fit", act, na, 1, false);
	zip_close(&z3);
	zip_open(&z2, MIB);
	zip_add(&z2, "level3.zip", z3.buf, z3.used, 1, true);
	zip_add(&z2, "beside.fit", act, na, 1, false);
	zip_close(&z2);
	zip_open(&z1, MIB);
	zip_add(&z1, "level2.zip", z2.buf, z2.used, 1, true);
	zip_close(&z1);
	rc_archive_budget b = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD};
	seen s = {0};
	char err[300] = "";
	assert_int_equal(rc_archive_each_mem("nested.zip", z1.buf, z1.used, &b, collect, &s, err, sizeof err), RC_OK);
	assert_int_equal(s.refused, 1);
	assert_string_equal(s.names[0], "level2.zip/level3.zip");
	assert_non_null(strstr(s.problems[0], "zip inside a zip inside a zip"));
	assert_int_equal(s.ok, 1);
	assert_string_equal(s.names[1], "level2.zip/beside.fit");
	free(z1.buf), free(z2.buf), free(z3.buf);
}

/* The bomb checks apply inside the inner zip as they do outside; a damaged inner zip is named. */
static void an_inner_zip_has_the_same_limits(void **state)
{
	(void)state;
	static const unsigned char zero[MIB];
	zipw in;
	zip_open(&in, 4 * MIB);
	zip_add(&in, "bomb.gpx", zero, sizeof zero, 64, false);
	zip_close(&in);
	zipw out;
	zip_open(&out, 8 * MIB);
	zip_add(&out, "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", in.buf, in.used, 1, true);
	zip_add(&out, "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip", in.buf, in.used / 2, 1, true);
	zip_close(&out);
	rc_archive_budget b = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD};
	seen s = {0};
	char err[300] = "";
	assert_int_equal(rc_archive_each_mem("export.zip", out.buf, out.used, &b, collect, &s, err, sizeof err), RC_OK);
	assert_int_equal(s.ok, 0);
	assert_int_equal(s.refused, 3);
	assert_string_equal(s.names[0], "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip/bomb.gpx");
	assert_non_null(strstr(s.problems[0], "expands more than 100-fold"));
	/* The cut inner zip is read entry by entry up to the cut, with the same limits, then named. */
	assert_string_equal(s.names[1], "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip/bomb.gpx");
	assert_non_null(strstr(s.problems[1], "expands more than 100-fold"));
	assert_string_equal(s.names[2], "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip");
	assert_non_null(strstr(s.problems[2], "cut short"));
	assert_true(b.expanded <= 2 * in.used + 2 * (RC_ARCHIVE_RATIO_ALLOWANCE + 512 * 1024));
	free(in.buf);
	free(out.buf);
}


/* An export cut short in its download: the files before the cut are read, and the cut is named. */
static void a_truncated_export_keeps_what_came_before(void **state)
{
	(void)state;
	size_t n1, n2;
	char *r1 = gpx(0, &n1), *r2 = gpx(10, &n2);
	unsigned char *rnd = noise(256 * 1024);
	zipw z;
	zip_open(&z, 4 * MIB);
	zip_add(&z, "activities/1.gpx", r1, n1, 1, false);
	zip_add(&z, "activities/.hidden", r1, n1, 1, false);
	zip_add(&z, "activities/2.gpx", r2, n2, 1, false);
	zip_add(&z, "activities/3.fit", rnd, 256 * 1024, 1, true);
	zip_close(&z);
	rc_archive_budget b = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_UPLOAD};
	seen s = {0};
	char err[300] = "";
	/* Cut inside the last entry: the central directory is gone. */
	assert_int_equal(rc_archive_each_mem("export.zip", z.buf, z.used - 100 * 1024, &b, collect, &s, err, sizeof err),
	                 RC_OK);
	assert_int_equal(s.ok, 2);
	assert_string_equal(s.names[0], "activities/1.gpx");
	assert_string_equal(s.names[1], "activities/2.gpx");
	assert_int_equal(s.refused, 2);
	assert_string_equal(s.names[2], "activities/3.fit");
	assert_string_equal(s.names[3], "export.zip");
	assert_non_null(strstr(s.problems[3], "cut short"));
	/* Cut inside the first header: nothing to read, the source itself is refused. */
	memset(&s, 0, sizeof s);
	assert_int_equal(rc_archive_each_mem("export.zip", z.buf, 20, &b, collect, &s, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "export.zip"));
	free(r1), free(r2), free(rnd), free(z.buf);
}


/* activities.csv as Strava writes it: a BOM, CRLF, quoted commas and quotes, a description over two
 * lines, a manual activity with no file, Distance twice in the header. */
static void strava_csv_gives_each_file_its_sport(void **state)
{
	(void)state;
	static const char csv[] =
	    "\xEF\xBB\xBF"
	    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Distance,Filename,Distance\r\n"
	    "1,\"Jan 1, 2020, 7:00:00 AM\",\"Hills, \"\"hard\"\"\",Trail Run,\"line one\r\nline two\",5.0,"
	    "activities/1.fit.gz,5000.0\r\n"
	    "2,\"Jan 2, 2020, 7:00:00 AM\",Dog walk,Walk,,2.0,activities/2.gpx.gz,2000.0\r\n"
	    "3,\"Jan 3, 2020, 7:00:00 AM\",Treadmill,Run,,6.0,,6000.0\r\n"
	    "4,\"Jan 4, 2020, 7:00:00 AM\",Commute,Ride,,9.0,activities/4.tcx.gz,9000.0";
	rc_strava_csv *c = rc_strava_csv_read(csv, sizeof csv - 1);
	assert_non_null(c);
	assert_string_equal(rc_strava_sport_of(c, "activities/1.fit.gz"), "trail_running");
	assert_string_equal(rc_strava_sport_of(c, "activities/2.gpx.gz"), "walking");
	assert_string_equal(rc_strava_sport_of(c, "activities/4.tcx.gz"), "cycling");
	assert_null(rc_strava_sport_of(c, ""));
	assert_null(rc_strava_sport_of(c, "activities/3.fit.gz"));
	rc_strava_csv_free(c);
	char sp[32];
	rc_strava_sport("Kitesurf", sp, sizeof sp);
	assert_string_equal(sp, "kitesurf");
	assert_null(rc_strava_csv_read("id,name\n1,x\n", 12)); /* not Strava's */
}

/* The platforms' readers (Apple Health, Polar: formats/zipentry.c) stream an entry under the same rules as
 * the walk above (rc_archive_block): an export.xml of zeros is refused as a bomb once past the allowance,
 * and a budget spent stops the read and says so. */
static void platform_entries_have_the_same_bomb_rules(void **state)
{
	(void)state;
	static const unsigned char zero[MIB];
	zipw z;
	zip_open(&z, 4 * MIB);
	zip_add(&z, "apple_health_export/export.xml", zero, sizeof zero, 64, false);
	zip_close(&z);
	for (int budget_spent = 0; budget_spent < 2; budget_spent++) {
		struct archive *a = rc_zipent_open(NULL, z.buf, z.used, NULL);
		assert_non_null(a);
		struct archive_entry *e;
		assert_int_equal(archive_read_next_header(a, &e), ARCHIVE_OK);
		rc_archive_budget b = {.max_expanded = budget_spent ? 512 * 1024 : RC_ARCHIVE_MAX_TOTAL_UPLOAD};
		bool over = false;
		const char *why = rc_zipent_stream(a, &b, UINT64_MAX, rc_zipent_discard, NULL, &over);
		assert_non_null(why);
		if (budget_spent) {
			assert_true(over);
			assert_non_null(strstr(why, "expand past the limit"));
		} else {
			assert_false(over);
			assert_non_null(strstr(why, "expands more than 100-fold"));
			/* Stopped at the allowance and a decompressor block, not at 64 MiB. */
			assert_true(b.expanded <= RC_ARCHIVE_RATIO_ALLOWANCE + 512 * 1024);
		}
		archive_read_free(a);
	}
	free(z.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bombs_after_an_incompressible_entry_stop_at_once),
		cmocka_unit_test(a_stored_entry_is_never_a_bomb),
		cmocka_unit_test(an_ordinary_export_reads_whole),
		cmocka_unit_test(one_budget_for_a_whole_upload),
		cmocka_unit_test(gzip_bombs_inside_and_alone),
		cmocka_unit_test(fit_types_are_read_from_file_id),
		cmocka_unit_test(a_garmin_export_opens_the_zip_inside),
		cmocka_unit_test(nesting_deeper_than_garmin_is_refused_by_name),
		cmocka_unit_test(progress_moves_through_the_zip_inside),
		cmocka_unit_test(an_inner_zip_has_the_same_limits),
		cmocka_unit_test(a_truncated_export_keeps_what_came_before),
		cmocka_unit_test(strava_csv_gives_each_file_its_sport),
		cmocka_unit_test(platform_entries_have_the_same_bomb_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
