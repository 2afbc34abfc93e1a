/* selfcheck.c — the self-check on the web: the body map, a question's fieldset, the result and the
 * history (no JavaScript needed; the steps themselves are in selfcheck_ask.c), and as JSON. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/time.h"
#include "content/programs.h"
#include "content/selfcheck.h"
#include "app/selfcheck_keep.h"
#include "app/selfcheck_slot.h"
#include "store/selfcheck_store.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/selfcheck_pages.h"
#include "web/pages/visit.h"

/* The body map: where each region sits on a simple front/back figure, and its plain name. */
static const struct {
	const char *region, *label;
	int cx, cy, rx, ry; /* viewBox 0 0 400 420; the left figure faces you, the right one shows the back */
} spots[] = {
	{"neck", "Neck", 300, 62, 16, 12},
	{"mid_back", "Middle of the back", 300, 125, 30, 22},
	{"low_back", "Lower back", 300, 170, 30, 16},
	{"sacrum_pelvis", "Base of the spine, the dimples", 300, 196, 22, 10},
	{"buttock_deep", "Middle of the buttock", 318, 218, 14, 12},
	{"buttock_sit_bone", "Sit bone", 286, 236, 12, 9},
	{"posterior_thigh", "Back of the thigh", 284, 280, 12, 28},
	{"calf", "Calf", 284, 345, 10, 22},
	{"achilles", "Achilles tendon", 284, 385, 6, 10},
	{"heel_sole", "Heel, underside", 316, 405, 10, 6},
	{"hip_lateral", "Outer hip", 64, 205, 10, 14},
	{"groin_hip_front", "Groin, front of hip", 112, 222, 14, 10},
	{"shin_inner", "Inner edge of the shin", 128, 330, 7, 26},
	{"shin_front", "Front of the shin", 86, 330, 8, 26},
	{"shin_outer", "Outer front of the lower leg", 72, 335, 6, 22},
	{"midfoot", "Top of the middle of the foot", 86, 392, 9, 6},
	{"forefoot", "Front of the foot, toes", 86, 408, 10, 6},
	{"foot_outer_edge", "Outer edge of the foot", 70, 400, 5, 7},
	{"knee_back", "Back of the knee", 316, 312, 9, 8},
	{"thigh_front", "Front of the thigh", 84, 262, 10, 22},
	{"thigh_inner", "Inner thigh", 107, 256, 5, 18},
	{"knee_front", "Front of the knee, the kneecap", 84, 300, 9, 8},
	{"knee_inner", "Inner side of the knee", 107, 300, 5, 8},
	{"knee_outer", "Outer side of the knee", 125, 300, 5, 8},
	{"ankle", "Ankle", 116, 384, 9, 6},
};

const char *rc_selfcheck_region_words(const rc_triage_kb *kb, const rc_answers *a)
{
	return a->state[kb->region] == RC_ANS_VALUE ? kb->findings[kb->region].words[a->value[kb->region]] : "";
}

