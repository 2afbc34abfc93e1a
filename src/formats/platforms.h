/* platforms.h — one door for everything a runner brings: the exports with a shape of their own (an Apple
 * Health export, formats/applehealth.h) are recognised here and read by their own reader; anything else
 * (training files, .gz, Garmin and Strava zips) goes on to formats/archive.h. Same callback, budget and
 * errors as archive.h's. */
#ifndef RC_PLATFORMS_H
#define RC_PLATFORMS_H

#include "formats/archive.h"

RC_WUR rc_err rc_platform_each_file(const char *path, rc_archive_budget *budget, rc_entry_fn fn, void *ctx, char *err,
                                    size_t errlen);
/* The file at path, named name in what it reports (an upload the import worker copied to a temporary file). */
RC_WUR rc_err rc_platform_each_named(const char *name, const char *path, rc_archive_budget *budget, rc_entry_fn fn,
                                     void *ctx, char *err, size_t errlen);
RC_WUR rc_err rc_platform_each_mem(const char *name, const unsigned char *data, size_t len, rc_archive_budget *budget,
                                   rc_entry_fn fn, void *ctx, char *err, size_t errlen);

#endif
