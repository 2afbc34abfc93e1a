/* http.h — a request as handlers see it, the response they build, and the route table's shape.
 * The server that runs them on libmicrohttpd is web/server.h's. */
#ifndef RC_HTTP_H
#define RC_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "content/content.h"
#include "store/account.h"
#include "store/db.h"
#include "app/jobs.h"
#include "web/form.h"
#include "web/server.h"

/* A multipart body to an RC_ROUTE_UPLOAD route, spooled to an unlinked file on disk: at most this (the
 * import's own limit for one upload, app/jobs.h), lowered by `serve --max-upload`: else 413, before a
 * byte of it is read when its length is announced. */
#define RC_HTTP_MAX_UPLOAD RC_IMPORT_MAX_JOB_BYTES
/* Disk all upload spools may hold together — those arriving and those handed over and not yet stored
 * into the database (app/ingest.h): past it, 503 with Retry-After (two uploads of the largest size at
 * once: twice the upload cap in force, so `serve --max-upload` lowers it too). */
#define RC_HTTP_SPOOL_BUDGET (2 * RC_HTTP_MAX_UPLOAD)

/* Named limits. Exceeding one is a specific status, never a crash or a silent cut. README's
 * "Limits" table and docs/security.md ("HTTP and the proxy") list them for operators. */
enum {
	RC_HTTP_MAX_HEADER_BYTES = 16 * 1024,   /* request line + headers: else 431 */
	RC_HTTP_CONN_MEMORY = 32 * 1024,        /* libmicrohttpd's per-connection pool; it is cleared for each
	                                         * request, so larger costs every request */
	RC_HTTP_MAX_BODY = 1024 * 1024,         /* a form or JSON body, held in memory: else 413 */
	RC_HTTP_BODY_BUDGET = 128 * 1024 * 1024, /* memory all unfinished in-memory bodies may hold together:
	                                          * past it, 503 with Retry-After */
	RC_HTTP_RETRY_AFTER_S = 5,              /* what a 503 for a full budget or server asks the client to wait */
	RC_HTTP_HEADER_DEADLINE_S = 10,         /* the whole request header, from accept (or from the end of
	                                         * the previous request on a kept-alive connection): else closed */
	RC_HTTP_BODY_DEADLINE_S = 30,           /* a form or JSON body, from the end of its header: else 408 */
	RC_HTTP_UPLOAD_STALL_S = 60,            /* an upload body must bring RC_HTTP_UPLOAD_MIN_BYTES in every
	                                         * span this long (`serve --upload-stall`): else 408. No fixed
	                                         * deadline: a big upload on a slow line goes on while it moves */
	RC_HTTP_UPLOAD_MIN_BYTES = 256 * 1024,  /* (about 4 KB/s over a minute) */
	RC_HTTP_CONN_TIMEOUT_S = 30,            /* no byte either way for this long: closed */
	RC_HTTP_MAX_CONNECTIONS = 1000,         /* open at once; lowered at start to fit the descriptor limit
	                                         * (a socket and an upload spool each, and room to close
	                                         * evicted ones). Past it: a slow header makes room, else the
	                                         * newcomer is refused at once */
	RC_HTTP_MAX_PER_ADDRESS = 32,           /* connections from one address (an IPv6 /64), or requests in
	                                         * flight for one client behind a trusted proxy: else refused */
	RC_HTTP_EVICT_AFTER_MS = 1000,          /* with the server full, a connection whose header has taken this
	                                         * long is closed to make room for a new client */
	RC_HTTP_FD_RESERVE = 64,                /* descriptors kept for the database, logs and content */
	RC_HTTP_SWEEP_MS = 250,                 /* how often deadlines are checked */
	RC_HTTP_MAX_PAGE = 8 * 1024 * 1024,     /* one response body */
	RC_HTTP_REQ_ARENA = 16 * 1024 * 1024,   /* one request's arena (an upload's file bytes are not in it) */
	RC_HTTP_MAX_PARAMS = 4,                 /* :params in one route */
	RC_HTTP_MAX_RESP_HEADERS = 16,
	RC_HTTP_STOP_GRACE_MS = 10 * 1000       /* in-flight requests may finish within this */
};

typedef struct rc_req rc_req;
typedef void (*rc_handler)(rc_req *r);

