/* time.c — wall and monotonic clocks. */
#include "base/time.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Set once by rc_clock_init before any thread exists, read-only after. */
static int64_t clock_offset;
static bool clock_moved;

rc_err rc_clock_init(char *err, size_t errlen)
{
	const char *v = getenv("RUNCARE_CLOCK");
	if (!v || !*v)
		return RC_OK;
	char instant[64];
	const char *at = strchr(v, '@');
	size_t n = at ? (size_t)(at - v) : strlen(v);
	int64_t target, anchor = (int64_t)time(NULL);
	if (n >= sizeof instant)
		goto bad;
	memcpy(instant, v, n);
	instant[n] = '\0';
	if (!rc_time_parse_rfc3339(instant, &target))
		goto bad;
	if (at) {
		char *end;
		errno = 0;
		long long a = strtoll(at + 1, &end, 10);
		if (errno || end == at + 1 || *end || a < 0)
			goto bad;
		anchor = (int64_t)a;
	}
	clock_offset = target - anchor;
	clock_moved = true;
	return RC_OK;
bad:
	snprintf(err, errlen,
	         "RUNCARE_CLOCK must be an RFC 3339 time with a zone, optionally followed by @UNIX_SECONDS "
	         "(e.g. 2026-12-31T23:50:00-08:00); it is '%.80s'",
	         v);
	return RC_EINVAL;
}

bool rc_clock_overridden(void)
{
	return clock_moved;
}

int64_t rc_time_now(void)
{
	return (int64_t)time(NULL) + clock_offset;
}

void rc_time_iso(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	if (strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0 && n)
		buf[0] = '\0';
}

double rc_time_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

rc_err rc_tz_set(const char *iana)
{
	/* Only names of files under the system's zone database: no path tricks, no POSIX TZ strings. */
	if (!iana || !*iana || strlen(iana) > 64 || strstr(iana, "..") || iana[0] == '/')
		return RC_EINVAL;
	for (const char *p = iana; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '/' ||
		      *p == '_' || *p == '-' || *p == '+'))
			return RC_EINVAL;
	char path[128];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", iana);
	if (access(path, R_OK) != 0)
		return RC_EINVAL;
	char tz[80];
	snprintf(tz, sizeof tz, ":%s", iana);
	if (setenv("TZ", tz, 1) != 0)
		return RC_EINVAL;
	tzset();
	return RC_OK;
}

void rc_tz_local(int64_t t, struct tm *out)
{
	time_t tt = (time_t)t;
	localtime_r(&tt, out);
}

void rc_tz_format(int64_t t, const char *fmt, char *buf, size_t n)
{
	struct tm tm;
	rc_tz_local(t, &tm);
	if (n && strftime(buf, n, fmt, &tm) == 0)
		buf[0] = '\0';
}

void rc_tz_date(int64_t t, char out[11])
{
	struct tm tm;
	rc_tz_local(t, &tm);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
	         (unsigned)tm.tm_mday % 100u);
}

int64_t rc_tz_day_number(int64_t t)
{
	struct tm tm;
	rc_tz_local(t, &tm);
	return rc_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void rc_day_name(int64_t day, char out[11])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
	         (unsigned)tm.tm_mday % 100u);
}

int64_t rc_tz_day_number_start(int64_t day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	return rc_tz_day_start(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int64_t rc_tz_day_start(int y, int m, int d)
{
	/* Local midnight exists in every zone runcare meets (DST moves at 01:00–03:00); mktime with
	 * tm_isdst = -1 lets the library decide the offset. */
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_isdst = -1};
	return (int64_t)mktime(&tm);
}

void rc_tz_day_bounds(int64_t t, int64_t *start, int64_t *end)
{
	struct tm tm;
	rc_tz_local(t, &tm);
	*start = rc_tz_day_start(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	/* mktime normalises day 32 into the next month. */
	*end = rc_tz_day_start(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday + 1);
}

bool rc_date_parse(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = atoi(s + 8);
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (*y < 1990 || *y > 2200 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1])
		return false;
	bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return !(*m == 2 && *d == 29 && !leap);
}

bool rc_time_parse_rfc3339(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
		return false;
	char date[11];
	snprintf(date, sizeof date, "%.10s", s);
	if (!rc_date_parse(date, &y, &mo, &d) || h > 23 || mi > 59 || sec > 60 || (s[10] != 'T' && s[10] != 't'))
		return false;
	const char *z = s + 19;
	if (*z == '.') {
		z++;
		while (*z >= '0' && *z <= '9')
			z++;
	}
	int offset = 0;
	if ((*z == 'Z' || *z == 'z') && z[1] == '\0') {
		offset = 0;
	} else if ((*z == '+' || *z == '-') && strlen(z) == 6 && z[3] == ':') {
		int oh, om;
		if (sscanf(z + 1, "%2d:%2d", &oh, &om) != 2 || oh > 23 || om > 59)
			return false;
		offset = (oh * 60 + om) * 60 * (*z == '-' ? -1 : 1);
	} else {
		return false; /* a time without a zone is ambiguous: refused */
	}
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi,
	                .tm_sec = sec > 59 ? 59 : sec};
	*out = (int64_t)timegm(&tm) - offset;
	return true;
}

void rc_tz_rfc3339(int64_t t, char *buf, size_t n)
{
	struct tm tm;
	rc_tz_local(t, &tm);
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	         tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 3600, (off / 60) % 60);
}

bool rc_tz_parse_local(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, n = 0;
	char date[11];
	if (!s || (strlen(s) != 16 && strlen(s) != 19) || sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 ||
	    n != 16)
		return false;
	snprintf(date, sizeof date, "%.10s", s);
	if (!rc_date_parse(date, &y, &mo, &d) || h > 23 || mi > 59)
		return false;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_isdst = -1};
	*out = (int64_t)mktime(&tm);
	return true;
}

int64_t rc_days_from_civil(int64_t y, int m, int d)
{
	/* Years start in March, so the leap day comes last; 146097 days make 400 years. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t rc_day_number(const char *ymd)
{
	int y, m, d;
	if (!rc_date_parse(ymd, &y, &m, &d))
		return INT64_MIN;
	return rc_days_from_civil(y, m, d);
}
