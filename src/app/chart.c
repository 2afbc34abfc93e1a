/* chart.c (app) — the clinical chart's use cases (see chart.h). */
#include "app/chart.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/training.h"
#include "base/text.h"
#include "base/time.h"
#include "content/selfcheck.h"
#include "domain/progress.h"
#include "domain/search.h"
#include "store/account.h"

/* --- tables --------------------------------------------------------------------------------------- */

/* The body chart's places: the self-check's body-map regions, with a side where the body has two. */
const rc_body_mark rc_body_marks[] = {
	{"neck", "Neck", true, 300, 62, 16, 12},
	{"upper_back", "Upper back", true, 300, 110, 30, 20},
	{"low_back", "Lower back", true, 300, 165, 30, 16},
	{"sacrum_pelvis", "Base of the spine, sacrum", true, 300, 193, 18, 9},
	{"buttock_deep_left", "Middle of the left buttock", true, 282, 216, 12, 11},
	{"buttock_deep_right", "Middle of the right buttock", true, 318, 216, 12, 11},
	{"sit_bone_left", "Left sit bone", true, 286, 238, 9, 7},
	{"sit_bone_right", "Right sit bone", true, 314, 238, 9, 7},
	{"back_thigh_left", "Back of the left thigh", true, 284, 282, 11, 26},
	{"back_thigh_right", "Back of the right thigh", true, 316, 282, 11, 26},
	{"calf_left", "Left calf", true, 284, 345, 10, 22},
	{"calf_right", "Right calf", true, 316, 345, 10, 22},
	{"achilles_left", "Left Achilles tendon", true, 284, 384, 6, 9},
	{"achilles_right", "Right Achilles tendon", true, 316, 384, 6, 9},
	{"heel_left", "Underside of the left heel", true, 284, 405, 9, 6},
	{"heel_right", "Underside of the right heel", true, 316, 405, 9, 6},
	{"hip_outer_right", "Outer right hip", false, 75, 200, 6, 11},
	{"hip_outer_left", "Outer left hip", false, 125, 200, 6, 11},
	{"groin_right", "Right groin, front of the hip", false, 88, 222, 12, 9},
	{"groin_left", "Left groin, front of the hip", false, 112, 222, 12, 9},
	{"thigh_front_right", "Front of the right thigh", false, 84, 270, 11, 26},
	{"thigh_front_left", "Front of the left thigh", false, 116, 270, 11, 26},
	{"knee_right", "Right knee", false, 84, 312, 10, 10},
	{"knee_left", "Left knee", false, 116, 312, 10, 10},
	{"shin_right", "Right shin", false, 84, 350, 8, 24},
	{"shin_left", "Left shin", false, 116, 350, 8, 24},
	{"foot_right", "Top of the right foot", false, 84, 400, 9, 8},
	{"foot_left", "Top of the left foot", false, 116, 400, 9, 8},
};
const int rc_body_nmarks = (int)(sizeof rc_body_marks / sizeof rc_body_marks[0]);

const rc_body_mark *rc_body_mark_find(const char *key)
{
	for (int i = 0; key && i < rc_body_nmarks; i++)
		if (strcmp(rc_body_marks[i].key, key) == 0)
			return &rc_body_marks[i];
	return NULL;
}

static const struct {
	const char *kind, *label;
	unsigned fields; /* which inputs the kind takes (F_ bits) */
} KINDS[] = {
#define F_POINTS 1u
#define F_NEEDLES 2u
#define F_MINUTES 4u
#define F_HZ 8u
#define F_SIDE 16u
#define F_MUSCLE 32u
#define F_REGION 64u
#define F_TECHNIQUE 128u
#define F_TOPIC 256u
#define F_PROGRAM 512u
	{"acupuncture", "Acupuncture", F_POINTS | F_NEEDLES | F_MINUTES | F_HZ}, /* hz: refused with the reason */
	{"electro_acupuncture", "Electro-acupuncture", F_POINTS | F_NEEDLES | F_MINUTES | F_HZ},
	{"dry_needling", "Dry needling", F_MUSCLE | F_SIDE | F_NEEDLES | F_MINUTES},
	{"soft_tissue", "Soft-tissue work", F_REGION | F_SIDE | F_TECHNIQUE},
	{"manual_therapy", "Manual therapy", F_REGION | F_SIDE | F_TECHNIQUE},
	{"taping", "Taping", F_REGION | F_SIDE | F_TECHNIQUE},
	{"education", "Education", F_TOPIC},
	{"home_program", "Home program", F_PROGRAM},
};
enum { NKINDS = sizeof KINDS / sizeof KINDS[0] };

static int kind_index(const char *kind)
{
	for (int i = 0; kind && i < NKINDS; i++)
		if (strcmp(KINDS[i].kind, kind) == 0)
			return i;
	return -1;
}

const char *rc_treatment_kind_label(const char *kind)
{
	int i = kind_index(kind);
	return i < 0 ? NULL : KINDS[i].label;
}

bool rc_treatment_is_needling(const char *kind)
{
	return kind && (strcmp(kind, "acupuncture") == 0 || strcmp(kind, "electro_acupuncture") == 0 ||
	                strcmp(kind, "dry_needling") == 0);
}

const char *const rc_adverse_kinds[] = {"bruising", "bleeding", "fainting", "increased_pain", "other"};
const int rc_adverse_nkinds = 5;

const char *rc_adverse_kind_label(const char *kind)
{
	static const char *const labels[] = {"Bruising", "Bleeding", "Fainting", "Increased pain", "Other"};
	for (int i = 0; kind && i < rc_adverse_nkinds; i++)
		if (strcmp(rc_adverse_kinds[i], kind) == 0)
			return labels[i];
	return NULL;
}

/* --- shared checks --------------------------------------------------------------------------------- */

bool rc_chart_clinician(const rc_account *a)
{
	return a && a->id && (a->role == RC_ROLE_PRACTITIONER || a->role == RC_ROLE_ADMIN);
}

const char *rc_chart_condition_name(const rc_chart_know *k, const char *key)
{
	int i = k && k->triage && key ? rc_triage_condition(k->triage, key) : -1;
	return i < 0 ? (key ? key : "") : k->triage->conditions[i].name;
}

static rc_err not_found(rc_problem *p)
{
	return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such patient or record.");
}

/* The patient: a live runner account of this clinic. */
static rc_err load_patient(const rc_uc *uc, int64_t id, rc_account *out, rc_problem *p)
{
	bool found = false;
	if (id <= 0)
		return not_found(p);
	rc_err e = rc_account_by_id(uc->db, id, out, &found);
	if (e)
		return e;
	if (!found || !out->patient)
		return not_found(p);
	return RC_OK;
}

/* A patient's episodes (newest first), in an array the size of what there is: room for a few, and for
 * RC_CHART_MAX_EPISODES only when those few are full. Room for the most (100 episodes, 340 KiB) was
 * allocated and cleared on every chart view, for a patient who has one or two. */
enum { FEW_EPISODES = 8, FEW_ADVERSE = 16 };

static rc_err episodes_read(rc_db *db, rc_arena *a, int64_t patient, rc_episode **out, int *n)
{
	for (int room = FEW_EPISODES;; room = RC_CHART_MAX_EPISODES) {
		rc_episode *v = rc_arena_alloc(a, sizeof *v * (size_t)room);
		if (!v)
			return RC_ENOMEM;
		rc_err e = rc_episodes_of(db, patient, v, room, n);
		*out = v;
		if (e || *n < room || room == RC_CHART_MAX_EPISODES)
			return e;
	}
}

/* The same for the adverse events (newest first): 200 of them were 240 KiB. */
static rc_err adverse_read(rc_db *db, rc_arena *a, int64_t patient, rc_adverse **out, int *n)
{
	for (int room = FEW_ADVERSE;; room = RC_CHART_MAX_ADVERSE) {
		rc_adverse *v = rc_arena_alloc(a, sizeof *v * (size_t)room);
		if (!v)
			return RC_ENOMEM;
		rc_err e = rc_adverse_list(db, patient, v, room, n);
		*out = v;
		if (e || *n < room || room == RC_CHART_MAX_ADVERSE)
			return e;
	}
}

static void today(const rc_uc *uc, char out[11])
{
	rc_tz_date(uc->now, out);
}

/* A date a person typed: a real date, not after today, not before 1900. */
static bool past_day(const rc_uc *uc, const char *s)
{
	char t[11];
	today(uc, t);
	int64_t d = s ? rc_day_number(s) : INT64_MIN;
	return d != INT64_MIN && strlen(s) == 10 && d <= rc_day_number(t) && d >= rc_days_from_civil(1900, 1, 1);
}

/* Text a person typed: UTF-8, and no control characters but new lines and tabs (a multi-line field). */
static bool text_ok(const char *s, size_t max)
{
	if (!s)
		return true;
	size_t n = strlen(s);
	if (n > max || !rc_utf8_valid(s, n))
		return false;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if ((*c < 0x20 && *c != '\n' && *c != '\r' && *c != '\t') || *c == 0x7f)
			return false;
	return true;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t')
			return false;
	return true;
}

/* Every read and write of a chart: inside the write's transaction, or just after a read (a read that
 * cannot be recorded is not shown). */
