/* activities.h — the pages of a runner's activities: the whole history, one activity, deleting one. */
#ifndef RC_PAGES_ACTIVITIES_H
#define RC_PAGES_ACTIVITIES_H

#include "domain/training.h"
#include "web/http.h"

/* One activity as a row of the lists (start linked to its page, sport, distance, moving time, climb,
 * track, file): the history and the training page. */
void rc_page_activity_row(rc_buf *b, int64_t runner, const rc_activity_rec *a);
/* The flags in plain words, each with its source (the training page and an activity's page). */
void rc_page_flags(rc_buf *b, const rc_training_flag *flags, int n);

/* The runner's shoes as their exports name them: a section with a table of each pair's distance in
 * all and in the last four weeks, first and last run (nothing when no activity names shoes). False
 * when they could not be read. */
bool rc_page_shoes(rc_req *r, int64_t runner);

/* Which load the figures use, with the heart rates behind a heart-rate load and whether each was
 * estimated, in one paragraph. */
void rc_page_load_words(rc_buf *b, const rc_training *t);
/* The runner's form for their resting and maximum heart rate (what was typed and the error, if any). */
void rc_page_heart_form(rc_req *r, const rc_training *t, const char *rest, const char *max, const char *field,
                        const char *error);
/* POST /training/heart */
void rc_page_training_heart(rc_req *r);
/* POST /training/activities/:activity/effort */
void rc_page_activity_effort(rc_req *r);

/* GET /training/activities: the signed-in runner's own history. */
void rc_page_activities_self(rc_req *r);
/* GET /runners/:runner/activities?sport=running|cross&from=YYYY-MM-DD&to=YYYY-MM-DD&page=N */
void rc_page_activities(rc_req *r);
/* GET /runners/:runner/activities/:activity */
void rc_page_activity(rc_req *r);
/* POST /training/activities/:activity/delete: the runner's own only. */
void rc_page_activity_delete(rc_req *r);

#endif
