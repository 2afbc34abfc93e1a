/* csvin.h — CSV files another practice system exported, read as RFC 4180 (commas, double quotes around
 * a field with a comma, quote or line break in it, quotes doubled; CRLF or LF line ends; a UTF-8
 * byte-order mark at the start skipped). Pure: bytes in, rows out through a callback. The text must be
 * UTF-8: a file in another encoding (Windows-1252, Latin-1) is refused with the line and the column
 * (the field, counted from 1) of its first byte that is not. */
#ifndef RC_CSVIN_H
#define RC_CSVIN_H

#include <stddef.h>

#include "base/err.h"

enum {
	RC_CSVIN_MAX_FIELDS = 160,    /* fields in one row (a Strava activities.csv has about 90) */
	RC_CSVIN_MAX_FIELD = 4096,    /* bytes in one field */
	RC_CSVIN_MAX_ROWS = 200000,   /* rows in one file */
};

/* One row: line is the line it starts on (from 1; the header is line 1). The fields are valid during the
 * call only. Returning non-zero stops the reading (rc_csvin_read returns RC_OK). */
typedef int (*rc_csvin_row_fn)(void *ctx, int line, char **fields, int n);

/* RC_EINVAL with "line L, column C: ..." in err for text that is not UTF-8, a quote left open, a row or
 * field past its limit. */
RC_WUR rc_err rc_csvin_read(const char *data, size_t len, rc_csvin_row_fn fn, void *ctx, char *err, size_t errlen);

#endif
