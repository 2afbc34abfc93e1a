/* sport.c — running or cross-training, from the sport a file names (see sport.h). */
#include "domain/sport.h"

#include <string.h>
#include <strings.h>

static bool has(const char *s, const char *word)
{
	return strcasestr(s, word) != NULL;
}

/* Sports that are not running, by a word their names use (Garmin, Strava, TCX and GPX spellings). */
static const char *const cross_words[] = {"cycl", "bik", "ride", "swim", "walk", "hik", "row", "ski", "paddl",
                                          "kayak", "canoe", "elliptical", "strength", "yoga", "skat", "golf",
                                          "tennis", "soccer", "climb", "mountaineer", "surf", "stair"};

bool rc_sport_is_running(const char *sport)
{
	if (!sport[0] || has(sport, "run") || has(sport, "jog") || has(sport, "treadmill"))
		return true;
	for (size_t i = 0; i < sizeof cross_words / sizeof cross_words[0]; i++)
		if (has(sport, cross_words[i]))
			return false;
	/* FIT's "other" and unknown words: counted as running, as before, so no run is lost from the load. */
	return strcasecmp(sport, "other") == 0;
}

const char *rc_sport_kind(const char *sport)
{
	return rc_sport_is_running(sport) ? RC_SPORT_RUNNING : RC_SPORT_CROSS;
}

const char *rc_sport_label(const char *sport)
{
	if (rc_sport_is_running(sport)) {
		if (has(sport, "trail"))
			return "Trail running";
		if (has(sport, "treadmill") || has(sport, "indoor") || has(sport, "virtual"))
			return "Treadmill running";
		if (has(sport, "track"))
			return "Track running";
		return strcasecmp(sport, "other") == 0 ? "Other sport (counted as running)" : "Running";
	}
	if (has(sport, "cycl") || has(sport, "bik") || has(sport, "ride"))
		return "Cycling";
	if (has(sport, "swim"))
		return "Swimming";
	if (has(sport, "walk"))
		return "Walking";
	if (has(sport, "hik"))
		return "Hiking";
	return "Other sport";
}