static rc_err audit(const rc_uc *uc, rc_db *db, const char *action, int64_t patient, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static rc_err audit(const rc_uc *uc, rc_db *db, const char *action, int64_t patient, const char *fmt, ...)
{
	char detail[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	return rc_audit_add(db, uc->now, uc->actor, action, patient, detail, uc->address ? uc->address : "");
}

/* --- a patient's details ----------------------------------------------------------------------------- */

struct profile_tx {
	const rc_uc *uc;
	rc_profile prof;
	char digits[RC_PHONE_MAX + 1];
};

static rc_err profile_tx(rc_db *db, void *arg)
{
	struct profile_tx *c = arg;
	rc_err e = rc_profile_put(db, &c->prof, c->digits, c->uc->now, c->uc->actor->id);
	return e ? e : audit(c->uc, db, "chart.profile.update", c->prof.runner_id, "details and alerts");
}

/* A phone may be left empty here; one given is a phone number (domain/search.h's rule). */
static bool phone_ok(const char *s)
{
	return !*nz(s) || rc_search_phone_ok(s);
}

rc_err rc_app_profile_save(const rc_uc *uc, int64_t patient, const rc_profile_in *in, rc_problem *p)
{
	rc_account who;
	if (!rc_chart_clinician(uc->actor))
		return not_found(p);
	rc_err e = load_patient(uc, patient, &who, p);
	if (e)
		return e;
	struct profile_tx c = {.uc = uc};
	c.prof.runner_id = patient;
	char t[11];
	today(uc, t);
	if (*nz(in->date_of_birth) && !rc_chart_birth_date_ok(in->date_of_birth, t))
		return rc_problem_set(p, RC_EINVAL, "date_of_birth", "'Date of birth' must be a date like 1990-04-17, not in "
		                                                     "the future.");
	if (!phone_ok(in->phone))
		return rc_problem_set(p, RC_EINVAL, "phone", "'Phone' must be a phone number of 7 to 15 digits (spaces, +, "
		                                             "-, brackets allowed).");
	if (!rc_text_is_line(nz(in->emergency_name), 120))
		return rc_problem_set(p, RC_EINVAL, "emergency_name", "'Emergency contact' must be one line of at most 120 "
		                                                      "characters.");
	if (!phone_ok(in->emergency_phone))
		return rc_problem_set(p, RC_EINVAL, "emergency_phone", "'Emergency contact's phone' must be a phone number "
		                                                       "of 7 to 15 digits.");
	if (!text_ok(in->alert_note, RC_ALERT_NOTE_MAX))
		return rc_problem_set(p, RC_EINVAL, "alert_note", "'Alert details' must be at most %d characters of text.",
		                      RC_ALERT_NOTE_MAX);
	if (in->nalerts > RC_CHART_NALERTS)
		return rc_problem_set(p, RC_EINVAL, "alerts", "At most %d alerts.", RC_CHART_NALERTS);
	for (int i = 0; i < in->nalerts; i++)
		if (!rc_chart_alert_find(in->alerts[i]))
			return rc_problem_set(p, RC_EINVAL, "alerts", "'%.40s' is not one of the alerts runcare knows.",
			                      nz(in->alerts[i]));
	/* Each once, in the order the table lists them. */
	for (int a = 0; a < RC_CHART_NALERTS; a++)
		for (int i = 0; i < in->nalerts; i++)
			if (strcmp(in->alerts[i], rc_chart_alerts[a].key) == 0) {
				size_t len = strlen(c.prof.alerts);
				snprintf(c.prof.alerts + len, sizeof c.prof.alerts - len, "%s%s", len ? " " : "", rc_chart_alerts[a].key);
				break;
			}
	snprintf(c.prof.date_of_birth, sizeof c.prof.date_of_birth, "%s", nz(in->date_of_birth));
	snprintf(c.prof.phone, sizeof c.prof.phone, "%s", nz(in->phone));
	snprintf(c.prof.emergency_name, sizeof c.prof.emergency_name, "%s", nz(in->emergency_name));
	snprintf(c.prof.emergency_phone, sizeof c.prof.emergency_phone, "%s", nz(in->emergency_phone));
	snprintf(c.prof.alert_note, sizeof c.prof.alert_note, "%s", nz(in->alert_note));
	rc_search_phone_digits(c.prof.phone, c.digits, sizeof c.digits);
	return rc_db_tx(uc->db, profile_tx, &c);
}

rc_err rc_app_patient_details(const rc_uc *uc, int64_t patient, const char *what, rc_patient_details *out,
                              rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (!rc_chart_clinician(uc->actor))
		return not_found(p);
	rc_err e = load_patient(uc, patient, &out->patient, p);
	if (e || (e = rc_profile_get(uc->db, patient, &out->profile, &out->has_profile)) ||
	    (e = rc_consent_current(uc->db, patient, &out->consent, &out->has_consent)))
		return e;
	rc_episode *all = NULL;
	int n = 0;
	if ((e = episodes_read(uc->db, uc->arena, patient, &all, &n)))
		return e;
	for (int i = 0; i < n && !out->has_active; i++)
		if (strcmp(all[i].status, "active") == 0) {
			out->active = all[i];
			out->has_active = true;
		}
	return audit(uc, uc->db, "chart.details.view", patient, "%s", what);
}

/* --- episodes ------------------------------------------------------------------------------------------ */

struct episode_tx {
	const rc_uc *uc;
	rc_episode *ep;
};

static rc_err episode_tx(rc_db *db, void *arg)
{
	struct episode_tx *c = arg;
	int64_t n;
	rc_err e = rc_episodes_count(db, c->ep->runner_id, &n);
	if (e)
		return e;
	if (n >= RC_CHART_MAX_EPISODES)
		return RC_ETOOBIG;
	if ((e = rc_episode_insert(db, c->ep, &c->ep->id)))
		return e;
	return audit(c->uc, db, "chart.episode.open", c->ep->runner_id, "episode %lld: %s (%s)", (long long)c->ep->id,
	             c->ep->condition_key, c->ep->icd10);
}

rc_err rc_app_episode_open(const rc_uc *uc, const rc_chart_know *k, int64_t patient, const rc_episode_in *in,
                           rc_episode *out, rc_problem *p)
{
	rc_account who;
	if (!rc_chart_clinician(uc->actor))
		return not_found(p);
	rc_err e = load_patient(uc, patient, &who, p);
	if (e)
		return e;
	memset(out, 0, sizeof *out);
	out->runner_id = patient;
	rc_side side;
	if (blank(in->complaint) || !rc_text_is_line(in->complaint, RC_COMPLAINT_MAX))
		return rc_problem_set(p, RC_EINVAL, "complaint", "'Complaint' must say what brings them, in one line of at "
		                                                 "most %d characters.", RC_COMPLAINT_MAX);
	if (!rc_side_parse(nz(in->side), &side) || side == RC_SIDE_MIDLINE)
		return rc_problem_set(p, RC_EINVAL, "side", "'Side' must be left, right, both, or empty when it has none.");
	if (!past_day(uc, in->onset_day))
		return rc_problem_set(p, RC_EINVAL, "onset_day", "'Onset' must be a date like 2026-10-01, not in the future.");
	if (!in->onset_kind || (strcmp(in->onset_kind, "gradual") != 0 && strcmp(in->onset_kind, "sudden") != 0))
		return rc_problem_set(p, RC_EINVAL, "onset_kind", "'Onset' must be gradual or sudden.");
	const rc_chart_diagnosis *dx = rc_chart_diagnosis_find(k->kb, in->condition);
	if (!dx)
		return rc_problem_set(p, RC_EINVAL, "condition", "'Working diagnosis' must be one of the conditions with an "
		                                                 "ICD-10-CM code in content/chart/diagnoses.json.");
	if (!text_ok(in->goals, RC_GOALS_MAX) || blank(in->goals))
		return rc_problem_set(p, RC_EINVAL, "goals", "'Goals' must say what the runner wants back, at most %d "
		                                             "characters.", RC_GOALS_MAX);
	snprintf(out->complaint, sizeof out->complaint, "%s", in->complaint);
	snprintf(out->side, sizeof out->side, "%s", rc_side_name(side));
	snprintf(out->onset_day, sizeof out->onset_day, "%s", in->onset_day);
	snprintf(out->onset_kind, sizeof out->onset_kind, "%s", in->onset_kind);
	snprintf(out->condition_key, sizeof out->condition_key, "%s", dx->condition);
	rc_chart_icd_for_side(&dx->codes, side, out->icd10, sizeof out->icd10);
	snprintf(out->goals, sizeof out->goals, "%s", in->goals);
	snprintf(out->status, sizeof out->status, "active");
	out->opened_at = uc->now;
	out->opened_by = uc->actor->id;
	struct episode_tx c = {uc, out};
	e = rc_db_tx(uc->db, episode_tx, &c);
	if (e == RC_ETOOBIG)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "This patient has %d episodes, the most one chart holds.",
		                      RC_CHART_MAX_EPISODES);
	return e;
}

/* --- notes: the stored body ------------------------------------------------------------------------------- */

static const char *jstr(rc_arena *a, json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? rc_arena_strdup(a, s) : "";
}

static int jint(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (int)json_integer_value(v) : -1;
}

/* Reads a stored body into n (fields the content no longer has are left out). */
static rc_err parse_body(const rc_chart_know *k, rc_arena *a, rc_note *n)
{
	json_error_t je;
	json_t *root = json_loads(n->row.body ? n->row.body : "{}", 0, &je);
	if (!root)
		return RC_EDB;
	n->subjective = jstr(a, root, "subjective");
	n->objective = jstr(a, root, "objective");
	n->assessment = jstr(a, root, "assessment");
	n->plan = jstr(a, root, "plan");
	json_t *v;
	size_t i;
	/* A signed note shows what was recorded, even if the content has changed since: a field it no longer
	 * has keeps its key, a value outside today's range its text. */
	json_array_foreach(json_object_get(root, "findings"), i, v) {
		if (n->nfindings == RC_NOTE_MAX_FINDINGS)
			break;
		rc_note_finding *x = &n->findings[n->nfindings++];
		x->key = jstr(a, v, "key");
		x->field = rc_chart_field_find(k->kb, x->key);
		x->side = RC_SIDE_NONE;
		(void)rc_side_parse(json_string_value(json_object_get(v, "side")), &x->side);
		x->value = jstr(a, v, "value");
		bool empty;
		char msg[160];
		if (!x->field || !rc_chart_field_check(x->field, x->value, &empty, &x->num, msg, sizeof msg))
			x->num = 0;
	}
	json_array_foreach(json_object_get(root, "marks"), i, v) {
		const rc_body_mark *m = rc_body_mark_find(json_string_value(v));
		if (m && n->nmarks < RC_NOTE_MAX_MARKS)
			n->marks[n->nmarks++] = m->key;
	}
	json_array_foreach(json_object_get(root, "treatments"), i, v) {
		if (n->ntreatments == RC_NOTE_MAX_TREATMENTS)
			break;
		int ki = kind_index(json_string_value(json_object_get(v, "kind")));
		if (ki < 0)
			continue;
		rc_note_treatment *t = &n->treatments[n->ntreatments++];
		memset(t, 0, sizeof *t);
		t->kind = KINDS[ki].kind;
		t->needles = jint(v, "needles");
		t->minutes = jint(v, "minutes");
		t->hz = jint(v, "hz");
		t->stage = jint(v, "stage");
		(void)rc_side_parse(json_string_value(json_object_get(v, "side")), &t->side);
		t->muscle = jstr(a, v, "muscle");
		t->region = jstr(a, v, "region");
		t->technique = jstr(a, v, "technique");
		t->topic = jstr(a, v, "topic");
		t->detail = jstr(a, v, "detail");
		t->program = jstr(a, v, "program");
		json_t *pt;
		size_t j;
		json_array_foreach(json_object_get(v, "points"), j, pt) {
			if (t->npoints == RC_CHART_MAX_POINTS)
				break;
			rc_note_point *q = &t->points[t->npoints];
			snprintf(q->code, sizeof q->code, "%s", nz(json_string_value(json_object_get(pt, "code"))));
			(void)rc_side_parse(json_string_value(json_object_get(pt, "side")), &q->side);
			q->point = rc_acupoint_find(k->kb, q->code);
			t->npoints++;
		}
	}
	json_decref(root);
	return RC_OK;
}

static json_t *num_or_null(int v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

/* The body to store, from a checked note. */
static char *body_of(const rc_note *n, rc_arena *a)
{
	json_t *f = json_array(), *m = json_array(), *t = json_array();
	for (int i = 0; i < n->nfindings; i++)
		json_array_append_new(f, json_pack("{s:s, s:s, s:s}", "key", n->findings[i].key, "side",
		                                   rc_side_name(n->findings[i].side), "value", n->findings[i].value));
	for (int i = 0; i < n->nmarks; i++)
		json_array_append_new(m, json_string(n->marks[i]));
	for (int i = 0; i < n->ntreatments; i++) {
		const rc_note_treatment *x = &n->treatments[i];
		json_t *pts = json_array();
		for (int j = 0; j < x->npoints; j++)
			json_array_append_new(pts, json_pack("{s:s, s:s}", "code", x->points[j].code, "side",
			                                     rc_side_name(x->points[j].side)));
		json_array_append_new(t, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind",
		                                   x->kind, "points", pts, "needles", num_or_null(x->needles), "minutes",
		                                   num_or_null(x->minutes), "hz", num_or_null(x->hz), "stage",
		                                   num_or_null(x->stage), "side", rc_side_name(x->side), "muscle", x->muscle,
		                                   "region", x->region, "technique", x->technique, "topic", x->topic,
		                                   "detail", x->detail, "program", x->program));
	}
	json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "subjective", n->subjective, "objective",
	                         n->objective, "assessment", n->assessment, "plan", n->plan, "findings", f, "marks", m,
	                         "treatments", t);
	char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	char *out = text ? rc_arena_strdup(a, text) : NULL;
	free(text);
	return out;
}

