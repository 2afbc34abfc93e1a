/* routes.c — the whole map of the site: method, address, handler, who may call it, flags.
 * `runcare routes` prints it, and the access test walks every line of it. */
#include "web/http.h"
#include "store/billing_store.h"
#include "store/booking.h"
#include "store/training_store.h"
#include "store/waitlist.h"
#include "web/pages/activities.h"
#include "web/pages/pages.h"
#include "web/pages/selfcheck_pages.h"

const rc_route rc_routes[] = {
	/* The clinic's public pages. */
	{"GET", "/", rc_page_home, RC_ACCESS_PUBLIC, RC_ROUTE_ANON_CACHE, NULL},
	{"GET", "/articles", rc_page_articles, RC_ACCESS_PUBLIC, RC_ROUTE_ANON_CACHE, NULL},
	{"GET", "/articles/category/:slug", rc_page_category, RC_ACCESS_PUBLIC, RC_ROUTE_ANON_CACHE, NULL},
	{"GET", "/articles/:slug", rc_page_article, RC_ACCESS_PUBLIC, RC_ROUTE_ANON_CACHE, NULL},
	{"GET", "/static/:name", rc_page_static, RC_ACCESS_PUBLIC, RC_ROUTE_NO_SESSION, NULL},
	{"GET", "/healthz", rc_page_healthz, RC_ACCESS_PUBLIC, RC_ROUTE_NO_SESSION, NULL},

	/* The self-check: anonymous use works; a signed-in runner keeps a history. */
	{"GET", "/selfcheck", rc_page_selfcheck, RC_ACCESS_PUBLIC, RC_ROUTE_ANON_CACHE, NULL},
	{"GET", "/selfcheck/start", rc_page_selfcheck_start, RC_ACCESS_PUBLIC, 0, NULL},
	{"POST", "/selfcheck/step", rc_page_selfcheck_step, RC_ACCESS_PUBLIC, 0, NULL},
	{"GET", "/selfcheck/history", rc_page_selfcheck_history, RC_ACCESS_RUNNER, 0, NULL},
	{"GET", "/api/selfcheck/questions", rc_page_api_selfcheck_questions, RC_ACCESS_PUBLIC, RC_ROUTE_API, NULL},
	{"POST", "/api/selfcheck", rc_page_api_selfcheck, RC_ACCESS_PUBLIC, RC_ROUTE_API, NULL},
	/* The self-check one question at a time (selfcheck_ask.c). */
	{"GET", "/selfcheck/ask", rc_page_selfcheck_ask, RC_ACCESS_PUBLIC, 0, NULL},
	{"POST", "/selfcheck/ask", rc_page_selfcheck_ask_post, RC_ACCESS_PUBLIC, 0, NULL},
	{"POST", "/api/selfcheck/next", rc_page_api_selfcheck_next, RC_ACCESS_PUBLIC, RC_ROUTE_API, NULL},

	/* Signing in and out, accounts. */
	{"GET", "/signin", rc_page_signin, RC_ACCESS_PUBLIC, 0, NULL},
	{"POST", "/signin", rc_page_signin_post, RC_ACCESS_PUBLIC, 0, NULL},
	{"POST", "/signout", rc_page_signout, RC_ACCESS_USER, 0, NULL},
	{"GET", "/signup", rc_page_signup, RC_ACCESS_PUBLIC, 0, NULL},
	{"POST", "/signup", rc_page_signup_post, RC_ACCESS_PUBLIC, 0, NULL},
	{"GET", "/password/forgot", rc_page_forgot, RC_ACCESS_PUBLIC, 0, NULL},
	{"POST", "/password/forgot", rc_page_forgot_post, RC_ACCESS_PUBLIC, 0, NULL},
	{"GET", "/password/set/:token", rc_page_set_password, RC_ACCESS_PUBLIC, RC_ROUTE_SECRET, NULL},
	{"POST", "/password/set/:token", rc_page_set_password_post, RC_ACCESS_PUBLIC, RC_ROUTE_SECRET, NULL},
	{"GET", "/account", rc_page_account, RC_ACCESS_USER, 0, NULL},
	{"POST", "/account/password", rc_page_account_password, RC_ACCESS_USER, 0, NULL},
	{"GET", "/account/export", rc_page_account_export, RC_ACCESS_USER, 0, NULL},
	{"POST", "/account/delete", rc_page_account_delete, RC_ACCESS_RUNNER, 0, NULL},

	/* A runner's own record: that runner and the clinic's staff. */
	{"GET", "/runners/:runner", rc_page_runner_record, RC_ACCESS_RUNNER_RECORD, 0, NULL},
	{"GET", "/runners/:runner/training", rc_page_training, RC_ACCESS_CLINICAL_RECORD, 0, NULL},

	/* Home programs: the runner follows and logs; staff see and adjust. */
	{"GET", "/exercises/:drawing", rc_page_exercise_drawing, RC_ACCESS_PUBLIC, RC_ROUTE_NO_SESSION, NULL},
	{"POST", "/programs/start", rc_page_program_start, RC_ACCESS_RUNNER, 0, NULL},
	{"GET", "/today", rc_page_today, RC_ACCESS_RUNNER, 0, NULL},
	{"POST", "/today/log", rc_page_today_log, RC_ACCESS_RUNNER, 0, NULL},
	{"POST", "/today/stage", rc_page_today_stage, RC_ACCESS_RUNNER, 0, NULL},
	{"GET", "/diary", rc_page_diary, RC_ACCESS_RUNNER, 0, NULL},
	{"POST", "/diary", rc_page_diary_post, RC_ACCESS_RUNNER, 0, NULL},
	{"POST", "/diary/psfs", rc_page_psfs_post, RC_ACCESS_RUNNER, 0, NULL},
	{"GET", "/runners/:runner/program", rc_page_program_record, RC_ACCESS_CLINICAL_RECORD, 0, NULL},
	{"POST", "/runners/:runner/program", rc_page_program_assign, RC_ACCESS_CLINICIAN, 0, NULL},
	{"GET", "/runners/:runner/program/print", rc_page_program_print, RC_ACCESS_CLINICAL_RECORD, 0, NULL},

	/* Training files: a runner adds their own. */
	{"GET", "/training", rc_page_training_self, RC_ACCESS_RUNNER, 0, NULL},
	{"POST", "/training/upload", rc_page_training_upload, RC_ACCESS_RUNNER, RC_ROUTE_UPLOAD, NULL},
	{"GET", "/training/imports/:job", rc_page_training_import, RC_ACCESS_CLINICAL_RECORD, 0, rc_import_job_owner},

	/* Every activity (issue 18): the history, one activity's page, deleting or rating one's own; the
	 * runner's heart rate for the heart-rate load. */
	{"GET", "/training/activities", rc_page_activities_self, RC_ACCESS_RUNNER, 0, NULL},
	{"GET", "/runners/:runner/activities", rc_page_activities, RC_ACCESS_CLINICAL_RECORD, 0, NULL},
	{"GET", "/runners/:runner/activities/:activity", rc_page_activity, RC_ACCESS_CLINICAL_RECORD, 0, NULL},
	{"POST", "/training/activities/:activity/delete", rc_page_activity_delete, RC_ACCESS_RUNNER, 0, NULL},
	{"POST", "/training/activities/:activity/effort", rc_page_activity_effort, RC_ACCESS_RUNNER, 0, NULL},
	{"POST", "/training/heart", rc_page_training_heart, RC_ACCESS_RUNNER, 0, NULL},

	/* Booking: runners for themselves, the front desk for anyone. */
	{"GET", "/book", rc_page_book, RC_ACCESS_USER, 0, NULL},
	{"GET", "/book/:service", rc_page_book_service, RC_ACCESS_USER, 0, NULL},
	{"GET", "/book/:service/confirm", rc_page_book_confirm, RC_ACCESS_USER, 0, NULL},
	{"POST", "/book", rc_page_book_post, RC_ACCESS_USER, 0, NULL},
	{"GET", "/appointments", rc_page_appointments, RC_ACCESS_USER, 0, NULL},
	{"GET", "/appointments/:appointment", rc_page_appointment, RC_ACCESS_RUNNER_RECORD, 0, rc_appointment_owner},
	{"POST", "/appointments/:appointment/cancel", rc_page_appointment_cancel, RC_ACCESS_RUNNER_RECORD, 0,
	 rc_appointment_owner},
	{"POST", "/appointments/:appointment/move", rc_page_appointment_move, RC_ACCESS_RUNNER_RECORD, 0,
	 rc_appointment_owner},
	{"POST", "/appointments/:appointment/arrived", rc_page_appointment_arrived, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/appointments/:appointment/no-show", rc_page_appointment_no_show, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/appointments/:appointment/undo", rc_page_appointment_undo, RC_ACCESS_STAFF, 0, NULL},
	{"GET", "/schedule", rc_page_schedule, RC_ACCESS_STAFF, 0, NULL},
	{"GET", "/schedule/book", rc_page_schedule_book, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/schedule/book", rc_page_schedule_book_post, RC_ACCESS_STAFF, 0, NULL},
	{"GET", "/schedule/move/:appointment", rc_page_schedule_move, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/schedule/move/:appointment", rc_page_schedule_move_post, RC_ACCESS_STAFF, 0, NULL},
	{"GET", "/schedule/series/:series", rc_page_schedule_series, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/schedule/series/:series/cancel", rc_page_schedule_series_cancel, RC_ACCESS_STAFF, 0, NULL},
	{"GET", "/account/calendar", rc_page_calendar, RC_ACCESS_RUNNER, 0, NULL},
	{"POST", "/account/calendar/new", rc_page_calendar_new, RC_ACCESS_RUNNER, 0, NULL},
	{"POST", "/account/calendar/revoke", rc_page_calendar_revoke, RC_ACCESS_RUNNER, 0, NULL},
	{"GET", "/calendar/:feed", rc_page_calendar_feed, RC_ACCESS_PUBLIC, RC_ROUTE_SECRET | RC_ROUTE_NO_SESSION, NULL},
	{"GET", "/waitlist", rc_page_waitlist, RC_ACCESS_USER, 0, NULL},
	{"POST", "/waitlist", rc_page_waitlist_join, RC_ACCESS_USER, 0, NULL},
	{"POST", "/waitlist/:entry/cancel", rc_page_waitlist_cancel, RC_ACCESS_RUNNER_RECORD, 0, rc_waitlist_owner},
	{"GET", "/waitlist/offers/:offer", rc_page_offer, RC_ACCESS_RUNNER_RECORD, 0, rc_offer_owner},
	{"POST", "/waitlist/offers/:offer/accept", rc_page_offer_accept, RC_ACCESS_RUNNER_RECORD, 0, rc_offer_owner},
	{"POST", "/waitlist/offers/:offer/decline", rc_page_offer_decline, RC_ACCESS_RUNNER_RECORD, 0, rc_offer_owner},
	/* The clinic's setup (app/setup.c): a form to add or edit each thing; changes that cut across
	 * booked visits ask first. */
	{"GET", "/admin/clinic", rc_page_clinic_setup, RC_ACCESS_ADMIN, 0, NULL},
	{"GET", "/admin/clinic/services/edit", rc_page_clinic_service_edit, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/clinic/services", rc_page_clinic_service_save, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/clinic/services/retire", rc_page_clinic_service_retire, RC_ACCESS_ADMIN, 0, NULL},
	{"GET", "/admin/clinic/practitioners/edit", rc_page_clinic_practitioner_edit, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/clinic/practitioners", rc_page_clinic_practitioner_save, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/clinic/practitioners/retire", rc_page_clinic_practitioner_retire, RC_ACCESS_ADMIN, 0, NULL},
	{"GET", "/admin/clinic/hours/edit", rc_page_clinic_hours_edit, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/clinic/hours", rc_page_clinic_hours_save, RC_ACCESS_ADMIN, 0, NULL},
	{"GET", "/admin/clinic/time-off/edit", rc_page_clinic_time_off_edit, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/clinic/time-off", rc_page_clinic_time_off_save, RC_ACCESS_ADMIN, 0, NULL},

	/* The wave after a marathon: the front desk plans it; administrators set the clinic's default.
	 * Reports: administrators. */
	{"GET", "/wave", rc_page_wave, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/wave/events", rc_page_wave_event, RC_ACCESS_STAFF, 0, NULL},
	{"GET", "/wave/events/:event", rc_page_wave_event_edit, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/wave/events/:event", rc_page_wave_event_save, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/wave/events/:event/delete", rc_page_wave_event_delete, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/wave/hours", rc_page_wave_hours, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/wave/setting", rc_page_wave_setting, RC_ACCESS_ADMIN, 0, NULL},
	{"GET", "/admin/wave", rc_page_wave_moved, RC_ACCESS_STAFF, 0, NULL},
	{"GET", "/reports", rc_page_reports, RC_ACCESS_ADMIN, 0, NULL},
	{"GET", "/reports/:file", rc_page_reports_csv, RC_ACCESS_ADMIN, 0, NULL},

	/* The clinical chart: practitioners and administrators; the runner reads their own signed notes. */
	{"GET", "/runners/:runner/chart", rc_page_chart, RC_ACCESS_CLINICIAN, 0, NULL},
	{"GET", "/runners/:runner/chart/details", rc_page_chart_details, RC_ACCESS_CLINICIAN, 0, NULL},
	{"POST", "/runners/:runner/chart/details", rc_page_chart_details_post, RC_ACCESS_CLINICIAN, 0, NULL},
	{"POST", "/runners/:runner/chart/episodes", rc_page_chart_episode_post, RC_ACCESS_CLINICIAN, 0, NULL},
	{"GET", "/runners/:runner/chart/consent", rc_page_chart_consent, RC_ACCESS_CLINICIAN, 0, NULL},
	{"POST", "/runners/:runner/chart/consent", rc_page_chart_consent_post, RC_ACCESS_CLINICIAN, 0, NULL},
	{"POST", "/runners/:runner/chart/consent/withdraw", rc_page_chart_consent_withdraw, RC_ACCESS_CLINICIAN, 0, NULL},
	{"POST", "/runners/:runner/chart/adverse-events", rc_page_chart_adverse_post, RC_ACCESS_CLINICIAN, 0, NULL},
	{"GET", "/runners/:runner/chart/notes/new", rc_page_chart_note_new, RC_ACCESS_CLINICIAN, 0, NULL},
	{"POST", "/runners/:runner/chart/notes", rc_page_chart_note_create, RC_ACCESS_CLINICIAN, 0, NULL},
	{"GET", "/runners/:runner/chart/notes/:note", rc_page_chart_note, RC_ACCESS_CLINICIAN, 0, NULL},
	{"POST", "/runners/:runner/chart/notes/:note", rc_page_chart_note_save, RC_ACCESS_CLINICIAN, 0, NULL},
	{"POST", "/runners/:runner/chart/notes/:note/addenda", rc_page_chart_addendum_post, RC_ACCESS_CLINICIAN, 0, NULL},
	{"GET", "/runners/:runner/chart/episodes/:episode/letter", rc_page_chart_letter, RC_ACCESS_CLINICIAN, 0, NULL},
	{"GET", "/account/notes", rc_page_my_notes, RC_ACCESS_RUNNER, 0, NULL},

	/* The clinic's staff. */
	{"GET", "/admin/users", rc_page_admin_users, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/users", rc_page_admin_users_post, RC_ACCESS_ADMIN, 0, NULL},
	{"GET", "/admin/audit", rc_page_admin_audit, RC_ACCESS_ADMIN, 0, NULL},

	/* Patients (the front desk registers, merges and invites: app/patients.h says who) and people
	 * (an administrator changes roles, deactivates and invites). */
	{"GET", "/patients", rc_page_patients, RC_ACCESS_STAFF, 0, NULL},
	{"GET", "/patients/new", rc_page_patient_new, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/patients", rc_page_patient_register, RC_ACCESS_STAFF, 0, NULL},
	{"GET", "/runners/:runner/merge", rc_page_patient_merge, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/runners/:runner/merge", rc_page_patient_merge_post, RC_ACCESS_STAFF, 0, NULL},
	{"POST", "/runners/:runner/invite", rc_page_patient_invite, RC_ACCESS_STAFF, 0, NULL},
	{"GET", "/admin/users/:account", rc_page_person, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/users/:account/role", rc_page_person_role, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/users/:account/deactivate", rc_page_person_deactivate, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/users/:account/reactivate", rc_page_person_reactivate, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/users/:account/invite", rc_page_person_invite, RC_ACCESS_ADMIN, 0, NULL},

	/* The JSON API: bearer tokens only. */
	{"GET", "/api/me", rc_page_api_me, RC_ACCESS_USER, RC_ROUTE_API, NULL},
	{"GET", "/api/services", rc_page_api_services, RC_ACCESS_USER, RC_ROUTE_API, NULL},
	{"GET", "/api/practitioners", rc_page_api_practitioners, RC_ACCESS_USER, RC_ROUTE_API, NULL},
	{"GET", "/api/slots", rc_page_api_slots, RC_ACCESS_USER, RC_ROUTE_API, NULL},
	{"POST", "/api/appointments", rc_page_api_book, RC_ACCESS_USER, RC_ROUTE_API, NULL},
	{"GET", "/api/me/appointments", rc_page_api_my_appointments, RC_ACCESS_USER, RC_ROUTE_API, NULL},
	{"DELETE", "/api/appointments/:appointment", rc_page_api_cancel, RC_ACCESS_RUNNER_RECORD, RC_ROUTE_API,
	 rc_appointment_owner},
	{"GET", "/api/patients", rc_page_api_patients, RC_ACCESS_STAFF, RC_ROUTE_API, NULL},
	{"GET", "/api/patients/:runner/chart", rc_page_api_chart, RC_ACCESS_CHART, RC_ROUTE_API, NULL},
	{"POST", "/api/patients/:runner/episodes", rc_page_api_episode_post, RC_ACCESS_CLINICIAN, RC_ROUTE_API, NULL},
	{"POST", "/api/patients/:runner/notes", rc_page_api_note_post, RC_ACCESS_CLINICIAN, RC_ROUTE_API, NULL},
	{"POST", "/api/patients/:runner/consent", rc_page_api_consent_post, RC_ACCESS_CLINICIAN, RC_ROUTE_API, NULL},
	{"POST", "/api/patients/:runner/adverse-events", rc_page_api_adverse_post, RC_ACCESS_CLINICIAN, RC_ROUTE_API, NULL},
	{"PATCH", "/api/notes/:note", rc_page_api_note_patch, RC_ACCESS_CLINICIAN, RC_ROUTE_API, NULL},
	{"POST", "/api/notes/:note/sign", rc_page_api_note_sign, RC_ACCESS_CLINICIAN, RC_ROUTE_API, NULL},
	{"POST", "/api/notes/:note/addenda", rc_page_api_note_addendum, RC_ACCESS_CLINICIAN, RC_ROUTE_API, NULL},

	/* A patient's data in and out (issue 17). The readable download: the signed-in person's own record as one
	 * .zip (pages/download.c). HL7 FHIR R4, read-only (app/fhir.c): a patient's record for the runner and
	 * for clinicians, bearer token or session; anything else under /fhir is an OperationOutcome. */
	{"GET", "/account/export.zip", rc_page_account_download, RC_ACCESS_USER, 0, NULL},
	/* A patient's data in: a clinic moving in from another system's CSV export (pages/movein.c). */
	{"GET", "/admin/import", rc_page_movein, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/import", rc_page_movein_post, RC_ACCESS_ADMIN, RC_ROUTE_UPLOAD, NULL},
	{"GET", "/fhir/metadata", rc_page_fhir_metadata, RC_ACCESS_PUBLIC, RC_ROUTE_FHIR | RC_ROUTE_NO_SESSION, NULL},
	{"GET", "/fhir/Patient/:runner/$everything", rc_page_fhir_everything, RC_ACCESS_CHART, RC_ROUTE_FHIR, NULL},
	{"GET", "/fhir/:type", rc_page_fhir_unsupported, RC_ACCESS_PUBLIC, RC_ROUTE_FHIR | RC_ROUTE_NO_SESSION, NULL},
	{"GET", "/fhir/:type/:id", rc_page_fhir_read, RC_ACCESS_USER, RC_ROUTE_FHIR, NULL},
	{"GET", "/fhir/:type/:id/:operation", rc_page_fhir_unsupported, RC_ACCESS_PUBLIC,
	 RC_ROUTE_FHIR | RC_ROUTE_NO_SESSION, NULL},
	/* Billing pages (app/billing.h): a patient's statement and invoices (the runner reads their own), the front
	 * desk's forms, the day's close; the revenue reports are the administrator's. */
	{"GET", "/runners/:runner/billing", rc_page_billing_account, RC_ACCESS_RUNNER_RECORD, 0, NULL},
	{"GET", "/runners/:runner/superbill", rc_page_billing_superbill_period, RC_ACCESS_RUNNER_RECORD, 0, NULL},
	{"POST", "/runners/:runner/payments", rc_page_billing_account_pay, RC_ACCESS_DESK, 0, NULL},
	{"POST", "/runners/:runner/packages", rc_page_billing_sell, RC_ACCESS_DESK, 0, NULL},
	{"POST", "/visits/:appointment/invoice", rc_page_billing_invoice_visit, RC_ACCESS_DESK, 0, NULL},
	{"POST", "/visits/:appointment/fee", rc_page_billing_fee, RC_ACCESS_DESK, 0, NULL},
	{"GET", "/invoices/:invoice", rc_page_billing_invoice, RC_ACCESS_RUNNER_RECORD, 0, rc_invoice_owner},
	{"GET", "/invoices/:invoice/superbill", rc_page_billing_superbill, RC_ACCESS_RUNNER_RECORD, 0, rc_invoice_owner},
	{"POST", "/invoices/:invoice/payments", rc_page_billing_pay, RC_ACCESS_DESK, 0, NULL},
	{"POST", "/invoices/:invoice/credit-notes", rc_page_billing_credit, RC_ACCESS_DESK, 0, NULL},
	{"POST", "/payments/:payment/refunds", rc_page_billing_refund, RC_ACCESS_DESK, 0, NULL},
	{"GET", "/billing/day", rc_page_billing_day, RC_ACCESS_DESK, 0, NULL},
	{"GET", "/billing/day.csv", rc_page_billing_day_csv, RC_ACCESS_DESK, 0, NULL},
	{"GET", "/billing/reports", rc_page_billing_reports, RC_ACCESS_ADMIN, 0, NULL},
	{"GET", "/billing/revenue.csv", rc_page_billing_reports_csv, RC_ACCESS_ADMIN, 0, NULL},
	{"GET", "/admin/billing/codes", rc_page_billing_codes, RC_ACCESS_ADMIN, 0, NULL},
	{"POST", "/admin/billing/codes", rc_page_billing_codes_save, RC_ACCESS_ADMIN, 0, NULL},
	/* Billing (app/billing.h): runners read their own; the front desk invoices and takes payments. */
	{"GET", "/api/patients/:runner/invoices", rc_page_api_invoices, RC_ACCESS_RUNNER_RECORD, RC_ROUTE_API, NULL},
	{"GET", "/api/patients/:runner/balance", rc_page_api_balance, RC_ACCESS_RUNNER_RECORD, RC_ROUTE_API, NULL},
	{"GET", "/api/invoices/:invoice", rc_page_api_invoice, RC_ACCESS_RUNNER_RECORD, RC_ROUTE_API, rc_invoice_owner},
	{"POST", "/api/visits/:appointment/invoice", rc_page_api_visit_invoice, RC_ACCESS_DESK, RC_ROUTE_API, NULL},
	{"POST", "/api/invoices/:invoice/credit-notes", rc_page_api_credit_note, RC_ACCESS_DESK, RC_ROUTE_API, NULL},
	{"POST", "/api/invoices/:invoice/payments", rc_page_api_payment, RC_ACCESS_DESK, RC_ROUTE_API, NULL},
	{"POST", "/api/payments", rc_page_api_account_payment, RC_ACCESS_DESK, RC_ROUTE_API, NULL},
	{"POST", "/api/payments/:payment/refunds", rc_page_api_refund, RC_ACCESS_DESK, RC_ROUTE_API, NULL},
	{NULL, NULL, NULL, 0, 0, NULL},
};
