/* fhir.c (app) — a patient's record as an HL7 FHIR R4 Bundle (Patient/$everything), the
 * CapabilityStatement and OperationOutcomes (see fhir.h).
 *
 * The rows come from store/fhir_store.c in one snapshot; each becomes a resource whose id is made from
 * its row's id (so the same database gives the same bundle, whichever engine holds it), and every
 * reference is "Type/id" to an entry of the same bundle. FHIR JSON has no empty strings, arrays or
 * objects: the helpers below leave a member out rather than write one empty. */
#include "app/fhir.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/time.h"
#include "domain/fhir.h"
#include "store/fhir_store.h"
#include "store/training_store.h"

#define SYS_LOINC "http://loinc.org"
#define SYS_UCUM "http://unitsofmeasure.org"
#define SYS_ICD10CM "http://hl7.org/fhir/sid/icd-10-cm"
#define SYS_TERMINOLOGY "http://terminology.hl7.org/CodeSystem/"

/* --- small builders ------------------------------------------------------------------------------- */

static void put(json_t *o, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(o, key, json_string(v));
}

static void put_new(json_t *o, const char *key, json_t *v)
{
	if (!v)
		return;
	if ((json_is_array(v) && json_array_size(v) == 0) || (json_is_object(v) && json_object_size(v) == 0)) {
		json_decref(v);
		return;
	}
	json_object_set_new(o, key, v);
}

static json_t *ref(const char *type, const char *id)
{
	char r[120];
	snprintf(r, sizeof r, "%s/%s", type, id);
	return json_pack("{s:s}", "reference", r);
}

static json_t *ref_n(const char *type, const char *prefix, int64_t n)
{
	char id[64];
	rc_fhir_id(id, sizeof id, prefix, n);
	return ref(type, id);
}

static json_t *coding(const char *system, const char *code, const char *display)
{
	json_t *c = json_object();
	put(c, "system", system);
	put(c, "code", code);
	put(c, "display", display);
	return c;
}

/* A CodeableConcept of one coding (system NULL: text only). */
static json_t *concept(const char *system, const char *code, const char *display, const char *text)
{
	json_t *c = json_object();
	if (system && code && *code)
		json_object_set_new(c, "coding", json_pack("[o]", coding(system, code, display)));
	put(c, "text", text);
	return c;
}

static json_t *text_concept(const char *text)
{
	return concept(NULL, NULL, NULL, text);
}

/* An instant in the clinic's zone, with its offset: "2026-12-01T09:30:00-08:00". */
static json_t *when(int64_t t)
{
	char buf[40];
	rc_tz_rfc3339(t, buf, sizeof buf);
	return json_string(buf);
}

static json_t *quantity(double value, int decimals, const char *unit_words, const char *ucum)
{
	double scale = decimals ? pow(10, decimals) : 1;
	json_t *v = decimals ? json_real(round(value * scale) / scale) : json_integer((json_int_t)llround(value));
	return json_pack("{s:o, s:s, s:s, s:s}", "value", v, "unit", unit_words, "system", SYS_UCUM, "code", ucum);
}

/* --- reading the rows ---------------------------------------------------------------------------- */

json_t *rc_rows_section(json_t *rows, const char *name)
{
	json_t *a = json_object_get(rows, name);
	return json_is_array(a) ? a : NULL;
}

int64_t rc_row_int(json_t *row, const char *k)
{
	return json_integer_value(json_object_get(row, k));
}

bool rc_row_has(json_t *row, const char *k)
{
	json_t *v = json_object_get(row, k);
	return v && !json_is_null(v);
}

const char *rc_row_text(json_t *row, const char *k)
{
	const char *s = json_string_value(json_object_get(row, k));
	return s ? s : "";
}

#define section rc_rows_section
#define I rc_row_int
#define has rc_row_has
#define S rc_row_text

static json_t *by_id(json_t *rows, const char *name, int64_t id)
{
	size_t i;
	json_t *r;
	json_array_foreach(section(rows, name), i, r) if (I(r, "id") == id) return r;
	return NULL;
}

/* --- the bundle ------------------------------------------------------------------------------------ */

typedef struct bundle {
	const rc_fhir_ctx *f;
	json_t *rows;
	json_t *entries;
	unsigned mask;
	int64_t patient;
	char pid[32];
	char sys[300]; /* base/fhir/CodeSystem/ */
} bundle;

/* A coding and a concept in one of runcare's own code systems (base/fhir/CodeSystem/NAME). */
static json_t *own_coding(bundle *b, const char *name, const char *code, const char *display)
{
	char system[400];
	snprintf(system, sizeof system, "%s%s", b->sys, name);
	return coding(system, code, display);
}

static json_t *own_concept(bundle *b, const char *name, const char *code, const char *display, const char *text)
{
	char system[400];
	snprintf(system, sizeof system, "%s%s", b->sys, name);
	return concept(system, code, display, text);
}

/* Adds resource (taking it) as an entry, when its type was asked for. */
static void add(bundle *b, json_t *res)
{
	const char *type = json_string_value(json_object_get(res, "resourceType"));
	const char *id = json_string_value(json_object_get(res, "id"));
	if (!type || !id || !(b->mask & rc_fhir_type_bit(type))) {
		json_decref(res);
		return;
	}
	char url[600];
	snprintf(url, sizeof url, "%s/fhir/%s/%s", b->f->base, type, id);
	json_array_append_new(b->entries, json_pack("{s:s, s:o, s:{s:s}}", "fullUrl", url, "resource", res, "search",
	                                            "mode", strcmp(type, "Patient") == 0 ? "match" : "include"));
}

static json_t *resource(const char *type, const char *id)
{
	return json_pack("{s:s, s:s}", "resourceType", type, "id", id);
}

static json_t *resource_n(const char *type, const char *prefix, int64_t n)
{
	char id[64];
	rc_fhir_id(id, sizeof id, prefix, n);
	return resource(type, id);
}

static json_t *patient_ref(bundle *b)
{
	return ref("Patient", b->pid);
}

/* The Practitioner who signed, by account: the practitioner linked to it, else the staff member. */
static json_t *signer_ref(bundle *b, int64_t account)
{
	size_t i;
	json_t *r;
	json_array_foreach(section(b->rows, "practitioners"), i, r) if (has(r, "account_id") && I(r, "account_id") == account)
		return ref_n("Practitioner", "", I(r, "id"));
	return ref_n("Practitioner", "staff", account);
}

static const char *side_words(const char *side)
{
	if (strcmp(side, "both") == 0)
		return "both sides";
	if (strcmp(side, "left") == 0 || strcmp(side, "right") == 0 || strcmp(side, "midline") == 0)
		return side;
	return "";
}

static json_t *human_name(const char *name)
{
	json_t *n = json_pack("{s:s}", "text", name);
	const char *sp = strrchr(name, ' ');
	if (sp && sp[1]) {
		json_object_set_new(n, "family", json_string(sp + 1));
		json_t *given = json_array();
		const char *p = name;
		while (p < sp) {
			const char *e = strchr(p, ' ');
			if (!e || e > sp)
				e = sp;
			if (e > p)
				json_array_append_new(given, json_stringn(p, (size_t)(e - p)));
			p = e + 1;
		}
		put_new(n, "given", given);
	} else if (*name) {
		json_object_set_new(n, "family", json_string(name));
	}
	return n;
}

