/* fuzz_http.c — libFuzzer target for the whole request path: an input is the raw bytes a client sends on
 * one connection (a request line, headers and a body; several requests may follow one another), given
 * to the server `runcare serve` runs — libmicrohttpd's parser, on_request, the router, the access
 * checks, the form parsers and the pages — through one end of a socketpair (rc_http_fuzz_one, no port).
 *
 * The database is a demo clinic made once, in LLVMFuzzerInitialize, by the code `runcare serve --demo`
 * runs (rc_cli_demo_fill), with a second runner, a few records of each runner's (a home program, a diary
 * note, a visit, a place on the waiting list, a signed chart note) made by the use cases the pages
 * call, and one session and one write-scoped API token per demo account, with tokens and CSRF values
 * fixed here, so that the seeds (and whatever the fuzzer makes of them) reach the pages behind sign-in.
 * It is kept as a template in memory (SQLite's memdb: no file, no journal on disk, no fsync). The
 * server's database is another in-memory database that requests may write to; every FUZZ_RESET_EVERY
 * inputs it is overwritten with the template by SQLite's backup API, and the server's cache of
 * anonymous pages emptied, so neither grows without bound nor makes later inputs slower:
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
 * table `secrets`): nobody's name, email, diary or chart without one, the other runner's as the demo
 * runner, no diary, PSFS or chart note as the front desk — unless the input spelled it itself (a form
 * shown again keeps what was typed).
 *
 * FUZZ_HTTP_SHOW=1 prints every response (build-fuzz/fuzz-http FILE... runs just those inputs).
 *
 * Built with FUZZ_REQUEST defined it is fuzz-request: the same inputs (the corpora are shared), the same
 * database and checks, without the socket and libmicrohttpd. The harness reads each request of the input
 * (request line, headers, a body of its Content-Length) and hands its parts to rc_http_local, which runs
 * what on_request runs once libmicrohttpd has parsed a request — the route, the access checks, the forms,
 * CSRF, the page — and writes each answer as HTTP/1.1 for the checks. A malformed request ends the input
 * (libmicrohttpd's answers to those are fuzz-http's). Without the connection's ~60 µs and the parser,
 * its executions go to the router and the pages. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "app/booking.h"
#include "app/chart.h"
#include "app/program.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/text.h"
#include "base/time.h"
#include "cli/cli.h"
#include "content/billing.h"
#include "content/chart.h"
#include "content/content.h"
#include "content/programs.h"
#include "content/selfcheck.h"
#include "store/account.h"
#include "store/booking.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/waitlist.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/http.h"
#include "web/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The harness's own code is not measured for coverage: only the server's paths should guide the
 * search (a response one byte longer is not a new path), and lower-casing every response with
 * traced comparisons cost a tenth of each run. */
#define HARNESS __attribute__((no_sanitize("coverage")))
/* Nor do the sanitizers check its scans of whole responses (bytes it holds, with their lengths): a
 * check on every byte cost more than the server's own work on a page. */
#define SCAN __attribute__((no_sanitize("address", "undefined", "coverage")))

