/* program_pages.h — what the home program's pages share: program.c (exercises, starting a program, the
 * calendar feed), today.c, diary.c, program_record.c and program_print.c. Not for other pages. */
#ifndef RC_PROGRAM_PAGES_H
#define RC_PROGRAM_PAGES_H

#include "app/program.h"
#include "web/http.h"
#include "web/valid.h"

/* The values a form shows (web/valid.h emitters): when a use case refused it (p not NULL), what was typed,
 * with the use case's sentence beside the field it names; else the defaults (NULL or a NULL entry: empty). */
void rc_program_page_values(rc_req *r, const rc_vfield *fields, size_t n, const char *const *defaults,
                            const rc_problem *p, rc_vvalue *out);
/* A form's whole number, or RC_APP_NOT_A_NUMBER when it is missing or not one. */
int rc_program_page_int(const char *s);
/* Answers a use case's refusal that is not about a field: 403, 404, 409 with its sentence, 503 when
 * the database failed (`what` names what could not be read or saved: "Your program"). */
void rc_program_page_refused(rc_req *r, rc_err e, const rc_problem *p, const char *what);
/* An exercise as a card: its name, drawing (not on paper), dose, steps, what to feel and avoid, why
 * not sooner and the source. */
void rc_program_page_exercise(rc_buf *b, const rc_stage_item *it, bool print);
/* What the logs say (hold, move on, step back), why and the source; with actions, the button that acts
 * on it (Today). */
void rc_program_page_decision(rc_req *r, const rc_program_view *v, bool actions);
/* The program's pain limits, as the decision uses them, in one paragraph. */
void rc_program_page_advice(rc_buf *b, const rc_program_view *v);

#endif
