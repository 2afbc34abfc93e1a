/* router.c — matches a method and path against the route table in routes.c, and prints the table. */
#include <stdio.h>
#include <string.h>

#include "web/http.h"

/* Matches path against pattern segment by segment; params point into path copies in buf. */
static bool match(const char *pattern, const char *path, const char *params[RC_HTTP_MAX_PARAMS], char *buf,
                  size_t buflen)
{
	size_t np = 0, used = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++, s++;
		const char *pe = strchr(p, '/'), *se = strchr(s, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
		if (pl && *p == ':') {
			if (sl == 0 || np == RC_HTTP_MAX_PARAMS || used + sl + 1 > buflen)
				return false;
			memcpy(buf + used, s, sl);
			buf[used + sl] = '\0';
			params[np++] = buf + used;
			used += sl + 1;
		} else if (pl != sl || memcmp(p, s, pl) != 0) {
			return false;
		}
		p += pl, s += sl;
	}
	return *p == '\0' && *s == '\0';
}

const rc_route *rc_route_match(const char *method, const char *path, const char *params[RC_HTTP_MAX_PARAMS],
                               char *allowed, size_t allowed_len)
{
	/* Params live in a per-thread buffer only until the caller copies them. */
	static _Thread_local char buf[4096];
	bool head = strcmp(method, "HEAD") == 0;
	size_t alen = 0;
	allowed[0] = '\0';
	for (const rc_route *r = rc_routes; r->method; r++) {
		const char *tmp[RC_HTTP_MAX_PARAMS] = {0};
		if (!match(r->pattern, path, tmp, buf, sizeof buf))
			continue;
		if (strcmp(r->method, method) == 0 || (head && strcmp(r->method, "GET") == 0)) {
			memcpy(params, tmp, sizeof tmp);
			return r;
		}
		if (!strstr(allowed, r->method) && alen + strlen(r->method) + 8 < allowed_len)
			alen += (size_t)snprintf(allowed + alen, allowed_len - alen, "%s%s%s", alen ? ", " : "",
			                         r->method, strcmp(r->method, "GET") == 0 ? ", HEAD" : "");
	}
	return NULL;
}

void rc_route_table_print(FILE *out)
{
	static const char *const access[] = {"public", "user",  "runner",          "runner_record", "staff",
	                                     "admin",  "clinical_record", "clinician", "desk", "chart"};
	for (const rc_route *r = rc_routes; r->method; r++)
		fprintf(out, "%s\t%s\t%s\t%s%s%s%s%s\n", r->method, r->pattern, access[r->access],
		        r->flags & RC_ROUTE_FHIR ? "fhir " : "", r->flags & RC_ROUTE_API ? "api " : "", r->flags & RC_ROUTE_UPLOAD ? "upload " : "",
		        r->flags & RC_ROUTE_SECRET ? "secret " : "", r->flags & RC_ROUTE_NO_SESSION ? "no-session" : "");
}
