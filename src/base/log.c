/* log.c — timestamped log lines; control characters are replaced so a log cannot be forged. */
#include "base/log.h"

#include "base/text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static rc_log_level min_level = RC_LOG_INFO;

void rc_log_set_level(rc_log_level level)
{
	min_level = level;
}

void rc_log(rc_log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	if (level < min_level)
		return;
	char line[2048];
	/* The timestamp is formatted once a second per thread: a busy server logs thousands of lines
	 * a second, and strftime for each was a measurable share of a request. */
	static _Thread_local time_t stamp_sec = -1;
	static _Thread_local char stamp[32];
	static _Thread_local size_t stamp_len;
	time_t now = time(NULL);
	if (now != stamp_sec) {
		struct tm tm;
		gmtime_r(&now, &tm);
		stamp_len = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ ", &tm);
		stamp_sec = now;
	}
	memcpy(line, stamp, stamp_len);
	size_t n = stamp_len;
	n += (size_t)snprintf(line + n, sizeof line - n, "%s ", names[level]);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	size_t end = n + (size_t)m;
	if (end > sizeof line - 2)
		end = sizeof line - 2;
	/* Control characters and bytes that are not UTF-8 become '?', so a log line can be neither
	 * forged (a newline in a path) nor break a reader that expects text. */
	bool utf8 = rc_utf8_valid(line + n, end - n);
	for (size_t i = n; i < end; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f || (!utf8 && (unsigned char)line[i] >= 0x80))
			line[i] = '?';
	line[end++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, end);
	(void)w;
}
