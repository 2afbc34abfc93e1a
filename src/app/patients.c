/* patients.c (app) — registering, finding and merging patients; see patients.h. */
#include "app/patients.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/account.h"
#include "base/text.h"
#include "base/time.h"
#include "domain/chart.h"
#include "domain/search.h"
#include "store/chart_store.h"

bool rc_app_patients_may_manage(rc_role role)
{
	return role == RC_ROLE_FRONT_DESK || role == RC_ROLE_ADMIN;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int this_year(const rc_uc *uc)
{
	char today[11];
	rc_tz_date(uc->now, today);
	return atoi(today);
}

/* --- lists of patients ------------------------------------------------------------------------ */

/* Patients collected from the store into uc->arena, with their score for the query (when there is one). */
struct collect {
	const rc_uc *uc;
	const rc_search_query *q; /* NULL: keep every row */
	rc_patient *v;
	size_t n, cap;
	bool full; /* the arena ran out */
	/* Duplicates of a registration: the details to compare with, instead of q. */
	const char *dup_name, *dup_dob, *dup_digits;
	int64_t skip_id;
};

static const char *dup(rc_arena *a, const char *s)
{
	const char *c = rc_arena_strdup(a, nz(s));
	return c ? c : "";
}

static void keep(void *ctx, const rc_patient_row *r)
{
	struct collect *c = ctx;
	rc_search_patient sp = {r->name, r->email, r->phone_digits, r->dob};
	int score = 0;
	if (c->full || r->id == c->skip_id)
		return;
	if (c->q) {
		if (!(score = rc_search_score(c->q, &sp)))
			return;
	} else if (c->dup_name) {
		bool same = (c->dup_dob[0] && strcmp(c->dup_dob, r->dob) == 0 && rc_search_same_name(c->dup_name, r->name)) ||
		            rc_search_same_phone(c->dup_digits, r->phone_digits);
		if (!same)
			return;
	}
	rc_patient *v = rc_uc_grow(c->uc->arena, c->v, c->n, &c->cap, sizeof *v);
	char sort[256];
	rc_search_sort_key(r->name, sort, sizeof sort);
	if (!v) {
		c->full = true;
		return;
	}
	c->v = v;
	rc_patient *p = &v[c->n++];
	rc_arena *a = c->uc->arena;
	*p = (rc_patient){.id = r->id, .name = dup(a, r->name), .email = dup(a, r->email), .phone = dup(a, r->phone),
	                  .dob = dup(a, r->dob), .role = rc_role_parse(r->role), .created_at = r->created_at,
	                  .deactivated_at = r->deactivated_at, .has_password = r->has_password, .score = score,
	                  .sort = dup(a, sort)};
}

/* Best match first, then by name as sorted, then the older record. */
static int by_rank(const void *x, const void *y)
{
	const rc_patient *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	int c = strcmp(a->sort, b->sort);
	if (c)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Sorts c's patients and drops a patient met twice (the store may give one twice). */
static void rank(struct collect *c)
{
	if (!c->n)
		return;
	qsort(c->v, c->n, sizeof c->v[0], by_rank);
	size_t k = 1;
	for (size_t i = 1; i < c->n; i++)
		if (c->v[i].id != c->v[k - 1].id)
			c->v[k++] = c->v[i];
	c->n = k;
}

static void one_row(void *ctx, const rc_patient_row *r)
{
	struct collect *c = ctx;
	keep(c, r);
}

rc_err rc_app_patient_find(const rc_uc *uc, const char *q, int64_t page, int per_page, rc_patient_list *out,
                           rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (!rc_role_is_staff(uc->actor->role))
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "Only the clinic's staff find patients.");
	q = nz(q);
	if (!rc_text_is_line(q, RC_SEARCH_MAX))
		return rc_problem_set(p, RC_EINVAL, "q", "A search is one line of at most %d characters.", RC_SEARCH_MAX);
	if (page < 1 || page > RC_PAGE_MAX || per_page < 1)
		return rc_problem_set(p, RC_EINVAL, "page", "'page' must be a whole number from 1 to %d.", RC_PAGE_MAX);
	struct collect c = {.uc = uc};
	rc_search_query query;
	bool searched = false;
	rc_err e;
	while (*q == ' ')
		q++;
	size_t chars = 0;
	for (const char *ch = q; *ch; ch++)
		chars += ((unsigned char)*ch & 0xC0) != 0x80 && *ch != ' ';
	if (*q && chars < RC_PATIENT_SEARCH_MIN)
		return rc_problem_set(p, RC_EINVAL, "q", "Type at least %d characters: part of a name, a phone number, an "
		                                         "email or a date of birth.", RC_PATIENT_SEARCH_MIN);
	if (!*q) {
		/* Everyone, a page at a time, by name. */
		if ((e = rc_patient_page(uc->db, (page - 1) * per_page, per_page, one_row, &c, &out->total)))
			return e;
	} else if (rc_search_parse(q, this_year(uc), &query) > 0) {
		char keys[RC_SEARCH_TERM_KEYS_MAX][RC_SEARCH_KEY_MAX + 1];
		size_t nk = rc_search_term_keys(&query.t[rc_search_pick(&query)], keys, RC_SEARCH_TERM_KEYS_MAX);
		bool too_many = false;
		c.q = &query;
		searched = true;
		if (nk && (e = rc_patient_candidates(uc->db, (const char (*)[RC_SEARCH_KEY_MAX + 1])keys, nk,
		                                     RC_PATIENT_SEARCH_LOOK, keep, &c, &too_many)))
			return e;
		if (too_many || c.full)
			return rc_problem_set(p, RC_EINVAL, "q", "More than %d patients begin like that: type more of the name, or "
			                                         "add the date of birth or the phone number.", RC_PATIENT_SEARCH_LOOK);
		rank(&c);
		out->total = (int64_t)c.n;
	} else {
		searched = true; /* nothing in it to search for ("%%"): no one matches */
	}
	if (c.full)
		return RC_ENOMEM;
	out->page = page;
	out->pages = out->total <= 0 ? 1 : (out->total + per_page - 1) / per_page;
	if (page > out->pages)
		return rc_problem_set(p, RC_ENOTFOUND, "page", "There is no page %lld: this list has %lld page%s.",
		                      (long long)page, (long long)out->pages, out->pages == 1 ? "" : "s");
	if (searched) {
		size_t from = (size_t)((page - 1) * per_page);
		out->v = c.v ? c.v + from : NULL;
		out->n = (int)(c.n - from < (size_t)per_page ? c.n - from : (size_t)per_page);
		char detail[120];
		snprintf(detail, sizeof detail, "%lld patient%s found, page %lld", (long long)out->total,
		         out->total == 1 ? "" : "s", (long long)page);
		if ((e = rc_audit_add(uc->db, uc->now, uc->actor, "patients.search", 0, detail, nz(uc->address))))
			return e;
	} else {
		out->v = c.v;
		out->n = (int)c.n;
	}
	return RC_OK;
}

rc_err rc_app_patient_summary(const rc_uc *uc, int64_t id, rc_patient *out, rc_problem *p)
{
	struct collect c = {.uc = uc};
	bool found = false;
	memset(out, 0, sizeof *out);
	rc_err e = id > 0 ? rc_patient_get(uc->db, id, one_row, &c, &found) : RC_OK;
	if (e)
		return e;
	if (c.full)
		return RC_ENOMEM;
	if (!found || !c.n)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no patient with the number %lld.", (long long)id);
	*out = c.v[0];
	return RC_OK;
}

/* --- the patient a form means ----------------------------------------------------------------------- */

enum { PICK_SHOWN = 3 }; /* patients named when several match */

rc_err rc_app_patient_pick(const rc_uc *uc, const char *typed, const char *field, int64_t *id, rc_problem *p)
{
	*id = 0;
	const char *t = nz(typed);
	while (*t == ' ')
		t++;
	if (!*t)
		return rc_problem_set(p, RC_EINVAL, field, "Enter the patient: a name, phone, email or date of birth.");
	if (strchr(t, '@')) {
		char email[RC_EMAIL_MAX + 1];
		rc_account a;
		bool found = false;
		if (!rc_app_email_clean(t, email))
			return rc_problem_set(p, RC_EINVAL, field, "'%.80s' is not an email address.", t);
		rc_err e = rc_account_by_email(uc->db, email, &a, &found);
		if (e)
			return e;
		if (!found || !a.patient || a.deactivated_at)
			return rc_problem_set(p, RC_EINVAL, field, "No patient has the email address %.80s; search by name or "
			                      "phone, or register them first.", email);
		*id = a.id;
		return RC_OK;
	}
	rc_patient_list l;
	rc_err e = rc_app_patient_find(uc, t, 1, PICK_SHOWN, &l, p);
	if (e == RC_EINVAL) { /* the search's own sentence, about this field */
		char said[sizeof p->text];
		memcpy(said, p->text, sizeof said);
		return rc_problem_set(p, RC_EINVAL, field, "%s", said);
	}
	if (e)
		return e;
	if (l.total == 1 && l.n == 1) {
		*id = l.v[0].id;
		return RC_OK;
	}
	if (l.total == 0)
		return rc_problem_set(p, RC_EINVAL, field, "No patient matches '%.80s'. Check the spelling, or register "
		                      "the patient first (Patients, then Register a patient).", t);
	char who[sizeof p->text];
	size_t used = 0;
	who[0] = '\0';
	for (int i = 0; i < l.n && used < sizeof who; i++) {
		const rc_patient *pt = &l.v[i];
		bool dob = pt->dob[0], phone = pt->phone[0];
		int w = snprintf(who + used, sizeof who - used, "%s%.40s%s%s%s%s%s%s", i ? "; " : "", pt->name,
		                 dob || phone ? " (" : "", dob ? "born " : "", pt->dob, dob && phone ? ", " : "", pt->phone,
		                 dob || phone ? ")" : "");
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return rc_problem_set(p, RC_EINVAL, field, "%lld patients match '%.60s': %s%s. Type more of the name, or the "
	                      "phone or date of birth.", (long long)l.total, t, who, l.total > l.n ? "; and others" : "");
}

/* --- registering --------------------------------------------------------------------------------- */

/* A date of birth as typed: YYYY-MM-DD, or as people write it when only one date fits. */
static rc_err birth_date(const rc_uc *uc, const char *typed, char out[11], rc_problem *p)
{
	char today[11], alt[11];
	rc_tz_date(uc->now, today);
	const char *t = nz(typed);
	while (*t == ' ')
		t++;
	if (!*t)
		return rc_problem_set(p, RC_EINVAL, "dob", "Enter the date of birth, for example 1985-03-14 or 3/14/1985.");
	if (strlen(t) > RC_PATIENT_DOB_MAX || !rc_search_date(t, this_year(uc), out, alt))
		return rc_problem_set(p, RC_EINVAL, "dob", "'%.40s' is not a date of birth: write it as 1985-03-14 or 3/14/1985.",
		                      t);
	if (alt[0])
		return rc_problem_set(p, RC_EINVAL, "dob", "'%.40s' could be %s or %s: write it as YYYY-MM-DD.", t, out, alt);
	if (!rc_chart_birth_date_ok(out, today))
		return rc_problem_set(p, RC_EINVAL, "dob", "The date of birth cannot be after today.");
	return RC_OK;
}

struct registration {
	const rc_uc *uc;
	const char *name, *email, *dob, *phone, *digits;
	int64_t id;
};

/* The account, the details the front desk took and the audit line, together or not at all. */
static rc_err register_tx(rc_db *db, void *arg)
{
	struct registration *c = arg;
	const rc_uc *uc = c->uc;
	rc_err e = rc_account_create(db, c->email[0] ? c->email : NULL, c->name, RC_ROLE_RUNNER, NULL, uc->now, &c->id);
	if (e)
		return e;
	rc_profile prof = {.runner_id = c->id};
	snprintf(prof.date_of_birth, sizeof prof.date_of_birth, "%s", c->dob);
	snprintf(prof.phone, sizeof prof.phone, "%s", c->phone);
	if ((e = rc_profile_put(db, &prof, c->digits, uc->now, uc->actor->id)))
		return e;
	char detail[200];
	snprintf(detail, sizeof detail, "registered by %s, %s", rc_role_label(uc->actor->role),
	         c->email[0] ? "with an email address" : "without an email address");
	return rc_audit_add(db, uc->now, uc->actor, "patient.register", c->id, detail, nz(uc->address));
}

/* Patients who may be this one: the same name and date of birth, or the same phone. */
static rc_err duplicates(const rc_uc *uc, const char *name, const char *dob, const char *digits, struct collect *c)
{
	char keys[RC_PATIENT_LOOKUP_KEYS][RC_SEARCH_KEY_MAX + 1];
	size_t n = 0;
	snprintf(keys[n++], sizeof keys[0], "d:%s", dob);
	rc_search_term phone = {.kind = RC_TERM_PHONE};
	snprintf(phone.text, sizeof phone.text, "%s", digits);
	n += rc_search_term_keys(&phone, keys + n, RC_PATIENT_LOOKUP_KEYS - n);
	*c = (struct collect){.uc = uc, .dup_name = name, .dup_dob = dob, .dup_digits = digits};
	bool too_many = false;
	rc_err e = rc_patient_candidates(uc->db, (const char (*)[RC_SEARCH_KEY_MAX + 1])keys, n, RC_PATIENT_SEARCH_LOOK,
	                                 keep, c, &too_many);
	if (e)
		return e;
	rank(c);
	if (c->n > RC_PATIENT_DUPLICATES)
		c->n = RC_PATIENT_DUPLICATES;
	return RC_OK;
}

rc_err rc_app_patient_register(const rc_uc *uc, const rc_patient_new *in, int64_t *id, rc_patient_list *dups,
                               rc_problem *p)
{
	memset(dups, 0, sizeof *dups);
	*id = 0;
	if (!rc_app_patients_may_manage(uc->actor->role))
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "Only the front desk and administrators register patients.");
	char name[RC_NAME_MAX + 1], email[RC_EMAIL_MAX + 1] = "", dob[11], digits[RC_SEARCH_PHONE_MAX + 2];
	const char *nm = nz(in->name);
	while (*nm == ' ')
		nm++;
	size_t nlen = strlen(nm);
	while (nlen && nm[nlen - 1] == ' ')
		nlen--;
	if (!nlen || nlen > RC_NAME_MAX || !rc_text_is_line(nm, 4 * RC_NAME_MAX))
		return rc_problem_set(p, RC_EINVAL, "name", "Enter the patient's name on one line (up to %d characters).",
		                      RC_NAME_MAX);
	memcpy(name, nm, nlen);
	name[nlen] = '\0';
	rc_err e = birth_date(uc, in->dob, dob, p);
	if (e)
		return e;
	if (!rc_search_phone_ok(nz(in->phone)))
		return rc_problem_set(p, RC_EINVAL, "phone", "Enter a phone number of 7 to 15 digits (spaces, +, -, dots and "
		                                             "brackets are fine).");
	rc_search_phone_digits(in->phone, digits, sizeof digits);
	const char *em = nz(in->email);
	while (*em == ' ')
		em++;
	if (*em && !rc_app_email_clean(em, email))
		return rc_problem_set(p, RC_EINVAL, "email", "Enter an email address such as name@example.org, or leave it "
		                                             "empty.");
	struct collect c;
	if ((e = duplicates(uc, name, dob, digits, &c)))
		return e;
	if (email[0]) {
		rc_account a;
		bool found = false;
		if ((e = rc_account_by_email(uc->db, email, &a, &found)))
			return e;
		if (found) {
			dups->v = c.v, dups->n = (int)c.n, dups->total = (int64_t)c.n;
			if (a.patient)
				return rc_problem_set(p, RC_ECONFLICT, "email", "That email address is already on the record of %s: "
				                                                "open it below, or leave the email empty.", a.name);
			return rc_problem_set(p, RC_ECONFLICT, "email", "That email address belongs to a staff account; leave the "
			                                                "email empty or use another.");
		}
	}
	if (c.n && !in->anyway) {
		dups->v = c.v, dups->n = (int)c.n, dups->total = (int64_t)c.n;
		return rc_problem_set(p, RC_ECONFLICT, NULL, "%s may already be registered: check the record%s below, or "
		                                             "register anyway.", name, c.n == 1 ? "" : "s");
	}
	char phone[RC_PHONE_MAX + 1];
	snprintf(phone, sizeof phone, "%s", in->phone);
	struct registration r = {uc, name, email, dob, phone, digits, 0};
	e = rc_db_tx(uc->db, register_tx, &r);
	if (e == RC_ECONFLICT)
		return rc_problem_set(p, RC_ECONFLICT, "email", "That email address has just been taken by another account.");
	if (e)
		return e;
	*id = r.id;
	return RC_OK;
}

/* --- merging --------------------------------------------------------------------------------------- */

const char *rc_app_merge_kind_label(rc_merge_kind k, bool *clinical)
{
	static const struct {
		const char *label;
		bool clinical;
	} kinds[RC_MERGE_KINDS] = {
		[RC_MERGE_APPOINTMENTS] = {"appointments", false},
		[RC_MERGE_WAITLIST] = {"places on the waitlist", false},
		[RC_MERGE_SELFCHECKS] = {"self-checks", true},
		[RC_MERGE_ACTIVITIES] = {"training runs", true},
		[RC_MERGE_ACTIVITIES_SAME] = {"training runs both records have (kept once)", true},
		[RC_MERGE_IMPORTS] = {"training file imports", true},
		[RC_MERGE_PROGRAMS] = {"home programs", true},
		[RC_MERGE_EXERCISE_LOGS] = {"exercise sessions logged", true},
		[RC_MERGE_DIARY] = {"diary entries", true},
		[RC_MERGE_PSFS] = {"function ratings (PSFS)", true},
		[RC_MERGE_DETAILS] = {"set of contact details and alerts (what the kept record lacks is added)", false},
		[RC_MERGE_DETAIL_VERSIONS] = {"earlier versions of the details", false},
		[RC_MERGE_EPISODES] = {"episodes of care", true},
		[RC_MERGE_NOTES] = {"visit notes", true},
		[RC_MERGE_ADDENDA] = {"addenda to notes", true},
		[RC_MERGE_MEASURES] = {"measures", true},
		[RC_MERGE_TREATMENTS] = {"treatments", true},
		[RC_MERGE_CONSENTS] = {"needling consents", true},
		[RC_MERGE_ADVERSE] = {"adverse events", true},
		[RC_MERGE_FEEDS] = {"calendar feeds", false},
	};
	if (clinical)
		*clinical = (unsigned)k < RC_MERGE_KINDS && kinds[k].clinical;
	return (unsigned)k < RC_MERGE_KINDS ? kinds[k].label : "";
}

/* Reads both patients and decides, in the caller's transaction (or none, for the page that asks). */
static rc_err plan(const rc_uc *uc, rc_db *db, int64_t dup, int64_t keep_id, rc_merge_plan *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (!rc_app_patients_may_manage(uc->actor->role))
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "Only the front desk and administrators merge registrations.");
	if (dup == keep_id)
		return rc_problem_set(p, RC_EINVAL, "into", "Choose another record: a registration cannot be merged into "
		                                            "itself.");
	rc_uc in_tx = *uc;
	in_tx.db = db;
	rc_err e;
	if ((e = rc_app_patient_summary(&in_tx, dup, &out->dup, p)) || (e = rc_app_patient_summary(&in_tx, keep_id, &out->keep, p)))
		return e;
	const rc_patient *d = &out->dup, *k = &out->keep;
	if ((e = rc_patient_merge_counts(db, dup, keep_id, &out->counts)))
		return e;
	/* The sign-in the person proved (a password) wins; else the kept record keeps its email, or takes
	 * the duplicate's when it has none. */
	if (d->has_password && !k->has_password)
		out->login = d->email, out->login_moves = true;
	else if (!k->email[0] && !k->has_password && d->email[0] && !d->has_password)
		out->login = d->email, out->email_moves = true;
	else
		out->login = k->email;
	const rc_patient *staff = d->role != RC_ROLE_RUNNER ? d : k->role != RC_ROLE_RUNNER ? k : NULL;
	const rc_patient *off = d->deactivated_at ? d : k->deactivated_at ? k : NULL;
	if (staff)
		snprintf(out->refused, sizeof out->refused, "%s has a staff account: only patients' registrations can be "
		                                            "merged.", staff->name);
	else if (off)
		snprintf(out->refused, sizeof out->refused, "%s's account is deactivated: an administrator reactivates it "
		                                            "first.", off->name);
	else if (d->has_password && k->has_password)
		snprintf(out->refused, sizeof out->refused, "Both records sign in online with their own email and password "
		                                            "(%s and %s): merging would lock the patient out of one of them. Ask "
		                                            "the patient which one they use; nothing was merged.", d->email,
		         k->email);
	return RC_OK;
}

