/* http.c — libmicrohttpd glue: one rc_req per request with its own arena; who asks and whether they
 * may, decided from the headers before any body is read; body caps, a process-wide budget for bodies
 * and uploads spooled to disk; deadlines for headers and bodies, per-address and global connection
 * limits; the client behind a trusted proxy; central form and cookie parsing, security headers, the
 * access log, and a graceful stop. */
#include "web/http.h"

#include "app/account.h"
#include "app/app.h"
#include "app/ingest.h"
#include "app/jobs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/dl.h"
#include "base/embed.h"
#include "base/log.h"
#include "base/tempfile.h"
#include "base/text.h"
#include "base/time.h"
#include "web/auth.h"
#include "web/html.h"

/* libmicrohttpd, opened when a server starts (base/dl.h): only runcare serve (and the fuzz target
 * that is one) needs it and the TLS libraries it brings. */
#define MHD_FUNCTIONS(X) \
	X(add_connection, MHD_add_connection) \
	X(add_response_header, MHD_add_response_header) \
	X(create_response_from_buffer, MHD_create_response_from_buffer) \
	X(destroy_response, MHD_destroy_response) \
	X(get_connection_info, MHD_get_connection_info) \
	X(get_connection_values, MHD_get_connection_values) \
	X(get_daemon_info, MHD_get_daemon_info) \
	X(get_version, MHD_get_version) \
	X(queue_response, MHD_queue_response) \
	X(quiesce_daemon, MHD_quiesce_daemon) \
	X(run, MHD_run) \
	X(start_daemon, MHD_start_daemon) \
	X(stop_daemon, MHD_stop_daemon)
static struct {
	MHD_FUNCTIONS(RC_DL_POINTER)
} mhd;
#define MHD_SYM(member, fn) {#fn, (void **)&mhd.member},
static const rc_dl_sym mhd_syms[] = {MHD_FUNCTIONS(MHD_SYM)};
static rc_dl_lib libmhd = RC_DL_LIB("libmicrohttpd.so.12", "the web server (runcare serve)", "libmicrohttpd12", mhd_syms);

const char *rc_http_library_version(char *err, size_t errlen)
{
	return rc_dl_load(&libmhd, err, errlen) ? NULL : mhd.get_version();
}

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
		mhd.destroy_response(resp);
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

/* Drops every cached page (the server's threads must not be serving). */
static void cache_clear(struct rc_page_cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		mhd.destroy_response(c->items[i].resp);
		free(c->items[i].path);
	}
	c->n = 0;
}

void rc_app_free(rc_app *app)
{
	free(app->statics);
	app->statics = NULL;
	if (app->page_cache) {
		cache_clear(app->page_cache);
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
	for (size_t i = 0; i < r->in.n; i++)
		if (strcasecmp(r->in.fields[i].name, name) == 0)
			return r->in.fields[i].value;
	return NULL;
}

const char *rc_req_query(rc_req *r, const char *name)
{
	return rc_form_get(&r->query, name);
}

/* --- connections: deadlines, per-address and global limits ---------------------------------------- */

/* What a connection is waiting for, and so which deadline applies. */
enum conn_phase {
	PHASE_HEADER, /* a request header: RC_HTTP_HEADER_DEADLINE_S */
	PHASE_BODY,   /* a form or JSON body: RC_HTTP_BODY_DEADLINE_S */
	PHASE_UPLOAD, /* an upload body: RC_HTTP_UPLOAD_MIN_BYTES every upload_stall_s */
	PHASE_BUSY,   /* the handler and the response: only libmicrohttpd's idle timeout */
};

/* One TCP connection, from libmicrohttpd's "started" to its "closed" notification. */
struct rc_conn {
	struct rc_conn *prev, *next;
	int fd;
	rc_ip key;     /* the peer's per-address key */
	bool counted;  /* counted against key (a trusted proxy is not) */
	enum conn_phase phase;
	double since_ms;
	bool cut;      /* its deadline passed and the sweeper shut it down */
	_Atomic uint64_t received; /* body bytes of an upload so far (written by its request) */
	uint64_t span_bytes;       /* `received` when the current span of the stall rule began at since_ms */
};

typedef struct addr_count {
	rc_ip key;
	unsigned n;
} addr_count;

/* Everything the server counts across connections. One lock; the sweeper thread holds it once per
 * RC_HTTP_SWEEP_MS to walk the connections, the callbacks hold it for a few instructions. */
struct rc_http_guard {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	struct rc_conn *conns;
	size_t nconns, max_conns, hard_conns; /* open; ours; libmicrohttpd's (above ours) */
	size_t ncut;       /* open but already shut down, waiting for libmicrohttpd to close them */
	addr_count *addrs; /* addresses with a connection or a request in flight; at most addrs_cap */
	size_t naddrs, addrs_cap;
	rc_ip_list trusted;
	const char *upload_dir;
	size_t max_upload, spool_budget; /* the upload cap and RC_HTTP_SPOOL_BUDGET, from the settings */
	double stall_ms;                 /* the stall rule's span */
	atomic_size_t body_bytes, spool_bytes; /* RC_HTTP_BODY_BUDGET and RC_HTTP_SPOOL_BUDGET in use */
	unsigned long refused_address, refused_full, cut_header, cut_body, evicted; /* since the last report */
};

static bool ip_of_sockaddr(const struct sockaddr *sa, rc_ip *out)
{
	memset(out, 0, sizeof *out);
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET) {
		out->family = AF_INET;
		memcpy(out->a, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return true;
	}
	if (sa->sa_family != AF_INET6)
		return false;
	const unsigned char *a6 = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(a6, mapped, sizeof mapped) == 0) {
		out->family = AF_INET;
		memcpy(out->a, a6 + 12, 4);
	} else {
		out->family = AF_INET6;
		memcpy(out->a, a6, 16);
	}
	return true;
}

/* Under g->lock. */
static addr_count *addr_find(struct rc_http_guard *g, const rc_ip *key)
{
	for (size_t i = 0; i < g->naddrs; i++)
		if (rc_ip_equal(&g->addrs[i].key, key))
			return &g->addrs[i];
	return NULL;
}

/* Under g->lock: one more for key, unless it already has limit (0: no limit) or the table is full. */
static bool addr_acquire(struct rc_http_guard *g, const rc_ip *key, unsigned limit)
{
	addr_count *a = addr_find(g, key);
	if (a) {
		if (limit && a->n >= limit)
			return false;
		a->n++;
		return true;
	}
	if (g->naddrs == g->addrs_cap)
		return false;
	g->addrs[g->naddrs++] = (addr_count){*key, 1};
	return true;
}

static void addr_release(struct rc_http_guard *g, const rc_ip *key)
{
	addr_count *a = addr_find(g, key);
	if (a && --a->n == 0)
		*a = g->addrs[--g->naddrs];
}

static bool budget_take(atomic_size_t *used, size_t n, size_t cap)
{
	size_t cur = atomic_load(used);
	do {
		if (n > cap || cur > cap - n)
			return false;
	} while (!atomic_compare_exchange_weak(used, &cur, cur + n));
	return true;
}

/* Under g->lock: shuts a connection down; libmicrohttpd sees the end of the stream and closes it.
 * shutdown(), not close(): the descriptor stays libmicrohttpd's until its "closed" notification. */
