/* download.c — the signed-in person's own record as one .zip (GET /account/export.zip): a summary to read and
 * print (summary.html), the record as spreadsheets (one CSV a table in csv/: times in ISO 8601 in the clinic's zone, numbers
 * as numbers), the same record as an HL7 FHIR R4 bundle (fhir/patient-everything.json) and the training files
 * as they were given (training-files/). Nothing of the account's security is in it: no password, session,
 * sign-in record, token or single-use link. The record and the files come from one use case
 * (rc_app_download); this page only lays them out. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/fhir.h"
#include "base/time.h"
#include "formats/archive.h"
#include "web/csv.h"
#include "web/html.h"
#include "web/http.h"
#include "web/layout.h"
#include "web/pages/chart_common.h"
#include "web/pages/pages.h"

enum {
	RC_DOWNLOAD_FILE_MAX = 8 * 1024 * 1024, /* one CSV or the summary, before compression */
	RC_DOWNLOAD_MAX_FILES = 10000,           /* training files in one download */
};

/* --- reading the rows (store/fhir_store.h's sections) ------------------------------------------------ */

#define rows_of rc_rows_section
#define I rc_row_int
#define has rc_row_has
#define S rc_row_text

/* An instant as ISO 8601 in the clinic's zone, with its offset ("2026-12-01T09:30:00-08:00"). */
static const char *iso(int64_t t, char buf[40])
{
	rc_tz_rfc3339(t, buf, 40);
	return buf;
}

static void csv_time(rc_csv *c, json_t *row, const char *k)
{
	char buf[40];
	rc_csv_text(c, has(row, k) ? iso(I(row, k), buf) : "");
}

/* A training file's name without the folders the command line may have stored with it. */
static const char *file_base(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash && slash[1] ? slash + 1 : name;
}

static const char *practitioner_name(json_t *rows, int64_t id)
{
	size_t i;
	json_t *p;
	json_array_foreach(rows_of(rows, "practitioners"), i, p) if (I(p, "id") == id) return S(p, "name");
	return "";
}

static const char *field_label(const rc_chart_know *k, const char *key)
{
	const rc_chart_field *f = k->kb ? rc_chart_field_find(k->kb, key) : NULL;
	return f ? f->label : key;
}

static int field_decimals(const rc_chart_know *k, const char *key)
{
	const rc_chart_field *f = k->kb ? rc_chart_field_find(k->kb, key) : NULL;
	return f ? f->decimals : 0;
}

static const char *field_unit(const rc_chart_know *k, const char *key)
{
	const rc_chart_field *f = k->kb ? rc_chart_field_find(k->kb, key) : NULL;
	return f && f->unit ? f->unit : "";
}

static const char *program_name(const rc_chart_know *k, const char *key)
{
	const rc_program *p = k->programs ? rc_program_find(k->programs, key) : NULL;
	return p ? p->name : key;
}

/* The PSFS activities of a rating: fn for each (activity, score). */
static void psfs_each(json_t *row, void (*fn)(void *ctx, json_t *row, const char *activity, int64_t score), void *ctx)
{
	json_t *a = json_loads(S(row, "ratings"), 0, NULL), *x;
	size_t i;
	json_array_foreach(a, i, x) {
		const char *act = json_string_value(json_object_get(x, "activity"));
		if (act && *act)
			fn(ctx, row, act, json_integer_value(json_object_get(x, "score")));
	}
	json_decref(a);
}

/* --- the spreadsheets ------------------------------------------------------------------------------------ */

static void header(rc_csv *c, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		rc_csv_text(c, names[i]);
	rc_csv_end(c);
}