void rc_page_selfcheck(rc_req *r)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "Self-check", "selfcheck");
	rc_html_lit(b, "<h1>Self-check: where does it hurt?</h1>\n<p class=\"alert\" role=\"note\">If you have numbness "
	               "between the legs, new trouble controlling your bladder or bowel, a sudden severe headache, new "
	               "breathlessness or chest pain, a limb that looks bent out of place, or a leg that is tense, swollen and "
	               "far more painful than it should be: call 911 now.</p>\n"
	               "<p>Choose the spot that hurts most. A few questions follow, warning signs first; then runcare says "
	               "what is likely, how urgent it is, and why. It takes about three minutes.</p>\n");
	/* Keyboard users tab through the links inside the figure; the list below says the same in words. */
	rc_html_lit(b, "<figure class=\"bodymap\"><svg viewBox=\"0 0 400 420\" role=\"group\" aria-labelledby=\"bm-t\">"
	               "<title id=\"bm-t\">Body map: the front of the body on the left, the back on the right</title>"
	               "<g class=\"figure\" aria-hidden=\"true\">"
	               "<circle cx=\"100\" cy=\"30\" r=\"22\"/><rect x=\"70\" y=\"55\" width=\"60\" height=\"150\" rx=\"22\"/>"
	               "<rect x=\"72\" y=\"195\" width=\"24\" height=\"205\" rx=\"10\"/><rect x=\"104\" y=\"195\" width=\"24\" "
	               "height=\"205\" rx=\"10\"/><circle cx=\"300\" cy=\"30\" r=\"22\"/><rect x=\"270\" y=\"55\" width=\"60\" "
	               "height=\"150\" rx=\"22\"/><rect x=\"272\" y=\"195\" width=\"24\" height=\"205\" rx=\"10\"/>"
	               "<rect x=\"304\" y=\"195\" width=\"24\" height=\"205\" rx=\"10\"/></g>");
	for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
		rc_html_lit(b, "<a href=\"/selfcheck/start?region=");
		rc_html_url_arg(b, spots[i].region);
		rc_html_lit(b, "\" aria-label=\"");
		rc_html_text(b, spots[i].label);
		rc_html_lit(b, "\"><ellipse class=\"spot\" cx=\"");
		rc_html_printf(b, "%d", spots[i].cx);
		rc_html_lit(b, "\" cy=\"");
		rc_html_printf(b, "%d", spots[i].cy);
		rc_html_lit(b, "\" rx=\"");
		rc_html_printf(b, "%d", spots[i].rx);
		rc_html_lit(b, "\" ry=\"");
		rc_html_printf(b, "%d", spots[i].ry);
		rc_html_lit(b, "\"><title>");
		rc_html_text(b, spots[i].label);
		rc_html_lit(b, "</title></ellipse></a>");
	}
	rc_html_lit(b, "</svg><figcaption>Front (left) and back (right).</figcaption></figure>\n"
	               "<h2>Or choose from the list</h2>\n<ul class=\"regions\">");
	for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
		rc_html_lit(b, "<li><a href=\"/selfcheck/start?region=");
		rc_html_url_arg(b, spots[i].region);
		rc_html_lit(b, "\">");
		rc_html_text(b, spots[i].label);
		rc_html_lit(b, "</a></li>");
	}
	rc_html_lit(b, "</ul>\n");
	rc_page_end(r);
}

/* --- the questions ------------------------------------------------------------------------------ */

void rc_selfcheck_question(rc_buf *b, const rc_triage_kb *kb, const rc_answers *a, int f, bool invalid, const char *err)
{
	const rc_finding *fd = &kb->findings[f];
	rc_html_lit(b, "<fieldset class=\"q\"><legend>");
	rc_html_text(b, fd->question);
	rc_html_lit(b, "</legend>");
	if (invalid) {
		rc_html_lit(b, "<p class=\"field-error\">");
		rc_html_text(b, err);
		rc_html_lit(b, "</p>");
	}
	bool has = a->state[f] == RC_ANS_VALUE;
	if (fd->type == RC_FT_INT) {
		rc_html_lit(b, "<label><span class=\"visually-hidden\">Answer</span><input type=\"number\" name=\"a.");
		rc_html_text(b, fd->key);
		rc_html_lit(b, "\" min=\"");
		rc_html_printf(b, "%d", fd->min);
		rc_html_lit(b, "\" max=\"");
		rc_html_printf(b, "%d", fd->max);
		rc_html_lit(b, "\"");
		if (has) {
			rc_html_lit(b, " value=\"");
			rc_html_printf(b, "%d", a->value[f]);
			rc_html_lit(b, "\"");
		}
		rc_html_lit(b, "></label>");
	} else {
		const char *opts[RC_TRIAGE_MAX_VALUES + 2];
		const char *labels[RC_TRIAGE_MAX_VALUES + 2];
		int n = 0, chosen = -1;
		if (fd->type == RC_FT_BOOL) {
			opts[n] = "yes", labels[n++] = "Yes";
			opts[n] = "no", labels[n++] = "No";
			if (has)
				chosen = a->value[f] ? 0 : 1;
		} else {
			for (int i = 0; i < fd->nvalues; i++)
				opts[n] = fd->values[i], labels[n++] = fd->words[i];
			if (has)
				chosen = a->value[f];
		}
		opts[n] = "unknown", labels[n++] = "I don't know";
		if (a->state[f] == RC_ANS_UNKNOWN)
			chosen = n - 1;
		for (int i = 0; i < n; i++) {
			rc_html_lit(b, "<label class=\"choice\"><input type=\"radio\" name=\"a.");
			rc_html_text(b, fd->key);
			rc_html_lit(b, "\" value=\"");
			rc_html_text(b, opts[i]);
			rc_html_lit(b, "\"");
			if (i == chosen)
				rc_html_lit(b, " checked");
			rc_html_lit(b, "> ");
			rc_html_text(b, labels[i]);
			rc_html_lit(b, "</label>");
		}
	}
	rc_html_lit(b, "</fieldset>\n");
}

