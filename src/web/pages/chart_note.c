/* chart_note.c — a visit's note: the editor (SOAP from a template, the structured findings, the body chart,
 * treatments given) for a new note or a draft, and the signed note, locked, with its addenda. Names of form
 * fields are the names the use case gives its problems (findings.slr_angle.left, treatments[0].points), so
 * an error stands beside its field and what was typed comes back as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/chart.h"
#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/chart_common.h"
#include "web/pages/pages.h"

enum { SLOTS_MAX = RC_NOTE_MAX_TREATMENTS + 8 }; /* treatment slots a form may post */

static void fail(rc_req *r, rc_err e, const rc_problem *p)
{
	rc_page_error(r, rc_chart_status(e), p->text[0] ? p->text : "The note could not be read or saved; try again.");
}

static const char *int_text(rc_req *r, int64_t v)
{
	return v ? rc_arena_printf(&r->arena, "%lld", (long long)v) : "";
}

/* --- reading the form ------------------------------------------------------------------------------------ */

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\r' && *s != '\n' && *s != '\t')
			return false;
	return true;
}

static int64_t form_id(rc_req *r, const char *name)
{
	const char *s = rc_req_form(r, name);
	return s && *s ? strtoll(s, NULL, 10) : 0;
}

/* The note as the editor posted it. Empty treatment slots are left out; the rest keep their order. */
static void read_form(rc_req *r, rc_note_in *in)
{
	memset(in, 0, sizeof *in);
	in->episode = form_id(r, "episode_id");
	in->appointment = form_id(r, "appointment_id");
	in->kind = rc_req_form(r, "kind");
	in->template_key = rc_req_form(r, "template");
	in->visit_day = rc_req_form(r, "visit_day");
	in->subjective = rc_req_form(r, "subjective");
	in->objective = rc_req_form(r, "objective");
	in->assessment = rc_req_form(r, "assessment");
	in->plan = rc_req_form(r, "plan");
	in->expected_version = form_id(r, "version");
	const char *action = rc_req_form(r, "action");
	in->sign = action && strcmp(action, "sign") == 0;
	rc_treatment_in *slots = rc_arena_alloc(&r->arena, sizeof *slots * SLOTS_MAX);
	int nslots = 0;
	for (size_t i = 0; i < r->form.n; i++) {
		const rc_field *f = &r->form.fields[i];
		if (f->filename)
			continue;
		if (strncmp(f->name, "findings.", 9) == 0) {
			if (in->nfindings > RC_NOTE_MAX_FINDINGS)
				continue;
			char key[64];
			snprintf(key, sizeof key, "%s", f->name + 9);
			char *dot = strchr(key, '.');
			const char *side = "";
			if (dot) {
				*dot = '\0';
				side = f->name + 9 + (dot - key) + 1;
			}
			if (blank(f->value))
				continue;
			in->findings[in->nfindings++] = (rc_note_field_in){rc_arena_strdup(&r->arena, key), side, f->value};
		} else if (strcmp(f->name, "marks") == 0) {
			if (in->nmarks <= RC_NOTE_MAX_MARKS)
				in->marks[in->nmarks++] = f->value;
		} else if (strncmp(f->name, "treatments[", 11) == 0 && slots) {
			char *end;
			long k = strtol(f->name + 11, &end, 10);
			if (k < 0 || k >= SLOTS_MAX || strncmp(end, "].", 2) != 0)
				continue;
			if (k >= nslots) {
				memset(slots + nslots, 0, sizeof *slots * (size_t)(k + 1 - nslots));
				nslots = (int)k + 1;
			}
			rc_treatment_in *t = &slots[k];
			const char *name = end + 2;
			static const char *const names[] = {"kind", "points", "needles", "minutes", "hz", "stage", "side",
			                                    "muscle", "region", "technique", "topic", "detail", "program"};
			const char **dst[] = {&t->kind, &t->points, &t->needles, &t->minutes, &t->hz, &t->stage, &t->side,
			                      &t->muscle, &t->region, &t->technique, &t->topic, &t->detail, &t->program};
			for (size_t n = 0; n < sizeof names / sizeof names[0]; n++)
				if (strcmp(name, names[n]) == 0)
					*dst[n] = f->value;
		}
	}
	for (int k = 0; k < nslots; k++) {
		const rc_treatment_in *t = &slots[k];
		const char *vals[] = {t->points, t->needles, t->minutes, t->hz, t->stage, t->side, t->muscle, t->region,
		                      t->technique, t->topic, t->detail, t->program};
		bool empty = true;
		for (size_t n = 0; n < sizeof vals / sizeof vals[0]; n++)
			empty &= blank(vals[n]);
		if (!empty && in->ntreatments <= RC_NOTE_MAX_TREATMENTS)
			in->treatments[in->ntreatments++] = *t;
	}
}

