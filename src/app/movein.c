/* movein.c (app) — a clinic moving in from another system's CSV export (see movein.h). */
#include "app/movein.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/account.h"
#include "base/text.h"
#include "base/time.h"
#include "domain/import.h"
#include "domain/search.h"
#include "domain/setup.h"
#include "formats/csvin.h"
#include "store/booking.h"
#include "store/chart_store.h"
#include "store/import_store.h"
#include "store/setup_store.h"

const char *const rc_movein_kinds[RC_MOVEIN_KINDS] = {"patients", "practitioners", "services", "appointments"};
const char *const rc_movein_fields[RC_MOVEIN_KINDS][RC_MOVEIN_FIELDS + 1] = {
	{"id", "name", "first_name", "last_name", "email", "phone", "date_of_birth", NULL},
	{"id", "name", "disciplines", NULL},
	{"id", "name", "minutes", "price", "discipline", NULL},
	{"id", "patient", "practitioner", "service", "start", "end", "status", "reason", NULL},
};
const char *const rc_movein_outcomes[4] = {"created", "merged", "refused", "error"};

/* Fields a file must have a column for (name, or first_name and last_name, for patients). */
static bool required(rc_movein_kind k, const char *field)
{
	static const char *const req[RC_MOVEIN_KINDS][6] = {
		{"id", NULL},
		{"id", "name", "disciplines", NULL},
		{"id", "name", "minutes", "price", "discipline", NULL},
		{"patient", "practitioner", "service", "start", NULL},
	};
	for (int i = 0; req[k][i]; i++)
		if (strcmp(req[k][i], field) == 0)
			return true;
	return false;
}

static int field_index(rc_movein_kind k, const char *field)
{
	for (int i = 0; rc_movein_fields[k][i]; i++)
		if (strcmp(rc_movein_fields[k][i], field) == 0)
			return i;
	return -1;
}

rc_err rc_app_movein_mapping(const char *text, size_t len, rc_movein_mapping *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	for (int k = 0; k < RC_MOVEIN_KINDS; k++) {
		snprintf(out->file[k], sizeof out->file[k], "%s.csv", rc_movein_kinds[k]);
		for (int f = 0; rc_movein_fields[k][f]; f++)
			snprintf(out->column[k][f], sizeof out->column[k][f], "%s", rc_movein_fields[k][f]);
	}
	if (!text)
		return RC_OK;
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return rc_problem_set(p, RC_EINVAL, "mapping", "The mapping is not a JSON object (line %d: %s).", jerr.line,
		                      jerr.text);
	}
	const char *key;
	json_t *v;
	rc_err e = RC_OK;
	json_object_foreach(root, key, v) {
		int k = -1;
		for (int i = 0; i < RC_MOVEIN_KINDS; i++)
			if (strcmp(key, rc_movein_kinds[i]) == 0)
				k = i;
		if (k < 0 || !json_is_object(v)) {
			e = rc_problem_set(p, RC_EINVAL, "mapping", "The mapping's '%.60s' is not one of patients, practitioners, "
			                                            "services and appointments with an object.", key);
			break;
		}
		const char *file = json_string_value(json_object_get(v, "file"));
		if (file) {
			if (!*file || strchr(file, '/') || strlen(file) >= sizeof out->file[k]) {
				e = rc_problem_set(p, RC_EINVAL, "mapping", "The mapping's %s file must be a file name in the folder.",
				                   key);
				break;
			}
			snprintf(out->file[k], sizeof out->file[k], "%s", file);
		}
		const char *order = json_string_value(json_object_get(v, "date_of_birth_order"));
		if (order && k == RC_MOVEIN_PATIENTS) {
			if (strcmp(order, "month-first") && strcmp(order, "day-first")) {
				e = rc_problem_set(p, RC_EINVAL, "mapping", "date_of_birth_order is \"month-first\" or \"day-first\".");
				break;
			}
			out->dob_order = order[0] == 'm' ? 1 : 2;
		}
		const char *field;
		json_t *col;
		json_object_foreach(json_object_get(v, "columns"), field, col) {
			int f = field_index((rc_movein_kind)k, field);
			if (f < 0 || !json_is_string(col) || !json_string_length(col) ||
			    json_string_length(col) >= sizeof out->column[k][f]) {
				e = rc_problem_set(p, RC_EINVAL, "mapping", "The mapping's %s column '%.60s' is not one of runcare's "
				                                            "fields, or its column name is empty.", key, field);
				break;
			}
			snprintf(out->column[k][f], sizeof out->column[k][f], "%s", json_string_value(col));
		}
		if (e)
			break;
	}
	json_decref(root);
	return e;
}