enum {
	RC_ROUTE_UPLOAD = 1 << 0,     /* a multipart body of up to the upload cap, spooled to disk */
	RC_ROUTE_API = 1 << 1,        /* JSON: bearer token only (never cookies), JSON errors, no CSRF */
	RC_ROUTE_SECRET = 1 << 2,     /* the path holds a secret: the log shows the pattern instead */
	RC_ROUTE_NO_SESSION = 1 << 3, /* static files, health: no need to know who asks */
	RC_ROUTE_ANON_CACHE = 1 << 4, /* the same bytes for every visitor who is not signed in: rendered
	                               * once, then answered from memory (content is read-only) */
	RC_ROUTE_FHIR = 1 << 5,       /* HL7 FHIR (GET only): a bearer token when one is sent, else the session
	                               * cookie; errors as an OperationOutcome in application/fhir+json */
};

/* Who may call a route. RC_ACCESS_RUNNER_RECORD routes name a runner's record in their first
 * :param — the runner's account id itself, or a record id that the route's `owner` function maps
 * to its runner: that runner and staff may reach it; anyone else gets 404, as if it did not exist. */
typedef enum {
	RC_ACCESS_PUBLIC,
	RC_ACCESS_USER,
	RC_ACCESS_RUNNER, /* runners only: what a staff account cannot do (delete itself) */
	RC_ACCESS_RUNNER_RECORD,
	RC_ACCESS_STAFF,
	RC_ACCESS_ADMIN,
	RC_ACCESS_CLINICAL_RECORD, /* like RUNNER_RECORD, but of the staff only those who see clinical
	                            * content (rc_role_sees_clinical): the front desk gets 403 */
	RC_ACCESS_CLINICIAN,       /* practitioners and administrators (clinical writes) */
	RC_ACCESS_DESK,            /* the clinic's money: the front desk and administrators (rc_role_handles_money) */
	RC_ACCESS_CHART,           /* a patient's chart: clinicians, and the runner their first :param names (their
	                            * own signed notes); another runner gets 404, the front desk 403 */
} rc_access;

/* The runner who owns record id (0 when there is no such record), for RC_ACCESS_RUNNER_RECORD. */
typedef rc_err (*rc_owner_fn)(rc_db *db, int64_t id, int64_t *runner_id);

typedef struct rc_route {
	const char *method; /* "GET" also answers HEAD */
	const char *pattern; /* "/articles/:slug": a ':' segment matches one non-empty segment */
	rc_handler handler;
	rc_access access;
	unsigned flags;
	rc_owner_fn owner; /* NULL: the first :param is the runner's account id */
} rc_route;

typedef struct rc_resp_header {
	const char *name, *value;
} rc_resp_header;

struct rc_req {
	rc_arena arena; /* freed once when the request ends */
	const rc_app *app;
	void *conn; /* the libmicrohttpd connection; only http.c looks inside */
	const char *method, *path, *remote;
	const rc_route *route;
	const char *params[RC_HTTP_MAX_PARAMS];
	rc_form query, form, cookies; /* cookies: every Cookie header, parsed once by rc_cookies_parse */
	rc_form in;                   /* the request's headers as sent, in order (names as sent) */
	rc_buf body;        /* the raw request body, when it is held in memory (never an upload's) */
	double started_ms;
	int64_t now; /* taken once when the request begins: every rule and date of this request uses it */

	unsigned status;
	const char *content_type;
	rc_buf out;
	const unsigned char *out_static; /* a persistent body (static files) instead of out */
	size_t out_static_len;
	rc_resp_header headers[RC_HTTP_MAX_RESP_HEADERS];
	size_t nheaders;
	rc_db *db; /* taken from the pool on first use, returned as soon as the handler is done */

	rc_account user;                  /* id 0: nobody signed in */
	char session_hash[RC_HEX_HASH + 1]; /* the current session's, when signed in by cookie */
	char csrf[RC_HEX_HASH + 1];       /* the token forms must echo; see rc_req_csrf */

