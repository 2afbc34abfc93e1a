/* time.h — UTC instants as seconds since the epoch, and their ISO 8601 form. */
#ifndef RC_TIME_H
#define RC_TIME_H

#include <stddef.h>
#include <stdint.h>

int64_t rc_time_now(void);
/* "2026-11-24T11:21:04Z" into buf (at least 21 bytes). */
void rc_time_iso(int64_t t, char *buf, size_t n);
/* Monotonic milliseconds, for measuring durations. */
double rc_time_ms(void);

#endif
