/* routes.c — the whole map of the site: method, address, handler, who may call it, flags.
 * `runcare routes` prints it, and the access test walks every line of it. */
#include "web/http.h"
#include "web/pages/pages.h"

const rc_route rc_routes[] = {
	/* The clinic's public pages. */
	{"GET", "/", rc_page_home, RC_ACCESS_PUBLIC, 0},
	{"GET", "/articles", rc_page_articles, RC_ACCESS_PUBLIC, 0},
	{"GET", "/articles/category/:slug", rc_page_category, RC_ACCESS_PUBLIC, 0},
	{"GET", "/articles/:slug", rc_page_article, RC_ACCESS_PUBLIC, 0},
	{"GET", "/static/:name", rc_page_static, RC_ACCESS_PUBLIC, RC_ROUTE_NO_SESSION},
	{"GET", "/healthz", rc_page_healthz, RC_ACCESS_PUBLIC, RC_ROUTE_NO_SESSION},

	/* Signing in and out, accounts. */
	{"GET", "/signin", rc_page_signin, RC_ACCESS_PUBLIC, 0},
	{"POST", "/signin", rc_page_signin_post, RC_ACCESS_PUBLIC, 0},
	{"POST", "/signout", rc_page_signout, RC_ACCESS_USER, 0},
	{"GET", "/signup", rc_page_signup, RC_ACCESS_PUBLIC, 0},
	{"POST", "/signup", rc_page_signup_post, RC_ACCESS_PUBLIC, 0},
	{"GET", "/password/forgot", rc_page_forgot, RC_ACCESS_PUBLIC, 0},
	{"POST", "/password/forgot", rc_page_forgot_post, RC_ACCESS_PUBLIC, 0},
	{"GET", "/password/set/:token", rc_page_set_password, RC_ACCESS_PUBLIC, RC_ROUTE_SECRET},
	{"POST", "/password/set/:token", rc_page_set_password_post, RC_ACCESS_PUBLIC, RC_ROUTE_SECRET},
	{"GET", "/account", rc_page_account, RC_ACCESS_USER, 0},
	{"POST", "/account/password", rc_page_account_password, RC_ACCESS_USER, 0},
	{"GET", "/account/export", rc_page_account_export, RC_ACCESS_USER, 0},
	{"POST", "/account/delete", rc_page_account_delete, RC_ACCESS_RUNNER, 0},

	/* A runner's own record: that runner and the clinic's staff. */
	{"GET", "/runners/:runner", rc_page_runner_record, RC_ACCESS_RUNNER_RECORD, 0},

	/* The clinic's staff. */
	{"GET", "/patients", rc_page_patients, RC_ACCESS_STAFF, 0},
	{"GET", "/admin/users", rc_page_admin_users, RC_ACCESS_ADMIN, 0},
	{"POST", "/admin/users", rc_page_admin_users_post, RC_ACCESS_ADMIN, 0},
	{"GET", "/admin/audit", rc_page_admin_audit, RC_ACCESS_ADMIN, 0},

	/* The JSON API: bearer tokens only. */
	{"GET", "/api/me", rc_page_api_me, RC_ACCESS_USER, RC_ROUTE_API},
	{NULL, NULL, NULL, 0, 0},
};
