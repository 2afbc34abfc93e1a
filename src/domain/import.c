/* import.c — the pure rules of moving a clinic in (see import.h). */
#include "domain/import.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/time.h"

/* Letters and digits only, lower case: "No-Show " → "noshow". */
static void squash(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (const char *p = in; *p && o + 1 < n; p++)
		if (isalnum((unsigned char)*p))
			out[o++] = (char)tolower((unsigned char)*p);
	out[o] = 0;
}

/* The second of the pair whose first is the word, squashed. */
static const char *lookup(const char *const (*map)[2], size_t n, const char *word)
{
	char w[40];
	squash(word, w, sizeof w);
	for (size_t i = 0; i < n; i++)
		if (strcmp(map[i][0], w) == 0)
			return map[i][1];
	return NULL;
}

const char *rc_import_status(const char *word)
{
	static const char *const map[][2] = {
		{"booked", "booked"},       {"scheduled", "booked"},   {"confirmed", "booked"},   {"pending", "booked"},
		{"unconfirmed", "booked"},  {"arrived", "arrived"},    {"checkedin", "arrived"},  {"checkedout", "arrived"},
		{"completed", "arrived"},   {"complete", "arrived"},   {"attended", "arrived"},   {"seen", "arrived"},
		{"done", "arrived"},        {"noshow", "no_show"},     {"missed", "no_show"},     {"dna", "no_show"},
		{"didnotattend", "no_show"}, {"cancelled", "cancelled"}, {"canceled", "cancelled"}, {"cancel", "cancelled"},
		{"latecancel", "cancelled"}, {"latecancellation", "cancelled"},
	};
	return lookup(map, sizeof map / sizeof map[0], word);
}

const char *rc_import_discipline(const char *word)
{
	static const char *const map[][2] = {
		{"acupuncture", "acupuncture"},       {"acupuncturist", "acupuncture"},      {"lac", "acupuncture"},
		{"tcm", "acupuncture"},               {"physicaltherapy", "physical_therapy"}, {"physiotherapy", "physical_therapy"},
		{"pt", "physical_therapy"},           {"dpt", "physical_therapy"},           {"physio", "physical_therapy"},
		{"physicaltherapist", "physical_therapy"}, {"sportsmassage", "sports_massage"}, {"massage", "sports_massage"},
		{"massagetherapy", "sports_massage"}, {"lmt", "sports_massage"},             {"rmt", "sports_massage"},
	};
	return lookup(map, sizeof map / sizeof map[0], word);
}

bool rc_import_disciplines(const char *text, char *out, size_t n, char *bad, size_t badn)
{
	static const char *const order[] = {"acupuncture", "physical_therapy", "sports_massage"};
	bool have[3] = {false, false, false};
	const char *p = text;
	bool any = false;
	while (*p) {
		size_t len = strcspn(p, ",;/|&+");
		char word[64];
		snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), p);
		/* "and" between two is a separator too. */
		char *and = strstr(word, " and ");
		if (and) {
			*and = 0;
			const char *d2 = rc_import_discipline(and + 5);
			if (!d2) {
				snprintf(bad, badn, "%s", and + 5);
				return false;
			}
			for (int i = 0; i < 3; i++)
				have[i] |= strcmp(order[i], d2) == 0;
			any = true;
		}
		char sq[40];
		squash(word, sq, sizeof sq);
		if (sq[0]) {
			const char *d = rc_import_discipline(word);
			if (!d) {
				snprintf(bad, badn, "%s", word);
				return false;
			}
			for (int i = 0; i < 3; i++)
				have[i] |= strcmp(order[i], d) == 0;
			any = true;
		}
		p += len;
		if (*p)
			p++;
	}
	if (!any) {
		snprintf(bad, badn, "%s", text);
		return false;
	}
	size_t o = 0;
	out[0] = 0;
	for (int i = 0; i < 3; i++)
		if (have[i] && o < n)
			o += (size_t)snprintf(out + o, n - o, "%s%s", o ? " " : "", order[i]);
	return true;
}

/* The offset in minutes east of UTC of a zone written after the time, or false. */
static bool zone_offset(const char *z, int *minutes)
{
	static const struct {
		const char *name;
		int hours;
	} abbr[] = {{"Z", 0},    {"UTC", 0},  {"GMT", 0},  {"PST", -8}, {"PDT", -7}, {"MST", -7},  {"MDT", -6},
	            {"CST", -6}, {"CDT", -5}, {"EST", -5}, {"EDT", -4}, {"AKST", -9}, {"AKDT", -8}, {"HST", -10}};
	for (size_t i = 0; i < sizeof abbr / sizeof abbr[0]; i++)
		if (strcasecmp(z, abbr[i].name) == 0) {
			*minutes = abbr[i].hours * 60;
			return true;
		}
	int hh, mm = 0;
	char sign, rest;
	if ((sscanf(z, "%c%2d:%2d%c", &sign, &hh, &mm, &rest) == 3 || sscanf(z, "%c%2d%2d%c", &sign, &hh, &mm, &rest) == 3 ||
	     (sscanf(z, "%c%2d%c", &sign, &hh, &rest) == 2 && strlen(z) <= 3)) &&
	    (sign == '+' || sign == '-') && hh <= 14 && mm < 60) {
		*minutes = (sign == '-' ? -1 : 1) * (hh * 60 + mm);
		return true;
	}
	return false;
}

bool rc_import_time(const char *text, int64_t *utc)
{
	char s[80];
	snprintf(s, sizeof s, "%s", text);
	int y, mo, d, h, mi, sec = 0, used = 0;
	char *p = s;
	while (*p == ' ')
		p++;
	if (sscanf(p, "%4d-%2d-%2d%*[ T]%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) == 5) {
		/* ISO order */
	} else if (sscanf(p, "%2d/%2d/%4d %2d:%2d%n", &mo, &d, &y, &h, &mi, &used) == 5) {
		/* US order */
	} else {
		return false;
	}
	p += used;
	if (*p == ':') {
		int n2 = 0;
		if (sscanf(p, ":%2d%n", &sec, &n2) != 1)
			return false;
		p += n2;
	}
	while (*p == ' ')
		p++;
	if (strncasecmp(p, "AM", 2) == 0 || strncasecmp(p, "PM", 2) == 0) {
		if (h < 1 || h > 12)
			return false;
		bool pm = toupper((unsigned char)p[0]) == 'P';
		h = h % 12 + (pm ? 12 : 0);
		p += 2;
		while (*p == ' ')
			p++;
	}
	char ymd[40]; /* room for any int: rc_date_parse refuses what is not a date */
	snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", y, mo, d);
	if (!rc_date_parse(ymd, &y, &mo, &d) || h > 23 || mi > 59 || sec > 59)
		return false;
	size_t zl = strlen(p);
	while (zl && p[zl - 1] == ' ')
		p[--zl] = 0;
	if (!*p) {
		char local[64];
		snprintf(local, sizeof local, "%04d-%02d-%02dT%02d:%02d", y, mo, d, h, mi);
		if (!rc_tz_parse_local(local, utc))
			return false;
		*utc += sec;
		return true;
	}
	int off;
	if (!zone_offset(p, &off))
		return false;
	*utc = (rc_days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + sec - (int64_t)off * 60;
	return true;
}

void rc_import_key(const char *name, char *out, size_t n)
{
	size_t o = 0;
	bool dash = false;
	for (const char *p = name; *p && o + 1 < n; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c)) {
			if (dash && o && o + 2 < n)
				out[o++] = '-';
			out[o++] = (char)tolower(c);
			dash = false;
		} else {
			dash = true;
		}
	}
	out[o] = 0;
}
