/* wave.c — expected visits after an event, from earlier ones. */
#include "domain/wave.h"

bool rc_wave_teaches(int64_t event_day, int64_t planned_day, int64_t today)
{
	return event_day < planned_day && event_day + RC_WAVE_DAYS < today;
}

void rc_wave_expected(const int64_t totals[RC_WAVE_DAYS], int learned, double out[RC_WAVE_DAYS])
{
	for (int d = 0; d < RC_WAVE_DAYS; d++)
		out[d] = learned > 0 ? (double)totals[d] / learned : d < 7 ? RC_WAVE_DEFAULT_WEEK1 : RC_WAVE_DEFAULT_WEEK2;
}
