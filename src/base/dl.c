/* dl.c — see dl.h. */
#include "base/dl.h"

#include <dlfcn.h>

rc_err rc_dl_load(rc_dl_lib *lib, char *err, size_t errlen)
{
	if (atomic_load_explicit(&lib->loaded, memory_order_acquire))
		return RC_OK;
	pthread_mutex_lock(&lib->lock);
	rc_err e = RC_OK;
	if (!atomic_load_explicit(&lib->loaded, memory_order_relaxed)) {
		void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
		const char *why = h ? NULL : dlerror();
		const char *missing = NULL;
		for (size_t i = 0; h && i < lib->nsyms && !missing; i++) {
			*lib->syms[i].slot = dlsym(h, lib->syms[i].name);
			if (!*lib->syms[i].slot)
				missing = lib->syms[i].name;
		}
		if (!h)
			e = rc_errf(err, errlen, RC_EIO, "runcare needs %s for %s, and it could not be loaded (Debian's package "
			            "%s): %s", lib->soname, lib->purpose, lib->package, why ? why : "unknown reason");
		else if (missing) {
			e = rc_errf(err, errlen, RC_EIO, "runcare needs %s for %s, and the copy installed lacks %s (Debian's "
			            "package %s)", lib->soname, lib->purpose, missing, lib->package);
			dlclose(h);
		} else
			atomic_store_explicit(&lib->loaded, true, memory_order_release);
	}
	pthread_mutex_unlock(&lib->lock);
	return e;
}
