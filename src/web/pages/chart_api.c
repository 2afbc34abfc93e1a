/* chart_api.c — the chart's JSON API (bearer tokens; docs/api.md, docs/openapi.json): patient search, the
 * chart, episodes, notes (create, PATCH a draft, sign, addenda), consent and adverse events. The same use
 * cases as the pages: a signed note cannot be changed (409), an unknown acupoint is a 422 that names it,
 * a runner reads only their own signed notes, the front desk no clinical content. Errors are
 * {"error": sentence, "status": N, "field": name} with the field as the request names it. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/chart.h"
#include "app/patients.h"
#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/chart_common.h"
#include "web/pages/pages.h"

static void api_error(rc_req *r, unsigned status, const char *field, const char *text)
{
	rc_req_json(r, status, json_pack("{s:s, s:i, s:s?}", "error", text, "status", (int)status, "field", field));
}

static void api_fail(rc_req *r, rc_err e, const rc_problem *p)
{
	api_error(r, rc_chart_status(e), p->field, p->text[0] ? p->text : "The chart could not be read or saved; try again.");
}

static json_t *iso(int64_t t)
{
	if (!t)
		return json_null();
	char s[40];
	rc_tz_rfc3339(t, s, sizeof s);
	return json_string(s);
}

static json_t *id_or_null(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

/* The body as a JSON object, or a 400 that says why. */
static json_t *body(rc_req *r)
{
	json_error_t je;
	json_t *in = r->body.len ? json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je) : NULL;
	if (!in || !json_is_object(in)) {
		char msg[300];
		snprintf(msg, sizeof msg, "The body must be a JSON object: %s",
		         in ? "it is not an object" : r->body.len ? je.text : "it is empty");
		json_decref(in);
		api_error(r, 400, NULL, msg);
		return NULL;
	}
	return in;
}

/* A member as text for the use case: strings as they are, whole numbers written out; NULL when absent or
 * null. Anything else: false. */
static bool text_of(rc_req *r, json_t *v, const char **out)
{
	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (json_is_string(v)) {
		*out = rc_arena_strdup(&r->arena, json_string_value(v));
		return true;
	}
	if (json_is_integer(v)) {
		*out = rc_arena_printf(&r->arena, "%lld", (long long)json_integer_value(v));
		return true;
	}
	if (json_is_real(v)) {
		*out = rc_arena_printf(&r->arena, "%.1f", json_real_value(v));
		return true;
	}
	return false;
}

/* Refuses members the object does not know: a typo is an error, not a silent nothing. */
static bool only(rc_req *r, json_t *o, const char *const *known, const char *where)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		bool ok = false;
		for (const char *const *n = known; *n && !ok; n++)
			ok = strcmp(*n, k) == 0;
		if (!ok) {
			char *field = rc_arena_printf(&r->arena, "%s%s", where, k);
			char msg[200];
			snprintf(msg, sizeof msg, "'%.60s' is not a field here.", field ? field : k);
			api_error(r, 422, field, msg);
			return false;
		}
	}
	return true;
}

static bool member_text(rc_req *r, json_t *o, const char *key, const char *field, const char **out)
{
	if (text_of(r, json_object_get(o, key), out))
		return true;
	char msg[160];
	snprintf(msg, sizeof msg, "'%s' must be text or a number.", field);
	api_error(r, 422, field, msg);
	return false;
}

static bool member_id(rc_req *r, json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (!v || json_is_null(v))
		return true;
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = json_integer_value(v);
		return true;
	}
	char msg[120];
	snprintf(msg, sizeof msg, "'%s' must be an id (a positive whole number).", key);
	api_error(r, 422, key, msg);
	return false;
}

/* --- JSON of what the use cases give back ----------------------------------------------------------------- */

static json_t *finding_value(const rc_note_finding *f)
{
	if (f->field && f->field->type == RC_FIELD_INT)
		return f->field->decimals ? json_real((double)f->num / 10.0) : json_integer(f->num);
	return json_string(f->value);
}

