/* test_content.c — unit tests for content/: the built-in clinic, article parsing and its error messages,
 * and loading a content folder from disk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content/content.h"

/* --- the built-in content ------------------------------------------------------------------ */

static size_t count(const char *hay, const char *end, const char *needle)
{
	size_t n = 0, l = strlen(needle);
	for (const char *p = hay; (p = strstr(p, needle)) && p + l <= end; p += l)
		n++;
	return n;
}

static void builtin_content_loads(void **state)
{
	(void)state;
	rc_content *c = NULL;
	char err[512] = "";
	rc_err e = rc_content_load(NULL, &c, err, sizeof err);
	if (e)
		fail_msg("built-in content: %s", err);
	assert_non_null(c);
	assert_non_null(c->clinic.name);
	assert_true(strlen(c->clinic.name) > 0);
	assert_non_null(strstr(c->clinic.timezone, "/"));
	assert_true(c->clinic.nhours >= 1);
	assert_true(c->narticles >= 3);
	/* Newest first. */
	for (size_t i = 1; i < c->narticles; i++)
		if (strcmp(c->articles[i - 1].date, c->articles[i].date) < 0)
			fail_msg("%s (%s) is listed before %s (%s)", c->articles[i - 1].slug, c->articles[i - 1].date,
			         c->articles[i].slug, c->articles[i].date);
	/* Every article is complete. */
	for (size_t i = 0; i < c->narticles; i++) {
		const rc_article *a = &c->articles[i];
		assert_non_null(a->title);
		assert_non_null(a->summary);
		assert_non_null(a->category_slug);
		assert_non_null(a->html);
		assert_ptr_equal(rc_content_article(c, a->slug), a);
	}
	rc_content_free(c);
}

static void builtin_categories(void **state)
{
	(void)state;
	rc_content *c = NULL;
	char err[512] = "";
	assert_int_equal(rc_content_load(NULL, &c, err, sizeof err), RC_OK);
	const rc_category *blog = rc_content_category(c, "blog");
	const rc_category *unc = rc_content_category(c, "uncategorized");
	assert_non_null(blog);
	assert_non_null(unc);
	assert_string_equal(blog->name, "Blog");
	assert_string_equal(unc->name, "Uncategorized");
	/* The counts agree with the articles. */
	size_t nblog = 0, total = 0;
	for (size_t i = 0; i < c->narticles; i++)
		nblog += strcmp(c->articles[i].category_slug, "blog") == 0;
	assert_int_equal(blog->count, nblog);
	assert_true(nblog >= 2);
	for (size_t i = 0; i < c->ncategories; i++)
		total += c->categories[i].count;
	assert_int_equal(total, c->narticles);
	/* Sorted by name. */
	for (size_t i = 1; i < c->ncategories; i++)
		assert_true(strcmp(c->categories[i - 1].name, c->categories[i].name) < 0);
	assert_null(rc_content_category(c, "no-such-category"));
	assert_null(rc_content_article(c, "no-such-article"));
	rc_content_free(c);
}

static void builtin_runners_butt_has_the_stretch_steps(void **state)
{
	(void)state;
	rc_content *c = NULL;
	char err[512] = "";
	assert_int_equal(rc_content_load(NULL, &c, err, sizeof err), RC_OK);
	const rc_article *a = rc_content_article(c, "runners-butt");
	assert_non_null(a);
	assert_string_equal(a->category, "Blog");
	assert_string_equal(a->date, "2026-11-24");
	assert_non_null(a->author);
	const char *ol = strstr(a->html, "<ol>");
	assert_non_null(ol);
	const char *end = strstr(ol, "</ol>");
	assert_non_null(end);
	assert_int_equal(count(ol, end, "<li>"), 5);
	assert_null(strstr(end, "<ol>")); /* the only numbered list */
	assert_non_null(strstr(a->html, "<h2>"));
	rc_content_free(c);
}

/* --- rc_article_parse ---------------------------------------------------------------------- */

