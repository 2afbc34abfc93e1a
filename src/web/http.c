/* http.c — libmicrohttpd glue: one rc_req per request with its own arena, body limits, central
 * form and cookie parsing, security headers, the access log, and a graceful stop. */
#include "web/http.h"

#include "app/app.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/embed.h"
#include "base/log.h"
#include "base/text.h"
#include "base/time.h"
#include "web/auth.h"
#include "web/html.h"

static const char security_csp[] =
	"default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/* --- pages for visitors who are not signed in --------------------------------------------------- */

enum { RC_PAGE_CACHE_MAX = 4096 };

/* Finished responses, headers and all, for RC_ROUTE_ANON_CACHE routes: libmicrohttpd may queue one
 * response object on many connections at once. Bounded by the content (pages × a few), and by
 * RC_PAGE_CACHE_MAX whatever happens. */
struct rc_page_cache {
	pthread_rwlock_t lock;
	size_t n;
	struct {
		uint64_t hash;
		char *path;
		struct MHD_Response *resp;
	} items[RC_PAGE_CACHE_MAX];
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct MHD_Response *cache_get(struct rc_page_cache *c, const char *path)
{
	uint64_t h = fnv1a(path);
	struct MHD_Response *found = NULL;
	pthread_rwlock_rdlock(&c->lock);
	for (size_t i = 0; i < c->n && !found; i++)
		if (c->items[i].hash == h && strcmp(c->items[i].path, path) == 0)
			found = c->items[i].resp;
	pthread_rwlock_unlock(&c->lock);
	return found;
}

/* Keeps resp (the cache then owns one reference) unless the path is there or the cache is full. */
static void cache_put(struct rc_page_cache *c, const char *path, struct MHD_Response *resp)
{
	uint64_t h = fnv1a(path);
	pthread_rwlock_wrlock(&c->lock);
	bool have = false;
	for (size_t i = 0; i < c->n && !have; i++)
		have = c->items[i].hash == h && strcmp(c->items[i].path, path) == 0;
	char *copy = have || c->n == RC_PAGE_CACHE_MAX ? NULL : strdup(path);
	if (copy) {
		c->items[c->n].hash = h;
		c->items[c->n].path = copy;
		c->items[c->n].resp = resp;
		c->n++;
	} else {
		MHD_destroy_response(resp);
	}
	pthread_rwlock_unlock(&c->lock);
}

/* --- static files ---------------------------------------------------------------------------- */

static const char *type_of(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},           {".png", "image/png"},
		{".ico", "image/x-icon"},            {".txt", "text/plain; charset=utf-8"},
		{".json", "application/json"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

rc_err rc_app_init(rc_app *app, const rc_config *cfg, rc_pool *pool, const rc_content *content)
{
	memset(app, 0, sizeof *app);
	app->cfg = cfg;
	app->pool = pool;
	app->content = content;
	size_t n = 0;
	while (rc_embedded_static[n].name)
		n++;
	app->statics = calloc(n ? n : 1, sizeof *app->statics);
	if (!app->statics)
		return RC_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const rc_embedded *e = &rc_embedded_static[i];
		rc_static_file *f = &app->statics[i];
		uint64_t h = 1469598103934665603ULL; /* FNV-1a: a content hash for the ETag */
		for (size_t k = 0; k < e->len; k++)
			h = (h ^ e->data[k]) * 1099511628211ULL;
		*f = (rc_static_file){e->name, type_of(e->name), e->data, e->len, {0}};
		snprintf(f->etag, sizeof f->etag, "\"%016llx\"", (unsigned long long)h);
		if (strcmp(e->name, "style.css") == 0)
			snprintf(app->css_version, sizeof app->css_version, "%.8s", f->etag + 9);
	}
	app->nstatics = n;
	if (!(app->page_cache = calloc(1, sizeof *app->page_cache)))
		return RC_ENOMEM;
	pthread_rwlock_init(&app->page_cache->lock, NULL);
	return RC_OK;
}

void rc_app_free(rc_app *app)
{
	free(app->statics);
	app->statics = NULL;
	if (app->page_cache) {
		for (size_t i = 0; i < app->page_cache->n; i++) {
			MHD_destroy_response(app->page_cache->items[i].resp);
			free(app->page_cache->items[i].path);
		}
		pthread_rwlock_destroy(&app->page_cache->lock);
		free(app->page_cache);
		app->page_cache = NULL;
	}
}

/* --- requests -------------------------------------------------------------------------------- */

void rc_req_header(rc_req *r, const char *name, const char *value)
{
	if (r->nheaders == RC_HTTP_MAX_RESP_HEADERS)
		rc_panic("more than %d response headers", RC_HTTP_MAX_RESP_HEADERS);
	r->headers[r->nheaders++] = (rc_resp_header){rc_arena_strdup(&r->arena, name),
	                                             rc_arena_strdup(&r->arena, value)};
}

rc_db *rc_req_db(rc_req *r)
{
	if (!r->db && r->app->pool)
		r->db = rc_pool_get(r->app->pool);
	return r->db;
}

const char *rc_req_form(rc_req *r, const char *name)
{
	/* Text fields only: a file part sent under a field's name is not that field's text (it may
	 * hold any bytes). Uploads are read with rc_form_field. */
	for (size_t i = 0; i < r->form.n; i++)
		if (!r->form.fields[i].filename && strcmp(r->form.fields[i].name, name) == 0)
			return r->form.fields[i].value;
	return NULL;
}

void rc_req_cookie(rc_req *r, const char *name, const char *value, int64_t max_age)
{
	char *c = rc_arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s", name, value,
	                          (long long)max_age, r->app->cfg->behind_tls ? "; Secure" : "");
	if (c)
		rc_req_header(r, "Set-Cookie", c);
}