static void conn_cut(struct rc_http_guard *g, struct rc_conn *k)
{
	shutdown(k->fd, SHUT_RDWR);
	k->cut = true;
	g->ncut++;
}

/* Under g->lock: with the server full, the connection that has waited longest for a header it has
 * not finished (a slowloris, or an idle kept-alive connection) makes room for a new client, so
 * holding every slot open with slow headers does not lock anyone out. False when none has waited
 * RC_HTTP_EVICT_AFTER_MS: every slot is doing real work, and the newcomer is refused. */
static bool evict_one(struct rc_http_guard *g)
{
	double now = rc_time_ms();
	struct rc_conn *oldest = NULL;
	for (struct rc_conn *k = g->conns; k; k = k->next)
		if (k->phase == PHASE_HEADER && !k->cut && k->fd >= 0 && now - k->since_ms >= RC_HTTP_EVICT_AFTER_MS &&
		    (!oldest || k->since_ms < oldest->since_ms))
			oldest = k;
	if (!oldest)
		return false;
	conn_cut(g, oldest);
	g->evicted++;
	return true;
}

/* libmicrohttpd asks before it sets up a connection: MHD_NO closes the socket at once, so a client
 * past a limit is refused in microseconds instead of waiting in the backlog. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *sa, socklen_t len)
{
	(void)len;
	struct rc_http_guard *g = cls;
	rc_ip ip;
	bool known = ip_of_sockaddr(sa, &ip);
	pthread_mutex_lock(&g->lock);
	bool ok = true;
	if (known && !rc_ip_list_has(&g->trusted, &ip)) {
		rc_ip key = rc_ip_limit_key(&ip);
		addr_count *a = addr_find(g, &key);
		if (a && a->n >= RC_HTTP_MAX_PER_ADDRESS) {
			ok = false;
			g->refused_address++;
		}
	}
	if (ok && (g->nconns >= g->hard_conns || (g->nconns - g->ncut >= g->max_conns && !evict_one(g)))) {
		ok = false;
		g->refused_full++;
	}
	pthread_mutex_unlock(&g->lock);
	return ok ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	struct rc_http_guard *g = cls;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		struct rc_conn *k = *socket_context;
		if (!k)
			return;
		pthread_mutex_lock(&g->lock);
		if (k->prev)
			k->prev->next = k->next;
		else
			g->conns = k->next;
		if (k->next)
			k->next->prev = k->prev;
		g->nconns--;
		if (k->cut)
			g->ncut--;
		if (k->counted)
			addr_release(g, &k->key);
		pthread_mutex_unlock(&g->lock);
		free(k);
		*socket_context = NULL;
		return;
	}
	const union MHD_ConnectionInfo *fd = mhd.get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *ad = mhd.get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct rc_conn *k = calloc(1, sizeof *k);
	if (!k) {
		/* No way to keep its deadline: better no connection than one without. */
		if (fd)
			shutdown(fd->connect_fd, SHUT_RDWR);
		return;
	}
	k->fd = fd ? fd->connect_fd : -1;
	k->phase = PHASE_HEADER;
	k->since_ms = rc_time_ms();
	rc_ip ip;
	bool known = ad && ip_of_sockaddr(ad->client_addr, &ip);
	pthread_mutex_lock(&g->lock);
	if (known && !rc_ip_list_has(&g->trusted, &ip)) {
		k->key = rc_ip_limit_key(&ip);
		k->counted = addr_acquire(g, &k->key, 0);
	}
	k->next = g->conns;
	if (g->conns)
		g->conns->prev = k;
	g->conns = k;
	g->nconns++;
	pthread_mutex_unlock(&g->lock);
	*socket_context = k;
}

static struct rc_conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = mhd.get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Starts the next phase's clock; false when the sweeper has already cut the connection. */
static bool conn_phase(struct rc_http_guard *g, struct rc_conn *k, enum conn_phase phase)
{
	if (!k)
		return true;
	pthread_mutex_lock(&g->lock);
	bool alive = !k->cut;
	k->phase = phase;
	k->since_ms = rc_time_ms();
	pthread_mutex_unlock(&g->lock);
	return alive;
}

/* A whole response written straight to the socket, for the moments libmicrohttpd cannot queue one:
 * in the middle of a body (a cap or a budget passed) or from the sweeper (a deadline passed). The
 * write side is shut after it, so the client reads it and then the end of the stream. */