static int arena_setup(void **state)
{
	static rc_arena a;
	rc_arena_init(&a, 0);
	*state = &a;
	return 0;
}

static int arena_teardown(void **state)
{
	rc_arena_free(*state);
	return 0;
}

static rc_err parse(rc_arena *a, const char *text, rc_article *out, char *err, size_t errlen)
{
	err[0] = '\0';
	return rc_article_parse(a, "articles/test.md", "test", text, strlen(text), out, err, errlen);
}

/* Asserts the parse fails with RC_EINVAL and a message naming the file and holding want. */
static void parse_fails(rc_arena *a, const char *text, const char *want)
{
	rc_article art;
	char err[512];
	rc_err e = parse(a, text, &art, err, sizeof err);
	if (e != RC_EINVAL)
		fail_msg("expected RC_EINVAL, got %d (%s) for: %s", e, err, text);
	if (!strstr(err, "articles/test.md"))
		fail_msg("the message does not name the file: %s", err);
	if (!strstr(err, want))
		fail_msg("the message '%s' does not contain '%s'", err, want);
}

static void article_parses(void **state)
{
	rc_article art;
	char err[512];
	static const char text[] = "title: Shin splints & you\n"
	                           "category:  Running Tips! \n"
	                           "date: 2026-03-01\n"
	                           "summary: Why the shin aches.\n"
	                           "\n"
	                           "Some *text* with \"quotes\".\n";
	assert_int_equal(parse(*state, text, &art, err, sizeof err), RC_OK);
	assert_string_equal(art.slug, "test");
	assert_string_equal(art.title, "Shin splints & you");
	assert_string_equal(art.category, "Running Tips!"); /* trimmed */
	assert_string_equal(art.category_slug, "running-tips");
	assert_string_equal(art.date, "2026-03-01");
	assert_string_equal(art.summary, "Why the shin aches.");
	assert_null(art.author);
	assert_non_null(strstr(art.html, "<em>text</em>"));
	/* CMARK_OPT_SMART: straight quotes become curly ones. */
	assert_non_null(strstr(art.html, "\xE2\x80\x9C" "quotes" "\xE2\x80\x9D"));

	/* CRLF line endings and a byte-order mark are accepted. */
	static const char crlf[] = "\xEF\xBB\xBFtitle: T\r\ncategory: Blog\r\ndate: 2026-01-02\r\nsummary: S\r\n"
	                           "author: A\r\n\r\nBody\r\n";
	assert_int_equal(parse(*state, crlf, &art, err, sizeof err), RC_OK);
	assert_string_equal(art.title, "T");
	assert_string_equal(art.author, "A");
	assert_string_equal(art.category_slug, "blog");
}

static void article_unknown_key_names_the_line(void **state)
{
	parse_fails(*state, "title: T\ntags: x\ncategory: Blog\ndate: 2026-01-02\nsummary: S\n\nBody\n", "line 2");
	parse_fails(*state, "title: T\ntags: x\n\nBody\n", "'tags'");
	/* Keys are case-sensitive. */
	parse_fails(*state, "Title: T\n\nBody\n", "line 1");
	parse_fails(*state, "title: T\nno colon here\n\nBody\n", "line 2");
}

static void article_bad_date_names_the_line(void **state)
{
	static const char *const dates[] = {
		"2026-13-01", "2026-00-10", "2026-01-32", "26-01-01", "2026/01/01", "2026-1-1", "1989-12-31",
		"2026-01-01x", "2026-+1-01", "2026- 1-01", "2026-01-+1", "2026-02-30", "2025-02-29", "2026-04-31",
	};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "title: T\ncategory: Blog\ndate: %s\nsummary: S\n\nBody\n", dates[i]);
		parse_fails(*state, text, "line 3");
		parse_fails(*state, text, "YYYY-MM-DD");
	}
	/* Leap days are real dates. */
	rc_article art;
	char err[512];
	assert_int_equal(parse(*state, "title: T\ncategory: Blog\ndate: 2028-02-29\nsummary: S\n\nBody\n", &art, err,
	                       sizeof err),
	                 RC_OK);
	assert_int_equal(parse(*state, "title: T\ncategory: Blog\ndate: 2000-02-29\nsummary: S\n\nBody\n", &art, err,
	                       sizeof err),
	                 RC_OK);
}

