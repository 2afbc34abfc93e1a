/* layout.c — page frame, navigation and error pages. */
#include "web/layout.h"

#include <stdio.h>
#include <string.h>

#include "app/account.h"
#include "web/html.h"

static void nav_link(rc_buf *b, const char *href, const char *label, bool current)
{
	rc_html_lit(b, "<li><a href=\"");
	rc_html_text(b, href);
	rc_html_lit(b, "\"");
	if (current)
		rc_html_lit(b, " aria-current=\"page\"");
	rc_html_lit(b, ">");
	rc_html_text(b, label);
	rc_html_lit(b, "</a></li>");
}

void rc_page_begin(rc_req *r, const char *title, const char *nav)
{
	rc_buf *b = &r->out;
	const rc_clinic *c = &r->app->content->clinic;
	r->content_type = "text/html; charset=utf-8";
	rc_html_lit(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	rc_html_text(b, title);
	rc_html_lit(b, " · ");
	rc_html_text(b, c->name);
	rc_html_lit(b, "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css?v=");
	rc_html_url_arg(b, r->app->css_version);
	rc_html_lit(b, "\">\n<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n</head>\n<body>\n"
	               "<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n"
	               "<header class=\"site\"><div class=\"wrap\"><a class=\"brand\" href=\"/\">");
	rc_html_text(b, c->name);
	rc_html_lit(b, "</a>\n<nav aria-label=\"Main\"><ul>");
	nav_link(b, "/", "Home", nav && strcmp(nav, "home") == 0);
	nav_link(b, "/selfcheck", "Self-check", nav && strcmp(nav, "selfcheck") == 0);
	nav_link(b, "/articles", "Articles", nav && strcmp(nav, "articles") == 0);
	if (r->user.id) {
		if (rc_role_is_staff(r->user.role)) {
			nav_link(b, "/schedule", "Schedule", nav && strcmp(nav, "schedule") == 0);
			nav_link(b, "/patients", "Patients", nav && strcmp(nav, "patients") == 0);
			nav_link(b, "/wave", "Wave", nav && strcmp(nav, "wave") == 0);
			if (rc_role_handles_money(r->user.role)) /* a practitioner's billing is on each patient's page */
				nav_link(b, "/billing/day", "Billing", nav && strcmp(nav, "billing") == 0);
		} else {
			nav_link(b, "/appointments", "Appointments", nav && strcmp(nav, "book") == 0);
			nav_link(b, "/today", "Today", nav && strcmp(nav, "today") == 0);
			nav_link(b, "/training", "Training", nav && strcmp(nav, "training") == 0);
			nav_link(b, "/account/notes", "Visit notes", nav && strcmp(nav, "notes") == 0);
		}
		if (r->user.role == RC_ROLE_ADMIN) {
			nav_link(b, "/reports", "Reports", nav && strcmp(nav, "reports") == 0);
			nav_link(b, "/admin/users", "Admin", nav && strcmp(nav, "admin") == 0);
		}
		nav_link(b, "/account", "My account", nav && strcmp(nav, "account") == 0);
		rc_html_lit(b, "<li>");
		rc_form_button(r, "/signout", "Sign out");
		rc_html_lit(b, "</li>");
	} else {
		nav_link(b, "/signin", "Sign in", nav && strcmp(nav, "signin") == 0);
	}
	rc_html_lit(b, "</ul></nav></div></header>\n<main id=\"main\" class=\"wrap\">\n");
}

void rc_page_end(rc_req *r)
{
	rc_buf *b = &r->out;
	const rc_clinic *c = &r->app->content->clinic;
	rc_html_lit(b, "</main>\n<footer class=\"site\"><div class=\"wrap\"><p>");
	rc_html_text(b, c->name);
	rc_html_lit(b, " · ");
	rc_html_text(b, c->street);
	rc_html_lit(b, ", ");
	rc_html_text(b, c->city);
	rc_html_lit(b, " · <a href=\"tel:");
	rc_html_tel(b, c->phone);
	rc_html_lit(b, "\">");
	rc_html_text(b, c->phone);
	rc_html_lit(b, "</a></p><p>runcare gives general information, not a diagnosis. "
	               "In an emergency call 911.</p></div></footer>\n</body>\n</html>\n");
}

static const char *status_title(unsigned status)
{
	switch (status) {
	case 400: return "Bad request";
	case 403: return "Not allowed";
	case 404: return "Page not found";
	case 405: return "Method not allowed";
	case 413: return "Too large";
	case 414: return "Address too long";
	case 422: return "Cannot process this";
	case 431: return "Headers too large";
	case 503: return "Temporarily unavailable";
	default: return status >= 500 ? "Something went wrong on our side" : "Request not accepted";
	}
}

void rc_page_error(rc_req *r, unsigned status, const char *detail)
{
	rc_buf_reset(&r->out);
	r->status = status;
	if (r->route && (r->route->flags & RC_ROUTE_FHIR)) {
		rc_fhir_error(r, status, detail, NULL);
		return;
	}
	if (r->route && (r->route->flags & RC_ROUTE_API)) {
		r->content_type = "application/json";
		rc_buf_lit(&r->out, "{\"error\": \"");
		for (const char *p = detail; *p; p++) {
			if (*p == '"' || *p == '\\')
				rc_buf_putc(&r->out, '\\');
			if ((unsigned char)*p >= 0x20)
				rc_buf_putc(&r->out, *p);
		}
		rc_buf_printf(&r->out, "\", \"status\": %u}\n", status);
		return;
	}
	char title[64];
	snprintf(title, sizeof title, "%u %s", status, status_title(status));
	rc_page_begin(r, title, NULL);
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section class=\"error\"><h1>");
	rc_html_text(b, title);
	rc_html_lit(b, "</h1><p>");
	rc_html_text(b, detail);
	rc_html_lit(b, "</p><p><a href=\"/\">Go to the home page</a></p></section>\n");
	rc_page_end(r);
}

