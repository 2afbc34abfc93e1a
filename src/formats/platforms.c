/* platforms.c — which reader an upload or an imported path goes to (see platforms.h). */
#include "formats/platforms.h"

#include <stdio.h>

#include "formats/applehealth.h"
#include "formats/polar.h"

rc_err rc_platform_each_mem(const char *name, const unsigned char *data, size_t len, rc_archive_budget *budget,
                            rc_entry_fn fn, void *ctx, char *err, size_t errlen)
{
	if (rc_applehealth_is_xml(data, len) || rc_applehealth_detect(NULL, data, len))
		return rc_applehealth_each(name, NULL, data, len, budget, fn, ctx, err, errlen);
	if (rc_polar_detect(NULL, data, len))
		return rc_polar_each(name, NULL, data, len, budget, fn, ctx, err, errlen);
	return rc_archive_each_mem(name, data, len, budget, fn, ctx, err, errlen);
}

rc_err rc_platform_each_file(const char *path, rc_archive_budget *budget, rc_entry_fn fn, void *ctx, char *err,
                             size_t errlen)
{
	unsigned char head[4096];
	size_t h = 0;
	FILE *f = fopen(path, "rb");
	if (f) {
		h = fread(head, 1, sizeof head, f);
		fclose(f);
	}
	if (rc_applehealth_is_xml(head, h) ||
	    (h >= 4 && head[0] == 'P' && head[1] == 'K' && rc_applehealth_detect(path, NULL, 0)))
		return rc_applehealth_each(path, path, NULL, 0, budget, fn, ctx, err, errlen);
	if (h >= 4 && head[0] == 'P' && head[1] == 'K' && rc_polar_detect(path, NULL, 0))
		return rc_polar_each(path, path, NULL, 0, budget, fn, ctx, err, errlen);
	return rc_archive_each_file(path, budget, fn, ctx, err, errlen);
}
