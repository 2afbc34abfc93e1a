/* chart.c — the chart's pure rules (see chart.h). */
#include "domain/chart.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- sides ------------------------------------------------------------------------------------ */

const char *rc_side_name(rc_side s)
{
	switch (s) {
	case RC_SIDE_LEFT: return "left";
	case RC_SIDE_RIGHT: return "right";
	case RC_SIDE_BOTH: return "both";
	case RC_SIDE_MIDLINE: return "midline";
	default: return "";
	}
}

const char *rc_side_label(rc_side s)
{
	return s == RC_SIDE_BOTH ? "both sides" : rc_side_name(s);
}

bool rc_side_parse(const char *s, rc_side *out)
{
	static const struct {
		const char *word;
		rc_side side;
	} words[] = {
		{"", RC_SIDE_NONE},        {"none", RC_SIDE_NONE},     {"left", RC_SIDE_LEFT},   {"l", RC_SIDE_LEFT},
		{"right", RC_SIDE_RIGHT},  {"r", RC_SIDE_RIGHT},       {"both", RC_SIDE_BOTH},   {"b", RC_SIDE_BOTH},
		{"bilateral", RC_SIDE_BOTH}, {"bil", RC_SIDE_BOTH},    {"midline", RC_SIDE_MIDLINE},
		{"m", RC_SIDE_MIDLINE},    {"mid", RC_SIDE_MIDLINE},
	};
	if (!s)
		return false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(s, words[i].word) == 0) {
			*out = words[i].side;
			return true;
		}
	return false;
}

/* --- alerts ------------------------------------------------------------------------------------ */

const rc_chart_alert rc_chart_alerts[RC_CHART_NALERTS] = {
	{"anticoagulants", "Takes anticoagulants (blood thinners)",
	 "More bruising and bleeding after needling: press each point after removal, no deep needling near large "
	 "vessels, no vigorous cupping."},
	{"bleeding_disorder", "Bleeding disorder",
	 "Needling and deep soft-tissue work only with the physician's agreement; press each point after removal."},
	{"pregnancy", "Pregnant",
	 "Avoid the points traditionally not needled in pregnancy (LI4, SP6, BL60, BL67, GB21, lower abdomen and "
	 "sacrum; Betts and Budd, Acupunct Med 2011;29:137) and positions lying on the back late in pregnancy."},
	{"pacemaker", "Pacemaker or other implanted electrical device",
	 "No electro-acupuncture or other electrical stimulation (refused by runcare)."},
	{"needle_phobia", "Needle phobia or has fainted before",
	 "Needle lying down, few needles at first, stay with the patient; fainting is the commonest serious "
	 "reaction (White et al., BMJ 2001;323:485)."},
	{"allergies", "Allergies (metal, latex, adhesive, oils)", "Check needles, gloves, tape and massage oil."},
	{"osteoporosis", "Osteoporosis", "No thrust manipulation; gentle pressure over the spine and ribs."},
};

const rc_chart_alert *rc_chart_alert_find(const char *key)
{
	for (int i = 0; key && i < RC_CHART_NALERTS; i++)
		if (strcmp(rc_chart_alerts[i].key, key) == 0)
			return &rc_chart_alerts[i];
	return NULL;
}

bool rc_chart_electro_allowed(const char *const *alerts, int nalerts, char *why, size_t n)
{
	for (int i = 0; i < nalerts; i++)
		if (alerts[i] && strcmp(alerts[i], "pacemaker") == 0) {
			snprintf(why, n, "Electro-acupuncture is not given to a patient with a pacemaker or other implanted "
			                 "electrical device (the alert on this chart); record manual acupuncture instead "
			                 "(Mayor, Electroacupuncture: a practical manual and resource, 2007).");
			return false;
		}
	return true;
}

/* --- fields ------------------------------------------------------------------------------------- */

static bool whole(const char *s, long lo, long hi, long *out)
{
	if (!s || !*s)
		return false;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* "7", "7.5", "10.0": tenths, or false. */
static bool tenths(const char *s, long lo, long hi, long *out)
{
	if (!s || !*s || strlen(s) > 8)
		return false;
	long ip = 0, frac = 0;
	const char *p = s;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		ip = ip * 10 + (*p++ - '0');
	if (*p == '.' || *p == ',') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		frac = *p++ - '0';
		if (*p == '0' && p[1] == '\0')
			p++; /* "7.50" */
	}
	if (*p)
		return false;
	long v = ip * 10 + frac;
	if (v < lo * 10 || v > hi * 10)
		return false;
	*out = v;
	return true;
}

