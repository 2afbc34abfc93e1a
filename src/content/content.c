/* content.c — clinic.json through jansson, articles as a header block plus CommonMark through cmark. */
#include "content/content.h"

#include <cmark.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/embed.h"
#include "base/text.h"
#include "domain/setup.h"

/* A file's bytes, whether from the binary or from disk. */
typedef struct {
	const char *name; /* relative, e.g. "articles/x.md" */
	const char *data;
	size_t len;
} cfile;

static bool valid_slug(const char *s, size_t n)
{
	if (n == 0 || n > 80)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

/* YYYY-MM-DD, digits only (sscanf's %d would also take "+1" or " 1"), and a day the month has. */
static bool valid_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return m != 2 || d != 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

static bool valid_hhmm(const char *s)
{
	return strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
	       s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' && (s[0] < '2' || s[1] <= '3');
}

static char *category_slug(rc_arena *a, const char *name)
{
	size_t n = strlen(name);
	char *s = rc_arena_alloc(a, n + 1);
	if (!s)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (c >= 'A' && c <= 'Z')
			s[o++] = (char)(c + 32);
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			s[o++] = c;
		else if (o && s[o - 1] != '-')
			s[o++] = '-';
	}
	while (o && s[o - 1] == '-')
		o--;
	s[o] = '\0';
	return s;
}

