/* content.h — what a clinic may edit: its profile and articles, loaded once at start (from the
 * binary or from --content DIR), validated, and then read-only for the life of the process. */
#ifndef RC_CONTENT_H
#define RC_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "domain/schedule.h"

enum {
	RC_CONTENT_MAX_FILE = 1 << 20, /* bytes in one content file */
	RC_CONTENT_MAX_ARTICLES = 1000,
	RC_CONTENT_MAX_LIST = 32 /* hours rows, treated conditions, services */
};

typedef struct rc_article {
	const char *slug;     /* from the file name: articles/<slug>.md */
	const char *title, *category, *category_slug, *date, *summary, *author;
	const char *html;     /* the body, rendered by cmark with raw HTML suppressed */
} rc_article;

typedef struct rc_hours {
	const char *days, *open, *close; /* open/close are NULL when closed */
} rc_hours;

typedef struct rc_treat {
	const char *key, *name, *summary, *article; /* article: a slug or NULL */
} rc_treat;

typedef struct rc_clinic {
	const char *name, *tagline, *about, *phone, *email, *timezone, *directions;
	const char *street, *city, *region, *postal_code, *country;
	rc_hours hours[RC_CONTENT_MAX_LIST];
	size_t nhours;
	/* The same opening hours by weekday, for rules (hours outside them need a confirmation): one row
	 * per day a row of `hours` names. */
	rc_weekly opening[RC_CONTENT_MAX_LIST * 7];
	size_t nopening;
	rc_treat treats[RC_CONTENT_MAX_LIST];
	size_t ntreats;
	const char *services[RC_CONTENT_MAX_LIST];
	size_t nservices;
} rc_clinic;

typedef struct rc_category {
	const char *name, *slug;
	size_t count;
} rc_category;

typedef struct rc_content {
	rc_arena arena; /* owns every string above */
	rc_clinic clinic;
	rc_article *articles; /* newest first */
	size_t narticles;
	rc_category *categories; /* by name */
	size_t ncategories;
} rc_content;

/* Loads and validates; dir NULL means the content compiled into the binary. On error err names
 * the file, and the line where there is one. The caller frees *out with rc_content_free. */
RC_WUR rc_err rc_content_load(const char *dir, rc_content **out, char *err, size_t errlen);
void rc_content_free(rc_content *c);

/* Borrowed lookups; NULL when absent. */
const rc_article *rc_content_article(const rc_content *c, const char *slug);
const rc_category *rc_content_category(const rc_content *c, const char *slug);

/* One content file (rel: "programs.json"), from dir or, with dir NULL, from the built-in content.
 * Disk files are read into the arena; built-in ones are borrowed. */
RC_WUR rc_err rc_content_read(rc_arena *a, const char *dir, const char *rel, const char **data, size_t *len,
                              char *err, size_t errlen);

/* Parses one article's bytes (exposed for tests). */
RC_WUR rc_err rc_article_parse(rc_arena *a, const char *file, const char *slug, const char *text,
                               size_t len, rc_article *out, char *err, size_t errlen);

#endif
