/* training.c — runcare import (training files and exports into a runner's record) and runcare risk
 * (the runner's load and the article's causes found in it). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "app/import_batch.h"
#include "app/jobs.h"
#include "app/training.h"
#include "base/time.h"
#include "formats/archive.h"
#include "formats/folder.h"
#include "formats/platforms.h"
#include "store/account.h"
#include "store/migrate.h"
#include "store/training_store.h"

static const char import_help[] =
	"usage: runcare import PATH... --runner EMAIL [--db URL]\n\n"
	"Stores GPX, TCX and FIT files for a runner: plain, .gz, or a whole .zip export from a watch or app\n"
	"(Garmin Connect, Strava, Apple Health, Polar Flow), as the platform gives it. A PATH that is a folder\n"
	"is read with the folders inside it (16 deep at most; links are not followed); files in it that are\n"
	"not training files are named as skipped.\n"
	"The same activity imported twice is stored once. A file that cannot be read is named with the reason;\n"
	"the others still import. On a terminal a progress line shows files, MB, MB/s and time left.\n"
	"Archives have the web upload's limits per file: 128 MB expanded, and at most 100-fold past its\n"
	"first MB (a decompression bomb stops that archive); all files of one command expand to 16 GB at most.\n"
	"Exit status: 0 all read, 2 some could not be.\n";

static const char risk_help[] =
	"usage: runcare risk --runner EMAIL [--json] [--db URL]\n\n"
	"Prints the runner's weekly load, the acute:chronic load ratio, hill and track exposure against\n"
	"their own 4-week baseline, and flags in plain words with their sources.\n";

typedef struct {
	rc_db *db;
	int64_t runner, now;
	bool tty;
	double t0;
	uint64_t done_bytes, total_bytes, source_base; /* source_base: bytes of earlier sources */
	int files, added, duplicates, refused;
	const rc_archive_budget *budget; /* the sport an export's list gives the file being read */
	int folder_skipped;              /* files in folders left out (not training files, links) */
	rc_import_batch *batch;          /* files stored a batch to a transaction (app/import_batch.h) */
	bool db_failed;
} importer;

static double clock_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(importer *im, bool last)
{
	if (!im->tty)
		return;
	double el = clock_s() - im->t0, mb = (double)im->done_bytes / 1e6, rate = el > 0 ? mb / el : 0;
	double left = rate > 0 && im->total_bytes > im->done_bytes ? ((double)(im->total_bytes - im->done_bytes) / 1e6) / rate : 0;
	/* The same guess of the files in all as the job page's (app/jobs.h). */
	rc_import_job seen = {.files_seen = im->files, .bytes_done = (int64_t)im->done_bytes,
	                      .bytes_total = (int64_t)im->total_bytes};
	int64_t expected = rc_import_files_expected(&seen);
	char of[40] = "";
	if (expected && !last)
		snprintf(of, sizeof of, " of about %lld", (long long)expected);
	fprintf(stderr, "\r%d files%s, %.1f of %.1f MB, %.1f MB/s, %.0f s left   ", im->files, of, mb,
	        (double)im->total_bytes / 1e6, rate, left);
	if (last)
		fputc('\n', stderr);
}

static int one_file(void *ctx, const char *name, const unsigned char *data, size_t len, const char *problem,
                    uint64_t in_bytes)
{
	importer *im = ctx;
	im->files++;
	im->done_bytes = im->source_base + in_bytes;
	if (!data) {
		im->refused++;
		fprintf(stderr, "%s%s: %s\n", im->tty ? "\r" : "", name, problem ? problem : "could not be read");
		progress(im, false);
		return 0;
	}
	rc_uc uc;
	rc_cli_uc(im->db, im->now, &uc);
	if (rc_import_batch_add(&uc, im->batch, name, im->budget ? &im->budget->hint : NULL, data, len)) {
		fprintf(stderr, "%s%s: out of memory\n", im->tty ? "\r" : "", name);
		im->refused++;
		return 1;
	}
	progress(im, false);
	return im->db_failed;
}

/* Each file once its batch is stored. */
static void stored(void *ctx, const char *name, rc_err e, const rc_import_result *r)
{
	importer *im = ctx;
	if (e == RC_ECONFLICT) {
		/* Two files of one run whose lengths differ more than the duplicate rule allows. */
		fprintf(stderr, "%s%s: another of your activities starts at the same second, so this one was not stored\n",
		        im->tty ? "\r" : "", name);
		im->refused++;
	} else if (e) {
		fprintf(stderr, "%s%s: the database refused it (%s)\n", im->tty ? "\r" : "", name, rc_db_errmsg(im->db));
		im->refused++;
		im->db_failed = true;
	} else if (r->outcome == RC_IMPORT_REFUSED) {
		im->refused++;
		fprintf(stderr, "%s%s: %s\n", im->tty ? "\r" : "", name, r->message);
	} else if (r->outcome == RC_IMPORT_DUPLICATE) {
		im->duplicates++;
		if (r->message[0])
			fprintf(stderr, "%s%s: skipped: %s\n", im->tty ? "\r" : "", name, r->message);
	} else {
		im->added++;
		if (r->message[0])
			fprintf(stderr, "%s%s: imported, but %s\n", im->tty ? "\r" : "", name, r->message);
	}
}