/* --- notes: checking what a door sent ------------------------------------------------------------------------- */

struct check {
	const rc_uc *uc;
	const rc_chart_know *k;
	rc_problem *p;
	char field[64];
	const char *const *alerts;
	int nalerts;
	const char *visit_day;
};

/* p->field must outlive the call: the name of an indexed field lives in the arena. */
static const char *name_of(const struct check *c, const char *fmt, int i, const char *what)
{
	char *s = rc_arena_printf(c->uc->arena, fmt, i, what);
	return s ? s : "treatments";
}

static rc_err bad(struct check *c, rc_err code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static rc_err bad(struct check *c, rc_err code, const char *field, const char *fmt, ...)
{
	char text[sizeof c->p->text];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	return rc_problem_set(c->p, code, field, "%s", text);
}

static bool small_int(const char *s, int lo, int hi, int *out)
{
	if (!s || !*s)
		return false;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

static const char *opt_key(rc_arena *a, const char *s)
{
	return rc_arena_strdup(a, nz(s));
}

static rc_err check_treatment(struct check *c, int i, const rc_treatment_in *in, rc_note_treatment *t)
{
	const char *tf = "treatments[%d].%s";
	rc_arena *a = c->uc->arena;
	memset(t, 0, sizeof *t);
	t->needles = t->minutes = t->hz = t->stage = -1;
	int ki = kind_index(in->kind);
	if (ki < 0)
		return bad(c, RC_EINVAL, name_of(c, tf, i, "kind"), "Treatment %d: 'kind' must be one of acupuncture, "
		           "electro_acupuncture, dry_needling, soft_tissue, manual_therapy, taping, education, home_program.", i + 1);
	t->kind = KINDS[ki].kind;
	unsigned allowed = KINDS[ki].fields;
	const struct {
		unsigned bit;
		const char *name, *value;
	} given[] = {
		{F_POINTS, "points", in->points},   {F_NEEDLES, "needles", in->needles},
		{F_MINUTES, "minutes", in->minutes}, {F_HZ, "hz", in->hz},
		{F_SIDE, "side", in->side},         {F_MUSCLE, "muscle", in->muscle},
		{F_REGION, "region", in->region},   {F_TECHNIQUE, "technique", in->technique},
		{F_TOPIC, "topic", in->topic},      {F_PROGRAM, "program", in->program},
		{F_PROGRAM, "stage", in->stage},
	};
	for (size_t g = 0; g < sizeof given / sizeof given[0]; g++)
		if (!(allowed & given[g].bit) && !blank(given[g].value))
			return bad(c, RC_EINVAL, name_of(c, tf, i, given[g].name), "Treatment %d (%s): '%s' does not belong to "
			           "this kind of treatment.", i + 1, KINDS[ki].label, given[g].name);
	size_t detail_max = strcmp(t->kind, "home_program") == 0 ? 399 : RC_CHART_SHORT_MAX;
	if (!text_ok(in->detail, detail_max))
		return bad(c, RC_EINVAL, name_of(c, tf, i, "detail"), "Treatment %d: 'detail' must be at most %zu characters "
		           "of text.", i + 1, detail_max);
	t->detail = opt_key(a, in->detail);
	char why[240];
	const char *which = NULL;
	bool electro = strcmp(t->kind, "electro_acupuncture") == 0;
	if (strcmp(t->kind, "acupuncture") == 0 || electro) {
		if (!c->k->kb->npoints)
			return bad(c, RC_EINVAL, name_of(c, tf, i, "points"), "%s", rc_acupoints_missing(c->k->kb));
		rc_point_entry pts[RC_CHART_MAX_POINTS];
		int np = rc_acupoint_parse_list(in->points, pts, RC_CHART_MAX_POINTS, why, sizeof why);
		if (np < 0)
			return bad(c, RC_EINVAL, name_of(c, tf, i, "points"), "Treatment %d: %s.", i + 1, why);
		if (np == 0)
			return bad(c, RC_EINVAL, name_of(c, tf, i, "points"), "Treatment %d: list the points needled, like "
			           "\"BL40 both, GB30 left, GV20\".", i + 1);
		for (int j = 0; j < np; j++) {
			const rc_acupoint *pt = rc_acupoint_find(c->k->kb, pts[j].code);
			if (!pt)
				return bad(c, RC_EINVAL, name_of(c, tf, i, "points"), "Treatment %d: %s is not a WHO standard "
				           "acupuncture point.", i + 1, pts[j].code);
			if (!rc_acupoint_side_ok(pt->code, pt->meridian, pts[j].side, why, sizeof why))
				return bad(c, RC_EINVAL, name_of(c, tf, i, "points"), "Treatment %d: %s.", i + 1, why);
			rc_note_point *q = &t->points[t->npoints++];
			snprintf(q->code, sizeof q->code, "%s", pt->code);
			q->side = pts[j].side == RC_SIDE_NONE && rc_acupoint_is_midline(pt->meridian) ? RC_SIDE_MIDLINE : pts[j].side;
			q->point = pt;
		}
		int sites = rc_acupoint_needle_sites(pts, np);
		if (blank(in->needles))
			t->needles = sites;
		else if (!small_int(in->needles, 0, 1000, &t->needles))
			t->needles = 0; /* out of range: the check below names it */
		if (!small_int(in->minutes, 0, 1000, &t->minutes))
			return bad(c, RC_EINVAL, name_of(c, tf, i, "minutes"), "Treatment %d: 'minutes' (the needles' retention) "
			           "must be a whole number from 0 to %d.", i + 1, RC_CHART_RETENTION_MAX_MIN);
		int hz = 0;
		if (!blank(in->hz) && !small_int(in->hz, 0, 100000, &hz))
			hz = -1;
		if (electro && !rc_chart_electro_allowed(c->alerts, c->nalerts, why, sizeof why))
			return bad(c, RC_ECONFLICT, name_of(c, tf, i, "kind"), "%s", why);
		if (!rc_chart_needling_ok(t->needles, t->minutes, hz, electro, sites, why, sizeof why, &which))
			return bad(c, RC_EINVAL, name_of(c, tf, i, which), "Treatment %d: %s", i + 1, why);
		t->hz = electro ? hz : -1;
	} else if (strcmp(t->kind, "dry_needling") == 0) {
		if (!rc_chart_option_find(&c->k->kb->muscles, in->muscle))
			return bad(c, RC_EINVAL, name_of(c, tf, i, "muscle"), "Treatment %d: 'muscle' must be one of the muscles in "
			           "content/chart/treatments.json.", i + 1);
		if (!rc_side_parse(nz(in->side), &t->side) || t->side == RC_SIDE_NONE || t->side == RC_SIDE_MIDLINE)
			return bad(c, RC_EINVAL, name_of(c, tf, i, "side"), "Treatment %d: 'side' must be left, right or both.",
			           i + 1);
		int sites = t->side == RC_SIDE_BOTH ? 2 : 1;
		t->needles = sites;
		t->minutes = 0;
		if (!blank(in->needles) && !small_int(in->needles, 0, 1000, &t->needles))
			t->needles = 0;
		if (!blank(in->minutes) && !small_int(in->minutes, 0, 1000, &t->minutes))
			t->minutes = -1;
		if (!rc_chart_needling_ok(t->needles, t->minutes, 0, false, sites, why, sizeof why, &which))
			return bad(c, RC_EINVAL, name_of(c, tf, i, which), "Treatment %d: %s", i + 1, why);
		t->muscle = opt_key(a, in->muscle);
	} else if (allowed & F_REGION) {
		const rc_chart_options *techs = strcmp(t->kind, "soft_tissue") == 0      ? &c->k->kb->soft_tissue
		                                : strcmp(t->kind, "manual_therapy") == 0 ? &c->k->kb->manual_therapy
		                                                                         : &c->k->kb->taping;
		const rc_chart_option *r = rc_chart_option_find(&c->k->kb->regions, in->region);
		if (!r)
			return bad(c, RC_EINVAL, name_of(c, tf, i, "region"), "Treatment %d: 'region' must be one of the regions "
			           "in content/chart/treatments.json.", i + 1);
		if (!rc_chart_option_find(techs, in->technique))
			return bad(c, RC_EINVAL, name_of(c, tf, i, "technique"), "Treatment %d: 'technique' must be one of the "
			           "%s techniques in content/chart/treatments.json.", i + 1, KINDS[ki].label);
		if (!rc_side_parse(nz(in->side), &t->side) || t->side == RC_SIDE_MIDLINE || (r->sided && t->side == RC_SIDE_NONE) ||
		    (!r->sided && t->side != RC_SIDE_NONE))
			return bad(c, RC_EINVAL, name_of(c, tf, i, "side"), r->sided ? "Treatment %d: 'side' must be left, right "
			           "or both for this region." : "Treatment %d: this region has no side: leave 'side' empty.", i + 1);
		t->region = opt_key(a, in->region);
		t->technique = opt_key(a, in->technique);
	} else if (strcmp(t->kind, "education") == 0) {
		if (!rc_chart_option_find(&c->k->kb->education, in->topic))
			return bad(c, RC_EINVAL, name_of(c, tf, i, "topic"), "Treatment %d: 'topic' must be one of the education "
			           "topics in content/chart/treatments.json.", i + 1);
		t->topic = opt_key(a, in->topic);
	} else { /* home_program */
		const rc_program *pg = c->k->programs ? rc_program_find(c->k->programs, in->program) : NULL;
		if (!pg)
			return bad(c, RC_EINVAL, name_of(c, tf, i, "program"), "Treatment %d: 'program' must be one of the "
			           "clinic's home programs.", i + 1);
		if (!small_int(in->stage, 1, pg->nstages, &t->stage))
			return bad(c, RC_EINVAL, name_of(c, tf, i, "stage"), "Treatment %d: 'stage' must be a whole number from 1 "
			           "to %d for this program.", i + 1, pg->nstages);
		t->program = pg->key;
	}
	t->muscle = nz(t->muscle);
	t->region = nz(t->region);
	t->technique = nz(t->technique);
	t->topic = nz(t->topic);
	t->program = nz(t->program);
	return RC_OK;
}

/* Consent to needling, current version, given by the visit's day. */
static rc_err check_consent(struct check *c, int64_t patient, int i)
{
	rc_consent cs;
	bool found;
	rc_err e = rc_consent_current(c->uc->db, patient, &cs, &found);
	if (e)
		return e;
	const char *field = name_of(c, "treatments[%d].%s", i, "kind");
	if (!found)
		return bad(c, RC_ECONFLICT, field, "Record the patient's consent to needling before recording needling (the "
		           "consent form is on the chart).");
	if (cs.version != c->k->kb->consent_version)
		return bad(c, RC_ECONFLICT, field, "The patient consented to version %d of the needling consent text; the "
		           "clinic's text is now version %d: record consent to it before needling.", cs.version,
		           c->k->kb->consent_version);
	if (strcmp(cs.given_day, c->visit_day) > 0)
		return bad(c, RC_ECONFLICT, field, "Consent to needling was given on %s, after this visit's day.", cs.given_day);
	return RC_OK;
}

/* Checks everything a door sent for a note of this patient; fills n (not its row's ids). existing: the
 * draft being replaced, or NULL. */
static rc_err check_note(struct check *c, int64_t patient, const rc_note_in *in, const rc_note *existing, rc_note *n)
{
	const rc_uc *uc = c->uc;
	const rc_chart_know *k = c->k;
	rc_arena *a = uc->arena;
	rc_db *db = uc->db;
	rc_err e;
	bool found;
	/* The episode: the draft's own, the one named, or the patient's one active episode. */
	int64_t ep = existing ? existing->row.episode_id : in->episode;
	if (existing && in->episode && in->episode != ep)
		return bad(c, RC_EINVAL, "episode_id", "A note stays in the episode it was written in.");
	if (!ep) {
		int ne = 0, active = 0;
		rc_episode *all = NULL;
		if ((e = episodes_read(db, a, patient, &all, &ne)))
			return e;
		for (int i = 0; i < ne; i++)
			if (strcmp(all[i].status, "active") == 0)
				active++, ep = all[i].id;
		if (active != 1)
			return bad(c, RC_EINVAL, "episode_id", active ? "This patient has %d open episodes: name the one this note "
			           "belongs to." : "Open an episode of care for this patient first (complaint, diagnosis, goals).",
			           active);
	}
	if ((e = rc_episode_get(db, ep, &n->episode, &found)))
		return e;
	if (!found || n->episode.runner_id != patient)
		return bad(c, RC_EINVAL, "episode_id", "'episode_id' must be one of this patient's episodes.");
	if (strcmp(n->episode.status, "active") != 0)
		return bad(c, RC_ECONFLICT, "episode_id", "This episode was discharged on its discharge note: open a new "
		           "episode for a new complaint.");
	/* The visit. */
	int64_t appt = in->appointment;
	if (appt) {
		int64_t owner, start;
		char status[16];
		if ((e = rc_chart_appointment(db, appt, &owner, &start, status)))
			return e;
		if (owner != patient)
			return bad(c, RC_EINVAL, "appointment_id", "'appointment_id' must be one of this patient's appointments.");
		if (strcmp(status, "cancelled") == 0 || strcmp(status, "no_show") == 0)
			return bad(c, RC_EINVAL, "appointment_id", "That appointment was %s: no visit took place to write about.",
			           strcmp(status, "cancelled") == 0 ? "cancelled" : "a no-show");
		n->row.visit_at = start;
	}
	n->row.appointment_id = appt;
	char t[11];
	today(uc, t);
	const char *day = in->visit_day && *in->visit_day ? in->visit_day : NULL;
	if (!day && appt) {
		rc_tz_date(n->row.visit_at, t);
		day = t;
	}
	if (!day) {
		today(uc, t);
		day = t;
	}
	if (!past_day(uc, day))
		return bad(c, RC_EINVAL, "visit_day", "'Visit day' must be a date like 2026-11-30, not in the future.");
	if (strcmp(day, n->episode.onset_day) < 0)
		return bad(c, RC_EINVAL, "visit_day", "'Visit day' is before the episode's onset (%s).", n->episode.onset_day);
	snprintf(n->row.visit_day, sizeof n->row.visit_day, "%s", day);
	c->visit_day = n->row.visit_day;
	if (!appt) {
		char now_day[11];
		today(uc, now_day);
		int y, m, d;
		if (strcmp(day, now_day) == 0)
			n->row.visit_at = uc->now;
		else if (rc_date_parse(day, &y, &m, &d))
			n->row.visit_at = rc_tz_day_start(y, m, d) + 12 * 3600;
	}
	/* The kind: one initial assessment an episode. */
	int64_t count;
	bool has_initial;
	if ((e = rc_episode_notes(db, ep, &count, &has_initial)))
		return e;
	if (existing && strcmp(existing->row.kind, "initial") == 0)
		has_initial = false, count--;
	const char *kind = in->kind && *in->kind ? in->kind : existing ? existing->row.kind : count ? "follow_up" : "initial";
	if (strcmp(kind, "initial") != 0 && strcmp(kind, "follow_up") != 0 && strcmp(kind, "discharge") != 0)
		return bad(c, RC_EINVAL, "kind", "'kind' must be initial, follow_up or discharge.");
	if (strcmp(kind, "initial") == 0 && has_initial)
		return bad(c, RC_ECONFLICT, "kind", "This episode already has its initial assessment: write a follow-up.");
	snprintf(n->row.kind, sizeof n->row.kind, "%s", kind);
	/* The template. */
	const char *tkey = in->template_key && *in->template_key ? in->template_key : existing ? existing->row.template_key : NULL;
	const rc_chart_template *tm = tkey ? rc_chart_template_find(k->kb, tkey) : rc_chart_template_for(k->kb, n->episode.condition_key);
	if (!tm)
		return bad(c, RC_EINVAL, "template", "'template' must be one of the note templates in content/chart/templates.json.");
	n->tmpl = tm;
	snprintf(n->row.template_key, sizeof n->row.template_key, "%s", tm->key);
	/* SOAP. */
	const char *const *soap[] = {&in->subjective, &in->objective, &in->assessment, &in->plan};
	const char **dst[] = {&n->subjective, &n->objective, &n->assessment, &n->plan};
	static const char *const names[] = {"subjective", "objective", "assessment", "plan"};
	for (int i = 0; i < 4; i++) {
		if (!text_ok(*soap[i], RC_CHART_TEXT_MAX))
			return bad(c, RC_EINVAL, names[i], "'%s' must be at most %d characters of text.", names[i], RC_CHART_TEXT_MAX);
		*dst[i] = rc_arena_strdup(a, nz(*soap[i]));
	}
	/* Findings: the template's fields, each side once. */
	if (in->nfindings > RC_NOTE_MAX_FINDINGS)
		return bad(c, RC_EINVAL, "findings", "At most %d findings in one note.", RC_NOTE_MAX_FINDINGS);
	for (int i = 0; i < in->nfindings; i++) {
		const rc_note_field_in *f = &in->findings[i];
		const char *fname = rc_arena_printf(a, "findings.%s%s%s", nz(f->key), *nz(f->side) ? "." : "", nz(f->side));
		const rc_chart_field *fd = rc_chart_field_find(k->kb, f->key);
		bool in_template = false;
		for (int j = 0; fd && j < tm->nfields; j++)
			in_template |= tm->fields[j] == fd;
		if (!in_template)
			return bad(c, RC_EINVAL, fname, "'%s' is not a finding of the %s template.", nz(f->key), tm->name);
		rc_side side;
		if (!rc_side_parse(nz(f->side), &side) || (fd->sided && side != RC_SIDE_LEFT && side != RC_SIDE_RIGHT) ||
		    (!fd->sided && side != RC_SIDE_NONE))
			return bad(c, RC_EINVAL, fname, fd->sided ? "'%s' is recorded for the left and the right side." :
			           "'%s' has no side.", fd->label);
		bool empty;
		int64_t num;
		char msg[200];
		const char *value = f->value ? f->value : "";
		while (*value == ' ')
			value++;
		if (!rc_chart_field_check(fd, value, &empty, &num, msg, sizeof msg))
			return bad(c, RC_EINVAL, fname, "'%s'%s%s %s.", fd->label, side ? ", " : "", rc_side_name(side), msg);
		if (empty)
			continue;
		for (int j = 0; j < n->nfindings; j++)
			if (n->findings[j].field == fd && n->findings[j].side == side)
				return bad(c, RC_EINVAL, fname, "'%s' is given twice.", fd->label);
		rc_note_finding *x = &n->findings[n->nfindings++];
		x->key = fd->key;
		x->field = fd;
		x->side = side;
		x->num = num;
		char canon[32];
		if (fd->type == RC_FIELD_INT) {
			rc_chart_number(fd, num, canon, sizeof canon);
			x->value = rc_arena_strdup(a, canon);
		} else {
			x->value = rc_arena_strdup(a, value);
		}
	}
	/* The body chart. */
	if (in->nmarks > RC_NOTE_MAX_MARKS)
		return bad(c, RC_EINVAL, "marks", "At most %d marks on the body chart.", RC_NOTE_MAX_MARKS);
	for (int i = 0; i < in->nmarks; i++) {
		const rc_body_mark *m = rc_body_mark_find(in->marks[i]);
		if (!m)
			return bad(c, RC_EINVAL, "marks", "'%.40s' is not a place on the body chart.", nz(in->marks[i]));
		bool dup = false;
		for (int j = 0; j < n->nmarks; j++)
			dup |= n->marks[j] == m->key;
		if (!dup)
			n->marks[n->nmarks++] = m->key;
	}
	/* Treatments. */
	if (in->ntreatments > RC_NOTE_MAX_TREATMENTS)
		return bad(c, RC_EINVAL, "treatments", "At most %d treatments in one note.", RC_NOTE_MAX_TREATMENTS);
	rc_profile prof;
	if ((e = rc_profile_get(db, patient, &prof, &found)))
		return e;
	const char *alerts[RC_CHART_NALERTS];
	int na = 0;
	char buf[sizeof prof.alerts];
	snprintf(buf, sizeof buf, "%s", prof.alerts);
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w && na < RC_CHART_NALERTS; w = strtok_r(NULL, " ", &save))
		alerts[na++] = rc_arena_strdup(a, w);
	c->alerts = alerts;
	c->nalerts = na;
	for (int i = 0; i < in->ntreatments; i++) {
		if ((e = check_treatment(c, i, &in->treatments[i], &n->treatments[n->ntreatments])))
			return e;
		if (rc_treatment_is_needling(n->treatments[n->ntreatments].kind) && (e = check_consent(c, patient, i)))
			return e;
		n->ntreatments++;
	}
	c->alerts = NULL;
	/* Signing needs what the record must say. */
	if (in->sign) {
		if (blank(n->assessment))
			return bad(c, RC_EINVAL, "assessment", "Write the assessment before signing.");
		if (blank(n->plan))
			return bad(c, RC_EINVAL, "plan", "Write the plan before signing.");
	}
	/* The summary for lists: the assessment's first line. */
	const char *s = n->assessment;
	size_t len = strcspn(s, "\r\n");
	len = rc_utf8_prefix(s, len, RC_SUMMARY_MAX);
	snprintf(n->row.summary, sizeof n->row.summary, "%.*s", (int)len, s);
	n->row.runner_id = patient;
	n->row.episode_id = ep;
	if (!(n->row.body = body_of(n, a)))
		return RC_ENOMEM;
	return RC_OK;
}

/* --- notes: saving --------------------------------------------------------------------------------------------- */

/* The program module's assignment, started or adjusted by a home program row: the same program moves to
 * the stage given, another one replaces it (as the program page does). */
static rc_err assign_program(rc_db *db, const rc_uc *uc, int64_t patient, const rc_note_treatment *t, int64_t *id)
{
	rc_assignment a;
	bool active;
	rc_err e = rc_program_active(db, patient, &a, &active);
	if (e)
		return e;
	if (active && strcmp(a.program_key, t->program) == 0) {
		*id = a.id;
		return rc_program_set_stage(db, a.id, t->stage, t->detail, uc->now);
	}
	return rc_program_start_in(db, patient, t->program, t->stage, uc->actor->id, t->detail, uc->now, id);
}

/* What signing writes once: the measures, the treatments as rows, the program, the discharge. */
static rc_err write_signed(rc_db *db, const rc_uc *uc, const rc_note *n)
{
	rc_err e = rc_note_sign(db, n->row.id, uc->now, uc->actor->id);
	for (int i = 0; !e && i < n->nfindings; i++)
		if (n->findings[i].field && n->findings[i].field->type == RC_FIELD_INT)
			e = rc_measure_insert(db, n->row.id, n->row.runner_id, n->row.visit_day, n->findings[i].field->key,
			                      rc_side_name(n->findings[i].side), n->findings[i].num);
	for (int i = 0; !e && i < n->ntreatments; i++) {
		const rc_note_treatment *t = &n->treatments[i];
		int64_t assignment = 0, tid;
		if (strcmp(t->kind, "home_program") == 0 && (e = assign_program(db, uc, n->row.runner_id, t, &assignment)))
			break;
		rc_treatment_row r = {n->row.id, n->row.runner_id, i, t->kind, rc_side_name(t->side), t->muscle, t->region,
		                      t->technique, t->topic, t->detail, t->program, t->needles, t->minutes, t->hz, t->stage,
		                      assignment};
		e = rc_treatment_insert(db, &r, &tid);
		for (int j = 0; !e && j < t->npoints; j++)
			e = rc_treatment_point_insert(db, tid, t->points[j].code, rc_side_name(t->points[j].side));
	}
	if (!e && strcmp(n->row.kind, "discharge") == 0)
		e = rc_episode_discharge(db, n->row.episode_id, uc->now, uc->actor->id, n->assessment);
	return e;
}

struct note_tx {
	const rc_uc *uc;
	rc_note *n;
	bool create, sign;
	int64_t expected;
};

static rc_err note_tx(rc_db *db, void *arg)
{
	struct note_tx *c = arg;
	rc_note *n = c->n;
	rc_err e;
	n->row.updated_at = c->uc->now;
	if (c->create) {
		n->row.author_id = c->uc->actor->id;
		n->row.created_at = c->uc->now;
		if ((e = rc_note_insert(db, &n->row, &n->row.id)))
			return e;
		n->row.version = 1;
	} else {
		int64_t versions;
		if ((e = rc_note_versions(db, n->row.id, &versions)))
			return e;
		if (versions >= RC_NOTE_MAX_VERSIONS)
			return RC_ETOOBIG;
		if ((e = rc_note_update_draft(db, &n->row, c->expected, c->uc->actor->id)))
			return e;
		n->row.version = c->expected + 1;
	}
	if (c->sign && (e = write_signed(db, c->uc, n)))
		return e;
	const char *action = c->create ? "chart.note.create" : c->sign ? "chart.note.sign" : "chart.note.update";
	return audit(c->uc, db, action, n->row.runner_id, "note %lld (%s, version %lld)%s", (long long)n->row.id,
	             n->row.kind, (long long)n->row.version, c->sign ? ", signed" : "");
}

/* Reads a note with its episode, body and addenda. */
static rc_err load_note(const rc_uc *uc, const rc_chart_know *k, int64_t id, rc_note *n, rc_problem *p)
{
	bool found;
	memset(n, 0, sizeof *n);
	rc_err e = rc_note_get(uc->db, uc->arena, id, &n->row, &found);
	if (e)
		return e;
	if (!found)
		return not_found(p);
	if ((e = rc_episode_get(uc->db, n->row.episode_id, &n->episode, &found)))
		return e;
	n->tmpl = rc_chart_template_find(k->kb, n->row.template_key);
	if ((e = parse_body(k, uc->arena, n)) || (e = rc_note_versions(uc->db, id, &n->versions)))
		return e;
	return RC_OK;
}

static void keep_addendum(void *ctx, const rc_addendum *d)
{
	rc_note *n = ctx;
	if (n->naddenda < RC_NOTE_MAX_ADDENDA)
		n->addenda[n->naddenda++] = *d;
}

static rc_err load_addenda(const rc_uc *uc, rc_note *n)
{
	n->naddenda = 0;
	return rc_addenda_each(uc->db, uc->arena, n->row.id, keep_addendum, n);
}

static rc_err tx_problem(rc_err e, rc_problem *p)
{
	if (e == RC_ECONFLICT)
		return rc_problem_set(p, RC_ECONFLICT, "version", "This note was signed or changed by someone else since it "
		                                                  "was opened: reload it to see the latest.");
	if (e == RC_ETOOBIG)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "This draft has been saved %d times, the most one note keeps: "
		                                             "sign it, or start another note.", RC_NOTE_MAX_VERSIONS);
	return e;
}