const char *rc_req_csrf(rc_req *r)
{
	if (r->csrf[0])
		return r->csrf;
	const char *c = rc_form_get(&r->cookies, "rc_csrf");
	if (c && strlen(c) == RC_HEX_HASH) {
		snprintf(r->csrf, sizeof r->csrf, "%s", c);
		return r->csrf;
	}
	/* A visitor without a session gets a random token in a cookie; forms echo it back
	 * (double-submit). Once signed in, the session's own token replaces it. */
	char token[RC_TOKEN_CHARS + 1];
	rc_auth_token(token);
	rc_auth_token_hash(token, r->csrf);
	rc_req_cookie(r, "rc_csrf", r->csrf, RC_SESSION_ABSOLUTE_S);
	return r->csrf;
}

void rc_req_redirect(rc_req *r, const char *location)
{
	r->status = 303;
	rc_req_header(r, "Location", location);
	r->content_type = "text/plain; charset=utf-8";
	rc_buf_reset(&r->out);
	rc_buf_lit(&r->out, "See Other\n");
}

void rc_req_uc(rc_req *r, rc_uc *out)
{
	*out = (rc_uc){.db = rc_req_db(r), .now = r->now, .actor = &r->user, .address = r->remote, .arena = &r->arena};
}

void rc_req_audit(rc_req *r, const char *action, int64_t runner_id, const char *detail)
{
	rc_db *db = rc_req_db(r);
	if (!db || rc_audit_add(db, r->now, &r->user, action, runner_id, detail, r->remote))
		rc_error("audit: could not record %s for runner %lld: %s", action, (long long)runner_id,
		         db ? rc_db_errmsg(db) : "no database");
}

void rc_req_json(rc_req *r, unsigned status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(v);
	if (!text) {
		rc_page_error(r, 500, "The answer could not be written.");
		return;
	}
	r->status = status;
	r->content_type = "application/json";
	rc_buf_puts(&r->out, text);
	rc_buf_putc(&r->out, '\n');
	free(text);
}

const char *rc_req_in_header(rc_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *rc_req_query(rc_req *r, const char *name)
{
	return rc_form_get(&r->query, name);
}

static void req_free(rc_req *r)
{
	if (r->db)
		rc_pool_put(r->app->pool, r->db);
	rc_buf_free(&r->body);
	rc_buf_free(&r->out);
	rc_arena_free(&r->arena);
	free(r);
}

typedef struct {
	rc_req *r;
	size_t total;
	bool bad_utf8;
	const char *bad_name;
} header_walk;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	header_walk *w = cls;
	w->total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	header_walk *w = cls;
	const char *v = value ? value : "";
	if (!rc_utf8_valid(key, strlen(key)) || !rc_utf8_valid(v, strlen(v))) {
		w->bad_utf8 = true;
		return MHD_NO;
	}
	if (rc_form_add(&w->r->arena, &w->r->query, key, v, strlen(v)))
		return MHD_NO;
	return MHD_YES;
}

static bool path_is_clean(const char *path)
{
	if (path[0] != '/' || !rc_utf8_valid(path, strlen(path)))
		return false;
	for (const char *s = path; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == '\\')
			return false;
		/* No "." or ".." segment anywhere: nothing is served relative to a folder above. */
		if (s[0] == '/' && s[1] == '.' && (s[2] == '/' || s[2] == '\0' || (s[2] == '.' && (s[3] == '/' || s[3] == '\0'))))
			return false;
	}
	return true;
}

