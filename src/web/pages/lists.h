/* lists.h — what the pages that list many things share: ?page=N read once, "Page 2 of 7" with the
 * links either side (keeping the search), and a one-field search form that shows what was typed. */
#ifndef RC_PAGES_LISTS_H
#define RC_PAGES_LISTS_H

#include <stdbool.h>
#include <stdint.h>

#include "web/http.h"

/* ?page=N: a whole number from 1 to RC_PAGE_MAX (1 when absent). false when it has answered 400. */
bool rc_list_page_arg(rc_req *r, int64_t *page);
/* ?q=TEXT: one line of at most RC_SEARCH_MAX bytes. false when it has answered 422. */
bool rc_list_search_arg(rc_req *r, const char **q);
/* Pages of rows for total entries (at least 1). */
int64_t rc_list_pages(int64_t total, int64_t rows);
/* A page past the last one is 404, with the sentence that says how many there are; false then. */
bool rc_list_page_exists(rc_req *r, int64_t page, int64_t pages);
/* "Page 2 of 7 (342 entries)" with the previous and next links, keeping name=value when value is set. */
void rc_list_pager(rc_req *r, const char *path, const char *name, const char *value, int64_t page, int64_t pages,
                   int64_t total);
/* A GET form with one search field (input type), showing what was typed; error (may be NULL) beside it. */
void rc_list_search_form(rc_req *r, const char *path, const char *label, const char *name, const char *type,
                         const char *value, const char *error);

#endif