void rc_page_selfcheck_start(rc_req *r)
{
	const rc_triage_kb *kb = r->app->triage;
	rc_answers a;
	char err[300];
	memset(&a, 0, sizeof a);
	const char *region = rc_req_query(r, "region");
	if (!region || rc_selfcheck_answer_text(kb, kb->region, region, &a, err, sizeof err) ||
	    a.state[kb->region] != RC_ANS_VALUE) {
		rc_page_error(r, 400, "Choose where it hurts from the body map or the list.");
		return;
	}
	/* One question at a time from here (selfcheck_ask.c). */
	rc_selfcheck_first_question(r, kb, &a);
}

/* The cookie that holds a visitor's token for a result made before signing up (selfcheck_keep.h). */
#define KEEP_COOKIE "rc_selfcheck"

/* A runner's result goes into their history; a visitor's (not signed in) is held for the account this
 * browser signs up or in to next, under a fresh token in a cookie. Staff trying it keep nothing. */
static void save(rc_req *r, const rc_triage_kb *kb, const rc_answers *a, const rc_triage_result *res)
{
	bool visitor = r->user.id == 0;
	if (r->user.role != RC_ROLE_RUNNER && !visitor)
		return;
	json_t *aj = rc_selfcheck_answers_json(kb, a), *rj = rc_selfcheck_result_json(kb, res);
	char *as = json_dumps(aj, JSON_COMPACT), *rs = json_dumps(rj, JSON_COMPACT);
	const char *top = res->nranked ? res->ranked[0].condition->key : "";
	int64_t id;
	if (visitor) {
		char token[RC_TOKEN_CHARS + 1], hash[RC_HEX_HASH + 1];
		rc_auth_token(token);
		rc_auth_token_hash(token, hash);
		rc_uc uc = rc_visit_uc(r);
		if (as && rs && uc.db && !rc_app_selfcheck_hold(&uc, hash, rc_level_name(res->urgency), top, as, rs))
			rc_req_cookie(r, KEEP_COOKIE, token, RC_SELFCHECK_PENDING_S);
		else
			rc_error("a visitor's self-check result could not be held");
	} else if (!as || !rs || rc_selfcheck_save(rc_req_db(r), r->user.id, r->now, rc_level_name(res->urgency), top, as,
	                                           rs, &id)) {
		rc_error("self-check result not saved for runner %lld", (long long)r->user.id);
	}
	free(as);
	free(rs);
	json_decref(aj);
	json_decref(rj);
}

/* A phone number as a tel: link ("(619) 555-0142" dials 6195550142). */
static void tel_link(rc_buf *b, const char *number, const char *cls, const char *label)
{
	char digits[32];
	size_t n = 0;
	for (const char *c = number; *c && n + 1 < sizeof digits; c++)
		if ((*c >= '0' && *c <= '9') || (*c == '+' && n == 0))
			digits[n++] = *c;
	digits[n] = '\0';
	rc_html_lit(b, "<a class=\"");
	rc_html_text(b, cls);
	rc_html_lit(b, "\" href=\"tel:");
	rc_html_text(b, digits);
	rc_html_lit(b, "\">");
	rc_html_text(b, label);
	rc_html_lit(b, "</a>");
}

/* What the result offers next, by level: an emergency only the calls (no booking: this cannot wait for
 * a visit); an urgent one the clinic's first free time today or the next clinic day, else its phone;
 * a "soon" one the booking page. */