rc_err rc_app_patient_merge_plan(const rc_uc *uc, int64_t dup, int64_t keep_id, rc_merge_plan *out, rc_problem *p)
{
	return plan(uc, uc->db, dup, keep_id, out, p);
}

/* Alerts of both, each once, in the order of the kept record's and then the duplicate's. */
static void alerts_union(char *into, size_t n, const char *more)
{
	char buf[RC_ALERTS_MAX + 1];
	snprintf(buf, sizeof buf, "%s", more);
	char *save = NULL;
	for (char *a = strtok_r(buf, " ", &save); a; a = strtok_r(NULL, " ", &save)) {
		bool have = false;
		char mine[RC_ALERTS_MAX + 1];
		snprintf(mine, sizeof mine, "%s", into);
		char *s2 = NULL;
		for (char *b = strtok_r(mine, " ", &s2); b && !have; b = strtok_r(NULL, " ", &s2))
			have = strcmp(a, b) == 0;
		size_t len = strlen(into);
		if (!have && len + strlen(a) + 2 <= n)
			snprintf(into + len, n - len, "%s%s", len ? " " : "", a);
	}
}

/* The kept record's details, with what only the duplicate's have filled in: a missing phone or date of
 * birth, the emergency contact, and every alert of both (an alert is never lost in a merge). */