/* A file or folder a folder walk left out: named, with why; not a failure. */
static void folder_skip(void *ctx, const char *path, const char *why)
{
	importer *im = ctx;
	im->folder_skipped++;
	fprintf(stderr, "%s%s: skipped: %s\n", im->tty ? "\r" : "", path, why);
}

static int open_runner(const char *dburl, const char *email, rc_db **db, int64_t *runner, const char *cmd)
{
	char err[512];
	int applied;
	if (rc_db_open(rc_cli_setting(dburl, "RUNCARE_DB", RC_DEFAULT_DB), db, err, sizeof err) ||
	    rc_migrate(*db, &applied, err, sizeof err)) {
		fprintf(stderr, "runcare %s: %s\n", cmd, err);
		return RC_EXIT_FAIL;
	}
	rc_account a;
	bool found = false;
	if (rc_account_by_email(*db, email, &a, &found)) {
		fprintf(stderr, "runcare %s: %s\n", cmd, rc_db_errmsg(*db));
		return RC_EXIT_FAIL;
	}
	if (!found || !a.patient) {
		fprintf(stderr, "runcare %s: there is no runner with the email '%s'\n", cmd, email);
		return RC_EXIT_USAGE;
	}
	*runner = a.id;
	return RC_EXIT_OK;
}

int rc_cli_import(int argc, char **argv)
{
	const char *email = NULL, *dburl = NULL;
	const char *paths[4096];
	int np = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(import_help, stdout);
			return RC_EXIT_OK;
		} else if (!strcmp(argv[i], "--runner") && i + 1 < argc) {
			email = argv[++i];
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			dburl = argv[++i];
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "runcare import: unknown option '%s'\n%s", argv[i], import_help);
			return RC_EXIT_USAGE;
		} else if (np < 4096) {
			paths[np++] = argv[i];
		} else {
			fprintf(stderr, "runcare import: more than 4096 paths; pass a .zip or import in parts\n");
			return RC_EXIT_USAGE;
		}
	}
	if (!email || np == 0) {
		fputs(import_help, stderr);
		return RC_EXIT_USAGE;
	}
	importer im = {.now = rc_time_now(), .tty = isatty(2), .t0 = clock_s()};
	int st = open_runner(dburl, email, &im.db, &im.runner, "import");
	if (st) {
		rc_db_close(im.db);
		return st;
	}
	for (int i = 0; i < np; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) == 0)
			im.total_bytes += (uint64_t)sb.st_size;
	}
	/* One budget for the whole command; each archive entry has the same limits as a web upload's. */
	rc_archive_budget budget = {.max_expanded = RC_ARCHIVE_MAX_TOTAL_IMPORT};
	im.budget = &budget;
	if (!(im.batch = rc_import_batch_new(im.runner, stored, &im))) {
		fprintf(stderr, "runcare import: out of memory\n");
		rc_db_close(im.db);
		return RC_EXIT_FAIL;
	}
	int unreadable = 0;
	for (int i = 0; i < np; i++) {
		struct stat sb;
		char err[600];
		if (stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (rc_folder_each(paths[i], &budget, one_file, folder_skip, &im, err, sizeof err)) {
				fprintf(stderr, "%s%s\n", im.tty ? "\r" : "", err);
				unreadable++;
			}
			continue;
		}
		if (stat(paths[i], &sb) != 0 || !S_ISREG(sb.st_mode)) {
			fprintf(stderr, "%s: not a file runcare can open\n", paths[i]);
			unreadable++;
			continue;
		}
		if (rc_platform_each_file(paths[i], &budget, one_file, &im, err, sizeof err)) {
			fprintf(stderr, "%s%s\n", im.tty ? "\r" : "", err);
			unreadable++;
		}
		im.source_base += (uint64_t)sb.st_size;
		im.done_bytes = im.source_base;
	}
	rc_uc uc;
	rc_cli_uc(im.db, im.now, &uc);
	rc_import_batch_free(&uc, im.batch);
	progress(&im, true);
	double el = clock_s() - im.t0;
	printf("%d added, %d already there, %d could not be read", im.added, im.duplicates, im.refused + unreadable);
	if (budget.skipped + im.folder_skipped)
		printf(", %d other files skipped (not training files)", budget.skipped + im.folder_skipped);
	char not_act[600];
	rc_archive_skipped_text(&budget, not_act, sizeof not_act);
	if (not_act[0])
		printf("; %s", not_act);
	printf(" — %.1f MB (%.1f MB expanded) in %.1f s\n", (double)im.total_bytes / 1e6, (double)budget.expanded / 1e6,
	       el);
	rc_db_close(im.db);
	return im.refused + unreadable ? RC_EXIT_USAGE : RC_EXIT_OK;
}