rc_err rc_app_note_create(const rc_uc *uc, const rc_chart_know *k, int64_t patient, const rc_note_in *in, rc_note *out,
                          rc_problem *p)
{
	rc_account who;
	if (!rc_chart_clinician(uc->actor))
		return not_found(p);
	rc_err e = load_patient(uc, patient, &who, p);
	if (e)
		return e;
	memset(out, 0, sizeof *out);
	struct check c = {.uc = uc, .k = k, .p = p};
	if ((e = check_note(&c, patient, in, NULL, out)))
		return e;
	struct note_tx t = {uc, out, true, in->sign, 0};
	if ((e = tx_problem(rc_db_tx(uc->db, note_tx, &t), p)))
		return e;
	return load_note(uc, k, out->row.id, out, p);
}

/* A note of this patient (0: any patient), for a clinician. */
static rc_err clinician_note(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t id, rc_note *n,
                             rc_problem *p)
{
	if (!rc_chart_clinician(uc->actor))
		return not_found(p);
	rc_err e = load_note(uc, k, id, n, p);
	if (!e && patient && n->row.runner_id != patient)
		return not_found(p);
	return e;
}

static rc_err locked(rc_problem *p)
{
	return rc_problem_set(p, RC_ECONFLICT, NULL, "This note is signed and locked: a correction is an addendum, which "
	                                             "keeps the original.");
}