/* --- the editor ---------------------------------------------------------------------------------------------- */

static const char *finding_value(const rc_note_in *in, const char *key, const char *side)
{
	for (int i = 0; i < in->nfindings && i < RC_NOTE_MAX_FINDINGS; i++)
		if (strcmp(in->findings[i].key, key) == 0 && strcmp(in->findings[i].side ? in->findings[i].side : "", side) == 0)
			return in->findings[i].value;
	return "";
}

static void finding_input(rc_req *r, const rc_chart_field *f, const char *side, const rc_note_in *in,
                          const rc_problem *p)
{
	const char *name = rc_arena_printf(&r->arena, "findings.%s%s%s", f->key, *side ? "." : "", side);
	const char *label = *side ? rc_arena_printf(&r->arena, "%s", side[0] == 'l' ? "Left" : "Right") : f->label;
	const char *value = finding_value(in, f->key, side);
	static const rc_chart_opt test[] = {{"positive", "positive"}, {"negative", "negative"}};
	rc_chart_opt opts[RC_CHART_FIELD_CHOICES];
	switch (f->type) {
	case RC_FIELD_INT:
		rc_chart_text(r, name, label, "number", value, p, false, NULL);
		break;
	case RC_FIELD_TEST:
		rc_chart_select(r, name, label, test, 2, value, p, true);
		break;
	case RC_FIELD_CHOICE:
		for (int i = 0; i < f->nchoices; i++)
			opts[i] = (rc_chart_opt){f->choices[i].key, f->choices[i].label};
		rc_chart_select(r, name, label, opts, f->nchoices, value, p, true);
		break;
	case RC_FIELD_TEXT:
		rc_chart_text(r, name, label, "text", value, p, false, NULL);
		break;
	}
}

static void findings(rc_req *r, const rc_chart_template *tm, const rc_note_in *in, const rc_problem *p)
{
	rc_buf *b = &r->out;
	for (int i = 0; i < tm->nfields; i++) {
		const rc_chart_field *f = tm->fields[i];
		if (f->sided) {
			rc_html_lit(b, "<fieldset class=\"finding sided\"><legend>");
			rc_html_text(b, f->label);
			rc_html_lit(b, "</legend>");
			finding_input(r, f, "left", in, p);
			finding_input(r, f, "right", in, p);
		} else {
			rc_html_lit(b, "<div class=\"finding\">");
			finding_input(r, f, "", in, p);
		}
		if (f->type == RC_FIELD_TEST) {
			rc_html_lit(b, "<p class=\"source\">");
			rc_html_text(b, f->source);
			rc_html_lit(b, "</p>");
		}
		if (f->sided)
			rc_html_lit(b, "</fieldset>\n");
		else
			rc_html_lit(b, "</div>\n");
	}
}