static void article_missing_or_repeated_fields(void **state)
{
	parse_fails(*state, "category: Blog\ndate: 2026-01-02\nsummary: S\n\nBody\n", "'title'");
	parse_fails(*state, "title: T\ndate: 2026-01-02\nsummary: S\n\nBody\n", "'category'");
	parse_fails(*state, "title: T\ncategory: Blog\ndate: 2026-01-02\n\nBody\n", "'summary'");
	parse_fails(*state, "title: A\ncategory: Blog\ntitle: B\n", "line 3");
	parse_fails(*state, "title: A\ncategory: Blog\ntitle: B\n", "twice");
	parse_fails(*state, "title:   \ncategory: Blog\n", "line 1");
	/* A header with no text after it. */
	parse_fails(*state, "title: T\ncategory: Blog\ndate: 2026-01-02\nsummary: S\n", "no text");
	/* A category with nothing to make a slug from. */
	parse_fails(*state, "title: T\ncategory: !!!\ndate: 2026-01-02\nsummary: S\n\nBody\n", "'category'");
	/* The file name must make a clean slug. */
	rc_article art;
	char err[512];
	static const char ok[] = "title: T\ncategory: Blog\ndate: 2026-01-02\nsummary: S\n\nBody\n";
	assert_int_equal(rc_article_parse(*state, "articles/Bad Name.md", "Bad Name", ok, sizeof ok - 1, &art, err,
	                                  sizeof err),
	                 RC_EINVAL);
	assert_non_null(strstr(err, "articles/Bad Name.md"));
}

static void article_invalid_utf8_names_the_line(void **state)
{
	parse_fails(*state, "title: T\ncategory: Blog\ndate: 2026-01-02\nsummary: S\n\nGood line\nbad \xC0\xAF line\n",
	            "line 7");
	parse_fails(*state, "title: caf\xE9\n\nBody\n", "line 1");
	parse_fails(*state, "title: caf\xE9\n\nBody\n", "UTF-8");
	parse_fails(*state, "title: T\n\xED\xA0\x80\n", "line 2"); /* a surrogate */
}

static void article_raw_html_is_not_passed_through(void **state)
{
	rc_article art;
	char err[512];
	static const char text[] = "title: T\ncategory: Blog\ndate: 2026-01-02\nsummary: S\n\n"
	                           "Hello <script>alert(1)</script> there.\n\n"
	                           "<div onclick=\"x()\">block</div>\n\n"
	                           "[click](javascript:alert(2)) and ![img](data:text/html;base64,PHNjcmlwdD4=)\n";
	assert_int_equal(parse(*state, text, &art, err, sizeof err), RC_OK);
	assert_null(strstr(art.html, "<script"));
	assert_null(strstr(art.html, "<div"));
	assert_null(strstr(art.html, "onclick"));
	assert_null(strstr(art.html, "javascript:"));
	assert_null(strstr(art.html, "data:text/html"));
	assert_non_null(strstr(art.html, "raw HTML omitted"));
	assert_non_null(strstr(art.html, "Hello"));
	/* The header is not Markdown: it is kept as text for the page to escape. */
	static const char title[] = "title: <b>bold</b>\ncategory: Blog\ndate: 2026-01-02\nsummary: S\n\nx\n";
	assert_int_equal(parse(*state, title, &art, err, sizeof err), RC_OK);
	assert_string_equal(art.title, "<b>bold</b>");
}

/* --- a content folder on disk -------------------------------------------------------------- */

