/* training.c (app) — importing a training file: read it (formats), analyse it (domain), store it once. */
#include "app/training.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "domain/analysis.h"
#include "domain/sport.h"
#include "formats/activity.h"
#include "formats/garmin.h"
#include "store/activity_store.h"
#include "store/training_store.h"

typedef struct {
	int64_t runner_id, now;
	const unsigned char *data;
	size_t len;
	rc_import_result *out;
	const char *warnings;
	rc_import_also_fn also;
	void *also_ctx;
} insert_ctx;

/* The activity (unless the file was refused) and whatever must commit with it; safe to repeat. */
static rc_err insert_tx(rc_db *db, void *p)
{
	insert_ctx *c = p;
	rc_import_result *out = c->out;
	if (out->outcome != RC_IMPORT_REFUSED) {
		rc_stored st;
		rc_err e = rc_activity_store_once(db, c->runner_id, &out->rec, c->warnings, c->now, &st);
		if (e)
			return e;
		if (st.clash) {
			out->outcome = RC_IMPORT_REFUSED;
			snprintf(out->message, sizeof out->message,
			         "another activity of yours (%.120s) starts at the very same second as this one, of another "
			         "sport: only one is kept",
			         st.same_source);
			return c->also ? c->also(db, out, c->also_ctx) : RC_OK;
		}
		out->rec.id = st.id;
		out->outcome = st.duplicate ? RC_IMPORT_DUPLICATE : RC_IMPORT_ADDED;
		/* The same run from another file (another platform's): named, not stored twice. The same file
		 * imported again says nothing. (Set anew on a retried transaction.) */
		if (st.duplicate && strcmp(st.same_source, out->rec.source) != 0)
			snprintf(out->message, sizeof out->message,
			         st.replaced ? "the same activity as %.120s, already imported: this file's figures (heart rate "
			                       "or a recording) replace that one's"
			                     : "already imported from %.120s",
			         st.same_source);
		else if (st.duplicate)
			out->message[0] = 0;
		/* The file itself, as given, for the runner's download: a duplicate's too, beside the first. */
		if ((e = rc_activity_file_insert(db, st.id, out->rec.source, c->data, c->len)))
			return e;
	}
	return c->also ? c->also(db, out, c->also_ctx) : RC_OK;
}

static rc_err refuse(rc_import_result *out, const char *msg)
{
	out->outcome = RC_IMPORT_REFUSED;
	snprintf(out->message, sizeof out->message, "%s", msg);
	return RC_OK;
}

static json_t *num_or_null(double v, double unit)
{
	return isnan(v) ? json_null() : json_real(round(v / unit) * unit);
}

/* The activity page's data (migration 0020): up to RC_AN_DETAIL points [seconds, metres east, metres
 * north, distance, elevation, heart rate, on a bend], the distance scaled to the activity's own; the
 * times each kilometre and each lap of a track were passed; the seconds at each heart rate (5 bpm
 * bins from 40). Caller frees; NULL when out of memory. */
