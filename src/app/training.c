/* training.c (app) — importing a training file: read it (formats), analyse it (domain), store it once. */
#include "app/training.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "domain/analysis.h"
#include "formats/activity.h"
#include "store/training_store.h"

typedef struct {
	int64_t runner_id, now;
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
		bool duplicate = false;
		int64_t id = 0;
		rc_err e = rc_activity_insert(db, c->runner_id, &out->rec, c->warnings, c->now, &duplicate, &id);
		if (e)
			return e;
		out->rec.id = id;
		out->outcome = duplicate ? RC_IMPORT_DUPLICATE : RC_IMPORT_ADDED;
	}
	return c->also ? c->also(db, out, c->also_ctx) : RC_OK;
}

static rc_err refuse(rc_import_result *out, const char *msg)
{
	out->outcome = RC_IMPORT_REFUSED;
	snprintf(out->message, sizeof out->message, "%s", msg);
	return RC_OK;
}

/* Reads and analyses the file (no database): out->rec and *warnings (JSON, caller frees), or
 * out->outcome RC_IMPORT_REFUSED with the reason. */
static rc_err read_file(int64_t now, const char *name, const unsigned char *data, size_t len, rc_import_result *out,
                        char **warnings)
{
	*warnings = NULL;
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
	rc_text_clean(a->sport, sizeof a->sport, info.sport, strlen(info.sport));
	a->start_at = s->start;
	a->distance_m = llround(s->distance_m);
	a->duration_s = s->end - s->start;
	a->moving_s = llround(s->moving_s);
	a->gain_m = llround(s->gain_m);
	a->loss_m = llround(s->loss_m);
	a->hr_avg = s->hr_n ? llround(s->hr_sum / (double)s->hr_n) : -1;
	a->uphill_s = llround(an->uphill_s);
	a->fast_s = llround(an->fast_s);
	if (an->track.found) {
		a->track_size_m = an->track.size_m;
		a->track_laps_x10 = llround(an->track.laps * 10);
		a->track_bend_m = llround(an->track.bend_distance_m);
		a->track_radius_m = llround(an->track.radius_m);
		snprintf(a->track_direction, sizeof a->track_direction, "%s", rc_direction_name(an->track.direction));
	}
	free(an);
	json_t *w = json_array();
	for (int i = 0; i < info.nwarnings; i++)
		json_array_append_new(w, json_string(info.warnings[i]));
	*warnings = json_dumps(w, JSON_COMPACT);
	json_decref(w);
	if (!*warnings)
		return RC_ENOMEM;
	if (info.nwarnings)
		snprintf(out->message, sizeof out->message, "%s", info.warnings[0]);
	out->outcome = RC_IMPORT_ADDED; /* until the store finds it there already */
	return RC_OK;
}

rc_err rc_app_training_import_with(const rc_uc *uc, int64_t runner_id, const char *name, const unsigned char *data,
                                   size_t len, rc_import_also_fn also, void *also_ctx, rc_import_result *out)
{
	memset(out, 0, sizeof *out);
	char *warnings = NULL;
	rc_err e = read_file(uc->now, name, data, len, out, &warnings);
	if (e)
		return e;
	if (out->outcome == RC_IMPORT_REFUSED && !also)
		return RC_OK;
	insert_ctx c = {.runner_id = runner_id, .now = uc->now, .out = out, .warnings = warnings, .also = also,
	                .also_ctx = also_ctx};
	e = rc_db_tx(uc->db, insert_tx, &c);
	free(warnings);
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

rc_err rc_app_training_view(const rc_uc *uc, int64_t runner_id, rc_training *out)
{
	rc_db *db = uc->db;
	int64_t now = uc->now;
	int64_t latest;
	rc_err e = rc_activity_latest(db, runner_id, &latest);
	if (e)
		return e;
	rc_training_init(out, now, latest);
	e = rc_activity_each(db, runner_id, rc_training_window_start(out), add_one, out);
	if (!e)
		rc_training_finish(out);
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
