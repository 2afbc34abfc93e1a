/* csvin.c — RFC 4180 CSV in (see csvin.h). */
#include "formats/csvin.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

typedef struct reader {
	char *fields[RC_CSVIN_MAX_FIELDS];
	char *buf; /* every field of the row, each NUL-terminated */
	size_t used;
	int n;
} reader;

/* The line and field where byte `at` is, for a message about it. */
static void where(const char *data, size_t at, int *line, int *col)
{
	*line = 1;
	*col = 1;
	bool quoted = false;
	for (size_t i = 0; i < at; i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (data[i] == '\n' && !quoted) {
			(*line)++;
			*col = 1;
		} else if (data[i] == ',' && !quoted)
			(*col)++;
	}
}

/* The first byte of data that does not begin well-formed UTF-8, or len. */
static size_t first_bad_utf8(const char *data, size_t len)
{
	if (rc_utf8_valid(data, len))
		return len;
	size_t i = 0;
	while (i < len) {
		size_t step = 1;
		unsigned char c = (unsigned char)data[i];
		if (c >= 0xF0)
			step = 4;
		else if (c >= 0xE0)
			step = 3;
		else if (c >= 0xC0)
			step = 2;
		if (i + step > len || !rc_utf8_valid(data + i, step))
			return i;
		i += step;
	}
	return len;
}

rc_err rc_csvin_read(const char *data, size_t len, rc_csvin_row_fn fn, void *ctx, char *err, size_t errlen)
{
	int line, col;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	size_t bad = first_bad_utf8(data, len);
	if (bad < len) {
		where(data, bad, &line, &col);
		return rc_errf(err, errlen, RC_EINVAL,
		               "line %d, column %d: the file is not UTF-8 text (byte 0x%02X); save it as UTF-8 (CSV UTF-8 in "
		               "a spreadsheet) and try again",
		               line, col, (unsigned char)data[bad]);
	}
	reader r = {.buf = malloc(len + RC_CSVIN_MAX_FIELDS + 1)};
	if (!r.buf)
		return RC_ENOMEM;
	rc_err e = RC_OK;
	int rows = 0, row_line = 1, cur_line = 1;
	size_t i = 0, field_start = 0;
	bool quoted = false, any = false;
	r.fields[0] = r.buf;
	while (!e) {
		bool end = i >= len;
		char c = end ? '\n' : data[i];
		if (quoted && !end) {
			if (c == '"' && i + 1 < len && data[i + 1] == '"') {
				r.buf[r.used++] = '"';
				i += 2;
				continue;
			}
			if (c == '"') {
				quoted = false;
				i++;
				continue;
			}
			if (c == '\n')
				cur_line++;
			r.buf[r.used++] = c;
			i++;
			continue;
		}
		if (quoted && end) {
			e = rc_errf(err, errlen, RC_EINVAL, "line %d, column %d: a quoted field is not closed", row_line, r.n + 1);
			break;
		}
		if (c == '"' && r.used == field_start) {
			quoted = any = true;
			i++;
			continue;
		}
		if (c == '\r' && i + 1 < len && data[i + 1] == '\n') {
			i++;
			continue;
		}
		if (c == ',' || c == '\n') {
			r.buf[r.used++] = '\0';
			if (r.used - field_start - 1 > RC_CSVIN_MAX_FIELD) {
				e = rc_errf(err, errlen, RC_EINVAL, "line %d, column %d: a field longer than %d bytes", row_line,
				            r.n + 1, RC_CSVIN_MAX_FIELD);
				break;
			}
			if (r.n == RC_CSVIN_MAX_FIELDS) {
				e = rc_errf(err, errlen, RC_EINVAL, "line %d: more than %d columns", row_line, RC_CSVIN_MAX_FIELDS);
				break;
			}
			r.fields[r.n++] = r.buf + field_start;
			field_start = r.used;
			if (c == '\n') {
				/* A blank line (one empty field) is no row. */
				bool blank = r.n == 1 && !r.fields[0][0] && !any;
				if (!blank) {
					if (++rows > RC_CSVIN_MAX_ROWS) {
						e = rc_errf(err, errlen, RC_EINVAL, "line %d: more than %d rows", row_line, RC_CSVIN_MAX_ROWS);
						break;
					}
					if (fn(ctx, row_line, r.fields, r.n))
						break;
				}
				r.n = 0;
				r.used = field_start = 0;
				any = false;
				cur_line++;
				row_line = cur_line;
				if (end)
					break;
			}
			i++;
			continue;
		}
		r.buf[r.used++] = c;
		any = true;
		i++;
	}
	free(r.buf);
	return e;
}
