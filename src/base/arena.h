/* arena.h — a bump allocator with a hard cap: one per request, freed once at the end. */
#ifndef RC_ARENA_H
#define RC_ARENA_H

#include <stddef.h>

typedef struct rc_arena_block rc_arena_block;

typedef struct rc_arena {
	rc_arena_block *head;
	size_t used;  /* bytes handed out, across blocks */
	size_t limit; /* hard maximum of bytes handed out; 0 = no limit */
} rc_arena;

void rc_arena_init(rc_arena *a, size_t limit);
/* Frees every block; the arena can be used again. */
void rc_arena_free(rc_arena *a);

/* Zeroed memory aligned for any type, or NULL when the limit or memory is exhausted. */
void *rc_arena_alloc(rc_arena *a, size_t n);
/* A NUL-terminated copy of n bytes of s, or NULL. */
char *rc_arena_strndup(rc_arena *a, const char *s, size_t n);
char *rc_arena_strdup(rc_arena *a, const char *s);
char *rc_arena_printf(rc_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
