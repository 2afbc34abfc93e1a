/* selfcheck.h — loads the self-check's knowledge (content/selfcheck/) into a triage KB, validated
 * with errors naming file, line and key; reads answers from JSON with the same care; writes results
 * as JSON (for the API and `runcare check --json`). */
#ifndef RC_SELFCHECK_H
#define RC_SELFCHECK_H

#include <jansson.h>

#include "base/buf.h"
#include "content/content.h"
#include "domain/triage.h"

/* dir NULL: the knowledge compiled into the binary. The caller frees *out with rc_selfcheck_free. */
RC_WUR rc_err rc_selfcheck_load(const char *dir, rc_triage_kb **out, char *err, size_t errlen);
void rc_selfcheck_free(rc_triage_kb *kb);

/* One file's bytes into kb (its strings and conditions in kb->arena), replacing what kb held from that
 * file. findings.json and conditions.json are the vocabulary the three .jsonl files are read against:
 * parsing either anew empties what refers to it (the rules and risk factors, the conditions' evidence),
 * so those files are parsed again after it. */
RC_WUR rc_err rc_selfcheck_parse_findings(rc_triage_kb *kb, const rc_content_file *f, char *err, size_t errlen);
RC_WUR rc_err rc_selfcheck_parse_conditions(rc_triage_kb *kb, const rc_content_file *f, char *err, size_t errlen);
RC_WUR rc_err rc_selfcheck_parse_redflags(rc_triage_kb *kb, const rc_content_file *f, char *err, size_t errlen);
RC_WUR rc_err rc_selfcheck_parse_evidence(rc_triage_kb *kb, const rc_content_file *f, char *err, size_t errlen);
RC_WUR rc_err rc_selfcheck_parse_riskfactors(rc_triage_kb *kb, const rc_content_file *f, char *err, size_t errlen);
/* The checks across the files, once each is parsed: every condition has its line of evidence. */
RC_WUR rc_err rc_selfcheck_link(const rc_triage_kb *kb, char *err, size_t errlen);

/* From a JSON object of answers, or a vignette {"answers": {...}}. An unknown key, a wrong type,
 * a value outside the allowed set or range: RC_EINVAL with a sentence naming the key and what is
 * allowed. null means "don't know". */
RC_WUR rc_err rc_selfcheck_answers(const rc_triage_kb *kb, json_t *obj, rc_answers *out, char *err, size_t errlen);
/* One answer given as text (a form field or a typed reply): "yes"/"no"/"unknown", an enum value or
 * a number. Empty text means not answered. */
RC_WUR rc_err rc_selfcheck_answer_text(const rc_triage_kb *kb, int finding, const char *text, rc_answers *a,
                                       char *err, size_t errlen);
/* One answer as a person reads it: "Yes", "I don't know", "Both sides", "38 years" (buf holds a number's
 * words; the result is buf or a string of kb's). */
const char *rc_selfcheck_answer_words(const rc_triage_kb *kb, const rc_answers *a, int f, char *buf, size_t n);
/* The checks across answers, once each is valid on its own: two that cannot both be true (RC_EINVAL,
 * naming both keys), a "yes" to a question about another part of the body (RC_EINVAL, naming it).
 * *bad gets the finding to correct. Refused rather than weighed: a slip must never lower the level. */
RC_WUR rc_err rc_selfcheck_validate(const rc_triage_kb *kb, const rc_answers *a, int *bad, char *err, size_t errlen);
/* The answers back as JSON (for history and hidden form fields). */
json_t *rc_selfcheck_answers_json(const rc_triage_kb *kb, const rc_answers *a);
/* The result as JSON: urgency, red_flags, conditions, risk_factors, plan, unanswered_red_flags. The
 * text is written straight into a buffer (compact, ASCII only: the API's answer, without building a
 * tree of objects first); _json parses the same text for those who keep or print it (NULL: no memory). */
enum { RC_SELFCHECK_RESULT_MAX = 256 * 1024 };
RC_WUR rc_err rc_selfcheck_result_write(const rc_triage_kb *kb, const rc_triage_result *r, rc_buf *out);
json_t *rc_selfcheck_result_json(const rc_triage_kb *kb, const rc_triage_result *r);
/* POST /api/selfcheck/next's answer, written the same way: {"question": {key, type, text, group,
 * warning, choices: [{value, words}...], and min, max, unit for a number}, "asked": n}, or when nx is
 * done {"result": (as above, from r), "asked": n}. */
RC_WUR rc_err rc_selfcheck_next_write(const rc_triage_kb *kb, const rc_next *nx, const rc_triage_result *r, int asked,
                                      rc_buf *out);
/* The sentence that says what to do now, for an urgency level. */
const char *rc_selfcheck_action(rc_level l);

#endif