static void body_marks(rc_req *r, const rc_note_in *in, const rc_problem *p)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<fieldset class=\"bodychart\"><legend>Where it hurts</legend>\n");
	if (p && p->field && strcmp(p->field, "marks") == 0) {
		rc_html_lit(b, "<p class=\"field-error\">");
		rc_html_text(b, p->text);
		rc_html_lit(b, "</p>");
	}
	const char *marks[RC_NOTE_MAX_MARKS];
	int n = 0;
	for (int i = 0; i < in->nmarks && i < RC_NOTE_MAX_MARKS; i++)
		marks[n++] = in->marks[i];
	/* The drawing shows what is ticked; the list is how it is ticked, with a keyboard or without scripts. */
	rc_html_lit(b, "<div class=\"bodychart-grid\"><figure>");
	rc_chart_body_svg(b, "bc-title", marks, n, false);
	rc_html_lit(b, "</figure><div class=\"marks\">");
	for (int view = 0; view < 2; view++) {
		rc_html_lit(b, "<p class=\"marks-h\">");
		rc_html_text(b, view ? "Back" : "Front");
		rc_html_lit(b, "</p><ul>");
		for (int i = 0; i < rc_body_nmarks; i++) {
			const rc_body_mark *m = &rc_body_marks[i];
			if (m->back != (view == 1))
				continue;
			bool on = false;
			for (int j = 0; j < n; j++)
				on |= strcmp(marks[j], m->key) == 0;
			rc_html_lit(b, "<li><label class=\"choice\"><input type=\"checkbox\" name=\"marks\" id=\"mk-");
			rc_html_text(b, m->key);
			rc_html_lit(b, "\" value=\"");
			rc_html_text(b, m->key);
			rc_html_lit(b, "\"");
			if (on)
				rc_html_lit(b, " checked");
			rc_html_lit(b, "> ");
			rc_html_text(b, m->label);
			rc_html_lit(b, "</label></li>");
		}
		rc_html_lit(b, "</ul>");
	}
	rc_html_lit(b, "</div></div></fieldset>\n");
}

static void options_of(rc_req *r, const rc_chart_options *o, rc_chart_opt **out, int *n)
{
	*out = rc_arena_alloc(&r->arena, sizeof **out * (size_t)(o->n + 1));
	*n = 0;
	for (int i = 0; *out && i < o->n; i++)
		(*out)[(*n)++] = (rc_chart_opt){o->v[i].key, o->v[i].label};
}

static const char *tname(rc_req *r, int i, const char *field)
{
	return rc_arena_printf(&r->arena, "treatments[%d].%s", i, field);
}

static void slot(rc_req *r, int i, const rc_treatment_in *t, const rc_problem *p)
{
	rc_buf *b = &r->out;
	const rc_chart_kb *kb = r->app->chart;
	const char *kind = t->kind ? t->kind : "";
	bool needle = strcmp(kind, "acupuncture") == 0 || strcmp(kind, "electro_acupuncture") == 0;
	rc_html_lit(b, "<fieldset class=\"treatment\"><legend>");
	rc_html_text(b, needle ? "Acupuncture" : rc_treatment_kind_label(kind) ? rc_treatment_kind_label(kind) : kind);
	rc_html_lit(b, "</legend>\n");
	static const rc_chart_opt sides[] = {{"left", "left"}, {"right", "right"}, {"both", "both"}};
	rc_chart_opt *opts;
	int n;
	if (needle) {
		static const rc_chart_opt kinds[] = {{"acupuncture", "Acupuncture"}, {"electro_acupuncture", "Electro-acupuncture"}};
		rc_chart_select(r, tname(r, i, "kind"), "Kind", kinds, 2, kind, p, false);
		rc_chart_area(r, tname(r, i, "points"), "Points", t->points, 2, 800, p,
		              "WHO codes with their side: BL40 both, GB30 L, GV20 (GV and CV points are on the midline: no side)");
		rc_html_lit(b, "<div class=\"row\">");
		rc_chart_text(r, tname(r, i, "needles"), "Needles", "number", t->needles, p, false, "empty: one a site");
		rc_chart_text(r, tname(r, i, "minutes"), "Retention, minutes", "number", t->minutes, p, false, NULL);
		rc_chart_text(r, tname(r, i, "hz"), "Frequency, Hz", "number", t->hz, p, false, "electro only");
		rc_html_lit(b, "</div>");
	} else {
		rc_html_lit(b, "<input type=\"hidden\" name=\"");
		rc_html_text(b, tname(r, i, "kind"));
		rc_html_lit(b, "\" value=\"");
		rc_html_text(b, kind);
		rc_html_lit(b, "\">");
	}
	if (strcmp(kind, "dry_needling") == 0) {
		options_of(r, &kb->muscles, &opts, &n);
		rc_chart_select(r, tname(r, i, "muscle"), "Muscle", opts, n, t->muscle, p, true);
		rc_html_lit(b, "<div class=\"row\">");
		rc_chart_select(r, tname(r, i, "side"), "Side", sides, 3, t->side, p, true);
		rc_chart_text(r, tname(r, i, "needles"), "Needles", "number", t->needles, p, false, NULL);
		rc_chart_text(r, tname(r, i, "minutes"), "Minutes", "number", t->minutes, p, false, NULL);
		rc_html_lit(b, "</div>");
	} else if (strcmp(kind, "soft_tissue") == 0 || strcmp(kind, "manual_therapy") == 0 || strcmp(kind, "taping") == 0) {
		const rc_chart_options *techs = kind[0] == 's' ? &kb->soft_tissue : kind[0] == 'm' ? &kb->manual_therapy : &kb->taping;
		options_of(r, &kb->regions, &opts, &n);
		rc_html_lit(b, "<div class=\"row\">");
		rc_chart_select(r, tname(r, i, "region"), "Region", opts, n, t->region, p, true);
		rc_chart_select(r, tname(r, i, "side"), "Side", sides, 3, t->side, p, true);
		rc_html_lit(b, "</div>");
		options_of(r, techs, &opts, &n);
		rc_chart_select(r, tname(r, i, "technique"), "Technique", opts, n, t->technique, p, true);
	} else if (strcmp(kind, "education") == 0) {
		options_of(r, &kb->education, &opts, &n);
		rc_chart_select(r, tname(r, i, "topic"), "Topic", opts, n, t->topic, p, true);
	} else if (strcmp(kind, "home_program") == 0) {
		const rc_programs *pg = r->app->programs;
		opts = rc_arena_alloc(&r->arena, sizeof *opts * (size_t)(pg->nprograms + 1));
		n = 0;
		for (int k = 0; opts && k < pg->nprograms; k++)
			opts[n++] = (rc_chart_opt){pg->programs[k].key, pg->programs[k].name};
		rc_html_lit(b, "<div class=\"row\">");
		rc_chart_select(r, tname(r, i, "program"), "Program", opts, n, t->program, p, true);
		rc_chart_text(r, tname(r, i, "stage"), "Stage", "number", t->stage, p, false, NULL);
		rc_html_lit(b, "</div>");
	}
	if (!needle)
		rc_chart_text(r, tname(r, i, "detail"), strcmp(kind, "home_program") == 0 ? "Note for the runner" : "Detail",
		              "text", t->detail, p, false, NULL);
	rc_html_lit(b, "</fieldset>\n");
}

