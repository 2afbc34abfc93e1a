/* selfcheck_ask.c — the self-check one question at a time. Each step is its own page: GET
 * /selfcheck/ask carries the answers so far in its address (a.KEY=value, in the order given), so Back
 * and Forward move between steps and a step can be reloaded or bookmarked. An answer is POSTed and
 * answered with a redirect to the next step (POST-redirect-GET: no "confirm form resubmission"). The
 * questions are chosen by rc_triage_next: warning signs that matter here first, then the one that best
 * tells the candidates apart, until no answer could change the level or the leading condition; an
 * emergency ends them at once. POST /api/selfcheck/next is the same for programs. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/selfcheck_pages.h"

typedef struct {
	rc_answers a;
	int order[RC_TRIAGE_MAX_FINDINGS]; /* the findings in the order answered */
	int n;
} answers_in;

/* Reads the a.KEY fields of a query or form, in order: "skip" marks a question skipped, "unknown" is
 * "don't know". An unknown key, one given twice or a value it cannot take: RC_EINVAL naming it
 * (*bad the finding, or -1 when the key is not one). */
static rc_err read_answers(const rc_triage_kb *kb, const rc_form *form, answers_in *in, int *bad, char *err, size_t errlen)
{
	memset(in, 0, sizeof *in);
	*bad = -1;
	for (size_t i = 0; i < form->n; i++) {
		const rc_field *fl = &form->fields[i];
		if (fl->filename || strncmp(fl->name, "a.", 2) != 0)
			continue;
		int f = rc_triage_finding(kb, fl->name + 2);
		if (f < 0)
			return rc_errf(err, errlen, RC_EINVAL, "'%s' is not a question runcare asks", fl->name + 2);
		if (in->a.state[f] != RC_ANS_ABSENT) {
			*bad = f;
			return rc_errf(err, errlen, RC_EINVAL, "'%s' is answered twice; give one answer", fl->name + 2);
		}
		if (strcmp(fl->value, "skip") == 0) {
			in->a.state[f] = RC_ANS_SKIPPED;
		} else {
			rc_err e = rc_selfcheck_answer_text(kb, f, fl->value, &in->a, err, errlen);
			if (e) {
				*bad = f;
				return e;
			}
			if (in->a.state[f] == RC_ANS_ABSENT)
				continue; /* left empty: not answered */
		}
		in->order[in->n++] = f;
	}
	return RC_OK;
}

/* Room for a step's answers in the request's arena (NULL, with 503 sent, when it is full). */
static answers_in *new_answers(rc_req *r)
{
	answers_in *in = rc_arena_alloc(&r->arena, sizeof *in);
	if (in)
		memset(in, 0, sizeof *in);
	else
		rc_page_error(r, 503, "Out of memory; try again in a moment.");
	return in;
}

/* One answer as it travels in an address or a hidden field. */
static const char *answer_text(const rc_triage_kb *kb, const rc_answers *a, int f, char *buf, size_t n)
{
	const rc_finding *fd = &kb->findings[f];
	switch (a->state[f]) {
	case RC_ANS_UNKNOWN: return "unknown";
	case RC_ANS_SKIPPED: return "skip";
	case RC_ANS_ABSENT: return "";
	case RC_ANS_VALUE: break;
	}
	if (fd->type == RC_FT_BOOL)
		return a->value[f] ? "yes" : "no";
	if (fd->type == RC_FT_ENUM)
		return fd->values[a->value[f]];
	snprintf(buf, n, "%d", a->value[f]);
	return buf;
}

/* The step's address: /selfcheck/ask?a.region=…&a.KEY=… for the first n answers. Keys and values are
 * the knowledge's own ([a-z0-9_]) or numbers, so they need no escaping here. */
static char *step_url(rc_req *r, const rc_triage_kb *kb, const answers_in *in, int n)
{
	if (n <= 0)
		return "/selfcheck";
	rc_buf u;
	rc_buf_init(&u, 8192);
	rc_err e = rc_buf_puts(&u, "/selfcheck/ask");
	for (int i = 0; !e && i < n; i++) {
		char num[16];
		int f = in->order[i];
		if (!(e = rc_buf_puts(&u, i ? "&a." : "?a.")) && !(e = rc_buf_puts(&u, kb->findings[f].key)) &&
		    !(e = rc_buf_puts(&u, "=")))
			e = rc_buf_puts(&u, answer_text(kb, &in->a, f, num, sizeof num));
	}
	char *s = !e && u.len ? rc_arena_strndup(&r->arena, u.data, u.len) : NULL;
	rc_buf_free(&u);
	return s ? s : "/selfcheck";
}