/* --- one run ------------------------------------------------------------------------------------------- */

typedef struct table {
	char ***rows; /* each row: ncols trimmed cells, in the arena */
	int *lines;
	int nrows, ncols;
	size_t cap, lcap;
	int col[RC_MOVEIN_FIELDS]; /* the file's column of each field, -1 none */
	bool header;
} table;

typedef struct run {
	const rc_uc *uc;
	const rc_movein_input *in;
	rc_movein_report *rep;
	size_t lines_cap;
	table t[RC_MOVEIN_KINDS];
	json_t *ids[RC_MOVEIN_KINDS]; /* the file's id → runcare's id */
	json_t *first[RC_MOVEIN_KINDS]; /* the file's id → the line that made or matched the record */
	json_t *units;                /* "practitioner:quarter hour" → the line that holds it */
	json_t *seen;                 /* patients of the file: "e:EMAIL", "n:DOB" → [id, line, name] */
	int this_year;
	rc_err fatal;
} run;

static void note(run *r, rc_movein_kind k, int line, int col, rc_movein_outcome what, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void note(run *r, rc_movein_kind k, int line, int col, rc_movein_outcome what, const char *fmt, ...)
{
	rc_movein_report *rep = r->rep;
	if (what == RC_MOVEIN_ERROR)
		rep->errors++;
	rep->count[k][what]++;
	if (what == RC_MOVEIN_CREATED || rep->nlines >= RC_MOVEIN_MAX_LINES)
		return;
	rc_movein_line *l = rc_uc_grow(r->uc->arena, rep->lines, (size_t)rep->nlines, &r->lines_cap, sizeof *l);
	char text[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	const char *column = col >= 0 ? r->in->map->column[k][col] : "";
	char *tx = rc_arena_strdup(r->uc->arena, text), *cx = rc_arena_strdup(r->uc->arena, column);
	if (!l || !tx || !cx) {
		r->fatal = RC_ENOMEM;
		return;
	}
	rep->lines = l;
	l[rep->nlines++] = (rc_movein_line){k, line, cx, what, tx};
}

/* A trimmed copy of a cell, in the arena. */
static char *cell_dup(rc_arena *a, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return rc_arena_strndup(a, s, n);
}

typedef struct reading {
	run *r;
	rc_movein_kind k;
} reading;

static int one_row(void *ctx, int line, char **fields, int n)
{
	reading *rd = ctx;
	run *r = rd->r;
	table *t = &r->t[rd->k];
	const rc_movein_mapping *map = r->in->map;
	rc_arena *a = r->uc->arena;
	if (!t->header) {
		t->header = true;
		t->ncols = n;
		for (int f = 0; rc_movein_fields[rd->k][f]; f++) {
			t->col[f] = -1;
			for (int c = 0; c < n; c++)
				if (strcasecmp(cell_dup(a, fields[c]), map->column[rd->k][f]) == 0)
					t->col[f] = c;
			if (t->col[f] < 0 && required(rd->k, rc_movein_fields[rd->k][f]))
				note(r, rd->k, line, f, RC_MOVEIN_ERROR, "the file has no column \"%s\" (runcare's %s)",
				     map->column[rd->k][f], rc_movein_fields[rd->k][f]);
		}
		if (rd->k == RC_MOVEIN_PATIENTS && t->col[1] < 0 && (t->col[2] < 0 || t->col[3] < 0))
			note(r, rd->k, line, 1, RC_MOVEIN_ERROR, "the file has no column \"%s\", nor \"%s\" and \"%s\"",
			     map->column[rd->k][1], map->column[rd->k][2], map->column[rd->k][3]);
		return 0;
	}
	char ***rows = rc_uc_grow(a, t->rows, (size_t)t->nrows, &t->cap, sizeof *rows);
	int *lines = rc_uc_grow(a, t->lines, (size_t)t->nrows, &t->lcap, sizeof *lines);
	char **row = rc_arena_alloc(a, sizeof *row * (size_t)(t->ncols ? t->ncols : 1));
	if (!rows || !lines || !row) {
		r->fatal = RC_ENOMEM;
		return 1;
	}
	for (int c = 0; c < t->ncols; c++)
		row[c] = cell_dup(a, c < n ? fields[c] : "");
	t->rows = rows;
	t->lines = lines;
	rows[t->nrows] = row;
	lines[t->nrows++] = line;
	return 0;
}

#define fld(k, f) field_index(k, f)

/* A field's cell of a row ("" when the file has no such column). */
static const char *cell(run *r, rc_movein_kind k, int row, const char *field)
{
	int f = field_index(k, field), c = f >= 0 ? r->t[k].col[f] : -1;
	return c >= 0 ? r->t[k].rows[row][c] : "";
}

static int64_t id_of(run *r, rc_movein_kind k, const char *ext)
{
	return json_integer_value(json_object_get(r->ids[k], ext));
}

static void remember(run *r, rc_movein_kind k, const char *ext, int64_t id, int line)
{
	if (!*ext)
		return;
	json_object_set_new(r->ids[k], ext, json_integer(id));
	if (!json_object_get(r->first[k], ext))
		json_object_set_new(r->first[k], ext, json_integer(line));
}

/* --- services and practitioners -------------------------------------------------------------------------- */

typedef struct by_name {
	const char *key; /* rc_name_key of the name looked for */
	const char *service_key;
	int64_t id;
} by_name;

static void service_named(void *ctx, const rc_service *sv, bool active)
{
	(void)active;
	by_name *b = ctx;
	char k[160];
	rc_name_key(sv->name, k, sizeof k);
	if (!b->id && (strcmp(k, b->key) == 0 || (b->service_key && strcmp(sv->key, b->service_key) == 0)))
		b->id = sv->id;
}

static void practitioner_named(void *ctx, const rc_practitioner *p, bool active)
{
	(void)active;
	by_name *b = ctx;
	char k[160];
	rc_name_key(p->name, k, sizeof k);
	if (!b->id && strcmp(k, b->key) == 0)
		b->id = p->id;
}

static void services(run *r, rc_db *db)
{
	const rc_movein_kind K = RC_MOVEIN_SERVICES;
	table *t = &r->t[K];
	for (int i = 0; i < t->nrows && !r->fatal; i++) {
		int line = t->lines[i];
		const char *ext = cell(r, K, i, "id"), *name = cell(r, K, i, "name");
		const char *minutes_s = cell(r, K, i, "minutes"), *price_s = cell(r, K, i, "price");
		char why[240], *end = NULL;
		long minutes = strtol(minutes_s, &end, 10);
		int64_t cents = 0;
		const char *disc = rc_import_discipline(cell(r, K, i, "discipline"));
		if (!*minutes_s || *end) {
			note(r, K, line, fld(K, "minutes"), RC_MOVEIN_ERROR, "'%.40s' is not a number of minutes", minutes_s);
			continue;
		}
		if (rc_price_parse(price_s, &cents, why, sizeof why)) {
			note(r, K, line, fld(K, "price"), RC_MOVEIN_ERROR, "'%.40s': %s", price_s, why);
			continue;
		}
		if (!disc) {
			note(r, K, line, fld(K, "discipline"), RC_MOVEIN_ERROR,
			     "'%.60s' is not a discipline runcare knows (acupuncture, physical therapy, sports massage)",
			     cell(r, K, i, "discipline"));
			continue;
		}
		char key[33];
		rc_import_key(name, key, sizeof key);
		const char *bad = NULL;
		if (rc_service_check(key, name, minutes, cents, disc, &bad, why, sizeof why)) {
			note(r, K, line, fld(K, !bad || strcmp(bad, "key") == 0 ? "name" : bad), RC_MOVEIN_ERROR, "%s", why);
			continue;
		}
		char nk[160];
		rc_name_key(name, nk, sizeof nk);
		by_name b = {.key = nk, .service_key = key};
		rc_err e = rc_setup_services(db, service_named, &b);
		if (e) {
			r->fatal = e;
			return;
		}
		if (b.id) {
			note(r, K, line, fld(K, "name"), RC_MOVEIN_MERGED, "the service \"%s\" is here already", name);
		} else if ((e = rc_service_create(db, key, name, (int)minutes, cents, disc, &b.id))) {
			r->fatal = e;
			return;
		} else {
			note(r, K, line, -1, RC_MOVEIN_CREATED, "service");
		}
		remember(r, K, ext, b.id, line);
	}
}

static void practitioners(run *r, rc_db *db)
{
	const rc_movein_kind K = RC_MOVEIN_PRACTITIONERS;
	table *t = &r->t[K];
	for (int i = 0; i < t->nrows && !r->fatal; i++) {
		int line = t->lines[i];
		const char *ext = cell(r, K, i, "id"), *name = cell(r, K, i, "name");
		char disciplines[129], bad[64];
		if (!*name || strlen(name) > 120 || !rc_text_is_line(name, 480)) {
			note(r, K, line, fld(K, "name"), RC_MOVEIN_ERROR, "a practitioner needs a name on one line (up to 120 "
			                                                  "characters)");
			continue;
		}
		if (!rc_import_disciplines(cell(r, K, i, "disciplines"), disciplines, sizeof disciplines, bad, sizeof bad)) {
			note(r, K, line, fld(K, "disciplines"), RC_MOVEIN_ERROR,
			     "'%.60s' is not a discipline runcare knows (acupuncture, physical therapy, sports massage)", bad);
			continue;
		}
		char nk[160];
		rc_name_key(name, nk, sizeof nk);
		by_name b = {.key = nk};
		rc_err e = rc_setup_practitioners(db, practitioner_named, &b);
		if (e) {
			r->fatal = e;
			return;
		}
		if (b.id)
			note(r, K, line, fld(K, "name"), RC_MOVEIN_MERGED, "%s is here already", name);
		else if ((e = rc_practitioner_create(db, 0, name, disciplines, &b.id))) {
			r->fatal = e;
			return;
		} else
			note(r, K, line, -1, RC_MOVEIN_CREATED, "practitioner");
		remember(r, K, ext, b.id, line);
	}
}

/* --- patients ------------------------------------------------------------------------------------------- */

/* A date of birth as the file writes it: YYYY-MM-DD, or with slashes in the mapping's order, or as people
 * write it when only one date fits. False with the reason in why. */
static bool birth_date(run *r, const char *typed, char out[11], char *why, size_t n)
{
	int a, b, c;
	char tail;
	if (r->in->map->dob_order && sscanf(typed, "%d/%d/%d%c", &a, &b, &c, &tail) == 3) {
		int m = r->in->map->dob_order == 1 ? a : b, d = r->in->map->dob_order == 1 ? b : a;
		if (c < 100)
			c += c > r->this_year % 100 ? 1900 : 2000;
		if (c < 1900 || c > 9999 || m < 1 || m > 12 || d < 1 || d > 31) {
			snprintf(why, n, "'%.40s' is not a date of birth", typed);
			return false;
		}
		snprintf(out, 11, "%04d-%02d-%02d", c, m, d);
		/* A real calendar date: the day it names is the day it is. */
		char back[11];
		rc_day_name(rc_days_from_civil(c, m, d), back);
		if (c < 1900 || c > r->this_year || m < 1 || m > 12 || d < 1 || strcmp(back, out) != 0) {
			snprintf(why, n, "'%.40s' is not a date of birth", typed);
			return false;
		}
		return true;
	}
	char alt[11];
	if (!rc_search_date(typed, r->this_year, out, alt)) {
		snprintf(why, n, "'%.40s' is not a date of birth", typed);
		return false;
	}
	if (alt[0]) {
		snprintf(why, n, "'%.40s' could be %s or %s: say which in the mapping (date_of_birth_order)", typed, out, alt);
		return false;
	}
	return true;
}

typedef struct same_person {
	const char *name;
	int64_t id;
} same_person;

static void born_same(void *ctx, int64_t id, const char *name, const char *digits)
{
	(void)digits;
	same_person *s = ctx;
	if (!s->id && rc_search_same_name(s->name, name))
		s->id = id;
}

/* Adds what the kept record lacks (a phone, a date of birth) from a row merged into it. */
static rc_err fill_in(run *r, rc_db *db, int64_t id, const char *dob, const char *phone)
{
	rc_profile prof;
	bool found;
	rc_err e = rc_profile_get(db, id, &prof, &found);
	if (e)
		return e;
	bool change = false;
	if (!prof.date_of_birth[0] && dob[0]) {
		snprintf(prof.date_of_birth, sizeof prof.date_of_birth, "%s", dob);
		change = true;
	}
	if (!prof.phone[0] && phone[0]) {
		snprintf(prof.phone, sizeof prof.phone, "%s", phone);
		change = true;
	}
	if (!change)
		return RC_OK;
	char digits[RC_SEARCH_PHONE_MAX + 2];
	rc_search_phone_digits(prof.phone, digits, sizeof digits);
	prof.runner_id = id;
	return rc_profile_put(db, &prof, digits, r->uc->now, r->uc->actor->id);
}

static void patients(run *r, rc_db *db)
{
	const rc_movein_kind K = RC_MOVEIN_PATIENTS;
	table *t = &r->t[K];
	for (int i = 0; i < t->nrows && !r->fatal; i++) {
		int line = t->lines[i];
		const char *ext = cell(r, K, i, "id"), *phone = cell(r, K, i, "phone"), *em = cell(r, K, i, "email");
		const char *dob_s = cell(r, K, i, "date_of_birth");
		char name[RC_NAME_MAX + 1], email[RC_EMAIL_MAX + 1] = "", dob[11] = "", why[240];
		if (*cell(r, K, i, "name"))
			snprintf(name, sizeof name, "%s", cell(r, K, i, "name"));
		else
			snprintf(name, sizeof name, "%s%s%s", cell(r, K, i, "first_name"),
			         *cell(r, K, i, "first_name") && *cell(r, K, i, "last_name") ? " " : "", cell(r, K, i, "last_name"));
		/* The column a person finds the name in: the name, else the last name. */
		int name_col = t->col[fld(K, "name")] >= 0 ? fld(K, "name") : fld(K, "last_name");
		int errors = r->rep->errors;
		if (!*ext)
			note(r, K, line, fld(K, "id"), RC_MOVEIN_ERROR, "the patient has no id: appointments name patients by it");
		if (!name[0] || !rc_text_is_line(name, 4 * RC_NAME_MAX))
			note(r, K, line, name_col, RC_MOVEIN_ERROR, "the patient has no name");
		if (*em && !rc_app_email_clean(em, email))
			note(r, K, line, fld(K, "email"), RC_MOVEIN_ERROR, "'%.60s' is not an email address", em);
		if (*phone && !rc_search_phone_ok(phone))
			note(r, K, line, fld(K, "phone"), RC_MOVEIN_ERROR, "'%.40s' is not a phone number of 7 to 15 digits",
			     phone);
		if (*dob_s && !birth_date(r, dob_s, dob, why, sizeof why))
			note(r, K, line, fld(K, "date_of_birth"), RC_MOVEIN_ERROR, "%s", why);
		if (r->rep->errors != errors)
			continue;
		/* The same person: an email seen, or the same name and date of birth, in the file or here. */
		char key_e[RC_EMAIL_MAX + 3], key_n[20];
		snprintf(key_e, sizeof key_e, "e:%s", email);
		snprintf(key_n, sizeof key_n, "n:%s", dob);
		json_t *same = email[0] ? json_object_get(r->seen, key_e) : NULL;
		if (!same && dob[0]) {
			json_t *list = json_object_get(r->seen, key_n), *x;
			size_t k;
			json_array_foreach(list, k, x) if (!same && rc_search_same_name(name, json_string_value(json_array_get(x, 2))))
				same = x;
		}
		int64_t id = 0;
		rc_err e = RC_OK;
		if (same) {
			id = json_integer_value(json_array_get(same, 0));
			note(r, K, line, email[0] && json_object_get(r->seen, key_e) == same ? fld(K, "email") : name_col,
			     RC_MOVEIN_MERGED, "the same patient as line %d (%s)", (int)json_integer_value(json_array_get(same, 1)),
			     json_string_value(json_array_get(same, 2)));
			e = fill_in(r, db, id, dob, phone);
		} else {
			rc_account acc;
			bool found = false;
			if (email[0] && (e = rc_account_by_email(db, email, &acc, &found))) {
				r->fatal = e;
				return;
			}
			if (found && acc.role != RC_ROLE_RUNNER && !acc.patient) {
				note(r, K, line, fld(K, "email"), RC_MOVEIN_REFUSED, "%s is a staff member's sign-in here", email);
				continue;
			}
			if (!found && dob[0]) {
				same_person sp = {.name = name};
				if ((e = rc_import_patients_born(db, dob, born_same, &sp))) {
					r->fatal = e;
					return;
				}
				if (sp.id) {
					found = true;
					acc.id = sp.id;
				}
			}
			if (found) {
				id = acc.id;
				note(r, K, line, email[0] ? fld(K, "email") : name_col, RC_MOVEIN_MERGED,
				     "already a patient here (patient %lld)", (long long)id);
				e = fill_in(r, db, id, dob, phone);
			} else {
				e = rc_account_create(db, email[0] ? email : NULL, name, RC_ROLE_RUNNER, NULL, r->uc->now, &id);
				rc_profile prof = {.runner_id = id};
				snprintf(prof.date_of_birth, sizeof prof.date_of_birth, "%s", dob);
				snprintf(prof.phone, sizeof prof.phone, "%s", phone);
				char digits[RC_SEARCH_PHONE_MAX + 2] = "";
				if (*phone)
					rc_search_phone_digits(phone, digits, sizeof digits);
				if (!e)
					e = rc_profile_put(db, &prof, digits, r->uc->now, r->uc->actor->id);
				if (!e)
					note(r, K, line, -1, RC_MOVEIN_CREATED, "patient");
			}
			json_t *entry = json_pack("[I, i, s]", (json_int_t)id, line, name);
			if (email[0])
				json_object_set(r->seen, key_e, entry);
			if (dob[0]) {
				if (!json_object_get(r->seen, key_n))
					json_object_set_new(r->seen, key_n, json_array());
				json_array_append(json_object_get(r->seen, key_n), entry);
			}
			json_decref(entry);
		}
		if (e) {
			r->fatal = e;
			return;
		}
		remember(r, K, ext, id, line);
	}
}

/* --- appointments ------------------------------------------------------------------------------------- */

static void appointments(run *r, rc_db *db)
{
	const rc_movein_kind K = RC_MOVEIN_APPOINTMENTS;
	table *t = &r->t[K];
	for (int i = 0; i < t->nrows && !r->fatal; i++) {
		int line = t->lines[i];
		const char *pt = cell(r, K, i, "patient"), *pr = cell(r, K, i, "practitioner"), *sv = cell(r, K, i, "service");
		const char *start_s = cell(r, K, i, "start"), *end_s = cell(r, K, i, "end"), *st = cell(r, K, i, "status");
		int64_t start = 0, end = 0;
		const char *status = *st ? rc_import_status(st) : "booked";
		int errors = r->rep->errors;
		if (!rc_import_time(start_s, &start))
			note(r, K, line, fld(K, "start"), RC_MOVEIN_ERROR,
			     "'%.40s' is not a date and time (2026-12-01 09:00, 12/01/2026 9:00 AM, with or without its zone)",
			     start_s);
		if (*end_s && !rc_import_time(end_s, &end))
			note(r, K, line, fld(K, "end"), RC_MOVEIN_ERROR, "'%.40s' is not a date and time", end_s);
		if (!status)
			note(r, K, line, fld(K, "status"), RC_MOVEIN_ERROR,
			     "'%.40s' is not a status runcare knows (scheduled, completed, no-show, cancelled)", st);
		if (r->rep->errors != errors)
			continue;
		int64_t patient = id_of(r, RC_MOVEIN_PATIENTS, pt), prac = id_of(r, RC_MOVEIN_PRACTITIONERS, pr);
		int64_t service = id_of(r, RC_MOVEIN_SERVICES, sv);
		if (!patient || !prac || !service) {
			const char *what = !patient ? "patient" : !prac ? "practitioner" : "service";
			note(r, K, line, fld(K, what), RC_MOVEIN_REFUSED, "no %s with the id '%.40s' moves in (%s)", what,
			     !patient ? pt : !prac ? pr : sv,
			     !patient ? r->in->map->file[RC_MOVEIN_PATIENTS]
			     : !prac  ? r->in->map->file[RC_MOVEIN_PRACTITIONERS]
			              : r->in->map->file[RC_MOVEIN_SERVICES]);
			continue;
		}
		rc_service s;
		bool found = false;
		rc_err e = rc_service_by_id(db, service, &s, &found);
		if (e || !found) {
			r->fatal = e ? e : RC_EDB;
			return;
		}
		if (!end)
			end = start + (int64_t)s.minutes * 60;
		if (end <= start) {
			note(r, K, line, fld(K, "end"), RC_MOVEIN_REFUSED, "it ends before it starts");
			continue;
		}
		if (start % RC_UNIT_S || end % RC_UNIT_S) {
			note(r, K, line, fld(K, "start"), RC_MOVEIN_REFUSED, "%.40s is not on the quarter hour, as runcare's "
			                                                     "schedule is", start_s);
			continue;
		}
		int64_t existing = 0;
		if ((e = rc_import_appointment_at(db, patient, prac, start, &existing))) {
			r->fatal = e;
			return;
		}
		if (existing) {
			note(r, K, line, -1, RC_MOVEIN_MERGED, "the visit is here already (appointment %lld)", (long long)existing);
			continue;
		}
		int64_t id = 0;
		if (strcmp(status, "cancelled") == 0) {
			e = rc_import_appointment_cancelled(db, patient, prac, service, start, end, cell(r, K, i, "reason"),
			                                    r->uc->now, &id);
		} else {
			/* A visit holds the practitioner's quarter hours: two may not overlap. */
			int held = 0;
			for (int64_t u = start; u < end && !held; u += RC_UNIT_S) {
				char key[48];
				snprintf(key, sizeof key, "%lld:%lld", (long long)prac, (long long)u);
				held = (int)json_integer_value(json_object_get(r->units, key));
			}
			bool taken = false;
			if (!held && (e = rc_import_units_taken(db, prac, start, end, &taken))) {
				r->fatal = e;
				return;
			}
			if (held || taken) {
				char when[40];
				rc_tz_format(start, "%a %e %b %Y %H:%M", when, sizeof when);
				if (held)
					note(r, K, line, fld(K, "start"), RC_MOVEIN_REFUSED,
					     "starts %s, during the practitioner's visit on line %d", when, held);
				else
					note(r, K, line, fld(K, "start"), RC_MOVEIN_REFUSED,
					     "starts %s, during a visit of the practitioner already in runcare", when);
				continue;
			}
			bool again = false;
			e = rc_appointment_book(db, patient, prac, service, start, end, r->uc->actor->id, NULL,
			                        cell(r, K, i, "reason"), "", r->uc->now, &id, &again);
			if (!e && strcmp(status, "booked"))
				e = rc_appointment_set_status(db, id, status, start);
			for (int64_t u = start; !e && u < end; u += RC_UNIT_S) {
				char key[48];
				snprintf(key, sizeof key, "%lld:%lld", (long long)prac, (long long)u);
				json_object_set_new(r->units, key, json_integer(line));
			}
		}
		/* The practitioner offers what they were booked for, when it is one of their disciplines. */
		bool offers = false;
		rc_practitioner p;
		if (!e)
			e = rc_practitioner_offers(db, prac, service, &offers);
		if (!e && !offers && !(e = rc_practitioner_by_id(db, prac, &p, &found)) && found &&
		    rc_disciplines_have(p.disciplines, s.discipline))
			e = rc_practitioner_offer(db, prac, service);
		if (e) {
			r->fatal = e;
			return;
		}
		note(r, K, line, -1, RC_MOVEIN_CREATED, "appointment");
	}
}

/* --- the transaction ---------------------------------------------------------------------------------- */

static rc_err movein_tx(rc_db *db, void *arg)
{
	run *r = arg;
	/* Safe to repeat: every run starts from nothing. */
	memset(r->rep, 0, sizeof *r->rep);
	r->lines_cap = 0;
	for (int k = 0; k < RC_MOVEIN_KINDS; k++) {
		memset(&r->t[k], 0, sizeof r->t[k]);
		json_object_clear(r->ids[k]);
		json_object_clear(r->first[k]);
	}
	json_object_clear(r->units);
	json_object_clear(r->seen);
	r->fatal = RC_OK;
	for (int k = 0; k < RC_MOVEIN_KINDS && !r->fatal; k++) {
		if (!r->in->data[k])
			continue;
		char err[300];
		reading rd = {r, (rc_movein_kind)k};
		if (r->in->len[k] > RC_MOVEIN_MAX_FILE) {
			note(r, (rc_movein_kind)k, 0, -1, RC_MOVEIN_ERROR, "the file is larger than %d MiB",
			     RC_MOVEIN_MAX_FILE >> 20);
			continue;
		}
		rc_err e = rc_csvin_read(r->in->data[k], r->in->len[k], one_row, &rd, err, sizeof err);
		if (e == RC_EINVAL) {
			/* "line L, column C: why" → the report's line, and "column C: why". */
			int line = 0, used = 0;
			sscanf(err, "line %d, %n", &line, &used);
			note(r, (rc_movein_kind)k, line, -1, RC_MOVEIN_ERROR, "%s", err + used);
		} else if (e) {
			r->fatal = e;
		}
	}
	/* Rows are read only from files whose columns are all there. */
	if (!r->rep->errors && !r->fatal)
		services(r, db);
	if (!r->rep->errors && !r->fatal)
		practitioners(r, db);
	if (!r->fatal)
		patients(r, db);
	if (!r->rep->errors && !r->fatal)
		appointments(r, db);
	if (r->fatal)
		return r->fatal;
	if (r->rep->errors || r->in->dry_run)
		return RC_ECONFLICT; /* rolled back on purpose: movein() tells this from a real conflict */
	char detail[200];
	snprintf(detail, sizeof detail, "moved in: %d patients, %d practitioners, %d services, %d appointments created",
	         r->rep->count[RC_MOVEIN_PATIENTS][0], r->rep->count[RC_MOVEIN_PRACTITIONERS][0],
	         r->rep->count[RC_MOVEIN_SERVICES][0], r->rep->count[RC_MOVEIN_APPOINTMENTS][0]);
	return rc_audit_add(db, r->uc->now, r->uc->actor, "clinic.import", 0, detail, r->uc->address ? r->uc->address : "");
}

rc_err rc_app_movein(const rc_uc *uc, const rc_movein_input *in, rc_movein_report *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (uc->actor->role != RC_ROLE_ADMIN)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "Only administrators move a clinic's records in.");
	bool any = false;
	for (int k = 0; k < RC_MOVEIN_KINDS; k++)
		any |= in->data[k] != NULL;
	if (!any)
		return rc_problem_set(p, RC_EINVAL, "files", "Give at least one of patients, practitioners, services and "
		                                             "appointments.");
	struct tm tm;
	rc_tz_local(uc->now, &tm);
	run r = {.uc = uc, .in = in, .rep = out, .this_year = tm.tm_year + 1900, .units = json_object(), .seen = json_object()};
	for (int k = 0; k < RC_MOVEIN_KINDS; k++) {
		r.ids[k] = json_object();
		r.first[k] = json_object();
	}
	rc_err e = rc_db_tx(uc->db, movein_tx, &r);
	bool on_purpose = e == RC_ECONFLICT && !r.fatal;
	json_decref(r.units);
	json_decref(r.seen);
	for (int k = 0; k < RC_MOVEIN_KINDS; k++) {
		json_decref(r.ids[k]);
		json_decref(r.first[k]);
	}
	if (e && !on_purpose)
		return rc_problem_set(p, e, NULL, "The records could not be moved in: %s.", rc_err_str(e));
	if (out->errors)
		return rc_problem_set(p, RC_EINVAL, "files", "%d problem%s in the files: nothing was written. Fix %s and try "
		                                             "again.", out->errors, out->errors == 1 ? "" : "s",
		                      out->errors == 1 ? "it" : "them");
	out->written = !in->dry_run;
	return RC_OK;
}