enum {
	FUZZ_RESET_EVERY = 1000,    /* inputs between fresh copies of the database (a copy, and preparing
	                             * the statements again after it, costs what a few inputs do) */
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

/* What a caller may not read (in lower case, and with nothing a page escapes: "Otto's" would be
 * "Otto&#39;s" in HTML and never match), by the credentials its input carries: the runners' names and
 * emails are for staff and for themselves; a diary note, a PSFS activity and a chart note are clinical,
 * so not for the front desk. A caller with several credentials, or an administrator's or a
 * practitioner's, may see everything. */
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
	{"otto knee note", NOBODY | ONLY(WHO_RUNNER) | ONLY(WHO_DESK)},
	{"otto psfs hill", NOBODY | ONLY(WHO_RUNNER) | ONLY(WHO_DESK)},
	{"rosa chart note", NOBODY | ONLY(WHO_DESK)},
	{"otto chart note", NOBODY | ONLY(WHO_RUNNER) | ONLY(WHO_DESK)},
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

/* SQLite's memdb: databases in this process's memory that every connection opening the same name
 * shares (the server's pool, and the harness's own handles below for the backup API). */
static const char template_url[] = "sqlite:file:/runcare-fuzz-http-template?vfs=memdb";
static const char live_url[] = "sqlite:file:/runcare-fuzz-http?vfs=memdb";

static char dir[64]; /* the server's upload spool */
static rc_pool *template_pool; /* the demo as made, with the credentials above */
static sqlite3 *template_db, *live_db;
static rc_config cfg;
static rc_app app;
#ifndef FUZZ_REQUEST
static struct rc_http_fuzz *srv;
#endif
static char *resp, *lowered;
static unsigned long since_reset;
static bool show_all; /* FUZZ_HTTP_SHOW */

HARNESS static _Noreturn void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_http: %s: %s\n", what, detail);
	abort();
}

HARNESS static sqlite3 *open_raw(const char *url)
{
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(url + strlen("sqlite:"), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
	                    NULL) != SQLITE_OK)
		die("cannot open the database", h ? sqlite3_errmsg(h) : url);
	return h;
}

/* The template's sessions are signed out after RC_SESSION_IDLE_S without a request: each copy made
 * from it touches them first, as a request would, so that a run of any length keeps them. */
HARNESS static void keep_sessions(void)
{
	rc_db *db = rc_pool_get(template_pool);
	for (size_t i = 0; i < NWHO; i++) {
		char hash[RC_HEX_HASH + 1], csrf[RC_HEX_HASH + 1];
		rc_account a;
		bool found = false;
		rc_crypto_token_hash(who[i].session, hash);
		if (rc_session_lookup(db, hash, rc_time_now(), RC_SESSION_IDLE_S, RC_SESSION_ABSOLUTE_S, &a, csrf, &found) ||
		    !found)
			die("the template's session is gone", who[i].email);
	}
	rc_pool_put(template_pool, db);
}

/* Overwrites the server's database with the template (the server's connection is idle between
 * connections: rc_pool_put ended its transaction) and forgets the anonymous pages rendered from it. */
HARNESS static void fresh_database(void)
{
	keep_sessions();
	sqlite3_backup *b = sqlite3_backup_init(live_db, "main", template_db, "main");
	if (!b)
		die("cannot copy the template", sqlite3_errmsg(live_db));
	int rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		die("cannot copy the template", sqlite3_errstr(rc));
#ifndef FUZZ_REQUEST /* fuzz-request answers no page from the cache */
	if (srv)
		rc_http_fuzz_forget(srv);
#endif
	since_reset = 0;
}

