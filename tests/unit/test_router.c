/* test_router.c — unit tests for rc_route_match against the site's real route table (routes.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "web/http.h"
#include "web/pages/pages.h"

/* What one lookup found: the route, its params and the Allow list. */
typedef struct {
	const rc_route *route;
	const char *params[RC_HTTP_MAX_PARAMS];
	char allowed[128];
} lookup;

static lookup match(const char *method, const char *path)
{
	lookup l;
	memset(&l, 0, sizeof l);
	/* Poison the list so a lookup that forgets to clear it is caught. */
	memset(l.allowed, 'Z', sizeof l.allowed - 1);
	l.route = rc_route_match(method, path, l.params, l.allowed, sizeof l.allowed);
	return l;
}

static void root_is_home(void **state)
{
	(void)state;
	lookup l = match("GET", "/");
	assert_non_null(l.route);
	assert_ptr_equal(l.route->handler, rc_page_home);
	assert_string_equal(l.route->pattern, "/");
	assert_null(l.params[0]);
	assert_string_equal(l.allowed, "");
}

static void article_binds_its_slug(void **state)
{
	(void)state;
	lookup l = match("GET", "/articles/runners-butt");
	assert_non_null(l.route);
	assert_ptr_equal(l.route->handler, rc_page_article);
	assert_string_equal(l.route->pattern, "/articles/:slug");
	assert_non_null(l.params[0]);
	assert_string_equal(l.params[0], "runners-butt");
	assert_null(l.params[1]);

	l = match("GET", "/articles");
	assert_non_null(l.route);
	assert_ptr_equal(l.route->handler, rc_page_articles);
	assert_null(l.params[0]);
}

static void category_route_wins_over_article(void **state)
{
	(void)state;
	lookup l = match("GET", "/articles/category/blog");
	assert_non_null(l.route);
	assert_ptr_equal(l.route->handler, rc_page_category);
	assert_string_equal(l.route->pattern, "/articles/category/:slug");
	assert_string_equal(l.params[0], "blog");
	assert_null(l.params[1]);
	/* "/articles/category" alone is an article whose slug is "category". */
	l = match("GET", "/articles/category");
	assert_non_null(l.route);
	assert_ptr_equal(l.route->handler, rc_page_article);
	assert_string_equal(l.params[0], "category");
	/* One segment too many matches nothing. */
	l = match("GET", "/articles/category/blog/extra");
	assert_null(l.route);
}

static void head_answers_get_routes(void **state)
{
	(void)state;
	lookup l = match("HEAD", "/articles/first-visit");
	assert_non_null(l.route);
	assert_string_equal(l.route->method, "GET");
	assert_ptr_equal(l.route->handler, rc_page_article);
	assert_string_equal(l.params[0], "first-visit");
	l = match("HEAD", "/healthz");
	assert_non_null(l.route);
	assert_ptr_equal(l.route->handler, rc_page_healthz);
}

static void wrong_method_lists_allowed(void **state)
{
	(void)state;
	lookup l = match("POST", "/articles");
	assert_null(l.route);
	assert_non_null(strstr(l.allowed, "GET"));
	assert_non_null(strstr(l.allowed, "HEAD"));
	assert_null(strstr(l.allowed, "POST"));
	l = match("DELETE", "/");
	assert_null(l.route);
	assert_non_null(strstr(l.allowed, "GET"));
	/* Method names are case-sensitive (RFC 9110 §9.1). */
	l = match("get", "/");
	assert_null(l.route);
	assert_non_null(strstr(l.allowed, "GET"));
}

static void unknown_path_is_not_found(void **state)
{
	(void)state;
	static const char *const paths[] = {
		"/nope", "/articles/", "/articles//x", "//", "", "/static/", "/healthz/", "/Articles", "articles",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		lookup l = match("GET", paths[i]);
		if (l.route)
			fail_msg("'%s' matched %s", paths[i], l.route->pattern);
		assert_string_equal(l.allowed, "");
		/* The method does not change a miss into a 405. */
		l = match("POST", paths[i]);
		assert_null(l.route);
		assert_string_equal(l.allowed, "");
	}
}

static void params_survive_later_misses(void **state)
{
	(void)state;
	/* The slug is copied, not a pointer into the caller's path. */
	char path[] = "/static/style.css";
	lookup l = match("GET", path);
	assert_non_null(l.route);
	assert_ptr_equal(l.route->handler, rc_page_static);
	path[8] = 'X';
	assert_string_equal(l.params[0], "style.css");
	/* A long segment still matches and binds whole. */
	char longpath[1200] = "/articles/";
	memset(longpath + 10, 'a', 1000);
	longpath[1010] = '\0';
	l = match("GET", longpath);
	assert_non_null(l.route);
	assert_int_equal(strlen(l.params[0]), 1000);
}

static void every_route_is_well_formed(void **state)
{
	(void)state;
	size_t n = 0;
	for (const rc_route *r = rc_routes; r->method; r++, n++) {
		assert_non_null(r->pattern);
		assert_non_null(r->handler);
		assert_int_equal(r->pattern[0], '/');
		/* Each route is reachable: its own pattern, params filled in, finds it and no earlier one. */
		char path[256];
		size_t o = 0;
		for (const char *p = r->pattern; *p && o < sizeof path - 2;) {
			if (p[0] == ':' && p[-1] == '/') {
				path[o++] = 'x';
				while (*p && *p != '/')
					p++;
			} else {
				path[o++] = *p++;
			}
		}
		path[o] = '\0';
		lookup l = match(r->method, path);
		if (l.route != r)
			fail_msg("route %s %s is shadowed or unreachable: %s matched %s", r->method, r->pattern, path,
			         l.route ? l.route->pattern : "nothing");
	}
	assert_true(n >= 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_is_home),
		cmocka_unit_test(article_binds_its_slug),
		cmocka_unit_test(category_route_wins_over_article),
		cmocka_unit_test(head_answers_get_routes),
		cmocka_unit_test(wrong_method_lists_allowed),
		cmocka_unit_test(unknown_path_is_not_found),
		cmocka_unit_test(params_survive_later_misses),
		cmocka_unit_test(every_route_is_well_formed),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