static void csv_appointments(rc_csv *c, json_t *rows)
{
	static const char *const h[] = {"id", "starts_at", "ends_at", "service", "practitioner", "status", "reason",
	                                "booked_at", "cancelled_at", NULL};
	header(c, h);
	size_t i;
	json_t *a;
	json_array_foreach(rows_of(rows, "appointments"), i, a) {
		rc_csv_int(c, I(a, "id"));
		csv_time(c, a, "starts_at");
		csv_time(c, a, "ends_at");
		rc_csv_text(c, S(a, "service"));
		rc_csv_text(c, practitioner_name(rows, I(a, "practitioner_id")));
		rc_csv_text(c, S(a, "status"));
		rc_csv_text(c, S(a, "reason"));
		csv_time(c, a, "created_at");
		csv_time(c, a, "cancelled_at");
		rc_csv_end(c);
	}
}

static void csv_diary(rc_csv *c, json_t *rows)
{
	static const char *const h[] = {"day", "pain_at_rest", "pain_sitting", "pain_running", "minutes_run", "notes",
	                                "written_at", NULL};
	header(c, h);
	size_t i;
	json_t *d;
	json_array_foreach(rows_of(rows, "diary"), i, d) {
		rc_csv_text(c, S(d, "day"));
		rc_csv_int(c, I(d, "pain_rest"));
		rc_csv_int(c, I(d, "pain_sitting"));
		if (has(d, "pain_running"))
			rc_csv_int(c, I(d, "pain_running"));
		else
			rc_csv_text(c, "");
		rc_csv_int(c, I(d, "minutes_run"));
		rc_csv_text(c, S(d, "notes"));
		csv_time(c, d, "created_at");
		rc_csv_end(c);
	}
}

static void psfs_row(void *ctx, json_t *row, const char *activity, int64_t score)
{
	rc_csv *c = ctx;
	rc_csv_text(c, S(row, "day"));
	csv_time(c, row, "rated_at");
	rc_csv_text(c, activity);
	rc_csv_int(c, score);
	rc_csv_end(c);
}

static void csv_psfs(rc_csv *c, json_t *rows)
{
	static const char *const h[] = {"day", "rated_at", "activity", "score", NULL};
	header(c, h);
	size_t i;
	json_t *p;
	json_array_foreach(rows_of(rows, "psfs"), i, p) psfs_each(p, psfs_row, c);
}

static void csv_measures(rc_csv *c, json_t *rows, const rc_chart_know *k)
{
	static const char *const h[] = {"visit_day", "measure", "side", "value", "unit", "key", NULL};
	header(c, h);
	size_t i;
	json_t *m;
	json_array_foreach(rows_of(rows, "measures"), i, m) {
		rc_csv_text(c, S(m, "visit_day"));
		rc_csv_text(c, field_label(k, S(m, "field_key")));
		rc_csv_text(c, S(m, "side"));
		if (field_decimals(k, S(m, "field_key")))
			rc_csv_dec1(c, (double)I(m, "value") / 10.0);
		else
			rc_csv_int(c, I(m, "value"));
		rc_csv_text(c, field_unit(k, S(m, "field_key")));
		rc_csv_text(c, S(m, "field_key"));
		rc_csv_end(c);
	}
}

static void csv_selfchecks(rc_csv *c, json_t *rows, const rc_chart_know *k)
{
	static const char *const h[] = {"id", "at", "urgency", "likely_condition", NULL};
	header(c, h);
	size_t i;
	json_t *s;
	json_array_foreach(rows_of(rows, "selfchecks"), i, s) {
		rc_csv_int(c, I(s, "id"));
		csv_time(c, s, "created_at");
		rc_csv_text(c, rc_level_label(S(s, "urgency")));
		rc_csv_text(c, rc_chart_condition_name(k, S(s, "top_condition")));
		rc_csv_end(c);
	}
}

