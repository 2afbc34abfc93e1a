/* libarchive.c — see libarchive.h. */
#include "formats/libarchive.h"

#include <stdatomic.h>

#include "base/dl.h"
#include "base/log.h"

struct rc_libarchive libarchive;

#define RC_LIBARCHIVE_SYM(member, fn) {#fn, (void **)&libarchive.member},
static const rc_dl_sym syms[] = {RC_LIBARCHIVE_FUNCTIONS(RC_LIBARCHIVE_SYM)};
static rc_dl_lib lib = RC_DL_LIB("libarchive.so.13", "reading and writing .zip and .gz files", "libarchive13", syms);

static bool loaded(void)
{
	static atomic_bool told;
	char err[400];
	if (!rc_dl_load(&lib, err, sizeof err))
		return true;
	if (!atomic_exchange(&told, true))
		rc_warn("%s", err);
	return false;
}

struct archive *rc_archive_read_new(void)
{
	return loaded() ? libarchive.read_new() : NULL;
}

struct archive *rc_archive_write_new(void)
{
	return loaded() ? libarchive.write_new() : NULL;
}
