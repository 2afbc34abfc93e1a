/* fuzz_http.c — libFuzzer target for the whole request path: an input is the raw bytes a client sends on
 * one connection (a request line, headers and a body; several requests may follow one another), given
 * to the server `runcare serve` runs — libmicrohttpd's parser, on_request, the router, the access
 * checks, the form parsers and the pages — through one end of a socketpair (rc_http_fuzz_one, no port).
 *
 * The database is a demo clinic made once by the code `runcare serve --demo` runs (rc_cli_demo_fill), in
 * a file under /dev/shm, with a second runner, and a few records of each runner's (a home program, a
 * diary note, a visit, a place on the waiting list) made by the use cases the pages call. Requests may
 * write to it; every FUZZ_RESET_EVERY inputs it is replaced by a fresh copy, so it does not grow without
 * bound. Each copy gets one session and one write-scoped API token per demo account, with tokens and
 * CSRF values fixed here, so that the seeds (and whatever the fuzzer makes of them) reach the pages
 * behind sign-in:
 *
 *   Cookie: rc_session=fuzz-session-runner-AAAAAAAAAAAAAAAAAAAAAAA  (and admin, physio, desk)
 *   csrf=dddd…  (64 hex digits: a admin, b physio, c desk, d runner)
 *   Authorization: Bearer fuzz-apitoken-runner-AAAAAAAAAAAAAAAAAAAAAA
 *
 * Besides crashes and the sanitizers it checks every response on the connection: it begins with
 * "HTTP/1.1 " and a 3-digit status, and its body matches its Content-Length; a body sent as UTF-8 is
 * UTF-8, and one sent as application/json parses as JSON; a redirect stays on the site; no 5xx but 503
 * (busy, a budget), except libmicrohttpd's own protocol answers 501 and 505, which carry no page of
 * runcare's. When the input carries none of the credentials above, no response sets a session cookie.
 * And by the one credential an input carries, it is never given what that account may not see (the
 * table `secrets`): nobody's name, email or diary without one, the other runner's as the demo runner,
 * no diary or PSFS as the front desk — unless the input spelled it itself (a form shown again keeps
 * what was typed).
 *
 * FUZZ_HTTP_SHOW=1 prints every response (build-fuzz/fuzz-http FILE... runs just those inputs). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "app/booking.h"
#include "app/program.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/text.h"
#include "base/time.h"
#include "cli/cli.h"
#include "content/content.h"
#include "content/programs.h"
#include "content/selfcheck.h"
#include "store/account.h"
#include "store/booking.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/waitlist.h"
#include "web/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The harness's own code is not measured for coverage: only the server's paths should guide the
 * search (a response one byte longer is not a new path), and lower-casing every response with
 * traced comparisons cost a tenth of each run. */
#define HARNESS __attribute__((no_sanitize("coverage")))

enum {
	FUZZ_RESET_EVERY = 2000,    /* inputs between fresh copies of the database */
	FUZZ_RESP_CAP = 32 << 20,   /* response bytes kept for the checks (four of the largest pages) */
	FUZZ_MAX_REPORT = 600,      /* bytes of a bad response printed */
};

/* The peer every connection comes from; it is also the trusted proxy, so X-Forwarded-For is walked. */
static const char peer[] = "192.0.2.1";

