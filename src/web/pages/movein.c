/* movein.c (pages) — /admin/import: an administrator moves a clinic in from another practice system's CSV
 * export (app/movein.h), checking first (nothing written) and then for real; the report names each merge,
 * refusal and error by file, line and column. */
#include <stdio.h>
#include <string.h>

#include "app/movein.h"
#include "web/html.h"
#include "web/http.h"
#include "web/layout.h"
#include "web/pages/pages.h"

static const char *const labels[RC_MOVEIN_KINDS] = {"Patients", "Practitioners", "Services", "Appointments"};

static void form(rc_req *r)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<form class=\"stack\" method=\"post\" action=\"/admin/import\" enctype=\"multipart/form-data\">"
	               "<input type=\"hidden\" name=\"csrf\" value=\"");
	rc_html_text(b, rc_req_csrf(r));
	rc_html_lit(b, "\">\n");
	for (int k = 0; k < RC_MOVEIN_KINDS; k++) {
		rc_html_lit(b, "<p><label for=\"f-");
		rc_html_text(b, rc_movein_kinds[k]);
		rc_html_lit(b, "\">");
		rc_html_text(b, labels[k]);
		rc_html_lit(b, " (CSV)</label><input type=\"file\" accept=\".csv,text/csv\" id=\"f-");
		rc_html_text(b, rc_movein_kinds[k]);
		rc_html_lit(b, "\" name=\"");
		rc_html_text(b, rc_movein_kinds[k]);
		rc_html_lit(b, "\"></p>\n");
	}
	rc_html_lit(b, "<p><label for=\"f-mapping\">Column mapping (JSON, optional)</label><input type=\"file\" "
	               "accept=\".json,application/json\" id=\"f-mapping\" name=\"mapping\"></p>\n"
	               "<p><button type=\"submit\" name=\"action\" value=\"check\">Check the files (nothing is written)"
	               "</button> <button type=\"submit\" name=\"action\" value=\"import\">Move in</button></p></form>\n");
}

static void intro(rc_req *r)
{
	rc_html_lit(&r->out, "<h1>Move a clinic in</h1>\n<p>Bring the patients, practitioners, services and appointments of "
	                     "another practice system, exported as CSV files (UTF-8). Check the files first: every row is "
	                     "shown as created, merged with a record already here, or refused, with the line and the "
	                     "reason, and nothing is written. Moving in writes it all in one go, or nothing. The columns "
	                     "and the mapping file are explained in the administrators' guide (docs/import.md); the same "
	                     "is <code>runcare import-clinic</code> on the server.</p>\n");
}

void rc_page_movein(rc_req *r)
{
	rc_page_begin(r, "Move a clinic in", "admin");
	intro(r);
	form(r);
	rc_page_end(r);
}

static void report(rc_req *r, const rc_movein_report *rep, const rc_movein_mapping *map, const bool present[])
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<h2 id=\"counts-h\">What each file brings</h2>\n<div class=\"table-scroll\"><table "
	               "aria-labelledby=\"counts-h\"><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Created</th>"
	               "<th scope=\"col\">Merged</th><th scope=\"col\">Refused</th><th scope=\"col\">Errors</th></tr>"
	               "</thead><tbody>\n");
	for (int k = 0; k < RC_MOVEIN_KINDS; k++) {
		if (!present[k])
			continue;
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_text(b, labels[k]);
		rc_html_lit(b, "</th>");
		for (int o = 0; o < 4; o++) {
			rc_html_lit(b, "<td>");
			rc_html_printf(b, "%d", rep->count[k][o]);
			rc_html_lit(b, "</td>");
		}
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (!rep->nlines)
		return;
	rc_html_lit(b, "<h2 id=\"rows-h\">Merged, refused and errors, line by line</h2>\n<div class=\"table-scroll\"><table "
	               "aria-labelledby=\"rows-h\"><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Line</th>"
	               "<th scope=\"col\">Column</th><th scope=\"col\">What</th><th scope=\"col\">Why</th></tr></thead>"
	               "<tbody>\n");
	for (int i = 0; i < rep->nlines; i++) {
		const rc_movein_line *l = &rep->lines[i];
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, map->file[l->kind]);
		rc_html_lit(b, "</td><td>");
		if (l->line)
			rc_html_printf(b, "%d", l->line);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, l->column);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, rc_movein_outcomes[l->what]);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, l->text);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
}

void rc_page_movein_post(rc_req *r)
{
	rc_movein_input in = {0};
	bool present[RC_MOVEIN_KINDS] = {false};
	const rc_field *mapping = NULL;
	for (size_t i = 0; i < r->form.n; i++) {
		const rc_field *f = &r->form.fields[i];
		if (!f->filename || (f->len == 0 && !f->filename[0]))
			continue;
		if (strcmp(f->name, "mapping") == 0)
			mapping = f;
		for (int k = 0; k < RC_MOVEIN_KINDS; k++)
			if (strcmp(f->name, rc_movein_kinds[k]) == 0) {
				in.data[k] = f->value;
				in.len[k] = f->len;
				present[k] = true;
			}
	}
	const char *action = rc_req_form(r, "action");
	in.dry_run = !action || strcmp(action, "import") != 0;
	rc_movein_mapping map;
	rc_problem p = {0};
	rc_uc uc;
	rc_req_uc(r, &uc);
	in.map = &map;
	rc_movein_report rep = {0};
	rc_err e = rc_app_movein_mapping(mapping ? mapping->value : NULL, mapping ? mapping->len : 0, &map, &p);
	if (!e)
		e = uc.db ? rc_app_movein(&uc, &in, &rep, &p) : RC_EDB;
	if (e && e != RC_EINVAL && e != RC_EFORBIDDEN) {
		rc_page_error(r, 503, "The records could not be moved in just now; try again in a moment.");
		return;
	}
	r->status = e == RC_EFORBIDDEN ? 403 : e ? 422 : 200;
	rc_page_begin(r, "Move a clinic in", "admin");
	intro(r);
	if (e) {
		rc_html_lit(&r->out, "<p class=\"alert\" role=\"alert\">");
		rc_html_text(&r->out, p.text);
		rc_html_lit(&r->out, " Choose the files again (a browser does not keep them).</p>\n");
	} else {
		rc_page_notice(r, in.dry_run ? "Checked: nothing was written. Moving in would do what is listed below."
		                             : "Moved in, in one transaction.");
	}
	if (rep.nlines || !e)
		report(r, &rep, &map, present);
	rc_html_lit(&r->out, "<h2>Check or move in again</h2>\n");
	form(r);
	rc_page_end(r);
}