static void treatments(rc_req *r, const rc_note_in *in, const rc_problem *p)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<fieldset class=\"treatments\"><legend>Treatments given</legend>\n<p class=\"hint\">Fill what was "
	               "given; empty sections are left out. Needling needs the patient's consent first.</p>\n");
	if (p && p->field && strcmp(p->field, "treatments") == 0) {
		rc_html_lit(b, "<p class=\"field-error\">");
		rc_html_text(b, p->text);
		rc_html_lit(b, "</p>");
	}
	int n = in->ntreatments < RC_NOTE_MAX_TREATMENTS ? in->ntreatments : RC_NOTE_MAX_TREATMENTS;
	for (int i = 0; i < n; i++)
		slot(r, i, &in->treatments[i], p);
	/* One empty section of each kind not used yet (acupuncture and electro-acupuncture share one). */
	static const char *const kinds[] = {"acupuncture", "dry_needling", "soft_tissue", "manual_therapy", "taping",
	                                    "education", "home_program"};
	int next = n;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		bool used = false;
		for (int i = 0; i < n; i++) {
			/* A section sent without its kind is refused by the use case and shown again here. */
			const char *kind = in->treatments[i].kind ? in->treatments[i].kind : "";
			used |= strcmp(kind, kinds[k]) == 0 || (k == 0 && strcmp(kind, "electro_acupuncture") == 0);
		}
		if (!used && next < SLOTS_MAX) {
			rc_treatment_in empty = {.kind = kinds[k]};
			slot(r, next++, &empty, p);
		}
	}
	rc_html_lit(b, "</fieldset>\n");
}