static void csv_training(rc_csv *c, json_t *rows)
{
	static const char *const h[] = {"id", "start_at", "file", "format", "sport", "distance_km", "duration_min",
	                                "moving_min", "climb_m", "heart_rate_avg", "energy_kcal", "imported_at", NULL};
	header(c, h);
	size_t i;
	json_t *a;
	json_array_foreach(rows_of(rows, "activities"), i, a) {
		rc_csv_int(c, I(a, "id"));
		csv_time(c, a, "start_at");
		rc_csv_text(c, file_base(S(a, "source")));
		rc_csv_text(c, S(a, "format"));
		rc_csv_text(c, S(a, "sport"));
		rc_csv_dec1(c, (double)I(a, "distance_m") / 1000.0);
		rc_csv_dec1(c, (double)I(a, "duration_s") / 60.0);
		rc_csv_dec1(c, (double)I(a, "moving_s") / 60.0);
		rc_csv_int(c, I(a, "gain_m"));
		if (has(a, "hr_avg"))
			rc_csv_int(c, I(a, "hr_avg"));
		else
			rc_csv_text(c, "");
		if (has(a, "energy_kcal"))
			rc_csv_int(c, I(a, "energy_kcal"));
		else
			rc_csv_text(c, "");
		csv_time(c, a, "imported_at");
		rc_csv_end(c);
	}
}

static void csv_programs(rc_csv *c, json_t *rows, const rc_chart_know *k)
{
	static const char *const h[] = {"id", "program", "stage", "started_at", "stage_started_at", "ended_at", "note",
	                                NULL};
	header(c, h);
	size_t i;
	json_t *p;
	json_array_foreach(rows_of(rows, "programs"), i, p) {
		rc_csv_int(c, I(p, "id"));
		rc_csv_text(c, program_name(k, S(p, "program_key")));
		rc_csv_int(c, I(p, "stage"));
		csv_time(c, p, "started_at");
		csv_time(c, p, "stage_started_at");
		csv_time(c, p, "ended_at");
		rc_csv_text(c, S(p, "note"));
		rc_csv_end(c);
	}
}

static void csv_episodes(rc_csv *c, json_t *rows, const rc_chart_know *k)
{
	static const char *const h[] = {"id", "complaint", "side", "onset_day", "diagnosis", "icd10_cm", "status",
	                                "opened_at", "discharged_at", "goals", "outcome", NULL};
	header(c, h);
	size_t i;
	json_t *e;
	json_array_foreach(rows_of(rows, "episodes"), i, e) {
		rc_csv_int(c, I(e, "id"));
		rc_csv_text(c, S(e, "complaint"));
		rc_csv_text(c, S(e, "side"));
		rc_csv_text(c, S(e, "onset_day"));
		rc_csv_text(c, rc_chart_condition_name(k, S(e, "condition_key")));
		rc_csv_text(c, S(e, "icd10"));
		rc_csv_text(c, S(e, "status"));
		csv_time(c, e, "opened_at");
		csv_time(c, e, "discharged_at");
		rc_csv_text(c, S(e, "goals"));
		rc_csv_text(c, S(e, "outcome"));
		rc_csv_end(c);
	}
}

static void points_of(json_t *rows, int64_t treatment, char *out, size_t n)
{
	size_t i, len = 0;
	json_t *p;
	out[0] = 0;
	json_array_foreach(rows_of(rows, "points"), i, p) {
		if (I(p, "treatment_id") != treatment || len >= n)
			continue;
		len += (size_t)snprintf(out + len, n - len, "%s%s %s", len ? ", " : "", S(p, "code"), S(p, "side"));
	}
}

static void csv_treatments(rc_csv *c, json_t *rows)
{
	static const char *const h[] = {"note_id", "visit_day", "treatment", "side", "points", "needles", "minutes",
	                                "region", "technique", "detail", NULL};
	header(c, h);
	size_t i, j;
	json_t *t, *n;
	json_array_foreach(rows_of(rows, "treatments"), i, t) {
		const char *day = "";
		json_array_foreach(rows_of(rows, "notes"), j, n) if (I(n, "id") == I(t, "note_id")) day = S(n, "visit_day");
		char points[600];
		points_of(rows, I(t, "id"), points, sizeof points);
		rc_csv_int(c, I(t, "note_id"));
		rc_csv_text(c, day);
		rc_csv_text(c, S(t, "kind"));
		rc_csv_text(c, S(t, "side"));
		rc_csv_text(c, points);
		if (has(t, "needles"))
			rc_csv_int(c, I(t, "needles"));
		else
			rc_csv_text(c, "");
		if (has(t, "minutes"))
			rc_csv_int(c, I(t, "minutes"));
		else
			rc_csv_text(c, "");
		rc_csv_text(c, S(t, "region"));
		rc_csv_text(c, S(t, "technique"));
		rc_csv_text(c, S(t, "detail"));
		rc_csv_end(c);
	}
}