static json_t *note_json(const rc_chart_know *k, const rc_note *n)
{
	json_t *findings = json_object(), *marks = json_array(), *treatments = json_array(), *addenda = json_array();
	for (int i = 0; i < n->nfindings; i++) {
		const rc_note_finding *f = &n->findings[i];
		if (f->side == RC_SIDE_NONE) {
			json_object_set_new(findings, f->key, finding_value(f));
		} else {
			json_t *o = json_object_get(findings, f->key);
			if (!json_is_object(o)) {
				o = json_object();
				json_object_set_new(findings, f->key, o);
			}
			json_object_set_new(o, rc_side_name(f->side), finding_value(f));
		}
	}
	for (int i = 0; i < n->nmarks; i++)
		json_array_append_new(marks, json_string(n->marks[i]));
	for (int i = 0; i < n->ntreatments; i++) {
		const rc_note_treatment *t = &n->treatments[i];
		json_t *o = json_pack("{s:s}", "kind", t->kind);
		if (t->npoints) {
			json_t *pts = json_array();
			for (int j = 0; j < t->npoints; j++)
				json_array_append_new(pts, json_pack("{s:s, s:s, s:s}", "code", t->points[j].code, "name",
				                                     t->points[j].point ? t->points[j].point->name : "", "side",
				                                     rc_side_name(t->points[j].side)));
			json_object_set_new(o, "points", pts);
		}
		const struct {
			const char *name;
			int v;
		} nums[] = {{"needles", t->needles}, {"minutes", t->minutes}, {"hz", t->hz}, {"stage", t->stage}};
		for (size_t j = 0; j < 4; j++)
			if (nums[j].v >= 0)
				json_object_set_new(o, nums[j].name, json_integer(nums[j].v));
		const struct {
			const char *name, *v;
		} texts[] = {{"side", rc_side_name(t->side)}, {"muscle", t->muscle}, {"region", t->region},
		             {"technique", t->technique}, {"topic", t->topic}, {"program", t->program},
		             {"detail", t->detail}};
		for (size_t j = 0; j < sizeof texts / sizeof texts[0]; j++)
			if (texts[j].v && texts[j].v[0])
				json_object_set_new(o, texts[j].name, json_string(texts[j].v));
		json_array_append_new(treatments, o);
	}
	for (int i = 0; i < n->naddenda; i++)
		json_array_append_new(addenda, json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)n->addenda[i].id, "author",
		                                         n->addenda[i].author_name, "created_at", iso(n->addenda[i].created_at),
		                                         "text", n->addenda[i].text));
	json_t *o = json_pack("{s:I, s:I, s:I, s:o, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:o}", "id", (json_int_t)n->row.id,
	                      "patient_id", (json_int_t)n->row.runner_id, "episode_id", (json_int_t)n->row.episode_id,
	                      "appointment_id", id_or_null(n->row.appointment_id), "kind", n->row.kind, "template",
	                      n->row.template_key, "visit_day", n->row.visit_day, "status",
	                      n->row.signed_at ? "signed" : "draft", "version", (json_int_t)n->row.version, "author",
	                      n->row.author_name, "signed_at", iso(n->row.signed_at), "signed_by",
	                      n->row.signed_at ? json_string(n->row.signer_name) : json_null());
	json_object_set_new(o, "diagnosis", json_pack("{s:s, s:s, s:s}", "condition", n->episode.condition_key, "name",
	                                              rc_chart_condition_name(k, n->episode.condition_key), "icd10",
	                                              n->episode.icd10));
	json_object_set_new(o, "subjective", json_string(n->subjective));
	json_object_set_new(o, "objective", json_string(n->objective));
	json_object_set_new(o, "assessment", json_string(n->assessment));
	json_object_set_new(o, "plan", json_string(n->plan));
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "marks", marks);
	json_object_set_new(o, "treatments", treatments);
	json_object_set_new(o, "addenda", addenda);
	return o;
}

