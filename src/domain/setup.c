/* setup.c — validation of clinic settings. */
#include "domain/setup.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rc_weekday_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool rc_discipline_ok(const char *d)
{
	return d && (strcmp(d, "acupuncture") == 0 || strcmp(d, "physical_therapy") == 0 ||
	             strcmp(d, "sports_massage") == 0);
}

bool rc_disciplines_ok(const char *list)
{
	char buf[129];
	if (!list || !*list || strlen(list) >= sizeof buf)
		return false;
	snprintf(buf, sizeof buf, "%s", list);
	int n = 0;
	for (char *save = NULL, *t = strtok_r(buf, " ,", &save); t; t = strtok_r(NULL, " ,", &save), n++)
		if (!rc_discipline_ok(t))
			return false;
	return n > 0;
}

bool rc_clock_parse(const char *s, int *minute)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	int h = atoi(s), m = atoi(s + 3);
	if (h > 24 || m > 59 || m % 15 || (h == 24 && m))
		return false;
	*minute = h * 60 + m;
	return true;
}

int rc_weekday_parse(const char *s)
{
	for (int i = 0; s && i < 7; i++)
		if (strcmp(s, rc_weekday_names[i]) == 0 || (s[0] == '0' + i && !s[1]))
			return i;
	return -1;
}

rc_err rc_service_check(const char *key, const char *name, long long minutes, long long price_cents,
                        const char *discipline, char *why, size_t n)
{
	bool key_ok = key && *key && strlen(key) <= 32;
	for (const char *p = key; key_ok && *p; p++)
		key_ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
	if (!key_ok)
		return rc_errf(why, n, RC_EINVAL, "'key' must be 1–32 lower-case letters, digits or '-'.");
	if (!name || !*name || !rc_text_is_line(name, 80))
		return rc_errf(why, n, RC_EINVAL, "'name' must be 1–80 characters on one line.");
	if (minutes < 15 || minutes > 480 || minutes % 15)
		return rc_errf(why, n, RC_EINVAL, "'minutes' must be a multiple of 15 from 15 to 480.");
	if (price_cents < 0 || price_cents > 10000000)
		return rc_errf(why, n, RC_EINVAL, "'price' must be a whole number of cents from 0 to 10000000.");
	if (!rc_discipline_ok(discipline))
		return rc_errf(why, n, RC_EINVAL, "'discipline' must be acupuncture, physical_therapy or sports_massage.");
	return RC_OK;
}