/* One session and one write-scoped API token for each demo account, with the values above. */
HARNESS static void credentials_for_all(rc_db *db)
{
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

/* A signed note on a runner's chart, by the practitioner, in an episode opened for it: what the chart's
 * pages and API show their clinicians and (signed) the runner. */
HARNESS static void chart_note(rc_db *db, const rc_chart_know *k, const char *email, const char *text)
{
	rc_account physio, runner;
	bool found_physio = false, found_runner = false;
	if (rc_account_by_email(db, who[WHO_PHYSIO].email, &physio, &found_physio) || !found_physio ||
	    rc_account_by_email(db, email, &runner, &found_runner) || !found_runner)
		die("no demo account", email);
	rc_arena a;
	rc_arena_init(&a, 4 << 20);
	rc_uc uc = {.db = db, .now = rc_time_now(), .actor = &physio, .address = peer, .arena = &a};
	rc_problem p = {0};
	rc_episode ep;
	rc_note note;
	if (rc_app_episode_open(&uc, k, runner.id,
	                        &(rc_episode_in){.complaint = "pain at the sit bone", .side = "left",
	                                         .onset_day = "2025-05-01", .onset_kind = "gradual",
	                                         .condition = "proximal_hamstring_tendinopathy", .goals = "run again"},
	                        &ep, &p) ||
	    rc_app_note_create(&uc, k, runner.id,
	                       &(rc_note_in){.episode = ep.id, .visit_day = "2025-06-02", .subjective = text,
	                                     .objective = "tender", .assessment = "tendinopathy", .plan = "loading", .sign = true},
	                       &note, &p))
		die("the runner's chart note", p.text);
	rc_arena_free(&a);
}

HARNESS static void remove_spool_dir(void)
{
	rmdir(dir); /* empty: every upload spool is an unlinked file */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[1024];
	/* Before SQLite starts: URIs name the memdb databases whatever SQLite's build says, and no
	 * allocation statistics (a global lock per allocation) that nothing here reads. */
	if (sqlite3_config(SQLITE_CONFIG_URI, 1) != SQLITE_OK || sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		die("SQLite", "cannot be configured");
	show_all = getenv("FUZZ_HTTP_SHOW") != NULL;
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
	rc_chart_kb *chart = NULL;
	rc_billing_kb *billing = NULL;
	if (rc_content_load(NULL, &ct, err, sizeof err) || rc_selfcheck_load(NULL, &kb, err, sizeof err) ||
	    rc_programs_load(NULL, &programs, err, sizeof err))
		die("built-in content", err);
	/* The acupoint list `runcare serve` reads by default (from ../shared, beside the project); without
	 * it the chart's pages still run and say that acupuncture cannot be recorded. */
	if (rc_chart_kb_load(NULL, RC_ACUPOINTS_DEFAULT, kb, &chart, err, sizeof err))
		die("built-in chart content", err);
	if (rc_billing_kb_load(NULL, &billing, err, sizeof err))
		die("built-in billing content", err);
	if (rc_tz_set(ct->clinic.timezone))
		die("unknown time zone", ct->clinic.timezone);

	snprintf(dir, sizeof dir, "/dev/shm/runcare-fuzz-http-%ld", (long)getpid());
	if (mkdir(dir, 0700) && errno != EEXIST)
		die("cannot make", dir);
	atexit(remove_spool_dir);

	template_db = open_raw(template_url); /* holds the template while the harness lives */
	if (rc_pool_open(template_url, 1, &template_pool, err, sizeof err))
		die("cannot open the database", err);
	rc_db *db = rc_pool_get(template_pool);
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
	runner_records(db, programs, other_email, "Otto knee note", "Otto PSFS hill");
	rc_chart_know know = {chart, kb, programs};
	chart_note(db, &know, who[WHO_RUNNER].email, "Rosa chart note"); /* episode 1, note 1 */
	chart_note(db, &know, other_email, "Otto chart note");           /* episode 2, note 2 */
	credentials_for_all(db); /* once: no password is hashed or checked to sign these in */
	rc_pool_put(template_pool, db);

	live_db = open_raw(live_url);
	fresh_database();
	cfg = (rc_config){
		.listen = "127.0.0.1:0",
		.db_url = live_url,
		.threads = 1,
		.demo = true,
		.public_url = "http://127.0.0.1:8080",
		.trusted_proxies = peer,
		.upload_dir = dir,
	};
	rc_pool *pool = NULL;
	if (rc_pool_open(live_url, 1, &pool, err, sizeof err))
		die("cannot open the database", err);
	if (rc_app_init(&app, &cfg, pool, ct))
		die("app", "out of memory");
	app.triage = kb;
	app.programs = programs;
	app.chart = chart;
	app.billing = billing;
#ifndef FUZZ_REQUEST
	if (!(srv = rc_http_fuzz_start(&app, peer, err, sizeof err)))
		die("server", err);
#endif
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
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The input with %XX and '+' decoded, as a form field a page may echo back holds it. */
HARNESS static size_t decode(const uint8_t *in, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '%' && i + 2 < n && hexval(in[i + 1]) >= 0 && hexval(in[i + 2]) >= 0) {
			out[o++] = (char)(hexval(in[i + 1]) * 16 + hexval(in[i + 2]));
			i += 2;
		} else {
			out[o++] = in[i] == '+' ? ' ' : (char)in[i];
		}
	}
	return o;
}

/* Where needle is in hay[0..n), or NULL. Not libc's memmem or memcmp: libFuzzer watches those and adds
 * what they look for to its dictionary, and inputs that spelled out the secrets would only be echoes.
 * memchr finds each place the first byte is, at the speed of libc. */
HARNESS static const char *find(const void *hay, size_t n, const char *needle)
{
	const char *h = hay;
	size_t m = strlen(needle);
	if (m == 0)
		return h;
	while (n >= m) {
		const char *p = memchr(h, needle[0], n - m + 1);
		if (!p)
			return NULL;
		size_t k = 1;
		while (k < m && p[k] == needle[k])
			k++;
		if (k == m)
			return p;
		n -= (size_t)(p + 1 - h);
		h = p + 1;
	}
	return NULL;
}

HARNESS static bool has(const void *hay, size_t n, const char *needle)
{
	return find(hay, n, needle) != NULL;
}

/* Whether s[0..n) is UTF-8 (no overlong forms, surrogates or code points past U+10FFFF: the rule of
 * rc_utf8_valid, which is in the instrumented core, where its traced comparisons on every byte of every
 * response were a tenth of each run and steered the search by the response's bytes). Eight ASCII bytes
 * at a time. */
SCAN static bool utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		uint64_t w;
		if (n - i >= 8 && (memcpy(&w, s + i, 8), (w & 0x8080808080808080ull) == 0)) {
			i += 8;
			continue;
		}
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (c < 0xC2 || c > 0xF4 || n - i < len)
			return false;
		uint32_t cp = c & (0x7Fu >> len);
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3Fu);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		i += len;
	}
	return true;
}