void rc_form_open(rc_req *r, const char *action)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<form class=\"stack\" method=\"post\" action=\"");
	rc_html_text(b, action);
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"csrf\" value=\"");
	rc_html_text(b, rc_req_csrf(r));
	rc_html_lit(b, "\">\n");
}

void rc_form_labelled_input(rc_buf *b, const char *name, const char *label, const char *type, const char *value,
                            const char *error, const char *autocomplete, bool required)
{
	rc_html_lit(b, "<label for=\"f-");
	rc_html_text(b, name);
	rc_html_lit(b, "\">");
	rc_html_text(b, label);
	rc_html_lit(b, "</label>");
	if (error) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-");
		rc_html_text(b, name);
		rc_html_lit(b, "\">");
		rc_html_text(b, error);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "<input id=\"f-");
	rc_html_text(b, name);
	rc_html_lit(b, "\" name=\"");
	rc_html_text(b, name);
	rc_html_lit(b, "\" type=\"");
	rc_html_text(b, type);
	rc_html_lit(b, "\"");
	/* A password is never sent back into the page. */
	if (value && strcmp(type, "password") != 0) {
		rc_html_lit(b, " value=\"");
		rc_html_text(b, value);
		rc_html_lit(b, "\"");
	}
	if (autocomplete) {
		rc_html_lit(b, " autocomplete=\"");
		rc_html_text(b, autocomplete);
		rc_html_lit(b, "\"");
	}
	if (error) {
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-");
		rc_html_text(b, name);
		rc_html_lit(b, "\"");
	}
	if (required)
		rc_html_lit(b, " required");
	rc_html_lit(b, ">");
}

static void input(rc_req *r, const char *name, const char *label, const char *type, const char *value,
                  const char *error, const char *autocomplete, bool required)
{
	rc_html_lit(&r->out, "<p>");
	rc_form_labelled_input(&r->out, name, label, type, value, error, autocomplete, required);
	rc_html_lit(&r->out, "</p>\n");
}

void rc_form_input(rc_req *r, const char *name, const char *label, const char *type, const char *value,
                   const char *error, const char *autocomplete)
{
	input(r, name, label, type, value, error, autocomplete, true);
}

void rc_form_input_optional(rc_req *r, const char *name, const char *label, const char *type, const char *value)
{
	input(r, name, label, type, value, NULL, "off", false);
}

void rc_form_close(rc_req *r, const char *button)
{
	rc_html_lit(&r->out, "<p><button type=\"submit\">");
	rc_html_text(&r->out, button);
	rc_html_lit(&r->out, "</button></p></form>\n");
}

void rc_form_button(rc_req *r, const char *action, const char *button)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<form class=\"inline\" method=\"post\" action=\"");
	rc_html_text(b, action);
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"csrf\" value=\"");
	rc_html_text(b, rc_req_csrf(r));
	rc_html_lit(b, "\"><button type=\"submit\">");
	rc_html_text(b, button);
	rc_html_lit(b, "</button></form>");
}

void rc_page_notice(rc_req *r, const char *text)
{
	rc_html_lit(&r->out, "<p class=\"notice\" role=\"status\">");
	rc_html_text(&r->out, text);
	rc_html_lit(&r->out, "</p>\n");
}

void rc_page_alert(rc_req *r, const char *text)
{
	rc_html_lit(&r->out, "<p class=\"alert\" role=\"alert\">");
	rc_html_text(&r->out, text);
	rc_html_lit(&r->out, "</p>\n");
}