/* The load arithmetic's days are the clinic's, kept as the civil date's UTC midnight. */
static void day_text(int64_t t, char *buf, size_t n)
{
	char d[11];
	rc_day_name(t / 86400, d);
	snprintf(buf, n, "%s", d);
}

int rc_cli_risk(int argc, char **argv)
{
	const char *email = NULL, *dburl = NULL;
	bool as_json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(risk_help, stdout);
			return RC_EXIT_OK;
		} else if (!strcmp(argv[i], "--runner") && i + 1 < argc) {
			email = argv[++i];
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			dburl = argv[++i];
		} else if (!strcmp(argv[i], "--json")) {
			as_json = true;
		} else {
			fprintf(stderr, "runcare risk: unexpected argument '%s'\n%s", argv[i], risk_help);
			return RC_EXIT_USAGE;
		}
	}
	if (!email) {
		fputs(risk_help, stderr);
		return RC_EXIT_USAGE;
	}
	rc_db *db = NULL;
	int64_t runner;
	int st = open_runner(dburl, email, &db, &runner, "risk");
	if (st) {
		rc_db_close(db);
		return st;
	}
	static rc_training t;
	rc_uc uc;
	rc_cli_uc(db, rc_time_now(), &uc);
	if (rc_app_training_view(&uc, runner, &t)) {
		fprintf(stderr, "runcare risk: %s\n", rc_db_errmsg(db));
		rc_db_close(db);
		return RC_EXIT_FAIL;
	}
	rc_db_close(db);
	char asof[16];
	day_text(t.asof, asof, sizeof asof);
	if (as_json) {
		json_t *flags = json_array(), *weeks = json_array();
		for (int i = 0; i < t.nflags; i++)
			json_array_append_new(flags, json_pack("{s:s, s:s, s:s, s:s}", "key", t.flags[i].key, "factor",
			                                       t.flags[i].factor, "text", t.flags[i].text, "source",
			                                       t.flags[i].source));
		for (int i = 0; i < RC_TRAINING_WEEKS; i++) {
			char d[16];
			day_text(t.weeks[i].start, d, sizeof d);
			const rc_training_week *w = &t.weeks[i];
			json_array_append_new(weeks, json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:i, s:i}", "week", d, "minutes",
			                                       round(w->minutes), "km", round(w->km * 10) / 10, "climb_m",
			                                       round(w->climb_m), "bend_m", round(w->bend_m), "fast_min",
			                                       round(w->fast_min), "runs", w->runs, "track_sessions",
			                                       w->track_sessions));
		}
		json_t *o = json_pack("{s:s, s:b, s:i, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:o, s:o}", "asof", asof, "stale",
		                      t.stale, "activities", t.activities, "acute_min", round(t.acute), "chronic_week_min",
		                      round(t.chronic_week), "ratio", round(t.ratio * 100) / 100, "ewma_ratio",
		                      round(t.ewma_ratio * 100) / 100, "ewma_acute_min", round(t.ewma_acute),
		                      "ewma_chronic_min", round(t.ewma_chronic), "week_change",
		                      round(t.week_change * 100) / 100, "weeks", weeks, "flags", flags);
		char *s = json_dumps(o, JSON_INDENT(2));
		puts(s ? s : "{}");
		free(s);
		json_decref(o);
		return RC_EXIT_OK;
	}
	printf("As of %s%s: %d activities in the last 30 weeks.\n", asof,
	       t.stale ? " (the latest training file's day)" : "", t.activities);
	printf("Last 7 days %.0f min; 4-week weekly average %.0f min; ratio %.2f (exponentially weighted %.2f); "
	       "week on week %+.0f%%.\n",
	       t.acute, t.chronic_week, t.ratio, t.ewma_ratio, t.week_change * 100);
	printf("\nweek of      min     km  climb m  bends m  fast min\n");
	for (int i = 0; i < RC_TRAINING_WEEKS; i++) {
		char d[16];
		day_text(t.weeks[i].start, d, sizeof d);
		const rc_training_week *w = &t.weeks[i];
		printf("%s %5.0f %6.1f %8.0f %8.0f %9.0f\n", d, w->minutes, w->km, w->climb_m, w->bend_m, w->fast_min);
	}
	if (t.nflags == 0)
		printf("\nNo flags: nothing in the training files points to a recent change, hills or track.\n");
	for (int i = 0; i < t.nflags; i++)
		printf("\n! %s\n  (%s)\n", t.flags[i].text, t.flags[i].source);
	return RC_EXIT_OK;
}