/* Whether s[0..n) is one JSON value that jansson's json_loadb(JSON_DECODE_ANY) certainly reads, without
 * building it: parsing every JSON response into jansson's objects (a malloc per value, under ASan) and
 * freeing them was a twentieth of fuzz-request's time. Only what is surely valid passes; the rest —
 * what is invalid, and the few valid texts jansson may still refuse (\u0000, an unpaired surrogate, an
 * integer past 64 bits, an exponent of three digits, nesting past 200) — goes to jansson, which decides. */
enum { JSON_SURE_DEPTH = 200 };

SCAN static size_t sure_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* The end of the string beginning at s[i] == '"', or 0. */
SCAN static size_t sure_string(const char *s, size_t n, size_t i)
{
	size_t start = ++i;
	while (i < n && s[i] != '"') {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20)
			return 0;
		if (c != '\\') {
			i++;
			continue;
		}
		if (!utf8_valid(s + start, i - start) || i + 1 >= n)
			return 0;
		char e = s[i + 1];
		if (e == 'u') {
			unsigned cp = 0;
			for (size_t k = 2; k < 6; k++) {
				int h = i + k < n ? hexval(s[i + k]) : -1;
				if (h < 0)
					return 0;
				cp = cp * 16 + (unsigned)h;
			}
			if (cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
				return 0;
			i += 6;
			if (cp >= 0xD800 && cp <= 0xDBFF) { /* a high surrogate: its low one must follow */
				unsigned lo = 0;
				if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u')
					return 0;
				for (size_t k = 2; k < 6; k++) {
					int h = hexval(s[i + k]);
					if (h < 0)
						return 0;
					lo = lo * 16 + (unsigned)h;
				}
				if (lo < 0xDC00 || lo > 0xDFFF)
					return 0;
				i += 6;
			}
		} else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
			i += 2;
		} else {
			return 0;
		}
		start = i;
	}
	if (i >= n || !utf8_valid(s + start, i - start))
		return 0;
	return i + 1;
}

/* The end of the number beginning at s[i], or 0: RFC 8259's grammar, an integer of at most 18 digits,
 * an exponent of at most two. */