rc_err rc_article_parse(rc_arena *a, const char *file, const char *slug, const char *text, size_t len,
                        rc_article *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (!valid_slug(slug, strlen(slug)))
		return rc_errf(err, errlen, RC_EINVAL,
		               "%s: the file name must be lower-case letters, digits and '-' before .md", file);
	if (!rc_utf8_valid(text, len)) {
		/* Name the line: no UTF-8 sequence holds a '\n', so lines can be checked one at a time. */
		int bad = 1;
		for (size_t i = 0; i < len; bad++) {
			const char *nl = memchr(text + i, '\n', len - i);
			size_t end = nl ? (size_t)(nl - text) : len;
			if (!rc_utf8_valid(text + i, end - i))
				break;
			i = end + 1;
		}
		return rc_errf(err, errlen, RC_EINVAL, "%s line %d: the file is not valid UTF-8", file, bad);
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	out->slug = rc_arena_strdup(a, slug);
	struct {
		const char *key;
		const char **dst;
	} keys[] = {
		{"title", &out->title},   {"category", &out->category}, {"date", &out->date},
		{"summary", &out->summary}, {"author", &out->author},
	};
	size_t pos = 0;
	int line = 0;
	/* The header: `key: value` lines up to the first blank line. */
	while (pos < len) {
		line++;
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - pos;
		if (l && text[pos + l - 1] == '\r')
			l--;
		const char *s = text + pos;
		pos = nl ? end + 1 : len;
		if (l == 0)
			break;
		const char *colon = memchr(s, ':', l);
		if (!colon)
			return rc_errf(err, errlen, RC_EINVAL,
			               "%s line %d: expected 'key: value' in the header, or a blank line before the text",
			               file, line);
		size_t klen = (size_t)(colon - s);
		const char *v = colon + 1;
		size_t vlen = l - klen - 1;
		while (vlen && (*v == ' ' || *v == '\t'))
			v++, vlen--;
		while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		size_t k;
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (strlen(keys[k].key) == klen && memcmp(keys[k].key, s, klen) == 0)
				break;
		if (k == sizeof keys / sizeof keys[0])
			return rc_errf(err, errlen, RC_EINVAL,
			               "%s line %d: unknown header key '%.*s' (known: title, category, date, summary, author)",
			               file, line, (int)(klen > 40 ? 40 : klen), s);
		if (*keys[k].dst)
			return rc_errf(err, errlen, RC_EINVAL, "%s line %d: '%s' is given twice", file, line, keys[k].key);
		if (vlen == 0)
			return rc_errf(err, errlen, RC_EINVAL, "%s line %d: '%s' is empty", file, line, keys[k].key);
		*keys[k].dst = rc_arena_strndup(a, v, vlen);
		if (k == 2 && !valid_date(out->date))
			return rc_errf(err, errlen, RC_EINVAL, "%s line %d: 'date' must be YYYY-MM-DD, not '%s'", file,
			               line, out->date);
	}
	for (size_t k = 0; k < 4; k++) /* author is optional */
		if (!*keys[k].dst)
			return rc_errf(err, errlen, RC_EINVAL, "%s: the header has no '%s' line", file, keys[k].key);
	if (pos >= len)
		return rc_errf(err, errlen, RC_EINVAL, "%s line %d: the article has no text after its header", file,
		               line);
	out->category_slug = category_slug(a, out->category);
	if (!out->category_slug || !*out->category_slug)
		return rc_errf(err, errlen, RC_EINVAL, "%s: 'category' needs at least one letter or digit", file);
	/* cmark's default options drop raw HTML and unsafe links (CMARK_OPT_UNSAFE is never set). */
	char *html = cmark_markdown_to_html(text + pos, len - pos, CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
	if (!html)
		return rc_errf(err, errlen, RC_ENOMEM, "%s: out of memory rendering Markdown", file);
	out->html = rc_arena_strdup(a, html);
	free(html);
	if (!out->html)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	return RC_OK;
}

/* --- clinic.json --------------------------------------------------------------------------- */

static rc_err jstr(rc_arena *a, json_t *obj, const char *key, const char *path, bool required,
                   const char **dst, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		*dst = NULL;
		if (!required)
			return RC_OK;
		return rc_errf(err, errlen, RC_EINVAL, "clinic.json: '%s%s' is missing", path, key);
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return rc_errf(err, errlen, RC_EINVAL, "clinic.json: '%s%s' must be a non-empty string", path, key);
	*dst = rc_arena_strdup(a, json_string_value(v));
	return *dst ? RC_OK : RC_ENOMEM;
}

static rc_err parse_clinic(rc_arena *a, const cfile *f, rc_clinic *c, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return rc_errf(err, errlen, RC_EINVAL, "clinic.json line %d: %s", je.line, je.text);
	rc_err e = RC_OK;
#define STR(obj, key, path, req, dst)                                        \
	do {                                                                 \
		if ((e = jstr(a, obj, key, path, req, dst, err, errlen))) \
			goto done;                                           \
	} while (0)
	if (!json_is_object(root)) {
		e = rc_errf(err, errlen, RC_EINVAL, "clinic.json: the top level must be an object");
		goto done;
	}
	STR(root, "name", "", true, &c->name);
	STR(root, "tagline", "", true, &c->tagline);
	STR(root, "about", "", true, &c->about);
	STR(root, "phone", "", true, &c->phone);
	STR(root, "email", "", true, &c->email);
	STR(root, "timezone", "", true, &c->timezone);
	STR(root, "directions", "", false, &c->directions);
	json_t *addr = json_object_get(root, "address");
	if (!json_is_object(addr)) {
		e = rc_errf(err, errlen, RC_EINVAL, "clinic.json: 'address' must be an object");
		goto done;
	}
	STR(addr, "street", "address.", true, &c->street);
	STR(addr, "city", "address.", true, &c->city);
	STR(addr, "region", "address.", true, &c->region);
	STR(addr, "postal_code", "address.", true, &c->postal_code);
	STR(addr, "country", "address.", true, &c->country);
	if (!strchr(c->timezone, '/') && strcmp(c->timezone, "UTC") != 0) {
		e = rc_errf(err, errlen, RC_EINVAL,
		            "clinic.json: 'timezone' must be an IANA name such as America/Los_Angeles, not '%s'",
		            c->timezone);
		goto done;
	}

	json_t *hours = json_object_get(root, "hours");
	if (!json_is_array(hours) || json_array_size(hours) == 0 || json_array_size(hours) > RC_CONTENT_MAX_LIST) {
		e = rc_errf(err, errlen, RC_EINVAL, "clinic.json: 'hours' must be a list of 1 to %d rows",
		            RC_CONTENT_MAX_LIST);
		goto done;
	}
	size_t i;
	json_t *row;
	json_array_foreach(hours, i, row)
	{
		char path[32];
		snprintf(path, sizeof path, "hours[%zu].", i);
		rc_hours *h = &c->hours[c->nhours++];
		if (!json_is_object(row)) {
			e = rc_errf(err, errlen, RC_EINVAL, "clinic.json: 'hours[%zu]' must be an object", i);
			goto done;
		}
		STR(row, "days", path, true, &h->days);
		bool days[7];
		if (!rc_days_parse(h->days, days)) {
			e = rc_errf(err, errlen, RC_EINVAL,
			            "clinic.json: 'hours[%zu].days' must name days of the week, e.g. \"Monday–Friday\" or "
			            "\"Saturday\", not '%s'",
			            i, h->days);
			goto done;
		}
		if (json_is_true(json_object_get(row, "closed")))
			continue;
		STR(row, "open", path, true, &h->open);
		STR(row, "close", path, true, &h->close);
		if (!valid_hhmm(h->open) || !valid_hhmm(h->close) || strcmp(h->open, h->close) >= 0) {
			e = rc_errf(err, errlen, RC_EINVAL,
			            "clinic.json: 'hours[%zu]' needs 'open' before 'close', both as HH:MM (24-hour)", i);
			goto done;
		}
		for (int d = 0; d < 7; d++)
			if (days[d])
				c->opening[c->nopening++] = (rc_weekly){d, atoi(h->open) * 60 + atoi(h->open + 3),
				                                        atoi(h->close) * 60 + atoi(h->close + 3)};
	}

	json_t *treats = json_object_get(root, "treats");
	if (!json_is_array(treats) || json_array_size(treats) > RC_CONTENT_MAX_LIST) {
		e = rc_errf(err, errlen, RC_EINVAL, "clinic.json: 'treats' must be a list of up to %d conditions",
		            RC_CONTENT_MAX_LIST);
		goto done;
	}
	json_array_foreach(treats, i, row)
	{
		char path[32];
		snprintf(path, sizeof path, "treats[%zu].", i);
		rc_treat *t = &c->treats[c->ntreats++];
		if (!json_is_object(row)) {
			e = rc_errf(err, errlen, RC_EINVAL, "clinic.json: 'treats[%zu]' must be an object", i);
			goto done;
		}
		STR(row, "key", path, true, &t->key);
		STR(row, "name", path, true, &t->name);
		STR(row, "summary", path, true, &t->summary);
		STR(row, "article", path, false, &t->article);
	}

	json_t *services = json_object_get(root, "services");
	if (services && (!json_is_array(services) || json_array_size(services) > RC_CONTENT_MAX_LIST)) {
		e = rc_errf(err, errlen, RC_EINVAL, "clinic.json: 'services' must be a list of up to %d names",
		            RC_CONTENT_MAX_LIST);
		goto done;
	}
	json_array_foreach(services, i, row)
	{
		if (!json_is_string(row)) {
			e = rc_errf(err, errlen, RC_EINVAL, "clinic.json: 'services[%zu]' must be a string", i);
			goto done;
		}
		c->services[c->nservices++] = rc_arena_strdup(a, json_string_value(row));
	}
#undef STR
done:
	json_decref(root);
	return e;
}

/* --- loading ------------------------------------------------------------------------------ */

static int by_date_desc(const void *x, const void *y)
{
	const rc_article *a = x, *b = y;
	int c = strcmp(b->date, a->date);
	return c ? c : strcmp(a->slug, b->slug);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(((const rc_category *)x)->name, ((const rc_category *)y)->name);
}

/* Reads DIR/rel into the arena, or names the problem. */
static rc_err read_file(rc_arena *a, const char *dir, const char *rel, cfile *out, char *err, size_t errlen)
{
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, rel) >= sizeof path)
		return rc_errf(err, errlen, RC_EINVAL, "%s/%s: path too long", dir, rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		return rc_errf(err, errlen, RC_EIO, "%s: %s", path, strerror(errno));
	/* Allocate what the file holds (checked against the cap), not the cap itself. */
	struct stat st;
	size_t want = fstat(fileno(f), &st) == 0 && st.st_size >= 0 && st.st_size <= RC_CONTENT_MAX_FILE
	                      ? (size_t)st.st_size + 1
	                      : RC_CONTENT_MAX_FILE + 1;
	char *buf = rc_arena_alloc(a, want + 1);
	size_t n = buf ? fread(buf, 1, want, f) : 0;
	bool bad = ferror(f);
	fclose(f);
	if (!buf)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	if (bad)
		return rc_errf(err, errlen, RC_EIO, "%s: read error", path);
	if (n > RC_CONTENT_MAX_FILE)
		return rc_errf(err, errlen, RC_ETOOBIG, "%s: larger than %d bytes", path, RC_CONTENT_MAX_FILE);
	buf[n] = '\0';
	out->name = rc_arena_strdup(a, rel);
	out->data = buf;
	out->len = n;
	return RC_OK;
}

rc_err rc_content_read(rc_arena *a, const char *dir, const char *rel, const char **data, size_t *len, char *err,
                       size_t errlen)
{
	if (!dir) {
		for (const rc_embedded *e = rc_embedded_content; e->name; e++)
			if (strcmp(e->name, rel) == 0) {
				*data = (const char *)e->data;
				*len = e->len;
				return RC_OK;
			}
		return rc_errf(err, errlen, RC_EINVAL, "%s is missing from the built-in content", rel);
	}
	cfile f;
	rc_err e = read_file(a, dir, rel, &f, err, errlen);
	if (!e) {
		*data = f.data;
		*len = f.len;
	}
	return e;
}

static rc_err gather(rc_arena *a, const char *dir, cfile *clinic, cfile **articles, size_t *n, char *err,
                     size_t errlen)
{
	*articles = rc_arena_alloc(a, sizeof **articles * RC_CONTENT_MAX_ARTICLES);
	if (!*articles)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	*n = 0;
	clinic->name = NULL;
	if (!dir) {
		for (const rc_embedded *f = rc_embedded_content; f->name; f++) {
			cfile cf = {f->name, (const char *)f->data, f->len};
			if (strcmp(f->name, "clinic.json") == 0)
				*clinic = cf;
			else if (rc_has_prefix(f->name, "articles/") && *n < RC_CONTENT_MAX_ARTICLES)
				(*articles)[(*n)++] = cf;
		}
		return clinic->name ? RC_OK : rc_errf(err, errlen, RC_EINVAL, "built-in content has no clinic.json");
	}
	rc_err e = read_file(a, dir, "clinic.json", clinic, err, errlen);
	if (e)
		return e;
	char adir[4096];
	snprintf(adir, sizeof adir, "%s/articles", dir);
	DIR *d = opendir(adir);
	if (!d)
		return errno == ENOENT ? RC_OK : rc_errf(err, errlen, RC_EIO, "%s: %s", adir, strerror(errno));
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 4 || strcmp(de->d_name + l - 3, ".md") != 0)
			continue;
		if (*n == RC_CONTENT_MAX_ARTICLES) {
			closedir(d);
			return rc_errf(err, errlen, RC_ETOOBIG, "%s: more than %d articles", adir, RC_CONTENT_MAX_ARTICLES);
		}
		char rel[512];
		snprintf(rel, sizeof rel, "articles/%s", de->d_name);
		if ((e = read_file(a, dir, rel, &(*articles)[*n], err, errlen))) {
			closedir(d);
			return e;
		}
		(*n)++;
	}
	closedir(d);
	return RC_OK;
}