rc_err rc_app_note_update(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t id, const rc_note_in *in,
                          rc_note *out, rc_problem *p)
{
	rc_note *old = rc_arena_alloc(uc->arena, sizeof *old);
	if (!old)
		return RC_ENOMEM;
	rc_err e = clinician_note(uc, k, patient, id, old, p);
	if (e)
		return e;
	if (old->row.signed_at)
		return locked(p);
	if (in->expected_version && in->expected_version != old->row.version)
		return rc_problem_set(p, RC_ECONFLICT, "version", "This draft was saved by someone else since you opened it "
		                                                  "(version %lld, now %lld): reload it and make your change "
		                                                  "again.", (long long)in->expected_version,
		                      (long long)old->row.version);
	memset(out, 0, sizeof *out);
	struct check c = {.uc = uc, .k = k, .p = p};
	if ((e = check_note(&c, old->row.runner_id, in, old, out)))
		return e;
	out->row.id = id;
	struct note_tx t = {uc, out, false, in->sign, old->row.version};
	if ((e = tx_problem(rc_db_tx(uc->db, note_tx, &t), p)))
		return e;
	return load_note(uc, k, id, out, p);
}

rc_err rc_app_note_sign(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t id, rc_note *out,
                        rc_problem *p)
{
	rc_note *old = rc_arena_alloc(uc->arena, sizeof *old);
	rc_note_in *in = rc_arena_alloc(uc->arena, sizeof *in);
	if (!old || !in)
		return RC_ENOMEM;
	rc_err e = clinician_note(uc, k, patient, id, old, p);
	if (e)
		return e;
	if (old->row.signed_at)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "This note was signed on %s: it is locked.", old->row.visit_day);
	/* Signing checks the draft again, as it is now (consent, points, what the record must say), and saves it
	 * signed: the same path as saving with "sign". */
	rc_app_note_as_input(old, in, uc->arena);
	in->sign = true;
	in->expected_version = old->row.version;
	return rc_app_note_update(uc, k, patient, id, in, out, p);
}

struct addendum_tx {
	const rc_uc *uc;
	const rc_note *n;
	const char *text;
};

static rc_err addendum_tx(rc_db *db, void *arg)
{
	struct addendum_tx *c = arg;
	int64_t n, id;
	rc_err e = rc_addenda_count(db, c->n->row.id, &n);
	if (e)
		return e;
	if (n >= RC_NOTE_MAX_ADDENDA)
		return RC_ETOOBIG;
	if ((e = rc_addendum_insert(db, c->n->row.id, c->n->row.runner_id, c->uc->actor->id, c->uc->now, c->text, &id)))
		return e;
	return audit(c->uc, db, "chart.note.addendum", c->n->row.runner_id, "note %lld, addendum %lld",
	             (long long)c->n->row.id, (long long)id);
}

