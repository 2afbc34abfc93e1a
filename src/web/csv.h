/* csv.h — tables as CSV for spreadsheets: RFC 4180 (comma-separated, CRLF line ends, a field with a
 * comma, a double quote or a line break in double quotes, quotes doubled), and safe to open: a text cell
 * that begins with = + - @ (or a tab or carriage return) would be read as a formula, so it gets a ' in
 * front (OWASP, "CSV Injection"). */
#ifndef RC_CSV_H
#define RC_CSV_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"

typedef struct rc_csv {
	rc_buf *b;
	bool mid_row; /* a cell has been written on this row: the next needs a comma */
} rc_csv;

/* A cell of text, escaped and defused as above. */
void rc_csv_text(rc_csv *c, const char *s);
/* A whole number. */
void rc_csv_int(rc_csv *c, int64_t v);
/* An amount of money in whole cents as dollars with two decimals ("-5.00"), exact: no floating point. */
void rc_csv_cents(rc_csv *c, int64_t cents);
/* A number with one decimal; an empty cell when v is negative (nothing to show: a share of nothing). */
void rc_csv_dec1(rc_csv *c, double v);
/* Ends the row. */
void rc_csv_end(rc_csv *c);

#endif
