/* fuzz_fit.c — libFuzzer target for the FIT decoder and the activity summary. */
#include <stddef.h>
#include <stdint.h>

#include "domain/summary.h"
#include "formats/activity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rc_summary s;
	rc_activity_info info;
	char err[256];
	rc_summary_init(&s);
	(void)rc_activity_kind(data, size);
	if (rc_fit_activity_read(data, size, 1795500000, rc_summary_sample, &s, &info, err, sizeof err) ==
	    RC_OK) {
		/* Whatever was read adds up to finite totals. */
		if (s.distance_m != s.distance_m || s.gain_m < 0 || s.loss_m < 0)
			__builtin_trap();
	}
	return 0;
}
