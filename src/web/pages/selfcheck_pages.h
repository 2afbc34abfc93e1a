/* selfcheck_pages.h — what the self-check's pages share: selfcheck.c (the body map, the result, the
 * one-shot API) and selfcheck_ask.c (one question at a time, and its API). */
#ifndef RC_SELFCHECK_PAGES_H
#define RC_SELFCHECK_PAGES_H

#include <stdbool.h>

#include "content/selfcheck.h"
#include "web/http.h"

/* The answers of a self-check are a few hundred bytes; a body much larger is not one (413). */
enum { RC_SELFCHECK_MAX_BODY = 16 * 1024 };

/* The result page for these answers, reached one question at a time (a signed-in runner's training
 * files add what they show; nothing is saved: it is a GET, rc_selfcheck_store saves). change: where
 * "Change the last answer" leads, or NULL. */
void rc_selfcheck_result_page(rc_req *r, const rc_triage_kb *kb, const rc_answers *a, const char *change);
/* Saves a signed-in runner's result for these answers, as the result page would, without a page. */
void rc_selfcheck_store(rc_req *r, const rc_triage_kb *kb, const rc_answers *a);
/* After signing in or up: a result this browser made before (its cookie's token) joins the runner's
 * history, once; the cookie is cleared either way. */
void rc_selfcheck_claim_for(rc_req *r);
/* One question as a fieldset of choices (or a number), with its error when invalid. */
void rc_selfcheck_question(rc_buf *b, const rc_triage_kb *kb, const rc_answers *a, int f, bool invalid, const char *err);
/* Where it hurts, in words ("Front of the knee, the kneecap"). */
const char *rc_selfcheck_region_words(const rc_triage_kb *kb, const rc_answers *a);

/* selfcheck_ask.c */
/* The first question once the region is known (GET /selfcheck/start?region=…). */
void rc_selfcheck_first_question(rc_req *r, const rc_triage_kb *kb, const rc_answers *where);
void rc_page_selfcheck_ask(rc_req *r);      /* GET /selfcheck/ask?a.region=…&a.KEY=… */
void rc_page_selfcheck_ask_post(rc_req *r); /* POST /selfcheck/ask: one answer, then 303 to the next step */
void rc_page_selfcheck_step(rc_req *r);     /* POST /selfcheck/step: the old three-step form, 303 onwards */
void rc_page_api_selfcheck_next(rc_req *r); /* POST /api/selfcheck/next */
/* Reads a self-check API body into answers: at most RC_SELFCHECK_MAX_BODY (else 413), a JSON object
 * with 'answers' (and, with_skipped, 'skipped', and nothing else), each answer valid (else 400 naming
 * it), the answers consistent together (else 422 naming them). false: the error has been sent. */
bool rc_selfcheck_api_answers(rc_req *r, const rc_triage_kb *kb, rc_answers *a, bool with_skipped);

#endif
