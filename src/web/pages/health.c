/* health.c — GET /healthz: 200 when the database answers, 503 when it does not. */
#include "base/buf.h"
#include "web/pages/pages.h"

void rc_page_healthz(rc_req *r)
{
	r->content_type = "text/plain; charset=utf-8";
	if (!rc_db_ping(rc_req_db(r))) {
		r->status = 503;
		rc_buf_lit(&r->out, "database unavailable\n");
		return;
	}
	rc_buf_lit(&r->out, "ok\n");
}
