/* grid.h — the front desk's calendar: for each practitioner and clinic day, what every quarter hour is
 * (closed, away, taken, free to book) and the visits placed on it; and the patient lookup the staff
 * booking form uses. The rules (who may book when) are booking.c's; this only gathers and decides
 * per quarter hour through them. */
#ifndef RC_APP_GRID_H
#define RC_APP_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "store/booking.h"

enum {
	RC_GRID_MAX_DAYS = 7,        /* a week at most at once */
	RC_GRID_PATIENTS_MAX = 20,   /* patients a lookup lists: a search narrows it, no page scrolls on */
};

/* One quarter hour of one practitioner's day. */
typedef enum {
	RC_CELL_CLOSED,  /* outside working hours */
	RC_CELL_AWAY,    /* time off */
	RC_CELL_TAKEN,   /* a visit (not cancelled) covers it */
	RC_CELL_OPEN,    /* working and free, but not bookable now (passed, or beyond the horizon) */
	RC_CELL_FREE,    /* a visit may start here (if the service fits: the booking says) */
} rc_cell;

typedef struct rc_grid_column {
	const rc_practitioner *practitioner; /* borrowed from the grid */
	bool own;                  /* the signed-in staff member's own entry */
	int64_t day;               /* clinic day number */
	int64_t start, end;        /* its bounds: 23, 24 or 25 hours */
	size_t nunits;             /* quarter hours from start to end */
	unsigned char *cells;      /* rc_cell per quarter hour */
	const rc_appointment **visits; /* starting that day, by start; cancelled ones only when asked */
	size_t nvisits;
	int free_minutes;          /* bookable minutes left */
} rc_grid_column;

typedef struct rc_grid_in {
	int64_t first_day;     /* clinic day number */
	int days;              /* 1 .. RC_GRID_MAX_DAYS */
	int64_t practitioner;  /* one practitioner, or 0 for everyone */
	bool cancelled;        /* include cancelled visits */
} rc_grid_in;

typedef struct rc_grid {
	rc_practitioner *everyone;      /* the signed-in staff member's own entry first, then the clinic's order */
	size_t neveryone;
	rc_practitioner *practitioners; /* those shown: everyone, or the one asked for */
	size_t np;
	rc_grid_column *columns;        /* practitioner by practitioner, day by day: [i * days + d] */
	size_t ncolumns;
	int days;
	size_t hidden_cancelled;        /* cancelled visits left out (in->cancelled false) */
	int64_t own;                    /* the signed-in staff member's practitioner id, or 0 */
} rc_grid;

/* The grid for the clinic's staff. RC_EINVAL (p->field "practitioner" or "date") for a practitioner
 * who does not exist or a span of days out of range. */
RC_WUR rc_err rc_app_grid(const rc_uc *uc, const rc_grid_in *in, rc_grid *out, rc_problem *p);

/* Patients matching text by the patients' own search (app/patients.h: name, phone, email, date of birth,
 * typos forgiven), best first, at most max, for the staff booking form. RC_EINVAL with the sentence for
 * a search too short or too long. */
RC_WUR rc_err rc_app_patient_lookup(const rc_uc *uc, const char *text, rc_account *out, size_t max, size_t *n,
                                    rc_problem *p);
/* One patient by id, for a form that comes back with the patient chosen. RC_ENOTFOUND when it is none. */
RC_WUR rc_err rc_app_patient_get(const rc_uc *uc, int64_t id, rc_account *out, rc_problem *p);

#endif