static void what_next(rc_req *r, rc_level level)
{
	rc_buf *b = &r->out;
	const char *phone = r->app->content->clinic.phone;
	if (level == RC_LEVEL_EMERGENCY) {
		rc_html_lit(b, "<p class=\"calls\">");
		tel_link(b, "911", "button call", "Call 911");
		if (phone && *phone) {
			rc_html_lit(b, " ");
			char *label = rc_arena_printf(&r->arena, "Call the clinic: %s", phone);
			tel_link(b, phone, "button secondary", label ? label : phone);
		}
		rc_html_lit(b, "</p><p>If you cannot get to a phone, ask someone to call for you. Do not drive yourself.</p>");
		return;
	}
	if (level == RC_LEVEL_URGENT) {
		rc_urgent_slot us;
		rc_uc uc = rc_visit_uc(r);
		if (rc_req_db(r) && !rc_app_selfcheck_urgent_slot(&uc, &us) && us.found) {
			int64_t today = rc_tz_day_number(r->now), day = rc_tz_day_number(us.slot.start);
			rc_html_lit(b, "<p class=\"offer\">The clinic can see you ");
			if (day == today) {
				rc_html_lit(b, "today");
			} else if (day == today + 1) {
				rc_html_lit(b, "tomorrow");
			} else {
				char label[48];
				rc_visit_day_label(day, "on %A %e %B", label, sizeof label);
				rc_html_text(b, label);
			}
			rc_html_lit(b, " at ");
			rc_visit_time(b, us.slot.start, false);
			rc_html_lit(b, " (");
			rc_html_text(b, us.service.name);
			rc_html_lit(b, "): a physical therapist examines you and sends you on to a doctor or a scan if you need "
			               "one.</p><p><a class=\"button\" href=\"/book/");
			rc_html_url_arg(b, us.service.key);
			rc_html_printf(b, "/confirm?start=%lld&practitioner=%lld", (long long)us.slot.start,
			               (long long)us.slot.practitioner);
			rc_html_lit(b, "\">Book this time</a></p>");
		} else if (phone && *phone) {
			rc_html_lit(b, "<p class=\"offer\">The clinic has no free time today or tomorrow: call it to be fitted in, "
			               "or see your doctor or an urgent care centre today.</p><p>");
			char *label = rc_arena_printf(&r->arena, "Call the clinic: %s", phone);
			tel_link(b, phone, "button", label ? label : phone);
			rc_html_lit(b, "</p>");
		}
		return;
	}
	if (level == RC_LEVEL_SOON)
		rc_html_lit(b, "<p><a class=\"button\" href=\"/book\">Book a visit</a></p>");
}

void rc_selfcheck_claim_for(rc_req *r)
{
	const char *token = rc_form_get(&r->cookies, KEEP_COOKIE);
	if (!token || r->user.role != RC_ROLE_RUNNER)
		return;
	char hash[RC_HEX_HASH + 1];
	rc_auth_token_hash(token, hash);
	rc_uc uc = rc_visit_uc(r);
	bool claimed = false;
	if (!uc.db || rc_app_selfcheck_claim(&uc, hash, &claimed))
		rc_error("a self-check made before signing in could not be kept for runner %lld", (long long)r->user.id);
	rc_req_cookie(r, KEEP_COOKIE, "", 0); /* used once, kept or not */
}

void rc_selfcheck_store(rc_req *r, const rc_triage_kb *kb, const rc_answers *given)
{
	if (r->user.role != RC_ROLE_RUNNER && r->user.id != 0)
		return;
	rc_answers *a = rc_arena_alloc(&r->arena, sizeof *a);
	if (!a)
		return;
	*a = *given;
	rc_training_note notes[3];
	(void)rc_training_evidence(r, kb, a, notes, 3);
	rc_triage_result res;
	rc_triage_eval(kb, a, &res);
	rc_triage_unanswered_skipped(&res, a);
	save(r, kb, a, &res);
}