rc_err rc_app_note_addendum(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t id, const char *text,
                            rc_note *out, rc_problem *p)
{
	rc_err e = clinician_note(uc, k, patient, id, out, p);
	if (e)
		return e;
	if (!out->row.signed_at)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "This note is a draft: change the draft itself, and sign it.");
	if (blank(text) || !text_ok(text, RC_ADDENDUM_MAX))
		return rc_problem_set(p, RC_EINVAL, "text", "'Addendum' must say what is corrected or added, in at most %d "
		                                            "characters.", RC_ADDENDUM_MAX);
	struct addendum_tx t = {uc, out, text};
	e = rc_db_tx(uc->db, addendum_tx, &t);
	if (e == RC_ETOOBIG)
		return rc_problem_set(p, RC_ECONFLICT, "text", "This note has %d addenda, the most one note holds.",
		                      RC_NOTE_MAX_ADDENDA);
	if (e)
		return e;
	return load_addenda(uc, out);
}

rc_err rc_app_note_get(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t id, rc_note *out,
                       rc_problem *p)
{
	bool own = uc->actor->role == RC_ROLE_RUNNER && uc->actor->id == patient;
	if (!own && !rc_chart_clinician(uc->actor))
		return not_found(p);
	rc_err e = load_note(uc, k, id, out, p);
	if (e)
		return e;
	if ((patient && out->row.runner_id != patient) || (own && !out->row.signed_at))
		return not_found(p);
	if ((e = load_addenda(uc, out)))
		return e;
	return audit(uc, uc->db, "chart.note.view", out->row.runner_id, "note %lld%s", (long long)id, own ? " (own)" : "");
}

void rc_app_note_as_input(const rc_note *n, rc_note_in *in, rc_arena *a)
{
	memset(in, 0, sizeof *in);
	in->episode = n->row.episode_id;
	in->appointment = n->row.appointment_id;
	in->kind = n->row.kind;
	in->template_key = n->row.template_key;
	in->visit_day = n->row.visit_day;
	in->subjective = n->subjective;
	in->objective = n->objective;
	in->assessment = n->assessment;
	in->plan = n->plan;
	in->expected_version = n->row.version;
	for (int i = 0; i < n->nfindings; i++)
		in->findings[in->nfindings++] = (rc_note_field_in){n->findings[i].key,
		                                                   rc_side_name(n->findings[i].side), n->findings[i].value};
	for (int i = 0; i < n->nmarks; i++)
		in->marks[in->nmarks++] = n->marks[i];
	for (int i = 0; i < n->ntreatments; i++) {
		const rc_note_treatment *t = &n->treatments[i];
		rc_treatment_in *x = &in->treatments[in->ntreatments++];
		x->kind = t->kind;
		char pts[RC_CHART_MAX_POINTS * 24] = "";
		size_t len = 0;
		for (int j = 0; j < t->npoints; j++)
			len += (size_t)snprintf(pts + len, len < sizeof pts ? sizeof pts - len : 0, "%s%s%s%s", j ? ", " : "",
			                        t->points[j].code, t->points[j].side == RC_SIDE_MIDLINE ? "" : " ",
			                        t->points[j].side == RC_SIDE_MIDLINE ? "" : rc_side_name(t->points[j].side));
		x->points = rc_arena_strdup(a, pts);
		x->needles = t->needles >= 0 ? rc_arena_printf(a, "%d", t->needles) : "";
		x->minutes = t->minutes >= 0 ? rc_arena_printf(a, "%d", t->minutes) : "";
		x->hz = t->hz >= 0 ? rc_arena_printf(a, "%d", t->hz) : "";
		x->stage = t->stage >= 0 ? rc_arena_printf(a, "%d", t->stage) : "";
		x->side = rc_side_name(t->side);
		x->muscle = t->muscle;
		x->region = t->region;
		x->technique = t->technique;
		x->topic = t->topic;
		x->detail = t->detail;
		x->program = t->program;
	}
}

/* --- consent and adverse events ----------------------------------------------------------------------------------- */

struct consent_tx {
	const rc_uc *uc;
	rc_consent *c;
	bool withdraw;
};

static rc_err consent_tx(rc_db *db, void *arg)
{
	struct consent_tx *t = arg;
	rc_err e;
	if (t->withdraw) {
		if ((e = rc_consent_withdraw(db, t->c->id, t->uc->now, t->uc->actor->id)))
			return e;
		return audit(t->uc, db, "chart.consent.withdraw", t->c->runner_id, "needling consent %lld withdrawn",
		             (long long)t->c->id);
	}
	if ((e = rc_consent_insert(db, t->c->runner_id, t->c->version, t->c->given_day, t->uc->now, t->uc->actor->id,
	                           &t->c->id)))
		return e;
	return audit(t->uc, db, "chart.consent.record", t->c->runner_id, "needling consent, version %d, given %s",
	             t->c->version, t->c->given_day);
}

rc_err rc_app_consent_record(const rc_uc *uc, const rc_chart_know *k, int64_t patient, const rc_consent_in *in,
                             rc_consent *out, rc_problem *p)
{
	rc_account who;
	if (!rc_chart_clinician(uc->actor))
		return not_found(p);
	rc_err e = load_patient(uc, patient, &who, p);
	if (e)
		return e;
	if (in->version != k->kb->consent_version)
		return rc_problem_set(p, RC_EINVAL, "version", "'version' must be %d, the version of the consent text the "
		                                               "clinic uses now (the patient must have read that one).",
		                      k->kb->consent_version);
	char t[11];
	today(uc, t);
	const char *day = in->given_day && *in->given_day ? in->given_day : t;
	if (!past_day(uc, day))
		return rc_problem_set(p, RC_EINVAL, "given_day", "'Given on' must be a date like 2026-11-30, not in the future.");
	memset(out, 0, sizeof *out);
	out->runner_id = patient;
	out->version = in->version;
	snprintf(out->given_day, sizeof out->given_day, "%s", day);
	struct consent_tx c = {uc, out, false};
	if ((e = rc_db_tx(uc->db, consent_tx, &c)))
		return e;
	bool found;
	return rc_consent_current(uc->db, patient, out, &found);
}

rc_err rc_app_consent_withdraw(const rc_uc *uc, int64_t patient, rc_problem *p)
{
	rc_account who;
	if (!rc_chart_clinician(uc->actor))
		return not_found(p);
	rc_err e = load_patient(uc, patient, &who, p);
	if (e)
		return e;
	rc_consent cs;
	bool found;
	if ((e = rc_consent_current(uc->db, patient, &cs, &found)))
		return e;
	if (!found)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "There is no consent to needling to withdraw.");
	struct consent_tx c = {uc, &cs, true};
	e = rc_db_tx(uc->db, consent_tx, &c);
	if (e == RC_ECONFLICT)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "That consent was already withdrawn.");
	return e;
}

struct adverse_tx {
	const rc_uc *uc;
	rc_adverse *a;
};

static rc_err adverse_tx(rc_db *db, void *arg)
{
	struct adverse_tx *t = arg;
	int64_t n;
	rc_err e = rc_adverse_count(db, t->a->runner_id, &n);
	if (e)
		return e;
	if (n >= RC_CHART_MAX_ADVERSE)
		return RC_ETOOBIG;
	if ((e = rc_adverse_insert(db, t->a, &t->a->id)))
		return e;
	return audit(t->uc, db, "chart.adverse.record", t->a->runner_id, "%s (%s) on %s", t->a->kind, t->a->severity,
	             t->a->day);
}

rc_err rc_app_adverse_record(const rc_uc *uc, int64_t patient, const rc_adverse_in *in, rc_adverse *out, rc_problem *p)
{
	rc_account who;
	if (!rc_chart_clinician(uc->actor))
		return not_found(p);
	rc_err e = load_patient(uc, patient, &who, p);
	if (e)
		return e;
	memset(out, 0, sizeof *out);
	char t[11];
	today(uc, t);
	const char *day = in->day && *in->day ? in->day : t;
	if (!past_day(uc, day))
		return rc_problem_set(p, RC_EINVAL, "day", "'Day' must be a date like 2026-11-30, not in the future.");
	if (!rc_adverse_kind_label(in->kind))
		return rc_problem_set(p, RC_EINVAL, "kind", "'What happened' must be bruising, bleeding, fainting, "
		                                            "increased_pain or other.");
	if (!in->severity || (strcmp(in->severity, "mild") != 0 && strcmp(in->severity, "moderate") != 0 &&
	                      strcmp(in->severity, "severe") != 0))
		return rc_problem_set(p, RC_EINVAL, "severity", "'Severity' must be mild, moderate or severe.");
	if (!text_ok(in->description, RC_ADVERSE_MAX_TEXT) || (strcmp(in->kind, "other") == 0 && blank(in->description)))
		return rc_problem_set(p, RC_EINVAL, "description", "'Description' must be at most %d characters (and say what "
		                                                   "happened when it is 'other').", RC_ADVERSE_MAX_TEXT);
	if (in->note) {
		rc_note_row r;
		bool found;
		if ((e = rc_note_get(uc->db, NULL, in->note, &r, &found)))
			return e;
		if (!found || r.runner_id != patient)
			return rc_problem_set(p, RC_EINVAL, "note_id", "'note_id' must be one of this patient's notes.");
	}
	out->runner_id = patient;
	out->note_id = in->note;
	snprintf(out->day, sizeof out->day, "%s", day);
	snprintf(out->kind, sizeof out->kind, "%s", in->kind);
	snprintf(out->severity, sizeof out->severity, "%s", in->severity);
	snprintf(out->description, sizeof out->description, "%s", nz(in->description));
	out->recorded_at = uc->now;
	out->recorded_by = uc->actor->id;
	struct adverse_tx c = {uc, out};
	e = rc_db_tx(uc->db, adverse_tx, &c);
	if (e == RC_ETOOBIG)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "This chart holds %d adverse events, the most it keeps.",
		                      RC_CHART_MAX_ADVERSE);
	return e;
}

/* --- the chart ------------------------------------------------------------------------------------------------------ */

typedef struct {
	rc_chart_view *v;
	int cap;
} timeline_ctx;

static void keep_item(void *ctx, const rc_timeline_item *t)
{
	timeline_ctx *c = ctx;
	if (c->v->ntimeline < c->cap)
		c->v->timeline[c->v->ntimeline++] = *t;
}