SCAN static size_t sure_number(const char *s, size_t n, size_t i)
{
	size_t d;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else {
		for (d = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			d++;
		if (d == 0 || d > 18)
			return 0;
	}
	if (i < n && s[i] == '.') {
		for (d = 0, i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			d++;
		if (d == 0 || d > 17)
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			d++;
		if (d == 0 || d > 2)
			return 0;
	}
	return i;
}

/* The end of the word w at s[i], or 0 (not libc's memcmp: libFuzzer would take its words for hints). */
SCAN static size_t sure_word(const char *s, size_t n, size_t i, const char *w)
{
	for (; *w; w++, i++)
		if (i >= n || s[i] != *w)
			return 0;
	return i;
}

/* The end of the value at s[i] (after white space), or 0. */
SCAN static size_t sure_value(const char *s, size_t n, size_t i, int depth)
{
	i = sure_ws(s, n, i);
	if (i >= n || depth > JSON_SURE_DEPTH)
		return 0;
	switch (s[i]) {
	case '"':
		return sure_string(s, n, i);
	case 't':
		return sure_word(s, n, i, "true");
	case 'f':
		return sure_word(s, n, i, "false");
	case 'n':
		return sure_word(s, n, i, "null");
	case '[':
	case '{': {
		bool object = s[i] == '{';
		char close = object ? '}' : ']';
		i = sure_ws(s, n, i + 1);
		if (i < n && s[i] == close)
			return i + 1;
		for (;;) {
			if (object) {
				i = sure_ws(s, n, i);
				if (i >= n || s[i] != '"' || !(i = sure_string(s, n, i)))
					return 0;
				i = sure_ws(s, n, i);
				if (i >= n || s[i] != ':')
					return 0;
				i++;
			}
			if (!(i = sure_value(s, n, i, depth + 1)))
				return 0;
			i = sure_ws(s, n, i);
			if (i < n && s[i] == ',') {
				i++;
				continue;
			}
			return i < n && s[i] == close ? i + 1 : 0;
		}
	}
	default:
		return sure_number(s, n, i);
	}
}

SCAN static bool json_surely_valid(const char *s, size_t n)
{
	size_t end = sure_value(s, n, 0, 0);
	return end && sure_ws(s, n, end) == n;
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
		if (body && has(h, hlen, "charset=utf-8") && !utf8_valid(b + next, body))
			return "a response says it is UTF-8 and is not";
		if (body && has(h, hlen, "\r\ncontent-type: application/json") && !json_surely_valid(b + next, body)) {
			json_error_t je;
			json_t *v = json_loadb(b + next, body, JSON_DECODE_ANY, &je);
			if (!v)
				return "a response says it is JSON and is not";
			json_decref(v);
		}
	}
	return NULL;
}

/* The secrets (bit 1 << i for secrets[i]) that s[0..n) holds, in any case: one pass, in which a byte
 * that begins no secret costs one lookup. */
SCAN static unsigned secrets_in(const char *s, size_t n)
{
	enum { NSECRETS = sizeof secrets / sizeof secrets[0] };
	static unsigned starts[256]; /* the secrets that begin with each byte, either case */
	static size_t len[NSECRETS];
	if (!len[0])
		for (size_t k = 0; k < NSECRETS; k++) {
			unsigned char c = (unsigned char)secrets[k].text[0];
			starts[c] |= 1u << k;
			starts[c >= 'a' && c <= 'z' ? c - 32 : c] |= 1u << k;
			len[k] = strlen(secrets[k].text);
		}
	unsigned found = 0;
	for (size_t i = 0; i < n; i++) {
		for (unsigned m = starts[(unsigned char)s[i]] & ~found; m; m &= m - 1) {
			int k = __builtin_ctz(m);
			const char *t = secrets[k].text;
			size_t j = 1;
			while (j < len[k] && i + j < n && (s[i + j] >= 'A' && s[i + j] <= 'Z' ? s[i + j] + 32 : s[i + j]) == t[j])
				j++;
			if (j == len[k])
				found |= 1u << k;
		}
	}
	return found;
}

/* Which secret a caller with these credentials was given that it did not send itself, or NULL. */
HARNESS static const char *leaked(const uint8_t *in, size_t n, size_t got, unsigned creds)
{
	static char *decoded;
	static size_t room;
	unsigned hidden = 0;
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if ((secrets[i].hidden_from & creds) == creds)
			hidden |= 1u << i;
	unsigned given = secrets_in(resp, got) & hidden;
	if (!given)
		return NULL;
	/* Rare: only now the input itself, as sent and decoded, to see whether it spelled the secret. */
	if (n > room) {
		free(decoded);
		room = n;
		if (!(decoded = malloc(room)))
			die("buffers", "out of memory");
	}
	given &= ~(secrets_in((const char *)in, n) | secrets_in(decoded, decode(in, n, decoded)));
	return given ? secrets[__builtin_ctz(given)].text : NULL;
}

HARNESS static void show(const char *what, size_t got, size_t at)
{
	size_t n = got - at < FUZZ_MAX_REPORT ? got - at : FUZZ_MAX_REPORT;
	fprintf(stderr, "fuzz_http: %s\n--- the response, from byte %zu of %zu ---\n%.*s\n---\n", what, at, got, (int)n,
	        resp + at);
}

#ifdef FUZZ_REQUEST
/* The end of the line at s (its "\n", or at the end of the input), and where the next one begins. */
HARNESS static const char *line_end(const char *s, const char *end, const char **next)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	*next = nl ? nl + 1 : end;
	if (!nl)
		nl = end;
	return nl > s && nl[-1] == '\r' ? nl - 1 : nl;
}

