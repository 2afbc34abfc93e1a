/* home.c — the clinic's front page: who it is, what it treats, hours, how to reach it. */
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

void rc_page_home(rc_req *r)
{
	const rc_clinic *c = &r->app->content->clinic;
	rc_buf *b = &r->out;
	rc_page_begin(r, "Home", "home");
	rc_html_lit(b, "<section class=\"hero\"><h1>");
	rc_html_text(b, c->name);
	rc_html_lit(b, "</h1><p class=\"tagline\">");
	rc_html_text(b, c->tagline);
	rc_html_lit(b, "</p><p>");
	rc_html_text(b, c->about);
	rc_html_lit(b, "</p><p class=\"actions\"><a class=\"button\" href=\"/selfcheck\">Check what it may be</a> "
	               "<a href=\"/book\">Book a visit</a> <a href=\"/articles\">Read our articles</a></p></section>\n");

	rc_html_lit(b, "<section class=\"treats\" aria-labelledby=\"treats-h\"><h2 id=\"treats-h\">What we treat</h2>"
	               "<ul class=\"cards\">");
	for (size_t i = 0; i < c->ntreats; i++) {
		const rc_treat *t = &c->treats[i];
		rc_html_lit(b, "<li class=\"card\"><h3>");
		if (t->article) {
			rc_html_lit(b, "<a href=\"/articles/");
			rc_html_url_arg(b, t->article);
			rc_html_lit(b, "\">");
			rc_html_text(b, t->name);
			rc_html_lit(b, "</a>");
		} else {
			rc_html_text(b, t->name);
		}
		rc_html_lit(b, "</h3><p>");
		rc_html_text(b, t->summary);
		rc_html_lit(b, "</p></li>");
	}
	rc_html_lit(b, "</ul>");
	if (c->nservices) {
		rc_html_lit(b, "<p>Treatments: ");
		for (size_t i = 0; i < c->nservices; i++) {
			if (i)
				rc_html_lit(b, ", ");
			rc_html_text(b, c->services[i]);
		}
		rc_html_lit(b, ".</p>");
	}
	rc_html_lit(b, "</section>\n");

	rc_html_lit(b, "<section aria-labelledby=\"hours-h\"><h2 id=\"hours-h\">Hours</h2>"
	               "<table class=\"hours\"><caption>Opening hours (");
	rc_html_text(b, c->timezone);
	rc_html_lit(b, ")</caption><tbody>");
	for (size_t i = 0; i < c->nhours; i++) {
		const rc_hours *h = &c->hours[i];
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_text(b, h->days);
		rc_html_lit(b, "</th><td>");
		if (h->open) {
			rc_html_text(b, h->open);
			rc_html_lit(b, "–");
			rc_html_text(b, h->close);
		} else {
			rc_html_lit(b, "Closed");
		}
		rc_html_lit(b, "</td></tr>");
	}
	rc_html_lit(b, "</tbody></table></section>\n");

	rc_html_lit(b, "<section aria-labelledby=\"visit-h\"><h2 id=\"visit-h\">Visit us</h2><address>");
	rc_html_text(b, c->street);
	rc_html_lit(b, "<br>");
	rc_html_text(b, c->city);
	rc_html_lit(b, ", ");
	rc_html_text(b, c->region);
	rc_html_lit(b, " ");
	rc_html_text(b, c->postal_code);
	rc_html_lit(b, "<br>Phone: <a href=\"tel:");
	rc_html_tel(b, c->phone);
	rc_html_lit(b, "\">");
	rc_html_text(b, c->phone);
	rc_html_lit(b, "</a><br>Email: <a href=\"mailto:");
	rc_html_text(b, c->email);
	rc_html_lit(b, "\">");
	rc_html_text(b, c->email);
	rc_html_lit(b, "</a></address>");
	if (c->directions) {
		rc_html_lit(b, "<p>");
		rc_html_text(b, c->directions);
		rc_html_lit(b, "</p>");
	}
	rc_html_lit(b, "</section>\n");
	rc_page_end(r);
}
