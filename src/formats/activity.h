/* activity.h — what a training file holds, read as a stream of samples (domain/sample.h's types).
 * Readers in formats/ are pure: bytes and limits in, samples through a callback and an error or
 * warnings out; no I/O. */
#ifndef RC_ACTIVITY_H
#define RC_ACTIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/sample.h"

enum {
	RC_ACT_MAX_XML_DEPTH = 64,
	RC_ACT_MAX_TEXT = 256,       /* characters kept of one element's text */
	RC_ACT_EARLIEST = 631152000, /* 1990-01-01: older timestamps are refused */
};

/* Recognises a file by its bytes (never its name). */
rc_file_kind rc_activity_kind(const unsigned char *data, size_t len);

/* GPX 1.0/1.1 and TCX through expat, streaming. RC_EINVAL only when nothing usable was read; a damaged
 * file yields what could be read and a warning. now: timestamps after it are refused. */
RC_WUR rc_err rc_xml_activity_read(const char *data, size_t len, int64_t now, rc_sample_fn fn, void *ctx,
                                   rc_activity_info *info, char *err, size_t errlen);

/* The same, fed in pieces of any size (a file read a megabyte at a time): memory stays flat. The
 * first piece must hold the start of the file (it decides GPX or TCX). close frees the stream. */
typedef struct rc_xml_stream rc_xml_stream;
rc_xml_stream *rc_xml_open(int64_t now, rc_sample_fn fn, void *ctx, rc_activity_info *info); /* NULL: no memory */
void rc_xml_feed(rc_xml_stream *st, const char *data, size_t len);
RC_WUR rc_err rc_xml_close(rc_xml_stream *st, char *err, size_t errlen);

/* FIT, decoded by runcare from the protocol description; a chained file is read whole. */
RC_WUR rc_err rc_fit_activity_read(const unsigned char *data, size_t len, int64_t now, rc_sample_fn fn, void *ctx,
                                   rc_activity_info *info, char *err, size_t errlen);

/* The FIT file's own type (its file_id message): 4 is an activity, 32 daily monitoring, 2 settings…;
 * -1 when the file does not say (or is not FIT). */
int rc_fit_file_type(const unsigned char *data, size_t len);
/* Why a FIT file of that type is not an activity, in words; NULL for an activity or an unknown type. */
const char *rc_fit_type_skip_reason(int type);

/* Any of the three, by content. */
RC_WUR rc_err rc_activity_read(const unsigned char *data, size_t len, int64_t now, rc_sample_fn fn, void *ctx,
                               rc_activity_info *info, char *err, size_t errlen);

/* Adds a warning once (the same words twice are kept once), up to RC_ACT_MAX_WARNINGS. */
void rc_activity_warn(rc_activity_info *info, const char *msg);

/* "2026-11-24T07:31:05Z", with fractions or an offset: seconds since the epoch, or 0. */
int64_t rc_iso8601(const char *s);

#endif
