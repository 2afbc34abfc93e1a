/* log.h — one line per event on stderr, each written with a single write(2) so lines never interleave. */
#ifndef RC_LOG_H
#define RC_LOG_H

typedef enum { RC_LOG_DEBUG, RC_LOG_INFO, RC_LOG_WARN, RC_LOG_ERROR } rc_log_level;

/* Set once at start, before threads exist. */
void rc_log_set_level(rc_log_level level);
void rc_log(rc_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define rc_info(...) rc_log(RC_LOG_INFO, __VA_ARGS__)
#define rc_warn(...) rc_log(RC_LOG_WARN, __VA_ARGS__)
#define rc_error(...) rc_log(RC_LOG_ERROR, __VA_ARGS__)

#endif
