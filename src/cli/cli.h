/* cli.h — one function per subcommand; each returns the process exit status:
 * 0 done, 1 failed, 2 bad usage or bad input. */
#ifndef RC_CLI_H
#define RC_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

enum { RC_EXIT_OK = 0, RC_EXIT_FAIL = 1, RC_EXIT_USAGE = 2 };

#define RC_VERSION "0.1.0"
#define RC_DEFAULT_DB "sqlite:var/runcare.db"
#define RC_DEFAULT_LISTEN "127.0.0.1:8080"

int rc_cli_serve(int argc, char **argv);
int rc_cli_db(int argc, char **argv);
int rc_cli_version(int argc, char **argv);
int rc_cli_user(int argc, char **argv);
int rc_cli_token(int argc, char **argv);
int rc_cli_audit(int argc, char **argv);
int rc_cli_routes(int argc, char **argv);
int rc_cli_clinic(int argc, char **argv);
int rc_cli_retention(int argc, char **argv);
int rc_cli_check(int argc, char **argv);
int rc_cli_activity(int argc, char **argv);
int rc_cli_import(int argc, char **argv);
int rc_cli_risk(int argc, char **argv);
int rc_cli_patient(int argc, char **argv);
int rc_cli_export(int argc, char **argv);
int rc_cli_movein(int argc, char **argv);

/* The use-case context of a command: the one "now" it took at its start, acting as the machine's
 * operator (an administrator with no account, "cli" in the audit log). */
struct rc_uc;
struct rc_db;
void rc_cli_uc(struct rc_db *db, int64_t now, struct rc_uc *out);

/* Sets the clinic's time zone from its content (content_dir NULL: the built-in content), so that every
 * date a command prints or reads is the clinic's, whatever the machine's zone. RC_EXIT_OK, or
 * RC_EXIT_USAGE after saying why. */
int rc_cli_clinic_zone(const char *content_dir, const char *cmd);
/* For every command but serve: wait up to a minute for a busy server's writers instead of failing. */
void rc_cli_patient_with_busy_db(void);

/* Fills an empty database with the demo clinic (its people, services, hours and training) in one
 * transaction, as `runcare serve --demo` does; *created is false when the database was not empty.
 * Also how the HTTP fuzzer (tests/fuzz/fuzz_http.c) builds its clinic. */
struct rc_content;
RC_WUR rc_err rc_cli_demo_fill(struct rc_db *db, const struct rc_content *content, bool *created);

/* The demo's patients and visits (demo.c): this week and next across the team, some arrived, one a
 * no-show, one cancelled, and last year's marathon with the wave after it. Made by `serve --demo` after
 * the demo clinic, as the front desk and admin would have, each step at the moment it stands for. */
struct rc_account;
RC_WUR rc_err rc_cli_demo_visits(struct rc_db *db, const struct rc_account *desk, const struct rc_account *admin,
                                 int64_t now, char *err, size_t errlen);

/* The demo's books (demo_billing.c): every visit that took place since clinic day `from` invoiced as it ended
 * and most paid (two recent ones left to bill), a no-show's fee, a package drawn down, and the demo runner's
 * package partly paid (her one invoice outstanding). */
RC_WUR rc_err rc_cli_demo_billing(struct rc_db *db, const struct rc_account *desk, int64_t now, int64_t from, char *err,
                                  size_t errlen);

/* The options of a command: --name VALUE pairs, --flag alone, and bare words. */
typedef struct rc_cli_opts {
	const char *keys[8], *values[8]; /* a flag's value is "1" */
	int n;
	const char *words[4];
	int nwords;
} rc_cli_opts;
/* Reads argv[1..argc) against the option names allowed (each takes a value) and flags (none; may be
 * NULL). 0, or -1 after printing help for --help, or the exit status after printing a usage error. */
int rc_cli_parse(int argc, char **argv, const char *const allowed[], const char *const flags[], rc_cli_opts *o,
                 const char *help);
/* The value given for key, or NULL. */
const char *rc_cli_opt(const rc_cli_opts *o, const char *key);
/* The database of --db (else RUNCARE_DB, else the default), migrated; NULL after saying why. */
struct rc_db *rc_cli_open_db(const rc_cli_opts *o);

/* The value of an option, else of an environment variable, else a default. */
const char *rc_cli_setting(const char *option, const char *env, const char *fallback);

#endif