/* What matters while writing: the alerts and the consent. */
static void alerts_box(rc_req *r, const rc_patient_details *dp)
{
	const rc_patient_details d = *dp;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<aside class=\"note-alerts\" aria-label=\"Alerts\"><p>");
	int n = 0;
	char buf[sizeof d.profile.alerts];
	snprintf(buf, sizeof buf, "%s", d.profile.alerts);
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		const rc_chart_alert *a = rc_chart_alert_find(w);
		if (!a)
			continue;
		if (n++)
			rc_html_lit(b, "; ");
		else
			rc_html_lit(b, "<strong>Alerts:</strong> ");
		rc_html_text(b, a->label);
	}
	if (!n)
		rc_html_lit(b, "No alerts recorded.");
	rc_html_lit(b, " ");
	if (d.has_consent && d.consent.version == r->app->chart->consent_version)
		rc_html_lit(b, "Consent to needling: recorded.");
	else
		rc_html_lit(b, "<strong>No current consent to needling.</strong>");
	rc_html_lit(b, "</p></aside>\n");
}

/* The editor for a new note (note_id 0) or a draft, from in (what is saved, or what was typed); d: the
 * patient's details, read (and audited) once for the page. */
static void editor(rc_req *r, int64_t patient, int64_t note_id, const rc_note_in *in, const rc_problem *p,
                   const rc_patient_details *d, int64_t versions)
{
	rc_buf *b = &r->out;
	const rc_chart_kb *kb = r->app->chart;
	const rc_chart_template *tm = in->template_key ? rc_chart_template_find(kb, in->template_key) : NULL;
	if (!tm)
		tm = rc_chart_template_for(kb, "");
	const char *kind = in->kind && *in->kind ? in->kind : "follow_up";
	rc_page_begin(r, "Note", "patients");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, rc_chart_kind_words(kind, false));
	rc_html_text(b, note_id ? " (draft)" : " (new)");
	rc_html_lit(b, " <span class=\"sub\">");
	rc_html_text(b, d->patient.name);
	rc_html_lit(b, "</span>");
	rc_html_lit(b, "</h1>\n<p class=\"meta\"><a href=\"");
	rc_html_text(b, rc_chart_path(r, patient, ""));
	rc_html_lit(b, "\">Back to the chart</a> · Template: ");
	rc_html_text(b, tm->name);
	if (versions)
		rc_html_printf(b, " · %lld earlier version%s kept", (long long)versions, versions == 1 ? "" : "s");
	rc_html_lit(b, "</p>\n<p class=\"source\">Sources: ");
	rc_html_text(b, tm->source);
	rc_html_lit(b, "</p>\n");
	const char *saved = rc_req_query(r, "saved");
	if (saved && !p)
		rc_page_notice(r, "The draft is saved.");
	alerts_box(r, d);
	rc_chart_problem(r, p);
	const char *action = note_id ? rc_chart_path(r, patient, rc_arena_printf(&r->arena, "/notes/%lld", (long long)note_id))
	                             : rc_chart_path(r, patient, "/notes");
	rc_form_open(r, action);
	rc_html_lit(b, "<input type=\"hidden\" name=\"episode_id\" value=\"");
	rc_html_text(b, int_text(r, in->episode));
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"appointment_id\" value=\"");
	rc_html_text(b, int_text(r, in->appointment));
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"kind\" value=\"");
	rc_html_text(b, kind);
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"template\" value=\"");
	rc_html_text(b, tm->key);
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"version\" value=\"");
	rc_html_text(b, int_text(r, in->expected_version));
	rc_html_lit(b, "\">\n");
	rc_chart_text(r, "visit_day", "Visit day", "date", in->visit_day, p, false,
	              in->appointment ? "empty: the appointment's day" : "empty: today");
	rc_html_lit(b, "<fieldset class=\"soap\"><legend>S — Subjective</legend>");
	rc_chart_area(r, "subjective", "What the runner reports", in->subjective, 5, RC_CHART_TEXT_MAX, p, tm->subjective);
	rc_html_lit(b, "</fieldset>\n<fieldset class=\"soap\"><legend>O — Objective</legend>");
	rc_chart_area(r, "objective", "Examination", in->objective, 4, RC_CHART_TEXT_MAX, p, tm->objective);
	findings(r, tm, in, p);
	body_marks(r, in, p);
	rc_html_lit(b, "</fieldset>\n<fieldset class=\"soap\"><legend>A — Assessment</legend>");
	rc_chart_area(r, "assessment", "Assessment", in->assessment, 4, RC_CHART_TEXT_MAX, p, tm->assessment);
	rc_html_lit(b, "</fieldset>\n<fieldset class=\"soap\"><legend>P — Plan</legend>");
	rc_chart_area(r, "plan", "Plan", in->plan, 4, RC_CHART_TEXT_MAX, p, tm->plan);
	rc_html_lit(b, "</fieldset>\n");
	treatments(r, in, p);
	rc_html_lit(b, "<p class=\"actions\"><button type=\"submit\" name=\"action\" value=\"save\" class=\"secondary\">Save "
	               "draft</button> <button type=\"submit\" name=\"action\" value=\"sign\">Sign the note</button></p>\n"
	               "<p class=\"hint\">A signed note is locked: later corrections are dated addenda that keep the "
	               "original.</p></form>\n");
	rc_page_end(r);
}

