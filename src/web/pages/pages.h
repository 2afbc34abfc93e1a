/* pages.h — every page handler; routes.c is the one place that maps addresses to them. */
#ifndef RC_PAGES_H
#define RC_PAGES_H

#include "web/http.h"

void rc_page_home(rc_req *r);
void rc_page_articles(rc_req *r);
void rc_page_category(rc_req *r);
void rc_page_article(rc_req *r);
void rc_page_static(rc_req *r);
void rc_page_healthz(rc_req *r);

#endif
