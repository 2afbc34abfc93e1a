/* health.c — GET /healthz: 200 when the database answers, 503 when it does not. */
#include "base/buf.h"
#include "web/pages/pages.h"

static const rc_sql q_ping = {"health_ping", "SELECT 1"};

void rc_page_healthz(rc_req *r)
{
	r->content_type = "text/plain; charset=utf-8";
	rc_db *db = rc_req_db(r);
	rc_stmt *s = db ? rc_db_stmt(db, &q_ping) : NULL;
	bool row = false;
	if (!s || rc_stmt_step(s, &row) || !row) {
		r->status = 503;
		rc_buf_lit(&r->out, "database unavailable\n");
		return;
	}
	rc_buf_lit(&r->out, "ok\n");
}