void rc_page_chart_note_new(rc_req *r)
{
	int64_t patient = rc_chart_param(r, 0);
	rc_note_in *in = rc_arena_alloc(&r->arena, sizeof *in);
	if (!in) {
		rc_page_error(r, 503, "Out of memory.");
		return;
	}
	/* The patient's details, read for the heading (and audited). */
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_patient_details d;
	rc_problem q = {0};
	rc_err e = rc_app_patient_details(&uc, patient, "new note", &d, &q);
	if (e) {
		fail(r, e, &q);
		return;
	}
	const char *ep = rc_req_query(r, "episode"), *ap = rc_req_query(r, "appointment");
	in->episode = ep ? strtoll(ep, NULL, 10) : 0;
	in->appointment = ap ? strtoll(ap, NULL, 10) : 0;
	in->kind = rc_req_query(r, "kind");
	in->template_key = rc_req_query(r, "template");
	/* Unless the link says otherwise: the open episode, its condition's template, and an initial assessment
	 * for its first note. */
	if (!in->episode && d.has_active)
		in->episode = d.active.id;
	if (!in->template_key || !rc_chart_template_find(r->app->chart, in->template_key))
		in->template_key = rc_chart_template_for(r->app->chart, d.has_active ? d.active.condition_key : "")->key;
	if (!in->kind || !*in->kind)
		in->kind = d.has_active && d.active.notes == 0 ? "initial" : "follow_up";
	if (!d.has_active) {
		rc_page_error(r, 409, "Open an episode of care for this patient first (on the chart): a note belongs to one.");
		return;
	}
	editor(r, patient, 0, in, NULL, &d, 0);
}

static void view(rc_req *r, int64_t patient, const rc_note *n, const rc_problem *p);

void rc_page_chart_note(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	int64_t patient = rc_chart_param(r, 0), id = rc_chart_param(r, 1);
	rc_note *n = rc_arena_alloc(&r->arena, sizeof *n);
	rc_problem p = {0};
	rc_err e = n ? rc_app_note_get(&uc, &k, patient, id, n, &p) : RC_ENOMEM;
	if (e) {
		fail(r, e, &p);
		return;
	}
	if (n->row.signed_at) {
		view(r, patient, n, NULL);
		return;
	}
	rc_note_in *in = rc_arena_alloc(&r->arena, sizeof *in);
	if (!in) {
		rc_page_error(r, 503, "Out of memory.");
		return;
	}
	rc_app_note_as_input(n, in, &r->arena);
	rc_patient_details d;
	if ((e = rc_app_patient_details(&uc, patient, "note editor", &d, &p))) {
		fail(r, e, &p);
		return;
	}
	editor(r, patient, id, in, NULL, &d, n->versions);
}

static void saved(rc_req *r, int64_t patient, const rc_note *n)
{
	const char *to = rc_chart_path(r, patient, rc_arena_printf(&r->arena, "/notes/%lld%s", (long long)n->row.id,
	                                                           n->row.signed_at ? "?signed=1" : "?saved=1"));
	rc_req_redirect(r, to);
}