static const char minimal_clinic[] =
	"{\n"
	"  \"name\": \"Test Clinic\",\n"
	"  \"tagline\": \"t\", \"about\": \"a\", \"phone\": \"1\", \"email\": \"e@example.org\",\n"
	"  \"timezone\": \"Europe/Paris\",\n"
	"  \"address\": {\"street\": \"s\", \"city\": \"c\", \"region\": \"r\", \"postal_code\": \"p\",\n"
	"              \"country\": \"FR\"},\n"
	"  \"hours\": [{\"days\": \"Mon\", \"open\": \"08:00\", \"close\": \"18:00\"}],\n"
	"  \"treats\": [{\"key\": \"k\", \"name\": \"n\", \"summary\": \"s\", \"article\": \"shins\"}]\n"
	"}\n";

/* clinic.json from memory, linked against the built-in articles as fuzz-content does it. */
static rc_err clinic_with_builtin_articles(const rc_content *base, const char *text, char *err, size_t errlen)
{
	rc_content c = *base;
	rc_arena_init(&c.arena, 0);
	c.articles = rc_arena_alloc(&c.arena, sizeof *c.articles * base->narticles);
	memcpy(c.articles, base->articles, sizeof *c.articles * base->narticles);
	rc_content_file f = {"clinic.json", text, strlen(text)};
	rc_err e = rc_clinic_parse(&c.arena, &f, &c.clinic, err, errlen);
	if (!e) {
		assert_string_equal(c.clinic.name, "Test Clinic");
		e = rc_content_link(&c, err, errlen);
	}
	if (!e)
		assert_int_equal(c.ncategories, base->ncategories);
	rc_arena_free(&c.arena);
	return e;
}