bool rc_chart_field_check(const rc_chart_field *f, const char *value, bool *empty, int64_t *num, char *msg,
                          size_t n)
{
	*empty = !value || !*value;
	*num = 0;
	if (*empty)
		return true;
	long v;
	switch (f->type) {
	case RC_FIELD_INT:
		if (f->decimals ? tenths(value, f->min, f->max, &v) : whole(value, f->min, f->max, &v)) {
			*num = v;
			return true;
		}
		/* "from 0 to 130 degrees"; a score's "/10" says nothing more than its range. */
		snprintf(msg, n, "must be %s from %d to %d%s%s", f->decimals ? "a number (one decimal)" : "a whole number",
		         f->min, f->max, f->unit && *f->unit && *f->unit != '/' ? " " : "",
		         f->unit && *f->unit != '/' ? f->unit : "");
		return false;
	case RC_FIELD_TEST:
		if (strcmp(value, "positive") == 0 || strcmp(value, "negative") == 0)
			return true;
		snprintf(msg, n, "must be positive or negative (or left empty when not tested)");
		return false;
	case RC_FIELD_CHOICE:
		for (int i = 0; i < f->nchoices; i++)
			if (strcmp(f->choices[i].key, value) == 0)
				return true;
		snprintf(msg, n, "must be one of the listed choices");
		return false;
	case RC_FIELD_TEXT:
		if (strlen(value) <= RC_CHART_SHORT_MAX)
			return true;
		snprintf(msg, n, "must be at most %d characters", RC_CHART_SHORT_MAX);
		return false;
	}
	return false;
}

void rc_chart_number(const rc_chart_field *f, int64_t v, char *out, size_t n)
{
	if (f->decimals)
		snprintf(out, n, "%lld.%lld", (long long)(v / 10), (long long)(v % 10));
	else
		snprintf(out, n, "%lld", (long long)v);
}

/* --- acupuncture points ------------------------------------------------------------------------- */

bool rc_acupoint_normalise(const char *in, char out[RC_CHART_CODE_MAX + 1])
{
	/* Letters, then digits; an extra point keeps its "EX-GROUP" prefix and its number. */
	char letters[8] = "", group[4] = "";
	size_t nl = 0, ng = 0, nd = 0;
	char digits[4] = "";
	const char *p = in;
	while (*p == ' ')
		p++;
	while (isalpha((unsigned char)*p) && nl < sizeof letters - 1)
		letters[nl++] = (char)toupper((unsigned char)*p++);
	letters[nl] = '\0';
	if (nl == 0)
		return false;
	bool extra = strcmp(letters, "EX") == 0;
	if (*p == '-' || *p == ' ')
		p++;
	if (extra) {
		while (isalpha((unsigned char)*p) && ng < sizeof group - 1)
			group[ng++] = (char)toupper((unsigned char)*p++);
		group[ng] = '\0';
		if (!ng)
			return false;
		if (*p == '-' || *p == ' ')
			p++;
	} else if (nl > 2) {
		return false;
	}
	while (isdigit((unsigned char)*p) && nd < sizeof digits - 1)
		digits[nd++] = *p++;
	digits[nd] = '\0';
	while (*p == ' ')
		p++;
	if (!nd || *p || digits[0] == '0')
		return false;
	if (extra)
		snprintf(out, RC_CHART_CODE_MAX + 1, "EX-%s%s", group, digits);
	else
		snprintf(out, RC_CHART_CODE_MAX + 1, "%s%s", letters, digits);
	return true;
}

void rc_acupoint_meridian(const char *code, char out[4])
{
	size_t i = 0;
	out[0] = '\0';
	if (strncmp(code, "EX-", 3) == 0)
		return;
	while (i < 3 && code[i] >= 'A' && code[i] <= 'Z') {
		out[i] = code[i];
		i++;
	}
	out[i] = '\0';
}

bool rc_acupoint_is_midline(const char *meridian)
{
	return meridian && (strcmp(meridian, "GV") == 0 || strcmp(meridian, "CV") == 0);
}

bool rc_acupoint_side_ok(const char *code, const char *meridian, rc_side side, char *why, size_t n)
{
	if (rc_acupoint_is_midline(meridian)) {
		if (side == RC_SIDE_NONE || side == RC_SIDE_MIDLINE)
			return true;
		snprintf(why, n, "%s is on the midline (the %s), so it has no %s side: write it without a side", code,
		         strcmp(meridian, "GV") == 0 ? "Governing Vessel" : "Conception Vessel", rc_side_name(side));
		return false;
	}
	if (meridian && *meridian) {
		if (side == RC_SIDE_LEFT || side == RC_SIDE_RIGHT || side == RC_SIDE_BOTH)
			return true;
		if (side == RC_SIDE_MIDLINE)
			snprintf(why, n, "%s is a paired point, not a midline one: give its side (left, right or both)", code);
		else
			snprintf(why, n, "%s needs a side: left, right or both (for example \"%s both\")", code, code);
		return false;
	}
	return true; /* extra points: the list gives no laterality */
}