/* Each demo account's credentials; its bit in a credentials mask is 1 << its index. */
enum { WHO_ADMIN, WHO_PHYSIO, WHO_DESK, WHO_RUNNER };
static const struct {
	const char *email, *session, *api, *csrf;
} who[] = {
	{"admin@demo.runcare.test", "fuzz-session-admin-AAAAAAAAAAAAAAAAAAAAAAAA",
	 "fuzz-apitoken-admin-AAAAAAAAAAAAAAAAAAAAAAA",
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	{"physio@demo.runcare.test", "fuzz-session-physio-AAAAAAAAAAAAAAAAAAAAAAA",
	 "fuzz-apitoken-physio-AAAAAAAAAAAAAAAAAAAAAA",
	 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
	{"desk@demo.runcare.test", "fuzz-session-desk-AAAAAAAAAAAAAAAAAAAAAAAAA",
	 "fuzz-apitoken-desk-AAAAAAAAAAAAAAAAAAAAAAAA",
	 "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"},
	{"runner@demo.runcare.test", "fuzz-session-runner-AAAAAAAAAAAAAAAAAAAAAAA",
	 "fuzz-apitoken-runner-AAAAAAAAAAAAAAAAAAAAAA",
	 "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"},
};
enum { NWHO = sizeof who / sizeof who[0] };

/* A second runner, with no credentials here: what the first may not see. */
static const char other_email[] = "other@demo.runcare.test";

/* What a caller may not read (lower case), by the credentials its input carries: the runners' names and
 * emails are for staff and for themselves; a diary note and a PSFS activity are clinical, so not for
 * the front desk. A caller with several credentials, or an administrator's or a practitioner's, may
 * see everything. */
static const struct {
	const char *text;
	unsigned hidden_from; /* credential masks: bit 31 is "no credentials" */
} secrets[] = {
#define NOBODY (1u << 31)
#define ONLY(w) (1u << (w))
	{"runner@demo.runcare.test", NOBODY},
	{"rosa runner", NOBODY},
	{"stiff in the morning", NOBODY | ONLY(WHO_DESK)},
	{"running 10 km", NOBODY | ONLY(WHO_DESK)},
	{"other@demo.runcare.test", NOBODY | ONLY(WHO_RUNNER)},
	{"otto other", NOBODY | ONLY(WHO_RUNNER)},
	{"otto's knee note", NOBODY | ONLY(WHO_RUNNER) | ONLY(WHO_DESK)},
	{"otto's psfs hill", NOBODY | ONLY(WHO_RUNNER) | ONLY(WHO_DESK)},
};

/* libsodium's crypto_pwhash_str, which runcare calls for every password it hashes or checks (and, for
 * an account without one, on a dummy, so timing tells nothing), here at Argon2id's least cost. At the
 * interactive cost production uses (64 MiB, tens of milliseconds) each fuzzed sign-in or sign-up took
 * as long as a hundred other requests. Hashes still verify: the cost is written in each one. */
int crypto_pwhash_str(char out[crypto_pwhash_STRBYTES], const char *const passwd, unsigned long long passwdlen,
                      unsigned long long opslimit, size_t memlimit)
{
	(void)opslimit;
	(void)memlimit;
	return crypto_pwhash_str_alg(out, passwd, passwdlen, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
	                             crypto_pwhash_ALG_ARGON2ID13);
}

static char dir[64], dbpath[128], url[160];
static unsigned char *pristine; /* the demo database's file, as made */
static size_t pristine_len;
static rc_config cfg;
static rc_app app;
static struct rc_http_fuzz *srv;
static char *resp, *lowered;
static unsigned long since_reset;

HARNESS static _Noreturn void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_http: %s: %s\n", what, detail);
	abort();
}

HARNESS static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot read", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
	if (!b || n <= 0 || fread(b, 1, (size_t)n, f) != (size_t)n)
		die("cannot read", path);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* Replaces the database with the demo as made, and gives it the credentials above. */
HARNESS static void fresh_database(void)
{
	if (app.pool)
		rc_pool_close(app.pool);
	app.pool = NULL;
	char side[160];
	snprintf(side, sizeof side, "%s-wal", dbpath);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", dbpath);
	unlink(side);
	FILE *f = fopen(dbpath, "wb");
	if (!f || fwrite(pristine, 1, pristine_len, f) != pristine_len || fclose(f) != 0)
		die("cannot write", dbpath);
	char err[512];
	if (rc_pool_open(url, 1, &app.pool, err, sizeof err))
		die("cannot open the database", err);
	rc_db *db = rc_pool_get(app.pool);
	int64_t now = rc_time_now();
	for (size_t i = 0; i < NWHO; i++) {
		rc_account a;
		bool found = false;
		char hash[RC_HEX_HASH + 1];
		int64_t id;
		if (rc_account_by_email(db, who[i].email, &a, &found) || !found)
			die("no demo account", who[i].email);
		rc_crypto_token_hash(who[i].session, hash);
		if (rc_session_create(db, hash, a.id, who[i].csrf, now))
			die("cannot create a session", rc_db_errmsg(db));
		rc_crypto_token_hash(who[i].api, hash);
		if (rc_token_create(db, hash, a.id, "fuzz", RC_SCOPE_WRITE, now, now + 365 * 86400, &id))
			die("cannot create an API token", rc_db_errmsg(db));
	}
	rc_pool_put(app.pool, db);
	since_reset = 0;
}

/* A runner's records, so that the pages that show one have one to show: a home program with a logged
 * session, a diary day with a note and a PSFS rating, the first visit free from the day after tomorrow
 * and a place on the waiting list. Made by the use cases the pages call. */
HARNESS static void runner_records(rc_db *db, const rc_programs *programs, const char *email, const char *note,
                                    const char *activity)
{
	rc_account runner;
	bool found = false;
	if (rc_account_by_email(db, email, &runner, &found) || !found)
		die("no demo account", email);
	rc_arena a;
	rc_arena_init(&a, 4 << 20);
	int64_t now = rc_time_now();
	rc_uc uc = {.db = db, .now = now, .actor = &runner, .address = peer, .arena = &a};
	rc_problem p = {0};
	char today[11];
	rc_tz_date(now, today);
	rc_service svc;
	rc_free_slot slots[512]; /* a whole day of free times fits */
	rc_booking_free_out free_out = {.slots = slots, .max = sizeof slots / sizeof slots[0]};
	rc_booking_out booked;
	int64_t wid;
	if (rc_app_program_start(&uc, programs, "pht", &p) ||
	    rc_app_program_log(&uc, programs, &(rc_session_in){.done = 30, .pain = 2}, &p) ||
	    rc_app_diary_add(&uc, &(rc_diary_in){.day = today, .pain_rest = 1, .pain_sitting = 2, .pain_running = -1,
	                                         .minutes_run = 0, .notes = note}, &p) ||
	    rc_app_psfs_add(&uc, &(rc_psfs_in){.activity = {activity}, .score = {4}}, &p))
		die("the runner's program", p.text);
	if (rc_service_by_key(db, "initial-assessment", &svc, &found) || !found)
		die("no demo service", "initial-assessment");
	rc_booking_free_in free_in = {.service = &svc, .first_day = rc_tz_day_number(now) + 2, .days = 1,
	                              .each_time_once = true};
	if (rc_app_booking_free(&uc, &free_in, &free_out, &p) || free_out.n == 0)
		die("no free time for the runner's visit", p.text);
	if (rc_app_booking_book(&uc, &(rc_booking_in){.service = svc.key, .practitioner = slots[0].practitioner,
	                                               .start = slots[0].start, .reason = "hamstring"},
	                        &booked, &p))
		die("the runner's visit", p.text);
	if (rc_waitlist_join(db, runner.id, svc.id, 0, now + 86400, now + 30 * 86400, "soon", "other", now, &wid))
		die("the runner's waiting-list entry", rc_db_errmsg(db));
	rc_arena_free(&a);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[1024];
	rc_log_set_level(RC_LOG_ERROR); /* not an access-log line per input */
	if (rc_clock_init(err, sizeof err))
		die("clock", err);
	if (rc_crypto_init())
		die("libsodium", "cannot start");
	for (size_t i = 0; i < NWHO; i++)
		if (strlen(who[i].session) != RC_TOKEN_CHARS || strlen(who[i].api) != RC_TOKEN_CHARS ||
		    strlen(who[i].csrf) != RC_HEX_HASH)
			die("credential of the wrong length", who[i].email);

	rc_content *ct = NULL;
	rc_triage_kb *kb = NULL;
	rc_programs *programs = NULL;
	if (rc_content_load(NULL, &ct, err, sizeof err) || rc_selfcheck_load(NULL, &kb, err, sizeof err) ||
	    rc_programs_load(NULL, &programs, err, sizeof err))
		die("built-in content", err);
	if (rc_tz_set(ct->clinic.timezone))
		die("unknown time zone", ct->clinic.timezone);

	snprintf(dir, sizeof dir, "/dev/shm/runcare-fuzz-http-%ld", (long)getpid());
	if (mkdir(dir, 0700) && errno != EEXIST)
		die("cannot make", dir);
	snprintf(dbpath, sizeof dbpath, "%s/demo.db", dir);
	snprintf(url, sizeof url, "sqlite:%s", dbpath);
	unlink(dbpath);
	rc_pool *pool = NULL;
	if (rc_pool_open(url, 1, &pool, err, sizeof err))
		die("cannot open the database", err);
	rc_db *db = rc_pool_get(pool);
	int applied = 0;
	bool created = false;
	if (rc_migrate(db, &applied, err, sizeof err))
		die("migrations", err);
	if (rc_cli_demo_fill(db, ct, &created) || !created)
		die("the demo clinic", rc_db_errmsg(db));
	/* The demo runner (account 4: appointment 1, waiting-list entry 1) and a second runner (account 5:
	 * appointment 2, entry 2) whose records the first must never see. */
	int64_t other;
	if (rc_account_create(db, other_email, "Otto Other", RC_ROLE_RUNNER, NULL, rc_time_now(), &other))
		die("the second runner", rc_db_errmsg(db));
	runner_records(db, programs, who[WHO_RUNNER].email, "stiff in the morning", "running 10 km");
	runner_records(db, programs, other_email, "Otto's knee note", "Otto's PSFS hill");
	rc_pool_put(pool, db);
	rc_pool_close(pool); /* checkpoints the log into the file */
	pristine = slurp(dbpath, &pristine_len);

	cfg = (rc_config){
		.listen = "127.0.0.1:0",
		.db_url = url,
		.threads = 1,
		.demo = true,
		.public_url = "http://127.0.0.1:8080",
		.trusted_proxies = peer,
		.upload_dir = dir,
	};
	if (rc_app_init(&app, &cfg, NULL, ct))
		die("app", "out of memory");
	app.triage = kb;
	app.programs = programs;
	fresh_database();
	if (!(srv = rc_http_fuzz_start(&app, peer, err, sizeof err)))
		die("server", err);
	if (!(resp = malloc(FUZZ_RESP_CAP)) || !(lowered = malloc(FUZZ_RESP_CAP)))
		die("buffers", "out of memory");
	return 0;
}

/* --- checks ---------------------------------------------------------------------------------- */

HARNESS static void lower(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
}

HARNESS static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The input, lower-cased, as is and with %XX and '+' decoded: what a page may echo back. */
HARNESS static void input_forms(const uint8_t *in, size_t n, char *raw, char *decoded, size_t *dn)
{
	lower(raw, (const char *)in, n);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (raw[i] == '%' && i + 2 < n && hexval(raw[i + 1]) >= 0 && hexval(raw[i + 2]) >= 0) {
			int c = hexval(raw[i + 1]) * 16 + hexval(raw[i + 2]);
			decoded[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i += 2;
		} else {
			decoded[o++] = raw[i] == '+' ? ' ' : raw[i];
		}
	}
	*dn = o;
}

/* Where needle is in hay[0..n), or NULL. Not libc's memmem: libFuzzer watches that one and adds what
 * it looks for to its dictionary, and inputs that spelled out the secrets would only be echoes. */
HARNESS static const char *find(const void *hay, size_t n, const char *needle)
{
	const char *h = hay;
	size_t m = strlen(needle);
	for (size_t i = 0; m <= n && i <= n - m; i++) {
		size_t k = 0;
		while (k < m && h[i + k] == needle[k])
			k++;
		if (k == m)
			return h + i;
	}
	return NULL;
}

HARNESS static bool has(const void *hay, size_t n, const char *needle)
{
	return find(hay, n, needle) != NULL;
}

/* The credentials the input carries anywhere (a mask of 1 << WHO_*), or NOBODY for none. */
HARNESS static unsigned credentials(const uint8_t *in, size_t n)
{
	unsigned m = 0;
	for (size_t i = 0; i < NWHO; i++)
		if (has(in, n, who[i].session) || has(in, n, who[i].api))
			m |= 1u << i;
	return m ? m : NOBODY;
}

/* What is wrong with the responses, or NULL. Every response must be a status line and headers, then
 * exactly Content-Length bytes: none after a 1xx, 204 or 304, and none after a HEAD when the input has
 * one. libmicrohttpd 0.9.75 sends its own answer to a malformed Content-Length (400, 413) with the
 * status line and headers twice; that is its defect, allowed here for its answers only (they carry no
 * Content-Security-Policy), so that the search goes on past it. */
HARNESS static const char *bad_responses(const char *b, size_t len, bool head_asked, bool anon, size_t *at,
                                         unsigned *status)
{
	size_t pos = 0;
	while (pos < len) {
		*at = pos;
		const char *s = b + pos;
		size_t left = len - pos;
		if (left < 13 || find(s, 9, "HTTP/1.1 ") != s)
			return "a response does not begin with \"HTTP/1.1 \"";
		if (s[9] < '1' || s[9] > '5' || s[10] < '0' || s[10] > '9' || s[11] < '0' || s[11] > '9' ||
		    s[12] != ' ')
			return "a response has no 3-digit status";
		*status = (unsigned)((s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0'));
		const char *end = find(s, left, "\r\n\r\n");
		if (!end)
			return "a response's headers do not end";
		size_t hlen = (size_t)(end - s) + 4;
		char *h = lowered + pos;
		lower(h, s, hlen);
		bool runcare = has(h, hlen, "\r\ncontent-security-policy:");
		/* Every redirect stays on this site: a path, never "//host" or "/\\host". */
		const char *loc = find(h, hlen, "\r\nlocation:");
		if (loc) {
			loc += 11;
			while (*loc == ' ')
				loc++;
			if (loc[0] != '/' || loc[1] == '/' || loc[1] == '\\')
				return "a redirect leaves the site";
		}
		/* Nobody who came without a session leaves with one. */
		static const char set_session[] = "\r\nset-cookie: rc_session=";
		enum { SET_SESSION = sizeof set_session - 1 };
		for (const char *c = h; anon && (c = find(c, hlen - (size_t)(c - h), set_session));
		     c += SET_SESSION)
			if (c[SET_SESSION] != ';' && c[SET_SESSION] != '\r')
				return "a caller without a session was given one";
		if (*status >= 500 && *status != 503 && (runcare || (*status != 501 && *status != 505)))
			return "a 5xx response other than 503";
		const char *cl = find(h, hlen, "\r\ncontent-length:");
		size_t body = 0;
		if (cl) {
			char *e;
			body = strtoull(cl + 17, &e, 10);
		} else if (*status >= 200 && *status != 204 && *status != 304) {
			return "a response has no Content-Length";
		}
		if (*status < 200 || *status == 204 || *status == 304)
			body = 0;
		size_t next = pos + hlen;
		bool fits = body <= len - next;
		if (fits && (next + body == len || has(b + next + body, len - next - body >= 9 ? 9 : 0, "HTTP/1.1 ")))
			pos = next + body;
		else if ((head_asked || !runcare) &&
		         (next == len || find(b + next, len - next >= 9 ? 9 : 0, "HTTP/1.1 ")))
			pos = next, body = 0; /* the answer to a HEAD, or libmicrohttpd's headers said twice */
		else
			return "a response's body does not match its Content-Length";
		/* What says it is UTF-8 is, and what says it is JSON is JSON, whatever the request. */
		if (body && has(h, hlen, "charset=utf-8") && !rc_utf8_valid(b + next, body))
			return "a response says it is UTF-8 and is not";
		if (body && has(h, hlen, "\r\ncontent-type: application/json")) {
			json_error_t je;
			json_t *v = json_loadb(b + next, body, JSON_DECODE_ANY, &je);
			if (!v)
				return "a response says it is JSON and is not";
			json_decref(v);
		}
	}
	return NULL;
}

/* Which secret a caller with these credentials was given that it did not send itself, or NULL. */
HARNESS static const char *leaked(const uint8_t *in, size_t n, size_t got, unsigned creds)
{
	char *raw = malloc(n ? n : 1), *decoded = malloc(n ? n : 1);
	size_t dn = 0;
	if (!raw || !decoded)
		die("buffers", "out of memory");
	input_forms(in, n, raw, decoded, &dn);
	lower(lowered, resp, got);
	const char *found = NULL;
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0] && !found; i++)
		if ((secrets[i].hidden_from & creds) == creds && has(lowered, got, secrets[i].text) &&
		    !has(raw, n, secrets[i].text) && !has(decoded, dn, secrets[i].text))
			found = secrets[i].text;
	free(raw);
	free(decoded);
	return found;
}

HARNESS static void show(const char *what, size_t got, size_t at)
{
	size_t n = got - at < FUZZ_MAX_REPORT ? got - at : FUZZ_MAX_REPORT;
	fprintf(stderr, "fuzz_http: %s\n--- the response, from byte %zu of %zu ---\n%.*s\n---\n", what, at, got, (int)n,
	        resp + at);
}

/* One connection; what is wrong with it, or NULL. */
HARNESS static const char *run(const uint8_t *data, size_t size, size_t *got, size_t *at, unsigned *status)
{
	*at = 0;
	*status = 0;
	rc_err e = rc_http_fuzz_one(srv, data, size, resp, FUZZ_RESP_CAP, got);
	if (e == RC_EBUSY)
		return "the connection was not over within 5 s";
	if (e)
		die("socketpair", strerror(errno));
	unsigned creds = credentials(data, size);
	if (*got < FUZZ_RESP_CAP) { /* a response cut at the cap is not checked */
		const char *bad = bad_responses(resp, *got, has(data, size, "HEAD "), creds == NOBODY, at, status);
		if (bad)
			return bad;
	}
	/* One credential alone (several together see what the most trusted sees). */
	const char *what = creds == NOBODY || (creds & (creds - 1)) == 0
	                           ? leaked(data, size, *got < FUZZ_RESP_CAP ? *got : FUZZ_RESP_CAP, creds)
	                           : NULL;
	if (what) {
		static char msg[200];
		const char *who_asked =
			creds == NOBODY ? "a caller without a session" : "a caller whose account may not see it";
		snprintf(msg, sizeof msg, "%s was given a runner's data (\"%s\")", who_asked, what);
		return msg;
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (++since_reset > FUZZ_RESET_EVERY)
		fresh_database();
	size_t got, at;
	unsigned status;
	const char *bad = run(data, size, &got, &at, &status);
	if (getenv("FUZZ_HTTP_SHOW")) /* the whole answer, to write seeds by */
		fprintf(stderr, "=== %zu bytes in, %zu out ===\n%.*s\n", size, got, (int)got, resp);
	if (!bad)
		return 0;
	show(bad, got, at);
	/* Earlier inputs may have changed the database: whether a fresh one shows the same decides. */
	fresh_database();
	const char *again = run(data, size, &got, &at, &status);
	if (again) {
		show(again, got, at);
		/* The page cache is kept across inputs (as a server keeps it across requests): a page an
		 * earlier input put there is served to this one too, on any database. */
		bool leak = strstr(again, "runner's data") != NULL;
		die(leak ? "on a fresh database too (if this input alone does not do it, an earlier input filled "
		           "the page cache)"
		         : "on a fresh database too",
		    again);
	}
	if (strstr(bad, "runner's data")) {
		/* What a signed-in input wrote (a staff member may put anything on a public page) is not a
		 * leak of this input's; it is gone with the fresh database. */
		fprintf(stderr, "fuzz_http: not on a fresh database: an earlier input's writing; going on\n");
		return 0;
	}
	die("only after earlier inputs changed the database", bad);
}