static rc_err merge_details(const rc_uc *uc, rc_db *db, int64_t dup, int64_t keep_id)
{
	rc_profile d, k;
	bool dfound, kfound;
	rc_err e;
	if ((e = rc_profile_get(db, dup, &d, &dfound)) || (e = rc_profile_get(db, keep_id, &k, &kfound)) || !dfound)
		return e;
	rc_profile m = k;
	m.runner_id = keep_id;
	if (!m.date_of_birth[0])
		memcpy(m.date_of_birth, d.date_of_birth, sizeof m.date_of_birth);
	if (!m.phone[0])
		memcpy(m.phone, d.phone, sizeof m.phone);
	if (!m.emergency_name[0] && !m.emergency_phone[0]) {
		memcpy(m.emergency_name, d.emergency_name, sizeof m.emergency_name);
		memcpy(m.emergency_phone, d.emergency_phone, sizeof m.emergency_phone);
	}
	alerts_union(m.alerts, sizeof m.alerts, d.alerts);
	if (d.alert_note[0] && strcmp(d.alert_note, m.alert_note) != 0) {
		size_t len = strlen(m.alert_note);
		if (len + strlen(d.alert_note) + 3 <= sizeof m.alert_note)
			snprintf(m.alert_note + len, sizeof m.alert_note - len, "%s%s", len ? "; " : "", d.alert_note);
	}
	if (kfound && !strcmp(m.date_of_birth, k.date_of_birth) && !strcmp(m.phone, k.phone) &&
	    !strcmp(m.emergency_name, k.emergency_name) && !strcmp(m.emergency_phone, k.emergency_phone) &&
	    !strcmp(m.alerts, k.alerts) && !strcmp(m.alert_note, k.alert_note))
		return RC_OK; /* nothing to add */
	char digits[RC_SEARCH_PHONE_MAX + 2];
	rc_search_phone_digits(m.phone, digits, sizeof digits);
	return rc_profile_put(db, &m, digits, uc->now, uc->actor->id);
}