int rc_acupoint_parse_list(const char *text, rc_point_entry *out, int max, char *why, size_t n)
{
	int count = 0;
	const char *p = text ? text : "";
	while (*p) {
		const char *end = p;
		while (*end && *end != ',' && *end != ';' && *end != '\n')
			end++;
		char item[64];
		size_t len = (size_t)(end - p);
		/* Trim spaces, tabs and a CR. */
		while (len && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
			len--;
		if (len) {
			if (len >= sizeof item) {
				snprintf(why, n, "\"%.20s…\" is not a point: write a code and a side, like \"BL40 both\"", p);
				return -1;
			}
			memcpy(item, p, len);
			item[len] = '\0';
			if (count == max) {
				snprintf(why, n, "at most %d points in one row: record the rest in another row", max);
				return -1;
			}
			/* The side is the last word, when it is one; the rest is the code. */
			char *sp = strrchr(item, ' ');
			rc_side side = RC_SIDE_NONE;
			if (sp && rc_side_parse(sp + 1, &side)) {
				*sp = '\0';
			} else if (sp && !isdigit((unsigned char)sp[1])) {
				snprintf(why, n, "\"%s\": '%s' is not a side (left, right, both or L, R, B)", item, sp + 1);
				return -1;
			}
			if (!rc_acupoint_normalise(item, out[count].code)) {
				snprintf(why, n, "\"%s\" is not a point code (WHO codes look like BL40, GB30, GV20 or EX-HN3)", item);
				return -1;
			}
			out[count].side = side;
			for (int k = 0; k < count; k++)
				if (strcmp(out[k].code, out[count].code) == 0) {
					snprintf(why, n, "%s is listed twice: write it once, with \"both\" for both sides", out[k].code);
					return -1;
				}
			count++;
		}
		p = *end ? end + 1 : end;
	}
	return count;
}

int rc_acupoint_needle_sites(const rc_point_entry *v, int n)
{
	int sites = 0;
	for (int i = 0; i < n; i++)
		sites += v[i].side == RC_SIDE_BOTH ? 2 : 1;
	return sites;
}

bool rc_chart_needling_ok(int needles, int minutes, int hz, bool electro, int sites, char *why, size_t n,
                          const char **field)
{
	if (needles < 1 || needles > RC_CHART_NEEDLES_MAX) {
		*field = "needles";
		snprintf(why, n, "The needle count must be a whole number from 1 to %d.", RC_CHART_NEEDLES_MAX);
		return false;
	}
	if (sites > needles) {
		*field = "needles";
		snprintf(why, n, "%d needle%s cannot cover the %d sites listed (a point on both sides takes two).", needles,
		         needles == 1 ? "" : "s", sites);
		return false;
	}
	if (minutes < 0 || minutes > RC_CHART_RETENTION_MAX_MIN) {
		*field = "minutes";
		snprintf(why, n, "Retention must be from 0 to %d minutes.", RC_CHART_RETENTION_MAX_MIN);
		return false;
	}
	if (electro && (hz < RC_CHART_HZ_MIN || hz > RC_CHART_HZ_MAX)) {
		*field = "hz";
		snprintf(why, n, "The stimulation frequency must be from %d to %d Hz.", RC_CHART_HZ_MIN, RC_CHART_HZ_MAX);
		return false;
	}
	if (!electro && hz) {
		*field = "hz";
		snprintf(why, n, "A frequency is for electro-acupuncture only: choose it as the kind, or leave the "
		                 "frequency empty.");
		return false;
	}
	return true;
}

/* --- diagnosis codes ----------------------------------------------------------------------------- */

void rc_chart_icd_for_side(const rc_chart_codes *c, rc_side side, char *out, size_t n)
{
	out[0] = '\0';
	if (c->any) {
		snprintf(out, n, "%s", c->any);
		return;
	}
	switch (side) {
	case RC_SIDE_LEFT:
		snprintf(out, n, "%s", c->left ? c->left : "");
		break;
	case RC_SIDE_RIGHT:
		snprintf(out, n, "%s", c->right ? c->right : "");
		break;
	case RC_SIDE_BOTH:
		if (c->both)
			snprintf(out, n, "%s", c->both);
		else if (c->left && c->right)
			snprintf(out, n, "%s, %s", c->right, c->left);
		break;
	default:
		snprintf(out, n, "%s", c->unspecified ? c->unspecified : "");
	}
}

/* --- people ------------------------------------------------------------------------------------ */

bool rc_chart_birth_date_ok(const char *dob, const char *today)
{
	/* base/time.h's dates start in 1990 (the clinic's calendar); people were born before. */
	if (!dob || strlen(dob) != 10 || dob[4] != '-' || dob[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)dob[i]))
			return false;
	int y = atoi(dob), m = atoi(dob + 5), d = atoi(dob + 8);
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return false;
	return !today || strcmp(dob, today) <= 0;
}

int rc_chart_age(const char *dob, const char *today)
{
	int y1, m1, d1, y2, m2, d2;
	if (!dob || !today || sscanf(dob, "%4d-%2d-%2d", &y1, &m1, &d1) != 3 ||
	    sscanf(today, "%4d-%2d-%2d", &y2, &m2, &d2) != 3)
		return -1;
	int age = y2 - y1 - ((m2 < m1 || (m2 == m1 && d2 < d1)) ? 1 : 0);
	return age < 0 ? -1 : age;
}
