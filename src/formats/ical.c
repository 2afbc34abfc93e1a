/* ical.c — RFC 5545 §3.1 (folding), §3.3.11 (text escaping), §3.3.5 (UTC date-times). */
#include "formats/ical.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Writes one content line, folded so no physical line exceeds 75 octets, never inside a UTF-8
 * sequence. */
static void line(rc_buf *b, const char *name, const char *value, bool escape)
{
	char text[2048];
	size_t n = (size_t)snprintf(text, sizeof text, "%s:", name);
	for (const char *p = value; *p && n < sizeof text - 3; p++) {
		if (escape && (*p == '\\' || *p == ';' || *p == ',')) {
			text[n++] = '\\';
			text[n++] = *p;
		} else if (escape && *p == '\n') {
			text[n++] = '\\';
			text[n++] = 'n';
		} else if (*p != '\r') {
			text[n++] = *p;
		}
	}
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		bool continuation = ((unsigned char)text[i] & 0xC0) == 0x80;
		if (col >= 74 && !continuation) {
			rc_buf_lit(b, "\r\n ");
			col = 1;
		}
		rc_buf_putc(b, text[i]);
		col++;
	}
	rc_buf_lit(b, "\r\n");
}

static void utc(char *out, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, n, "%Y%m%dT%H%M%SZ", &tm);
}

void rc_ical_begin(rc_buf *b, const char *name)
{
	rc_buf_lit(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//runcare//runcare//EN\r\nCALSCALE:GREGORIAN\r\n"
	              "METHOD:PUBLISH\r\n");
	line(b, "X-WR-CALNAME", name, true);
}

void rc_ical_event_add(rc_buf *b, const rc_ical_event *e)
{
	char s[32], en[32], st[32];
	utc(s, sizeof s, e->start);
	utc(en, sizeof en, e->end);
	utc(st, sizeof st, e->stamp);
	rc_buf_lit(b, "BEGIN:VEVENT\r\n");
	line(b, "UID", e->uid, false);
	line(b, "DTSTAMP", st, false);
	line(b, "DTSTART", s, false);
	line(b, "DTEND", en, false);
	line(b, "SUMMARY", e->summary, true);
	if (e->location)
		line(b, "LOCATION", e->location, true);
	line(b, "STATUS", e->status ? e->status : "CONFIRMED", false);
	if (e->alarm_minutes > 0) {
		char trig[32];
		snprintf(trig, sizeof trig, "-PT%dM", e->alarm_minutes);
		rc_buf_lit(b, "BEGIN:VALARM\r\nACTION:DISPLAY\r\n");
		line(b, "DESCRIPTION", e->summary, true);
		line(b, "TRIGGER", trig, false);
		rc_buf_lit(b, "END:VALARM\r\n");
	}
	rc_buf_lit(b, "END:VEVENT\r\n");
}

void rc_ical_end(rc_buf *b)
{
	rc_buf_lit(b, "END:VCALENDAR\r\n");
}