/* Appends to resp at *got what fits. */
HARNESS static void put(size_t *got, const void *p, size_t n)
{
	if (n > FUZZ_RESP_CAP - *got)
		n = FUZZ_RESP_CAP - *got;
	memcpy(resp + *got, p, n);
	*got += n;
}

/* The requests of the input, one after another, each answered by rc_http_local into resp as
 * libmicrohttpd would send it; the first malformed one ends the input. */
HARNESS static void exchange(const uint8_t *data, size_t size, size_t *got)
{
	enum { MAX_HEADERS = 64, REQ_LINE_MAX = 8192 };
	static char text[65536 + 1];
	*got = 0;
	if (size > sizeof text - 1)
		size = sizeof text - 1;
	memcpy(text, data, size);
	text[size] = '\0';
	const char *s = text, *end = text + size, *next;
	while (s < end && *got < FUZZ_RESP_CAP) {
		/* METHOD SP TARGET SP HTTP/1.x */
		const char *le = line_end(s, end, &next);
		if (le - s > REQ_LINE_MAX || memchr(s, '\0', (size_t)(le - s)))
			return;
		const char *sp1 = memchr(s, ' ', (size_t)(le - s));
		const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(le - sp1 - 1)) : NULL;
		if (!sp1 || !sp2 || sp1 == s || sp2 == sp1 + 1 || le - sp2 != 9 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
			return;
		char method[32], target[REQ_LINE_MAX + 1];
		if ((size_t)(sp1 - s) >= sizeof method)
			return;
		memcpy(method, s, (size_t)(sp1 - s));
		method[sp1 - s] = '\0';
		memcpy(target, sp1 + 1, (size_t)(sp2 - sp1 - 1));
		target[sp2 - sp1 - 1] = '\0';
		if (target[0] != '/')
			return;
		/* Name: value lines up to an empty one. */
		static char names[MAX_HEADERS][256];
		rc_field h[MAX_HEADERS];
		size_t nh = 0, body_len = 0;
		bool keep_alive = true;
		for (s = next;; s = next) {
			if (s >= end)
				return; /* the headers never end: libmicrohttpd would wait */
			le = line_end(s, end, &next);
			if (le == s)
				break;
			const char *colon = memchr(s, ':', (size_t)(le - s));
			if (!colon || colon == s || (size_t)(colon - s) >= sizeof names[0] || nh == MAX_HEADERS ||
			    memchr(s, '\0', (size_t)(le - s)))
				return;
			memcpy(names[nh], s, (size_t)(colon - s));
			names[nh][colon - s] = '\0';
			const char *v = colon + 1;
			while (v < le && (*v == ' ' || *v == '\t'))
				v++;
			h[nh] = (rc_field){.name = names[nh], .value = v, .len = (size_t)(le - v)};
			if (strcasecmp(names[nh], "Content-Length") == 0) {
				char *e;
				unsigned long long n = strtoull(v, &e, 10);
				if (e == v || e != le || n > (unsigned long long)(end - next))
					return;
				body_len = (size_t)n;
			} else if (strcasecmp(names[nh], "Transfer-Encoding") == 0) {
				return;
			} else if (strcasecmp(names[nh], "Connection") == 0 && le - v == 5 && strncasecmp(v, "close", 5) == 0) {
				keep_alive = false;
			}
			nh++;
		}
		const char *body = next;
		s = next + body_len;
		/* rc_http_local reads values as C strings: each ends where its line did. */
		for (size_t i = 0; i < nh; i++)
			((char *)h[i].value)[h[i].len] = '\0';
		rc_req *r = rc_http_local(&app, method, target, h, nh, body, body_len);
		if (!r)
			die("rc_http_local", "out of memory");
		const char *out = r->out_static ? (const char *)r->out_static : r->out.data ? r->out.data : "";
		size_t out_len = r->out_static ? r->out_static_len : r->out.len;
		unsigned st = r->status ? r->status : 200;
		char head[512];
		int n = snprintf(head, sizeof head, "HTTP/1.1 %03u X\r\nContent-Type: %s\r\nContent-Security-Policy: x\r\n",
		                 st, r->content_type ? r->content_type : "text/html; charset=utf-8");
		put(got, head, (size_t)n);
		for (size_t i = 0; i < r->nheaders; i++) {
			put(got, r->headers[i].name, strlen(r->headers[i].name));
			put(got, ": ", 2);
			put(got, r->headers[i].value, strlen(r->headers[i].value));
			put(got, "\r\n", 2);
		}
		bool no_body = st < 200 || st == 204 || st == 304;
		n = no_body ? snprintf(head, sizeof head, "\r\n")
		            : snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", out_len);
		put(got, head, (size_t)n);
		if (!no_body && strcmp(method, "HEAD") != 0)
			put(got, out, out_len);
		rc_http_local_free(r);
		if (!keep_alive)
			return;
	}
}
#endif