/* The self-check's answers in words, warning signs first. */
static void selfcheck_answers(const rc_chart_know *k, rc_arena *a, rc_chart_view *v)
{
	json_t *aj = json_loads(v->selfcheck.answers, 0, NULL), *rj = json_loads(v->selfcheck.result, 0, NULL);
	rc_answers *ans = rc_arena_alloc(a, sizeof *ans);
	char err[200];
	v->answers = rc_arena_alloc(a, sizeof *v->answers * RC_TRIAGE_MAX_FINDINGS);
	if (!aj || !ans || !v->answers || rc_selfcheck_answers(k->triage, aj, ans, err, sizeof err)) {
		json_decref(aj);
		json_decref(rj);
		return;
	}
	/* The findings that made a red flag fire, and each flag's reason. */
	bool fired[RC_TRIAGE_MAX_FINDINGS] = {false};
	json_t *f, *key;
	size_t i, j;
	json_array_foreach(json_object_get(rj, "red_flags"), i, f) {
		if (v->nflags < 16)
			v->flag_reasons[v->nflags++] = rc_arena_strdup(a, json_string_value(json_object_get(f, "reason")) ?
			                                                     json_string_value(json_object_get(f, "reason")) : "");
		json_array_foreach(json_object_get(f, "findings"), j, key) {
			int idx = rc_triage_finding(k->triage, json_string_value(key));
			if (idx >= 0)
				fired[idx] = true;
		}
	}
	for (int pass = 0; pass < 2; pass++)
		for (int idx = 0; idx < k->triage->nfindings; idx++) {
			const rc_finding *fd = &k->triage->findings[idx];
			bool red = strcmp(fd->group, "red_flags") == 0;
			if (red != (pass == 0) || ans->state[idx] == RC_ANS_ABSENT)
				continue;
			rc_chart_answer *x = &v->answers[v->nanswers++];
			x->finding = fd;
			x->red_flag = red;
			x->fired = fired[idx];
			if (ans->state[idx] == RC_ANS_UNKNOWN)
				snprintf(x->text, sizeof x->text, "Don't know");
			else if (fd->type == RC_FT_BOOL)
				snprintf(x->text, sizeof x->text, "%s", ans->value[idx] ? "Yes" : "No");
			else if (fd->type == RC_FT_ENUM && ans->value[idx] >= 0 && ans->value[idx] < fd->nvalues)
				snprintf(x->text, sizeof x->text, "%s", fd->words[ans->value[idx]]); /* "Sit bone", not a key */
			else
				snprintf(x->text, sizeof x->text, "%d%s%s", ans->value[idx], fd->unit[0] ? " " : "", fd->unit);
		}
	json_decref(aj);
	json_decref(rj);
}

/* The home program and its adherence, as the program pages count it. */
typedef struct {
	int64_t *days, from;
	int n;
} log_days;

/* Adherence looks at the last 28 days: only those logs are kept (at most per_day × 28 matter; the cap is
 * a guard, the logs' own rules limit a day's sessions). */
enum { LOG_DAYS_KEPT = 28, LOG_DAYS_CAP = 28 * 24 };

static void keep_log_day(void *ctx, const rc_log_row *l)
{
	log_days *d = ctx;
	int64_t day = rc_day_number(l->day);
	if (day >= d->from && d->n < LOG_DAYS_CAP)
		d->days[d->n++] = day;
}

static int done_on(void *ctx, int64_t day)
{
	const log_days *d = ctx;
	int n = 0;
	for (int i = 0; i < d->n; i++)
		n += d->days[i] == day;
	return n;
}

static rc_err program_view(const rc_uc *uc, const rc_chart_know *k, rc_chart_view *v)
{
	rc_err e = rc_program_active(uc->db, v->patient.id, &v->assignment, &v->has_program);
	if (e || !v->has_program)
		return e;
	v->program = k->programs ? rc_program_find(k->programs, v->assignment.program_key) : NULL;
	if (!v->program)
		return RC_OK;
	int st = v->assignment.stage < 1 ? 1 : v->assignment.stage > v->program->nstages ? v->program->nstages : v->assignment.stage;
	char t[11], started[11];
	today(uc, t);
	log_days d = {rc_arena_alloc(uc->arena, sizeof(int64_t) * LOG_DAYS_CAP), rc_day_number(t) - LOG_DAYS_KEPT, 0};
	if (!d.days)
		return RC_ENOMEM;
	char from[11];
	rc_day_name(rc_day_number(t) - LOG_DAYS_KEPT, from);
	if ((e = rc_session_logs_between(uc->db, v->assignment.id, from, t, keep_log_day, &d)))
		return e;
	rc_tz_date(v->assignment.started_at, started);
	int per_day = v->program->stages[st - 1].per_day;
	v->adherence7 = rc_adherence(rc_day_number(t), 7, rc_day_number(started), per_day, done_on, &d);
	v->adherence28 = rc_adherence(rc_day_number(t), 28, rc_day_number(started), per_day, done_on, &d);
	return RC_OK;
}

/* Measures: every (field, side) the clinician recorded, then the runner's own. */
typedef struct {
	const rc_chart_know *k;
	rc_chart_view *v;
	rc_arena *a;
	int *counts; /* per field and side, first pass */
	bool fill;
} measure_ctx;

static int side_slot(const char *side)
{
	return strcmp(side, "left") == 0 ? 1 : strcmp(side, "right") == 0 ? 2 : 0;
}

static void on_measure(void *ctx, const char *day, const char *key, const char *side, int64_t value, int64_t note)
{
	measure_ctx *c = ctx;
	const rc_chart_field *f = rc_chart_field_find(c->k->kb, key);
	if (!f || !f->chart)
		return;
	int slot = (int)(f - c->k->kb->fields) * 3 + side_slot(side);
	if (!c->fill) {
		c->counts[slot]++;
		return;
	}
	rc_chart_series *s = &c->v->series[c->counts[slot]];
	s->v[s->n++] = (rc_chart_point){rc_day_number(day), value, note};
	rc_chart_view *v = c->v;
	int64_t dn = rc_day_number(day);
	if (!v->nvisits || v->visits[v->nvisits - 1].note != note)
		v->visits[v->nvisits++] = (rc_chart_visit){dn, note};
}

typedef struct {
	rc_chart_view *v;
	rc_chart_series *rest, *sitting, *running;
	int cap;
} diary_ctx;

static void on_diary(void *ctx, const rc_diary_point *d)
{
	diary_ctx *c = ctx;
	int64_t dn = rc_day_number(d->day);
	if (c->rest->n < c->cap) {
		c->rest->v[c->rest->n++] = (rc_chart_point){dn, d->pain_rest, 0};
		c->sitting->v[c->sitting->n++] = (rc_chart_point){dn, d->pain_sitting, 0};
		if (d->pain_running >= 0)
			c->running->v[c->running->n++] = (rc_chart_point){dn, d->pain_running, 0};
	}
	c->v->diary_days++;
	/* The latest notes: a ring of RC_CHART_DIARY_NOTES, newest last. */
	if (d->notes && *d->notes) {
		rc_chart_view *v = c->v;
		if (v->ndiary_notes == RC_CHART_DIARY_NOTES)
			memmove(v->diary_notes, v->diary_notes + 1, sizeof *v->diary_notes * (RC_CHART_DIARY_NOTES - 1)),
				v->ndiary_notes--;
		v->diary_notes[v->ndiary_notes++] = *d;
	}
}

typedef struct {
	rc_chart_series *s;
	int cap;
} psfs_ctx;

static void on_psfs(void *ctx, const char *day, const char *ratings)
{
	psfs_ctx *c = ctx;
	json_t *a = json_loads(ratings, 0, NULL), *x;
	size_t i;
	int64_t sum = 0, n = 0;
	json_array_foreach(a, i, x) {
		sum += json_integer_value(json_object_get(x, "score"));
		n++;
	}
	json_decref(a);
	if (n && c->s->n < c->cap)
		c->s->v[c->s->n++] = (rc_chart_point){rc_day_number(day), (sum * 10 + n / 2) / n, 0};
}

static rc_err measures_view(const rc_uc *uc, const rc_chart_know *k, rc_chart_view *v)
{
	rc_arena *a = uc->arena;
	char t[11], from[11];
	today(uc, t);
	v->last_day = rc_day_number(t);
	if (v->all_time)
		v->first_day = rc_days_from_civil(1900, 1, 1);
	else if (v->active) {
		char opened[11];
		rc_tz_date(v->active->opened_at, opened);
		v->first_day = rc_day_number(opened) - 28; /* the four weeks before the first visit, from the diary */
		int64_t onset = rc_day_number(v->active->onset_day);
		if (onset != INT64_MIN && onset < v->first_day)
			v->first_day = onset;
	} else {
		v->first_day = v->last_day - RC_CHART_WINDOW_DAYS;
	}
	rc_day_name(v->first_day, from);
	/* First pass: how many values each (field, side) has, so each series is allocated once. */
	int nslots = k->kb->nfields * 3;
	int *counts = rc_arena_alloc(a, sizeof *counts * (size_t)nslots);
	if (!counts)
		return RC_ENOMEM;
	measure_ctx mc = {k, v, a, counts, false};
	rc_err e = rc_measures_since(uc->db, v->patient.id, from, RC_CHART_MAX_MEASURES, on_measure, &mc);
	if (e)
		return e;
	int nseries = 0, total = 0;
	for (int i = 0; i < nslots; i++)
		if (counts[i])
			nseries++, total += counts[i];
	v->series = rc_arena_alloc(a, sizeof *v->series * (size_t)(nseries + 4));
	v->visits = rc_arena_alloc(a, sizeof *v->visits * (size_t)(total + 1));
	if (!v->series || !v->visits)
		return RC_ENOMEM;
	for (int i = 0; i < nslots; i++) {
		if (!counts[i])
			continue;
		const rc_chart_field *f = &k->kb->fields[i / 3];
		rc_chart_series *s = &v->series[v->nseries];
		s->field = f;
		s->key = f->key;
		s->label = f->label;
		s->side = i % 3 == 1 ? "left" : i % 3 == 2 ? "right" : "";
		s->top = f->max;
		s->decimals = f->decimals;
		s->v = rc_arena_alloc(a, sizeof *s->v * (size_t)counts[i]);
		if (!s->v)
			return RC_ENOMEM;
		counts[i] = v->nseries++;
	}
	v->nclinical = v->nseries;
	/* counts now maps a slot to its series (slots without values are never seen again). */
	mc.fill = true;
	if ((e = rc_measures_since(uc->db, v->patient.id, from, RC_CHART_MAX_MEASURES, on_measure, &mc)))
		return e;
	/* The runner's own: the diary's pain, and PSFS. */
	int cap = (int)(v->last_day - v->first_day + 1);
	if (cap > RC_CHART_MAX_DIARY)
		cap = RC_CHART_MAX_DIARY;
	static const char *const dl[] = {"Diary: pain on waking", "Diary: pain sitting", "Diary: pain running"};
	static const char *const dk[] = {"diary_rest", "diary_sitting", "diary_running"};
	rc_chart_series *ds = &v->series[v->nseries];
	for (int i = 0; i < 3; i++) {
		ds[i] = (rc_chart_series){NULL, dk[i], dl[i], "", 10, 0, rc_arena_alloc(a, sizeof(rc_chart_point) * (size_t)(cap + 1)), 0};
		if (!ds[i].v)
			return RC_ENOMEM;
	}
	v->diary_notes = rc_arena_alloc(a, sizeof *v->diary_notes * RC_CHART_DIARY_NOTES);
	if (!v->diary_notes)
		return RC_ENOMEM;
	diary_ctx dc = {v, &ds[0], &ds[1], &ds[2], cap + 1};
	if ((e = rc_chart_diary_since(uc->db, a, v->patient.id, from, RC_CHART_MAX_DIARY, on_diary, &dc)))
		return e;
	/* Newest first for the page. */
	for (int i = 0; i < v->ndiary_notes / 2; i++) {
		rc_diary_point tmp = v->diary_notes[i];
		v->diary_notes[i] = v->diary_notes[v->ndiary_notes - 1 - i];
		v->diary_notes[v->ndiary_notes - 1 - i] = tmp;
	}
	v->nseries += 3;
	rc_chart_series *ps = &v->series[v->nseries];
	*ps = (rc_chart_series){NULL, "runner_psfs", "PSFS the runner rated (average)", "", 10, 1,
	                        rc_arena_alloc(a, sizeof(rc_chart_point) * RC_CHART_MAX_PSFS), 0};
	if (!ps->v)
		return RC_ENOMEM;
	psfs_ctx pc = {ps, RC_CHART_MAX_PSFS};
	if ((e = rc_chart_psfs_since(uc->db, v->patient.id, from, RC_CHART_MAX_PSFS, on_psfs, &pc)))
		return e;
	v->nseries++;
	if (v->all_time) {
		/* The span is what there is. */
		int64_t lo = v->last_day;
		for (int i = 0; i < v->nseries; i++)
			if (v->series[i].n && v->series[i].v[0].day < lo)
				lo = v->series[i].v[0].day;
		v->first_day = lo < v->last_day ? lo : v->last_day - RC_CHART_WINDOW_DAYS;
	}
	return RC_OK;
}