static void add_patient(bundle *b, json_t *pt)
{
	json_t *r = resource("Patient", b->pid);
	char account_sys[400];
	snprintf(account_sys, sizeof account_sys, "%s/fhir/sid/patient", b->f->base);
	json_object_set_new(r, "identifier",
	                    json_pack("[{s:s, s:s, s:s}]", "use", "usual", "system", account_sys, "value", b->pid));
	json_object_set_new(r, "active", json_boolean(!has(pt, "deleted_at")));
	json_object_set_new(r, "name", json_pack("[o]", human_name(S(pt, "name"))));
	json_t *telecom = json_array();
	if (*S(pt, "phone"))
		json_array_append_new(telecom, json_pack("{s:s, s:s}", "system", "phone", "value", S(pt, "phone")));
	if (*S(pt, "email"))
		json_array_append_new(telecom, json_pack("{s:s, s:s}", "system", "email", "value", S(pt, "email")));
	put_new(r, "telecom", telecom);
	put(r, "birthDate", S(pt, "date_of_birth"));
	if (*S(pt, "emergency_name") || *S(pt, "emergency_phone")) {
		json_t *c = json_pack("{s:[{s:[o]}]}", "relationship", "coding",
		                      coding(SYS_TERMINOLOGY "v2-0131", "C", "Emergency Contact"));
		if (*S(pt, "emergency_name"))
			json_object_set_new(c, "name", json_pack("{s:s}", "text", S(pt, "emergency_name")));
		if (*S(pt, "emergency_phone"))
			json_object_set_new(c, "telecom",
			                    json_pack("[{s:s, s:s}]", "system", "phone", "value", S(pt, "emergency_phone")));
		json_object_set_new(r, "contact", json_pack("[o]", c));
	}
	json_object_set_new(r, "managingOrganization", ref("Organization", "clinic"));
	add(b, r);
}

static void add_organization(bundle *b)
{
	const rc_clinic *c = b->f->clinic;
	json_t *r = resource("Organization", "clinic");
	json_object_set_new(r, "active", json_true());
	json_object_set_new(r, "type", json_pack("[o]", concept(SYS_TERMINOLOGY "organization-type", "prov",
	                                                        "Healthcare Provider", NULL)));
	json_t *rows = section(b->rows, "clinic");
	const char *name = c && c->name ? c->name : json_array_size(rows) ? S(json_array_get(rows, 0), "name") : "";
	put(r, "name", *name ? name : "The clinic");
	if (c) {
		json_t *telecom = json_array();
		if (c->phone && *c->phone)
			json_array_append_new(telecom, json_pack("{s:s, s:s, s:s}", "system", "phone", "value", c->phone, "use", "work"));
		if (c->email && *c->email)
			json_array_append_new(telecom, json_pack("{s:s, s:s, s:s}", "system", "email", "value", c->email, "use", "work"));
		put_new(r, "telecom", telecom);
		json_t *addr = json_object();
		if (c->street && *c->street)
			json_object_set_new(addr, "line", json_pack("[s]", c->street));
		put(addr, "city", c->city);
		put(addr, "state", c->region);
		put(addr, "postalCode", c->postal_code);
		put(addr, "country", c->country);
		if (json_object_size(addr))
			json_object_set_new(r, "address", json_pack("[o]", addr));
		else
			json_decref(addr);
	}
	add(b, r);
}

static const char *discipline_words(const char *d)
{
	if (strcmp(d, "acupuncture") == 0)
		return "Acupuncture";
	if (strcmp(d, "physical_therapy") == 0)
		return "Physical therapy";
	if (strcmp(d, "sports_massage") == 0)
		return "Sports massage";
	return d;
}

static void add_practitioners(bundle *b)
{
	size_t i;
	json_t *p;
	json_array_foreach(section(b->rows, "practitioners"), i, p) {
		json_t *r = resource_n("Practitioner", "", I(p, "id"));
		json_object_set_new(r, "active", json_boolean(I(p, "active") != 0));
		json_object_set_new(r, "name", json_pack("[o]", human_name(S(p, "name"))));
		add(b, r);
	}
	json_array_foreach(section(b->rows, "staff"), i, p) {
		json_t *r = resource_n("Practitioner", "staff", I(p, "id"));
		json_object_set_new(r, "name", json_pack("[o]", human_name(S(p, "name"))));
		add(b, r);
	}
	json_array_foreach(section(b->rows, "practitioners"), i, p) {
		json_t *r = resource_n("PractitionerRole", "", I(p, "id"));
		json_object_set_new(r, "active", json_boolean(I(p, "active") != 0));
		json_object_set_new(r, "practitioner", ref_n("Practitioner", "", I(p, "id")));
		json_object_set_new(r, "organization", ref("Organization", "clinic"));
		json_t *codes = json_array();
		char d[200];
		snprintf(d, sizeof d, "%s", S(p, "disciplines"));
		for (char *save = NULL, *t = strtok_r(d, " ", &save); t; t = strtok_r(NULL, " ", &save))
			json_array_append_new(codes, own_concept(b, "discipline", t, discipline_words(t), discipline_words(t)));
		put_new(r, "specialty", codes);
		add(b, r);
	}
}

static void add_appointments(bundle *b)
{
	size_t i;
	json_t *a;
	json_array_foreach(section(b->rows, "appointments"), i, a) {
		json_t *r = resource_n("Appointment", "", I(a, "id"));
		const char *st = S(a, "status");
		const char *status = strcmp(st, "cancelled") == 0 ? "cancelled"
		                     : strcmp(st, "arrived") == 0 ? "fulfilled"
		                     : strcmp(st, "no_show") == 0 ? "noshow"
		                                                  : "booked";
		json_object_set_new(r, "status", json_string(status));
		json_object_set_new(r, "serviceType",
		                    json_pack("[o]", own_concept(b, "service", S(a, "service_key"), S(a, "service"), S(a, "service"))));
		json_object_set_new(r, "specialty", json_pack("[o]", own_concept(b, "discipline", S(a, "discipline"),
		                                                             discipline_words(S(a, "discipline")),
		                                                             discipline_words(S(a, "discipline")))));
		if (*S(a, "reason"))
			json_object_set_new(r, "reasonCode", json_pack("[o]", text_concept(S(a, "reason"))));
		json_object_set_new(r, "start", when(I(a, "starts_at")));
		json_object_set_new(r, "end", when(I(a, "ends_at")));
		json_object_set_new(r, "minutesDuration", json_integer((I(a, "ends_at") - I(a, "starts_at")) / 60));
		json_object_set_new(r, "created", when(I(a, "created_at")));
		json_object_set_new(r, "participant",
		                    json_pack("[{s:o, s:s, s:s}, {s:o, s:s, s:s}]", "actor", patient_ref(b), "required", "required",
		                              "status", "accepted", "actor", ref_n("Practitioner", "", I(a, "practitioner_id")),
		                              "required", "required", "status", "accepted"));
		add(b, r);
	}
}

static bool note_for_appointment(bundle *b, int64_t appointment)
{
	size_t i;
	json_t *n;
	json_array_foreach(section(b->rows, "notes"), i, n) if (I(n, "appointment_id") == appointment) return true;
	return false;
}

static const char *note_kind_words(const char *kind)
{
	return strcmp(kind, "initial") == 0 ? "Initial assessment" : strcmp(kind, "discharge") == 0 ? "Discharge" : "Follow-up visit";
}