void rc_page_chart_note_create(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	int64_t patient = rc_chart_param(r, 0);
	rc_note_in *in = rc_arena_alloc(&r->arena, sizeof *in);
	rc_note *n = rc_arena_alloc(&r->arena, sizeof *n);
	if (!in || !n) {
		rc_page_error(r, 503, "Out of memory.");
		return;
	}
	read_form(r, in);
	rc_problem p = {0};
	rc_err e = rc_app_note_create(&uc, &k, patient, in, n, &p);
	if ((e == RC_EINVAL || e == RC_ECONFLICT) && p.text[0]) {
		r->status = rc_chart_status(e);
		rc_patient_details d;
		rc_problem q = {0};
		if ((e = rc_app_patient_details(&uc, patient, "note editor", &d, &q)))
			fail(r, e, &q);
		else
			editor(r, patient, 0, in, &p, &d, 0);
		return;
	}
	if (e) {
		fail(r, e, &p);
		return;
	}
	saved(r, patient, n);
}

void rc_page_chart_note_save(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	int64_t patient = rc_chart_param(r, 0), id = rc_chart_param(r, 1);
	rc_note_in *in = rc_arena_alloc(&r->arena, sizeof *in);
	rc_note *n = rc_arena_alloc(&r->arena, sizeof *n);
	if (!in || !n) {
		rc_page_error(r, 503, "Out of memory.");
		return;
	}
	read_form(r, in);
	rc_problem p = {0};
	rc_err e = rc_app_note_update(&uc, &k, patient, id, in, n, &p);
	if ((e == RC_EINVAL || e == RC_ECONFLICT) && p.text[0] && p.field) {
		r->status = rc_chart_status(e);
		rc_patient_details d;
		rc_problem q = {0};
		if ((e = rc_app_patient_details(&uc, patient, "note editor", &d, &q)))
			fail(r, e, &q);
		else
			editor(r, patient, id, in, &p, &d, 0);
		return;
	}
	if (e) {
		fail(r, e, &p);
		return;
	}
	saved(r, patient, n);
}

/* --- a signed note ------------------------------------------------------------------------------------------ */

static void section(rc_buf *b, const char *title, const char *text)
{
	rc_html_lit(b, "<h2>");
	rc_html_text(b, title);
	rc_html_lit(b, "</h2>\n<p class=\"soap-text\">");
	rc_html_text(b, text && *text ? text : "—");
	rc_html_lit(b, "</p>\n");
}