/* Whether this request gets the page every anonymous visitor gets. */
static bool anonymous_cacheable(rc_req *r)
{
	if (!r->route || !(r->route->flags & RC_ROUTE_ANON_CACHE) || r->query.n)
		return false;
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return false;
	const char *ck = rc_req_in_header(r, "Cookie");
	return !ck || !strstr(ck, "rc_session=");
}

static enum MHD_Result respond(rc_req *r)
{
	struct MHD_Connection *c = r->conn;
	struct MHD_Response *resp;
	if (r->out_static) {
		resp = MHD_create_response_from_buffer(r->out_static_len, (void *)r->out_static,
		                                       MHD_RESPMEM_PERSISTENT);
	} else {
		if (r->out.failed) {
			rc_error("response for %s %s exceeded %d bytes", r->method, r->path, RC_HTTP_MAX_PAGE);
			rc_buf_reset(&r->out);
			rc_page_error(r, 500, "This page grew too large to send.");
		}
		size_t len = 0;
		char *data = rc_buf_take(&r->out, &len);
		resp = MHD_create_response_from_buffer(len, data ? data : "", data ? MHD_RESPMEM_MUST_FREE
		                                                                 : MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", r->content_type ? r->content_type : "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy", security_csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	for (size_t i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
	bool cache_set = false;
	for (size_t i = 0; i < r->nheaders; i++)
		cache_set |= strcmp(r->headers[i].name, "Cache-Control") == 0;
	if (!cache_set)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	enum MHD_Result ok = MHD_queue_response(c, r->status ? r->status : 200, resp);
	if (ok == MHD_YES && (r->status == 0 || r->status == 200) && r->nheaders == 0 && !r->out_static &&
	    anonymous_cacheable(r))
		cache_put(r->app->page_cache, r->path, resp); /* the cache keeps our reference */
	else
		MHD_destroy_response(resp);
	return ok;
}

/* Answers at once with an error page, without reading the body. */
static enum MHD_Result refuse(rc_req *r, unsigned status, const char *detail)
{
	rc_buf_reset(&r->out);
	r->nheaders = 0;
	rc_page_error(r, status, detail);
	rc_req_header(r, "Connection", "close");
	return respond(r);
}

/* Who is asking, and may they? Decided here for every route from its table entry, so a page
 * cannot forget. Returns false when an error or redirect has been answered instead. */
static bool authorize(rc_req *r)
{
	const rc_route *rt = r->route;
	bool api = rt->flags & RC_ROUTE_API;
	const char *ck = rc_req_in_header(r, "Cookie");
	if (ck && rc_cookies_parse(&r->arena, ck, &r->cookies)) {
		rc_page_error(r, 500, "Out of memory.");
		return false;
	}
	if (!(rt->flags & RC_ROUTE_NO_SESSION)) {
		rc_db *db = rc_req_db(r);
		char hash[RC_HEX_HASH + 1];
		bool found = false;
		rc_err e = RC_OK;
		if (api) {
			/* The API takes bearer tokens only: a cookie riding along on a cross-site request
			 * authenticates nothing here. */
			const char *h = rc_req_in_header(r, "Authorization");
			if (h && rc_ascii_ieq(h, "Bearer ", 7) && strlen(h + 7) == RC_TOKEN_CHARS) {
				rc_auth_token_hash(h + 7, hash);
				e = rc_token_lookup(db, hash, &r->user, &found);
			}
		} else {
			const char *tok = rc_form_get(&r->cookies, "rc_session");
			if (tok && strlen(tok) == RC_TOKEN_CHARS) {
				rc_auth_token_hash(tok, hash);
				e = rc_session_lookup(db, hash, r->now, RC_SESSION_IDLE_S, RC_SESSION_ABSOLUTE_S, &r->user,
				                      r->csrf, &found);
				if (!e && found)
					snprintf(r->session_hash, sizeof r->session_hash, "%s", hash);
			}
		}
		if (e) {
			rc_error("auth lookup failed: %s", rc_db_errmsg(db));
			rc_page_error(r, 503, "The service is busy; try again in a moment.");
			return false;
		}
		if (!found)
			memset(&r->user, 0, sizeof r->user);
	}
	if (rt->access != RC_ACCESS_PUBLIC && !r->user.id) {
		if (api) {
			rc_req_header(r, "WWW-Authenticate", "Bearer");
			rc_page_error(r, 401, "Send a valid API token as 'Authorization: Bearer TOKEN'.");
		} else {
			rc_buf loc;
			rc_buf_init(&loc, 4096);
			rc_buf_lit(&loc, "/signin?next=");
			rc_html_url_arg(&loc, r->path);
			rc_req_redirect(r, loc.failed ? "/signin" : loc.data);
			rc_buf_free(&loc);
		}
		return false;
	}
	rc_role role = r->user.role;
	bool clinician = role == RC_ROLE_PRACTITIONER || role == RC_ROLE_ADMIN;
	if ((rt->access == RC_ACCESS_STAFF && !rc_role_is_staff(role)) ||
	    (rt->access == RC_ACCESS_RUNNER && role != RC_ROLE_RUNNER) ||
	    (rt->access == RC_ACCESS_ADMIN && role != RC_ROLE_ADMIN) ||
	    (rt->access == RC_ACCESS_CLINICIAN && !clinician) ||
	    (rt->access == RC_ACCESS_CHART && rc_role_is_staff(role) && !clinician)) {
		rc_page_error(r, 403, "Your account is not allowed to open this page.");
		return false;
	}
	if ((rt->access == RC_ACCESS_RUNNER_RECORD && !rc_role_is_staff(role)) ||
	    (rt->access == RC_ACCESS_CHART && !clinician)) {
		char *end = NULL;
		long long id = r->params[0] ? strtoll(r->params[0], &end, 10) : 0;
		int64_t owner = 0;
		if (r->params[0] && !*end && id > 0) {
			if (!rt->owner)
				owner = id;
			else if (rt->owner(rc_req_db(r), id, &owner))
				owner = 0;
		}
		if (owner == 0 || owner != r->user.id) {
			rc_page_error(r, 404, "There is no page at this address.");
			return false;
		}
	}
	bool safe = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	if (!safe && !api) {
		const char *given = rc_form_get(&r->form, "csrf");
		const char *expected = r->csrf[0] ? r->csrf : rc_form_get(&r->cookies, "rc_csrf");
		if (!given || !expected || strlen(expected) != RC_HEX_HASH || !rc_str_eq(given, expected)) {
			rc_page_error(r, 403, "This form has expired or did not come from this site. "
			                      "Go back, reload the page and try again.");
			return false;
		}
	}
	return true;
}

static void dispatch(rc_req *r)
{
	const char *ctype = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
	char err[256];
	if (r->body.len && ctype) {
		rc_err e = RC_OK;
		if (rc_ascii_ieq(ctype, "application/x-www-form-urlencoded", 33))
			e = rc_form_urlencoded(&r->arena, r->body.data, r->body.len, &r->form, err, sizeof err);
		else if (strlen(ctype) >= 19 && rc_ascii_ieq(ctype, "multipart/form-data", 19))
			e = rc_form_multipart(&r->arena, ctype, r->body.data, r->body.len, &r->form, err, sizeof err);
		if (e) {
			rc_page_error(r, e == RC_ETOOBIG ? 413 : 400, err);
			return;
		}
	}
	if (authorize(r))
		r->route->handler(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **con_cls)
{
	(void)version;
	rc_app *app = cls;
	rc_req *r = *con_cls;
	if (!r) {
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		*con_cls = r;
		app->inflight++;
		r->app = app;
		r->conn = c;
		r->started_ms = rc_time_ms();
		r->now = rc_time_now(); /* the one "now" of this request */
		rc_arena_init(&r->arena, RC_HTTP_REQ_ARENA);
		rc_buf_init(&r->out, RC_HTTP_MAX_PAGE);
		r->method = rc_arena_strdup(&r->arena, method);
		r->path = rc_arena_strdup(&r->arena, url);
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		char addr[INET6_ADDRSTRLEN] = "-";
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof addr);
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof addr);
		}
		r->remote = rc_arena_strdup(&r->arena, addr);
		if (!r->method || !r->path || !r->remote)
			return MHD_NO;

		header_walk w = {r, strlen(url) + strlen(method) + 12, false, NULL};
		MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &w);
		if (w.total > RC_HTTP_MAX_HEADER_BYTES)
			return refuse(r, 431, "The request's headers are larger than this server accepts.");
		if (!path_is_clean(r->path))
			return refuse(r, 400, "The address has a part this server does not accept "
			                      "(a '.' or '..' segment, a control character or text that is not UTF-8).");
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query, &w);
		if (w.bad_utf8)
			return refuse(r, 400, "A parameter in the address is not valid UTF-8 text.");

		char allowed[128];
		const char *params[RC_HTTP_MAX_PARAMS] = {0};
		r->route = rc_route_match(r->method, r->path, params, allowed, sizeof allowed);
		for (size_t i = 0; i < RC_HTTP_MAX_PARAMS; i++)
			r->params[i] = params[i] ? rc_arena_strdup(&r->arena, params[i]) : NULL;

		size_t max = (r->route && (r->route->flags & RC_ROUTE_UPLOAD)) ? RC_HTTP_MAX_UPLOAD : RC_HTTP_MAX_BODY;
		rc_buf_init(&r->body, max);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl) {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(cl, &end, 10);
			if (errno || *end || end == cl)
				return refuse(r, 400, "The Content-Length header is not a number.");
			if (n > max)
				return refuse(r, 413, "The request's body is larger than this server accepts here.");
		}
		if (!r->route) {
			if (allowed[0]) {
				rc_page_error(r, 405, "This address does not accept that method.");
				rc_req_header(r, "Allow", allowed);
				rc_req_header(r, "Connection", "close");
				return respond(r);
			}
			return refuse(r, 404, "There is no page at this address.");
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->body_too_big && rc_buf_put(&r->body, upload_data, *upload_size))
			r->body_too_big = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->body_too_big)
		return refuse(r, 413, "The request's body is larger than this server accepts here.");
	if (anonymous_cacheable(r)) {
		struct MHD_Response *hit = cache_get(app->page_cache, r->path);
		if (hit) {
			r->status = 200;
			return MHD_queue_response(c, 200, hit);
		}
	}
	dispatch(r);
	/* Give the connection back before the response goes out: one server thread interleaves many
	 * HTTP connections, and a connection held until a slow client has read its answer could leave
	 * every pooled connection parked on this thread while it waits in rc_pool_get for one. */
	if (r->db) {
		rc_pool_put(r->app->pool, r->db);
		r->db = NULL;
	}
	return respond(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)c;
	rc_app *app = cls;
	rc_req *r = *con_cls;
	if (!r)
		return;
	app->inflight--;
	/* One line per request; the query string is never logged (it may carry a token). */
	const char *shown = r->route && (r->route->flags & RC_ROUTE_SECRET) ? r->route->pattern : r->path;
	rc_info("%s %s %u %.1fms %s%s", r->method, shown, r->status ? r->status : 200,
	        rc_time_ms() - r->started_ms, r->remote, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	req_free(r);
	*con_cls = NULL;
}