/* --- the summary to read and print ------------------------------------------------------------------------- */

static void th(rc_buf *b, const char *const *names)
{
	rc_html_lit(b, "<thead><tr>");
	for (int i = 0; names[i]; i++) {
		rc_html_lit(b, "<th scope=\"col\">");
		rc_html_text(b, names[i]);
		rc_html_lit(b, "</th>");
	}
	rc_html_lit(b, "</tr></thead>\n<tbody>\n");
}

static void td(rc_buf *b, const char *s)
{
	rc_html_lit(b, "<td>");
	rc_html_text(b, s);
	rc_html_lit(b, "</td>");
}

/* A number in its cell, right-aligned; decimals 0 or 1. */
static void td_num(rc_buf *b, double v, int decimals)
{
	rc_html_lit(b, "<td class=\"n\">");
	rc_html_printf(b, decimals ? "%.1f" : "%.0f", v);
	rc_html_lit(b, "</td>");
}

static void td_time(rc_buf *b, json_t *row, const char *k, const char *fmt)
{
	rc_html_lit(b, "<td>");
	if (has(row, k))
		rc_html_time(b, I(row, k), fmt);
	rc_html_lit(b, "</td>");
}

static void section_empty(rc_buf *b, const char *what)
{
	rc_html_lit(b, "<p>");
	rc_html_text(b, what);
	rc_html_lit(b, "</p>\n");
}

static void psfs_html(void *ctx, json_t *row, const char *activity, int64_t score)
{
	rc_buf *b = ctx;
	rc_html_lit(b, "<tr>");
	td(b, S(row, "day"));
	td(b, activity);
	td_num(b, (double)score, 0);
	rc_html_lit(b, "</tr>\n");
}

