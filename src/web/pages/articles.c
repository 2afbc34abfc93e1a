/* articles.c — the articles index, one page per category, and each article. */
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

#include <stdio.h>
#include <string.h>

static void categories_nav(rc_req *r, const char *current)
{
	const rc_content *c = r->app->content;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<nav class=\"categories\" aria-label=\"Categories\"><ul>");
	for (size_t i = 0; i < c->ncategories; i++) {
		const rc_category *cat = &c->categories[i];
		rc_html_lit(b, "<li><a href=\"/articles/category/");
		rc_html_url_arg(b, cat->slug);
		rc_html_lit(b, "\"");
		if (current && strcmp(current, cat->slug) == 0)
			rc_html_lit(b, " aria-current=\"page\"");
		rc_html_lit(b, ">");
		rc_html_text(b, cat->name);
		rc_html_printf(b, " (%zu)", cat->count);
		rc_html_lit(b, "</a></li>");
	}
	rc_html_lit(b, "</ul></nav>\n");
}

static void meta(rc_buf *b, const rc_article *a)
{
	rc_html_lit(b, "<p class=\"meta\"><time datetime=\"");
	rc_html_text(b, a->date);
	rc_html_lit(b, "\">");
	rc_html_text(b, a->date);
	rc_html_lit(b, "</time> · <a href=\"/articles/category/");
	rc_html_url_arg(b, a->category_slug);
	rc_html_lit(b, "\">");
	rc_html_text(b, a->category);
	rc_html_lit(b, "</a>");
	if (a->author) {
		rc_html_lit(b, " · ");
		rc_html_text(b, a->author);
	}
	rc_html_lit(b, "</p>");
}

static void article_list(rc_req *r, const char *category_slug)
{
	const rc_content *c = r->app->content;
	rc_buf *b = &r->out;
	size_t shown = 0;
	rc_html_lit(b, "<ul class=\"article-list\">");
	for (size_t i = 0; i < c->narticles; i++) {
		const rc_article *a = &c->articles[i];
		if (category_slug && strcmp(a->category_slug, category_slug) != 0)
			continue;
		shown++;
		rc_html_lit(b, "<li><h2><a href=\"/articles/");
		rc_html_url_arg(b, a->slug);
		rc_html_lit(b, "\">");
		rc_html_text(b, a->title);
		rc_html_lit(b, "</a></h2>");
		meta(b, a);
		rc_html_lit(b, "<p class=\"summary\">");
		rc_html_text(b, a->summary);
		rc_html_lit(b, "</p></li>");
	}
	rc_html_lit(b, "</ul>\n");
	if (!shown)
		rc_html_lit(b, "<p>No articles here yet.</p>\n");
}

void rc_page_articles(rc_req *r)
{
	rc_page_begin(r, "Articles", "articles");
	rc_html_lit(&r->out, "<h1>Articles</h1>\n");
	categories_nav(r, NULL);
	article_list(r, NULL);
	rc_page_end(r);
}

void rc_page_category(rc_req *r)
{
	const rc_category *cat = rc_content_category(r->app->content, r->params[0]);
	if (!cat) {
		rc_page_error(r, 404, "There is no article category by that name.");
		return;
	}
	char title[160];
	snprintf(title, sizeof title, "Articles: %s", cat->name);
	rc_page_begin(r, title, "articles");
	rc_html_lit(&r->out, "<h1>");
	rc_html_text(&r->out, title);
	rc_html_lit(&r->out, "</h1>\n");
	categories_nav(r, cat->slug);
	article_list(r, cat->slug);
	rc_page_end(r);
}

void rc_page_article(rc_req *r)
{
	const rc_article *a = rc_content_article(r->app->content, r->params[0]);
	if (!a) {
		rc_page_error(r, 404, "There is no article at this address.");
		return;
	}
	rc_buf *b = &r->out;
	rc_page_begin(r, a->title, "articles");
	rc_html_lit(b, "<article class=\"article\"><header><h1>");
	rc_html_text(b, a->title);
	rc_html_lit(b, "</h1>");
	meta(b, a);
	rc_html_lit(b, "</header>\n<div class=\"prose\">\n");
	rc_html_cmark(b, a->html);
	rc_html_lit(b, "</div></article>\n<p><a href=\"/articles\">All articles</a></p>\n");
	rc_page_end(r);
}
