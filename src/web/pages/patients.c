/* patients.c — the front desk's patients: the list and the search, registering a patient who phones
 * in, merging a duplicate registration into the record kept, inviting a patient to choose a password.
 * The rules are app/patients.c's and app/account.c's; these pages read the form, call one use case
 * and show what it says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/account.h"
#include "app/patients.h"
#include "base/log.h"
#include "store/chart_store.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/lists.h"
#include "web/pages/pages.h"
#include "web/valid.h"

unsigned rc_page_status_of(rc_err e)
{
	switch (e) {
	case RC_OK: return 200;
	case RC_EINVAL: return 422;
	case RC_ECONFLICT: return 409;
	case RC_ENOTFOUND: return 404;
	case RC_EFORBIDDEN: return 403;
	default: return 503;
	}
}

void rc_page_refused(rc_req *r, rc_err e, const rc_problem *p, const char *what)
{
	if (rc_page_status_of(e) == 503) {
		rc_error("%s: %s (%s)", what, rc_err_str(e), r->db ? rc_db_errmsg(r->db) : "no database");
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	rc_page_error(r, rc_page_status_of(e), p->text[0] ? p->text : "That cannot be done.");
}

int64_t rc_page_param_id(rc_req *r)
{
	char *end = NULL;
	long long v = strtoll(r->params[0], &end, 10);
	return *end || v < 1 ? 0 : v;
}

/* --- the list ----------------------------------------------------------------------------------- */

/* Whether the patient signs in online, in words. */
static const char *online(const rc_patient *p)
{
	return p->deactivated_at ? "deactivated" : p->has_password ? "yes" : p->email[0] ? "not yet" : "no email";
}

/* The patients of a list; choose (NULL: none) is the merge page's address, each row then offering to
 * keep that record. */
static void patient_table(rc_req *r, const rc_patient_list *l, const char *choose, int64_t skip)
{
	rc_buf *b = &r->out;
	bool chart = r->user.role == RC_ROLE_PRACTITIONER || r->user.role == RC_ROLE_ADMIN;
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr><th scope=\"col\">Name</th>"
	               "<th scope=\"col\">Date of birth</th><th scope=\"col\">Phone</th><th scope=\"col\">Email</th>"
	               "<th scope=\"col\">Online</th>");
	if (choose)
		rc_html_lit(b, "<th scope=\"col\">Keep</th>");
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (int i = 0; i < l->n; i++) {
		const rc_patient *p = &l->v[i];
		if (p->id == skip)
			continue;
		rc_html_lit(b, "<tr><td><a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)p->id);
		rc_html_lit(b, "\">");
		rc_html_text(b, p->name);
		rc_html_lit(b, "</a>");
		if (chart && !choose) {
			rc_html_lit(b, " · <a href=\"/runners/");
			rc_html_printf(b, "%lld", (long long)p->id);
			rc_html_lit(b, "/chart\">chart</a>");
		}
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, p->dob[0] ? p->dob : "—");
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, p->phone[0] ? p->phone : "—");
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, p->email[0] ? p->email : "—");
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, online(p));
		rc_html_lit(b, "</td>");
		if (choose) {
			rc_html_lit(b, "<td><a href=\"");
			rc_html_text(b, choose);
			rc_html_printf(b, "?into=%lld", (long long)p->id);
			rc_html_lit(b, "\">Keep this record</a></td>");
		}
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
}

void rc_page_patients(rc_req *r)
{
	rc_buf *b = &r->out;
	int64_t page;
	if (!rc_list_page_arg(r, &page))
		return;
	const char *q = rc_req_query(r, "q");
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_patient_list l;
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_patient_find(&uc, q, page, RC_PAGE_ROWS, &l, &p) : RC_EDB;
	bool bad_q = e == RC_EINVAL && p.field && strcmp(p.field, "q") == 0;
	if (e && !bad_q) {
		rc_page_refused(r, e, &p, "patient search");
		return;
	}
	if (bad_q)
		r->status = 422; /* the search comes back with what was typed and why */
	rc_page_begin(r, "Patients", "patients");
	rc_html_lit(b, "<h1>Patients</h1>\n");
	if (rc_app_patients_may_manage(r->user.role))
		rc_html_lit(b, "<p><a class=\"button\" href=\"/patients/new\">Register a patient</a></p>\n");
	rc_list_search_form(r, "/patients", "Find a patient: name, phone, email or date of birth", "q", "search", q,
	                    bad_q ? p.text : NULL);
	if (bad_q) {
		rc_page_end(r);
		return;
	}
	if (q && *q) {
		rc_html_lit(b, "<p role=\"status\">");
		rc_html_printf(b, "%lld patient%s match%s “", (long long)l.total, l.total == 1 ? "" : "s",
		               l.total == 1 ? "es" : "");
		rc_html_text(b, q);
		rc_html_lit(b, "”, best first.</p>\n");
	}
	patient_table(r, &l, NULL, 0);
	if (l.total == 0)
		rc_html_lit(b, "<p>No runner matches. Check the spelling, try the phone number or the date of birth, or "
		               "register the patient.</p>\n");
	rc_list_pager(r, "/patients", "q", q, page, l.pages, l.total);
	rc_page_end(r);
}