static void raw_answer(int fd, unsigned status, const char *reason, const char *detail)
{
	if (fd < 0)
		return;
	char retry[40] = "";
	if (status == 503)
		snprintf(retry, sizeof retry, "Retry-After: %d\r\n", RC_HTTP_RETRY_AFTER_S);
	char msg[1024];
	int n = snprintf(msg, sizeof msg,
	                 "HTTP/1.1 %u %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
	                 "Connection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
	                 "Content-Security-Policy: %s\r\n%s\r\n%s\n",
	                 status, reason, strlen(detail) + 1, security_csp, retry, detail);
	/* Best effort: a client that reads nothing misses only an explanation. */
	if (n > 0 && (size_t)n < sizeof msg && send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		errno = 0;
	shutdown(fd, SHUT_WR);
}

static void *sweep(void *arg)
{
	struct rc_http_guard *g = arg;
	double reported = rc_time_ms();
	pthread_mutex_lock(&g->lock);
	while (!g->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += RC_HTTP_SWEEP_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&g->wake, &g->lock, &ts);
		double now = rc_time_ms();
		for (struct rc_conn *k = g->conns; k; k = k->next) {
			double limit = k->phase == PHASE_HEADER   ? RC_HTTP_HEADER_DEADLINE_S * 1000.0
			               : k->phase == PHASE_BODY   ? RC_HTTP_BODY_DEADLINE_S * 1000.0
			               : k->phase == PHASE_UPLOAD ? g->stall_ms
			                                          : 0;
			if (!limit || k->cut || now - k->since_ms < limit || k->fd < 0)
				continue;
			if (k->phase == PHASE_UPLOAD) {
				/* An upload has no deadline of its own: each span must bring enough bytes, so a big
				 * one on a slow line goes on, and one that stalls (or trickles) is cut. */
				uint64_t got = atomic_load(&k->received);
				if (got - k->span_bytes >= RC_HTTP_UPLOAD_MIN_BYTES) {
					k->span_bytes = got;
					k->since_ms = now;
					continue;
				}
				raw_answer(k->fd, 408, "Request Timeout",
				           "The upload stalled: too little of it arrived in the last minute. Try again on a "
				           "steadier connection; an upload may take as long as it needs while it moves.");
				g->cut_body++;
				conn_cut(g, k);
				continue;
			}
			/* A header that is not complete gets no answer (on a kept-alive connection it may not
			 * even have begun); a request whose body is late is told why. */
			if (k->phase == PHASE_HEADER) {
				g->cut_header++;
			} else {
				raw_answer(k->fd, 408, "Request Timeout",
				           "The request's body did not arrive in time; try again on a faster connection.");
				g->cut_body++;
			}
			conn_cut(g, k);
		}
		/* One line a while for what was refused or cut, not one per connection an attack opens. */
		if (now - reported >= 10000.0 &&
		    (g->refused_address || g->refused_full || g->cut_header || g->cut_body || g->evicted)) {
			unsigned long ra = g->refused_address, rf = g->refused_full, ch = g->cut_header, cb = g->cut_body,
			              ev = g->evicted;
			size_t open = g->nconns;
			g->refused_address = g->refused_full = g->cut_header = g->cut_body = g->evicted = 0;
			reported = now;
			pthread_mutex_unlock(&g->lock);
			rc_warn("http: in the last 10 s, refused %lu connections (%lu from an address with %d open, "
			        "%lu with the server full at %zu); closed %lu without a whole header in %d s, %lu with "
			        "a late body, and %lu slow headers to make room; %zu open",
			        ra + rf, ra, RC_HTTP_MAX_PER_ADDRESS, rf, g->max_conns, ch, RC_HTTP_HEADER_DEADLINE_S, cb,
			        ev, open);
			pthread_mutex_lock(&g->lock);
		}
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

/* How many connections fit the descriptor limit. Each may hold its socket and an upload spool, and
 * libmicrohttpd may hold a quarter more than ours while evicted ones close: 2.25 descriptors each.
 * The soft limit is raised towards the hard one first. */
static size_t connection_cap(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 256;
	rlim_t want = 3 * RC_HTTP_MAX_CONNECTIONS + 4 * RC_HTTP_FD_RESERVE;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	size_t fds = rl.rlim_cur == RLIM_INFINITY ? (size_t)want : (size_t)rl.rlim_cur;
	size_t cap = fds > 2 * RC_HTTP_FD_RESERVE ? (fds - RC_HTTP_FD_RESERVE) / 9 * 4 : 0;
	return cap < RC_HTTP_MAX_CONNECTIONS ? cap : RC_HTTP_MAX_CONNECTIONS;
}

static void guard_free(struct rc_http_guard *g)
{
	if (!g)
		return;
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->wake);
	free(g->addrs);
	free(g);
}

/* --- request bodies -------------------------------------------------------------------------------- */

/* An unlinked file in dir, mode 0600: nobody else can open it, and it is gone when closed. */
static int spool_open(const char *dir)
{
	return rc_temp_open(dir);
}

/* What rc_buf's doubling may have allocated once it holds need bytes (its growth, from 256). */
static size_t buf_bound(size_t need, size_t max)
{
	size_t cap = need <= 128 ? 256 : 2 * need;
	return cap > max + 1 ? max + 1 : cap;
}

/* Takes what this request holds up to `want` bytes from its budget; false when the budget is spent. */
static bool body_reserve(rc_req *r, size_t want)
{
	if (want <= r->body_reserved)
		return true;
	struct rc_http_guard *g = r->app->guard;
	bool spool = r->spool_fd >= 0;
	if (!budget_take(spool ? &g->spool_bytes : &g->body_bytes, want - r->body_reserved,
	                 spool ? g->spool_budget : (size_t)RC_HTTP_BODY_BUDGET))
		return false;
	r->body_reserved = want;
	return true;
}

/* A refusal in the middle of a body: answered on the socket, and MHD_NO closes the connection, so not
 * one more byte of the body is read. */
static enum MHD_Result cut(rc_req *r, unsigned status, const char *reason, const char *detail)
{
	r->status = status;
	const union MHD_ConnectionInfo *ci = mhd.get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	raw_answer(ci ? ci->connect_fd : -1, status, reason, detail);
	return MHD_NO;
}

static void req_free(rc_req *r)
{
	if (r->db)
		rc_pool_put(r->app->pool, r->db);
	struct rc_http_guard *g = r->app->guard;
	if (r->spool_map)
		munmap(r->spool_map, r->spool_len);
	if (r->body_reserved)
		atomic_fetch_sub(r->spool_fd >= 0 ? &g->spool_bytes : &g->body_bytes, r->body_reserved);
	if (r->spool_fd >= 0)
		close(r->spool_fd);
	if (r->client_counted) {
		pthread_mutex_lock(&g->lock);
		addr_release(g, &r->client_key);
		pthread_mutex_unlock(&g->lock);
	}
	rc_buf_free(&r->body);
	rc_buf_free(&r->out);
	rc_arena_free(&r->arena);
	free(r);
}

/* --- requests -------------------------------------------------------------------------------------- */

typedef struct {
	rc_req *r;
	size_t total;
	bool bad_utf8, failed;
} header_walk;

/* Counts the headers' bytes, and keeps them in r->in while they are within the limit (past it the
 * request is refused 431 and nothing reads them). */
static enum MHD_Result copy_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	header_walk *w = cls;
	const char *v = value ? value : "";
	w->total += strlen(key) + strlen(v) + 4;
	if (w->total <= RC_HTTP_MAX_HEADER_BYTES && rc_form_add(&w->r->arena, &w->r->in, key, v, strlen(v)))
		w->failed = true;
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

/* Every header of that name, in order, joined by sep (a client may send Cookie or X-Forwarded-For
 * more than once; reading only the first would let the second say something no check saw). NULL
 * when there is none. In the arena; bounded by RC_HTTP_MAX_HEADER_BYTES, checked before. */
static const char *join_header(rc_req *r, const char *name, const char *sep)
{
	rc_buf b;
	rc_buf_init(&b, RC_HTTP_MAX_HEADER_BYTES);
	for (size_t i = 0; i < r->in.n; i++)
		if (strcasecmp(r->in.fields[i].name, name) == 0) {
			if (b.len)
				rc_buf_puts(&b, sep);
			rc_buf_puts(&b, r->in.fields[i].value);
		}
	const char *out = b.len && !b.failed ? rc_arena_strndup(&r->arena, b.data, b.len) : NULL;
	rc_buf_free(&b);
	return out;
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

/* Whether this request gets the page every anonymous visitor gets. The cookies are those the session
 * lookup read (one parser, one parse): a jar that names a session in any spelling never shares. */
static bool anonymous_cacheable(rc_req *r)
{
	if (!r->route || !(r->route->flags & RC_ROUTE_ANON_CACHE) || r->query.n)
		return false;
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return false;
	return r->user.id == 0 && !r->session_hash[0] && !rc_cookies_session_like(&r->cookies);
}

static enum MHD_Result respond(rc_req *r)
{
	struct MHD_Connection *c = r->conn;
	struct MHD_Response *resp;
	if (r->out_static) {
		resp = mhd.create_response_from_buffer(r->out_static_len, (void *)r->out_static,
		                                       MHD_RESPMEM_PERSISTENT);
	} else {
		if (r->out.failed) {
			rc_error("response for %s %s exceeded %d bytes", r->method, r->path, RC_HTTP_MAX_PAGE);
			rc_buf_reset(&r->out);
			rc_page_error(r, 500, "This page grew too large to send.");
		}
		size_t len = 0;
		char *data = rc_buf_take(&r->out, &len);
		resp = mhd.create_response_from_buffer(len, data ? data : "", data ? MHD_RESPMEM_MUST_FREE
		                                                                 : MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	mhd.add_response_header(resp, "Content-Type", r->content_type ? r->content_type : "text/html; charset=utf-8");
	mhd.add_response_header(resp, "Content-Security-Policy", security_csp);
	mhd.add_response_header(resp, "X-Content-Type-Options", "nosniff");
	mhd.add_response_header(resp, "Referrer-Policy", "same-origin");
	mhd.add_response_header(resp, "X-Frame-Options", "DENY");
	for (size_t i = 0; i < r->nheaders; i++)
		mhd.add_response_header(resp, r->headers[i].name, r->headers[i].value);
	bool cache_set = false;
	for (size_t i = 0; i < r->nheaders; i++)
		cache_set |= strcmp(r->headers[i].name, "Cache-Control") == 0;
	if (!cache_set)
		mhd.add_response_header(resp, "Cache-Control", "no-store");
	enum MHD_Result ok = mhd.queue_response(c, r->status ? r->status : 200, resp);
	if (ok == MHD_YES && (r->status == 0 || r->status == 200) && r->nheaders == 0 && !r->out_static &&
	    anonymous_cacheable(r))
		cache_put(r->app->page_cache, r->path, resp); /* the cache keeps our reference */
	else
		mhd.destroy_response(resp);
	return ok;
}

static void retry_after(rc_req *r)
{
	char s[16];
	snprintf(s, sizeof s, "%d", RC_HTTP_RETRY_AFTER_S);
	rc_req_header(r, "Retry-After", s);
}

/* Answers at once with an error page. On the first call no body has been read: libmicrohttpd then
 * discards whatever was announced and closes the connection after the answer. */
static enum MHD_Result refuse(rc_req *r, unsigned status, const char *detail)
{
	rc_buf_reset(&r->out);
	r->nheaders = 0;
	rc_page_error(r, status, detail);
	if (status == 503 || status == 429)
		retry_after(r);
	rc_req_header(r, "Connection", "close");
	return respond(r);
}

/* Who is asking, and may they? Decided for every route from its table entry, from the headers alone,
 * before a byte of the body is read — so a page cannot forget, and nobody who may not call a route
 * can make the server hold a body for it. Returns false when an error or redirect has been written
 * into r instead. The CSRF token travels in the body, so it is checked later (csrf_ok). */
static bool authorize(rc_req *r)
{
	const rc_route *rt = r->route;
	bool api = rt->flags & RC_ROUTE_API;
	if (!(rt->flags & RC_ROUTE_NO_SESSION)) {
		char hash[RC_HEX_HASH + 1];
		bool found = false, asked = false;
		rc_err e = RC_OK;
		/* FHIR reads (GET only, so no cross-site request changes anything) take a bearer token when
		 * one is sent, and otherwise the browser's session, so a runner can open their own record. */
		const char *auth = rc_req_in_header(r, "Authorization");
		bool bearer = api || ((rt->flags & RC_ROUTE_FHIR) && auth);
		if (bearer) {
			/* The API takes bearer tokens only: a cookie riding along on a cross-site request
			 * authenticates nothing here. */
			const char *h = auth;
			if (h && rc_ascii_ieq(h, "Bearer ", 7) && strlen(h + 7) == RC_TOKEN_CHARS) {
				rc_auth_token_hash(h + 7, hash);
				asked = true;
				e = rc_req_db(r) ? rc_token_lookup(r->db, hash, r->now, &r->user, &found) : RC_EIO;
			}
		} else {
			const char *tok = rc_form_get(&r->cookies, "rc_session");
			if (tok && strlen(tok) == RC_TOKEN_CHARS) {
				rc_auth_token_hash(tok, hash);
				asked = true;
				e = rc_req_db(r) ? rc_session_lookup(r->db, hash, r->now, RC_SESSION_IDLE_S, RC_SESSION_ABSOLUTE_S,
				                                     &r->user, r->csrf, &found)
				                 : RC_EIO;
				if (!e && found)
					snprintf(r->session_hash, sizeof r->session_hash, "%s", hash);
			}
		}
		if (asked && e) {
			rc_error("auth lookup failed: %s", r->db ? rc_db_errmsg(r->db) : "no database");
			rc_page_error(r, 503, "The service is busy; try again in a moment.");
			retry_after(r);
			return false;
		}
		if (!found)
			memset(&r->user, 0, sizeof r->user);
	}
	if (rt->access != RC_ACCESS_PUBLIC && !r->user.id) {
		if (api || (rt->flags & RC_ROUTE_FHIR)) {
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
	/* Clinicians: who writes and reads every patient's clinical record (a runner reads their own only). */
	bool clinician = role == RC_ROLE_PRACTITIONER || role == RC_ROLE_ADMIN;
	if ((rt->access == RC_ACCESS_STAFF && !rc_role_is_staff(role)) ||
	    (rt->access == RC_ACCESS_RUNNER && role != RC_ROLE_RUNNER) ||
	    (rt->access == RC_ACCESS_ADMIN && role != RC_ROLE_ADMIN) ||
	    (rt->access == RC_ACCESS_CLINICIAN && !clinician) ||
	    (rt->access == RC_ACCESS_DESK && !rc_role_handles_money(role)) ||
	    ((rt->access == RC_ACCESS_CLINICAL_RECORD || rt->access == RC_ACCESS_CHART) && rc_role_is_staff(role) &&
	     !clinician)) {
		rc_page_error(r, 403, rt->access == RC_ACCESS_DESK
		                          ? "Invoices, payments and the day's close are the front desk's: ask the front desk "
		                            "or an administrator."
		                          : "Your account is not allowed to open this page.");
		return false;
	}
	if (rc_auth_scope_refusal(&r->user, r->method))
		return rc_page_error(r, 403, rc_auth_scope_refusal(&r->user, r->method)), false;
	if ((rt->access == RC_ACCESS_RUNNER_RECORD || rt->access == RC_ACCESS_CLINICAL_RECORD ||
	     rt->access == RC_ACCESS_CHART) && !rc_role_is_staff(role)) {
		char *end = NULL;
		long long id = r->params[0] ? strtoll(r->params[0], &end, 10) : 0;
		int64_t owner = 0;
		if (r->params[0] && !*end && id > 0) {
			if (!rt->owner)
				owner = id;
			else if (!rc_req_db(r) || rt->owner(r->db, id, &owner))
				owner = 0;
		}
		if (owner == 0 || owner != r->user.id) {
			rc_page_error(r, 404, "There is no page at this address.");
			return false;
		}
	}
	return true;
}

/* A form that changes something must carry this site's token (the session's, or a visitor's cookie). */
static bool csrf_ok(rc_req *r)
{
	bool safe = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	if (safe || (r->route->flags & RC_ROUTE_API))
		return true;
	const char *given = rc_form_get(&r->form, "csrf");
	const char *expected = r->csrf[0] ? r->csrf : rc_form_get(&r->cookies, "rc_csrf");
	if (!given || !expected || strlen(expected) != RC_HEX_HASH || !rc_str_eq(given, expected)) {
		rc_page_error(r, 403, "This form has expired or did not come from this site. "
		                      "Go back, reload the page and try again.");
		return false;
	}
	return true;
}

/* The multipart scan's word that a spooled body's first upto bytes are behind it. */
static void spool_seen(void *ctx, size_t upto)
{
	rc_req *r = ctx;
	rc_pages_drop(r->spool_map, upto);
}

rc_req_release_fn rc_req_upload_release(const rc_req *r)
{
	return r->spool_map ? rc_pages_drop : NULL;
}

/* The share of the spool budget a handed-over upload keeps until it is stored. */
typedef struct {
	struct rc_http_guard *g;
	size_t bytes;
} spool_share;

static void spool_share_done(void *ctx)
{
	spool_share *s = ctx;
	atomic_fetch_sub(&s->g->spool_bytes, s->bytes);
	free(s);
}

bool rc_req_upload_hand_over(rc_req *r, int64_t job, const rc_import_upload *files, int n)
{
	rc_import_ingest *ing = r->app->ingest;
	if (!ing || !r->spool_map || n <= 0)
		return false;
	rc_ingest_file *where = rc_arena_alloc(&r->arena, (size_t)n * sizeof *where);
	spool_share *share = malloc(sizeof *share);
	int fd = share && where ? fcntl(r->spool_fd, F_DUPFD_CLOEXEC, 0) : -1;
	if (fd < 0) {
		free(share);
		return false;
	}
	const unsigned char *base = r->spool_map;
	for (int i = 0; i < n; i++) {
		if (files[i].data < base || files[i].len > r->spool_len ||
		    (size_t)(files[i].data - base) > r->spool_len - files[i].len) {
			close(fd);
			free(share);
			return false; /* not in the spool: the caller stores it */
		}
		where[i] = (rc_ingest_file){files[i].name, (size_t)(files[i].data - base), files[i].len};
	}
	/* The request's share of the spool budget goes with the file: released once it is stored. */
	*share = (spool_share){r->app->guard, r->body_reserved};
	r->body_reserved = 0;
	return rc_import_ingest_hand(ing, job, fd, r->spool_len, where, n, spool_share_done, share);
}

static void dispatch(rc_req *r)
{
	const char *ctype = rc_req_in_header(r, "Content-Type");
	const char *data = r->spool_fd >= 0 ? r->spool_map : r->body.data;
	size_t len = r->spool_fd >= 0 ? r->spool_len : r->body.len;
	char err[256];
	if (len && ctype) {
		rc_err e = RC_OK;
		if (rc_ascii_ieq(ctype, "application/x-www-form-urlencoded", 33))
			e = rc_form_urlencoded(&r->arena, data, len, &r->form, err, sizeof err);
		else if (strlen(ctype) >= 19 && rc_ascii_ieq(ctype, "multipart/form-data", 19))
			e = rc_form_multipart_paced(&r->arena, ctype, data, len, &r->form, r->spool_map ? spool_seen : NULL, r,
			                            err, sizeof err);
		if (e == RC_ENOMEM) {
			rc_page_error(r, 503, "The server is short of memory for this form just now; try again in a moment.");
			retry_after(r);
			return;
		}
		if (e) {
			rc_page_error(r, e == RC_ETOOBIG ? 413 : 400, err);
			return;
		}
	}
	if (csrf_ok(r))
		r->route->handler(r);
}

/* The route for the request's method and path, with its parameters in the arena; when there is none,
 * allowed lists the methods the path takes ("" when none). */
static const rc_route *match_route(rc_req *r, char *allowed, size_t allowed_len)
{
	const char *params[RC_HTTP_MAX_PARAMS] = {0};
	r->route = rc_route_match(r->method, r->path, params, allowed, allowed_len);
	for (size_t i = 0; i < RC_HTTP_MAX_PARAMS; i++)
		r->params[i] = params[i] ? rc_arena_strdup(&r->arena, params[i]) : NULL;
	return r->route;
}

long long rc_http_upload_cap(const rc_config *cfg)
{
	return cfg && cfg->max_upload > 0 && cfg->max_upload < RC_HTTP_MAX_UPLOAD ? cfg->max_upload : RC_HTTP_MAX_UPLOAD;
}

void rc_http_size_words(long long bytes, char *out, size_t n)
{
	if (bytes >= (1LL << 30) && bytes % (1LL << 30) == 0)
		snprintf(out, n, "%lld GB", bytes >> 30);
	else
		snprintf(out, n, "%lld MB", bytes >> 20);
}

/* The 413's sentence: an upload's names the limit in words. */
static const char *too_large(rc_req *r)
{
	if (r->body_max == RC_HTTP_MAX_BODY)
		return "The request's body is larger than this server accepts here.";
	char size[32], *text = rc_arena_alloc(&r->arena, 300);
	rc_http_size_words((long long)r->body_max, size, sizeof size);
	if (!text)
		return "This upload is larger than this server accepts.";
	snprintf(text, 300,
	         "This upload is larger than %s, the most this server takes in one upload; upload the export in "
	         "parts, or ask the clinic to import it with runcare import.",
	         size);
	return text;
}

/* The first call: the headers are all there and no byte of the body has been read. Everything that
 * can be refused is refused here — bad headers, an unknown route, a body over the route's cap, who
 * asks and whether they may, a full budget — so a refusal costs no body. */
static enum MHD_Result begin(rc_app *app, rc_req *r, struct MHD_Connection *c, const char *url, const char *method)
{
	struct rc_http_guard *g = app->guard;
	r->app = app;
	r->conn = c;
	r->spool_fd = -1;
	r->started_ms = rc_time_ms();
	r->now = rc_time_now(); /* the one "now" of this request */
	rc_arena_init(&r->arena, RC_HTTP_REQ_ARENA);
	rc_buf_init(&r->out, RC_HTTP_MAX_PAGE);
	rc_buf_init(&r->body, RC_HTTP_MAX_BODY);
	r->method = rc_arena_strdup(&r->arena, method);
	r->path = rc_arena_strdup(&r->arena, url);
	const union MHD_ConnectionInfo *ci = mhd.get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	rc_ip peer;
	ip_of_sockaddr(ci ? ci->client_addr : NULL, &peer);
	char addr[INET6_ADDRSTRLEN];
	rc_ip_format(&peer, addr, sizeof addr);
	r->remote = rc_arena_strdup(&r->arena, addr);
	if (!r->method || !r->path || !r->remote)
		return MHD_NO;
	r->conn_state = conn_of(c);
	if (!conn_phase(g, r->conn_state, PHASE_BUSY))
		return MHD_NO; /* its header deadline passed a moment ago */

	header_walk w = {.r = r, .total = strlen(url) + strlen(method) + 12};
	mhd.get_connection_values(c, MHD_HEADER_KIND, copy_header, &w);
	if (w.total > RC_HTTP_MAX_HEADER_BYTES)
		return refuse(r, 431, "The request's headers are larger than this server accepts.");
	if (w.failed)
		return refuse(r, 503, "The server is short of memory just now; try again in a moment.");

	/* Behind a trusted proxy the client is who the proxy says; from anyone else the header is noise. */
	bool via_proxy = rc_ip_list_has(&g->trusted, &peer);
	rc_ip client = peer;
	if (via_proxy) {
		client = rc_forwarded_client(&peer, join_header(r, "X-Forwarded-For", ","), &g->trusted);
		rc_ip_format(&client, addr, sizeof addr);
		if (!(r->remote = rc_arena_strdup(&r->arena, addr)))
			return MHD_NO;
	}

	if (!path_is_clean(r->path))
		return refuse(r, 400, "The address has a part this server does not accept "
		                      "(a '.' or '..' segment, a control character or text that is not UTF-8).");
	mhd.get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query, &w);
	if (w.bad_utf8)
		return refuse(r, 400, "A parameter in the address is not valid UTF-8 text.");

	char allowed[128];
	match_route(r, allowed, sizeof allowed);

	/* The body's cap, from the route and the headers. Only a multipart form to an upload route is
	 * spooled and may be large; anything else anywhere is a form or JSON held in memory. */
	const char *ctype = rc_req_in_header(r, "Content-Type");
	bool spool = r->route && (r->route->flags & RC_ROUTE_UPLOAD) && ctype && strlen(ctype) >= 19 &&
	             rc_ascii_ieq(ctype, "multipart/form-data", 19);
	r->body_max = spool ? g->max_upload : RC_HTTP_MAX_BODY;
	const char *cl = rc_req_in_header(r, "Content-Length");
	unsigned long long announced = 0;
	if (cl) {
		char *end;
		errno = 0;
		announced = strtoull(cl, &end, 10);
		if (errno || *end || end == cl || cl[0] == '-')
			return refuse(r, 400, "The Content-Length header is not a number.");
		if (announced > r->body_max)
			return refuse(r, 413, too_large(r));
	}
	/* chunked is the one transfer coding libmicrohttpd reads. Under any other (or chunked twice) the end
	 * of the body is unknown: libmicrohttpd waited for the connection to close, answering nothing until
	 * the body deadline cut it. RFC 9112 6.3: answer 400 and close. */
	const char *te = join_header(r, "Transfer-Encoding", ", ");
	if (te && strcasecmp(te, "chunked") != 0)
		return refuse(r, 400, "The request's Transfer-Encoding is not one this server reads (only chunked).");
	r->has_body = announced > 0 || te;
	if (!r->route) {
		if (allowed[0]) {
			rc_page_error(r, 405, "This address does not accept that method.");
			rc_req_header(r, "Allow", allowed);
			rc_req_header(r, "Connection", "close");
			return respond(r);
		}
		return refuse(r, 404, "There is no page at this address.");
	}

	/* One client behind the proxy gets as many requests in flight as one address gets connections. */
	if (via_proxy && !rc_ip_list_has(&g->trusted, &client)) {
		rc_ip key = rc_ip_limit_key(&client);
		pthread_mutex_lock(&g->lock);
		bool ok = addr_acquire(g, &key, RC_HTTP_MAX_PER_ADDRESS);
		pthread_mutex_unlock(&g->lock);
		if (!ok)
			return refuse(r, 429, "Too many requests from your address at once; try again in a moment.");
		r->client_key = key;
		r->client_counted = true;
	}

	const char *ck = join_header(r, "Cookie", "; ");
	if (ck && rc_cookies_parse(&r->arena, ck, &r->cookies))
		return refuse(r, 503, "The server is short of memory just now; try again in a moment.");
	bool allowed_in = authorize(r);
	/* The pooled database connection goes back now: a body may take minutes to arrive. */
	if (r->db) {
		rc_pool_put(app->pool, r->db);
		r->db = NULL;
	}
	if (!allowed_in) {
		/* With a body announced, answer now: libmicrohttpd discards the body and closes. Without
		 * one, answer on the last call, which keeps the connection for the next request. */
		if (!r->has_body) {
			r->answered = true;
			return MHD_YES;
		}
		rc_req_header(r, "Connection", "close");
		return respond(r);
	}

	if (r->has_body) {
		if (spool && (r->spool_fd = spool_open(g->upload_dir)) < 0) {
			rc_error("upload: cannot make a file in %s: %s", g->upload_dir, strerror(errno));
			return refuse(r, 503, "The upload cannot be stored just now; try again later.");
		}
		/* A body of known length takes its share of the budget now, or is refused before it is read;
		 * in memory it gets its whole buffer at once (no doubling, no copies left behind). */
		if (announced && !body_reserve(r, spool ? (size_t)announced : (size_t)announced + 1))
			return refuse(r, 503, "The server is receiving too much at once; try again in a moment.");
		if (announced && !spool) {
			if (!(r->body.data = malloc((size_t)announced + 1)))
				return refuse(r, 503, "The server is short of memory just now; try again in a moment.");
			r->body.data[0] = '\0';
			r->body.cap = (size_t)announced + 1; /* rc_buf_put appends within cap without growing */
		}
		if (r->conn_state) {
			atomic_store(&r->conn_state->received, 0);
			r->conn_state->span_bytes = 0;
		}
		conn_phase(g, r->conn_state, spool ? PHASE_UPLOAD : PHASE_BODY);
	}
	return MHD_YES;
}

/* A piece of the body: into memory or the spool, never past the route's cap or the budget. */
static enum MHD_Result take_body(rc_req *r, const char *data, size_t n)
{
	if (n > r->body_max - r->body_seen)
		return cut(r, 413, "Payload Too Large", too_large(r));
	if (r->spool_fd >= 0) {
		if (r->conn_state)
			atomic_fetch_add(&r->conn_state->received, (uint64_t)n);
		if (!body_reserve(r, r->body_seen + n))
			return cut(r, 503, "Service Unavailable", "The server is receiving too much at once; try again in a moment.");
		for (size_t done = 0; done < n;) {
			ssize_t w = write(r->spool_fd, data + done, n - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				rc_error("upload: cannot write to the spool file: %s", w < 0 ? strerror(errno) : "no space");
				return cut(r, 503, "Service Unavailable", "The upload cannot be stored just now; try again later.");
			}
			done += (size_t)w;
		}
	} else {
		size_t need = r->body.len + n + 1;
		if (need > r->body.cap && !body_reserve(r, buf_bound(need, r->body_max)))
			return cut(r, 503, "Service Unavailable", "The server is receiving too much at once; try again in a moment.");
		if (rc_buf_put(&r->body, data, n))
			return cut(r, 503, "Service Unavailable", "The server is short of memory just now; try again in a moment.");
	}
	r->body_seen += n;
	return MHD_YES;
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
		return begin(app, r, c, url, method);
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		return take_body(r, upload_data, n);
	}
	if (!conn_phase(app->guard, r->conn_state, PHASE_BUSY))
		return MHD_NO;
	if (r->answered)
		return respond(r); /* refused from the headers; nothing was read */
	if (r->spool_fd >= 0 && r->body_seen) {
		/* The whole upload, read where it lies: the page cache holds it, not the heap. */
		void *m = mmap(NULL, r->body_seen, PROT_READ, MAP_PRIVATE, r->spool_fd, 0);
		if (m == MAP_FAILED) {
			rc_error("upload: cannot map the spool file: %s", strerror(errno));
			return refuse(r, 503, "The upload cannot be read just now; try again later.");
		}
		r->spool_map = m;
		r->spool_len = r->body_seen;
	}
	if (anonymous_cacheable(r)) {
		struct MHD_Response *hit = cache_get(app->page_cache, r->path);
		if (hit) {
			r->status = 200;
			return mhd.queue_response(c, 200, hit);
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

/* --- a request without a connection (the fuzz target fuzz-request) ---------------------------------- */

rc_req *rc_http_local(rc_app *app, const char *method, const char *target, const rc_field *headers, size_t nheaders,
                      const char *body, size_t len)
{
	rc_req *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->app = app;
	r->spool_fd = -1;
	r->started_ms = rc_time_ms();
	r->now = rc_time_now();
	rc_arena_init(&r->arena, RC_HTTP_REQ_ARENA);
	rc_buf_init(&r->out, RC_HTTP_MAX_PAGE);
	rc_buf_init(&r->body, RC_HTTP_MAX_BODY);
	const char *q = strchr(target, '?');
	r->method = rc_arena_strdup(&r->arena, method);
	r->path = q ? rc_arena_strndup(&r->arena, target, (size_t)(q - target)) : rc_arena_strdup(&r->arena, target);
	r->remote = "192.0.2.1";
	bool ok = r->method && r->path;
	size_t total = strlen(target) + strlen(method) + 12;
	for (size_t i = 0; ok && i < nheaders; i++) {
		total += strlen(headers[i].name) + headers[i].len + 4;
		ok = !rc_form_add(&r->arena, &r->in, headers[i].name, headers[i].value, headers[i].len);
	}
	char err[256], allowed[128];
	/* The checks begin() makes from the headers, in its order; those of the connection (deadlines,
	 * budgets, the transfer coding) are fuzz-http's. */
	if (!ok)
		rc_page_error(r, 503, "The server is short of memory just now; try again in a moment.");
	else if (total > RC_HTTP_MAX_HEADER_BYTES)
		rc_page_error(r, 431, "The request's headers are larger than this server accepts.");
	else if (!path_is_clean(r->path))
		rc_page_error(r, 400, "The address has a part this server does not accept.");
	else if (q && rc_form_urlencoded(&r->arena, q + 1, strlen(q + 1), &r->query, err, sizeof err))
		rc_page_error(r, 400, "A parameter in the address is not valid UTF-8 text.");
	else if (!match_route(r, allowed, sizeof allowed)) {
		rc_page_error(r, allowed[0] ? 405 : 404,
		              allowed[0] ? "This address does not accept that method." : "There is no page at this address.");
		if (allowed[0])
			rc_req_header(r, "Allow", allowed);
	} else if (len > RC_HTTP_MAX_BODY) {
		rc_page_error(r, 413, "The request's body is larger than this server accepts here.");
	} else {
		const char *ck = join_header(r, "Cookie", "; ");
		if (ck && rc_cookies_parse(&r->arena, ck, &r->cookies))
			rc_page_error(r, 503, "The server is short of memory just now; try again in a moment.");
		else if (authorize(r) && !(len && rc_buf_put(&r->body, body, len)))
			dispatch(r);
	}
	if (r->db) {
		rc_pool_put(app->pool, r->db);
		r->db = NULL;
	}
	if (r->out.failed) { /* as respond() does */
		rc_buf_reset(&r->out);
		rc_page_error(r, 500, "This page grew too large to send.");
	}
	return r;
}

void rc_http_local_free(rc_req *r)
{
	if (r)
		req_free(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	rc_app *app = cls;
	rc_req *r = *con_cls;
	if (!r)
		return;
	app->inflight--;
	/* A kept-alive connection now waits for its next header, on that header's deadline. */
	bool alive = conn_phase(app->guard, conn_of(c), PHASE_HEADER);
	if (!alive && !r->status)
		r->status = 408; /* the sweeper cut it: its body was late */
	/* One line per request; the query string is never logged (it may carry a token). */
	const char *shown = r->route && (r->route->flags & RC_ROUTE_SECRET) ? r->route->pattern : r->path;
	rc_info("%s %s %u %.1fms %s%s", r->method ? r->method : "-", shown ? shown : "-", r->status ? r->status : 200,
	        rc_time_ms() - r->started_ms, r->remote ? r->remote : "-",
	        toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
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

rc_err rc_http_check_config(const rc_config *cfg, char *err, size_t errlen)
{
	rc_ip_list l;
	char why[300];
	if (cfg->trusted_proxies && rc_ip_list_parse(cfg->trusted_proxies, &l, why, sizeof why))
		return rc_errf(err, errlen, RC_EINVAL, "--trusted-proxy: %s", why);
	const char *dir = cfg->upload_dir ? cfg->upload_dir : "/tmp";
	int fd = spool_open(dir);
	if (fd < 0)
		return rc_errf(err, errlen, RC_EINVAL, "--upload-dir '%s': cannot make a file there (%s)", dir, strerror(errno));
	close(fd);
	return RC_OK;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	/* Said each time on_request closes a connection on purpose (a body past its cap, a deadline):
	 * the access log already has that request's line with its status. */
	if (strstr(msg, "Application reported internal error"))
		return;
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	rc_warn("http: %s", msg);
}

static struct rc_http_guard *guard_new(const rc_config *cfg, char *err, size_t errlen)
{
	struct rc_http_guard *g = calloc(1, sizeof *g);
	if (!g) {
		rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->wake, NULL);
	atomic_init(&g->body_bytes, 0);
	atomic_init(&g->spool_bytes, 0);
	g->upload_dir = cfg->upload_dir ? cfg->upload_dir : "/tmp";
	g->max_upload = (size_t)rc_http_upload_cap(cfg);
	g->spool_budget = 2 * g->max_upload; /* RC_HTTP_SPOOL_BUDGET, or twice a lower --max-upload */
	g->stall_ms = (cfg->upload_stall_s > 0 ? cfg->upload_stall_s : RC_HTTP_UPLOAD_STALL_S) * 1000.0;
	if (cfg->trusted_proxies && rc_ip_list_parse(cfg->trusted_proxies, &g->trusted, err, errlen)) {
		guard_free(g);
		return NULL;
	}
	g->max_conns = connection_cap();
	if (g->max_conns < 16) {
		rc_errf(err, errlen, RC_EIO, "too few file descriptors to serve (raise 'ulimit -n' above %d)",
		        2 * RC_HTTP_FD_RESERVE + 32);
		guard_free(g);
		return NULL;
	}
	/* Every connection libmicrohttpd may hold has at most one entry (its peer, or the client it
	 * carries a request for). */
	g->addrs_cap = 2 * g->max_conns + 1024;
	if (!(g->addrs = calloc(g->addrs_cap, sizeof *g->addrs))) {
		rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		guard_free(g);
		return NULL;
	}
	return g;
}

rc_err rc_http_serve(rc_app *app, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	rc_err e = parse_listen(app->cfg->listen, &ss, err, errlen);
	if (e || (e = rc_dl_load(&libmhd, err, errlen)))
		return e;
	struct rc_http_guard *g = guard_new(app->cfg, err, errlen);
	if (!g)
		return RC_EINVAL;
	app->guard = g;
	/* Signals go to this thread alone (sigwait below); the server's threads inherit the mask. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_t sweeper;
	if (pthread_create(&sweeper, NULL, sweep, g) != 0) {
		app->guard = NULL;
		guard_free(g);
		return rc_errf(err, errlen, RC_EIO, "cannot start the deadline thread");
	}

	/* Uploads are stored into their jobs by this thread, not by the request that brought them. Without
	 * it (its database cannot be opened) each upload's request stores its own, as before. */
	char ierr[300];
	if (!(app->ingest = rc_import_ingest_start(app->cfg->db_url, ierr, sizeof ierr)))
		rc_warn("uploads are stored by their requests (the storing thread could not start: %s)", ierr);
	unsigned threads = app->cfg->threads ? app->cfg->threads : 1;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* libmicrohttpd's own limit sits above ours, so on_accept refuses first: at its limit it would
	 * stop accepting, and new clients would hang in the backlog instead of being told at once. */
	g->hard_conns = g->max_conns + g->max_conns / 4;
	unsigned mhd_limit = (unsigned)(g->hard_conns + 2 * threads);
	struct MHD_Daemon *d = mhd.start_daemon(
		flags, 0, on_accept, g, on_request, (void *)app,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)RC_HTTP_CONN_MEMORY,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)RC_HTTP_CONN_TIMEOUT_S,
		MHD_OPTION_CONNECTION_LIMIT, mhd_limit,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)app,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, (void *)g,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_END);
	if (!d) {
		e = rc_errf(err, errlen, RC_EIO, "cannot listen on %s: %s (is another server using that port?)",
		            app->cfg->listen, strerror(errno));
		goto stop_sweeper;
	}
	const union MHD_DaemonInfo *di = mhd.get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char shown[160];
	snprintf(shown, sizeof shown, "%.*s:%u", (int)(strrchr(app->cfg->listen, ':') - app->cfg->listen),
	         app->cfg->listen, di ? di->port : 0);
	rc_info("runcare is serving on http://%s/ with %u threads; stop it with Ctrl-C", shown, threads);
	rc_info("http: up to %zu connections, %d per address; headers within %d s; bodies up to %d MiB in memory "
	        "(%d MiB for all), uploads up to %zu MiB spooled in %s (%zu MiB for all; each cut when it stalls "
	        "for %.0f s)%s",
	        g->max_conns, RC_HTTP_MAX_PER_ADDRESS, RC_HTTP_HEADER_DEADLINE_S, RC_HTTP_MAX_BODY >> 20,
	        RC_HTTP_BODY_BUDGET >> 20, g->max_upload >> 20, g->upload_dir, g->spool_budget >> 20, g->stall_ms / 1000,
	        g->trusted.n ? "; X-Forwarded-For believed from the trusted proxies" : "");
	fflush(stdout);

	int sig = 0;
	sigwait(&set, &sig);
	rc_info("%s received: finishing the requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* Stop accepting; let requests already begun finish, up to a grace period. Idle keep-alive
	 * connections hold no request and are simply closed. */
	mhd.quiesce_daemon(d);
	double deadline = rc_time_ms() + RC_HTTP_STOP_GRACE_MS;
	while (rc_time_ms() < deadline && app->inflight > 0) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	mhd.stop_daemon(d);
	/* An upload still being stored stops after its current transaction and is failed (its page says
	 * so); each waiting one costs one transaction: bounded. Before the guard goes: their spools'
	 * shares of its budget are given back. */
	rc_import_ingest_stop(app->ingest);
	app->ingest = NULL;
	rc_info("stopped");
	e = RC_OK;
stop_sweeper:
	rc_import_ingest_stop(app->ingest);
	app->ingest = NULL;
	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(sweeper, NULL);
	app->guard = NULL;
	guard_free(g);
	return e;
}

/* --- the same server, driven by the fuzzer ---------------------------------------------------- */

/* tests/fuzz/fuzz_http.c's way in: the daemon rc_http_serve starts, with the same callbacks, limits
 * and guard, but no listening socket, no threads and no sweeper. Each call hands libmicrohttpd one
 * end of a socketpair as a new connection and drives it with MHD_run on the caller's thread, so one
 * input is one whole connection through runcare's real request path, deterministic and with no port.
 * libmicrohttpd polls with select() here, not epoll: epoll is edge-triggered, and a client's end of
 * stream that came with its last bytes is not reported again, so such a connection waits for its
 * header deadline (the sweeper, 10 s) where select() sees it closed at once. */
enum { RC_HTTP_FUZZ_DEADLINE_MS = 5 * 1000 }; /* one connection's whole life; past it, a hang */

struct rc_http_fuzz {
	struct MHD_Daemon *d;
	rc_app *app;
	struct sockaddr_storage peer;
	socklen_t peer_len;
};

struct rc_http_fuzz *rc_http_fuzz_start(rc_app *app, const char *peer, char *err, size_t errlen)
{
	if (rc_dl_load(&libmhd, err, errlen))
		return NULL;
	struct rc_http_fuzz *f = calloc(1, sizeof *f);
	if (!f) {
		rc_errf(err, errlen, RC_ENOMEM, "out of memory");
		return NULL;
	}
	f->app = app;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&f->peer;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&f->peer;
	if (inet_pton(AF_INET, peer, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		f->peer_len = sizeof *s4;
	} else if (inet_pton(AF_INET6, peer, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		f->peer_len = sizeof *s6;
	} else {
		rc_errf(err, errlen, RC_EINVAL, "'%s' is not an IP address", peer);
		free(f);
		return NULL;
	}
	struct rc_http_guard *g = guard_new(app->cfg, err, errlen);
	if (!g) {
		free(f);
		return NULL;
	}
	g->hard_conns = g->max_conns + g->max_conns / 4;
	app->guard = g;
	signal(SIGPIPE, SIG_IGN);
	/* rc_http_serve's options, but for the socket address, the thread pool and the backlog. */
	f->d = mhd.start_daemon(
		MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG, 0, on_accept, g, on_request, (void *)app,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)RC_HTTP_CONN_MEMORY,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)RC_HTTP_CONN_TIMEOUT_S,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)(g->hard_conns + 2),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)app,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, (void *)g,
		MHD_OPTION_END);
	if (!f->d) {
		rc_errf(err, errlen, RC_EIO, "cannot start libmicrohttpd: %s", strerror(errno));
		app->guard = NULL;
		guard_free(g);
		free(f);
		return NULL;
	}
	return f;
}

rc_err rc_http_fuzz_one(struct rc_http_fuzz *f, const void *req, size_t n, char *resp, size_t cap, size_t *got)
{
	*got = 0;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
		return RC_EIO;
	struct rc_http_guard *g = f->app->guard;
	size_t sent = 0;
	bool shut = false, eof = false;
	/* libmicrohttpd owns (and closes) sv[1] from here, whatever it answers. */
	if (mhd.add_connection(f->d, sv[1], (const struct sockaddr *)&f->peer, f->peer_len) != MHD_YES)
		eof = true;
	double deadline = rc_time_ms() + RC_HTTP_FUZZ_DEADLINE_MS;
	for (;;) {
		while (sent < n) {
			ssize_t w = send(sv[0], (const char *)req + sent, n - sent, MSG_NOSIGNAL);
			if (w > 0) {
				sent += (size_t)w;
				continue;
			}
			if (w < 0 && (errno == EAGAIN || errno == EINTR))
				break;
			sent = n; /* the server closed its side: the rest is never read */
		}
		if (sent == n && !shut) {
			shutdown(sv[0], SHUT_WR);
			shut = true;
		}
		mhd.run(f->d);
		while (!eof) {
			char chunk[16384];
			ssize_t r = read(sv[0], chunk, sizeof chunk);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && errno == EAGAIN)
				break;
			if (r <= 0) {
				eof = true;
				break;
			}
			size_t keep = (size_t)r < cap - *got ? (size_t)r : cap - *got;
			if (keep)
				memcpy(resp + *got, chunk, keep);
			*got += keep; /* past cap the rest is read and dropped */
		}
		pthread_mutex_lock(&g->lock);
		size_t open = g->nconns;
		pthread_mutex_unlock(&g->lock);
		/* Done when the answer has ended and libmicrohttpd has let go of the connection. */
		if (eof && open == 0 && f->app->inflight == 0)
			break;
		if (rc_time_ms() > deadline) {
			close(sv[0]);
			return RC_EBUSY;
		}
	}
	close(sv[0]);
	return RC_OK;
}

void rc_http_fuzz_forget(struct rc_http_fuzz *f)
{
	cache_clear(f->app->page_cache);
}

void rc_http_fuzz_stop(struct rc_http_fuzz *f)
{
	if (!f)
		return;
	mhd.stop_daemon(f->d);
	guard_free(f->app->guard);
	f->app->guard = NULL;
	free(f);
}
