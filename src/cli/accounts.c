/* accounts.c — runcare user add, runcare token create|revoke, runcare audit. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/crypto.h"
#include "base/time.h"
#include "base/text.h"
#include "cli/cli.h"
#include "domain/password.h"
#include "store/account.h"
#include "store/migrate.h"
#include "store/privacy.h"

/* Parsed options shared by these commands: --name VALUE pairs and bare words. */
typedef struct {
	const char *keys[8], *values[8];
	int n;
	const char *words[4];
	int nwords;
} opts;

/* Returns 0, or the exit status when a usage error was printed. */
static int parse(int argc, char **argv, const char *const allowed[], opts *o, const char *help)
{
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			return -1;
		}
		if (strncmp(a, "--", 2) == 0) {
			bool known = false;
			for (int k = 0; allowed[k]; k++)
				known |= strcmp(allowed[k], a + 2) == 0;
			if (!known || i + 1 == argc || o->n == 8) {
				fprintf(stderr, "runcare: unknown or incomplete option '%s'\n\n%s", a, help);
				return RC_EXIT_USAGE;
			}
			o->keys[o->n] = a + 2;
			o->values[o->n++] = argv[++i];
		} else if (o->nwords < 4) {
			o->words[o->nwords++] = a;
		} else {
			fprintf(stderr, "runcare: unexpected argument '%s'\n", a);
			return RC_EXIT_USAGE;
		}
	}
	return 0;
}

static const char *opt(const opts *o, const char *key)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return o->values[i];
	return NULL;
}

static rc_db *open_db(const opts *o)
{
	char err[512];
	rc_db *db = NULL;
	int applied;
	const char *url = rc_cli_setting(opt(o, "db"), "RUNCARE_DB", RC_DEFAULT_DB);
	if (rc_db_open(url, &db, err, sizeof err) || rc_migrate(db, &applied, err, sizeof err)) {
		fprintf(stderr, "runcare: %s\n", err);
		rc_db_close(db);
		return NULL;
	}
	return db;
}

/* Reads the first line of f into buf without its newline; false when there is none. */
static bool read_line(FILE *f, char *buf, size_t n)
{
	if (!fgets(buf, (int)n, f))
		return false;
	size_t l = strlen(buf);
	while (l && (buf[l - 1] == '\n' || buf[l - 1] == '\r'))
		buf[--l] = '\0';
	return true;
}

static const char user_help[] =
	"usage: runcare user add --role ROLE --email EMAIL [--name NAME] [--password-file FILE] [--db URL]\n\n"
	"Creates an account. ROLE is runner, practitioner, front_desk or admin. The password is read from\n"
	"the first line of FILE, or of standard input: never from an argument, where other users of the\n"
	"machine could see it.\n";

