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
	const struct rc_triage_kb *triage; /* the self-check's knowledge, loaded at start */
	const struct rc_programs *programs; /* exercises and home programs, loaded at start */
	const struct rc_chart_kb *chart;    /* note templates, diagnoses, consent, acupoints, loaded at start */
} rc_app;

/* Builds the static-file table (ETags) and returns the app; 0 on success. */
RC_WUR rc_err rc_app_init(rc_app *app, const rc_config *cfg, rc_pool *pool, const rc_content *content);
void rc_app_free(rc_app *app);

/* RC_EINVAL with a message when listen is not ADDRESS:PORT. */
RC_WUR rc_err rc_http_check_listen(const char *listen, char *err, size_t errlen);

/* Serves until SIGINT or SIGTERM, then lets in-flight requests finish. */
RC_WUR rc_err rc_http_serve(rc_app *app, char *err, size_t errlen);

/* Prints the route table (routes.c), one route a line: method, address, who may call it, flags. */
void rc_route_table_print(FILE *out);

#endif
