/* layout.h — the frame every HTML page shares, and the error page. */
#ifndef RC_LAYOUT_H
#define RC_LAYOUT_H

#include "web/http.h"

/* Starts an HTML page: doctype, head, skip link, header with the main navigation (nav names the
 * current section: "home" or "articles"), and opens <main>. */
void rc_page_begin(rc_req *r, const char *title, const char *nav);
/* Closes <main> and adds the footer. */
void rc_page_end(rc_req *r);
/* rc_page_error, the whole error page, is declared in http.h (http.c answers with it too). */

/* Forms: <form method="post"> with the CSRF token; fields with a label, the value the person typed,
 * and the sentence that says what is wrong with it (error may be NULL). */
void rc_form_open(rc_req *r, const char *action);
/* A label, the field's error beside it (when there is one) and the input, without a wrapper: what
 * rc_form_input puts in a paragraph and the lists' search forms put inline. A password's value is never
 * written back. */
void rc_form_labelled_input(rc_buf *b, const char *name, const char *label, const char *type, const char *value,
                            const char *error, const char *autocomplete, bool required);
void rc_form_input(rc_req *r, const char *name, const char *label, const char *type, const char *value,
                   const char *error, const char *autocomplete);
/* The same for a field that may be left empty. */
void rc_form_input_optional(rc_req *r, const char *name, const char *label, const char *type, const char *value);
void rc_form_close(rc_req *r, const char *button);
/* A one-button form (sign out, revoke): posts to action with the CSRF token. */
void rc_form_button(rc_req *r, const char *action, const char *button);
/* A notice or an alert paragraph. */
void rc_page_notice(rc_req *r, const char *text);
void rc_page_alert(rc_req *r, const char *text);

#endif