static void clinic_alone_is_linked_against_the_builtin_articles(void **state)
{
	(void)state;
	rc_content *base = NULL;
	char err[512] = "";
	assert_int_equal(rc_content_load(NULL, &base, err, sizeof err), RC_OK);
	/* "shins" is not a built-in article; "first-visit" is. */
	assert_int_equal(clinic_with_builtin_articles(base, minimal_clinic, err, sizeof err), RC_EINVAL);
	assert_string_equal(err, "clinic.json: 'treats[0].article' names 'shins', which is not in articles/");
	char text[sizeof minimal_clinic + 16];
	const char *at = strstr(minimal_clinic, "shins");
	snprintf(text, sizeof text, "%.*sfirst-visit%s", (int)(at - minimal_clinic), minimal_clinic, at + 5);
	if (clinic_with_builtin_articles(base, text, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(base->clinic.treats[0].article, "runners-butt"); /* the built-in, as it was */
	rc_content_free(base);
}

static void put_file(const char *dir, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

static int dir_setup(void **state)
{
	char *dir = strdup("/tmp/runcare-test-content-XXXXXX");
	if (!dir || !mkdtemp(dir))
		return -1;
	char articles[512];
	snprintf(articles, sizeof articles, "%s/articles", dir);
	if (mkdir(articles, 0700))
		return -1;
	*state = dir;
	return 0;
}

static int dir_teardown(void **state)
{
	char *dir = *state;
	int rc = nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	free(dir);
	return rc;
}

static void folder_loads(void **state)
{
	const char *dir = *state;
	put_file(dir, "clinic.json", minimal_clinic);
	put_file(dir, "articles/shins.md",
	         "title: Shins\ncategory: Running Tips\ndate: 2026-02-01\nsummary: S\n\nText.\n");
	put_file(dir, "articles/older.md", "title: Older\ncategory: Blog\ndate: 2025-02-01\nsummary: S\n\nText.\n");
	put_file(dir, "articles/notes.txt", "not an article, ignored");
	put_file(dir, "articles/.hidden.md", "not an article either");
	rc_content *c = NULL;
	char err[512] = "";
	rc_err e = rc_content_load(dir, &c, err, sizeof err);
	if (e)
		fail_msg("load: %s", err);
	assert_string_equal(c->clinic.name, "Test Clinic");
	assert_string_equal(c->clinic.country, "FR");
	assert_int_equal(c->clinic.ntreats, 1);
	assert_int_equal(c->clinic.nservices, 0);
	assert_int_equal(c->narticles, 2);
	assert_string_equal(c->articles[0].slug, "shins");
	assert_string_equal(c->articles[1].slug, "older");
	/* Blog, Running Tips, Uncategorized: the two fixed ones even when empty. */
	assert_int_equal(c->ncategories, 3);
	assert_int_equal(rc_content_category(c, "running-tips")->count, 1);
	assert_int_equal(rc_content_category(c, "uncategorized")->count, 0);
	rc_content_free(c);
}

static void folder_broken_clinic_json_names_the_line(void **state)
{
	const char *dir = *state;
	put_file(dir, "clinic.json", "{\n  \"name\": \"Test\",\n  \"tagline\": oops\n}\n");
	rc_content *c = (rc_content *)1;
	char err[512] = "";
	assert_int_equal(rc_content_load(dir, &c, err, sizeof err), RC_EINVAL);
	assert_null(c);
	if (!strstr(err, "clinic.json line 3"))
		fail_msg("expected 'clinic.json line 3' in: %s", err);
}

static void folder_clinic_json_missing_name(void **state)
{
	const char *dir = *state;
	/* The minimal clinic without its "name" line. */
	const char *start = strstr(minimal_clinic, "  \"name\"");
	const char *after = strchr(start, '\n') + 1;
	char text[sizeof minimal_clinic];
	snprintf(text, sizeof text, "%.*s%s", (int)(start - minimal_clinic), minimal_clinic, after);
	put_file(dir, "clinic.json", text);
	rc_content *c = NULL;
	char err[512] = "";
	assert_int_equal(rc_content_load(dir, &c, err, sizeof err), RC_EINVAL);
	assert_null(c);
	assert_non_null(strstr(err, "clinic.json"));
	assert_non_null(strstr(err, "'name'"));
}

static void folder_other_errors(void **state)
{
	const char *dir = *state;
	rc_content *c = NULL;
	char err[512] = "";
	/* No clinic.json at all. */
	assert_int_equal(rc_content_load(dir, &c, err, sizeof err), RC_EIO);
	assert_non_null(strstr(err, "clinic.json"));
	/* A treatment pointing at an article that is not there. */
	put_file(dir, "clinic.json", minimal_clinic);
	assert_int_equal(rc_content_load(dir, &c, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'shins'"));
	/* A broken article names its file and line. */
	put_file(dir, "articles/shins.md", "title: Shins\ncolour: red\n\nText.\n");
	assert_int_equal(rc_content_load(dir, &c, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "articles/shins.md line 2"));
	assert_null(c);
	/* A timezone that is not an IANA name. */
	char text[sizeof minimal_clinic + 16];
	snprintf(text, sizeof text, "%s", minimal_clinic);
	memcpy(strstr(text, "Europe/Paris"), "EuropeXParis", 12);
	put_file(dir, "clinic.json", text);
	assert_int_equal(rc_content_load(dir, &c, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'timezone'"));
}

#define A(fn) cmocka_unit_test_setup_teardown(fn, arena_setup, arena_teardown)
#define D(fn) cmocka_unit_test_setup_teardown(fn, dir_setup, dir_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtin_content_loads),
		cmocka_unit_test(builtin_categories),
		cmocka_unit_test(builtin_runners_butt_has_the_stretch_steps),
		A(article_parses),
		A(article_unknown_key_names_the_line),
		A(article_bad_date_names_the_line),
		A(article_missing_or_repeated_fields),
		A(article_invalid_utf8_names_the_line),
		A(article_raw_html_is_not_passed_through),
		cmocka_unit_test(clinic_alone_is_linked_against_the_builtin_articles),
		D(folder_loads),
		D(folder_broken_clinic_json_names_the_line),
		D(folder_clinic_json_missing_name),
		D(folder_other_errors),
	};
	return cmocka_run_group_tests_name("content", tests, NULL, NULL);
}