static void question_page(rc_req *r, const rc_triage_kb *kb, const answers_in *in, const rc_next *nx, bool invalid,
                          const char *err)
{
	rc_buf *b = &r->out;
	const rc_finding *fd = &kb->findings[nx->finding];
	rc_page_begin(r, "Self-check", "selfcheck");
	rc_html_lit(b, "<h1>Self-check: ");
	rc_html_text(b, rc_selfcheck_region_words(kb, &in->a));
	rc_html_lit(b, "</h1>\n<p class=\"meta\">");
	rc_html_printf(b, "Question %d. ", in->n);
	if (nx->warning)
		rc_html_lit(b, "Warning signs first: a yes to one of these changes what to do. ");
	rc_html_lit(b, "\"I don't know\" is a fine answer, and you can skip any question.</p>\n");
	if (err && !invalid)
		rc_page_alert(r, err);
	rc_form_open(r, "/selfcheck/ask");
	for (int i = 0; i < in->n; i++) {
		char num[16];
		int f = in->order[i];
		if (f == nx->finding)
			continue;
		rc_html_lit(b, "<input type=\"hidden\" name=\"a.");
		rc_html_text(b, kb->findings[f].key);
		rc_html_lit(b, "\" value=\"");
		rc_html_text(b, answer_text(kb, &in->a, f, num, sizeof num));
		rc_html_lit(b, "\">");
	}
	rc_html_lit(b, "<input type=\"hidden\" name=\"q\" value=\"");
	rc_html_text(b, fd->key);
	rc_html_lit(b, "\">");
	rc_selfcheck_question(b, kb, &in->a, nx->finding, invalid, err);
	rc_html_lit(b, "<p class=\"actions\"><button type=\"submit\" name=\"go\" value=\"next\">Next</button> "
	               "<button type=\"submit\" name=\"go\" value=\"skip\" class=\"secondary\">Skip this question</button>"
	               "</p></form>\n<p><a href=\"");
	rc_html_text(b, step_url(r, kb, in, in->n - 1));
	rc_html_lit(b, "\">Back</a> · <a href=\"/selfcheck\">Start again</a></p>\n");
	if (in->n > 1) {
		rc_html_lit(b, "<details class=\"so-far\"><summary>Your answers so far (");
		rc_html_printf(b, "%d", in->n - 1);
		rc_html_lit(b, ")</summary><dl>");
		for (int i = 1; i < in->n; i++) {
			char num[48];
			int f = in->order[i];
			rc_html_lit(b, "<dt>");
			rc_html_text(b, kb->findings[f].question);
			rc_html_lit(b, "</dt><dd>");
			rc_html_text(b, in->a.state[f] == RC_ANS_SKIPPED ? "Skipped"
			                                                 : rc_selfcheck_answer_words(kb, &in->a, f, num, sizeof num));
			rc_html_lit(b, "</dd>");
		}
		rc_html_lit(b, "</dl></details>\n");
	}
	rc_page_end(r);
}

/* The step these answers lead to: the next question, or the result (not saved: a GET never writes). */
static void show_step(rc_req *r, const rc_triage_kb *kb, const answers_in *in)
{
	rc_next nx;
	rc_triage_next(kb, &in->a, &nx);
	if (nx.done)
		rc_selfcheck_result_page(r, kb, &in->a, in->n > 1 ? step_url(r, kb, in, in->n - 1) : NULL);
	else
		question_page(r, kb, in, &nx, false, NULL);
}

void rc_selfcheck_first_question(rc_req *r, const rc_triage_kb *kb, const rc_answers *where)
{
	answers_in *in = new_answers(r);
	if (!in)
		return;
	in->a = *where;
	in->order[in->n++] = kb->region;
	show_step(r, kb, in);
}

