/* setup.c — validation of clinic settings. */
#include "domain/setup.h"
#include "base/text.h"
#include "domain/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rc_weekday_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const char *const rc_weekday_labels[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                          "Sunday"};

static const struct {
	const char *key, *label;
} disciplines[] = {
	{"acupuncture", "Acupuncture"},
	{"physical_therapy", "Physical therapy"},
	{"sports_massage", "Sports massage"},
};

bool rc_discipline_ok(const char *d)
{
	for (size_t i = 0; d && i < sizeof disciplines / sizeof *disciplines; i++)
		if (strcmp(d, disciplines[i].key) == 0)
			return true;
	return false;
}

const char *rc_discipline_label(const char *d)
{
	for (size_t i = 0; d && i < sizeof disciplines / sizeof *disciplines; i++)
		if (strcmp(d, disciplines[i].key) == 0)
			return disciplines[i].label;
	return d ? d : "";
}

/* Calls fn for each word of a space- or comma-separated list until it returns false; the number of
 * words, or -1 when fn stopped or the list is too long to read. */
static int each_word(const char *list, bool (*fn)(const char *word, const void *arg), const void *arg)
{
	char buf[129];
	if (!list || strlen(list) >= sizeof buf)
		return -1;
	snprintf(buf, sizeof buf, "%s", list);
	int n = 0;
	for (char *save = NULL, *t = strtok_r(buf, " ,", &save); t; t = strtok_r(NULL, " ,", &save), n++)
		if (!fn(t, arg))
			return -1;
	return n;
}

static bool known(const char *word, const void *arg)
{
	(void)arg;
	return rc_discipline_ok(word);
}

static bool differs(const char *word, const void *arg)
{
	return strcmp(word, arg) != 0;
}

bool rc_disciplines_ok(const char *list)
{
	return list && *list && each_word(list, known, NULL) > 0;
}

bool rc_disciplines_have(const char *list, const char *d)
{
	/* each_word stops (-1) at the word equal to d. */
	return d && list && strlen(list) < 129 && each_word(list, differs, d) < 0;
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
                        const char *discipline, const char **field, char *why, size_t n)
{
	bool key_ok = key && *key && strlen(key) <= 32;
	for (const char *p = key; key_ok && *p; p++)
		key_ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
	*field = "key";
	if (!key_ok)
		return rc_errf(why, n, RC_EINVAL, "'key' must be 1–32 lower-case letters, digits or '-'.");
	*field = "name";
	if (!name || !*name || !rc_text_is_line(name, 80))
		return rc_errf(why, n, RC_EINVAL, "'name' must be 1–80 characters on one line.");
	*field = "minutes";
	if (minutes < 15 || minutes > 480 || minutes % 15)
		return rc_errf(why, n, RC_EINVAL, "'minutes' must be a multiple of 15 from 15 to 480.");
	*field = "price";
	if (price_cents < 0 || price_cents > RC_PRICE_MAX_CENTS)
		return rc_errf(why, n, RC_EINVAL, "'price' must be from $0.00 to $100,000.00.");
	*field = "discipline";
	if (!rc_discipline_ok(discipline))
		return rc_errf(why, n, RC_EINVAL, "'discipline' must be acupuncture, physical_therapy or sports_massage.");
	*field = NULL;
	return RC_OK;
}

/* --- prices --------------------------------------------------------------------------------------- */

rc_err rc_price_parse(const char *s, int64_t *cents, char *why, size_t n)
{
	return rc_money_parse("Price", s, RC_PRICE_MAX_CENTS, cents, why, n);
}

void rc_price_format(int64_t cents, char *out, size_t n)
{
	rc_money_format(cents, out, n);
}

/* --- names ---------------------------------------------------------------------------------------- */

void rc_name_key(const char *name, char *out, size_t n)
{
	size_t k = 0;
	bool space = false;
	if (!n)
		return;
	for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p && k + 2 < n; p++) {
		unsigned char c = *p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = false;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		/* Latin-1 capitals À…Þ (but ×) are U+00C0…U+00DE: C3 80…C3 9E; their small letters are 0x20 on. */
		if (c == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
			out[k++] = (char)c;
			out[k++] = (char)(p[1] + 0x20);
			p++;
			continue;
		}
		out[k++] = (char)c;
	}
	out[k] = '\0';
}

/* --- weekly hours ----------------------------------------------------------------------------------- */

static void hhmm(int minute, char out[8])
{
	snprintf(out, 8, "%02d:%02d", (minute / 60) % 100, (minute % 60 + 60) % 60);
}

rc_err rc_hours_check(const rc_weekly *row, const rc_weekly *others, size_t n, const char **field, char *why, size_t wn)
{
	*field = NULL;
	if (row->weekday < 0 || row->weekday > 6) {
		*field = "day";
		return rc_errf(why, wn, RC_EINVAL, "'Day' must be a day of the week, Monday to Sunday.");
	}
	if (row->end_minute <= row->start_minute) {
		*field = "to";
		return rc_errf(why, wn, RC_EINVAL, "'To' must be after 'From': hours end later the same day.");
	}
	for (size_t i = 0; i < n; i++) {
		const rc_weekly *o = &others[i];
		if (o->weekday == row->weekday && o->start_minute < row->end_minute && row->start_minute < o->end_minute) {
			char a[8], b[8];
			hhmm(o->start_minute, a);
			hhmm(o->end_minute, b);
			*field = "from";
			return rc_errf(why, wn, RC_EINVAL,
			               "These hours overlap the practitioner's %s hours %s–%s; change those, or choose times "
			               "that do not overlap.",
			               rc_weekday_labels[o->weekday], a, b);
		}
	}
	return RC_OK;
}