/* --- registering a patient who phones in --------------------------------------------------------- */

enum { R_NAME, R_DOB, R_PHONE, R_EMAIL, R_ANYWAY, R_N };
static const rc_vfield register_form[R_N] = {
	[R_NAME] = {"name", "Name", RC_V_TEXT, .required = true, .max = RC_NAME_MAX},
	[R_DOB] = {"dob", "Date of birth (1985-03-14 or 3/14/1985)", RC_V_TEXT, .required = true,
	           .max = RC_PATIENT_DOB_MAX},
	[R_PHONE] = {"phone", "Phone", RC_V_TEXT, .required = true, .max = RC_PHONE_MAX},
	[R_EMAIL] = {"email", "Email", RC_V_EMAIL, .max = RC_EMAIL_MAX},
	[R_ANYWAY] = {"anyway", "Register anyway", RC_V_TEXT, .max = 1},
};

/* The registration form with what was typed (v NULL: empty), any error beside its field, and the
 * possible duplicates the use case found with the way to register anyway. */
static void register_page(rc_req *r, const rc_vvalue *v, const rc_problem *p, const rc_patient_list *dups)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "Register a patient", "patients");
	rc_html_lit(b, "<h1>Register a patient</h1>\n<p>For a patient who phones in or walks in: an email is optional, "
	               "and they can be invited to choose a password later.</p>\n");
	if (p && p->text[0] && !p->field)
		rc_page_alert(r, p->text);
	else if (v && rc_valid_first_error(v, R_N) >= 0)
		rc_page_alert(r, "Nothing is saved yet: please correct what is marked below.");
	if (dups && dups->n) {
		rc_html_lit(b, "<section aria-labelledby=\"dups\"><h2 id=\"dups\">Possibly already registered</h2>\n");
		patient_table(r, dups, NULL, 0);
		if (!p || !p->field) {
			/* The same details again, with the choice made explicit. */
			rc_form_open(r, "/patients");
			for (int i = R_NAME; i <= R_EMAIL; i++)
				rc_valid_hidden(b, &register_form[i], &v[i]);
			rc_html_lit(b, "<input type=\"hidden\" name=\"anyway\" value=\"1\">\n");
			rc_form_close(r, "None of these: register anyway");
		}
		rc_html_lit(b, "</section>\n<h2>The details</h2>\n");
	}
	rc_form_open(r, "/patients");
	for (int i = R_NAME; i <= R_EMAIL; i++)
		rc_valid_input(b, &register_form[i], v ? &v[i] : NULL);
	rc_form_close(r, "Register");
	rc_page_end(r);
}

void rc_page_patient_new(rc_req *r)
{
	if (!rc_app_patients_may_manage(r->user.role)) {
		rc_page_error(r, 403, "Only the front desk and administrators register patients.");
		return;
	}
	register_page(r, NULL, NULL, NULL);
}