void rc_selfcheck_result_page(rc_req *r, const rc_triage_kb *kb, const rc_answers *given, const char *change)
{
	/* A signed-in runner's training files add the risk factors they show (a runner's own answer wins). */
	rc_answers *a = rc_arena_alloc(&r->arena, sizeof *a);
	if (!a) {
		rc_page_error(r, 503, "Out of memory; try again in a moment.");
		return;
	}
	*a = *given;
	rc_training_note notes[3];
	int nnotes = rc_training_evidence(r, kb, a, notes, 3);
	rc_triage_result res;
	rc_triage_eval(kb, a, &res);
	rc_triage_unanswered_skipped(&res, a); /* one question at a time: every warning sign that mattered was asked */
	rc_buf *b = &r->out;
	rc_page_begin(r, "Self-check result", "selfcheck");
	rc_html_lit(b, "<section class=\"result urgency-");
	rc_html_text(b, rc_level_name(res.urgency));
	rc_html_lit(b, "\" aria-labelledby=\"now-h\"><h1 id=\"now-h\">What to do now</h1><p class=\"now\">");
	rc_html_text(b, rc_selfcheck_action(res.urgency));
	rc_html_lit(b, "</p>");
	what_next(r, res.urgency);
	rc_html_lit(b, "</section>\n");
	bool emergency = res.urgency == RC_LEVEL_EMERGENCY;
	if (res.nfired || res.nunknown_critical) {
		rc_html_lit(b, "<h2>Why</h2>\n<ul class=\"why\">");
		for (int i = 0; i < res.nfired; i++) {
			rc_html_lit(b, "<li>");
			rc_html_text(b, res.fired[i].rule->reason);
			rc_html_lit(b, " <span class=\"source\">(");
			rc_html_text(b, res.fired[i].rule->source);
			rc_html_lit(b, ")</span></li>");
		}
		if (res.nunknown_critical)
			rc_html_lit(b, "<li>You were not sure about a warning sign that cannot wait, so this advice is one level "
			               "more urgent than it would otherwise be.</li>");
		rc_html_lit(b, "</ul>\n");
	}
	if (res.nranked) {
		rc_html_lit(b, "<h2>What it may be</h2>\n<ol class=\"likely\">");
		for (int i = 0; i < res.nranked && i < 3; i++) {
			/* The alternatives worth naming are those something the runner said points to: one that only
			 * the region suggests (septic arthritis after a rolled ankle) is not put in front of them. */
			if (i > 0 && (res.ranked[i].score <= 0 || res.ranked[i].npro == 0))
				continue;
			rc_html_lit(b, "<li>");
			rc_html_text(b, res.ranked[i].condition->name);
			/* What the runner said that points to it, in their words: the questions they answered yes
			 * (or with a value). A "no" that counts for a condition stays in the reckoning but is not
			 * shown as if it were a symptom. */
			int shown = 0;
			for (int k = 0; k < res.ranked[i].npro && shown < 4; k++) {
				int f = res.ranked[i].pro[k];
				const rc_finding *fd = &kb->findings[f];
				if (f == kb->region || a->state[f] != RC_ANS_VALUE || (fd->type == RC_FT_BOOL && a->value[f] == 0))
					continue;
				bool seen = false;
				for (int j = 0; j < k; j++)
					seen |= res.ranked[i].pro[j] == f;
				if (seen)
					continue;
				if (shown)
					rc_html_lit(b, "; ");
				else
					rc_html_lit(b, " <span class=\"meta\">— you said: ");
				char num[48];
				rc_html_text(b, fd->question);
				rc_html_lit(b, " <strong>");
				rc_html_text(b, rc_selfcheck_answer_words(kb, a, f, num, sizeof num));
				rc_html_lit(b, "</strong>");
				shown++;
			}
			if (shown)
				rc_html_lit(b, "</span>");
			rc_html_lit(b, "</li>");
		}
		rc_html_lit(b, "</ol>\n");
	}
	if (res.nranked && !emergency) {
		const rc_condition *top = res.ranked[0].condition;
		rc_html_lit(b, "<h2>Your plan</h2>\n<p>");
		rc_html_text(b, top->advice);
		rc_html_lit(b, "</p>\n");
		/* The home program that goes with it, when nothing here needs a clinician first. */
		const rc_program *prog = top->program && top->program[0] && r->app->programs
		                             ? rc_program_find(r->app->programs, top->program)
		                             : NULL;
		if (prog && res.urgency <= RC_LEVEL_SOON) {
			rc_html_lit(b, "<div class=\"start-program\"><p><strong>");
			rc_html_text(b, prog->name);
			rc_html_lit(b, "</strong>: ");
			rc_html_text(b, prog->summary);
			rc_html_lit(b, "</p>");
			if (r->user.role == RC_ROLE_RUNNER) {
				rc_html_lit(b, "<form method=\"post\" action=\"/programs/start\"><input type=\"hidden\" name=\"csrf\" "
				               "value=\"");
				rc_html_text(b, rc_req_csrf(r));
				rc_html_lit(b, "\"><input type=\"hidden\" name=\"program\" value=\"");
				rc_html_text(b, prog->key);
				rc_html_lit(b, "\"><button type=\"submit\">Start this home program</button></form>");
			} else {
				rc_html_lit(b, "<p><a href=\"/signup\">Create an account</a> to follow it day by day.</p>");
			}
			rc_html_lit(b, "</div>\n");
		}
		if (res.urgency <= RC_LEVEL_SOON && top->recheck_days) {
			rc_html_lit(b, "<p>");
			rc_html_printf(b, "Check again in %d days, or sooner if it gets worse or a warning sign appears.",
			               top->recheck_days);
			rc_html_lit(b, "</p>\n");
		}
		for (int i = 0; i < top->narticles; i++) {
			rc_html_lit(b, "<p>Read: <a href=\"/articles/");
			rc_html_url_arg(b, top->articles[i]);
			rc_html_lit(b, "\">");
			const rc_article *art = rc_content_article(r->app->content, top->articles[i]);
			rc_html_text(b, art ? art->title : top->articles[i]);
			rc_html_lit(b, "</a></p>\n");
		}
		rc_html_lit(b, "<p class=\"source\">Source: ");
		rc_html_text(b, top->source);
		rc_html_lit(b, "</p>\n");
	}
	if (res.nrisks && !emergency) {
		rc_html_lit(b, "<h2>What may have caused it</h2>\n<ul>");
		for (int i = 0; i < res.nrisks; i++) {
			rc_html_lit(b, "<li><strong>");
			rc_html_text(b, res.risks[i]->name);
			rc_html_lit(b, ":</strong> ");
			rc_html_text(b, res.risks[i]->advice);
			rc_html_lit(b, "</li>");
		}
		rc_html_lit(b, "</ul>\n");
	}
	if (nnotes && !emergency) {
		rc_html_lit(b, "<section class=\"from-files\" aria-labelledby=\"ff-h\"><h2 id=\"ff-h\">From your training "
		               "files</h2>\n<ul>");
		for (int i = 0; i < nnotes; i++) {
			rc_html_lit(b, "<li>");
			rc_html_text(b, notes[i].text);
			if (notes[i].overruled)
				rc_html_lit(b, " You answered no, so your answer was used.");
			rc_html_lit(b, "</li>");
		}
		rc_html_lit(b, "</ul><p><a href=\"/training\">See your training</a></p></section>\n");
	}
	/* An emergency is as urgent as it gets: no unanswered question could make it more so. */
	if (res.nunanswered && !emergency) {
		rc_html_lit(b, "<p>");
		rc_html_printf(b, "%d warning-sign question%s went unanswered; if any of them is true for you, the advice "
		                  "would be more urgent.", res.nunanswered, res.nunanswered == 1 ? "" : "s");
		rc_html_lit(b, "</p>\n");
	}
	rc_html_lit(b, "<p class=\"meta\">runcare gives general information, not a diagnosis. ");
	if (r->user.role == RC_ROLE_RUNNER)
		rc_html_lit(b, "This result is saved in <a href=\"/selfcheck/history\">your history</a>.");
	else if (r->user.id == 0 && rc_form_get(&r->cookies, KEEP_COOKIE))
		rc_html_lit(b, "This browser holds this result for 7 days: <a href=\"/signup\">create an account</a> or "
		               "<a href=\"/signin\">sign in</a> here and it joins your history, where the clinic sees it "
		               "beside the visit you book.");
	else
		rc_html_lit(b, "<a href=\"/signup\">Create an account</a> to keep your results.");
	rc_html_lit(b, "</p>\n<p>");
	if (change) {
		rc_html_lit(b, "<a href=\"");
		rc_html_text(b, change);
		rc_html_lit(b, "\">Change the last answer</a> · ");
	}
	rc_html_lit(b, "<a href=\"/selfcheck\">Start again</a></p>\n");
	rc_page_end(r);
}