/* A signed note for its runner: the same record, with the words a runner reads beside each finding. */
static json_t *plain_note_json(const rc_chart_know *k, const rc_note *n)
{
	json_t *o = note_json(k, n);
	json_t *words = json_array();
	for (int i = 0; i < n->nfindings; i++) {
		const rc_note_finding *f = &n->findings[i];
		json_array_append_new(words, json_pack("{s:s, s:s, s:o}", "what", f->field ? f->field->plain : f->key, "side",
		                                       rc_side_name(f->side), "value", finding_value(f)));
	}
	json_object_set_new(o, "findings_in_words", words);
	json_object_set_new(o, "visit", json_string(rc_chart_kind_words(n->row.kind, true)));
	json_object_del(o, "version");
	return o;
}

static json_t *episode_json(const rc_chart_know *k, const rc_episode *e)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:i, s:i}", "id",
	                 (json_int_t)e->id, "complaint", e->complaint, "side", e->side, "onset_day", e->onset_day,
	                 "onset_kind", e->onset_kind, "condition", e->condition_key, "condition_name",
	                 rc_chart_condition_name(k, e->condition_key), "icd10", e->icd10, "goals", e->goals, "status",
	                 e->status, "opened_at", iso(e->opened_at), "discharged_at", iso(e->discharged_at), "outcome",
	                 e->outcome, "notes", e->notes, "signed_notes", e->signed_notes);
}

static json_t *consent_json(const rc_consent *c)
{
	return json_pack("{s:I, s:i, s:s, s:o, s:s}", "id", (json_int_t)c->id, "version", c->version, "given_day",
	                 c->given_day, "recorded_at", iso(c->recorded_at), "recorded_by", c->recorded_by_name);
}

static json_t *adverse_json(const rc_adverse *a)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)a->id, "day", a->day, "kind", a->kind,
	                 "severity", a->severity, "description", a->description, "note_id", id_or_null(a->note_id));
}

/* --- reading a note from JSON ------------------------------------------------------------------------------ */

static const char *const NOTE_KEYS[] = {"episode_id", "appointment_id", "kind", "template", "visit_day", "subjective",
                                        "objective", "assessment", "plan", "findings", "marks", "treatments", "sign",
                                        NULL};
static const char *const TREATMENT_KEYS[] = {"kind", "points", "needles", "minutes", "hz", "stage", "side", "muscle",
                                             "region", "technique", "topic", "detail", "program", NULL};