int rc_cli_user(int argc, char **argv)
{
	static const char *const allowed[] = {"role", "email", "name", "password-file", "db", NULL};
	opts o;
	int st = parse(argc, argv, allowed, &o, user_help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	if (o.nwords != 1 || strcmp(o.words[0], "add") != 0) {
		fputs(user_help, stderr);
		return RC_EXIT_USAGE;
	}
	rc_role role = rc_role_parse(opt(&o, "role"));
	const char *email_in = opt(&o, "email");
	char email[RC_EMAIL_MAX + 1];
	if (role == RC_ROLE_NONE) {
		fprintf(stderr, "runcare user add: --role must be runner, practitioner, front_desk or admin\n");
		return RC_EXIT_USAGE;
	}
	size_t el = email_in ? strlen(email_in) : 0;
	if (!email_in || el < 3 || el > RC_EMAIL_MAX || !strchr(email_in, '@') || strchr(email_in, ' ')) {
		fprintf(stderr, "runcare user add: --email must be an email address such as name@example.org\n");
		return RC_EXIT_USAGE;
	}
	for (size_t i = 0; i <= el; i++)
		email[i] = (char)tolower((unsigned char)email_in[i]);
	const char *name = opt(&o, "name") ? opt(&o, "name") : email;
	if (!*name || !rc_text_is_line(name, RC_NAME_MAX)) {
		fprintf(stderr, "runcare user add: --name must be 1–%d characters on one line\n", RC_NAME_MAX);
		return RC_EXIT_USAGE;
	}
	char pw[RC_PASSWORD_MAX + 2], why[200], hash[RC_HASH_MAX + 1];
	const char *file = opt(&o, "password-file");
	FILE *f = file ? fopen(file, "r") : stdin;
	if (!f) {
		fprintf(stderr, "runcare user add: cannot read '%s'\n", file);
		return RC_EXIT_USAGE;
	}
	bool got = read_line(f, pw, sizeof pw);
	if (file)
		fclose(f);
	if (!got) {
		fprintf(stderr, "runcare user add: no password given on %s\n", file ? file : "standard input");
		return RC_EXIT_USAGE;
	}
	if (rc_password_check(pw, email, why, sizeof why)) {
		fprintf(stderr, "runcare user add: %s\n", why);
		return RC_EXIT_USAGE;
	}
	if (rc_crypto_init() || rc_crypto_hash_password(pw, hash)) {
		fprintf(stderr, "runcare user add: could not hash the password\n");
		return RC_EXIT_FAIL;
	}
	rc_db *db = open_db(&o);
	if (!db)
		return RC_EXIT_FAIL;
	int64_t id = 0;
	rc_err e = rc_account_create(db, email, name, role, hash, rc_time_now(), &id);
	if (!e) {
		rc_account actor = {.role = RC_ROLE_ADMIN};
		char detail[300];
		snprintf(detail, sizeof detail, "%s as %s, from the command line", email, rc_role_name(role));
		e = rc_audit_add(db, rc_time_now(), &actor, "account.create", role == RC_ROLE_RUNNER ? id : 0, detail, "cli");
	}
	if (e) {
		fprintf(stderr, "runcare user add: %s\n",
		        e == RC_ECONFLICT ? "that email address already has an account" : rc_db_errmsg(db));
		rc_db_close(db);
		return e == RC_ECONFLICT ? RC_EXIT_USAGE : RC_EXIT_FAIL;
	}
	printf("created %s account %lld for %s\n", rc_role_name(role), (long long)id, email);
	rc_db_close(db);
	return RC_EXIT_OK;
}

static const char token_help[] =
	"usage: runcare token create --user EMAIL [--label TEXT] [--db URL]\n"
	"       runcare token revoke ID [--db URL]\n\n"
	"A token lets a program use the JSON API as that user: send 'Authorization: Bearer TOKEN'.\n"
	"The token is printed once and stored only as a hash; revoke it when it is no longer needed.\n";

int rc_cli_token(int argc, char **argv)
{
	static const char *const allowed[] = {"user", "label", "db", NULL};
	opts o;
	int st = parse(argc, argv, allowed, &o, token_help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	bool create = o.nwords == 1 && strcmp(o.words[0], "create") == 0;
	bool revoke = o.nwords == 2 && strcmp(o.words[0], "revoke") == 0;
	if (!create && !revoke) {
		fputs(token_help, stderr);
		return RC_EXIT_USAGE;
	}
	char *end = NULL;
	long long rid = revoke ? strtoll(o.words[1], &end, 10) : 0;
	if (revoke && (*end || rid <= 0)) {
		fprintf(stderr, "runcare token revoke: ID must be a token number, not '%s'\n", o.words[1]);
		return RC_EXIT_USAGE;
	}
	if (create && !opt(&o, "user")) {
		fprintf(stderr, "runcare token create: name the account with --user EMAIL\n");
		return RC_EXIT_USAGE;
	}
	if (rc_crypto_init())
		return RC_EXIT_FAIL;
	rc_db *db = open_db(&o);
	if (!db)
		return RC_EXIT_FAIL;
	int status = RC_EXIT_OK;
	if (revoke) {
		bool found = false;
		if (rc_token_revoke(db, rid, rc_time_now(), &found)) {
			fprintf(stderr, "runcare token revoke: %s\n", rc_db_errmsg(db));
			status = RC_EXIT_FAIL;
		} else if (!found) {
			fprintf(stderr, "runcare token revoke: no live token %lld\n", rid);
			status = RC_EXIT_USAGE;
		} else {
			printf("token %lld revoked\n", rid);
		}
	} else {
		char email[RC_EMAIL_MAX + 1];
		snprintf(email, sizeof email, "%s", opt(&o, "user"));
		for (char *p = email; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		rc_account a;
		bool found = false;
		char token[RC_TOKEN_CHARS + 1], hash[RC_HEX_HASH + 1];
		int64_t id = 0;
		if (rc_account_by_email(db, email, &a, &found) || !found) {
			fprintf(stderr, "runcare token create: no account has the email '%s'\n", email);
			status = RC_EXIT_USAGE;
		} else {
			rc_crypto_token(token);
			rc_crypto_token_hash(token, hash);
			if (rc_token_create(db, hash, a.id, opt(&o, "label") ? opt(&o, "label") : "", rc_time_now(), &id)) {
				fprintf(stderr, "runcare token create: %s\n", rc_db_errmsg(db));
				status = RC_EXIT_FAIL;
			} else {
				/* The only place the token ever appears: on this terminal, once. */
				printf("token %lld for %s (keep it secret; it is not shown again):\n%s\n", (long long)id, email, token);
			}
		}
	}
	rc_db_close(db);
	return status;
}

static const char audit_help[] =
	"usage: runcare audit [--runner EMAIL] [--since YYYY-MM-DD] [--db URL]\n\n"
	"Prints who read or changed which runner's record, when and from where; newest first.\n";

typedef struct {
	int rows;
} audit_ctx;

static void print_entry(void *ctx, const rc_audit_entry *e)
{
	char at[32];
	rc_tz_rfc3339(e->at, at, sizeof at);
	printf("%s  %-28s %-16s %-28s %s  [%s]\n", at, e->actor_email[0] ? e->actor_email : e->actor_role, e->action,
	       e->runner_email[0] ? e->runner_email : (e->runner_id ? "(erased)" : "-"), e->detail, e->address);
	((audit_ctx *)ctx)->rows++;
}

int rc_cli_audit(int argc, char **argv)
{
	static const char *const allowed[] = {"runner", "since", "db", NULL};
	opts o;
	int st = parse(argc, argv, allowed, &o, audit_help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	if (o.nwords) {
		fprintf(stderr, "runcare audit: unexpected argument '%s'\n", o.words[0]);
		return RC_EXIT_USAGE;
	}
	int64_t since = 0;
	if (opt(&o, "since")) {
		struct tm tm = {0};
		const char *end = strptime(opt(&o, "since"), "%Y-%m-%d", &tm);
		if (!end || *end) {
			fprintf(stderr, "runcare audit: --since must be a date as YYYY-MM-DD, not '%s'\n", opt(&o, "since"));
			return RC_EXIT_USAGE;
		}
		since = (int64_t)timegm(&tm);
	}
	rc_db *db = open_db(&o);
	if (!db)
		return RC_EXIT_FAIL;
	int64_t runner = 0;
	if (opt(&o, "runner")) {
		char email[RC_EMAIL_MAX + 1];
		snprintf(email, sizeof email, "%s", opt(&o, "runner"));
		for (char *p = email; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		rc_account a;
		bool found = false;
		if (rc_account_by_email(db, email, &a, &found) || !found) {
			fprintf(stderr, "runcare audit: no account has the email '%s'\n", email);
			rc_db_close(db);
			return RC_EXIT_USAGE;
		}
		runner = a.id;
	}
	audit_ctx ctx = {0};
	rc_err e = rc_audit_list(db, runner, since, 100000, print_entry, &ctx);
	if (e)
		fprintf(stderr, "runcare audit: %s\n", rc_db_errmsg(db));
	else
		printf("%d entr%s\n", ctx.rows, ctx.rows == 1 ? "y" : "ies");
	rc_db_close(db);
	return e ? RC_EXIT_FAIL : RC_EXIT_OK;
}

static const char retention_help[] =
	"usage: runcare retention purge [--years N] [--db URL]\n\n"
	"Deletes the visit records of erased runners once they are older than the retention period:\n"
	"N years (default: $RUNCARE_RETENTION_YEARS, else 7). Run it from cron, e.g. daily.\n";

int rc_cli_retention(int argc, char **argv)
{
	static const char *const allowed[] = {"years", "db", NULL};
	opts o;
	int st = parse(argc, argv, allowed, &o, retention_help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	if (o.nwords != 1 || strcmp(o.words[0], "purge") != 0) {
		fputs(retention_help, stderr);
		return RC_EXIT_USAGE;
	}
	const char *ys = rc_cli_setting(opt(&o, "years"), "RUNCARE_RETENTION_YEARS", NULL);
	long years = RC_RETENTION_YEARS_DEFAULT;
	if (ys) {
		char *end;
		years = strtol(ys, &end, 10);
		if (*end || end == ys || years < 0 || years > 100) {
			fprintf(stderr, "runcare retention: --years must be a number from 0 to 100, not '%s'\n", ys);
			return RC_EXIT_USAGE;
		}
	}
	rc_db *db = open_db(&o);
	if (!db)
		return RC_EXIT_FAIL;
	int64_t n = 0, cutoff = rc_time_now() - (int64_t)years * 365 * 86400 - (years / 4) * 86400;
	rc_err e = rc_db_begin_write(db);
	if (!e)
		e = rc_privacy_purge(db, cutoff, &n);
	if (!e) {
		rc_account actor = {.role = RC_ROLE_ADMIN};
		char detail[80];
		snprintf(detail, sizeof detail, "%lld visit records past %ld years", (long long)n, years);
		e = rc_audit_add(db, rc_time_now(), &actor, "retention.purge", 0, detail, "cli");
	}
	if (!e)
		e = rc_db_commit(db);
	if (e) {
		rc_db_rollback(db);
		fprintf(stderr, "runcare retention: %s\n", rc_db_errmsg(db));
	} else {
		printf("%lld visit record%s of erased runners deleted (older than %ld years)\n", (long long)n,
		       n == 1 ? "" : "s", years);
	}
	rc_db_close(db);
	return e ? RC_EXIT_FAIL : RC_EXIT_OK;
}