/* One connection; what is wrong with it, or NULL. */
HARNESS static const char *run(const uint8_t *data, size_t size, size_t *got, size_t *at, unsigned *status)
{
	*at = 0;
	*status = 0;
#ifdef FUZZ_REQUEST
	exchange(data, size, got);
#else
	rc_err e = rc_http_fuzz_one(srv, data, size, resp, FUZZ_RESP_CAP, got);
	if (e == RC_EBUSY)
		return "the connection was not over within 5 s";
	if (e)
		die("socketpair", strerror(errno));
#endif
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
	if (show_all) /* the whole answer, to write seeds by */
		fprintf(stderr, "=== %zu bytes in, %zu out ===\n%.*s\n", size, got, (int)got, resp);
	if (!bad)
		return 0;
	show(bad, got, at);
	/* Earlier inputs may have changed the database (and the anonymous pages rendered from it): whether
	 * a fresh one shows the same decides. */
	fresh_database();
	const char *again = run(data, size, &got, &at, &status);
	if (again) {
		show(again, got, at);
		die("on a fresh database too", again);
	}
	if (strstr(bad, "runner's data")) {
		/* What a signed-in input wrote (a staff member may put anything on a public page) is not a
		 * leak of this input's; it is gone with the fresh database. */
		fprintf(stderr, "fuzz_http: not on a fresh database: an earlier input's writing; going on\n");
		return 0;
	}
	die("only after earlier inputs changed the database", bad);
}