/* --- the server ------------------------------------------------------------------------------ */

static rc_err parse_listen(const char *listen, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	memset(ss, 0, sizeof *ss);
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return rc_errf(err, errlen, RC_EINVAL, "--listen '%s' must be ADDRESS:PORT, e.g. 127.0.0.1:8080", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return rc_errf(err, errlen, RC_EINVAL, "--listen '%s': the port must be a number from 0 to 65535", listen);
	size_t hl = strlen(host);
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1)
			return RC_OK;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (strcmp(host, "localhost") == 0)
			snprintf(host, sizeof host, "127.0.0.1");
		if (inet_pton(AF_INET, host, &s4->sin_addr) == 1)
			return RC_OK;
	}
	return rc_errf(err, errlen, RC_EINVAL, "--listen '%s': '%s' is not an IP address", listen, host);
}

rc_err rc_http_check_listen(const char *listen, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	return parse_listen(listen, &ss, err, errlen);
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	rc_warn("http: %s", msg);
}

rc_err rc_http_serve(rc_app *app, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	rc_err e = parse_listen(app->cfg->listen, &ss, err, errlen);
	if (e)
		return e;
	/* Signals go to this thread alone (sigwait below); the server's threads inherit the mask. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned threads = app->cfg->threads ? app->cfg->threads : 1;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, (void *)app,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)RC_HTTP_CONN_MEMORY,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)RC_HTTP_CONN_TIMEOUT_S,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)app,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_END);
	if (!d)
		return rc_errf(err, errlen, RC_EIO, "cannot listen on %s: %s (is another server using that port?)",
		               app->cfg->listen, strerror(errno));
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char shown[160];
	snprintf(shown, sizeof shown, "%.*s:%u", (int)(strrchr(app->cfg->listen, ':') - app->cfg->listen),
	         app->cfg->listen, di ? di->port : 0);
	rc_info("runcare is serving on http://%s/ with %u threads; stop it with Ctrl-C", shown, threads);
	fflush(stdout);

	int sig = 0;
	sigwait(&set, &sig);
	rc_info("%s received: finishing the requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* Stop accepting; let requests already begun finish, up to a grace period. Idle keep-alive
	 * connections hold no request and are simply closed. */
	MHD_quiesce_daemon(d);
	double deadline = rc_time_ms() + RC_HTTP_STOP_GRACE_MS;
	while (rc_time_ms() < deadline && app->inflight > 0) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	rc_info("stopped");
	return RC_OK;
}
