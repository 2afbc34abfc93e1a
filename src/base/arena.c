/* arena.c — chained blocks; a large request gets a block of its own. */
#include "base/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RC_ARENA_BLOCK = 16 * 1024, RC_ARENA_ALIGN = 16 };

struct rc_arena_block {
	rc_arena_block *next;
	size_t size, off;
	_Alignas(16) unsigned char data[];
};

void rc_arena_init(rc_arena *a, size_t limit)
{
	a->head = NULL;
	a->used = 0;
	a->limit = limit;
}

void rc_arena_free(rc_arena *a)
{
	rc_arena_block *b = a->head;
	while (b) {
		rc_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}

void *rc_arena_alloc(rc_arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;
	size_t need = (n + RC_ARENA_ALIGN - 1) & ~(size_t)(RC_ARENA_ALIGN - 1);
	if (a->limit && (need > a->limit || a->used > a->limit - need))
		return NULL;
	rc_arena_block *b = a->head;
	if (need > RC_ARENA_BLOCK) {
		/* A big request gets a block of its own, from calloc: memory that large comes fresh from the
		 * system (mmap) already zeroed, so only the pages the caller writes are ever touched. A page
		 * that sizes an array for the most it may show (a chart's hundred episodes, 340 KiB) and
		 * fills three entries no longer clears the rest on every request. */
		b = calloc(1, sizeof *b + need);
		if (!b)
			return NULL;
		b->size = b->off = need;
		/* Behind the current head, so the head's free space is kept. */
		if (a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = NULL;
			a->head = b;
		}
		a->used += need;
		return b->data;
	}
	if (!b || b->size - b->off < need) {
		b = malloc(sizeof *b + RC_ARENA_BLOCK);
		if (!b)
			return NULL;
		b->size = RC_ARENA_BLOCK;
		b->off = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->off;
	b->off += need;
	a->used += need;
	memset(p, 0, n);
	return p;
}

char *rc_arena_strndup(rc_arena *a, const char *s, size_t n)
{
	char *p = rc_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *rc_arena_strdup(rc_arena *a, const char *s)
{
	return rc_arena_strndup(a, s, strlen(s));
}

char *rc_arena_printf(rc_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = NULL;
	if (n >= 0 && (p = rc_arena_alloc(a, (size_t)n + 1)))
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}