static void add_encounters(bundle *b)
{
	size_t i;
	json_t *n, *a;
	/* A signed note is a visit's record: its Encounter. */
	json_array_foreach(section(b->rows, "notes"), i, n) {
		json_t *r = resource_n("Encounter", "note", I(n, "id"));
		json_object_set_new(r, "status", json_string("finished"));
		json_object_set_new(r, "class", coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
		json_object_set_new(r, "type", json_pack("[o]", own_concept(b, "visit-kind", S(n, "kind"),
		                                                        note_kind_words(S(n, "kind")),
		                                                        note_kind_words(S(n, "kind")))));
		json_object_set_new(r, "subject", patient_ref(b));
		json_object_set_new(r, "episodeOfCare", json_pack("[o]", ref_n("EpisodeOfCare", "", I(n, "episode_id"))));
		json_object_set_new(r, "participant", json_pack("[{s:o}]", "individual", signer_ref(b, I(n, "signed_by"))));
		json_t *appt = has(n, "appointment_id") ? by_id(b->rows, "appointments", I(n, "appointment_id")) : NULL;
		if (appt)
			json_object_set_new(r, "appointment", json_pack("[o]", ref_n("Appointment", "", I(appt, "id"))));
		json_t *period = json_pack("{s:o}", "start", when(appt ? I(appt, "starts_at") : I(n, "visit_at")));
		if (appt)
			json_object_set_new(period, "end", when(I(appt, "ends_at")));
		json_object_set_new(r, "period", period);
		json_object_set_new(r, "diagnosis", json_pack("[{s:o, s:i}]", "condition",
		                                              ref_n("Condition", "", I(n, "episode_id")), "rank", 1));
		json_object_set_new(r, "serviceProvider", ref("Organization", "clinic"));
		add(b, r);
	}
	/* A visit that took place with no signed note yet is an Encounter too. */
	json_array_foreach(section(b->rows, "appointments"), i, a) {
		if (strcmp(S(a, "status"), "arrived") != 0 || note_for_appointment(b, I(a, "id")))
			continue;
		json_t *r = resource_n("Encounter", "visit", I(a, "id"));
		json_object_set_new(r, "status", json_string("finished"));
		json_object_set_new(r, "class", coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
		json_object_set_new(r, "serviceType", own_concept(b, "service", S(a, "service_key"), S(a, "service"), S(a, "service")));
		json_object_set_new(r, "subject", patient_ref(b));
		json_object_set_new(r, "participant",
		                    json_pack("[{s:o}]", "individual", ref_n("Practitioner", "", I(a, "practitioner_id"))));
		json_object_set_new(r, "appointment", json_pack("[o]", ref_n("Appointment", "", I(a, "id"))));
		json_object_set_new(r, "period", json_pack("{s:o, s:o}", "start", when(I(a, "starts_at")), "end", when(I(a, "ends_at"))));
		json_object_set_new(r, "serviceProvider", ref("Organization", "clinic"));
		add(b, r);
	}
}

static void add_episodes(bundle *b)
{
	size_t i;
	json_t *e;
	json_array_foreach(section(b->rows, "episodes"), i, e) {
		bool open = strcmp(S(e, "status"), "active") == 0;
		json_t *r = resource_n("EpisodeOfCare", "", I(e, "id"));
		json_object_set_new(r, "status", json_string(open ? "active" : "finished"));
		json_object_set_new(r, "diagnosis", json_pack("[{s:o, s:i}]", "condition", ref_n("Condition", "", I(e, "id")),
		                                              "rank", 1));
		json_object_set_new(r, "patient", patient_ref(b));
		json_object_set_new(r, "managingOrganization", ref("Organization", "clinic"));
		json_t *period = json_pack("{s:o}", "start", when(I(e, "opened_at")));
		if (has(e, "discharged_at"))
			json_object_set_new(period, "end", when(I(e, "discharged_at")));
		json_object_set_new(r, "period", period);
		add(b, r);

		/* The working diagnosis, with its ICD-10-CM code(s) for the side. */
		json_t *c = resource_n("Condition", "", I(e, "id"));
		json_object_set_new(c, "clinicalStatus", concept(SYS_TERMINOLOGY "condition-clinical", open ? "active" : "resolved",
		                                                 open ? "Active" : "Resolved", NULL));
		json_object_set_new(c, "verificationStatus",
		                    concept(SYS_TERMINOLOGY "condition-ver-status", "provisional", "Provisional", NULL));
		json_object_set_new(c, "category", json_pack("[o]", concept(SYS_TERMINOLOGY "condition-category",
		                                                            "encounter-diagnosis", "Encounter Diagnosis", NULL)));
		const rc_chart_diagnosis *dx = b->f->know && b->f->know->kb
		                                   ? rc_chart_diagnosis_find(b->f->know->kb, S(e, "condition_key"))
		                                   : NULL;
		json_t *codings = json_array();
		char codes[64];
		snprintf(codes, sizeof codes, "%s", S(e, "icd10"));
		for (char *save = NULL, *t = strtok_r(codes, " ,;", &save); t; t = strtok_r(NULL, " ,;", &save))
			json_array_append_new(codings, coding(SYS_ICD10CM, t, dx ? dx->title : NULL));
		json_array_append_new(codings, own_coding(b, "condition", S(e, "condition_key"),
		                                      rc_chart_condition_name(b->f->know, S(e, "condition_key"))));
		json_object_set_new(c, "code", json_pack("{s:o, s:s}", "coding", codings, "text",
		                                         rc_chart_condition_name(b->f->know, S(e, "condition_key"))));
		if (*side_words(S(e, "side")))
			json_object_set_new(c, "bodySite", json_pack("[o]", text_concept(side_words(S(e, "side")))));
		json_object_set_new(c, "subject", patient_ref(b));
		put(c, "onsetDateTime", S(e, "onset_day"));
		if (has(e, "discharged_at"))
			json_object_set_new(c, "abatementDateTime", when(I(e, "discharged_at")));
		json_object_set_new(c, "recordedDate", when(I(e, "opened_at")));
		json_t *notes = json_array();
		char t[RC_COMPLAINT_MAX + RC_GOALS_MAX + 40];
		snprintf(t, sizeof t, "Complaint: %s (%s onset).", S(e, "complaint"), S(e, "onset_kind"));
		json_array_append_new(notes, json_pack("{s:s}", "text", t));
		if (*S(e, "goals")) {
			snprintf(t, sizeof t, "Goals: %s", S(e, "goals"));
			json_array_append_new(notes, json_pack("{s:s}", "text", t));
		}
		if (*S(e, "outcome"))
			json_array_append_new(notes, json_pack("{s:s}", "text", S(e, "outcome")));
		json_object_set_new(c, "note", notes);
		add(b, c);
	}
}

static json_t *observation(bundle *b, const char *id, const char *category, json_t *code)
{
	json_t *r = resource("Observation", id);
	json_object_set_new(r, "status", json_string("final"));
	json_object_set_new(r, "category", json_pack("[o]", concept(SYS_TERMINOLOGY "observation-category", category,
	                                                            strcmp(category, "exam") == 0     ? "Exam"
	                                                            : strcmp(category, "survey") == 0 ? "Survey"
	                                                                                              : "Activity",
	                                                            NULL)));
	json_object_set_new(r, "code", code);
	json_object_set_new(r, "subject", patient_ref(b));
	return r;
}

/* A pain score's code: LOINC's, and runcare's own for which pain it is. */
static json_t *score_code(bundle *b, const char *key, const char *label)
{
	json_t *codings = json_array();
	const char *loinc = rc_fhir_pain_loinc(key);
	if (loinc)
		json_array_append_new(codings, coding(SYS_LOINC, loinc, RC_FHIR_LOINC_PAIN_DISPLAY));
	json_array_append_new(codings, own_coding(b, "measure", key, label));
	return json_pack("{s:o, s:s}", "coding", codings, "text", label);
}

static void add_measures(bundle *b)
{
	size_t i;
	json_t *m;
	const rc_chart_kb *kb = b->f->know ? b->f->know->kb : NULL;
	json_array_foreach(section(b->rows, "measures"), i, m) {
		const rc_chart_field *fd = kb ? rc_chart_field_find(kb, S(m, "field_key")) : NULL;
		const char *label = fd ? fd->label : S(m, "field_key");
		char id[64];
		rc_fhir_id(id, sizeof id, "measure", I(m, "id"));
		json_t *r = observation(b, id, rc_fhir_pain_loinc(S(m, "field_key")) ? "survey" : "exam",
		                        score_code(b, S(m, "field_key"), label));
		json_object_set_new(r, "encounter", ref_n("Encounter", "note", I(m, "note_id")));
		put(r, "effectiveDateTime", S(m, "visit_day"));
		json_t *note = by_id(b->rows, "notes", I(m, "note_id"));
		if (note)
			json_object_set_new(r, "performer", json_pack("[o]", signer_ref(b, I(note, "signed_by"))));
		rc_fhir_unit u = rc_fhir_ucum(fd && fd->unit ? fd->unit : "");
		int dec = fd ? fd->decimals : 0;
		json_object_set_new(r, "valueQuantity", quantity(dec ? I(m, "value") / 10.0 : (double)I(m, "value"), dec, u.unit,
		                                                 u.code));
		if (*side_words(S(m, "side")))
			json_object_set_new(r, "bodySite", text_concept(side_words(S(m, "side"))));
		add(b, r);
	}
}

static void add_diary(bundle *b)
{
	static const struct {
		const char *col, *key, *label;
	} scores[] = {
		{"pain_rest", "pain_rest", "Pain at rest on waking (0-10), the runner's diary"},
		{"pain_sitting", "pain_sitting", "Pain sitting (0-10), the runner's diary"},
		{"pain_running", "pain_running", "Pain running (0-10), the runner's diary"},
	};
	size_t i;
	json_t *d;
	json_array_foreach(section(b->rows, "diary"), i, d) {
		for (size_t k = 0; k < sizeof scores / sizeof scores[0]; k++) {
			if (!has(d, scores[k].col))
				continue;
			char id[64];
			snprintf(id, sizeof id, "diary-%lld-%s", (long long)I(d, "id"), k == 0 ? "rest" : k == 1 ? "sitting" : "running");
			json_t *r = observation(b, id, "survey", score_code(b, scores[k].key, scores[k].label));
			put(r, "effectiveDateTime", S(d, "day"));
			json_object_set_new(r, "issued", when(I(d, "created_at")));
			json_object_set_new(r, "performer", json_pack("[o]", patient_ref(b)));
			json_object_set_new(r, "valueQuantity", quantity((double)I(d, scores[k].col), 0, "score out of 10", "{score}"));
			if (k == 0 && *S(d, "notes"))
				json_object_set_new(r, "note", json_pack("[{s:s}]", "text", S(d, "notes")));
			add(b, r);
		}
	}
}

static void add_psfs(bundle *b)
{
	size_t i;
	json_t *p;
	json_array_foreach(section(b->rows, "psfs"), i, p) {
		json_t *ratings = json_loads(S(p, "ratings"), 0, NULL), *x;
		size_t k;
		double sum = 0;
		int n = 0;
		json_t *components = json_array();
		json_array_foreach(ratings, k, x) {
			const char *act = json_string_value(json_object_get(x, "activity"));
			json_int_t score = json_integer_value(json_object_get(x, "score"));
			if (!act || !*act)
				continue;
			sum += (double)score;
			n++;
			json_array_append_new(components,
			                      json_pack("{s:o, s:o}", "code", text_concept(act), "valueQuantity",
			                                quantity((double)score, 0, "score out of 10", "{score}")));
		}
		json_decref(ratings);
		if (!n) {
			json_decref(components);
			continue;
		}
		char id[64];
		rc_fhir_id(id, sizeof id, "psfs", I(p, "id"));
		json_t *r = observation(b, id, "survey",
		                        score_code(b, "psfs", "Patient-Specific Functional Scale, average of the activities (0-10)"));
		put(r, "effectiveDateTime", S(p, "day"));
		json_object_set_new(r, "issued", when(I(p, "rated_at")));
		json_object_set_new(r, "performer", json_pack("[o]", patient_ref(b)));
		json_object_set_new(r, "valueQuantity", quantity(sum / n, 1, "score out of 10", "{score}"));
		json_object_set_new(r, "component", components);
		add(b, r);
	}
}

static void add_training_load(bundle *b)
{
	rc_fhir_week *weeks = malloc(RC_FHIR_MAX_WEEKS * sizeof *weeks);
	int n = 0;
	if (!weeks)
		return;
	size_t i;
	json_t *a;
	json_array_foreach(section(b->rows, "activities"), i, a)
		if (!rc_fhir_week_add(weeks, &n, RC_FHIR_MAX_WEEKS, I(a, "start_at"), S(a, "sport"), I(a, "moving_s"),
		                      I(a, "distance_m")))
			break;
	for (int w = 0; w < n; w++) {
		char monday[11], sunday[11], id[64];
		rc_day_name(weeks[w].monday, monday);
		rc_day_name(weeks[w].monday + 6, sunday);
		/* Ids are the server's, not only the bundle's: a week's load names its patient. */
		snprintf(id, sizeof id, "load-%s-%s", b->pid, monday);
		json_t *code = json_pack("{s:[o], s:s}", "coding",
		                         own_coding(b, "measure", "weekly_running_minutes", "Weekly training load: running minutes"),
		                         "text", "Weekly training load: minutes of running (moving time), Monday to Sunday");
		json_t *r = observation(b, id, "activity", code);
		json_object_set_new(r, "effectivePeriod", json_pack("{s:s, s:s}", "start", monday, "end", sunday));
		json_object_set_new(r, "performer", json_pack("[o]", patient_ref(b)));
		json_object_set_new(r, "valueQuantity", quantity(weeks[w].minutes, 0, "min", "min"));
		json_object_set_new(r, "component",
		                    json_pack("[{s:o, s:o}, {s:o, s:i}]", "code",
		                              own_concept(b, "measure", "weekly_running_km", "Distance run", "Distance run"),
		                              "valueQuantity", quantity(weeks[w].km, 1, "km", "km"), "code",
		                              own_concept(b, "measure", "weekly_runs", "Runs", "Runs"), "valueInteger",
		                              weeks[w].runs));
		/* The files the week was added up from. */
		json_t *from = json_array();
		json_array_foreach(section(b->rows, "activities"), i, a) {
			int64_t day = rc_tz_day_number(I(a, "start_at"));
			if (day >= weeks[w].monday && day < weeks[w].monday + 7 && rc_training_is_run(S(a, "sport")))
				json_array_append_new(from, ref_n("DocumentReference", "file", I(a, "id")));
		}
		put_new(r, "derivedFrom", from);
		add(b, r);
	}
	free(weeks);
}

/* The self-check's questions, once: the Questionnaire every QuestionnaireResponse answers. */
static void questionnaire_url(bundle *b, char *out, size_t n)
{
	snprintf(out, n, "%s/fhir/Questionnaire/selfcheck", b->f->base);
}

static void add_questionnaire(bundle *b)
{
	const rc_triage_kb *kb = b->f->know ? b->f->know->triage : NULL;
	if (!kb || !json_array_size(section(b->rows, "selfchecks")))
		return;
	json_t *r = resource("Questionnaire", "selfcheck");
	char url[400];
	questionnaire_url(b, url, sizeof url);
	json_object_set_new(r, "url", json_string(url));
	json_object_set_new(r, "name", json_string("RuncareSelfCheck"));
	json_object_set_new(r, "title", json_string("The runner's self-check: what is likely, how urgent, and why"));
	json_object_set_new(r, "status", json_string("active"));
	json_object_set_new(r, "subjectType", json_pack("[s]", "Patient"));
	json_t *items = json_array();
	for (int i = 0; i < kb->nfindings; i++) {
		const rc_finding *fd = &kb->findings[i];
		json_t *it = json_pack("{s:s, s:s, s:s}", "linkId", fd->key, "text", fd->question ? fd->question : fd->key, "type",
		                       fd->type == RC_FT_BOOL ? "boolean" : fd->type == RC_FT_INT ? "integer" : "choice");
		if (fd->type == RC_FT_ENUM) {
			json_t *opts = json_array();
			for (int v = 0; v < fd->nvalues; v++)
				json_array_append_new(opts, json_pack("{s:o}", "valueCoding", own_coding(b, "selfcheck-answer", fd->values[v], NULL)));
			json_object_set_new(it, "answerOption", opts);
		}
		json_array_append_new(items, it);
	}
	json_object_set_new(r, "item", items);
	add(b, r);
}

static void add_selfchecks(bundle *b)
{
	const rc_triage_kb *kb = b->f->know ? b->f->know->triage : NULL;
	char url[400];
	questionnaire_url(b, url, sizeof url);
	size_t i;
	json_t *s;
	json_array_foreach(section(b->rows, "selfchecks"), i, s) {
		json_t *r = resource_n("QuestionnaireResponse", "selfcheck", I(s, "id"));
		json_object_set_new(r, "questionnaire", json_string(url));
		json_object_set_new(r, "status", json_string("completed"));
		json_object_set_new(r, "subject", patient_ref(b));
		json_object_set_new(r, "authored", when(I(s, "created_at")));
		json_object_set_new(r, "author", patient_ref(b));
		json_t *answers = json_loads(S(s, "answers"), 0, NULL);
		json_t *items = json_array();
		/* In the questionnaire's order, so the same answers give the same resource. */
		for (int k = 0; kb && json_is_object(answers) && k < kb->nfindings; k++) {
			const rc_finding *fd = &kb->findings[k];
			json_t *v = json_object_get(answers, fd->key);
			if (!v)
				continue;
			json_t *it = json_pack("{s:s, s:s}", "linkId", fd->key, "text", fd->question ? fd->question : fd->key);
			json_t *ans = NULL;
			if (json_is_boolean(v))
				ans = json_pack("{s:b}", "valueBoolean", json_is_true(v));
			else if (json_is_integer(v))
				ans = json_pack("{s:I}", "valueInteger", (json_int_t)json_integer_value(v));
			else if (json_is_string(v) && fd->type == RC_FT_ENUM)
				ans = json_pack("{s:o}", "valueCoding", own_coding(b, "selfcheck-answer", json_string_value(v), NULL));
			/* "Don't know" (null or "unknown") is the question asked and left without an answer. */
			if (ans)
				json_object_set_new(it, "answer", json_pack("[o]", ans));
			json_array_append_new(items, it);
		}
		json_decref(answers);
		put_new(r, "item", items);
		add(b, r);
	}
}

static void add_programs(bundle *b)
{
	const rc_programs *progs = b->f->know ? b->f->know->programs : NULL;
	size_t i;
	json_t *p;
	json_array_foreach(section(b->rows, "programs"), i, p) {
		const rc_program *prog = progs ? rc_program_find(progs, S(p, "program_key")) : NULL;
		bool current = !has(p, "ended_at");
		json_t *r = resource_n("CarePlan", "", I(p, "id"));
		json_object_set_new(r, "status", json_string(current ? "active" : "completed"));
		json_object_set_new(r, "intent", json_string("plan"));
		json_object_set_new(r, "category", json_pack("[o]", own_concept(b, "care-plan", "home_program",
		                                                            "Home exercise program", "Home exercise program")));
		put(r, "title", prog ? prog->name : S(p, "program_key"));
		put(r, "description", prog ? prog->summary : NULL);
		json_object_set_new(r, "subject", patient_ref(b));
		json_t *period = json_pack("{s:o}", "start", when(I(p, "started_at")));
		if (!current)
			json_object_set_new(period, "end", when(I(p, "ended_at")));
		json_object_set_new(r, "period", period);
		json_t *activities = json_array();
		int stage = (int)I(p, "stage");
		for (int s = 0; prog && s < prog->nstages; s++) {
			if (prog->stages[s].n != stage)
				continue;
			for (int k = 0; k < prog->stages[s].nitems; k++) {
				const rc_stage_item *it = &prog->stages[s].items[k];
				char dose[200];
				if (it->hold_s > 0)
					snprintf(dose, sizeof dose, "Stage %d (%s): %d × %d, hold %d s", stage, prog->stages[s].name,
					         it->sets, it->reps, it->hold_s);
				else
					snprintf(dose, sizeof dose, "Stage %d (%s): %d sets of %d", stage, prog->stages[s].name, it->sets,
					         it->reps);
				json_t *detail = json_pack("{s:o, s:s, s:s}", "code",
				                           own_concept(b, "exercise", it->key, it->ex ? it->ex->name : it->key,
				                                   it->ex ? it->ex->name : it->key),
				                           "status", current ? "in-progress" : "completed", "description", dose);
				json_array_append_new(activities, json_pack("{s:o}", "detail", detail));
			}
		}
		put_new(r, "activity", activities);
		if (*S(p, "note"))
			json_object_set_new(r, "note", json_pack("[{s:s}]", "text", S(p, "note")));
		add(b, r);
	}
}

static const char *treatment_words(const char *kind)
{
	static const char *const k[][2] = {
		{"acupuncture", "Acupuncture"}, {"electro_acupuncture", "Electro-acupuncture"}, {"dry_needling", "Dry needling"},
		{"soft_tissue", "Soft-tissue massage"}, {"manual_therapy", "Manual therapy"}, {"taping", "Taping"},
		{"education", "Education"}, {"home_program", "Home exercise program"},
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		if (strcmp(k[i][0], kind) == 0)
			return k[i][1];
	return kind;
}

static void add_procedures(bundle *b)
{
	const rc_chart_kb *kb = b->f->know ? b->f->know->kb : NULL;
	size_t i, j;
	json_t *t, *pt;
	json_array_foreach(section(b->rows, "treatments"), i, t) {
		json_t *note = by_id(b->rows, "notes", I(t, "note_id"));
		if (!note)
			continue;
		json_t *r = resource_n("Procedure", "treatment", I(t, "id"));
		json_object_set_new(r, "status", json_string("completed"));
		json_object_set_new(r, "code", own_concept(b, "treatment", S(t, "kind"), treatment_words(S(t, "kind")),
		                                       treatment_words(S(t, "kind"))));
		json_object_set_new(r, "subject", patient_ref(b));
		json_object_set_new(r, "encounter", ref_n("Encounter", "note", I(note, "id")));
		put(r, "performedDateTime", S(note, "visit_day"));
		json_object_set_new(r, "performer", json_pack("[{s:o}]", "actor", signer_ref(b, I(note, "signed_by"))));
		json_object_set_new(r, "reasonReference", json_pack("[o]", ref_n("Condition", "", I(note, "episode_id"))));
		/* Where: the acupuncture points by their WHO codes, else the region. */
		json_t *sites = json_array();
		json_array_foreach(section(b->rows, "points"), j, pt) {
			if (I(pt, "treatment_id") != I(t, "id"))
				continue;
			const rc_acupoint *ap = kb ? rc_acupoint_find(kb, S(pt, "code")) : NULL;
			char display[160], text[200];
			snprintf(display, sizeof display, "%s%s%s", S(pt, "code"), ap && ap->name ? " " : "", ap && ap->name ? ap->name : "");
			snprintf(text, sizeof text, "%s%s%s", display, *side_words(S(pt, "side")) ? ", " : "", side_words(S(pt, "side")));
			json_array_append_new(sites, own_concept(b, "who-acupuncture-point", S(pt, "code"), display, text));
		}
		if (!json_array_size(sites) && *S(t, "region")) {
			char text[200];
			snprintf(text, sizeof text, "%s%s%s", S(t, "region"), *side_words(S(t, "side")) ? ", " : "", side_words(S(t, "side")));
			json_array_append_new(sites, own_concept(b, "region", S(t, "region"), NULL, text));
		}
		put_new(r, "bodySite", sites);
		/* The rest of what was done, in words. */
		char detail[1400];
		int len = 0;
		detail[0] = 0;
#define ADD(...) \
	if (len >= 0 && (size_t)len < sizeof detail) \
		len += snprintf(detail + len, sizeof detail - (size_t)len, __VA_ARGS__)
		if (has(t, "needles"))
			ADD("%lld needles. ", (long long)I(t, "needles"));
		if (has(t, "minutes"))
			ADD("%lld minutes. ", (long long)I(t, "minutes"));
		if (has(t, "hz"))
			ADD("%lld Hz. ", (long long)I(t, "hz"));
		if (*S(t, "muscle"))
			ADD("Muscle: %s. ", S(t, "muscle"));
		if (*S(t, "technique"))
			ADD("Technique: %s. ", S(t, "technique"));
		if (*S(t, "topic"))
			ADD("Topic: %s. ", S(t, "topic"));
		if (*S(t, "program_key"))
			ADD("Program: %s, stage %lld. ", S(t, "program_key"), (long long)I(t, "stage"));
		if (*S(t, "detail"))
			ADD("%s", S(t, "detail"));
#undef ADD
		while (len > 0 && (size_t)len <= sizeof detail && detail[len - 1] == ' ')
			detail[--len] = 0;
		if (detail[0])
			json_object_set_new(r, "note", json_pack("[{s:s}]", "text", detail));
		add(b, r);
	}
}

static json_t *attachment_text(const char *content_type, const char *text, const char *title, int64_t created)
{
	size_t n = strlen(text);
	char *b64 = malloc(4 * ((n + 2) / 3) + 1);
	if (!b64)
		return NULL;
	rc_base64_encode((const unsigned char *)text, n, b64);
	json_t *a = json_pack("{s:s, s:s, s:s, s:o}", "contentType", content_type, "data", b64, "title", title, "creation",
	                      when(created));
	free(b64);
	return a;
}

/* A signed note in words: its four parts, then each addendum with its date. */
static char *note_text(bundle *b, json_t *n)
{
	json_t *body = json_loads(S(n, "body"), 0, NULL);
	static const char *const parts[][2] = {{"subjective", "Subjective"}, {"objective", "Objective"},
	                                       {"assessment", "Assessment"}, {"plan", "Plan"}};
	size_t cap = strlen(S(n, "body")) + 256, len = 0;
	json_t *ad;
	size_t i;
	json_array_foreach(section(b->rows, "addenda"), i, ad) if (I(ad, "note_id") == I(n, "id")) cap += strlen(S(ad, "text")) + 80;
	char *out = malloc(cap);
	if (!out) {
		json_decref(body);
		return NULL;
	}
	out[0] = 0;
	for (size_t k = 0; k < 4; k++) {
		const char *v = json_string_value(json_object_get(body, parts[k][0]));
		if (v && *v)
			len += (size_t)snprintf(out + len, cap - len, "%s: %s\n\n", parts[k][1], v);
	}
	json_array_foreach(section(b->rows, "addenda"), i, ad) {
		if (I(ad, "note_id") != I(n, "id"))
			continue;
		char at[40];
		rc_tz_rfc3339(I(ad, "created_at"), at, sizeof at);
		len += (size_t)snprintf(out + len, cap - len, "Addendum, %s: %s\n\n", at, S(ad, "text"));
	}
	json_decref(body);
	return out;
}

static void add_documents(bundle *b)
{
	size_t i;
	json_t *n, *a;
	json_array_foreach(section(b->rows, "notes"), i, n) {
		json_t *r = resource_n("DocumentReference", "note", I(n, "id"));
		const char *kind = S(n, "kind");
		json_object_set_new(r, "status", json_string("current"));
		json_object_set_new(r, "docStatus", json_string("final"));
		json_object_set_new(r, "type", strcmp(kind, "discharge") == 0   ? concept(SYS_LOINC, "18842-5", "Discharge summary", "Discharge note")
		                               : strcmp(kind, "initial") == 0 ? concept(SYS_LOINC, "34109-9", "Note", "Initial assessment note")
		                                                              : concept(SYS_LOINC, "11506-3", "Progress note", "Follow-up visit note"));
		json_object_set_new(r, "category", json_pack("[o]", own_concept(b, "document", "clinical_note",
		                                                            "Signed clinical note", "Signed clinical note")));
		json_object_set_new(r, "subject", patient_ref(b));
		json_object_set_new(r, "date", when(I(n, "signed_at")));
		json_object_set_new(r, "author", json_pack("[o]", signer_ref(b, I(n, "signed_by"))));
		json_object_set_new(r, "authenticator", signer_ref(b, I(n, "signed_by")));
		put(r, "description", S(n, "summary"));
		char *text = note_text(b, n);
		char title[80];
		snprintf(title, sizeof title, "%s, %s", note_kind_words(kind), S(n, "visit_day"));
		json_t *att = text ? attachment_text("text/plain; charset=utf-8", text, title, I(n, "signed_at")) : NULL;
		free(text);
		if (att)
			json_object_set_new(r, "content", json_pack("[{s:o}]", "attachment", att));
		else
			json_object_set_new(r, "content", json_pack("[{s:{s:s}}]", "attachment", "title", title));
		json_object_set_new(r, "context", json_pack("{s:[o], s:{s:s}}", "encounter", ref_n("Encounter", "note", I(n, "id")),
		                                            "period", "start", S(n, "visit_day")));
		add(b, r);
	}
	json_array_foreach(section(b->rows, "activities"), i, a) {
		json_t *r = resource_n("DocumentReference", "file", I(a, "id"));
		const char *fmt = S(a, "format");
		const char *ctype = strcmp(fmt, "gpx") == 0      ? "application/gpx+xml"
		                    : strcmp(fmt, "tcx") == 0    ? "application/vnd.garmin.tcx+xml"
		                    : strcmp(fmt, "manual") == 0 ? "text/csv" /* its row of the platform's list */
		                                                 : "application/vnd.ant.fit";
		json_object_set_new(r, "status", json_string("current"));
		char tt[60];
		snprintf(tt, sizeof tt, "Training file (%s)", fmt);
		json_object_set_new(r, "type", own_concept(b, "document", "training_file", "Training file", tt));
		json_object_set_new(r, "subject", patient_ref(b));
		json_object_set_new(r, "date", when(I(a, "imported_at")));
		json_object_set_new(r, "author", json_pack("[o]", patient_ref(b)));
		char desc[400];
		snprintf(desc, sizeof desc, "%s: %.2f km in %lld min (moving %lld min), %lld m climbed", *S(a, "sport") ? S(a, "sport") : "activity",
		         (double)I(a, "distance_m") / 1000.0, (long long)I(a, "duration_s") / 60, (long long)I(a, "moving_s") / 60,
		         (long long)I(a, "gain_m"));
		json_object_set_new(r, "description", json_string(desc));
		const char *slash = strrchr(S(a, "source"), '/');
		json_t *att = json_pack("{s:s, s:s, s:o}", "contentType", ctype, "title",
		                        slash && slash[1] ? slash + 1 : S(a, "source"), "creation",
		                        when(I(a, "start_at")));
		char key[200];
		snprintf(key, sizeof key, "%lld/%s", (long long)I(a, "id"), S(a, "source"));
		const char *data = json_string_value(json_object_get(json_object_get(b->rows, "file_data"), key));
		if (data && *data)
			json_object_set_new(att, "data", json_string(data));
		json_object_set_new(r, "content", json_pack("[{s:o}]", "attachment", att));
		json_object_set_new(r, "context", json_pack("{s:{s:o, s:o}}", "period", "start", when(I(a, "start_at")), "end",
		                                            when(I(a, "start_at") + I(a, "duration_s"))));
		add(b, r);
	}
}

static void add_alerts(bundle *b, json_t *pt)
{
	char alerts[RC_ALERTS_MAX + 1];
	snprintf(alerts, sizeof alerts, "%s", S(pt, "alerts"));
	const char *note = S(pt, "alert_note");
	for (char *save = NULL, *k = strtok_r(alerts, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
		const rc_chart_alert *al = rc_chart_alert_find(k);
		const char *label = al ? al->label : k;
		char id[64];
		if (strcmp(k, "allergies") == 0) {
			json_t *r = resource_n("AllergyIntolerance", "allergies", b->patient);
			json_object_set_new(r, "clinicalStatus", concept(SYS_TERMINOLOGY "allergyintolerance-clinical", "active",
			                                                 "Active", NULL));
			json_object_set_new(r, "verificationStatus", concept(SYS_TERMINOLOGY "allergyintolerance-verification",
			                                                     "unconfirmed", "Unconfirmed", NULL));
			json_object_set_new(r, "code", text_concept(*note ? note : label));
			json_object_set_new(r, "patient", patient_ref(b));
			if (has(pt, "updated_at"))
				json_object_set_new(r, "recordedDate", when(I(pt, "updated_at")));
			json_object_set_new(r, "note", json_pack("[{s:s}]", "text", label));
			add(b, r);
			continue;
		}
		char prefix[40];
		snprintf(prefix, sizeof prefix, "alert-%s", b->pid);
		rc_fhir_key_id(id, sizeof id, prefix, k);
		json_t *r = resource("Flag", id);
		json_object_set_new(r, "status", json_string("active"));
		json_object_set_new(r, "category", json_pack("[o]", concept(SYS_TERMINOLOGY "flag-category", "clinical", "Clinical", NULL)));
		char text[RC_ALERT_NOTE_MAX + 200];
		snprintf(text, sizeof text, "%s%s%s", label, *note ? ": " : "", note);
		json_object_set_new(r, "code", own_concept(b, "alert", k, label, text));
		json_object_set_new(r, "subject", patient_ref(b));
		if (has(pt, "updated_at"))
			json_object_set_new(r, "period", json_pack("{s:o}", "start", when(I(pt, "updated_at"))));
		add(b, r);
	}
}

/* --- the use cases ------------------------------------------------------------------------------- */

/* The rows of the patient's record and, with file, each original training file, in one snapshot;
 * the files up to RC_FHIR_INLINE_BYTES also go into the rows ("file_data": "activity id/file name" →
 * base64; an activity read from two platforms keeps two files, and its source names the one whose
 * figures it has) for the bundle's attachments. RC_ENOTFOUND when the id holds no live patient. */
typedef struct files_ctx {
	json_t *inline_data;
	size_t inline_bytes;
	rc_activity_file_fn file;
	void *ctx;
} files_ctx;

static int each_file(void *p, int64_t activity_id, const char *name, const unsigned char *data, size_t len)
{
	files_ctx *c = p;
	if (c->inline_bytes + len <= RC_FHIR_INLINE_BYTES) {
		char *b64 = malloc(4 * ((len + 2) / 3) + 1);
		if (b64) {
			char key[200];
			snprintf(key, sizeof key, "%lld/%s", (long long)activity_id, name);
			rc_base64_encode(data, len, b64);
			json_object_set_new(c->inline_data, key, json_string(b64));
			free(b64);
			c->inline_bytes += len;
		}
	}
	return c->file ? c->file(c->ctx, activity_id, name, data, len) : 0;
}

static rc_err read_record(const rc_uc *uc, int64_t patient, rc_activity_file_fn file, void *ctx, json_t **rows,
                          rc_problem *p)
{
	*rows = NULL;
	files_ctx fc = {.inline_data = json_object(), .file = file, .ctx = ctx};
	rc_err e = fc.inline_data ? rc_db_begin_snapshot(uc->db) : RC_ENOMEM;
	if (!e) {
		e = rc_fhir_rows(uc->db, patient, rows);
		if (!e && json_array_size(json_object_get(*rows, "patient")))
			e = rc_activity_files_each(uc->db, patient, each_file, &fc);
		rc_db_rollback(uc->db);
	}
	if (e) {
		json_decref(fc.inline_data);
		json_decref(*rows);
		*rows = NULL;
		return rc_problem_set(p, e, NULL, "The record could not be read; try again in a moment.");
	}
	json_object_set_new(*rows, "file_data", fc.inline_data);
	if (!json_array_size(json_object_get(*rows, "patient"))) {
		json_decref(*rows);
		*rows = NULL;
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such patient.");
	}
	return RC_OK;
}

/* The Bundle of the rows (NULL when out of memory). */
static json_t *build(const rc_uc *uc, const rc_fhir_ctx *f, json_t *rows, unsigned mask, int64_t patient)
{
	json_t *pt = json_array_get(section(rows, "patient"), 0);
	bundle b = {.f = f, .rows = rows, .entries = json_array(), .mask = mask, .patient = patient};
	rc_fhir_id(b.pid, sizeof b.pid, "", patient);
	snprintf(b.sys, sizeof b.sys, "%s/fhir/CodeSystem/", f->base);
	add_patient(&b, pt);
	add_organization(&b);
	add_practitioners(&b);
	add_appointments(&b);
	add_encounters(&b);
	add_episodes(&b);
	add_measures(&b);
	add_diary(&b);
	add_psfs(&b);
	add_training_load(&b);
	add_questionnaire(&b);
	add_selfchecks(&b);
	add_programs(&b);
	add_procedures(&b);
	add_documents(&b);
	add_alerts(&b, pt);
	char self[600], id[64];
	snprintf(self, sizeof self, "%s/fhir/Patient/%lld/$everything", f->base, (long long)patient);
	rc_fhir_id(id, sizeof id, "everything", patient);
	return json_pack("{s:s, s:s, s:s, s:o, s:I, s:[{s:s, s:s}], s:o}", "resourceType", "Bundle", "id", id, "type",
	                 "searchset", "timestamp", when(uc->now), "total", (json_int_t)json_array_size(b.entries), "link",
	                 "relation", "self", "url", self, "entry", b.entries);
}

static rc_err refuse(rc_problem *p, const char *field, const char *fmt, const char *what)
{
	return rc_problem_set(p, RC_EINVAL, field, fmt, what);
}

rc_err rc_app_fhir_everything(const rc_uc *uc, const rc_fhir_ctx *f, int64_t patient, const rc_fhir_param *params,
                              int nparams, json_t **out, rc_problem *p)
{
	unsigned mask = RC_FHIR_ALL_TYPES;
	for (int i = 0; i < nparams; i++) {
		if (strcmp(params[i].name, "_type") == 0) {
			char bad[64];
			unsigned m;
			if (!rc_fhir_parse_types(params[i].value, &m, bad, sizeof bad))
				return refuse(p, "_type", "_type names '%s', which this server does not return; it returns Patient, "
				                          "Organization, Practitioner, PractitionerRole, Appointment, Encounter, "
				                          "EpisodeOfCare, Condition, Observation, Questionnaire, QuestionnaireResponse, "
				                          "CarePlan, Procedure, DocumentReference, AllergyIntolerance and Flag.",
				              bad);
			mask = m;
		} else {
			return refuse(p, params[i].name, "The parameter '%s' is not supported by Patient/$everything here; the "
			                                 "one it takes is _type.",
			              params[i].name);
		}
	}
	/* The runner reads their own record; clinicians anyone's; anybody else learns nothing. */
	/* The machine's operator (the command line: an administrator with no account) reads any. */
	bool operator_ = uc->actor->id == 0 && uc->actor->role == RC_ROLE_ADMIN;
	if (patient <= 0 || !(operator_ || rc_chart_clinician(uc->actor) || (uc->actor->id && uc->actor->id == patient)))
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such patient.");
	json_t *rows = NULL;
	rc_err e = read_record(uc, patient, NULL, NULL, &rows, p);
	if (e)
		return e;
	json_t *doc = build(uc, f, rows, mask, patient);
	json_decref(rows);
	if (!doc)
		return rc_problem_set(p, RC_ENOMEM, NULL, "The record could not be written.");
	char detail[120];
	snprintf(detail, sizeof detail, "FHIR Patient/$everything, %zu resources",
	         json_array_size(json_object_get(doc, "entry")));
	e = rc_audit_add(uc->db, uc->now, uc->actor, "fhir.everything", patient, detail, uc->address ? uc->address : "");
	if (e) {
		json_decref(doc);
		return rc_problem_set(p, e, NULL, "The record could not be read; try again in a moment.");
	}
	*out = doc;
	return RC_OK;
}

rc_err rc_app_download(const rc_uc *uc, const rc_fhir_ctx *f, rc_activity_file_fn file, void *ctx, json_t **rows,
                       json_t **doc, rc_problem *p)
{
	*rows = *doc = NULL;
	if (!uc->actor->id)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such patient.");
	rc_err e = read_record(uc, uc->actor->id, file, ctx, rows, p);
	if (e)
		return e;
	*doc = build(uc, f, *rows, RC_FHIR_ALL_TYPES, uc->actor->id);
	if (!*doc) {
		json_decref(*rows);
		*rows = NULL;
		return rc_problem_set(p, RC_ENOMEM, NULL, "The record could not be written.");
	}
	e = rc_audit_add(uc->db, uc->now, uc->actor, "account.export", uc->actor->id, "the readable download (zip)",
	                 uc->address ? uc->address : "");
	if (e) {
		json_decref(*rows);
		json_decref(*doc);
		*rows = *doc = NULL;
		return rc_problem_set(p, e, NULL, "The record could not be read; try again in a moment.");
	}
	return RC_OK;
}

rc_err rc_app_fhir_read(const rc_uc *uc, const rc_fhir_ctx *f, const char *type, const char *id, json_t **out,
                        rc_problem *p)
{
	*out = NULL;
	int64_t n = 0;
	unsigned bit = rc_fhir_type_bit(type);
	rc_fhir_owner_src src = bit ? rc_fhir_id_owner(type, id, &n) : RC_FHIR_OWN_NONE;
	if (!bit)
		return rc_problem_set(p, RC_EUNSUPPORTED, NULL, "This server does not serve %.40s resources.", type);
	if (src == RC_FHIR_OWN_NONE)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no %.40s with that id.", type);
	bool operator_ = uc->actor->id == 0 && uc->actor->role == RC_ROLE_ADMIN;
	json_t *rows = NULL;
	int64_t patient = 0;
	rc_err e;
	if (src == RC_FHIR_OWN_SHARED) {
		/* The clinic, a practitioner, the questionnaire: anyone signed in. */
		if (!uc->actor->id && !operator_)
			return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no %.40s with that id.", type);
		e = rc_fhir_shared_rows(uc->db, n, &rows);
		if (e)
			return rc_problem_set(p, e, NULL, "The record could not be read; try again in a moment.");
		json_object_set_new(rows, "selfchecks", json_pack("[{}]"));
	} else {
		if ((e = rc_fhir_owner(uc->db, src, n, &patient)))
			return rc_problem_set(p, e, NULL, "The record could not be read; try again in a moment.");
		/* The runner their own; clinicians anyone's; for anybody else it does not exist. */
		if (!patient || !(operator_ || rc_chart_clinician(uc->actor) || uc->actor->id == patient))
			return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no %.40s with that id.", type);
		if ((e = read_record(uc, patient, NULL, NULL, &rows, p)))
			return e;
	}
	json_t *doc = build(uc, f, rows, bit, patient);
	json_decref(rows);
	size_t i;
	json_t *entry;
	json_array_foreach(json_object_get(doc, "entry"), i, entry) {
		json_t *r = json_object_get(entry, "resource");
		if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0) {
			*out = json_incref(r);
			break;
		}
	}
	json_decref(doc);
	if (!*out)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no %.40s with that id.", type);
	if (patient) {
		char detail[160];
		snprintf(detail, sizeof detail, "FHIR read %.40s/%.64s", type, id);
		if ((e = rc_audit_add(uc->db, uc->now, uc->actor, "fhir.read", patient, detail, uc->address ? uc->address : ""))) {
			json_decref(*out);
			*out = NULL;
			return rc_problem_set(p, e, NULL, "The record could not be read; try again in a moment.");
		}
	}
	return RC_OK;
}

json_t *rc_app_fhir_capability(const rc_fhir_ctx *f, int64_t now)
{
	char url[400];
	snprintf(url, sizeof url, "%s/fhir", f->base);
	json_t *resources = json_array();
	json_array_append_new(
		resources,
		json_pack("{s:s, s:[{s:s, s:s}], s:[{s:s, s:s, s:s}]}", "type", "Patient", "interaction", "code", "read",
		          "documentation", "The runner their own; practitioners and administrators any patient.", "operation",
		          "name", "everything", "definition", "http://hl7.org/fhir/OperationDefinition/Patient-everything",
		          "documentation",
		          "GET only. The runner for their own record; practitioners and administrators for any patient. "
		          "Parameter: _type (a comma-separated list of the types below). Any other parameter is refused "
		          "with an OperationOutcome (400)."));
	/* The types the bundle holds: each read by its id too; nothing is searched. */
	for (int i = 1; i < RC_FHIR_NTYPES; i++)
		json_array_append_new(resources, json_pack("{s:s, s:[{s:s}], s:s}", "type", rc_fhir_types[i], "interaction",
		                                           "code", "read", "documentation",
		                                           "Read by id (the ids Patient/$everything gives); a patient's "
		                                           "resources to that runner and to clinicians, the clinic, "
		                                           "practitioners and the questionnaire to anyone signed in."));
	json_t *cs = json_pack(
		"{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:[s], s:[{s:s, s:{s:b, s:s}, s:o}]}",
		"resourceType", "CapabilityStatement", "id", "runcare", "status", "active", "kind", "instance", "date", when(now),
		"publisher", f->clinic && f->clinic->name ? f->clinic->name : "runcare", "description",
		"runcare's FHIR R4 interface: read-only. A patient's whole record as a Bundle through Patient/$everything, and "
		"each of its resources read by id; nothing is created, updated, deleted or searched.",
		"software", "name", "runcare", "version", "0.1.0", "implementation", "description", "runcare", "url", url,
		"fhirVersion", "4.0.1", "format", "application/fhir+json", "rest", "mode", "server", "security", "cors", 0,
		"description",
		"An API token (runcare token create) as 'Authorization: Bearer TOKEN', or a signed-in browser session.",
		"resource", resources);
	return cs;
}

json_t *rc_app_fhir_outcome(const char *code, const char *text, const char *expression)
{
	json_t *issue = json_pack("{s:s, s:s, s:{s:s}}", "severity", "error", "code", code, "details", "text", text);
	if (expression && *expression)
		json_object_set_new(issue, "expression", json_pack("[s]", expression));
	return json_pack("{s:s, s:[o]}", "resourceType", "OperationOutcome", "issue", issue);
}
