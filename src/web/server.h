/* server.h — what starts the web server: its settings, what every request may read, and serving
 * until told to stop. The one part of web/ that cli/ sees (runcare serve, runcare routes). */
#ifndef RC_SERVER_H
#define RC_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "content/content.h"
#include "store/db.h"

typedef struct rc_config {
	const char *listen; /* "127.0.0.1:8080" */
	const char *db_url; /* "sqlite:var/runcare.db" */
	const char *content_dir; /* NULL: built in */
	unsigned threads;
	bool demo;
	bool behind_tls; /* cookies get Secure: set when a TLS proxy is in front */
	const char *public_url; /* how people reach it, for links in mail: "http://127.0.0.1:8080" */
	const char *trusted_proxies; /* "ADDR[,ADDR]": peers whose X-Forwarded-For is believed; NULL: none */
	const char *upload_dir; /* where upload bodies are spooled (unlinked files, mode 0600) */
	long long max_upload;   /* bytes one upload may hold (0: RC_HTTP_MAX_UPLOAD, the most there is) */
	int upload_stall_s;     /* an upload must move on within this (0: RC_HTTP_UPLOAD_STALL_S) */
	bool mail_relay; /* --smtp: the outbox is delivered. Without one, a page shows an invitation's
	                  * link once, for the person who sent it to hand over */
} rc_config;

typedef struct rc_static_file {
	const char *name, *content_type;
	const unsigned char *data;
	size_t len;
	char etag[24]; /* "\"<16 hex>\"" */
} rc_static_file;

/* What every request may read; built before the server starts and never changed after. */
typedef struct rc_app {
	const rc_config *cfg;
	rc_pool *pool;
	const rc_content *content;
	rc_static_file *statics;
	size_t nstatics;
	char css_version[9]; /* cache-busting tag for the stylesheet's URL */
	_Atomic unsigned inflight; /* requests begun and not yet ended: the stop waits for these */
	struct rc_page_cache *page_cache; /* owned by http.c */
	struct rc_http_guard *guard; /* owned by http.c while serving: connections, deadlines, budgets */
	struct rc_import_ingest *ingest; /* owned by http.c while serving: uploads stored off the request threads */
	const struct rc_triage_kb *triage; /* the self-check's knowledge, loaded at start */
	const struct rc_programs *programs; /* exercises and home programs, loaded at start */
	const struct rc_chart_kb *chart;    /* note templates, diagnoses, consent, acupoints, loaded at start */
	const struct rc_billing_kb *billing; /* codes, policy and packages (content/billing.json), loaded at start */
} rc_app;

/* Builds the static-file table (ETags) and returns the app; 0 on success. */
RC_WUR rc_err rc_app_init(rc_app *app, const rc_config *cfg, rc_pool *pool, const rc_content *content);
void rc_app_free(rc_app *app);

/* RC_EINVAL with a message when listen is not ADDRESS:PORT. */
RC_WUR rc_err rc_http_check_listen(const char *listen, char *err, size_t errlen);
/* RC_EINVAL with a message when --trusted-proxy names something that is not an address, or when no
 * unlinked file can be made in --upload-dir. */
RC_WUR rc_err rc_http_check_config(const rc_config *cfg, char *err, size_t errlen);

/* Serves until SIGINT or SIGTERM, then lets in-flight requests finish. */
RC_WUR rc_err rc_http_serve(rc_app *app, char *err, size_t errlen);

/* libmicrohttpd's version, the library opened if it was not yet (it is opened when a server starts,
 * not at every command's start); NULL with the reason in err when it cannot be. */
const char *rc_http_library_version(char *err, size_t errlen);

/* For the fuzzer only (tests/fuzz/fuzz_http.c): the server rc_http_serve runs — the same callbacks,
 * limits and guard — with no listening socket, no threads and no deadline sweeper, driven on the
 * caller's thread. Every connection comes from peer (an IP address literal). NULL with a message when
 * it cannot start. */
struct rc_http_fuzz;
struct rc_http_fuzz *rc_http_fuzz_start(rc_app *app, const char *peer, char *err, size_t errlen);
/* One connection: the n bytes of req sent (several requests may follow one another), the sending side
 * shut, and everything the server answers until it closes read into resp (up to cap bytes; *got says
 * how many were kept). RC_EBUSY when the connection is not over within 5 s: a hang. */
RC_WUR rc_err rc_http_fuzz_one(struct rc_http_fuzz *f, const void *req, size_t n, char *resp, size_t cap,
                               size_t *got);
/* Forgets the anonymous pages rendered so far, as a restarted server would (the fuzzer calls it when it
 * replaces the database the pages were rendered from). */
void rc_http_fuzz_forget(struct rc_http_fuzz *f);
void rc_http_fuzz_stop(struct rc_http_fuzz *f);

/* For the fuzzer only (tests/fuzz/fuzz_http.c built as fuzz-request): one request given as its parts —
 * method, target (path and query), headers, body — through what on_request does once libmicrohttpd has
 * parsed it: the address and query checked, the route matched, who asks and may they, the body parsed,
 * CSRF and the page; no socket, no connection limits. The answer is left in the request (status, out
 * or out_static, content_type, headers); free it with rc_http_local_free. NULL when out of memory. */
struct rc_field;
struct rc_req *rc_http_local(rc_app *app, const char *method, const char *target, const struct rc_field *headers,
                             size_t nheaders, const char *body, size_t len);
void rc_http_local_free(struct rc_req *r);

/* Prints the route table (routes.c), one route a line: method, address, who may call it, flags. */
void rc_route_table_print(FILE *out);

#endif
