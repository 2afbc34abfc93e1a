/* series.h — recurring visits: a series row, and its visits pointing at it (appointment.series_id). */
#ifndef RC_STORE_SERIES_H
#define RC_STORE_SERIES_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

typedef struct rc_series {
	int64_t id, practitioner_id, service_id, created_by, created_at;
	int every_weeks, occurrences;
} rc_series;

/* Records a series inside the caller's transaction. With a key that created_by already used, *existing
 * is true and *id is that series: nothing new is written. */
RC_WUR rc_err rc_series_create(rc_db *db, const rc_series *s, const char *key, int64_t *id, bool *existing);
/* The series created_by booked with key, if any. */
RC_WUR rc_err rc_series_by_key(rc_db *db, int64_t created_by, const char *key, int64_t *id, bool *found);
RC_WUR rc_err rc_series_get(rc_db *db, int64_t id, rc_series *out, bool *found);
/* Makes a visit part of a series (inside the caller's transaction). */
RC_WUR rc_err rc_appointment_set_series(rc_db *db, int64_t appointment_id, int64_t series_id);

#endif