static void summary(rc_buf *b, json_t *rows, const rc_chart_know *k, const rc_clinic *clinic, int64_t now)
{
	json_t *pt = json_array_get(rows_of(rows, "patient"), 0);
	size_t i;
	json_t *x;
	rc_html_lit(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
	rc_html_text(b, S(pt, "name"));
	rc_html_lit(b, ": your record</title>\n<style>body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;margin:1.5rem auto;"
	               "max-width:60rem;padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;"
	               "border-bottom:1px solid #999}table{border-collapse:collapse;width:100%;margin:.5rem 0}"
	               "th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}"
	               "td.n{text-align:right}.note{border:1px solid #bbb;padding:.5rem 1rem;margin:1rem 0;"
	               "break-inside:avoid}.note p{white-space:pre-wrap}dl{display:grid;grid-template-columns:max-content 1fr;"
	               "gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}.wrap{overflow-x:auto}"
	               "@media (max-width:40rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}"
	               "@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}"
	               "</style></head>\n<body><main>\n<h1>Your record at ");
	rc_html_text(b, clinic && clinic->name ? clinic->name : "the clinic");
	rc_html_lit(b, "</h1>\n<p>Downloaded ");
	rc_html_time(b, now, "%A %e %B %Y at %H:%M");
	rc_html_lit(b, ". Times are the clinic's local time. The same record is in <code>csv/</code> for a spreadsheet "
	               "and in <code>fhir/patient-everything.json</code> (HL7 FHIR R4) for another health system; your "
	               "training files are in <code>training-files/</code> as you gave them.</p>\n");

	rc_html_lit(b, "<h2 id=\"details\">Your details</h2>\n<dl><dt>Name</dt><dd>");
	rc_html_text(b, S(pt, "name"));
	rc_html_lit(b, "</dd><dt>Email</dt><dd>");
	rc_html_text(b, *S(pt, "email") ? S(pt, "email") : "none");
	rc_html_lit(b, "</dd><dt>Date of birth</dt><dd>");
	rc_html_text(b, *S(pt, "date_of_birth") ? S(pt, "date_of_birth") : "not recorded");
	rc_html_lit(b, "</dd><dt>Phone</dt><dd>");
	rc_html_text(b, *S(pt, "phone") ? S(pt, "phone") : "not recorded");
	rc_html_lit(b, "</dd><dt>Emergency contact</dt><dd>");
	rc_html_text(b, *S(pt, "emergency_name") ? S(pt, "emergency_name") : "not recorded");
	if (*S(pt, "emergency_phone")) {
		rc_html_lit(b, ", ");
		rc_html_text(b, S(pt, "emergency_phone"));
	}
	rc_html_lit(b, "</dd>");
	if (*S(pt, "alerts")) {
		rc_html_lit(b, "<dt>Alerts on your chart</dt><dd>");
		char alerts[RC_ALERTS_MAX + 1];
		snprintf(alerts, sizeof alerts, "%s", S(pt, "alerts"));
		int n = 0;
		for (char *save = NULL, *t = strtok_r(alerts, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			const rc_chart_alert *al = rc_chart_alert_find(t);
			if (n++)
				rc_html_lit(b, "; ");
			rc_html_text(b, al ? al->label : t);
		}
		if (*S(pt, "alert_note")) {
			rc_html_lit(b, " (");
			rc_html_text(b, S(pt, "alert_note"));
			rc_html_lit(b, ")");
		}
		rc_html_lit(b, "</dd>");
	}
	rc_html_lit(b, "</dl>\n");

	static const char *const appt_h[] = {"When", "Service", "With", "Status", "Reason", NULL};
	rc_html_lit(b, "<h2 id=\"appointments\">Appointments</h2>\n");
	if (!json_array_size(rows_of(rows, "appointments")))
		section_empty(b, "None.");
	else {
		rc_html_lit(b, "<div class=\"wrap\"><table>");
		th(b, appt_h);
		json_array_foreach(rows_of(rows, "appointments"), i, x) {
			rc_html_lit(b, "<tr>");
			td_time(b, x, "starts_at", "%a %e %b %Y, %H:%M");
			td(b, S(x, "service"));
			td(b, practitioner_name(rows, I(x, "practitioner_id")));
			td(b, strcmp(S(x, "status"), "no_show") == 0 ? "did not come" : S(x, "status"));
			td(b, S(x, "reason"));
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}

	rc_html_lit(b, "<h2 id=\"care\">Episodes of care</h2>\n");
	if (!json_array_size(rows_of(rows, "episodes")))
		section_empty(b, "None.");
	json_array_foreach(rows_of(rows, "episodes"), i, x) {
		rc_html_lit(b, "<div class=\"note\"><h3>");
		rc_html_text(b, S(x, "complaint"));
		rc_html_lit(b, "</h3><p>Working diagnosis: ");
		rc_html_text(b, rc_chart_condition_name(k, S(x, "condition_key")));
		rc_html_lit(b, " (ICD-10-CM ");
		rc_html_text(b, S(x, "icd10"));
		rc_html_lit(b, "). Opened ");
		rc_html_time(b, I(x, "opened_at"), "%e %B %Y");
		if (has(x, "discharged_at")) {
			rc_html_lit(b, ", discharged ");
			rc_html_time(b, I(x, "discharged_at"), "%e %B %Y");
		}
		rc_html_lit(b, ".</p>");
		if (*S(x, "goals")) {
			rc_html_lit(b, "<p>Goals: ");
			rc_html_text(b, S(x, "goals"));
			rc_html_lit(b, "</p>");
		}
		rc_html_lit(b, "</div>\n");
	}

	rc_html_lit(b, "<h2 id=\"notes\">Visit notes</h2>\n");
	if (!json_array_size(rows_of(rows, "notes")))
		section_empty(b, "No signed notes.");
	json_array_foreach(rows_of(rows, "notes"), i, x) {
		static const char *const parts[][2] = {{"subjective", "What you told us"}, {"objective", "What we found"},
		                                       {"assessment", "What we think"}, {"plan", "The plan"}};
		json_t *body = json_loads(S(x, "body"), 0, NULL);
		rc_html_lit(b, "<article class=\"note\"><h3>");
		rc_html_text(b, strcmp(S(x, "kind"), "initial") == 0     ? "First visit"
		                : strcmp(S(x, "kind"), "discharge") == 0 ? "Discharge"
		                                                         : "Follow-up visit");
		rc_html_lit(b, ", ");
		rc_html_text(b, S(x, "visit_day"));
		rc_html_lit(b, "</h3>\n");
		for (size_t p = 0; p < 4; p++) {
			const char *v = json_string_value(json_object_get(body, parts[p][0]));
			if (!v || !*v)
				continue;
			rc_html_lit(b, "<h4>");
			rc_html_text(b, parts[p][1]);
			rc_html_lit(b, "</h4><p>");
			rc_html_text(b, v);
			rc_html_lit(b, "</p>\n");
		}
		json_decref(body);
		size_t j;
		json_t *ad;
		json_array_foreach(rows_of(rows, "addenda"), j, ad) {
			if (I(ad, "note_id") != I(x, "id"))
				continue;
			rc_html_lit(b, "<h4>Addendum, ");
			rc_html_time(b, I(ad, "created_at"), "%e %B %Y");
			rc_html_lit(b, "</h4><p>");
			rc_html_text(b, S(ad, "text"));
			rc_html_lit(b, "</p>\n");
		}
		rc_html_lit(b, "</article>\n");
	}

	static const char *const m_h[] = {"Visit", "Measure", "Side", "Value", NULL};
	rc_html_lit(b, "<h2 id=\"measures\">Measures at your visits</h2>\n");
	if (!json_array_size(rows_of(rows, "measures")))
		section_empty(b, "None.");
	else {
		rc_html_lit(b, "<div class=\"wrap\"><table>");
		th(b, m_h);
		json_array_foreach(rows_of(rows, "measures"), i, x) {
			rc_html_lit(b, "<tr>");
			td(b, S(x, "visit_day"));
			td(b, field_label(k, S(x, "field_key")));
			td(b, S(x, "side"));
			if (field_decimals(k, S(x, "field_key")))
				td_num(b, (double)I(x, "value") / 10.0, 1);
			else
				td_num(b, (double)I(x, "value"), 0);
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}

	static const char *const d_h[] = {"Day", "Pain at rest", "Pain sitting", "Pain running", "Minutes run", "Notes", NULL};
	rc_html_lit(b, "<h2 id=\"diary\">Your diary</h2>\n");
	if (!json_array_size(rows_of(rows, "diary")))
		section_empty(b, "No entries.");
	else {
		rc_html_lit(b, "<div class=\"wrap\"><table>");
		th(b, d_h);
		json_array_foreach(rows_of(rows, "diary"), i, x) {
			rc_html_lit(b, "<tr>");
			td(b, S(x, "day"));
			td_num(b, (double)I(x, "pain_rest"), 0);
			td_num(b, (double)I(x, "pain_sitting"), 0);
			if (has(x, "pain_running"))
				td_num(b, (double)I(x, "pain_running"), 0);
			else
				td(b, "did not run");
			td_num(b, (double)I(x, "minutes_run"), 0);
			td(b, S(x, "notes"));
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	static const char *const p_h[] = {"Day", "Activity", "Score (0-10)", NULL};
	if (json_array_size(rows_of(rows, "psfs"))) {
		rc_html_lit(b, "<h3>How well you can do the activities that matter to you (PSFS)</h3>\n<div class=\"wrap\"><table>");
		th(b, p_h);
		json_array_foreach(rows_of(rows, "psfs"), i, x) psfs_each(x, psfs_html, b);
		rc_html_lit(b, "</tbody></table></div>\n");
	}

	static const char *const pr_h[] = {"Program", "Stage", "Started", "Ended", NULL};
	rc_html_lit(b, "<h2 id=\"programs\">Home programs</h2>\n");
	if (!json_array_size(rows_of(rows, "programs")))
		section_empty(b, "None.");
	else {
		rc_html_lit(b, "<div class=\"wrap\"><table>");
		th(b, pr_h);
		json_array_foreach(rows_of(rows, "programs"), i, x) {
			rc_html_lit(b, "<tr>");
			td(b, program_name(k, S(x, "program_key")));
			td_num(b, (double)I(x, "stage"), 0);
			td_time(b, x, "started_at", "%e %B %Y");
			td_time(b, x, "ended_at", "%e %B %Y");
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}

	static const char *const s_h[] = {"When", "How urgent", "Most likely", NULL};
	rc_html_lit(b, "<h2 id=\"selfchecks\">Your self-checks</h2>\n");
	if (!json_array_size(rows_of(rows, "selfchecks")))
		section_empty(b, "None.");
	else {
		rc_html_lit(b, "<div class=\"wrap\"><table>");
		th(b, s_h);
		json_array_foreach(rows_of(rows, "selfchecks"), i, x) {
			rc_html_lit(b, "<tr>");
			td_time(b, x, "created_at", "%e %B %Y, %H:%M");
			td(b, rc_level_label(S(x, "urgency")));
			td(b, rc_chart_condition_name(k, S(x, "top_condition")));
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}

	static const char *const t_h[] = {"When", "File", "Sport", "Distance (km)", "Moving time (min)", NULL};
	rc_html_lit(b, "<h2 id=\"training\">Training files</h2>\n");
	if (!json_array_size(rows_of(rows, "activities")))
		section_empty(b, "None.");
	else {
		rc_html_lit(b, "<div class=\"wrap\"><table>");
		th(b, t_h);
		json_array_foreach(rows_of(rows, "activities"), i, x) {
			rc_html_lit(b, "<tr>");
			td_time(b, x, "start_at", "%a %e %b %Y, %H:%M");
			td(b, file_base(S(x, "source")));
			td(b, S(x, "sport"));
			td_num(b, (double)I(x, "distance_m") / 1000.0, 1);
			td_num(b, (double)I(x, "moving_s") / 60.0, 0);
			rc_html_lit(b, "</tr>\n");
		}
		rc_html_lit(b, "</tbody></table></div>\n");
	}
	rc_html_lit(b, "<h2 id=\"not-here\">What is not in this download</h2>\n<p>Your password, your sign-in sessions, "
	               "the records of failed sign-ins, your API tokens and single-use links: they are keys to your "
	               "account, not your record. Notes still being written by your practitioner are added once they "
	               "are signed.</p>\n</main></body></html>\n");
}

/* --- the archive ----------------------------------------------------------------------------------------- */

typedef struct zip_ctx {
	rc_zip_writer *z;
	int64_t now;
	int files;
	rc_err e;
} zip_ctx;

static int add_training_file(void *p, int64_t activity_id, const char *name, const unsigned char *data, size_t len)
{
	zip_ctx *c = p;
	if (c->files++ >= RC_DOWNLOAD_MAX_FILES)
		return 1;
	/* The name as given, without any folder in it, after the activity's number (two files may share a name). */
	const char *base = file_base(name);
	char path[300];
	snprintf(path, sizeof path, "training-files/%lld-%s", (long long)activity_id, *base ? base : "file");
	c->e = rc_zip_add(c->z, path, data, len, c->now);
	return c->e != RC_OK;
}

static rc_err add_buf(zip_ctx *c, const char *name, rc_buf *b)
{
	rc_err e = b->failed ? RC_ETOOBIG : rc_zip_add(c->z, name, b->data ? b->data : "", b->len, c->now);
	rc_buf_reset(b);
	return e;
}

void rc_page_account_download(rc_req *r)
{
	rc_chart_know k = rc_chart_know_of(r);
	rc_fhir_ctx f = {.know = &k, .clinic = &r->app->content->clinic, .base = r->app->cfg->public_url};
	rc_uc uc;
	rc_req_uc(r, &uc);
	zip_ctx c = {.now = r->now};
	if (rc_zip_open(RC_HTTP_MAX_PAGE, &c.z)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	json_t *rows = NULL, *bundle = NULL;
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_download(&uc, &f, add_training_file, &c, &rows, &bundle, &p) : RC_EDB;
	if (!e)
		e = c.e;
	rc_buf b;
	rc_buf_init(&b, RC_DOWNLOAD_FILE_MAX);
	if (!e) {
		summary(&b, rows, &k, f.clinic, r->now);
		e = add_buf(&c, "summary.html", &b);
	}
	static const char *const csvs[] = {"csv/appointments.csv", "csv/episodes.csv", "csv/measures.csv",
	                                   "csv/treatments.csv", "csv/diary.csv", "csv/psfs.csv", "csv/self-checks.csv",
	                                   "csv/programs.csv", "csv/training.csv"};
	for (size_t i = 0; !e && i < sizeof csvs / sizeof csvs[0]; i++) {
		rc_csv csv = {.b = &b};
		switch (i) {
		case 0: csv_appointments(&csv, rows); break;
		case 1: csv_episodes(&csv, rows, &k); break;
		case 2: csv_measures(&csv, rows, &k); break;
		case 3: csv_treatments(&csv, rows); break;
		case 4: csv_diary(&csv, rows); break;
		case 5: csv_psfs(&csv, rows); break;
		case 6: csv_selfchecks(&csv, rows, &k); break;
		case 7: csv_programs(&csv, rows, &k); break;
		default: csv_training(&csv, rows); break;
		}
		e = add_buf(&c, csvs[i], &b);
	}
	if (!e) {
		char *text = json_dumps(bundle, JSON_INDENT(1));
		e = text ? rc_zip_add(c.z, "fhir/patient-everything.json", text, strlen(text), r->now) : RC_ENOMEM;
		free(text);
	}
	rc_buf_free(&b);
	json_decref(rows);
	json_decref(bundle);
	unsigned char *zip = NULL;
	size_t len = 0;
	if (!e) {
		e = rc_zip_close(c.z, &zip, &len);
		c.z = NULL;
	}
	rc_zip_free(c.z);
	if (e == RC_ENOTFOUND) {
		/* Staff who never were the clinic's patients: say so, and where their account's data is. */
		rc_page_begin(r, "Your record", NULL);
		rc_html_lit(&r->out, "<h1>Your record</h1>\n<p>Your account holds no patient record to download. What "
		                     "runcare holds about your account is in <a href=\"/account/export\">the account "
		                     "export</a> (one JSON file).</p>\n");
		rc_page_end(r);
	} else if (e == RC_ETOOBIG) {
		rc_page_error(r, 413, "Your record with its training files is larger than one download can hold; the "
		                      "clinic can export it for you with runcare export.");
	} else if (e) {
		rc_page_error(r, 503, "The download could not be made; try again in a moment.");
	} else {
		rc_buf_put(&r->out, zip, len);
		r->content_type = "application/zip";
		char name[80], day[11];
		rc_tz_date(r->now, day);
		snprintf(name, sizeof name, "attachment; filename=\"runcare-record-%s.zip\"", day);
		rc_req_header(r, "Content-Disposition", name);
	}
	free(zip);
}