static void view(rc_req *r, int64_t patient, const rc_note *n, const rc_problem *p)
{
	rc_buf *b = &r->out;
	rc_chart_know k = rc_chart_know_of(r);
	rc_page_begin(r, "Note", "patients");
	rc_html_lit(b, "<article class=\"note signed\"><h1>");
	rc_html_text(b, rc_chart_kind_words(n->row.kind, false));
	rc_html_lit(b, ", ");
	int y, m, d;
	if (rc_date_parse(n->row.visit_day, &y, &m, &d))
		rc_html_time(b, rc_tz_day_start(y, m, d) + 12 * 3600, "%e %b %Y");
	rc_html_lit(b, "</h1>\n<p class=\"meta\"><a href=\"");
	rc_html_text(b, rc_chart_path(r, patient, ""));
	rc_html_lit(b, "\">Back to the chart</a> · ");
	rc_html_text(b, n->tmpl ? n->tmpl->name : n->row.template_key);
	rc_html_lit(b, " · Written by ");
	rc_html_text(b, n->row.author_name);
	rc_html_lit(b, " · <strong>Signed by ");
	rc_html_text(b, n->row.signer_name);
	rc_html_lit(b, ", ");
	rc_html_time(b, n->row.signed_at, "%e %b %Y, %H:%M");
	rc_html_lit(b, "</strong> · Locked</p>\n");
	if (rc_req_query(r, "signed") && !p)
		rc_page_notice(r, "Signed. The note is locked; the runner can read it in their account.");
	if (rc_req_query(r, "added") && !p)
		rc_page_notice(r, "The addendum is added, dated and signed; the note above it is unchanged.");
	rc_html_lit(b, "<p><strong>Episode:</strong> ");
	rc_html_text(b, n->episode.complaint);
	rc_html_lit(b, " — ");
	rc_html_text(b, rc_chart_condition_name(&k, n->episode.condition_key));
	rc_html_lit(b, " (ICD-10-CM ");
	rc_html_text(b, n->episode.icd10);
	rc_html_lit(b, ")</p>\n");
	section(b, "Subjective", n->subjective);
	section(b, "Objective", n->objective);
	if (n->nfindings) {
		rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list findings\"><caption>Findings</caption><thead><tr>"
		               "<th scope=\"col\">Finding</th><th scope=\"col\">Side</th><th scope=\"col\">Result</th></tr></thead>"
		               "<tbody>\n");
		for (int i = 0; i < n->nfindings; i++) {
			const rc_note_finding *f = &n->findings[i];
			rc_html_lit(b, "<tr><td>");
			rc_html_text(b, f->field ? f->field->label : f->key);
			rc_html_lit(b, "</td><td>");
			rc_html_text(b, rc_side_name(f->side));
			rc_html_lit(b, "</td><td>");
			rc_chart_finding_words(b, f, false);
			rc_html_lit(b, "</td></tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	if (n->nmarks) {
		rc_html_lit(b, "<figure class=\"bodychart-view\">");
		rc_chart_body_svg(b, "bc-view", n->marks, n->nmarks, true);
		rc_html_lit(b, "<figcaption>Where it hurts: ");
		for (int i = 0; i < n->nmarks; i++) {
			const rc_body_mark *mk = rc_body_mark_find(n->marks[i]);
			rc_html_text(b, i ? ", " : "");
			rc_html_text(b, mk ? mk->label : n->marks[i]);
		}
		rc_html_lit(b, "</figcaption></figure>\n");
	}
	section(b, "Assessment", n->assessment);
	section(b, "Plan", n->plan);
	rc_html_lit(b, "<h2>Treatments given</h2>\n");
	if (!n->ntreatments)
		rc_html_lit(b, "<p>None recorded.</p>\n");
	else
		rc_html_lit(b, "<ul class=\"treatments\">");
	for (int i = 0; i < n->ntreatments; i++) {
		rc_html_lit(b, "<li>");
		rc_chart_treatment_words(b, &k, &n->treatments[i], false);
		rc_html_lit(b, "</li>");
	}
	if (n->ntreatments)
		rc_html_lit(b, "</ul>\n");
	rc_html_lit(b, "</article>\n<section class=\"addenda\" aria-labelledby=\"ad-h\"><h2 id=\"ad-h\">Addenda</h2>\n");
	if (!n->naddenda)
		rc_html_lit(b, "<p>None.</p>\n");
	for (int i = 0; i < n->naddenda; i++) {
		const rc_addendum *a = &n->addenda[i];
		rc_html_lit(b, "<div class=\"addendum\"><p class=\"meta\">Addendum by ");
		rc_html_text(b, a->author_name);
		rc_html_lit(b, ", ");
		rc_html_time(b, a->created_at, "%e %b %Y, %H:%M");
		rc_html_lit(b, "</p><p class=\"soap-text\">");
		rc_html_text(b, a->text);
		rc_html_lit(b, "</p></div>\n");
	}
	rc_chart_problem(r, p);
	rc_form_open(r, rc_chart_path(r, patient, rc_arena_printf(&r->arena, "/notes/%lld/addenda", (long long)n->row.id)));
	rc_chart_area(r, "text", "Add a correction or addition", p ? rc_req_form(r, "text") : NULL, 3, RC_ADDENDUM_MAX, p,
	              "Dated and signed with your name; the note above stays as it is");
	rc_form_close(r, "Add the addendum");
	rc_html_lit(b, "</section>\n");
	rc_page_end(r);
}

void rc_page_chart_addendum_post(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_chart_know k = rc_chart_know_of(r);
	int64_t patient = rc_chart_param(r, 0), id = rc_chart_param(r, 1);
	rc_note *n = rc_arena_alloc(&r->arena, sizeof *n);
	rc_problem p = {0};
	rc_err e = n ? rc_app_note_addendum(&uc, &k, patient, id, rc_req_form(r, "text"), n, &p) : RC_ENOMEM;
	if (e == RC_EINVAL || (e == RC_ECONFLICT && p.field)) {
		r->status = rc_chart_status(e);
		rc_problem q = {0};
		if (rc_app_note_get(&uc, &k, patient, id, n, &q)) {
			fail(r, e, &p);
			return;
		}
		view(r, patient, n, &p);
		return;
	}
	if (e) {
		fail(r, e, &p);
		return;
	}
	rc_req_redirect(r, rc_chart_path(r, patient, rc_arena_printf(&r->arena, "/notes/%lld?added=1#ad-h", (long long)id)));
}
