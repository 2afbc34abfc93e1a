/* serve.c — runcare serve: load content, open and migrate the database, optionally fill the demo
 * clinic, and serve HTTP until told to stop; runcare routes: the table it serves. The one file of
 * cli/ that sees web/, and only through web/server.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/waitlist.h"
#include "app/wave.h"
#include "app/jobs.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/time.h"
#include "cli/cli.h"
#include "content/billing.h"
#include "content/chart.h"
#include "content/content.h"
#include "content/programs.h"
#include "content/selfcheck.h"
#include "domain/password.h"
#include "mail/mailer.h"
#include "store/account.h"
#include "store/booking.h"
#include "store/chart_store.h"
#include "store/clinic.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/training_store.h"
#include "web/server.h"

enum { RC_MAX_THREADS = 256 };

static const char help[] =
	"usage: runcare serve [--listen ADDR:PORT] [--db URL] [--content DIR] [--threads N] [--demo]\n"
	"                     [--public-url URL] [--behind-tls] [--trusted-proxy ADDR[,ADDR]] [--upload-dir DIR]\n"
	"                     [--max-upload MB] [--upload-stall SECONDS] [--smtp URL] [--mail-from ADDR]\n\n"
	"  --listen ADDR:PORT  where to listen (default: $RUNCARE_LISTEN, else " RC_DEFAULT_LISTEN ")\n"
	"  --db URL            the database, sqlite:PATH (default: $RUNCARE_DB, else " RC_DEFAULT_DB ")\n"
	"  --content DIR       the clinic's own content folder instead of the built-in demo content\n"
	"                      (default: $RUNCARE_CONTENT, else built in)\n"
	"  --threads N         worker threads (default: the number of processors)\n"
	"  --demo[=quiet]      fill an empty database with the demo clinic: its staff, patients and weeks of\n"
	"                      visits around today, last year's marathon; =quiet: the clinic without the visits\n"
	"  --public-url URL    how people reach this server, for links in mail\n"
	"                      (default: $RUNCARE_PUBLIC_URL, else http://ADDR:PORT)\n"
	"  --behind-tls        a TLS proxy is in front: cookies get Secure (or RUNCARE_BEHIND_TLS=1)\n"
	"  --trusted-proxy ADDR[,ADDR]\n"
	"                      proxies whose X-Forwarded-For names the client (default: $RUNCARE_TRUSTED_PROXY,\n"
	"                      else none: the header is ignored)\n"
	"  --upload-dir DIR    where uploads are spooled while they arrive, as unlinked files of mode 0600\n"
	"                      (default: $RUNCARE_UPLOAD_DIR, else $TMPDIR, else /tmp)\n"
	"  --max-upload MB     the most one web upload may hold, in MiB, up to and by default 4096 (4 GB)\n"
	"                      (default: $RUNCARE_MAX_UPLOAD)\n"
	"  --upload-stall SECONDS\n"
	"                      an upload that brings less than 256 KiB in this long is cut with 408\n"
	"                      (default: $RUNCARE_UPLOAD_STALL, else 60)\n"
	"  --smtp URL          deliver the mail outbox through this relay, e.g. smtp://127.0.0.1:25\n"
	"                      (default: $RUNCARE_SMTP; without one, mail waits in the outbox)\n"
	"  --mail-from ADDR    the sender address (default: $RUNCARE_MAIL_FROM, else runcare@localhost)\n"
	"  --acupoints FILE    the WHO acupoint list for acupuncture records (default: $RUNCARE_ACUPOINTS, else\n"
	"                      " RC_ACUPOINTS_DEFAULT "; without it, acupuncture cannot be recorded)\n\n"
	"Stops on Ctrl-C or SIGTERM after the requests in flight finish.\n";

/* The demo clinic's services, practitioners and weekly hours (its profile is in content/). */
static rc_err demo_schedule(rc_db *db, int64_t physio_account)
{
	static const struct {
		const char *key, *name, *discipline;
		int minutes;
		int64_t cents;
	} services[] = {
		{"initial-assessment", "Initial assessment", "physical_therapy", 60, 15000},
		{"follow-up", "Follow-up visit", "physical_therapy", 30, 8500},
		{"acupuncture", "Acupuncture", "acupuncture", 45, 11000},
		{"sports-massage", "Sports massage", "sports_massage", 60, 12000},
	};
	static const struct {
		const char *name, *disciplines;
		bool has_account;
		unsigned offers; /* bit i: services[i] */
	} team[] = {
		{"Priya Physio (PT, L.Ac.)", "physical_therapy acupuncture", true, 0x7},
		{"Lin Wei (L.Ac.)", "acupuncture", false, 0x4},
		{"Marco Díaz (LMT)", "sports_massage", false, 0x8},
	};
	int64_t sid[4], pid;
	rc_err e = RC_OK;
	for (size_t i = 0; i < 4 && !e; i++)
		e = rc_service_create(db, services[i].key, services[i].name, services[i].minutes, services[i].cents,
		                      services[i].discipline, &sid[i]);
	for (size_t t = 0; t < 3 && !e; t++) {
		e = rc_practitioner_create(db, team[t].has_account ? physio_account : 0, team[t].name, team[t].disciplines, &pid);
		for (size_t i = 0; i < 4 && !e; i++)
			if (team[t].offers & (1u << i))
				e = rc_practitioner_offer(db, pid, sid[i]);
		/* Monday to Friday 08:00–12:00 and 13:00–18:00, Saturday 08:00–13:00. */
		for (int wd = 0; wd < 5 && !e; wd++)
			if (!(e = rc_hours_add(db, pid, wd, 8 * 60, 12 * 60)))
				e = rc_hours_add(db, pid, wd, 13 * 60, 18 * 60);
		if (!e)
			e = rc_hours_add(db, pid, 5, 8 * 60, 13 * 60);
	}
	return e;
}

