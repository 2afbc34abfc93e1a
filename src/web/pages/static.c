/* static.c — the stylesheet, script and icons compiled into the binary, with ETag revalidation. */
#include <string.h>

#include "web/layout.h"
#include "web/pages/pages.h"

void rc_page_static(rc_req *r)
{
	const rc_app *app = r->app;
	for (size_t i = 0; i < app->nstatics; i++) {
		const rc_static_file *f = &app->statics[i];
		if (strcmp(f->name, r->params[0]) != 0)
			continue;
		/* A versioned URL (?v=) never changes its bytes, so it may be cached for a year. */
		const char *v = rc_req_query(r, "v");
		rc_req_header(r, "Cache-Control", v ? "public, max-age=31536000, immutable" : "public, max-age=3600");
		rc_req_header(r, "ETag", f->etag);
		const char *inm = rc_req_in_header(r, "If-None-Match");
		r->content_type = f->content_type;
		if (inm && strstr(inm, f->etag)) {
			r->status = 304;
			return;
		}
		r->out_static = f->data;
		r->out_static_len = f->len;
		return;
	}
	rc_page_error(r, 404, "There is no such file.");
}
