/* accounts.c — runcare user add, runcare token create|list|revoke, runcare audit. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/account.h"
#include "base/crypto.h"
#include "base/time.h"
#include "base/text.h"
#include "cli/cli.h"
#include "domain/password.h"
#include "store/account.h"
#include "store/migrate.h"
#include "store/privacy.h"

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

struct user_add {
	const char *email, *name;
	rc_role role;
	const char *hash;
	int64_t now, id;
};

/* The account and its audit line together, or neither. */
static rc_err user_add_tx(rc_db *db, void *arg)
{
	struct user_add *u = arg;
	rc_err e = rc_account_create(db, u->email, u->name, u->role, u->hash, u->now, &u->id);
	if (e)
		return e;
	rc_account actor = {.role = RC_ROLE_ADMIN};
	char detail[300];
	snprintf(detail, sizeof detail, "%s as %s, from the command line", u->email, rc_role_name(u->role));
	return rc_audit_add(db, u->now, &actor, "account.create", u->role == RC_ROLE_RUNNER ? u->id : 0, detail, "cli");
}

int rc_cli_user(int argc, char **argv)
{
	static const char *const allowed[] = {"role", "email", "name", "password-file", "db", NULL};
	rc_cli_opts o;
	int st = rc_cli_parse(argc, argv, allowed, NULL, &o, user_help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	if (o.nwords != 1 || strcmp(o.words[0], "add") != 0) {
		fputs(user_help, stderr);
		return RC_EXIT_USAGE;
	}
	rc_role role = rc_role_parse(rc_cli_opt(&o, "role"));
	const char *email_in = rc_cli_opt(&o, "email");
	char email[RC_EMAIL_MAX + 1];
	if (role == RC_ROLE_NONE) {
		fprintf(stderr, "runcare user add: --role must be runner, practitioner, front_desk or admin\n");
		return RC_EXIT_USAGE;
	}
	if (!rc_app_email_clean(email_in, email)) {
		fprintf(stderr, "runcare user add: --email must be an email address such as name@example.org\n");
		return RC_EXIT_USAGE;
	}
	const char *name = rc_cli_opt(&o, "name") ? rc_cli_opt(&o, "name") : email;
	if (!*name || !rc_text_is_line(name, RC_NAME_MAX)) {
		fprintf(stderr, "runcare user add: --name must be 1–%d characters on one line\n", RC_NAME_MAX);
		return RC_EXIT_USAGE;
	}
	char pw[RC_PASSWORD_MAX + 2], why[200], hash[RC_HASH_MAX + 1];
	const char *file = rc_cli_opt(&o, "password-file");
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
	rc_err crypto = rc_crypto_init();
	if (crypto == RC_EINVAL)
		return RC_EXIT_USAGE; /* the setting is named in the log line */
	if (crypto || rc_crypto_hash_password(pw, hash)) {
		fprintf(stderr, "runcare user add: could not hash the password\n");
		return RC_EXIT_FAIL;
	}
	rc_db *db = rc_cli_open_db(&o);
	if (!db)
		return RC_EXIT_FAIL;
	struct user_add u = {email, name, role, hash, rc_time_now(), 0};
	/* One transaction, retried while the server's own writers hold the database (a busy clinic). */
	rc_err e = rc_db_tx(db, user_add_tx, &u);
	int64_t id = u.id;
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
	"usage: runcare token create --user EMAIL [--label TEXT] [--scope read|write] [--days N] [--db URL]\n"
	"       runcare token list [--db URL]\n"
	"       runcare token revoke ID [--db URL]\n\n"
	"A token lets a program use the JSON API as that user: send 'Authorization: Bearer TOKEN'.\n"
	"--scope read (the default) allows GET only; write allows booking, cancelling and the other changes\n"
	"the account may make. A token\n"
	"expires after N days (default 90, at most 366). It is printed once and stored only as a hash;\n"
	"revoke it when it is no longer needed.\n";

static void print_token(void *ctx, const rc_token_info *t)
{
	int64_t now = *(const int64_t *)ctx;
	char made[32], ends[32];
	rc_tz_rfc3339(t->created_at, made, sizeof made);
	rc_tz_rfc3339(t->revoked_at ? t->revoked_at : t->expires_at, ends, sizeof ends);
	const char *state = t->revoked_at ? "revoked" : t->expires_at <= now ? "expired" : "live";
	printf("%-6lld %-28s %-6s %-8s made %s  %s %s  %s\n", (long long)t->id, t->email[0] ? t->email : "(erased)",
	       rc_scope_name(t->scope), state, made, t->revoked_at ? "revoked" : "expires", ends, t->label);
}

int rc_cli_token(int argc, char **argv)
{
	static const char *const allowed[] = {"user", "label", "scope", "days", "db", NULL};
	rc_cli_opts o;
	int st = rc_cli_parse(argc, argv, allowed, NULL, &o, token_help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	bool create = o.nwords == 1 && strcmp(o.words[0], "create") == 0;
	bool list = o.nwords == 1 && strcmp(o.words[0], "list") == 0;
	bool revoke = o.nwords == 2 && strcmp(o.words[0], "revoke") == 0;
	if (!create && !revoke && !list) {
		fputs(token_help, stderr);
		return RC_EXIT_USAGE;
	}
	char *end = NULL;
	long long rid = revoke ? strtoll(o.words[1], &end, 10) : 0;
	if (revoke && (*end || rid <= 0)) {
		fprintf(stderr, "runcare token revoke: ID must be a token number, not '%s'\n", o.words[1]);
		return RC_EXIT_USAGE;
	}
	long days = RC_TOKEN_DAYS_DEFAULT;
	if (create) {
		if (!rc_cli_opt(&o, "user")) {
			fprintf(stderr, "runcare token create: name the account with --user EMAIL\n");
			return RC_EXIT_USAGE;
		}
		if (rc_cli_opt(&o, "days")) {
			days = strtol(rc_cli_opt(&o, "days"), &end, 10);
			if (*end || end == rc_cli_opt(&o, "days") || days < 1 || days > RC_TOKEN_DAYS_MAX) {
				fprintf(stderr, "runcare token create: --days must be a whole number from 1 to %d, not '%s'\n",
				        RC_TOKEN_DAYS_MAX, rc_cli_opt(&o, "days"));
				return RC_EXIT_USAGE;
			}
		}
	}
	rc_err crypto = rc_crypto_init();
	if (crypto)
		return crypto == RC_EINVAL ? RC_EXIT_USAGE : RC_EXIT_FAIL;
	rc_db *db = rc_cli_open_db(&o);
	if (!db)
		return RC_EXIT_FAIL;
	int64_t now = rc_time_now();
	int status = RC_EXIT_OK;
	if (list) {
		if (rc_token_list(db, print_token, &now)) {
			fprintf(stderr, "runcare token list: %s\n", rc_db_errmsg(db));
			status = RC_EXIT_FAIL;
		}
	} else if (revoke) {
		bool found = false;
		if (rc_token_revoke(db, rid, now, &found)) {
			fprintf(stderr, "runcare token revoke: %s\n", rc_db_errmsg(db));
			status = RC_EXIT_FAIL;
		} else if (!found) {
			fprintf(stderr, "runcare token revoke: no live token %lld\n", rid);
			status = RC_EXIT_USAGE;
		} else {
			printf("token %lld revoked\n", rid);
		}
	} else {
		rc_uc uc;
		rc_cli_uc(db, now, &uc);
		rc_problem p = {0};
		char token[RC_TOKEN_CHARS + 1], ends[32];
		int64_t id = 0, expires = 0;
		rc_err e = rc_app_token_create(&uc, rc_cli_opt(&o, "user"), rc_cli_opt(&o, "label"), rc_cli_opt(&o, "scope") ? rc_cli_opt(&o, "scope") : "read",
		                               (int)days, &id, &expires, token, &p);
		if (e == RC_EINVAL) {
			fprintf(stderr, "runcare token create: %s\n", p.text);
			status = RC_EXIT_USAGE;
		} else if (e) {
			fprintf(stderr, "runcare token create: %s\n", rc_db_errmsg(db));
			status = RC_EXIT_FAIL;
		} else {
			rc_tz_rfc3339(expires, ends, sizeof ends);
			/* The only place the token ever appears: on this terminal, once. */
			printf("token %lld for %s, %s, expires %s (keep it secret; it is not shown again):\n%s\n", (long long)id,
			       rc_cli_opt(&o, "user"), rc_cli_opt(&o, "scope") ? rc_cli_opt(&o, "scope") : "read", ends, token);
		}
	}
	rc_db_close(db);
	return status;
}

static const char audit_help[] =
	"usage: runcare audit [--runner EMAIL] [--since YYYY-MM-DD] [--page N|all] [--db URL]\n\n"
	"Prints who read or changed which runner's record, when and from where; newest first, a page of\n"
	"100 entries at a time (--page 2 for the next; --page all for every entry).\n";

typedef struct {
	int64_t rows;
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
	static const char *const allowed[] = {"runner", "since", "page", "db", NULL};
	rc_cli_opts o;
	int st = rc_cli_parse(argc, argv, allowed, NULL, &o, audit_help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	if (o.nwords) {
		fprintf(stderr, "runcare audit: unexpected argument '%s'\n", o.words[0]);
		return RC_EXIT_USAGE;
	}
	int64_t since = 0;
	if (rc_cli_opt(&o, "since")) {
		struct tm tm = {0};
		const char *end = strptime(rc_cli_opt(&o, "since"), "%Y-%m-%d", &tm);
		if (!end || *end) {
			fprintf(stderr, "runcare audit: --since must be a date as YYYY-MM-DD, not '%s'\n", rc_cli_opt(&o, "since"));
			return RC_EXIT_USAGE;
		}
		since = (int64_t)timegm(&tm);
	}
	/* page 0: every entry, streamed (nothing is held in memory). */
	long page = 1;
	const char *ps = rc_cli_opt(&o, "page");
	if (ps && strcmp(ps, "all") == 0) {
		page = 0;
	} else if (ps) {
		char *end;
		page = strtol(ps, &end, 10);
		if (*end || end == ps || page < 1 || page > RC_PAGE_MAX) {
			fprintf(stderr, "runcare audit: --page must be 'all' or a whole number from 1 to %d, not '%s'\n",
			        RC_PAGE_MAX, ps);
			return RC_EXIT_USAGE;
		}
	}
	rc_db *db = rc_cli_open_db(&o);
	if (!db)
		return RC_EXIT_FAIL;
	int64_t runner = 0;
	if (rc_cli_opt(&o, "runner")) {
		char email[RC_EMAIL_MAX + 1];
		rc_account a;
		bool found = false;
		if (!rc_app_email_clean(rc_cli_opt(&o, "runner"), email) || rc_account_by_email(db, email, &a, &found) || !found) {
			fprintf(stderr, "runcare audit: no account has the email '%s'\n", rc_cli_opt(&o, "runner"));
			rc_db_close(db);
			return RC_EXIT_USAGE;
		}
		runner = a.id;
	}
	audit_ctx ctx = {0};
	int64_t total = 0, rows = RC_AUDIT_PAGE_ROWS;
	rc_err e = page ? rc_audit_page(db, runner, since, (page - 1) * rows, rows, print_entry, &ctx, &total)
	                : rc_audit_page(db, runner, since, 0, INT64_MAX, print_entry, &ctx, &total);
	int64_t pages = total <= 0 ? 1 : (total + rows - 1) / rows;
	int status = RC_EXIT_OK;
	if (e) {
		fprintf(stderr, "runcare audit: %s\n", rc_db_errmsg(db));
		status = RC_EXIT_FAIL;
	} else if (page > pages) {
		fprintf(stderr, "runcare audit: there is no page %ld: %lld entr%s make %lld page%s\n", page, (long long)total,
		        total == 1 ? "y" : "ies", (long long)pages, pages == 1 ? "" : "s");
		status = RC_EXIT_USAGE;
	} else if (page == 0) {
		printf("%lld entr%s\n", (long long)ctx.rows, ctx.rows == 1 ? "y" : "ies");
	} else {
		printf("page %ld of %lld (%lld entr%s)%s\n", page, (long long)pages, (long long)total, total == 1 ? "y" : "ies",
		       page < pages ? "; --page N for older entries" : "");
	}
	rc_db_close(db);
	return status;
}

static const char retention_help[] =
	"usage: runcare retention purge [--years N] [--db URL]\n\n"
	"Deletes the visit records of erased runners once they are older than the retention period:\n"
	"N years (default: $RUNCARE_RETENTION_YEARS, else 7). Run it from cron, e.g. daily.\n";

int rc_cli_retention(int argc, char **argv)
{
	static const char *const allowed[] = {"years", "db", NULL};
	rc_cli_opts o;
	int st = rc_cli_parse(argc, argv, allowed, NULL, &o, retention_help);
	if (st)
		return st < 0 ? RC_EXIT_OK : st;
	if (o.nwords != 1 || strcmp(o.words[0], "purge") != 0) {
		fputs(retention_help, stderr);
		return RC_EXIT_USAGE;
	}
	const char *ys = rc_cli_setting(rc_cli_opt(&o, "years"), "RUNCARE_RETENTION_YEARS", NULL);
	long years = RC_RETENTION_YEARS_DEFAULT;
	if (ys) {
		char *end;
		years = strtol(ys, &end, 10);
		if (*end || end == ys || years < 0 || years > 100) {
			fprintf(stderr, "runcare retention: --years must be a number from 0 to 100, not '%s'\n", ys);
			return RC_EXIT_USAGE;
		}
	}
	rc_db *db = rc_cli_open_db(&o);
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
