/* routes.c — the whole map of the site: method, address, handler, flags. */
#include "web/http.h"
#include "web/pages/pages.h"

const rc_route rc_routes[] = {
	{"GET", "/", rc_page_home, 0},
	{"GET", "/articles", rc_page_articles, 0},
	{"GET", "/articles/category/:slug", rc_page_category, 0},
	{"GET", "/articles/:slug", rc_page_article, 0},
	{"GET", "/static/:name", rc_page_static, 0},
	{"GET", "/healthz", rc_page_healthz, 0},
	{NULL, NULL, NULL, 0},
};