struct history {
	rc_req *r;
	int n;
};

static void history_row(void *ctx, int64_t id, int64_t at, const char *urgency, const char *top)
{
	struct history *h = ctx;
	rc_buf *b = &h->r->out;
	char when[40];
	rc_tz_rfc3339(at, when, sizeof when);
	when[16] = '\0';
	when[10] = ' ';
	h->n++;
	(void)id;
	rc_html_lit(b, "<tr><td>");
	rc_html_text(b, when);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, rc_level_label(urgency));
	rc_html_lit(b, "</td><td>");
	int c = rc_triage_condition(h->r->app->triage, top);
	rc_html_text(b, c >= 0 ? h->r->app->triage->conditions[c].name : top);
	rc_html_lit(b, "</td></tr>\n");
}

void rc_page_selfcheck_history(rc_req *r)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "My self-checks", "selfcheck");
	rc_html_lit(b, "<h1>My self-checks</h1>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr>"
	               "<th scope=\"col\">When</th><th scope=\"col\">Urgency</th><th scope=\"col\">Most likely</th></tr>"
	               "</thead><tbody>\n");
	struct history h = {r, 0};
	if (rc_selfcheck_history(rc_req_db(r), r->user.id, history_row, &h)) {
		rc_page_error(r, 503, "Your history could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (!h.n)
		rc_html_lit(b, "<p>No self-checks yet. <a href=\"/selfcheck\">Start one</a>.</p>\n");
	rc_page_end(r);
}

/* --- JSON -------------------------------------------------------------------------------------- */


void rc_page_api_selfcheck(rc_req *r)
{
	const rc_triage_kb *kb = r->app->triage;
	rc_answers a;
	if (!rc_selfcheck_api_answers(r, kb, &a, false))
		return;
	rc_triage_result res;
	rc_triage_eval(kb, &a, &res);
	if (r->user.role == RC_ROLE_RUNNER) /* an API caller without an account has no browser to hold it for */
		save(r, kb, &a, &res);
	/* Written straight into the answer: the surge after a marathon is many of these at once. */
	r->status = 200;
	r->content_type = "application/json";
	if (rc_selfcheck_result_write(kb, &res, &r->out) || rc_buf_putc(&r->out, '\n')) {
		rc_buf_reset(&r->out);
		rc_page_error(r, 500, "The answer could not be written.");
	}
}

/* Every question and, per region, the questions that matter in asking order: the same document for every
 * request while the content is loaded, so it is built once (questions_text below). */
static json_t *questions_doc(const rc_triage_kb *kb)
{
	json_t *list = json_array(), *by_region = json_object();
	for (int f = 0; f < kb->nfindings; f++) {
		const rc_finding *fd = &kb->findings[f];
		json_t *q = json_pack("{s:s, s:s, s:s, s:s}", "key", fd->key, "type",
		                      fd->type == RC_FT_BOOL ? "bool" : fd->type == RC_FT_INT ? "int" : "enum", "question",
		                      fd->question, "group", fd->group);
		if (fd->type == RC_FT_ENUM) {
			json_t *vals = json_array();
			for (int i = 0; i < fd->nvalues; i++)
				json_array_append_new(vals, json_string(fd->values[i]));
			json_object_set_new(q, "values", vals);
		} else if (fd->type == RC_FT_INT) {
			json_object_set_new(q, "min", json_integer(fd->min));
			json_object_set_new(q, "max", json_integer(fd->max));
		}
		json_array_append_new(list, q);
	}
	/* The branching: for each region, the questions that matter, in asking order. */
	const rc_finding *rf = &kb->findings[kb->region];
	for (int v = 0; v < rf->nvalues; v++) {
		rc_answers a;
		memset(&a, 0, sizeof a);
		a.state[kb->region] = RC_ANS_VALUE;
		a.value[kb->region] = v;
		int q[RC_TRIAGE_MAX_FINDINGS];
		int n = rc_triage_questions(kb, &a, q, RC_TRIAGE_MAX_FINDINGS);
		json_t *keys = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(keys, json_string(kb->findings[q[i]].key));
		json_object_set_new(by_region, rf->values[v], keys);
	}
	return json_pack("{s:i, s:o, s:o, s:s}", "version", 1, "findings", list, "by_region", by_region, "answers",
	                 "absent: not asked; null: don't know");
}

/* The questions' JSON text, made from the first request's content and kept for the process: an anonymous
 * caller asking for it again and again costs a copy, not the whole document built and dumped each time. */
static pthread_mutex_t questions_lock = PTHREAD_MUTEX_INITIALIZER;
static const rc_triage_kb *questions_kb;
static char *questions_text;

void rc_page_api_selfcheck_questions(rc_req *r)
{
	const rc_triage_kb *kb = r->app->triage;
	pthread_mutex_lock(&questions_lock);
	if (questions_kb != kb || !questions_text) {
		free(questions_text);
		json_t *doc = questions_doc(kb);
		questions_text = doc ? json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		json_decref(doc);
		questions_kb = questions_text ? kb : NULL;
	}
	bool ok = questions_text && !rc_buf_puts(&r->out, questions_text) && !rc_buf_putc(&r->out, '\n');
	pthread_mutex_unlock(&questions_lock);
	if (!ok) {
		rc_buf_reset(&r->out);
		rc_page_error(r, 500, "The answer could not be written.");
		return;
	}
	r->status = 200;
	r->content_type = "application/json";
}
