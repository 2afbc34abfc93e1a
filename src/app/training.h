/* training.h (app) — a runner's training files: importing one, and the load and flags they show.
 * Every door goes through here: the upload page, `runcare import`, `runcare risk`, the training page
 * and the self-check's evidence. */
#ifndef RC_APP_TRAINING_H
#define RC_APP_TRAINING_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "domain/training.h"
#include "domain/triage.h"
#include "formats/exporthint.h"

typedef enum { RC_IMPORT_ADDED, RC_IMPORT_DUPLICATE, RC_IMPORT_REFUSED } rc_import_outcome;

typedef struct rc_import_result {
	rc_import_outcome outcome;
	rc_activity_rec rec;
	char message[300]; /* why it was refused, or the file's first warning */
} rc_import_result;


/* Reads one training file (GPX, TCX or FIT, by content) and stores what it says for the runner, in
 * one transaction. The same activity imported twice (domain/training.h's rc_activity_same: the same
 * kind of sport, a start within a minute, the distance within 3%; from whichever file or platform) is
 * stored once, the richer record's figures kept (store/training_store.h) and out->message naming the
 * file it was first imported from; the file is kept beside the first. A file that is not an activity, has no
 * start time, or starts before 1990 or after uc->now is refused with a message that says why;
 * RC_OK then, too: only a database failure is an error. */
RC_WUR rc_err rc_app_training_import(const rc_uc *uc, int64_t runner_id, const char *name, const unsigned char *data,
                                     size_t len, rc_import_result *out);
/* The same, with `also` run inside the import's transaction once the outcome is known (alone, when
 * the file was refused): what must commit with the activity or not at all — an import job's count of
 * it (app/jobs.c). It may run more than once (a retried transaction); its error rolls back the
 * activity and is returned. */
typedef rc_err (*rc_import_also_fn)(rc_db *db, const rc_import_result *res, void *ctx);
RC_WUR rc_err rc_app_training_import_with(const rc_uc *uc, int64_t runner_id, const char *name,
                                          const unsigned char *data, size_t len, rc_import_also_fn also,
                                          void *also_ctx, rc_import_result *out);
/* The same, with the sport the export's own list gives the file (a Strava export's activities.csv:
 * "running", "cycling", "walking"…; NULL: none): it is the sport stored, over what the file says or a
 * guess from its speed, since the runner chose it on the platform. */
RC_WUR rc_err rc_app_training_import_as(const rc_uc *uc, int64_t runner_id, const char *name, const char *sport,
                                        const unsigned char *data, size_t len, rc_import_also_fn also,
                                        void *also_ctx, rc_import_result *out);

/* The same, with all the export's own lists say of the file (formats/exporthint.h, filled by
 * formats/archive.c): the sport as above; the name and shoes stored with it; a Garmin summary of the
 * same start (within a minute) naming it, and giving the sport where the file names none; or, for a
 * manual activity (hint->manual), the activity itself, the data being its row of the list, kept as its
 * file. NULL: none. */
RC_WUR rc_err rc_app_training_import_hint(const rc_uc *uc, int64_t runner_id, const char *name,
                                          const rc_export_hint *hint, const unsigned char *data, size_t len,
                                          rc_import_also_fn also, void *also_ctx, rc_import_result *out);

/* The two halves of an import, for app/import_batch.c: reading and analysing the file (no database;
 * *warnings and *detail for the caller to free, out->rec.detail pointing at *detail; a refusal is
 * out->outcome RC_IMPORT_REFUSED), then storing it inside the caller's transaction (safe to repeat;
 * nothing for a refused file). */
RC_WUR rc_err rc_app_training_prepare(int64_t now, const char *name, const rc_export_hint *hint,
                                      const unsigned char *data, size_t len, rc_import_result *out, char **warnings,
                                      char **detail);
RC_WUR rc_err rc_app_training_store(rc_db *db, int64_t runner_id, int64_t now, const unsigned char *data, size_t len,
                                    const char *warnings, rc_import_result *out);

/* The runner's load and flags as of the clinic's day at uc->now (domain/training.h). */
RC_WUR rc_err rc_app_training_view(const rc_uc *uc, int64_t runner_id, rc_training *out);

/* The self-check's evidence from a runner's training files: the risk factors their files support are
 * set where the runner gave no answer; a runner's own "no" wins (the note says it was overruled).
 * Files older than the stale limit say nothing about now. Returns how many notes it wrote (text in
 * uc->arena). */
typedef struct rc_training_note {
	const char *text;
	bool overruled;
} rc_training_note;
int rc_app_training_evidence(const rc_uc *uc, int64_t runner_id, const rc_triage_kb *kb, rc_answers *a,
                             rc_training_note *notes, int max);

#endif
