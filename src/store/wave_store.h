/* wave_store.h — the events that bring a wave (a marathon), the extra hours opened for each, and the
 * clinic's stated default of visits per 1,000 finishers. */
#ifndef RC_STORE_WAVE_STORE_H
#define RC_STORE_WAVE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* finishers 0: not known (stored as NULL). */
RC_WUR rc_err rc_event_create(rc_db *db, const char *name, const char *day, int64_t finishers, int64_t now,
                              int64_t *id);
RC_WUR rc_err rc_event_update(rc_db *db, int64_t id, const char *name, const char *day, int64_t finishers,
                              bool *found);
/* Deletes the event and what ties extra hours to it (the hours themselves stay: see
 * rc_wave_hours_remove). */
RC_WUR rc_err rc_event_delete(rc_db *db, int64_t id, bool *found);
/* Every event, by day then id; finishers 0 when not known. */
typedef void (*rc_event_fn)(void *ctx, int64_t id, const char *name, const char *day, int64_t finishers);
RC_WUR rc_err rc_events_list(rc_db *db, rc_event_fn fn, void *ctx);

/* Whether practitioner pid already has extra hours overlapping [start, end), opened for any reason. */
RC_WUR rc_err rc_wave_hours_overlap(rc_db *db, int64_t pid, int64_t start, int64_t end, bool *overlap);
/* Extra hours [start, end) for pid, tied to the event. In the caller's transaction. */
RC_WUR rc_err rc_wave_hours_add(rc_db *db, int64_t pid, int64_t start, int64_t end, int64_t event_id);
/* The extra hours opened for an event, by start then practitioner's name. */
typedef void (*rc_wave_hours_fn)(void *ctx, int64_t exception_id, int64_t pid, const char *practitioner_name,
                                 int64_t start, int64_t end);
RC_WUR rc_err rc_wave_hours_of_event(rc_db *db, int64_t event_id, rc_wave_hours_fn fn, void *ctx);
/* Takes one stretch of extra hours away (and its tie to the event). */
RC_WUR rc_err rc_wave_hours_remove(rc_db *db, int64_t exception_id);

/* The clinic's visits per 1,000 finishers; *found false while nobody has set it. */
RC_WUR rc_err rc_wave_setting_get(rc_db *db, int *visits_per_1000, bool *found);
RC_WUR rc_err rc_wave_setting_put(rc_db *db, int visits_per_1000, int64_t now, int64_t actor_id);

#endif