struct merge {
	const rc_uc *uc;
	int64_t dup, keep;
	rc_merge_plan *plan;
	rc_problem *p;
	bool refused;
};

static rc_err merge_tx(rc_db *db, void *arg)
{
	struct merge *c = arg;
	const rc_uc *uc = c->uc;
	rc_merge_plan *pl = c->plan;
	c->refused = false;
	rc_err e = plan(uc, db, c->dup, c->keep, pl, c->p);
	if (e)
		return e;
	if (pl->refused[0]) {
		c->refused = true;
		return RC_OK;
	}
	/* The duplicate's password hash, read before it is retired. */
	rc_account d;
	bool found = false;
	if ((e = rc_account_by_id(db, c->dup, &d, &found)) || !found)
		return e ? e : RC_ECONFLICT;
	if ((e = merge_details(uc, db, c->dup, c->keep)) || (e = rc_patient_merge_move(db, c->dup, c->keep, uc->now)) ||
	    (e = rc_patient_retire(db, c->dup, c->keep, uc->now)))
		return e;
	if (pl->login_moves)
		e = rc_patient_take_login(db, c->keep, d.email, d.password_hash, d.password_changed_at);
	else if (pl->email_moves)
		e = rc_patient_take_login(db, c->keep, d.email, NULL, d.password_changed_at);
	if (e || (e = rc_patient_index(db, c->keep, false)))
		return e;
	/* What moved, in words, for both records' audit trails. */
	char moved[200] = "";
	size_t len = 0;
	for (int k = 0; k < RC_MERGE_KINDS; k++)
		if (pl->counts.n[k] && k != RC_MERGE_ACTIVITIES_SAME && len < sizeof moved - 40) {
			int w = snprintf(moved + len, sizeof moved - len, "%s%lld %s", len ? ", " : "", (long long)pl->counts.n[k],
			                 rc_app_merge_kind_label((rc_merge_kind)k, NULL));
			len += w > 0 ? (size_t)w : 0;
		}
	char detail[400];
	snprintf(detail, sizeof detail, "registration %lld (%s, %s) merged into this record; moved: %s%s",
	         (long long)c->dup, pl->dup.name, pl->dup.email[0] ? pl->dup.email : "no email", moved[0] ? moved : "nothing",
	         pl->login_moves ? "; signs in with the duplicate's email and password" : "");
	if ((e = rc_audit_add(db, uc->now, uc->actor, "patient.merge", c->keep, detail, nz(uc->address))))
		return e;
	snprintf(detail, sizeof detail, "merged into record %lld (%s)", (long long)c->keep, pl->keep.name);
	return rc_audit_add(db, uc->now, uc->actor, "patient.merged", c->dup, detail, nz(uc->address));
}

rc_err rc_app_patient_merge(const rc_uc *uc, int64_t dup, int64_t keep_id, rc_merge_plan *out, rc_problem *p)
{
	struct merge c = {uc, dup, keep_id, out, p, false};
	rc_err e = rc_db_tx(uc->db, merge_tx, &c);
	if (e == RC_ECONFLICT && !p->text[0])
		return rc_problem_set(p, RC_ECONFLICT, NULL, "The records changed while merging (another merge came first); "
		                                             "nothing was merged.");
	if (!e && c.refused)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "%s", out->refused);
	return e;
}
