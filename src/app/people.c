/* people.c (app) — roles and deactivation; see people.h. */
#include "app/people.h"

#include <stdio.h>

#include "store/patient_store.h"
#include "store/people_store.h"

static rc_err admin_only(const rc_uc *uc, rc_problem *p)
{
	if (uc->actor->role != RC_ROLE_ADMIN)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "Only administrators change accounts.");
	return RC_OK;
}

static rc_err load(rc_db *db, int64_t id, rc_account *out, rc_problem *p)
{
	bool found = false;
	rc_err e = id > 0 ? rc_account_by_id(db, id, out, &found) : RC_OK;
	if (e)
		return e;
	return found ? RC_OK : rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no account with the number %lld.",
	                                      (long long)id);
}

rc_err rc_app_people_get(const rc_uc *uc, int64_t id, rc_account *out, rc_problem *p)
{
	rc_err e = admin_only(uc, p);
	return e ? e : load(uc->db, id, out, p);
}

/* Whether taking account a's administrator rights away leaves another active administrator. */
static rc_err keeps_an_admin(rc_db *db, const rc_account *a, const char *what, rc_problem *p)
{
	int64_t others = 0;
	if (a->role != RC_ROLE_ADMIN || a->deactivated_at)
		return RC_OK;
	rc_err e = rc_people_admins(db, a->id, &others);
	if (e)
		return e;
	if (others == 0)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "%s would leave the clinic with no active administrator: make "
		                                            "someone else an administrator first.", what);
	return RC_OK;
}

static rc_err audit(const rc_uc *uc, rc_db *db, const char *action, const rc_account *a, const char *detail)
{
	/* On the patient's own trail too when the account has a patient record. */
	return rc_audit_add(db, uc->now, uc->actor, action, a->patient ? a->id : 0, detail, uc->address ? uc->address : "-");
}

struct change {
	const rc_uc *uc;
	int64_t id;
	rc_role role;
	int what; /* 0 role, 1 deactivate, 2 reactivate */
	rc_problem *p;
};

static rc_err change_tx(rc_db *db, void *arg)
{
	struct change *c = arg;
	const rc_uc *uc = c->uc;
	rc_account a;
	bool changed = false;
	char detail[400];
	rc_err e = load(db, c->id, &a, c->p);
	if (e)
		return e;
	if (c->what == 0) {
		if (a.role == c->role)
			return rc_problem_set(c->p, RC_ECONFLICT, "role", "%s is already %s.", a.name, rc_role_label(a.role));
		if (c->role != RC_ROLE_ADMIN && (e = keeps_an_admin(db, &a, "That change", c->p)))
			return e;
		/* A runner who becomes staff keeps their record: their appointments and chart stay theirs. */
		if ((e = rc_people_set_role(db, a.id, c->role, a.patient, &changed)))
			return e;
		snprintf(detail, sizeof detail, "%s: role %s → %s%s", a.email[0] ? a.email : a.name, rc_role_name(a.role),
		         rc_role_name(c->role), a.patient && c->role != RC_ROLE_RUNNER ? " (keeps the patient record)" : "");
		/* The search keys follow whether the account is a patient. */
		if (changed && (e = rc_patient_index(db, a.id, false)))
			return e;
		return changed ? audit(uc, db, "account.role", &a, detail) : RC_ECONFLICT;
	}
	if (c->what == 1) {
		if (a.deactivated_at)
			return rc_problem_set(c->p, RC_ECONFLICT, NULL, "%s's account is already deactivated.", a.name);
		if ((e = keeps_an_admin(db, &a, "Deactivating this account", c->p)) ||
		    (e = rc_people_deactivate(db, a.id, uc->now, &changed)))
			return e;
		snprintf(detail, sizeof detail, "%s: deactivated; sessions ended, API tokens revoked",
		         a.email[0] ? a.email : a.name);
		return changed ? audit(uc, db, "account.deactivate", &a, detail) : RC_ECONFLICT;
	}
	if (!a.deactivated_at)
		return rc_problem_set(c->p, RC_ECONFLICT, NULL, "%s's account is active already.", a.name);
	if ((e = rc_people_reactivate(db, a.id, &changed)))
		return e;
	snprintf(detail, sizeof detail, "%s: reactivated", a.email[0] ? a.email : a.name);
	return changed ? audit(uc, db, "account.reactivate", &a, detail) : RC_ECONFLICT;
}

static rc_err change(const rc_uc *uc, int64_t id, rc_role role, int what, rc_problem *p)
{
	rc_err e = admin_only(uc, p);
	if (e)
		return e;
	p->text[0] = '\0';
	struct change c = {uc, id, role, what, p};
	e = rc_db_tx(uc->db, change_tx, &c);
	if (e == RC_ECONFLICT && !p->text[0])
		return rc_problem_set(p, RC_ECONFLICT, NULL, "The account changed meanwhile; look at it again.");
	return e;
}

rc_err rc_app_people_role(const rc_uc *uc, int64_t id, rc_role role, rc_problem *p)
{
	if (role == RC_ROLE_NONE)
		return rc_problem_set(p, RC_EINVAL, "role", "Choose a role: runner, practitioner, front desk or administrator.");
	return change(uc, id, role, 0, p);
}

rc_err rc_app_people_deactivate(const rc_uc *uc, int64_t id, rc_problem *p)
{
	return change(uc, id, RC_ROLE_NONE, 1, p);
}

rc_err rc_app_people_reactivate(const rc_uc *uc, int64_t id, rc_problem *p)
{
	return change(uc, id, RC_ROLE_NONE, 2, p);
}
