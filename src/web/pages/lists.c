/* lists.c — paging and searching the long lists (see lists.h). */
#include "web/pages/lists.h"

#include <stdio.h>
#include <stdlib.h>

#include "app/account.h"
#include "base/text.h"
#include "web/html.h"
#include "web/layout.h"

bool rc_list_page_arg(rc_req *r, int64_t *page)
{
	const char *v = rc_req_query(r, "page");
	*page = 1;
	if (!v || !*v)
		return true;
	char *end = NULL;
	long long n = strtoll(v, &end, 10);
	if (*end || n < 1 || n > RC_PAGE_MAX) {
		char msg[120];
		snprintf(msg, sizeof msg, "'page' must be a whole number from 1 to %d.", RC_PAGE_MAX);
		rc_page_error(r, 400, msg);
		return false;
	}
	*page = n;
	return true;
}

bool rc_list_search_arg(rc_req *r, const char **q)
{
	*q = rc_req_query(r, "q");
	if (!*q || rc_text_is_line(*q, RC_SEARCH_MAX))
		return true;
	char msg[120];
	snprintf(msg, sizeof msg, "A search is one line of at most %d characters.", RC_SEARCH_MAX);
	rc_page_error(r, 422, msg);
	return false;
}

int64_t rc_list_pages(int64_t total, int64_t rows)
{
	return total <= 0 ? 1 : (total + rows - 1) / rows;
}

bool rc_list_page_exists(rc_req *r, int64_t page, int64_t pages)
{
	if (page <= pages)
		return true;
	char msg[120];
	snprintf(msg, sizeof msg, "There is no page %lld: this list has %lld page%s.", (long long)page, (long long)pages,
	         pages == 1 ? "" : "s");
	rc_page_error(r, 404, msg);
	return false;
}

/* One link to another page of the list, keeping the search (name=value) when there is one. */
static void page_link(rc_buf *b, const char *path, const char *name, const char *value, int64_t page, const char *rel,
                      const char *text)
{
	rc_html_lit(b, "<a rel=\"");
	rc_html_text(b, rel);
	rc_html_lit(b, "\" href=\"");
	rc_html_text(b, path);
	rc_html_printf(b, "?page=%lld", (long long)page);
	if (value && *value) {
		rc_html_lit(b, "&amp;");
		rc_html_text(b, name);
		rc_html_lit(b, "=");
		rc_html_url_arg(b, value);
	}
	rc_html_lit(b, "\">");
	rc_html_text(b, text);
	rc_html_lit(b, "</a>");
}

void rc_list_pager(rc_req *r, const char *path, const char *name, const char *value, int64_t page, int64_t pages,
                   int64_t total)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<nav class=\"pager\" aria-label=\"Pages\"><p>");
	if (page > 1) {
		page_link(b, path, name, value, page - 1, "prev", "Previous page");
		rc_html_lit(b, " · ");
	}
	rc_html_printf(b, "Page %lld of %lld (%lld %s)", (long long)page, (long long)pages, (long long)total,
	               total == 1 ? "entry" : "entries");
	if (page < pages) {
		rc_html_lit(b, " · ");
		page_link(b, path, name, value, page + 1, "next", "Next page");
	}
	rc_html_lit(b, "</p></nav>\n");
}

void rc_list_search_form(rc_req *r, const char *path, const char *label, const char *name, const char *type,
                         const char *value, const char *error)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<form class=\"inline\" method=\"get\" action=\"");
	rc_html_text(b, path);
	rc_html_lit(b, "\" role=\"search\">");
	rc_form_labelled_input(b, name, label, type, value, error, NULL, false);
	rc_html_lit(b, "<button type=\"submit\">Search</button></form>\n");
}
