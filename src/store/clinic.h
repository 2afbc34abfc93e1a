/* clinic.h — the clinic row: created for the demo, read by whoever needs the clinic's identity. */
#ifndef RC_STORE_CLINIC_H
#define RC_STORE_CLINIC_H

#include <stdbool.h>

#include "store/db.h"

/* Inserts the clinic unless one with that slug exists; *created says which. tz is an IANA zone name
 * (not "timezone", which <time.h> declares as a global). */
RC_WUR rc_err rc_store_clinic_ensure(rc_db *db, const char *slug, const char *name, const char *tz, bool *created);
/* Number of clinics. */
RC_WUR rc_err rc_store_clinic_count(rc_db *db, long *n);

#endif