rc_err rc_app_chart_view(const rc_uc *uc, const rc_chart_know *k, const rc_chart_view_in *in, rc_chart_view *v,
                         rc_problem *p)
{
	if (!rc_chart_clinician(uc->actor))
		return not_found(p);
	memset(v, 0, sizeof *v);
	rc_err e = load_patient(uc, in->patient, &v->patient, p);
	if (e)
		return e;
	rc_db *db = uc->db;
	rc_arena *a = uc->arena;
	bool found;
	if ((e = rc_profile_get(db, in->patient, &v->profile, &v->has_profile)) ||
	    (e = rc_profile_versions(db, in->patient, &v->profile_versions)))
		return e;
	char t[11];
	today(uc, t);
	v->age = v->profile.date_of_birth[0] ? rc_chart_age(v->profile.date_of_birth, t) : -1;
	char buf[sizeof v->profile.alerts];
	snprintf(buf, sizeof buf, "%s", v->profile.alerts);
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		const rc_chart_alert *al = rc_chart_alert_find(w);
		if (al && v->nalerts < RC_CHART_NALERTS)
			v->alerts[v->nalerts++] = al;
	}
	if ((e = rc_consent_current(db, in->patient, &v->consent, &v->has_consent)))
		return e;
	v->consent_current = v->has_consent && v->consent.version == k->kb->consent_version;
	v->needling_ready = k->kb->npoints > 0;
	v->timeline = rc_arena_alloc(a, sizeof *v->timeline * RC_CHART_PAGE);
	if (!v->timeline)
		return RC_ENOMEM;
	if ((e = episodes_read(db, a, in->patient, &v->episodes, &v->nepisodes)))
		return e;
	for (int i = 0; i < v->nepisodes && !v->active; i++)
		if (strcmp(v->episodes[i].status, "active") == 0)
			v->active = &v->episodes[i];
	v->page = in->page < 0 ? 0 : in->page;
	timeline_ctx tc = {v, RC_CHART_PAGE};
	if ((e = rc_timeline_page(db, in->patient, v->page * RC_CHART_PAGE, RC_CHART_PAGE, keep_item, &tc, &v->more)) ||
	    (e = adverse_read(db, a, in->patient, &v->adverse, &v->nadverse)))
		return e;
	/* Newest first: the recent ones lead the list, and are alerts for the next treatment. */
	while (v->nrecent_adverse < v->nadverse &&
	       rc_day_number(v->adverse[v->nrecent_adverse].day) >= rc_day_number(t) - RC_CHART_ADVERSE_ALERT_DAYS)
		v->nrecent_adverse++;
	if ((e = rc_chart_selfcheck_latest(db, a, in->patient, &v->selfcheck, &found)))
		return e;
	if (found && k->triage) {
		v->has_selfcheck = true;
		v->selfcheck_top = rc_chart_condition_name(k, v->selfcheck.top);
		selfcheck_answers(k, a, v);
	}
	v->training = rc_arena_alloc(a, sizeof *v->training);
	if (!v->training)
		return RC_ENOMEM;
	if ((e = rc_app_training_view(uc, in->patient, v->training)) || (e = program_view(uc, k, v)))
		return e;
	v->all_time = in->all_time;
	if ((e = measures_view(uc, k, v)))
		return e == RC_ETOOBIG ? rc_problem_set(p, RC_ECONFLICT, NULL, "This chart holds more than %d measures or %d "
		                                        "diary days in the span asked for: look at a shorter span.",
		                                        RC_CHART_MAX_MEASURES, RC_CHART_MAX_DIARY)
		                       : e;
	return audit(uc, db, "chart.view", in->patient, "chart%s, page %d", in->all_time ? " (all time)" : "", v->page + 1);
}

/* --- the letter ---------------------------------------------------------------------------------------------------- */

typedef struct {
	rc_letter *l;
	bool points;
} letter_ctx;

static void letter_count(void *ctx, const char *key, int64_t n)
{
	letter_ctx *c = ctx;
	rc_letter *l = c->l;
	if (c->points && l->npoints < (int)(sizeof l->points / sizeof l->points[0])) {
		snprintf(l->points[l->npoints].code, sizeof l->points[0].code, "%s", key);
		l->points[l->npoints++].n = n;
	} else if (!c->points && l->ntreatments < (int)(sizeof l->treatments / sizeof l->treatments[0])) {
		int ki = kind_index(key);
		if (ki >= 0) {
			l->treatments[l->ntreatments].kind = KINDS[ki].kind;
			l->treatments[l->ntreatments++].n = n;
		}
	}
}

static rc_err signed_edge(const rc_uc *uc, const rc_chart_know *k, int64_t episode, bool latest, rc_note **out)
{
	rc_note *n = rc_arena_alloc(uc->arena, sizeof *n);
	bool found;
	if (!n)
		return RC_ENOMEM;
	rc_err e = rc_episode_signed_note(uc->db, uc->arena, episode, latest, &n->row, &found);
	if (e || !found)
		return e;
	if ((e = rc_episode_get(uc->db, episode, &n->episode, &found)) || (e = parse_body(k, uc->arena, n)) ||
	    (e = load_addenda(uc, n)))
		return e;
	n->tmpl = rc_chart_template_find(k->kb, n->row.template_key);
	*out = n;
	return RC_OK;
}

rc_err rc_app_letter(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t episode, rc_letter *out,
                     rc_problem *p)
{
	if (!rc_chart_clinician(uc->actor))
		return not_found(p);
	memset(out, 0, sizeof *out);
	rc_err e = load_patient(uc, patient, &out->patient, p);
	bool found;
	if (e || (e = rc_episode_get(uc->db, episode, &out->episode, &found)))
		return e;
	if (!found || out->episode.runner_id != patient)
		return not_found(p);
	if (!out->episode.signed_notes)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "A letter is written from signed notes, and this episode has none "
		                                             "yet.");
	rc_note *first = NULL, *latest = NULL;
	if ((e = rc_profile_get(uc->db, patient, &out->profile, &found)) || (e = signed_edge(uc, k, episode, false, &first)) ||
	    (e = signed_edge(uc, k, episode, true, &latest)))
		return e;
	out->first = first;
	out->latest = latest;
	out->nnotes = out->episode.signed_notes;
	letter_ctx tc = {out, false}, pc = {out, true};
	if ((e = rc_treatment_counts(uc->db, episode, letter_count, &tc)) ||
	    (e = rc_treatment_points(uc->db, episode, (int)(sizeof out->points / sizeof out->points[0]), letter_count, &pc)))
		return e;
	return audit(uc, uc->db, "chart.letter", patient, "episode %lld", (long long)episode);
}

/* --- the runner's own notes ------------------------------------------------------------------------------------------ */

typedef struct {
	rc_note_list *l;
	int cap;
} notes_ctx;

static void keep_note(void *ctx, const rc_note_row *r)
{
	notes_ctx *c = ctx;
	if (c->l->n < c->cap)
		c->l->v[c->l->n++].row = *r;
}

rc_err rc_app_runner_notes(const rc_uc *uc, const rc_chart_know *k, int64_t runner, int page, rc_note_list *out,
                           rc_problem *p)
{
	bool own = uc->actor->role == RC_ROLE_RUNNER && uc->actor->id == runner;
	if (!own && !rc_chart_clinician(uc->actor))
		return not_found(p);
	rc_account who;
	rc_err e = load_patient(uc, runner, &who, p);
	if (e)
		return e;
	memset(out, 0, sizeof *out);
	out->page = page < 0 ? 0 : page;
	out->v = rc_arena_alloc(uc->arena, sizeof *out->v * RC_CHART_PAGE);
	if (!out->v)
		return RC_ENOMEM;
	notes_ctx c = {out, RC_CHART_PAGE};
	if ((e = rc_notes_page(uc->db, uc->arena, runner, true, true, out->page * RC_CHART_PAGE, RC_CHART_PAGE, keep_note, &c,
	                       &out->more)))
		return e;
	for (int i = 0; i < out->n; i++) {
		rc_note *n = &out->v[i];
		bool found;
		if ((e = rc_episode_get(uc->db, n->row.episode_id, &n->episode, &found)) || (e = parse_body(k, uc->arena, n)) ||
		    (e = load_addenda(uc, n)))
			return e;
		n->tmpl = rc_chart_template_find(k->kb, n->row.template_key);
	}
	return audit(uc, uc->db, "chart.notes.view", runner, "signed notes, page %d%s", out->page + 1, own ? " (own)" : "");
}