/* Overlays what the body gives on in (a PATCH keeps what it does not name). false: answered already. */
static bool read_note(rc_req *r, json_t *o, rc_note_in *in, bool patch)
{
	if (!only(r, o, NOTE_KEYS, ""))
		return false;
	json_t *v;
	if ((!patch && !member_id(r, o, "episode_id", &in->episode)) ||
	    (json_object_get(o, "appointment_id") && !member_id(r, o, "appointment_id", &in->appointment)))
		return false;
	if (patch && json_object_get(o, "episode_id") && !member_id(r, o, "episode_id", &in->episode))
		return false;
	const struct {
		const char *key;
		const char **dst;
	} texts[] = {{"kind", &in->kind},           {"template", &in->template_key}, {"visit_day", &in->visit_day},
	             {"subjective", &in->subjective}, {"objective", &in->objective},  {"assessment", &in->assessment},
	             {"plan", &in->plan}};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (json_object_get(o, texts[i].key) && !member_text(r, o, texts[i].key, texts[i].key, texts[i].dst))
			return false;
	if ((v = json_object_get(o, "sign"))) {
		if (!json_is_boolean(v)) {
			api_error(r, 422, "sign", "'sign' must be true or false.");
			return false;
		}
		in->sign = json_is_true(v);
	}
	if ((v = json_object_get(o, "findings"))) {
		if (!json_is_object(v)) {
			api_error(r, 422, "findings", "'findings' must be an object: {\"pain_rest\": 3, \"slr_angle\": {\"left\": 70}}.");
			return false;
		}
		in->nfindings = 0;
		const char *key;
		json_t *x;
		json_object_foreach(v, key, x) {
			const char *field = rc_arena_printf(&r->arena, "findings.%s", key);
			if (json_is_object(x)) {
				const char *side;
				json_t *y;
				json_object_foreach(x, side, y) {
					const char *sf = rc_arena_printf(&r->arena, "findings.%s.%s", key, side), *val;
					if (!text_of(r, y, &val)) {
						api_error(r, 422, sf, "A finding is a number or text.");
						return false;
					}
					if (in->nfindings <= RC_NOTE_MAX_FINDINGS)
						in->findings[in->nfindings++] = (rc_note_field_in){key, side, val ? val : ""};
				}
			} else {
				const char *val;
				if (!text_of(r, x, &val)) {
					api_error(r, 422, field, "A finding is a number, text, or {\"left\": …, \"right\": …}.");
					return false;
				}
				if (in->nfindings <= RC_NOTE_MAX_FINDINGS)
					in->findings[in->nfindings++] = (rc_note_field_in){key, "", val ? val : ""};
			}
		}
	}
	if ((v = json_object_get(o, "marks"))) {
		size_t i;
		json_t *x;
		if (!json_is_array(v)) {
			api_error(r, 422, "marks", "'marks' must be a list of body-chart places.");
			return false;
		}
		in->nmarks = 0;
		json_array_foreach(v, i, x) {
			if (!json_is_string(x)) {
				api_error(r, 422, "marks", "'marks' must be a list of body-chart places.");
				return false;
			}
			if (in->nmarks <= RC_NOTE_MAX_MARKS)
				in->marks[in->nmarks++] = json_string_value(x);
		}
	}
	if ((v = json_object_get(o, "treatments"))) {
		size_t i;
		json_t *x;
		if (!json_is_array(v)) {
			api_error(r, 422, "treatments", "'treatments' must be a list.");
			return false;
		}
		in->ntreatments = 0;
		json_array_foreach(v, i, x) {
			const char *where = rc_arena_printf(&r->arena, "treatments[%zu].", i);
			if (!json_is_object(x)) {
				api_error(r, 422, where, "Each treatment is an object with a 'kind'.");
				return false;
			}
			if (!only(r, x, TREATMENT_KEYS, where))
				return false;
			if (in->ntreatments > RC_NOTE_MAX_TREATMENTS)
				continue;
			rc_treatment_in *t = &in->treatments[in->ntreatments++];
			memset(t, 0, sizeof *t);
			const struct {
				const char *key;
				const char **dst;
			} f[] = {{"kind", &t->kind},       {"needles", &t->needles}, {"minutes", &t->minutes},
			         {"hz", &t->hz},           {"stage", &t->stage},     {"side", &t->side},
			         {"muscle", &t->muscle},   {"region", &t->region},   {"technique", &t->technique},
			         {"topic", &t->topic},     {"detail", &t->detail},   {"program", &t->program}};
			for (size_t j = 0; j < sizeof f / sizeof f[0]; j++)
				if (!member_text(r, x, f[j].key, rc_arena_printf(&r->arena, "%s%s", where, f[j].key), f[j].dst))
					return false;
			/* Points: a list of {"code", "side"}, or the text a clinician types. */
			json_t *pts = json_object_get(x, "points");
			const char *pf = rc_arena_printf(&r->arena, "%spoints", where);
			if (json_is_array(pts)) {
				rc_buf list;
				rc_buf_init(&list, 8192);
				size_t j;
				json_t *pt;
				json_array_foreach(pts, j, pt) {
					const char *code = json_string_value(json_object_get(pt, "code"));
					const char *side = json_string_value(json_object_get(pt, "side"));
					if (!code || (json_object_get(pt, "side") && !side) || strchr(code, ',') || strchr(code, ';') ||
					    (side && (strchr(side, ',') || strchr(side, ';') || strchr(side, ' ')))) {
						rc_buf_free(&list);
						api_error(r, 422, pf, "Each point is {\"code\": \"BL40\", \"side\": \"both\"} (midline GV and "
						                      "CV points without a side).");
						return false;
					}
					rc_buf_printf(&list, "%s%s%s%s", j ? ", " : "", code, side && *side ? " " : "", side ? side : "");
				}
				t->points = list.failed ? "" : rc_arena_strdup(&r->arena, list.data ? list.data : "");
				rc_buf_free(&list);
			} else if (!text_of(r, pts, &t->points)) {
				api_error(r, 422, pf, "'points' must be a list of {\"code\", \"side\"} or text like \"BL40 both, GV20\".");
				return false;
			}
		}
	}
	return true;
}