	/* How the body arrives; http.c's alone. An upload is written to an unlinked file as it comes and
	 * mapped once complete, so r->form's file parts point into the mapping, not into memory. */
	struct rc_conn *conn_state; /* the connection's deadlines and counts */
	bool has_body;              /* Content-Length above 0 or Transfer-Encoding */
	bool answered;              /* refused from the headers; the answer waits for the last call */
	size_t body_max, body_seen; /* the route's cap; bytes received so far */
	size_t body_reserved;       /* taken from RC_HTTP_BODY_BUDGET or RC_HTTP_SPOOL_BUDGET */
	int spool_fd;               /* -1: the body is in `body` */
	void *spool_map;
	size_t spool_len;
	bool client_counted;        /* a trusted proxy's client, counted against RC_HTTP_MAX_PER_ADDRESS */
	rc_ip client_key;
};

/* The upload cap in force: RC_HTTP_MAX_UPLOAD, or the lower `serve --max-upload`. */
long long rc_http_upload_cap(const rc_config *cfg);
/* A size as a person reads a limit: "4 GB" (whole GiB), else "64 MB" (MiB). */
void rc_http_size_words(long long bytes, char *out, size_t n);

/* The route table (routes.c); the last entry has a NULL method. */
extern const rc_route rc_routes[];

/* Finds the route for method and path: sets *allowed to a method list when only the method is wrong. */
const rc_route *rc_route_match(const char *method, const char *path, const char *params[RC_HTTP_MAX_PARAMS],
                               char *allowed, size_t allowed_len);

/* Adds a response header (name and value are copied into the arena). */
void rc_req_header(rc_req *r, const char *name, const char *value);
/* This request's database connection; NULL if the database is unreachable. */
rc_db *rc_req_db(rc_req *r);
/* The CSRF token for forms on this page: the session's, or a visitor's cookie (set if new). */
const char *rc_req_csrf(rc_req *r);
/* Sets a cookie: HttpOnly, SameSite=Lax, Path=/, Secure behind TLS; max_age 0 deletes it. */
void rc_req_cookie(rc_req *r, const char *name, const char *value, int64_t max_age);
/* A whole error page with status and a sentence saying what went wrong (JSON on API routes). It is
 * drawn in the site's frame by layout.c; it is declared here because http.c answers with it too,
 * and layout.h includes this file, not the other way round. */
void rc_page_error(rc_req *r, unsigned status, const char *detail);
/* The same for a FHIR route: an OperationOutcome in application/fhir+json naming the parameter
 * (expression, NULL for none) — pages/fhir.c. */
void rc_fhir_error(rc_req *r, unsigned status, const char *detail, const char *expression);
/* Answers with a redirect to a local path (303 See Other). */
void rc_req_redirect(rc_req *r, const char *location);
/* A text field of the form (never a file part), or NULL. */
const char *rc_req_form(rc_req *r, const char *name);
/* The use-case context of this request: its database, its one "now", who asks and from where. */
struct rc_uc;
void rc_req_uc(rc_req *r, struct rc_uc *out);
/* Records an audit-log line for this request's user and address; failure is logged, not fatal. */
void rc_req_audit(rc_req *r, const char *action, int64_t runner_id, const char *detail);

/* Answers with a JSON value (status 200, 201, 409, …) and releases it. */
struct json_t;
void rc_req_json(rc_req *r, unsigned status, struct json_t *v);

/* For rc_import_upload's release: a function told of bytes of this request's spooled upload (its file
 * parts in r->form) that will not be read again soon, which hands their pages back (read again, they
 * come from the page cache), so reading an upload of gigabytes does not make it resident. NULL when
 * the body is not a spooled upload (in memory: nothing to hand back). */
typedef void (*rc_req_release_fn)(const void *p, size_t n);
rc_req_release_fn rc_req_upload_release(const rc_req *r);

/* Hands this request's spooled upload, whose n files (in r->form) are job's, to the server's ingest
 * thread (app/ingest.h) to be stored off the request threads: a duplicate of the spool's descriptor
 * and each file's place in it (nothing copied), and the request's share of the spool budget, held
 * until the files are stored. False when there is no ingest thread (not `runcare serve`) or the body
 * is not spooled, or it cannot take it: the caller stores the files itself (rc_app_import_store). */
struct rc_import_upload;
bool rc_req_upload_hand_over(rc_req *r, int64_t job, const struct rc_import_upload *files, int n);

/* A request header's value, or NULL. */
const char *rc_req_in_header(rc_req *r, const char *name);
/* A query argument's value, or NULL. */
const char *rc_req_query(rc_req *r, const char *name);

#endif
