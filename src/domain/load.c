/* load.c — TRIMP from time at heart rate, and the words for each kind of load (see load.h). */
#include "domain/load.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double rc_load_trimp(const int32_t hr_s[RC_HR_BINS], int rest, int max)
{
	if (max <= rest + 20)
		return 0;
	double trimp = 0;
	for (int i = 0; i < RC_HR_BINS; i++) {
		if (hr_s[i] <= 0)
			continue;
		double hr = RC_HR_BIN0 + (i + 0.5) * RC_HR_BIN_W;
		double r = (hr - rest) / (double)(max - rest);
		r = r < 0 ? 0 : r > 1 ? 1 : r;
		trimp += hr_s[i] / 60.0 * r * 0.64 * exp(RC_TRIMP_K * r);
	}
	return trimp;
}

int rc_load_top_hr(const int32_t hr_s[RC_HR_BINS])
{
	for (int i = RC_HR_BINS - 1; i >= 0; i--)
		if (hr_s[i] >= RC_HR_MAX_HOLD_S)
			return RC_HR_BIN0 + i * RC_HR_BIN_W + RC_HR_BIN_W / 2;
	return 0;
}

const char *rc_load_name(rc_load_kind k)
{
	return k == RC_LOAD_HEART ? "heart-rate load (TRIMP)" : k == RC_LOAD_EFFORT ? "session RPE (effort × minutes)"
	                                                                           : "running time";
}

const char *rc_load_unit(rc_load_kind k)
{
	return k == RC_LOAD_HEART ? "TRIMP" : k == RC_LOAD_EFFORT ? "AU" : "min";
}

void rc_load_bins_text(const double hr_s[RC_HR_BINS], char *out, int n)
{
	int at = 0, any = 0;
	out[0] = '\0';
	for (int i = 0; i < RC_HR_BINS; i++)
		any |= hr_s[i] >= 0.5;
	if (!any)
		return;
	for (int i = 0; i < RC_HR_BINS && at < n; i++)
		at += snprintf(out + at, (size_t)(n - at), "%s%lld", i ? "," : "", (long long)llround(hr_s[i]));
	if (at >= n)
		out[0] = '\0'; /* too small a buffer: none rather than a cut list */
}

bool rc_load_bins_parse(const char *s, int32_t out[RC_HR_BINS])
{
	memset(out, 0, RC_HR_BINS * sizeof *out);
	if (!s || !*s)
		return false;
	bool any = false;
	for (int i = 0; i < RC_HR_BINS && *s; i++) {
		char *end;
		long v = strtol(s, &end, 10);
		if (end == s)
			return false;
		out[i] = v > 0 && v < INT32_MAX ? (int32_t)v : 0;
		any |= out[i] > 0;
		s = *end == ',' ? end + 1 : end;
	}
	return any;
}