/* The demo clinic's people, without passwords: each gets a single-use link to choose one,
 * printed on this terminal after the transaction commits (never in the log), so a newcomer can
 * try every role at once. */
enum { DEMO_PEOPLE = 4 };

struct demo {
	const rc_content *content;
	int64_t now; /* the command's one reading of the clock */
	bool created;
	int64_t ids[DEMO_PEOPLE];
	char lines[DEMO_PEOPLE][256];
};

/* The demo runner's training, as if imported from a watch: five steady weeks of easy runs, then a week
 * with more running, a hilly run and two track sessions, so the training page and the self-check have
 * something to show. Numbers only (no files); marked as the demo's in the source name. */
static rc_err demo_training(rc_db *db, int64_t runner, int64_t now)
{
	int64_t today = now - now % 86400;
	for (int d = 41; d >= 1; d--) {
		bool easy = d >= 7 && (d % 7 == 1 || d % 7 == 3 || d % 7 == 5 || d % 7 == 6);
		bool last = d < 7 && d % 2 == 1; /* days 5, 3, 1 */
		bool track = d == 6 || d == 2;
		if (!easy && !last && !track)
			continue;
		rc_activity_rec a;
		memset(&a, 0, sizeof a);
		a.start_at = today - (int64_t)d * 86400 + 14 * 3600;
		snprintf(a.source, sizeof a.source, "demo-%02d.fit", d);
		snprintf(a.format, sizeof a.format, "fit");
		snprintf(a.sport, sizeof a.sport, "running");
		int minutes = track ? 50 : last ? 60 : 40;
		a.moving_s = minutes * 60;
		a.duration_s = a.moving_s + 120;
		a.distance_m = minutes * 180;
		a.gain_m = d == 3 ? 420 : track ? 5 : 35;
		a.loss_m = a.gain_m;
		a.hr_avg = track ? 162 : 145;
		a.uphill_s = d == 3 ? 1500 : 120;
		a.fast_s = track ? 1200 : 60;
		if (track) {
			a.track_size_m = 400;
			a.track_laps_x10 = 120;
			a.track_bend_m = 2750;
			a.track_radius_m = 37;
			snprintf(a.track_direction, sizeof a.track_direction, "counter-clockwise");
		}
		bool dup;
		int64_t id;
		rc_err e = rc_activity_insert(db, runner, &a, "[]", now, &dup, &id);
		if (e)
			return e;
	}
	return RC_OK;
}

