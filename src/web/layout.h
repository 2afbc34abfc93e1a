/* layout.h — the frame every HTML page shares, and the error page. */
#ifndef RC_LAYOUT_H
#define RC_LAYOUT_H

#include "web/http.h"

/* Starts an HTML page: doctype, head, skip link, header with the main navigation (nav names the
 * current section: "home" or "articles"), and opens <main>. */
void rc_page_begin(rc_req *r, const char *title, const char *nav);
/* Closes <main> and adds the footer. */
void rc_page_end(rc_req *r);
/* A whole error page with status and a sentence saying what went wrong. */
void rc_page_error(rc_req *r, unsigned status, const char *detail);

#endif