/* --- the handlers -------------------------------------------------------------------------------------------- */

void rc_page_api_patients(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	const char *q = rc_req_query(r, "q"), *pg = rc_req_query(r, "page");
	char *end = NULL;
	long long page = pg && *pg ? strtoll(pg, &end, 10) : 1;
	rc_patient_list l;
	rc_problem p = {0};
	rc_err e;
	/* The API searches; it does not list every patient (the web page does, a page at a time). */
	if (!q || !*q)
		e = rc_problem_set(&p, RC_EINVAL, "q", "'q' must be part of a name, an email, a phone number or a date of "
		                                       "birth.");
	else if (pg && (!*pg || *end || page < 1))
		e = rc_problem_set(&p, RC_EINVAL, "page", "'page' must be a whole number from 1.");
	else
		e = rc_app_patient_find(&uc, q, page, RC_PATIENT_API_PAGE, &l, &p);
	if (e == RC_ENOTFOUND) {
		/* A page past the last is empty, not missing. */
		l = (rc_patient_list){.page = page, .pages = page - 1};
		e = RC_OK;
	}
	if (e) {
		api_fail(r, e, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < l.n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)l.v[i].id, "name",
		                                      l.v[i].name, "email", l.v[i].email, "phone", l.v[i].phone,
		                                      "date_of_birth", l.v[i].dob));
	rc_req_json(r, 200, json_pack("{s:o, s:I, s:o}", "patients", list, "page", (json_int_t)page, "next_page",
	                              page < l.pages ? json_integer(page + 1) : json_null()));
}

/* A series as two arrays of the same length, days and values: five years of diary are thousands of points, and
 * an object for each made the chart's JSON twice as slow. */
static json_t *series_json(const rc_chart_series *s)
{
	json_t *days = json_array(), *values = json_array();
	for (int i = 0; i < s->n; i++) {
		char d[11];
		rc_day_name(s->v[i].day, d);
		json_array_append_new(days, json_string(d));
		json_array_append_new(values, s->decimals ? json_real((double)s->v[i].value / 10) : json_integer(s->v[i].value));
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:o}", "key", s->key, "label", s->label, "side", s->side, "days", days,
	                 "values", values);
}