void rc_page_patient_register(rc_req *r)
{
	if (!rc_app_patients_may_manage(r->user.role)) {
		rc_page_error(r, 403, "Only the front desk and administrators register patients.");
		return;
	}
	rc_vvalue v[R_N];
	rc_valid_form(&r->arena, &r->form, register_form, R_N, v);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_patient_new in = {v[R_NAME].text, v[R_DOB].text, v[R_PHONE].text, v[R_EMAIL].text,
	                     v[R_ANYWAY].set && strcmp(v[R_ANYWAY].text, "1") == 0};
	rc_patient_list dups = {0};
	rc_problem p = {0};
	int64_t id = 0;
	rc_err e = rc_valid_first_error(v, R_N) >= 0 ? RC_EINVAL
	           : uc.db                          ? rc_app_patient_register(&uc, &in, &id, &dups, &p)
	                                            : RC_EDB;
	if (!e) {
		char *to = rc_arena_printf(&r->arena, "/runners/%lld?registered=1", (long long)id);
		rc_req_redirect(r, to ? to : "/patients");
		return;
	}
	if (e != RC_EINVAL && e != RC_ECONFLICT) {
		rc_page_refused(r, e, &p, "patient registration");
		return;
	}
	r->status = rc_page_status_of(e);
	if (p.field)
		rc_valid_set_error(register_form, R_N, v, p.field, p.text);
	register_page(r, v, &p, &dups);
}

/* --- merging a duplicate registration ------------------------------------------------------------- */

static void merge_side(rc_req *r, const char *heading, const rc_patient *p)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section><h2>");
	rc_html_text(b, heading);
	rc_html_lit(b, "</h2><dl class=\"facts\"><dt>Name</dt><dd><a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)p->id);
	rc_html_lit(b, "\">");
	rc_html_text(b, p->name);
	rc_html_lit(b, "</a></dd><dt>Date of birth</dt><dd>");
	rc_html_text(b, p->dob[0] ? p->dob : "not recorded");
	rc_html_lit(b, "</dd><dt>Phone</dt><dd>");
	rc_html_text(b, p->phone[0] ? p->phone : "not recorded");
	rc_html_lit(b, "</dd><dt>Email</dt><dd>");
	rc_html_text(b, p->email[0] ? p->email : "none");
	rc_html_lit(b, "</dd><dt>Online</dt><dd>");
	rc_html_text(b, online(p));
	rc_html_lit(b, "</dd></dl></section>\n");
}

/* What merging will do, and the button that does it (unless it is refused). */
static void merge_plan_page(rc_req *r, const rc_merge_plan *pl, const char *error)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "Merge a duplicate registration", "patients");
	rc_html_lit(b, "<h1>Merge a duplicate registration</h1>\n");
	if (error)
		rc_page_alert(r, error);
	else if (pl->refused[0])
		rc_page_alert(r, pl->refused);
	rc_html_lit(b, "<div class=\"merge-sides\">");
	merge_side(r, "The duplicate (retired, kept for the audit log)", &pl->dup);
	merge_side(r, "The record kept", &pl->keep);
	rc_html_lit(b, "</div>\n<h2>What moves to the record kept</h2>\n<ul>");
	bool clinician = r->user.role == RC_ROLE_PRACTITIONER || r->user.role == RC_ROLE_ADMIN, any = false;
	int64_t hidden = 0;
	for (int k = 0; k < RC_MERGE_KINDS; k++) {
		bool clinical;
		const char *label = rc_app_merge_kind_label((rc_merge_kind)k, &clinical);
		if (!pl->counts.n[k])
			continue;
		if (clinical && !clinician) {
			hidden += pl->counts.n[k];
			continue;
		}
		rc_html_lit(b, "<li>");
		rc_html_printf(b, "%lld ", (long long)pl->counts.n[k]);
		rc_html_text(b, label);
		rc_html_lit(b, "</li>");
		any = true;
	}
	if (hidden) {
		rc_html_lit(b, "<li>the clinical record (chart, programs, diary, training), as it is</li>");
		any = true;
	}
	if (!any)
		rc_html_lit(b, "<li>nothing but the registration itself</li>");
	rc_html_lit(b, "</ul>\n<p>");
	if (pl->login_moves) {
		rc_html_lit(b, "The record kept will sign in online with the duplicate's email and password, ");
		rc_html_text(b, pl->login);
		rc_html_lit(b, ".");
	} else if (pl->login[0]) {
		rc_html_lit(b, "The record kept will have the email ");
		rc_html_text(b, pl->login);
		rc_html_lit(b, ".");
	} else {
		rc_html_lit(b, "Neither record has an email address.");
	}
	rc_html_lit(b, " Its name, date of birth and phone stay as they are; what only the duplicate has (a phone, "
	               "alerts) is added.</p>\n");
	if (!pl->refused[0] && !error) {
		char *action = rc_arena_printf(&r->arena, "/runners/%lld/merge", (long long)pl->dup.id);
		rc_form_open(r, action ? action : "/patients");
		rc_html_lit(b, "<input type=\"hidden\" name=\"into\" value=\"");
		rc_html_printf(b, "%lld", (long long)pl->keep.id);
		rc_html_lit(b, "\">");
		rc_form_close(r, "Merge: move everything to the record kept");
	}
	rc_html_lit(b, "<p><a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)pl->dup.id);
	rc_html_lit(b, "/merge\">Choose another record</a></p>\n");
	rc_page_end(r);
}

