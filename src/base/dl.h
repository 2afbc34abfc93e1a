/* dl.h — a shared library loaded the first time it is needed rather than at every start.
 *
 * libcurl (mail to an SMTP relay) and libpq (a PostgreSQL database) bring about forty libraries of
 * their own (TLS, Kerberos, LDAP, SSH, IDN…) that the dynamic loader would map and relocate at every
 * start of every command — about 2.5 ms, half of what `runcare activity show` spends before it reads
 * a byte, and most commands use neither. Their headers are compiled in as usual; the library itself
 * is opened by its soname (the ABI those headers describe) when the first caller needs it. */
#ifndef RC_DL_H
#define RC_DL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* One function a library gives: its name, and where its address goes (a function pointer, as POSIX's
 * dlsym example stores it). */
typedef struct {
	const char *name;
	void **slot;
} rc_dl_sym;

typedef struct {
	const char *soname;  /* "libpq.so.5" */
	const char *purpose; /* for the error, after "runcare needs libpq.so.5 for": "PostgreSQL databases" */
	const char *package; /* Debian's package that holds it: "libpq5" */
	const rc_dl_sym *syms;
	size_t nsyms;
	pthread_mutex_t lock;
	atomic_bool loaded;
} rc_dl_lib;

/* For an X-macro list of X(member, function): a member that points to the function, with its own type
 * (struct { LIST(RC_DL_POINTER) } table;). */
#define RC_DL_POINTER(member, fn) __typeof__(fn) *member;

#define RC_DL_LIB(so, why, pkg, table) \
	{.soname = so, .purpose = why, .package = pkg, .syms = table, .nsyms = sizeof table / sizeof table[0], \
	 .lock = PTHREAD_MUTEX_INITIALIZER}

/* Opens the library and fills every slot, once (any thread; the others wait). RC_OK, or RC_EIO with
 * the error in words (which library, for what, which package holds it, and the loader's reason); a
 * later call tries again. */
RC_WUR rc_err rc_dl_load(rc_dl_lib *lib, char *err, size_t errlen);

#endif
