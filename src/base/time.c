/* time.c — wall and monotonic clocks. */
#include "base/time.h"

#include <time.h>

int64_t rc_time_now(void)
{
	return (int64_t)time(NULL);
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
