/* pages.h — every page handler; routes.c is the one place that maps addresses to them. */
#ifndef RC_PAGES_H
#define RC_PAGES_H

#include "app/training.h"
#include "domain/triage.h"
#include "web/http.h"

void rc_page_home(rc_req *r);
void rc_page_articles(rc_req *r);
void rc_page_category(rc_req *r);
void rc_page_article(rc_req *r);
void rc_page_static(rc_req *r);
void rc_page_healthz(rc_req *r);

/* program.c */
void rc_page_exercise_drawing(rc_req *r);
void rc_page_program_start(rc_req *r);
void rc_page_program_assign(rc_req *r);
void rc_page_program_record(rc_req *r);
void rc_page_program_print(rc_req *r);
void rc_page_today(rc_req *r);
void rc_page_today_log(rc_req *r);
void rc_page_today_stage(rc_req *r);
void rc_page_diary(rc_req *r);
void rc_page_diary_post(rc_req *r);
void rc_page_psfs_post(rc_req *r);
/* The runner's program sessions for the next two weeks, as calendar events (the private feed). */
void rc_program_calendar(rc_req *r, int64_t runner, rc_buf *out);

/* training.c */
void rc_page_training_self(rc_req *r);
void rc_page_training(rc_req *r);
void rc_page_training_upload(rc_req *r);
void rc_page_training_import(rc_req *r);
/* The self-check's evidence from a signed-in runner's training files (app/training.h); 0 for anyone
 * who is not a signed-in runner. */
int rc_training_evidence(rc_req *r, const rc_triage_kb *kb, rc_answers *a, rc_training_note *notes, int max);

/* account.c */
void rc_page_signin(rc_req *r);
void rc_page_signin_post(rc_req *r);
void rc_page_signout(rc_req *r);
void rc_page_signup(rc_req *r);
void rc_page_signup_post(rc_req *r);
void rc_page_forgot(rc_req *r);
void rc_page_forgot_post(rc_req *r);
void rc_page_set_password(rc_req *r);
void rc_page_set_password_post(rc_req *r);
void rc_page_account(rc_req *r);
void rc_page_account_password(rc_req *r);
void rc_page_account_export(rc_req *r);
void rc_page_account_delete(rc_req *r);
/* Lower-cases and checks an email address; false when it is not one (app/account.h's rule). */
bool rc_clean_email(const char *in, char out[RC_EMAIL_MAX + 1]);

/* booking.c */
void rc_page_book(rc_req *r);
void rc_page_book_service(rc_req *r);
void rc_page_book_confirm(rc_req *r);
void rc_page_book_post(rc_req *r);
/* appointments.c */
void rc_page_appointments(rc_req *r);
void rc_page_appointment(rc_req *r);
void rc_page_appointment_cancel(rc_req *r);
void rc_page_appointment_move(rc_req *r);
void rc_page_appointment_arrived(rc_req *r);
void rc_page_appointment_no_show(rc_req *r);
void rc_page_appointment_undo(rc_req *r);
/* schedule.c */
void rc_page_schedule(rc_req *r);
/* schedule_book.c: booking into the grid, moving a visit, recurring series */
void rc_page_schedule_book(rc_req *r);
void rc_page_schedule_book_post(rc_req *r);
void rc_page_schedule_move(rc_req *r);
void rc_page_schedule_move_post(rc_req *r);
void rc_page_schedule_series(rc_req *r);
void rc_page_schedule_series_cancel(rc_req *r);

/* api.c */
void rc_page_api_services(rc_req *r);
void rc_page_api_practitioners(rc_req *r);
void rc_page_api_slots(rc_req *r);
void rc_page_api_book(rc_req *r);
void rc_page_api_my_appointments(rc_req *r);
void rc_page_api_cancel(rc_req *r);

/* waitlist.c */
void rc_page_waitlist(rc_req *r);
void rc_page_waitlist_join(rc_req *r);
void rc_page_waitlist_cancel(rc_req *r);
void rc_page_offer(rc_req *r);
void rc_page_offer_accept(rc_req *r);
void rc_page_offer_decline(rc_req *r);
/* A time came free (a cancellation): offer it to the next runner waiting (app/waitlist.h). Offers
 * whose hold runs out are passed on by the timed job (mail/mailer.c), not by requests. */
/* A <select name="condition"> of what the clinic treats, and whether a posted key is one. */
void rc_condition_select(rc_req *r, const char *selected);
bool rc_condition_known(rc_req *r, const char *key);

/* clinic_admin.c */
void rc_page_clinic_setup(rc_req *r);
void rc_page_clinic_service_edit(rc_req *r);
void rc_page_clinic_service_save(rc_req *r);
void rc_page_clinic_service_retire(rc_req *r);
void rc_page_clinic_practitioner_edit(rc_req *r);
void rc_page_clinic_practitioner_save(rc_req *r);
void rc_page_clinic_practitioner_retire(rc_req *r);
void rc_page_clinic_hours_edit(rc_req *r);
void rc_page_clinic_hours_save(rc_req *r);
void rc_page_clinic_time_off_edit(rc_req *r);
void rc_page_clinic_time_off_save(rc_req *r);

/* wave.c */
void rc_page_wave(rc_req *r);
void rc_page_wave_moved(rc_req *r);
void rc_page_wave_event(rc_req *r);
void rc_page_wave_event_edit(rc_req *r);
void rc_page_wave_event_save(rc_req *r);
void rc_page_wave_event_delete(rc_req *r);
void rc_page_wave_hours(rc_req *r);
void rc_page_wave_setting(rc_req *r);

/* reports.c */
void rc_page_reports(rc_req *r);
void rc_page_reports_csv(rc_req *r);

