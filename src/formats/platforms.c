/* platforms.c — which reader an upload or an imported path goes to (see platforms.h). */
#include "formats/platforms.h"

#include <stdio.h>
#include <string.h>

#include "formats/applehealth.h"
#include "formats/polar.h"
#include "formats/zipentry.h"

/* Exports of accounts runcare does not read yet, by the folder their platform puts everything in. An
 * export holding training files too (a Google Fit Takeout's Activities folder of TCX files) is read as any zip. */
static const struct {
	const char *prefix, *what;
} foreign[] = {
	{"MyFitbitData/", "a Fitbit account export"},
	{"Takeout/", "a Google Takeout export"},
	{"com.samsung.shealth", "a Samsung Health export"},
	{"com.samsung.health", "a Samsung Health export"},
};

static bool training_name(void *ctx, const char *name)
{
	(void)ctx;
	static const char *ext[] = {".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz", ".zip"};
	size_t n = name ? strlen(name) : 0;
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		size_t e = strlen(ext[i]);
		if (n > e && strncasecmp(name + n - e, ext[i], e) == 0)
			return true;
	}
	return false;
}

/* ctx: an int, set to the platform's place in foreign[] plus one. Samsung's folder may sit anywhere. */
static bool foreign_name(void *ctx, const char *name)
{
	for (size_t i = 0; name && i < sizeof foreign / sizeof foreign[0]; i++)
		if (strncmp(name, foreign[i].prefix, strlen(foreign[i].prefix)) == 0 ||
		    (foreign[i].prefix[0] == 'c' && strstr(name, foreign[i].prefix))) {
			*(int *)ctx = (int)i + 1;
			return true;
		}
	return false;
}

/* Which foreign export the zip is, when it is one and holds no training file; else NULL. */
static const char *foreign_export(const char *path, const unsigned char *mem, size_t len)
{
	int seen = 0;
	if (!rc_zipent_any(path, mem, len, foreign_name, &seen) || rc_zipent_any(path, mem, len, training_name, NULL))
		return NULL;
	return foreign[seen - 1].what;
}

static rc_err refuse_foreign(const char *name, const char *what, rc_entry_fn fn, void *ctx, uint64_t in)
{
	char why[300];
	snprintf(why, sizeof why,
	         "this looks like %s, which runcare does not read yet: export the activities as FIT, GPX or TCX files "
	         "and upload those, or a zip of them",
	         what);
	fn(ctx, name, NULL, 0, why, in);
	return RC_OK;
}

rc_err rc_platform_each_mem(const char *name, const unsigned char *data, size_t len, rc_archive_budget *budget,
                            rc_entry_fn fn, void *ctx, char *err, size_t errlen)
{
	if (rc_applehealth_is_xml(data, len) || rc_applehealth_detect(NULL, data, len))
		return rc_applehealth_each(name, NULL, data, len, budget, fn, ctx, err, errlen);
	if (rc_polar_detect(name, NULL, data, len))
		return rc_polar_each(name, NULL, data, len, budget, fn, ctx, err, errlen);
	if (rc_polar_is_json(name, data, len)) {
		rc_polar_each_json(name, data, len, budget, fn, ctx);
		return RC_OK;
	}
	const char *what = foreign_export(NULL, data, len);
	if (what)
		return refuse_foreign(name, what, fn, ctx, len);
	return rc_archive_each_mem(name, data, len, budget, fn, ctx, err, errlen);
}

/* A Polar session's JSON on its own: read whole as archive.h reads a plain file, then as a session. */
typedef struct {
	rc_archive_budget *budget;
	rc_entry_fn fn;
	void *ctx;
} polar_file;

static int polar_entry(void *ctx, const char *name, const unsigned char *data, size_t len, const char *problem,
                       uint64_t in_bytes)
{
	polar_file *p = ctx;
	if (!data)
		return p->fn(p->ctx, name, NULL, 0, problem, in_bytes);
	rc_polar_each_json(name, data, len, p->budget, p->fn, p->ctx);
	return 0;
}

rc_err rc_platform_each_named(const char *name, const char *path, rc_archive_budget *budget, rc_entry_fn fn,
                              void *ctx, char *err, size_t errlen)
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
		return rc_applehealth_each(name, path, NULL, 0, budget, fn, ctx, err, errlen);
	if (h >= 4 && head[0] == 'P' && head[1] == 'K' && rc_polar_detect(name, path, NULL, 0))
		return rc_polar_each(name, path, NULL, 0, budget, fn, ctx, err, errlen);
	if (rc_polar_is_json(name, head, h))
		return rc_archive_each_named(name, path, budget, polar_entry, &(polar_file){budget, fn, ctx}, err, errlen);
	const char *what = h >= 4 && head[0] == 'P' && head[1] == 'K' ? foreign_export(path, NULL, 0) : NULL;
	if (what)
		return refuse_foreign(name, what, fn, ctx, 0);
	return rc_archive_each_named(name, path, budget, fn, ctx, err, errlen);
}

rc_err rc_platform_each_file(const char *path, rc_archive_budget *budget, rc_entry_fn fn, void *ctx, char *err,
                             size_t errlen)
{
	return rc_platform_each_named(path, path, budget, fn, ctx, err, errlen);
}
