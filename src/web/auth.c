/* auth.c — what a credential's scope allows. */
#include "web/auth.h"

#include <string.h>

const char *rc_auth_scope_refusal(const rc_account *who, const char *method)
{
	if (!who->id || who->scope != RC_SCOPE_READ)
		return NULL;
	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return NULL;
	return "This API token may only read. Make one with --scope write to change anything.";
}