/* The answers of a step's address or a whole form, each valid (else 400 naming it), where it hurts among
 * them (else 400 saying no_region) and consistent together (else 422): NULL when the error is sent. */
static answers_in *valid_answers(rc_req *r, const rc_triage_kb *kb, const rc_form *form, const char *no_region)
{
	answers_in *in = new_answers(r);
	char err[400];
	int bad;
	if (!in)
		return NULL;
	if (read_answers(kb, form, in, &bad, err, sizeof err)) {
		rc_page_error(r, 400, err);
		return NULL;
	}
	if (in->a.state[kb->region] != RC_ANS_VALUE) {
		rc_page_error(r, 400, no_region);
		return NULL;
	}
	if (rc_selfcheck_validate(kb, &in->a, &bad, err, sizeof err)) {
		rc_page_error(r, 422, err);
		return NULL;
	}
	return in;
}

void rc_page_selfcheck_ask(rc_req *r)
{
	const rc_triage_kb *kb = r->app->triage;
	answers_in *in = valid_answers(r, kb, &r->query, "Choose where it hurts from the body map or the list.");
	if (in)
		show_step(r, kb, in);
}

void rc_page_selfcheck_ask_post(rc_req *r)
{
	const rc_triage_kb *kb = r->app->triage;
	answers_in *in = new_answers(r);
	char err[400];
	int bad;
	if (!in)
		return;
	const char *q = rc_req_form(r, "q"), *go = rc_req_form(r, "go");
	int asked = q ? rc_triage_finding(kb, q) : -1;
	rc_err e = read_answers(kb, &r->form, in, &bad, err, sizeof err);
	if (!e && asked >= 0 && go && strcmp(go, "skip") == 0) {
		if (in->a.state[asked] == RC_ANS_ABSENT)
			in->order[in->n++] = asked;
		in->a.state[asked] = RC_ANS_SKIPPED;
	}
	if (e && bad < 0) {
		rc_page_error(r, 400, err);
		return;
	}
	if (in->a.state[kb->region] != RC_ANS_VALUE) {
		rc_page_error(r, 400, "The form lost where it hurts; start again from the body map.");
		return;
	}
	/* The question asked again, with what was wrong beside it (its answer left as it was). */
	rc_next again = {.finding = bad >= 0 ? bad : asked};
	if (!e && asked >= 0 && in->a.state[asked] == RC_ANS_ABSENT) {
		e = RC_EINVAL;
		snprintf(err, sizeof err, "Choose an answer for '%s', or skip this question.", kb->findings[asked].key);
		again.finding = asked;
	}
	if (!e)
		e = rc_selfcheck_validate(kb, &in->a, &bad, err, sizeof err);
	if (e) {
		if (again.finding < 0 || again.finding == kb->region) {
			rc_page_error(r, 422, err);
			return;
		}
		r->status = 422;
		if (bad >= 0)
			again.finding = bad;
		question_page(r, kb, in, &again, true, err);
		return;
	}
	rc_next nx;
	rc_triage_next(kb, &in->a, &nx);
	if (nx.done)
		rc_selfcheck_store(r, kb, &in->a); /* the result is kept here, once; its page is the GET */
	rc_req_redirect(r, step_url(r, kb, in, in->n));
}

/* POST /selfcheck/step: the three steps the self-check had before one question a page. A form still
 * open in a tab from then carries on from what it holds: its answers are read as the new form's are (a
 * bad one is 400, naming it), and it goes on, as a new answer does, to the step they lead to (303): the
 * next question, or the result, which is kept here, once. */
void rc_page_selfcheck_step(rc_req *r)
{
	const rc_triage_kb *kb = r->app->triage;
	answers_in *in = valid_answers(r, kb, &r->form, "The form lost where it hurts; start again from the body map.");
	if (!in)
		return;
	/* Where it hurts comes first in the address, as the new steps have it. */
	for (int i = 0; in->order[0] != kb->region && i < in->n; i++)
		if (in->order[i] == kb->region) {
			in->order[i] = in->order[0];
			in->order[0] = kb->region;
		}
	rc_next nx;
	rc_triage_next(kb, &in->a, &nx);
	if (nx.done)
		rc_selfcheck_store(r, kb, &in->a);
	rc_req_redirect(r, step_url(r, kb, in, in->n));
}

