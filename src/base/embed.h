/* embed.h — files compiled into the binary by tools/embed.c (content, static assets, migrations). */
#ifndef RC_EMBED_H
#define RC_EMBED_H

#include <stddef.h>

typedef struct rc_embedded {
	const char *name;          /* path relative to its folder, e.g. "articles/runners-butt.md" */
	const unsigned char *data; /* NUL-terminated */
	size_t len;
} rc_embedded;

/* Each table ends with an entry whose name is NULL. */
extern const rc_embedded rc_embedded_content[];
extern const rc_embedded rc_embedded_static[];
extern const rc_embedded rc_embedded_migrations[];

#endif