static rc_err demo_tx(rc_db *db, void *arg)
{
	static const struct {
		rc_role role;
		const char *email, *name;
	} people[DEMO_PEOPLE] = {
		{RC_ROLE_ADMIN, "admin@demo.runcare.test", "Dana Admin"},
		{RC_ROLE_PRACTITIONER, "physio@demo.runcare.test", "Priya Physio (PT, L.Ac.)"},
		{RC_ROLE_FRONT_DESK, "desk@demo.runcare.test", "Frank Front Desk"},
		{RC_ROLE_RUNNER, "runner@demo.runcare.test", "Rosa Runner"},
	};
	struct demo *d = arg;
	long n = 0;
	bool created = false;
	d->created = false;
	rc_err e = rc_store_clinic_count(db, &n);
	if (e || n > 0)
		return e; /* only an empty database gets the demo */
	if ((e = rc_store_clinic_ensure(db, "demo", d->content->clinic.name, d->content->clinic.timezone, &created)))
		return e;
	int64_t now = d->now, *ids = d->ids;
	for (size_t i = 0; i < DEMO_PEOPLE; i++) {
		char token[RC_TOKEN_CHARS + 1], hash[RC_HEX_HASH + 1];
		rc_crypto_token(token);
		rc_crypto_token_hash(token, hash);
		if ((e = rc_account_create(db, people[i].email, people[i].name, people[i].role, NULL, now, &ids[i])) ||
		    (e = rc_link_create(db, hash, ids[i], "set_password", now, now + RC_LINK_TTL_S)))
			return e;
		snprintf(d->lines[i], sizeof d->lines[i], "  %-13s %-26s /password/set/%s", rc_role_label(people[i].role),
		         people[i].email, token);
	}
	if ((e = demo_schedule(db, ids[1])) || (e = demo_training(db, ids[3], now)))
		return e;
	/* The runner's details, as the front desk would have taken them: the chart's header has them. */
	rc_profile rosa = {.runner_id = ids[3]};
	snprintf(rosa.date_of_birth, sizeof rosa.date_of_birth, "1991-04-17");
	snprintf(rosa.phone, sizeof rosa.phone, "(619) 555-0173");
	snprintf(rosa.emergency_name, sizeof rosa.emergency_name, "Sam Runner, partner");
	snprintf(rosa.emergency_phone, sizeof rosa.emergency_phone, "(619) 555-0174");
	if ((e = rc_profile_put(db, &rosa, "6195550173", now, 0)))
		return e;
	d->created = true;
	return RC_OK;
}

/* What the demo's people are doing, through the use cases every door calls (after the demo clinic
 * is committed, by the one process that created it): the front desk has put the demo runner on the
 * waitlist for a sports massage this week, and the admin has recorded a marathon six weeks out, so
 * the waitlist and the wave pages have something to show. */
static rc_err demo_activity(rc_db *db, const struct demo *d, bool visits, char *err, size_t errlen)
{
	rc_account desk, admin;
	bool found_desk = false, found_admin = false;
	rc_err e = rc_account_by_id(db, d->ids[2], &desk, &found_desk);
	if (!e)
		e = rc_account_by_id(db, d->ids[0], &admin, &found_admin);
	if (e || !found_desk || !found_admin)
		return rc_errf(err, errlen, e ? e : RC_ENOTFOUND, "the demo's accounts could not be read");
	rc_arena arena;
	rc_arena_init(&arena, 1024 * 1024);
	rc_problem p = {0};
	int64_t today = rc_tz_day_number(d->now), id;
	char from[11], to[11], race[11];
	rc_day_name(today, from);
	rc_day_name(today + 5, to);
	/* The Sunday at least six weeks ahead (day 0 was a Thursday: day + 3 is 0 on Mondays). */
	int64_t sunday = today + 42 + (6 - ((today + 3) % 7 + 7) % 7);
	rc_day_name(sunday, race);
	rc_wait_join join = {.clinic = &d->content->clinic, .service = "sports-massage", .from = from, .to = to,
	                     .condition = "runners_butt", .patient = "runner@demo.runcare.test", .urgency = "soon"};
	rc_uc uc = {db, d->now, &desk, "cli", &arena};
	rc_wait_joined joined;
	e = rc_app_waitlist_join(&uc, &join, &joined, &p);
	if (!e) {
		uc.actor = &admin;
		rc_wave_event_in marathon = {"Mission Bay Marathon", race, "9,000"};
		e = rc_app_wave_event_add(&uc, &marathon, &id, &p);
	}
	if (e)
		rc_errf(err, errlen, e, "the demo's waitlist and wave: %s", p.text[0] ? p.text : rc_db_errmsg(db));
	rc_arena_free(&arena);
	/* The patients and their visits, this year's and last year's wave (demo.c). */
	if (!e && visits)
		e = rc_cli_demo_visits(db, &desk, &admin, d->now, err, errlen);
	return e;
}

