/* app.c — what every use case shares. */
#include "app/app.h"

#include <stdarg.h>
#include <stdio.h>

rc_err rc_problem_set(rc_problem *p, rc_err code, const char *field, const char *fmt, ...)
{
	if (p) {
		p->field = field;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->text, sizeof p->text, fmt, ap);
		va_end(ap);
	}
	return code;
}