/* --- JSON -------------------------------------------------------------------------------------- */

bool rc_selfcheck_api_answers(rc_req *r, const rc_triage_kb *kb, rc_answers *a, bool with_skipped)
{
	char err[512];
	if (r->body.len > RC_SELFCHECK_MAX_BODY) {
		rc_page_error(r, 413, "The body is larger than 16 KB; a self-check's answers fit in far less.");
		return false;
	}
	json_error_t je;
	json_t *in = r->body.len ? json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je) : NULL;
	if (!json_is_object(in)) {
		snprintf(err, sizeof err, "The body must be a JSON object: {\"answers\": {...}%s}%s%s",
		         with_skipped ? ", \"skipped\": [...]" : "", in ? "" : r->body.len ? ": " : "",
		         in ? "" : r->body.len ? je.text : "");
		json_decref(in);
		rc_page_error(r, 400, err);
		return false;
	}
	const char *key;
	json_t *v;
	rc_err e = RC_OK;
	json_object_foreach(in, key, v)
	{
		/* The one-shot API takes a whole vignette too (its id and narrative ride along). */
		if (with_skipped && !e && strcmp(key, "answers") != 0 && strcmp(key, "skipped") != 0)
			e = rc_errf(err, sizeof err, RC_EINVAL, "'%.200s' is not part of the body: send 'answers' and, optionally, "
			            "'skipped'.", key);
	}
	json_t *answers = json_object_get(in, "answers"), *skipped = json_object_get(in, "skipped");
	if (e)
		;
	else if (!json_is_object(answers))
		e = rc_errf(err, sizeof err, RC_EINVAL, "'answers' must be an object of finding: value (see GET /api/selfcheck/questions).");
	else if (skipped && !json_is_array(skipped))
		e = rc_errf(err, sizeof err, RC_EINVAL, "'skipped' must be a list of the questions the runner skipped.");
	else
		e = rc_selfcheck_answers(kb, answers, a, err, sizeof err);
	for (size_t i = 0; !e && with_skipped && i < json_array_size(skipped); i++) {
		const char *s = json_string_value(json_array_get(skipped, i));
		int f = rc_triage_finding(kb, s);
		if (f < 0)
			e = rc_errf(err, sizeof err, RC_EINVAL, "'skipped' names '%.200s', which is not a question runcare asks", s ? s : "?");
		else if (a->state[f] != RC_ANS_ABSENT)
			e = rc_errf(err, sizeof err, RC_EINVAL, "'%s' is both answered and skipped; it is one or the other", s);
		else
			a->state[f] = RC_ANS_SKIPPED;
	}
	json_decref(in);
	if (e) {
		rc_page_error(r, 400, err);
		return false;
	}
	int bad;
	if (rc_selfcheck_validate(kb, a, &bad, err, sizeof err)) {
		rc_page_error(r, 422, err);
		return false;
	}
	return true;
}

void rc_page_api_selfcheck_next(rc_req *r)
{
	const rc_triage_kb *kb = r->app->triage;
	rc_answers a;
	if (!rc_selfcheck_api_answers(r, kb, &a, true))
		return;
	int asked = 0;
	for (int f = 0; f < kb->nfindings; f++)
		asked += a.state[f] != RC_ANS_ABSENT;
	rc_next nx;
	rc_triage_next(kb, &a, &nx);
	rc_triage_result *res = NULL;
	if (nx.done) {
		/* large: in the request's arena, not on a request thread's stack */
		if (!(res = rc_arena_alloc(&r->arena, sizeof *res))) {
			rc_page_error(r, 503, "Out of memory; try again in a moment.");
			return;
		}
		rc_triage_eval(kb, &a, res);
		rc_triage_unanswered_skipped(res, &a);
	}
	/* Written straight into the answer, as POST /api/selfcheck's is. */
	r->status = 200;
	r->content_type = "application/json";
	if (rc_selfcheck_next_write(kb, &nx, res, asked, &r->out) || rc_buf_putc(&r->out, '\n')) {
		rc_buf_reset(&r->out);
		rc_page_error(r, 500, "The answer could not be written.");
	}
}