rc_err rc_cli_demo_fill(rc_db *db, const rc_content *content, bool *created)
{
	struct demo d = {.content = content, .now = rc_time_now()};
	char err[256];
	rc_err e = rc_db_tx(db, demo_tx, &d);
	if (!e && d.created)
		e = demo_activity(db, &d, false, err, sizeof err);
	*created = !e && d.created;
	return e;
}

int rc_cli_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, 0, 'l'}, {"db", required_argument, 0, 'd'},
		{"content", required_argument, 0, 'c'}, {"threads", required_argument, 0, 't'},
		{"demo", optional_argument, 0, 'D'},          {"help", no_argument, 0, 'h'},
		{"public-url", required_argument, 0, 'u'}, {"behind-tls", no_argument, 0, 'T'},
		{"smtp", required_argument, 0, 'S'},       {"mail-from", required_argument, 0, 'F'},
		{"trusted-proxy", required_argument, 0, 'P'}, {"upload-dir", required_argument, 0, 'U'},
		{"acupoints", required_argument, 0, 'A'},
		{"max-upload", required_argument, 0, 'M'}, {"upload-stall", required_argument, 0, 'W'},
		{0},
	};
	const char *listen = NULL, *db = NULL, *content = NULL, *public_url = NULL, *smtp = NULL, *mail_from = NULL;
	const char *trusted = NULL, *upload_dir = NULL, *acupoints = NULL, *max_upload = NULL, *upload_stall = NULL;
	bool behind_tls = false;
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	bool demo = false, demo_quiet = false;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 'd': db = optarg; break;
		case 'c': content = optarg; break;
		case 'D':
			demo = true;
			/* --demo=quiet: the clinic, its staff and the demo runner, without the patients and the
			 * weeks of visits (a clean slate, as the integration tests want it). */
			if (optarg && strcmp(optarg, "quiet") == 0)
				demo_quiet = true;
			else if (optarg && strcmp(optarg, "full") != 0) {
				fprintf(stderr, "runcare serve: --demo takes no value, or =full, or =quiet; not '%s'\n", optarg);
				return RC_EXIT_USAGE;
			}
			break;
		case 'u': public_url = optarg; break;
		case 'T': behind_tls = true; break;
		case 'S': smtp = optarg; break;
		case 'F': mail_from = optarg; break;
		case 'P': trusted = optarg; break;
		case 'U': upload_dir = optarg; break;
		case 'A': acupoints = optarg; break;
		case 'M': max_upload = optarg; break;
		case 'W': upload_stall = optarg; break;
		case 'h': fputs(help, stdout); return RC_EXIT_OK;
		case 't': {
			char *end;
			threads = strtol(optarg, &end, 10);
			if (*end || end == optarg || threads < 1 || threads > RC_MAX_THREADS) {
				fprintf(stderr, "runcare serve: --threads must be a number from 1 to %d, not '%s'\n",
				        RC_MAX_THREADS, optarg);
				return RC_EXIT_USAGE;
			}
			break;
		}
		default:
			fprintf(stderr, "runcare serve: unknown or incomplete option '%s'\n\n%s", argv[optind - 1], help);
			return RC_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "runcare serve: unexpected argument '%s'\n\n%s", argv[optind], help);
		return RC_EXIT_USAGE;
	}
	if (threads < 1)
		threads = 1;
	rc_config cfg = {
		.listen = rc_cli_setting(listen, "RUNCARE_LISTEN", RC_DEFAULT_LISTEN),
		.db_url = rc_cli_setting(db, "RUNCARE_DB", RC_DEFAULT_DB),
		.content_dir = rc_cli_setting(content, "RUNCARE_CONTENT", NULL),
		.threads = (unsigned)threads,
		.demo = demo,
		.behind_tls = behind_tls || (getenv("RUNCARE_BEHIND_TLS") && strcmp(getenv("RUNCARE_BEHIND_TLS"), "1") == 0),
		.trusted_proxies = rc_cli_setting(trusted, "RUNCARE_TRUSTED_PROXY", NULL),
		.upload_dir = rc_cli_setting(upload_dir, "RUNCARE_UPLOAD_DIR", rc_cli_setting(NULL, "TMPDIR", "/tmp")),
	};
	/* The upload's cap and stall rule (web/http.h): whole numbers in range, else a usage error. */
	const struct {
		const char *opt, *value;
		long long lo, hi;
	} nums[] = {
		{"--max-upload", rc_cli_setting(max_upload, "RUNCARE_MAX_UPLOAD", NULL), 1, RC_IMPORT_MAX_JOB_BYTES >> 20},
		{"--upload-stall", rc_cli_setting(upload_stall, "RUNCARE_UPLOAD_STALL", NULL), 1, 3600},
	};
	long long got[2] = {0, 0};
	for (int i = 0; i < 2; i++) {
		if (!nums[i].value)
			continue;
		char *end;
		errno = 0;
		got[i] = strtoll(nums[i].value, &end, 10);
		if (errno || *end || end == nums[i].value || got[i] < nums[i].lo || got[i] > nums[i].hi) {
			fprintf(stderr, "runcare serve: %s must be a whole number from %lld to %lld, not '%s'\n", nums[i].opt,
			        nums[i].lo, nums[i].hi, nums[i].value);
			return RC_EXIT_USAGE;
		}
	}
	cfg.max_upload = got[0] << 20;
	cfg.upload_stall_s = (int)got[1];
	char default_url[300];
	snprintf(default_url, sizeof default_url, "http://%s", cfg.listen);
	cfg.public_url = rc_cli_setting(public_url, "RUNCARE_PUBLIC_URL", default_url);
	rc_err crypto = rc_crypto_init();
	if (crypto) {
		fprintf(stderr, "runcare serve: %s\n",
		        crypto == RC_EINVAL ? "RUNCARE_PASSWORD_HASH is not a cost runcare knows (see above)"
		                            : "libsodium could not start");
		return crypto == RC_EINVAL ? RC_EXIT_USAGE : RC_EXIT_FAIL;
	}
	rc_info("passwords: new hashes are %s (RUNCARE_PASSWORD_HASH)", rc_crypto_password_cost());

	char err[1024];
	if (rc_http_check_listen(cfg.listen, err, sizeof err) || rc_http_check_config(&cfg, err, sizeof err)) {
		fprintf(stderr, "runcare serve: %s\n", err);
		return RC_EXIT_USAGE;
	}
	rc_content *ct = NULL;
	if (rc_content_load(cfg.content_dir, &ct, err, sizeof err)) {
		fprintf(stderr, "runcare serve: content is not valid, not starting: %s\n", err);
		return RC_EXIT_USAGE;
	}
	if (rc_tz_set(ct->clinic.timezone)) {
		fprintf(stderr, "runcare serve: content is not valid, not starting: clinic.json: 'timezone' names no "
		                "time zone this system knows ('%s'; is tzdata installed?)\n",
		        ct->clinic.timezone);
		rc_content_free(ct);
		return RC_EXIT_USAGE;
	}
	rc_pool *pool = NULL;
	rc_triage_kb *kb = NULL;
	rc_programs *programs = NULL;
	rc_chart_kb *chart = NULL;
	rc_billing_kb *billing = NULL;
	rc_mailer *mailer = NULL;
	rc_import_worker *importer = NULL;
	int status = RC_EXIT_FAIL;
	rc_app app;
	memset(&app, 0, sizeof app);
	if (rc_pool_open(cfg.db_url, cfg.threads, &pool, err, sizeof err)) {
		fprintf(stderr, "runcare serve: %s\n", err);
		goto out;
	}
	rc_db *conn = rc_pool_get(pool);
	int applied = 0;
	rc_err e = rc_migrate(conn, &applied, err, sizeof err);
	if (!e && applied)
		rc_info("database: %d migration%s applied", applied, applied == 1 ? "" : "s");
	if (rc_clock_overridden()) {
		char at[40];
		rc_tz_rfc3339(rc_time_now(), at, sizeof at);
		rc_warn("clock: RUNCARE_CLOCK says it is %s (for tests only)", at);
	}
	if (!e && cfg.demo) {
		/* One transaction: a second process starting on the same database at the same moment
		 * waits, then finds the demo already there. */
		struct demo d = {.content = ct, .now = rc_time_now()};
		e = rc_db_tx(conn, demo_tx, &d);
		if (e)
			snprintf(err, sizeof err, "cannot create the demo clinic: %s", rc_db_errmsg(conn));
		else if (d.created)
			e = demo_activity(conn, &d, !demo_quiet, err, sizeof err);
		if (!e && d.created) {
			rc_info("demo clinic created: %s", ct->clinic.name);
			printf("\nDemo accounts: open a link to choose that account's password (each works once, for "
			       "one hour):\n");
			for (size_t i = 0; i < DEMO_PEOPLE; i++) {
				char *slash = strstr(d.lines[i], "/password/");
				printf("%.*s%s%s\n", (int)(slash - d.lines[i]), d.lines[i], cfg.public_url, slash);
			}
			printf("\n");
			fflush(stdout);
		}
	}
	rc_pool_put(pool, conn);
	if (e) {
		fprintf(stderr, "runcare serve: %s\n", err);
		goto out;
	}
	if (rc_app_init(&app, &cfg, pool, ct)) {
		fprintf(stderr, "runcare serve: out of memory\n");
		goto out;
	}
	if (rc_selfcheck_load(cfg.content_dir, &kb, err, sizeof err)) {
		fprintf(stderr, "runcare serve: content is not valid, not starting: %s\n", err);
		status = RC_EXIT_USAGE;
		goto out;
	}
	app.triage = kb;
	if (rc_programs_load(cfg.content_dir, &programs, err, sizeof err)) {
		fprintf(stderr, "runcare serve: content is not valid, not starting: %s\n", err);
		status = RC_EXIT_USAGE;
		goto out;
	}
	app.programs = programs;
	acupoints = rc_cli_setting(acupoints, "RUNCARE_ACUPOINTS", RC_ACUPOINTS_DEFAULT);
	if (rc_chart_kb_load(cfg.content_dir, acupoints, kb, &chart, err, sizeof err)) {
		fprintf(stderr, "runcare serve: content is not valid, not starting: %s\n", err);
		status = RC_EXIT_USAGE;
		goto out;
	}
	app.chart = chart;
	if (rc_billing_kb_load(cfg.content_dir, &billing, err, sizeof err)) {
		fprintf(stderr, "runcare serve: content is not valid, not starting: %s\n", err);
		status = RC_EXIT_USAGE;
		goto out;
	}
	app.billing = billing;
	if (chart->npoints)
		rc_info("chart: %d acupuncture points from %s", chart->npoints, acupoints);
	else
		rc_warn("chart: no acupoint list at %s: acupuncture cannot be recorded (--acupoints FILE)", acupoints);
	smtp = rc_cli_setting(smtp, "RUNCARE_SMTP", NULL);
	cfg.mail_relay = smtp != NULL; /* set before the server starts; read-only after */
	/* The timed jobs' thread runs in every configuration (the waitlist moves on time whether or not
	 * mail can be sent); with a relay it also delivers the outbox. */
	mailer = rc_mailer_start(cfg.db_url, smtp, rc_cli_setting(mail_from, "RUNCARE_MAIL_FROM", "runcare@localhost"), ct,
	                         cfg.public_url, err, sizeof err);
	if (!mailer) {
		fprintf(stderr, "runcare serve: %s\n", err);
		goto out;
	}
	if (!smtp)
		rc_info("no --smtp relay: mail waits in the outbox");
	if (!(importer = rc_import_worker_start(cfg.db_url, err, sizeof err))) {
		fprintf(stderr, "runcare serve: %s\n", err);
		goto out;
	}
	if ((e = rc_http_serve(&app, err, sizeof err))) {
		fprintf(stderr, "runcare serve: %s\n", err);
		status = e == RC_EINVAL ? RC_EXIT_USAGE : RC_EXIT_FAIL;
		goto out;
	}
	status = RC_EXIT_OK;
out:
	rc_import_worker_stop(importer);
	rc_mailer_stop(mailer);
	rc_selfcheck_free(kb);
	rc_programs_free(programs);
	rc_chart_kb_free(chart);
	rc_billing_kb_free(billing);
	rc_app_free(&app);
	rc_pool_close(pool);
	rc_content_free(ct);
	return status;
}

int rc_cli_routes(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		puts("usage: runcare routes\n\nPrints the route table: method, address, who may call it, flags.");
		return RC_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "runcare routes: unexpected argument '%s'\n", argv[1]);
		return RC_EXIT_USAGE;
	}
	rc_route_table_print(stdout);
	return RC_EXIT_OK;
}