/* --- opening days ----------------------------------------------------------------------------------- */

enum { TOK_END, TOK_DAY, TOK_RANGE, TOK_SKIP, TOK_ALL, TOK_WEEKDAYS, TOK_WEEKENDS, TOK_BAD };

static int day_word(const char *w, size_t len)
{
	static const char *const full[7] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
	static const char *const more[][2] = {{"tues", "1"}, {"weds", "2"}, {"thur", "3"}, {"thurs", "3"}};
	for (int i = 0; i < 7; i++)
		if ((len == strlen(full[i]) || len == 3) && strncmp(w, full[i], len) == 0)
			return i;
	for (size_t i = 0; i < sizeof more / sizeof *more; i++)
		if (len == strlen(more[i][0]) && strncmp(w, more[i][0], len) == 0)
			return more[i][1][0] - '0';
	return -1;
}

/* The next token of a days text at *p (lower case is the caller's), and the day it names. */
static int next_token(const char **p, int *day)
{
	const unsigned char *s = (const unsigned char *)*p;
	while (*s == ' ' || *s == ',' || *s == '&' || *s == '/' || *s == ';' || *s == '.')
		s++;
	if (!*s) {
		*p = (const char *)s;
		return TOK_END;
	}
	/* '-', and the en and em dashes (E2 80 93, E2 80 94). */
	if (*s == '-') {
		*p = (const char *)s + 1;
		return TOK_RANGE;
	}
	if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x93 || s[2] == 0x94)) {
		*p = (const char *)s + 3;
		return TOK_RANGE;
	}
	const char *w = (const char *)s;
	size_t len = 0;
	while ((w[len] >= 'a' && w[len] <= 'z') || (w[len] >= 'A' && w[len] <= 'Z'))
		len++;
	if (!len)
		return TOK_BAD;
	*p = w + len;
	char low[16];
	if (len >= sizeof low)
		return TOK_BAD;
	for (size_t i = 0; i < len; i++)
		low[i] = (char)(w[i] | 0x20);
	low[len] = '\0';
	if (strcmp(low, "to") == 0 || strcmp(low, "through") == 0 || strcmp(low, "thru") == 0 || strcmp(low, "until") == 0)
		return TOK_RANGE;
	if (strcmp(low, "and") == 0 || strcmp(low, "every") == 0)
		return TOK_SKIP;
	if (strcmp(low, "daily") == 0 || strcmp(low, "day") == 0 || strcmp(low, "everyday") == 0)
		return TOK_ALL;
	if (strcmp(low, "weekdays") == 0)
		return TOK_WEEKDAYS;
	if (strcmp(low, "weekends") == 0 || strcmp(low, "weekend") == 0)
		return TOK_WEEKENDS;
	if ((*day = day_word(low, len)) >= 0)
		return TOK_DAY;
	return TOK_BAD;
}

bool rc_days_parse(const char *text, bool days[7])
{
	memset(days, 0, 7 * sizeof *days);
	if (!text)
		return false;
	int prev = -1, day = -1, marked = 0;
	bool range = false;
	for (const char *p = text;;) {
		int t = next_token(&p, &day);
		switch (t) {
		case TOK_END:
			return !range && marked > 0;
		case TOK_BAD:
			return false;
		case TOK_SKIP:
			break;
		case TOK_RANGE:
			if (prev < 0 || range)
				return false;
			range = true;
			break;
		case TOK_ALL:
		case TOK_WEEKDAYS:
		case TOK_WEEKENDS:
			if (range)
				return false;
			for (int i = 0; i < 7; i++)
				if (t == TOK_ALL || (t == TOK_WEEKDAYS) == (i < 5))
					days[i] = true, marked++;
			prev = -1;
			break;
		case TOK_DAY:
			if (range) {
				/* Friday–Monday goes round the weekend. */
				for (int i = prev; i != day; i = (i + 1) % 7)
					days[i] = true;
				range = false;
			}
			days[day] = true;
			marked++;
			prev = day;
			break;
		}
	}
}

bool rc_within_opening(const rc_weekly *opening, size_t n, int weekday, int from, int to)
{
	/* Walk forward from `from` through rows of the day that cover it, until `to` is reached. */
	int reached = from;
	for (bool moved = true; moved && reached < to;) {
		moved = false;
		for (size_t i = 0; i < n; i++) {
			const rc_weekly *o = &opening[i];
			if (o->weekday == weekday && o->start_minute <= reached && reached < o->end_minute) {
				reached = o->end_minute;
				moved = true;
			}
		}
	}
	return reached >= to;
}

void rc_opening_describe(const rc_weekly *opening, size_t n, int weekday, char *out, size_t len)
{
	if (!len)
		return;
	int w = snprintf(out, len, "%s: ", rc_weekday_labels[weekday % 7]);
	size_t used = w > 0 && (size_t)w < len ? (size_t)w : 0;
	int rows = 0;
	/* In order of opening time, whatever the order of the rows. */
	for (int last = -1;;) {
		const rc_weekly *next = NULL;
		for (size_t i = 0; i < n; i++)
			if (opening[i].weekday == weekday && opening[i].start_minute > last &&
			    (!next || opening[i].start_minute < next->start_minute))
				next = &opening[i];
		if (!next)
			break;
		char a[8], b[8];
		hhmm(next->start_minute, a);
		hhmm(next->end_minute, b);
		w = snprintf(out + used, len - used, "%s%s–%s", rows++ ? ", " : "", a, b);
		if (w > 0 && (size_t)w < len - used)
			used += (size_t)w;
		last = next->start_minute;
	}
	if (!rows)
		snprintf(out + used, len - used, "closed");
}
