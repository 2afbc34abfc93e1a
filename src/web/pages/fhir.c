/* fhir.c (pages) — HL7 FHIR R4 over HTTP: GET /fhir/metadata (the CapabilityStatement) and
 * GET /fhir/Patient/:id/$everything and GET /fhir/:type/:id (app/fhir.c), answered in application/fhir+json; a refusal is an
 * OperationOutcome with its status. */
#include <stdlib.h>
#include <string.h>

#include "app/fhir.h"
#include "web/http.h"
#include "web/pages/chart_common.h"
#include "web/pages/pages.h"

static void answer(rc_req *r, unsigned status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	rc_buf_reset(&r->out);
	if (!text) {
		r->status = 500;
		r->content_type = "application/fhir+json";
		rc_buf_lit(&r->out, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"fatal\",\"code\":\"exception\"}]}\n");
		return;
	}
	if (strlen(text) + 1 > RC_HTTP_MAX_PAGE) {
		free(text);
		/* Said in FHIR's terms rather than cut: the caller can ask for part of it. */
		rc_fhir_error(r, 413, "The record is larger than one answer may be (8 MiB): ask for part of it with _type, "
		                      "or have the clinic write it with runcare export.", NULL);
		return;
	}
	r->status = status;
	r->content_type = "application/fhir+json";
	rc_buf_puts(&r->out, text);
	rc_buf_putc(&r->out, '\n');
	free(text);
}

void rc_fhir_error(rc_req *r, unsigned status, const char *detail, const char *expression)
{
	const char *code = status == 400 || status == 422 ? "invalid"
	                   : status == 401               ? "login"
	                   : status == 403               ? "forbidden"
	                   : status == 404               ? "not-found"
	                   : status == 405               ? "not-supported"
	                   : status == 413               ? "too-costly"
	                   : status == 429 || status == 503 ? "throttled"
	                                                 : "exception";
	answer(r, status, rc_app_fhir_outcome(code, detail, expression));
}

static rc_fhir_ctx fhir_ctx(rc_req *r, rc_chart_know *k)
{
	*k = rc_chart_know_of(r);
	return (rc_fhir_ctx){.know = k, .clinic = &r->app->content->clinic, .base = r->app->cfg->public_url};
}

void rc_page_fhir_metadata(rc_req *r)
{
	rc_chart_know k;
	rc_fhir_ctx f = fhir_ctx(r, &k);
	answer(r, 200, rc_app_fhir_capability(&f, r->now));
}

void rc_page_fhir_everything(rc_req *r)
{
	rc_chart_know k;
	rc_fhir_ctx f = fhir_ctx(r, &k);
	rc_fhir_param params[16];
	int n = 0;
	for (size_t i = 0; i < r->query.n; i++) {
		if (n == (int)(sizeof params / sizeof params[0])) {
			rc_fhir_error(r, 400, "Too many parameters.", NULL);
			return;
		}
		params[n++] = (rc_fhir_param){r->query.fields[i].name, r->query.fields[i].value};
	}
	char *end = NULL;
	long long id = strtoll(r->params[0], &end, 10);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	json_t *bundle = NULL;
	rc_err e = rc_req_db(r) ? rc_app_fhir_everything(&uc, &f, *end ? 0 : id, params, n, &bundle, &p) : RC_EIO;
	if (e == RC_EINVAL)
		rc_fhir_error(r, 400, p.text, p.field);
	else if (e == RC_ENOTFOUND)
		rc_fhir_error(r, 404, p.text, NULL);
	else if (e)
		rc_fhir_error(r, 503, "The record could not be read; try again in a moment.", NULL);
	else
		answer(r, 200, bundle);
}

void rc_page_fhir_read(rc_req *r)
{
	rc_chart_know k;
	rc_fhir_ctx f = fhir_ctx(r, &k);
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	json_t *res = NULL;
	rc_err e = rc_req_db(r) ? rc_app_fhir_read(&uc, &f, r->params[0], r->params[1], &res, &p) : RC_EIO;
	if (e == RC_ENOTFOUND || e == RC_EUNSUPPORTED)
		rc_fhir_error(r, 404, p.text, NULL);
	else if (e)
		rc_fhir_error(r, 503, "The record could not be read; try again in a moment.", NULL);
	else
		answer(r, 200, res);
}

void rc_page_fhir_unsupported(rc_req *r)
{
	rc_fhir_error(r, 404, "This server offers GET /fhir/metadata, GET /fhir/TYPE/ID and "
	                      "GET /fhir/Patient/ID/$everything only: no search, no writes.", NULL);
}