void rc_page_api_chart(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	int64_t patient = rc_chart_param(r, 0);
	const char *pg = rc_req_query(r, "page");
	int page = pg ? atoi(pg) - 1 : 0;
	if (page < 0 || page > 100000)
		page = 0;
	rc_problem p = {0};
	if (!rc_chart_clinician(&r->user)) {
		/* The runner themself (http.c let no one else through): their signed notes. */
		rc_note_list l;
		rc_err e = rc_app_runner_notes(&uc, &k, patient, page, &l, &p);
		if (e) {
			api_fail(r, e, &p);
			return;
		}
		json_t *notes = json_array();
		for (int i = 0; i < l.n; i++)
			json_array_append_new(notes, plain_note_json(&k, &l.v[i]));
		rc_req_json(r, 200, json_pack("{s:{s:I, s:s}, s:o, s:i, s:o}", "patient", "id", (json_int_t)patient, "name",
		                              r->user.name, "notes", notes, "page", l.page + 1, "next_page",
		                              l.more ? json_integer(l.page + 2) : json_null()));
		return;
	}
	rc_chart_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	const char *span = rc_req_query(r, "span");
	rc_chart_view_in in = {patient, page, span && strcmp(span, "all") == 0};
	rc_err e = v ? rc_app_chart_view(&uc, &k, &in, v, &p) : RC_ENOMEM;
	if (e) {
		api_fail(r, e, &p);
		return;
	}
	json_t *alerts = json_array(), *episodes = json_array(), *timeline = json_array(), *adverse = json_array(),
	       *measures = json_array(), *flags = json_array(), *answers = json_array();
	for (int i = 0; i < v->nalerts; i++)
		json_array_append_new(alerts, json_pack("{s:s, s:s}", "key", v->alerts[i]->key, "label", v->alerts[i]->label));
	for (int i = 0; i < v->nepisodes; i++)
		json_array_append_new(episodes, episode_json(&k, &v->episodes[i]));
	for (int i = 0; i < v->ntimeline; i++) {
		const rc_timeline_item *t = &v->timeline[i];
		json_array_append_new(timeline,
		                      t->is_note ? json_pack("{s:s, s:I, s:o, s:I, s:s, s:s, s:s, s:s, s:s}", "type", "note", "id",
		                                             (json_int_t)t->id, "at", iso(t->at), "episode_id",
		                                             (json_int_t)t->episode_id, "kind", t->what, "template", t->title,
		                                             "summary", t->summary, "author", t->who, "status",
		                                             t->signed_ ? "signed" : "draft")
		                                 : json_pack("{s:s, s:I, s:o, s:s, s:s, s:s, s:s}", "type", "appointment", "id",
		                                             (json_int_t)t->id, "at", iso(t->at), "status", t->what, "service",
		                                             t->title, "reason", t->summary, "practitioner", t->who));
	}
	for (int i = 0; i < v->nadverse; i++)
		json_array_append_new(adverse, adverse_json(&v->adverse[i]));
	for (int i = 0; i < v->nseries; i++)
		json_array_append_new(measures, series_json(&v->series[i]));
	for (int i = 0; v->training && i < v->training->nflags; i++)
		json_array_append_new(flags, json_pack("{s:s, s:s, s:s}", "key", v->training->flags[i].key, "text",
		                                       v->training->flags[i].text, "source", v->training->flags[i].source));
	for (int i = 0; i < v->nanswers; i++)
		json_array_append_new(answers, json_pack("{s:s, s:s, s:s, s:b, s:b}", "key", v->answers[i].finding->key,
		                                         "question", v->answers[i].finding->question, "answer",
		                                         v->answers[i].text, "warning_sign", v->answers[i].red_flag, "fired",
		                                         v->answers[i].fired));
	char first[11], last[11];
	rc_day_name(v->first_day, first);
	rc_day_name(v->last_day, last);
	json_t *o = json_pack("{s:{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}, s:o, s:o, s:o, s:o, s:i, s:o}", "patient", "id",
	                      (json_int_t)v->patient.id, "name", v->patient.name, "email", v->patient.email,
	                      "date_of_birth", v->profile.date_of_birth, "phone", v->profile.phone, "emergency_name",
	                      v->profile.emergency_name, "emergency_phone", v->profile.emergency_phone, "alert_note",
	                      v->profile.alert_note, "alerts", alerts, "consent",
	                      v->has_consent ? consent_json(&v->consent) : json_null(), "episodes", episodes, "timeline",
	                      timeline, "page", v->page + 1, "next_page", v->more ? json_integer(v->page + 2) : json_null());
	json_object_set_new(o, "adverse_events", adverse);
	json_object_set_new(o, "measures", json_pack("{s:s, s:s, s:o}", "from", first, "to", last, "series", measures));
	json_object_set_new(o, "selfcheck", v->has_selfcheck ? json_pack("{s:o, s:s, s:s, s:o}", "at", iso(v->selfcheck.at),
	                                                                 "urgency", v->selfcheck.urgency, "likely",
	                                                                 v->selfcheck.top, "answers", answers)
	                                                     : (json_decref(answers), json_null()));
	json_object_set_new(o, "training_flags", flags);
	json_object_set_new(o, "program", v->has_program && v->program
	                                      ? json_pack("{s:s, s:s, s:i, s:f, s:f}", "key", v->program->key, "name",
	                                                  v->program->name, "stage", v->assignment.stage, "adherence_7d",
	                                                  v->adherence7, "adherence_28d", v->adherence28)
	                                      : json_null());
	rc_req_json(r, 200, o);
}