static const rc_vfield into_field = {"into", "The record to keep", RC_V_INT, .required = true, .min = 1,
                                     .max = INT64_MAX, .hint = "Choose the record to keep from the list."};

void rc_page_patient_merge(rc_req *r)
{
	rc_buf *b = &r->out;
	int64_t dup = rc_page_param_id(r);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_vvalue into;
	const char *raw = rc_req_query(r, "into");
	if (!rc_app_patients_may_manage(r->user.role)) {
		rc_page_error(r, 403, "Only the front desk and administrators merge registrations.");
		return;
	}
	if (raw && rc_valid_one(&r->arena, &into_field, raw, &into) && into.set) {
		rc_merge_plan pl;
		rc_err e = uc.db ? rc_app_patient_merge_plan(&uc, dup, into.num, &pl, &p) : RC_EDB;
		if (e)
			rc_page_refused(r, e, &p, "merge plan");
		else
			merge_plan_page(r, &pl, NULL);
		return;
	}
	/* Which record to keep: a search, starting from this patient's name. */
	rc_patient me;
	rc_err e = uc.db ? rc_app_patient_summary(&uc, dup, &me, &p) : RC_EDB;
	if (e) {
		rc_page_refused(r, e, &p, "merge");
		return;
	}
	const char *q = rc_req_query(r, "q");
	if (!q)
		q = me.name;
	rc_patient_list l;
	rc_problem sp = {0};
	rc_err se = rc_app_patient_find(&uc, q, 1, RC_PAGE_ROWS, &l, &sp);
	if (se && !(se == RC_EINVAL && sp.field)) {
		rc_page_refused(r, se, &sp, "merge search");
		return;
	}
	if (se)
		r->status = 422;
	char *path = rc_arena_printf(&r->arena, "/runners/%lld/merge", (long long)dup);
	rc_page_begin(r, "Merge a duplicate registration", "patients");
	rc_html_lit(b, "<h1>Merge ");
	rc_html_text(b, me.name);
	rc_html_lit(b, "’s registration into another record</h1>\n<p>When one person was registered twice, keep one "
	               "record: everything on this registration (appointments, waitlist, chart, programs, diary, "
	               "training) moves to it, and this one is retired. You confirm on the next page.</p>\n");
	if (raw)
		rc_page_alert(r, into.error ? into.error : into_field.hint);
	rc_list_search_form(r, path ? path : "/patients", "Find the record to keep", "q", "search", q,
	                    se ? sp.text : NULL);
	if (!se) {
		patient_table(r, &l, path, dup);
		if (l.total <= 1)
			rc_html_lit(b, "<p>No other patient matches; search by another name, the phone or the date of birth.</p>\n");
	}
	rc_page_end(r);
}

void rc_page_patient_merge_post(rc_req *r)
{
	int64_t dup = rc_page_param_id(r);
	rc_vvalue into;
	if (!rc_app_patients_may_manage(r->user.role)) {
		rc_page_error(r, 403, "Only the front desk and administrators merge registrations.");
		return;
	}
	if (!rc_valid_one(&r->arena, &into_field, rc_req_form(r, "into"), &into) || !into.set) {
		rc_page_error(r, 422, into.error ? into.error : into_field.hint);
		return;
	}
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_merge_plan pl;
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_patient_merge(&uc, dup, into.num, &pl, &p) : RC_EDB;
	if (!e) {
		char *to = rc_arena_printf(&r->arena, "/runners/%lld?merged=1", (long long)into.num);
		rc_req_redirect(r, to ? to : "/patients");
		return;
	}
	if (e == RC_ECONFLICT && pl.dup.id) {
		r->status = 409;
		merge_plan_page(r, &pl, p.text);
		return;
	}
	rc_page_refused(r, e, &p, "merge");
}

/* --- inviting a patient to choose a password -------------------------------------------------------- */

void rc_page_patient_invite(rc_req *r)
{
	rc_people_invite(r, rc_page_param_id(r), "/runners/");
}