/* selfcheck.c */
void rc_page_selfcheck(rc_req *r);
void rc_page_selfcheck_start(rc_req *r);
void rc_page_selfcheck_history(rc_req *r);
void rc_page_api_selfcheck(rc_req *r);
void rc_page_api_selfcheck_questions(rc_req *r);

/* calendar.c */
void rc_page_calendar(rc_req *r);
void rc_page_calendar_new(rc_req *r);
void rc_page_calendar_revoke(rc_req *r);
void rc_page_calendar_feed(rc_req *r);

/* chart.c, chart_note.c, chart_letter.c, chart_api.c: the clinical chart */
void rc_page_chart(rc_req *r);
void rc_page_chart_details(rc_req *r);
void rc_page_chart_details_post(rc_req *r);
void rc_page_chart_episode_post(rc_req *r);
void rc_page_chart_consent(rc_req *r);
void rc_page_chart_consent_post(rc_req *r);
void rc_page_chart_consent_withdraw(rc_req *r);
void rc_page_chart_adverse_post(rc_req *r);
void rc_page_chart_note_new(rc_req *r);
void rc_page_chart_note_create(rc_req *r);
void rc_page_chart_note(rc_req *r);
void rc_page_chart_note_save(rc_req *r);
void rc_page_chart_addendum_post(rc_req *r);
void rc_page_chart_letter(rc_req *r);
void rc_page_my_notes(rc_req *r);
void rc_page_api_patients(rc_req *r);
void rc_page_api_chart(rc_req *r);
void rc_page_api_episode_post(rc_req *r);
void rc_page_api_note_post(rc_req *r);
void rc_page_api_note_patch(rc_req *r);
void rc_page_api_note_sign(rc_req *r);
void rc_page_api_note_addendum(rc_req *r);
void rc_page_api_consent_post(rc_req *r);
void rc_page_api_adverse_post(rc_req *r);

/* staff.c */
void rc_page_runner_record(rc_req *r);
void rc_page_admin_users(rc_req *r);
void rc_page_admin_users_post(rc_req *r);
void rc_page_admin_audit(rc_req *r);
void rc_page_api_me(rc_req *r);

/* patients.c: the front desk's patients; and what the pages that call one use case share: */
/* The status of a use case's answer: 422 bad input, 409 a rule, 404, 403, else 503. */
unsigned rc_page_status_of(rc_err e);
/* The error page for a use case's refusal with its sentence, or 503 (logged, naming what) when the
 * database failed. */
void rc_page_refused(rc_req *r, rc_err e, const struct rc_problem *p, const char *what);
/* The route's first :param as a record's number (0 when it is not one). */
int64_t rc_page_param_id(rc_req *r);
void rc_page_patients(rc_req *r);
void rc_page_patient_new(rc_req *r);
void rc_page_patient_register(rc_req *r);
void rc_page_patient_merge(rc_req *r);
void rc_page_patient_merge_post(rc_req *r);
void rc_page_patient_invite(rc_req *r);

/* people.c: an administrator's page for one account */
void rc_page_person(rc_req *r);
void rc_page_person_role(rc_req *r);
void rc_page_person_deactivate(rc_req *r);
void rc_page_person_reactivate(rc_req *r);
void rc_page_person_invite(rc_req *r);
/* An account's status in words: active, no password yet, no email, deactivated. */
const char *rc_people_status(const rc_account *a);
/* Invites account id (app/account.h's rc_app_invite) and shows the result: where the invitation went,
 * or, with no mail relay, its link once. back: "/runners/" or "/admin/users/", the page to return to. */
void rc_people_invite(rc_req *r, int64_t id, const char *back);
/* After a staff member is added: the same, for their first invitation. */
void rc_people_staff_added(rc_req *r, const char *email, const char *token);

/* movein.c: a clinic moving in from another system */
void rc_page_movein(rc_req *r);
void rc_page_movein_post(rc_req *r);
/* download.c: the person's own record as one .zip */
void rc_page_account_download(rc_req *r);
/* fhir.c: HL7 FHIR R4, read-only */
void rc_page_fhir_metadata(rc_req *r);
void rc_page_fhir_everything(rc_req *r);
void rc_page_fhir_read(rc_req *r);
void rc_page_fhir_unsupported(rc_req *r);
/* billing.c, billing_desk.c, billing_print.c: a patient's statement and invoices, the desk's forms, the day's
 * close, the revenue reports, the superbill */
void rc_page_billing_account(rc_req *r);
void rc_page_billing_account_pay(rc_req *r);
void rc_page_billing_sell(rc_req *r);
void rc_page_billing_invoice_visit(rc_req *r);
void rc_page_billing_fee(rc_req *r);
void rc_page_billing_invoice(rc_req *r);
void rc_page_billing_superbill(rc_req *r);
void rc_page_billing_superbill_period(rc_req *r);
void rc_page_billing_pay(rc_req *r);
void rc_page_billing_credit(rc_req *r);
void rc_page_billing_refund(rc_req *r);
void rc_page_billing_day(rc_req *r);
void rc_page_billing_day_csv(rc_req *r);
void rc_page_billing_reports(rc_req *r);
void rc_page_billing_reports_csv(rc_req *r);
void rc_page_billing_codes(rc_req *r);
void rc_page_billing_codes_save(rc_req *r);
/* billing_api.c: invoices, credit notes, payments and refunds over the JSON API */
void rc_page_api_invoices(rc_req *r);
void rc_page_api_balance(rc_req *r);
void rc_page_api_invoice(rc_req *r);
void rc_page_api_visit_invoice(rc_req *r);
void rc_page_api_credit_note(rc_req *r);
void rc_page_api_payment(rc_req *r);
void rc_page_api_account_payment(rc_req *r);
void rc_page_api_refund(rc_req *r);

#endif