void rc_page_api_episode_post(rc_req *r)
{
	json_t *in = body(r);
	if (!in)
		return;
	static const char *const keys[] = {"complaint", "side", "onset_day", "onset_kind", "condition", "goals", NULL};
	rc_episode_in ei;
	memset(&ei, 0, sizeof ei);
	const char **dst[] = {&ei.complaint, &ei.side, &ei.onset_day, &ei.onset_kind, &ei.condition, &ei.goals};
	bool ok = only(r, in, keys, "");
	for (int i = 0; ok && keys[i]; i++)
		ok = member_text(r, in, keys[i], keys[i], dst[i]);
	json_decref(in);
	if (!ok)
		return;
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	rc_episode ep;
	rc_problem p = {0};
	rc_err e = rc_app_episode_open(&uc, &k, rc_chart_param(r, 0), &ei, &ep, &p);
	if (e) {
		api_fail(r, e, &p);
		return;
	}
	rc_req_json(r, 201, json_pack("{s:o}", "episode", episode_json(&k, &ep)));
}

void rc_page_api_note_post(rc_req *r)
{
	json_t *in = body(r);
	rc_note_in *ni = rc_arena_alloc(&r->arena, sizeof *ni);
	rc_note *n = rc_arena_alloc(&r->arena, sizeof *n);
	if (!in || !ni || !n) {
		if (in)
			api_error(r, 503, NULL, "Out of memory.");
		json_decref(in);
		return;
	}
	memset(ni, 0, sizeof *ni);
	bool ok = read_note(r, in, ni, false);
	if (!ok) {
		json_decref(in);
		return;
	}
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	rc_problem p = {0};
	rc_err e = rc_app_note_create(&uc, &k, rc_chart_param(r, 0), ni, n, &p);
	json_decref(in); /* the input's strings were the body's until the use case copied them */
	if (e) {
		api_fail(r, e, &p);
		return;
	}
	char loc[64];
	snprintf(loc, sizeof loc, "/api/notes/%lld", (long long)n->row.id);
	rc_req_header(r, "Location", loc);
	rc_req_json(r, 201, json_pack("{s:o}", "note", note_json(&k, n)));
}

void rc_page_api_note_patch(rc_req *r)
{
	json_t *in = body(r);
	if (!in)
		return;
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	int64_t id = rc_chart_param(r, 0);
	rc_note *old = rc_arena_alloc(&r->arena, sizeof *old), *n = rc_arena_alloc(&r->arena, sizeof *n);
	rc_note_in *ni = rc_arena_alloc(&r->arena, sizeof *ni);
	rc_problem p = {0};
	rc_err e = old && n && ni ? rc_app_note_get(&uc, &k, 0, id, old, &p) : RC_ENOMEM;
	if (e) {
		json_decref(in);
		api_fail(r, e, &p);
		return;
	}
	if (old->row.signed_at) {
		json_decref(in);
		api_error(r, 409, NULL, "This note is signed and locked: a correction is an addendum "
		                        "(POST /api/notes/{id}/addenda), which keeps the original.");
		return;
	}
	/* What the PATCH does not name stays as the draft has it. */
	rc_app_note_as_input(old, ni, &r->arena);
	ni->expected_version = 0;
	bool ok = read_note(r, in, ni, true);
	if (ok)
		e = rc_app_note_update(&uc, &k, 0, id, ni, n, &p);
	json_decref(in);
	if (!ok)
		return;
	if (e) {
		api_fail(r, e, &p);
		return;
	}
	rc_req_json(r, 200, json_pack("{s:o}", "note", note_json(&k, n)));
}