rc_err rc_content_load(const char *dir, rc_content **out, char *err, size_t errlen)
{
	*out = NULL;
	rc_content *c = calloc(1, sizeof *c);
	if (!c)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	rc_arena_init(&c->arena, 0);
	cfile clinic, *files;
	size_t nfiles;
	rc_err e = gather(&c->arena, dir, &clinic, &files, &nfiles, err, errlen);
	if (!e)
		e = parse_clinic(&c->arena, &clinic, &c->clinic, err, errlen);
	if (!e && !(c->articles = rc_arena_alloc(&c->arena, sizeof *c->articles * (nfiles + 1))))
		e = rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	for (size_t i = 0; !e && i < nfiles; i++) {
		const char *base = files[i].name + strlen("articles/");
		char slug[128];
		snprintf(slug, sizeof slug, "%.*s", (int)(strlen(base) - 3), base);
		e = rc_article_parse(&c->arena, files[i].name, slug, files[i].data, files[i].len,
		                     &c->articles[c->narticles++], err, errlen);
	}
	if (e) {
		rc_content_free(c);
		return e;
	}
	qsort(c->articles, c->narticles, sizeof *c->articles, by_date_desc);

	c->categories = rc_arena_alloc(&c->arena, sizeof *c->categories * (c->narticles + 2));
	/* Every clinic has these two, even before it writes anything in them. */
	const char *fixed[] = {"Blog", "Uncategorized"};
	for (size_t k = 0; k < 2; k++)
		c->categories[c->ncategories++] = (rc_category){fixed[k], category_slug(&c->arena, fixed[k]), 0};
	for (size_t i = 0; i < c->narticles; i++) {
		const rc_article *ar = &c->articles[i];
		size_t k;
		for (k = 0; k < c->ncategories; k++)
			if (strcmp(c->categories[k].slug, ar->category_slug) == 0)
				break;
		if (k == c->ncategories)
			c->categories[c->ncategories++] = (rc_category){ar->category, ar->category_slug, 0};
		c->categories[k].count++;
	}
	qsort(c->categories, c->ncategories, sizeof *c->categories, by_name);
	for (size_t i = 0; i < c->clinic.ntreats; i++) {
		const char *slug = c->clinic.treats[i].article;
		if (slug && !rc_content_article(c, slug)) {
			e = rc_errf(err, errlen, RC_EINVAL, "clinic.json: 'treats[%zu].article' names '%s', which is not in articles/",
			            i, slug);
			rc_content_free(c);
			return e;
		}
	}
	*out = c;
	return RC_OK;
}

void rc_content_free(rc_content *c)
{
	if (!c)
		return;
	rc_arena_free(&c->arena);
	free(c);
}

const rc_article *rc_content_article(const rc_content *c, const char *slug)
{
	for (size_t i = 0; i < c->narticles; i++)
		if (strcmp(c->articles[i].slug, slug) == 0)
			return &c->articles[i];
	return NULL;
}

const rc_category *rc_content_category(const rc_content *c, const char *slug)
{
	for (size_t i = 0; i < c->ncategories; i++)
		if (strcmp(c->categories[i].slug, slug) == 0)
			return &c->categories[i];
	return NULL;
}