static char *detail_json(const rc_analysis *an, double total_m)
{
	json_t *o = json_object(), *pts = json_array(), *km = json_array(), *laps = json_array(), *hr = json_array();
	if (!o || !pts || !km || !laps || !hr) {
		json_decref(o), json_decref(pts), json_decref(km), json_decref(laps), json_decref(hr);
		return NULL;
	}
	const rc_track *t = &an->track;
	double d0 = an->ndetail ? an->detail[0].d : 0, last = an->ndetail ? an->detail[an->ndetail - 1].d - d0 : 0;
	double k = last > 0 && total_m > 0 ? total_m / last : 1;
	double band = t->sigma_m * 3 > 10 ? t->sigma_m * 3 : 10;
	for (int i = 0; i < an->ndetail; i++) {
		const rc_detail_point *p = &an->detail[i];
		bool bend = false;
		if (t->found && !isnan(p->x)) {
			double dist;
			rc_track_phase(t, p->x, p->y, &dist, &bend);
			bend = bend && fabs(dist) <= band;
		}
		json_array_append_new(pts, json_pack("[i, o, o, f, o, o, b]", (int)p->t, num_or_null(p->x, 0.1),
		                                     num_or_null(p->y, 0.1), round((p->d - d0) * k), num_or_null(p->ele, 0.1),
		                                     num_or_null(p->hr, 1), bend));
	}
	int32_t splits[1000];
	int n = rc_analysis_km_splits(an, total_m, splits, 1000);
	for (int i = 0; i < n; i++)
		json_array_append_new(km, json_integer(splits[i]));
	for (int i = 0; t->found && i < t->nlap_ends; i++)
		json_array_append_new(laps, json_integer(t->lap_end_t[i]));
	for (int i = 0; i < RC_HR_BINS; i++)
		json_array_append_new(hr, json_integer((json_int_t)llround(an->hr_s[i])));
	json_object_set_new(o, "v", json_integer(1));
	json_object_set_new(o, "points", pts);
	json_object_set_new(o, "km", km);
	json_object_set_new(o, "laps", laps);
	json_object_set_new(o, "hr_s", hr);
	if (t->found)
		json_object_set_new(o, "track", json_pack("{s:f, s:f, s:f}", "lap_m", round(t->lap_m * 10) / 10, "straight_m",
		                                          round(t->straight_m * 10) / 10, "radius_m", round(t->radius_m * 10) / 10));
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

/* Reads and analyses the file (no database): out->rec and *warnings (JSON, caller frees), or
 * out->outcome RC_IMPORT_REFUSED with the reason. */
/* What the export's lists add to a file: the name and shoes; the sport was given to read_file. */
static void name_and_gear(rc_activity_rec *a, const rc_export_hint *h, const char *garmin_name)
{
	const char *name = h && h->name ? h->name : garmin_name ? garmin_name : "";
	rc_text_clean(a->name, sizeof a->name, name, strlen(name));
	const char *gear = h && h->gear ? h->gear : "";
	rc_text_clean(a->gear, sizeof a->gear, gear, strlen(gear));
}

/* A manual activity from an export's list (a Strava activities.csv row with no file): its start, times
 * and distance as the list gives them, and nothing measured. */
static rc_err manual_rec(int64_t now, const char *name, const rc_export_hint *h, rc_import_result *out,
                         char **warnings, char **detail)
{
	*warnings = *detail = NULL;
	rc_activity_rec *a = &out->rec;
	if (h->start < RC_ACT_EARLIEST || h->start > now)
		return refuse(out, "a manual activity dated before 1990 or in the future");
	rc_text_clean(a->source, sizeof a->source, name, strlen(name));
	snprintf(a->format, sizeof a->format, "manual");
	const char *sport = h->sport ? h->sport : "";
	rc_text_clean(a->sport, sizeof a->sport, sport, strlen(sport));
	snprintf(a->sport_kind, sizeof a->sport_kind, "%s", rc_sport_kind(a->sport));
	a->start_at = h->start;
	a->duration_s = h->elapsed_s;
	a->moving_s = h->moving_s ? h->moving_s : h->elapsed_s;
	a->distance_m = h->distance_m;
	a->hr_avg = -1;
	a->energy_kcal = h->energy_kcal;
	name_and_gear(a, h, NULL);
	json_t *w = json_array();
	if (h->note)
		json_array_append_new(w, json_string(h->note));
	*warnings = json_dumps(w, JSON_COMPACT);
	json_decref(w);
	*detail = strdup("{}");
	if (!*warnings || !*detail)
		return RC_ENOMEM;
	a->detail = *detail;
	out->outcome = RC_IMPORT_ADDED;
	return RC_OK;
}

static rc_err read_file(int64_t now, const char *name, const rc_export_hint *hint, const unsigned char *data,
                        size_t len, rc_import_result *out, char **warnings, char **detail)
{
	*warnings = *detail = NULL;
	rc_activity_rec *a = &out->rec;
	rc_file_kind kind = rc_activity_kind(data, len);
	if (kind == RC_FILE_UNKNOWN)
		return refuse(out, "not a training file: runcare reads GPX, TCX and FIT");
	rc_analysis *an = malloc(sizeof *an);
	if (!an)
		return RC_ENOMEM;
	rc_analysis_init(an);
	rc_activity_info info;
	char err[300];
	if (rc_activity_read(data, len, now, rc_analysis_sample, an, &info, err, sizeof err)) {
		rc_analysis_free(an);
		free(an);
		return refuse(out, err);
	}
	rc_analysis_finish(an, &info);
	const rc_summary *s = &an->sum;
	if (s->start && s->end == s->start && s->distance_m < 1) {
		free(an);
		return refuse(out, "a single point in time with no distance: not an activity");
	}
	if (!s->start) {
		free(an);
		return refuse(out, info.rejected               ? "every time in the file is before 1990 or in the future"
		                   : kind == RC_FILE_FIT && !info.samples
		                       ? "a FIT file with no activity in it (settings, a workout plan or daily monitoring)"
		                       : "the file has no times, so runcare cannot tell when it was run");
	}
	/* A file or zip entry name and a sport are whatever the file says: stored as clean text, cut on
	 * a character boundary, so the export and a move to PostgreSQL read every row. */
	rc_text_clean(a->source, sizeof a->source, name, strlen(name));
	snprintf(a->format, sizeof a->format, "%s", kind == RC_FILE_GPX ? "gpx" : kind == RC_FILE_TCX ? "tcx" : "fit");
	/* The sport the runner gave it on the platform, else the file's own; where the file names none (or
	 * FIT's "other"), the one a Garmin export's summary of the same start gives. */
	const char *sport = hint ? hint->sport : NULL, *g_name = NULL, *g_sport = NULL;
	if (hint && hint->garmin)
		rc_garmin_summary_find(hint->garmin, s->start, &g_name, &g_sport);
	const char *given = sport && sport[0] ? sport : info.sport;
	if ((!given[0] || strcmp(given, "other") == 0) && g_sport && g_sport[0])
		given = g_sport;
	name_and_gear(a, hint, g_name && g_name[0] ? g_name : NULL);
	rc_text_clean(a->sport, sizeof a->sport, given, strlen(given));
	/* A file that names no sport but moves at a ride's speed is a ride: named in a warning, and kept out
	 * of the running load. A file's name (run.gpx) says nothing about its sport. */
	bool ride = !a->sport[0] && an->median_speed >= RC_SPORT_RIDE_SPEED;
	if (ride)
		snprintf(a->sport, sizeof a->sport, "cycling");
	snprintf(a->sport_kind, sizeof a->sport_kind, "%s", rc_sport_kind(a->sport));
	a->start_at = s->start;
	a->distance_m = llround(s->distance_m);
	a->duration_s = s->end - s->start;
	a->moving_s = llround(s->moving_s);
	a->gain_m = llround(s->gain_m);
	a->loss_m = llround(s->loss_m);
	/* The points' own heart rate, else the file's summary of it (a TCX lap's average: an Apple Health
	 * workout's, whose route has none). */
	a->hr_avg = s->hr_n ? llround(s->hr_sum / (double)s->hr_n) : info.device_hr_avg > 0 ? llround(info.device_hr_avg) : -1;
	/* The file's own figure (a watch's estimate from heart rate and weight): runcare has no weight to
	 * work it out from, and says where it came from on the page. */
	a->energy_kcal = !isnan(info.device_energy) && info.device_energy >= 1 && info.device_energy < 100000
	                     ? llround(info.device_energy)
	                     : hint ? hint->energy_kcal /* the platform's figure (Strava's Calories), else 0 */
	                            : 0;
	a->uphill_s = llround(an->uphill_s);
	a->fast_s = llround(an->fast_s);
	if (an->track.found) {
		a->track_size_m = an->track.size_m;
		a->track_laps_x10 = llround(an->track.laps * 10);
		a->track_bend_m = llround(an->track.bend_distance_m);
		a->track_radius_m = llround(an->track.radius_m);
		snprintf(a->track_direction, sizeof a->track_direction, "%s", rc_direction_name(an->track.direction));
		a->track_bend_s = llround(an->track.bend_time_s);
		a->track_lane = an->track.lane;
	}
	rc_load_bins_text(an->hr_s, a->hr_zones, sizeof a->hr_zones);
	json_t *w = json_array();
	for (int i = 0; i < info.nwarnings; i++)
		json_array_append_new(w, json_string(info.warnings[i]));
	if (ride) {
		char why[160];
		snprintf(why, sizeof why, "sport not given: a median speed of %.0f km/h is a ride's, so it is counted as "
		         "cycling, not running", an->median_speed * 3.6);
		json_array_append_new(w, json_string(why));
	}
	for (int i = 0; i < an->nwarnings; i++)
		json_array_append_new(w, json_string(an->warnings[i]));
	if (hint && hint->note)
		json_array_append_new(w, json_string(hint->note));
	*warnings = json_dumps(w, JSON_COMPACT);
	*detail = detail_json(an, s->distance_m);
	free(an);
	if (json_array_size(w))
		snprintf(out->message, sizeof out->message, "%s", json_string_value(json_array_get(w, 0)));
	json_decref(w);
	if (!*warnings || !*detail)
		return RC_ENOMEM; /* the caller frees both */
	a->detail = *detail;
	out->outcome = RC_IMPORT_ADDED; /* until the store finds it there already */
	return RC_OK;
}

rc_err rc_app_training_import_with(const rc_uc *uc, int64_t runner_id, const char *name, const unsigned char *data,
                                   size_t len, rc_import_also_fn also, void *also_ctx, rc_import_result *out)
{
	return rc_app_training_import_as(uc, runner_id, name, NULL, data, len, also, also_ctx, out);
}

rc_err rc_app_training_import_as(const rc_uc *uc, int64_t runner_id, const char *name, const char *sport,
                                 const unsigned char *data, size_t len, rc_import_also_fn also, void *also_ctx,
                                 rc_import_result *out)
{
	rc_export_hint hint = {.sport = sport};
	return rc_app_training_import_hint(uc, runner_id, name, &hint, data, len, also, also_ctx, out);
}

rc_err rc_app_training_import_hint(const rc_uc *uc, int64_t runner_id, const char *name, const rc_export_hint *hint,
                                   const unsigned char *data, size_t len, rc_import_also_fn also, void *also_ctx,
                                   rc_import_result *out)
{
	memset(out, 0, sizeof *out);
	char *warnings = NULL;
	char *detail = NULL;
	rc_err e = hint && hint->manual ? manual_rec(uc->now, name, hint, out, &warnings, &detail)
	                                : read_file(uc->now, name, hint, data, len, out, &warnings, &detail);
	if (!e && (out->outcome != RC_IMPORT_REFUSED || also)) {
		insert_ctx c = {.runner_id = runner_id, .now = uc->now, .data = data, .len = len, .out = out,
		                .warnings = warnings, .also = also, .also_ctx = also_ctx};
		e = rc_db_tx(uc->db, insert_tx, &c);
	}
	out->rec.detail = NULL; /* freed here: the result outlives it */
	free(warnings);
	free(detail);
	return e;
}

rc_err rc_app_training_import(const rc_uc *uc, int64_t runner_id, const char *name, const unsigned char *data,
                              size_t len, rc_import_result *out)
{
	return rc_app_training_import_with(uc, runner_id, name, data, len, NULL, NULL, out);
}

static void add_one(void *ctx, const rc_activity_rec *a)
{
	rc_training_add(ctx, a);
}

static void top_hr(void *ctx, const char *sport, const char *hr_zones)
{
	int *top = ctx;
	int32_t bins[RC_HR_BINS];
	if (rc_training_is_run(sport) && rc_load_bins_parse(hr_zones, bins) && rc_load_top_hr(bins) > *top)
		*top = rc_load_top_hr(bins);
}

rc_err rc_app_training_view(const rc_uc *uc, int64_t runner_id, rc_training *out)
{
	rc_db *db = uc->db;
	int64_t now = uc->now;
	int64_t latest, rest, max;
	rc_err e = rc_activity_latest(db, runner_id, &latest);
	e = e ? e : rc_heart_get(db, runner_id, &rest, &max);
	if (e)
		return e;
	rc_training_init(out, now, latest);
	/* The runner's own resting and maximum heart rate, else estimates (domain/load.h): a typical
	 * adult's resting rate, and the highest rate the files held for a minute. */
	int top = 0;
	if (max <= 0 && (e = rc_activity_hr_zones_each(db, runner_id, rc_training_window_start(out), top_hr, &top)))
		return e;
	rc_training_heart(out, rest > 0 ? (int)rest : RC_HR_REST_TYPICAL, max > 0 ? (int)max : top, rest <= 0, max <= 0);
	e = rc_activity_each(db, runner_id, rc_training_window_start(out), add_one, out);
	if (!e)
		rc_training_finish(out);
	/* A new pair of shoes in the last four weeks of the figures' day is a change in training. */
	rc_shoe shoes[RC_SHOES_MAX];
	int nshoes = 0;
	int64_t first_run = 0, recent_from = rc_shoe_recent_from(out->asof / 86400);
	e = e ? e : rc_activity_shoes(db, runner_id, recent_from, shoes, RC_SHOES_MAX, &nshoes);
	e = e ? e : rc_activity_first_run(db, runner_id, &first_run);
	if (!e)
		rc_training_shoes(out, shoes, nshoes, recent_from, first_run);
	return e;
}

int rc_app_training_evidence(const rc_uc *uc, int64_t runner_id, const rc_triage_kb *kb, rc_answers *a,
                             rc_training_note *notes, int max)
{
	rc_training *t = rc_arena_alloc(uc->arena, sizeof *t);
	if (!t || rc_app_training_view(uc, runner_id, t) || t->stale)
		return 0;
	static const char *factors[] = {"training_change_recent", "hills_added", "track_running"};
	int n = 0;
	for (size_t i = 0; i < sizeof factors / sizeof factors[0] && n < max; i++) {
		const rc_training_flag *f = rc_training_flag_for(t, factors[i]);
		int k = rc_triage_finding(kb, factors[i]);
		if (!f || k < 0)
			continue;
		notes[n].text = rc_arena_strdup(uc->arena, f->text);
		notes[n].overruled = a->state[k] == RC_ANS_VALUE && a->value[k] == 0;
		if (!notes[n].overruled) {
			a->state[k] = RC_ANS_VALUE;
			a->value[k] = 1;
		}
		n++;
	}
	return n;
}

/* --- the pieces of an import, for importing in batches (app/import_batch.c) ---------------------- */

rc_err rc_app_training_prepare(int64_t now, const char *name, const rc_export_hint *hint, const unsigned char *data,
                               size_t len, rc_import_result *out, char **warnings, char **detail)
{
	memset(out, 0, sizeof *out);
	rc_err e = hint && hint->manual ? manual_rec(now, name, hint, out, warnings, detail)
	                                : read_file(now, name, hint, data, len, out, warnings, detail);
	out->rec.detail = *detail;
	return e;
}

rc_err rc_app_training_store(rc_db *db, int64_t runner_id, int64_t now, const unsigned char *data, size_t len,
                             const char *warnings, rc_import_result *out)
{
	insert_ctx c = {.runner_id = runner_id, .now = now, .data = data, .len = len, .out = out, .warnings = warnings};
	return insert_tx(db, &c);
}