void rc_page_api_note_sign(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	rc_note *n = rc_arena_alloc(&r->arena, sizeof *n);
	rc_problem p = {0};
	rc_err e = n ? rc_app_note_sign(&uc, &k, 0, rc_chart_param(r, 0), n, &p) : RC_ENOMEM;
	if (e) {
		api_fail(r, e, &p);
		return;
	}
	rc_req_json(r, 200, json_pack("{s:o}", "note", note_json(&k, n)));
}

void rc_page_api_note_addendum(rc_req *r)
{
	json_t *in = body(r);
	if (!in)
		return;
	static const char *const keys[] = {"text", NULL};
	const char *text = NULL;
	bool ok = only(r, in, keys, "") && member_text(r, in, "text", "text", &text);
	json_decref(in);
	if (!ok)
		return;
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	rc_note *n = rc_arena_alloc(&r->arena, sizeof *n);
	rc_problem p = {0};
	rc_err e = n ? rc_app_note_addendum(&uc, &k, 0, rc_chart_param(r, 0), text, n, &p) : RC_ENOMEM;
	if (e) {
		api_fail(r, e, &p);
		return;
	}
	rc_req_json(r, 201, json_pack("{s:o}", "note", note_json(&k, n)));
}

void rc_page_api_consent_post(rc_req *r)
{
	json_t *in = body(r);
	if (!in)
		return;
	static const char *const keys[] = {"version", "given_day", NULL};
	const char *day = NULL;
	json_t *v = json_object_get(in, "version");
	bool ok = only(r, in, keys, "") && member_text(r, in, "given_day", "given_day", &day);
	if (ok && !json_is_integer(v)) {
		api_error(r, 422, "version", "'version' must be the number of the consent text the patient read.");
		ok = false;
	}
	rc_consent_in ci = {ok ? (int)json_integer_value(v) : 0, day};
	json_decref(in);
	if (!ok)
		return;
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	rc_consent out;
	rc_problem p = {0};
	rc_err e = rc_app_consent_record(&uc, &k, rc_chart_param(r, 0), &ci, &out, &p);
	if (e) {
		api_fail(r, e, &p);
		return;
	}
	rc_req_json(r, 201, json_pack("{s:o}", "consent", consent_json(&out)));
}

void rc_page_api_adverse_post(rc_req *r)
{
	json_t *in = body(r);
	if (!in)
		return;
	static const char *const keys[] = {"day", "kind", "severity", "description", "note_id", NULL};
	rc_adverse_in ai;
	memset(&ai, 0, sizeof ai);
	bool ok = only(r, in, keys, "") && member_text(r, in, "day", "day", &ai.day) &&
	          member_text(r, in, "kind", "kind", &ai.kind) && member_text(r, in, "severity", "severity", &ai.severity) &&
	          member_text(r, in, "description", "description", &ai.description) &&
	          member_id(r, in, "note_id", &ai.note);
	json_decref(in);
	if (!ok)
		return;
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_adverse out;
	rc_problem p = {0};
	rc_err e = rc_app_adverse_record(&uc, rc_chart_param(r, 0), &ai, &out, &p);
	if (e) {
		api_fail(r, e, &p);
		return;
	}
	rc_req_json(r, 201, json_pack("{s:o}", "adverse_event", adverse_json(&out)));
}
