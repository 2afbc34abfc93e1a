/* activity.c — runcare activity show FILE [--json]: one training file read without storing it. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "base/time.h"
#include "domain/analysis.h"
#include "domain/sport.h"
#include "formats/activity.h"

enum { RC_ACTIVITY_MAX_FILE = 256 * 1024 * 1024 };

static const char help[] =
	"usage: runcare activity show FILE [--json]\n"
	"       runcare activity samples FILE\n\n"
	"Reads one GPX, TCX or FIT file (recognised by its content) and prints its sport, start, distance,\n"
	"duration, moving time, elevation gain and loss and average heart rate, with any warnings.\n"
	"samples prints every point the reader yields as CSV (time,lat,lon,ele,distance,hr,cadence).\n";

static void print_sample(void *ctx, const rc_sample *x)
{
	(void)ctx;
	printf("%lld,%.7f,%.7f,%.2f,%.3f,%.0f,%.0f\n", (long long)x->time, x->lat, x->lon, x->ele, x->distance, x->hr,
	       x->cadence);
}

int rc_cli_activity(int argc, char **argv)
{
	const char *file = NULL;
	bool as_json = false;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return RC_EXIT_OK;
	}
	bool samples = argc > 1 && strcmp(argv[1], "samples") == 0;
	/* runcare activity bench FILE N (make bench): a FIT file decoded N times in memory; a GPX or TCX
	 * file read N times from the start, as show reads it (a megabyte at a time, then the analysis),
	 * timed from the first read to the last analysis, as bench/expat_floor.c times expat alone. */
	int bench = 0;
	if (argc == 4 && strcmp(argv[1], "bench") == 0) {
		bench = atoi(argv[3]);
		argc = 3;
		if (bench < 1) {
			fputs(help, stderr);
			return RC_EXIT_USAGE;
		}
	}
	if (argc < 3 || (strcmp(argv[1], "show") != 0 && !samples && !bench)) {
		fputs(help, stderr);
		return RC_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			as_json = true;
		else if (!file)
			file = argv[i];
		else {
			fprintf(stderr, "runcare activity: unexpected argument '%s'\n", argv[i]);
			return RC_EXIT_USAGE;
		}
	}
	FILE *f = fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "runcare activity: %s: cannot open it\n", file);
		return RC_EXIT_USAGE;
	}
	/* GPX and TCX stream a megabyte at a time (memory stays flat however long the file); FIT is
	 * read whole, up to the limit. */
	enum { CHUNK = 1 << 20 };
	/* Page-aligned, as bench/expat_floor.c's: the kernel copies a read into it faster than into
	 * malloc's, 16 bytes past a page (measured: about half the system time of a 100 MB GPX). */
	char *data = aligned_alloc(4096, CHUNK);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t len = data ? fread(data, 1, CHUNK, f) : 0;
	if (!data) {
		fclose(f);
		fprintf(stderr, "runcare activity: out of memory\n");
		return RC_EXIT_FAIL;
	}
	rc_file_kind kind = rc_activity_kind((const unsigned char *)data, len);
	static rc_analysis an;
	rc_analysis_init(&an);
	rc_summary s;
	rc_activity_info info;
	char err[300];
	rc_sample_fn fn = samples ? print_sample : rc_analysis_sample;
	int64_t now = rc_time_now(); /* the one clock (RUNCARE_CLOCK in the tests): what lies after it is refused */
	if (samples)
		puts("time,lat,lon,ele,distance,hr,cadence");
	rc_err e;
	if (kind == RC_FILE_GPX || kind == RC_FILE_TCX) {
		rc_xml_stream *st = rc_xml_open(now, fn, &an, &info);
		if (!st) {
			fclose(f);
			free(data);
			fprintf(stderr, "runcare activity: out of memory\n");
			return RC_EXIT_FAIL;
		}
		size_t total = 0;
		do {
			rc_xml_feed(st, data, len);
			total += len;
		} while ((len = fread(data, 1, CHUNK, f)) > 0);
		e = rc_xml_close(st, err, sizeof err);
		for (int i = 1; i <= bench; i++) {
			rc_analysis_finish(&an, &info);
			if (i == bench || e != RC_OK || fseek(f, 0, SEEK_SET) != 0)
				break;
			rc_analysis_init(&an);
			st = rc_xml_open(now, fn, &an, &info);
			while (st && (len = fread(data, 1, CHUNK, f)) > 0) {
				rc_xml_feed(st, data, len);
				total += len;
			}
			e = st ? rc_xml_close(st, err, sizeof err) : RC_ENOMEM;
		}
		if (bench > 0) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
			printf("%.2f MB/s%s\n", (double)total / 1e6 / sec, e != RC_OK ? " (not a readable file)" : "");
			fclose(f);
			free(data);
			return RC_EXIT_OK;
		}
	} else {
		size_t cap = CHUNK;
		while (len == cap && cap <= RC_ACTIVITY_MAX_FILE) {
			char *nd = realloc(data, cap * 2);
			if (!nd)
				break;
			data = nd;
			len += fread(data + cap, 1, cap, f);
			cap *= 2;
		}
		if (len > RC_ACTIVITY_MAX_FILE) {
			fclose(f);
			free(data);
			fprintf(stderr, "runcare activity: %s: larger than %d MB, the limit for one FIT file\n", file,
			        RC_ACTIVITY_MAX_FILE >> 20);
			return RC_EXIT_USAGE;
		}
		if (bench > 0) {
			clock_gettime(CLOCK_MONOTONIC, &t0);
			int failed = 0;
			for (int i = 0; i < bench; i++) {
				rc_analysis_free(&an);
				rc_analysis_init(&an);
				failed += rc_activity_read((const unsigned char *)data, len, now, rc_analysis_sample, &an, &info, err,
				                           sizeof err) != RC_OK;
			}
			clock_gettime(CLOCK_MONOTONIC, &t1);
			double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
			printf("%.2f MB/s%s\n", (double)len * bench / 1e6 / sec, failed ? " (not a readable file)" : "");
			rc_analysis_free(&an);
			fclose(f);
			free(data);
			return RC_EXIT_OK;
		}
		e = rc_activity_read((const unsigned char *)data, len, now, fn, &an, &info, err, sizeof err);
	}
	fclose(f);
	if (samples) {
		rc_analysis_free(&an);
		free(data);
		for (int i = 0; i < info.nwarnings; i++)
			fprintf(stderr, "warning: %s\n", info.warnings[i]);
		if (e)
			fprintf(stderr, "runcare activity: %s: %s\n", file, err);
		return e ? RC_EXIT_USAGE : RC_EXIT_OK;
	}
	rc_analysis_finish(&an, &info);
	s = an.sum;
	if (e) {
		fprintf(stderr, "runcare activity: %s: %s\n", file, err);
		free(data);
		return RC_EXIT_USAGE;
	}
	free(data);
	char start[32] = "";
	if (s.start) {
		rc_tz_rfc3339(s.start, start, sizeof start); /* in the clinic's zone, with its offset */
	}
	double hr = s.hr_n ? s.hr_sum / (double)s.hr_n : NAN;
	int64_t duration = s.start ? s.end - s.start : 0;
	if (as_json) {
		json_t *w = json_array();
		for (int i = 0; i < info.nwarnings; i++)
			json_array_append_new(w, json_string(info.warnings[i]));
		json_t *track = json_null();
		const rc_track *k = &an.track;
		if (k->found) {
			track = json_pack("{s:f, s:f, s:f, s:s, s:i}", "laps", round(k->laps * 10) / 10, "bend_distance_m",
			                  round(k->bend_distance_m), "radius_m", round(k->radius_m * 10) / 10, "direction",
			                  rc_direction_name(k->direction), "size_m", k->size_m);
			/* Beside the fields above (kept as they were): what the whole-track fit adds. */
			json_object_set_new(track, "lane", k->lane ? json_integer(k->lane) : json_null());
			json_object_set_new(track, "straight_m", json_real(round(k->straight_m * 10) / 10));
			json_object_set_new(track, "lap_m", json_real(round(k->lap_m * 10) / 10));
			json_object_set_new(track, "distance_m", json_real(round(k->distance_m)));
			json_object_set_new(track, "time_s", json_integer((json_int_t)llround(k->time_s)));
			json_object_set_new(track, "bend_time_s", json_integer((json_int_t)llround(k->bend_time_s)));
			json_object_set_new(track, "gps_spread_m", json_real(round(k->sigma_m * 100) / 100));
		}
		json_t *o = json_pack("{s:s, s:s, s:s?, s:f, s:I, s:f, s:f, s:f, s:o, s:o, s:I, s:o}", "format",
		                      kind == RC_FILE_GPX ? "gpx" : kind == RC_FILE_TCX ? "tcx" : "fit", "sport", info.sport, "start", s.start ? start : NULL,
		                      "distance_m", s.distance_m, "duration_s", (json_int_t)duration, "moving_s", s.moving_s,
		                      "elevation_gain_m", s.gain_m, "elevation_loss_m", s.loss_m, "hr_avg",
		                      isnan(hr) ? json_null() : json_real(round(hr * 10) / 10), "track", track, "points",
		                      (json_int_t)info.samples, "warnings", w);
		json_t *notes = json_array();
		for (int i = 0; i < an.nwarnings; i++)
			json_array_append_new(notes, json_string(an.warnings[i]));
		json_object_set_new(o, "recording_warnings", notes); /* pauses, GPS jumps, repeated points, hours */
		json_object_set_new(o, "sport_label", json_string(rc_sport_label(info.sport)));
		json_object_set_new(o, "energy_kcal", isnan(info.device_energy) ? json_null()
		                                                                : json_integer((json_int_t)llround(info.device_energy)));
		json_object_set_new(o, "uphill_s", json_integer((json_int_t)an.uphill_s));
		json_object_set_new(o, "fast_s", json_integer((json_int_t)an.fast_s));
		json_object_set_new(o, "gain_per_km",
		                    json_real(s.distance_m > 100 ? round(s.gain_m / (s.distance_m / 1000) * 10) / 10 : 0));
		char *text = json_dumps(o, JSON_INDENT(2));
		puts(text ? text : "{}");
		free(text);
		json_decref(o);
	} else {
		printf("%s file, %s\n", kind == RC_FILE_GPX ? "GPX" : kind == RC_FILE_TCX ? "TCX" : "FIT",
		       info.sport[0] ? info.sport : "sport not given");
		printf("start %s, distance %.2f km, duration %lld s, moving %.0f s\n", s.start ? start : "(no times)",
		       s.distance_m / 1000.0, (long long)duration, s.moving_s);
		printf("elevation +%.0f m / -%.0f m", s.gain_m, s.loss_m);
		if (!isnan(hr))
			printf(", heart rate %.0f on average", hr);
		printf("\nuphill %.0f min, fast running %.0f min\n", an.uphill_s / 60, an.fast_s / 60);
		if (an.track.found) {
			printf("%d m track: %.1f laps, %.2f km on bends of %.1f m radius (%.0f min), %s", an.track.size_m,
			       an.track.laps, an.track.bend_distance_m / 1000, an.track.radius_m, an.track.bend_time_s / 60,
			       rc_direction_name(an.track.direction));
			if (an.track.lane)
				printf(", lane %d", an.track.lane);
			putchar('\n');
		}
		for (int i = 0; i < info.nwarnings; i++)
			printf("warning: %s\n", info.warnings[i]);
		for (int i = 0; i < an.nwarnings; i++)
			printf("warning: %s\n", an.warnings[i]);
	}
	return RC_EXIT_OK;
}
