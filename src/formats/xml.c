/* xml.c — GPX (1.0, 1.1) and TCX (v2) through expat. Elements are matched by local name, so
 * namespaced and un-namespaced files read alike; extensions give heart rate and cadence. */
#include "formats/activity.h"
#include "base/text.h"

#include "base/time.h"

#include <expat.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reads n digits; -1 when one is missing. */
static int digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

int64_t rc_iso8601(const char *s)
{
	/* Parsed by hand, not sscanf and timegm: a GPX file has one of these per point. */
	if (!s)
		return 0;
	const char *p = s;
	int y = digits(&p, 4);
	if (y < 0 || *p++ != '-')
		return 0;
	int mo = digits(&p, 2);
	if (mo < 0 || *p++ != '-')
		return 0;
	int d = digits(&p, 2);
	if (d < 0 || *p++ != 'T')
		return 0;
	int h = digits(&p, 2);
	if (h < 0 || *p++ != ':')
		return 0;
	int mi = digits(&p, 2);
	if (mi < 0 || *p++ != ':')
		return 0;
	int sec = digits(&p, 2);
	if (sec < 0)
		return 0;
	if (*p == '.' || *p == ',')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return 0;
	int64_t t = rc_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1;
		p++;
		int oh = digits(&p, 2), om = 0;
		if (oh < 0)
			return 0;
		if (*p == ':')
			p++;
		if (*p >= '0' && *p <= '9' && (om = digits(&p, 2)) < 0)
			return 0;
		t -= sign * (int64_t)(oh * 3600 + om * 60);
	}
	return t;
}

/* Whether the `n` bytes at p (of which `rem` may be read) start with word followed by a delimiter. */
static bool starts_word(const char *p, size_t rem, const char *word)
{
	size_t w = strlen(word);
	if (rem <= w || memcmp(p, word, w) != 0)
		return false;
	char c = p[w];
	return c == ' ' || c == '>' || c == '\n' || c == '\r' || c == '\t' || c == '/';
}

rc_file_kind rc_activity_kind(const unsigned char *data, size_t len)
{
	if (len >= 12 && memcmp(data + 8, ".FIT", 4) == 0)
		return RC_FILE_FIT;
	/* XML: the first element's local name, after any BOM, declaration and comments. Every read
	 * stays inside the first `scan` bytes: the input need not end with a NUL. */
	size_t scan = len < 16384 ? len : 16384;
	for (size_t i = 0; i + 1 < scan; i++) {
		if (data[i] != '<')
			continue;
		/* Comments, processing instructions and a DOCTYPE are stepped over whole: a comment may
		 * hold markup ("<!-- <trkpt ...> -->") that is not the first element. */
		bool comment = i + 4 <= scan && memcmp(data + i, "<!--", 4) == 0;
		if (comment || data[i + 1] == '?' || data[i + 1] == '!') {
			const void *end = comment             ? memmem(data + i + 4, scan - i - 4, "-->", 3)
			                  : data[i + 1] == '?' ? memmem(data + i + 2, scan - i - 2, "?>", 2)
			                                       : memchr(data + i + 2, '>', scan - i - 2);
			if (!end)
				return RC_FILE_UNKNOWN; /* the prologue runs past what is scanned */
			i = (size_t)((const unsigned char *)end - data);
			continue;
		}
		const char *p = (const char *)data + i + 1;
		size_t rem = scan - i - 1;
		/* Skip a namespace prefix ("gpx:" or "ns0:"). */
		const char *colon = memchr(p, ':', rem < 24 ? rem : 24);
		if (colon && !memchr(p, ' ', (size_t)(colon - p)) && !memchr(p, '>', (size_t)(colon - p))) {
			rem -= (size_t)(colon + 1 - p);
			p = colon + 1;
		}
		if (starts_word(p, rem, "gpx"))
			return RC_FILE_GPX;
		if (starts_word(p, rem, "TrainingCenterDatabase"))
			return RC_FILE_TCX;
		return RC_FILE_UNKNOWN;
	}
	return RC_FILE_UNKNOWN;
}

/* The elements runcare reads, by local name; everything else is T_OTHER. */
typedef enum {
	T_OTHER, T_POINT, T_ACTIVITY, T_LAP, T_ELE, T_TIME, T_DISTANCE, T_VALUE, T_HR, T_CADENCE, T_LAT, T_LON,
	T_TYPE, T_HRBPM, T_AVGHR, T_CALORIES,
} tag;

typedef struct {
	rc_activity_info *info;
	rc_sample_fn fn;
	void *ctx;
	int64_t now;
	int depth;
	tag open[RC_ACT_MAX_XML_DEPTH + 2]; /* each open element's tag, by depth */
	bool in_point, want_text, in_lap_total; /* in_lap_total: a <DistanceMeters> that is a lap's total */
	bool in_hrbpm, in_avghr; /* in_avghr: a lap's <AverageHeartRateBpm> */
	double lap_hr_sum;
	int lap_hr_n;
	int point_depth;
	rc_sample cur;
	char text[RC_ACT_MAX_TEXT + 1];
	size_t tlen;
	double lap_distance;
	double lap_kcal; /* the laps' <Calories>, summed; NAN while none */
	bool too_deep;
	char day_text[11]; /* "YYYY-MM-DDT" of the last point's time that rc_iso8601 read, and its day */
	int64_t day;
	bool have_day;
} parser;

void rc_activity_warn(rc_activity_info *info, const char *msg)
{
	for (int i = 0; i < info->nwarnings; i++)
		if (strcmp(info->warnings[i], msg) == 0)
			return;
	if (info->nwarnings < RC_ACT_MAX_WARNINGS)
		snprintf(info->warnings[info->nwarnings++], sizeof info->warnings[0], "%s", msg);
}

static inline bool is_digit(char c)
{
	return (unsigned)(c - '0') <= 9;
}

/* Appends the decimal digits at p to *m; returns the first character after them. */
static inline const char *digit_run(const char *p, uint64_t *m)
{
	uint64_t v = *m;
	while (is_digit(p[0]) && is_digit(p[1])) {
		v = v * 100 + (uint64_t)((p[0] - '0') * 10 + (p[1] - '0'));
		p += 2;
	}
	if (is_digit(*p))
		v = v * 10 + (uint64_t)(*p++ - '0');
	*m = v;
	return p;
}

/* A decimal number as strtod reads it, fast for the plain ones a GPX file is made of ("51.5012345",
 * "-0.1", "142"): up to 15 significant digits and no exponent are exact in a double, and one division
 * by an exact power of ten rounds correctly (Clinger 1990), so the value is strtod's to the last bit.
 * Anything else (exponents, long mantissas, text after the number) goes to strtod itself. */
static double number(const char *s)
{
	static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	const char *p = s;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	bool neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	/* The digits two at a time (half the chain of multiplications), counted once each run is done;
	 * more than 15 go to strtod (m may wrap meanwhile). */
	uint64_t m = 0;
	const char *start = p;
	p = digit_run(p, &m);
	size_t digits = (size_t)(p - start), frac = 0;
	if (*p == '.') {
		const char *f = ++p;
		p = digit_run(p, &m);
		frac = (size_t)(p - f);
		digits += frac;
	}
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (digits == 0 || digits > 15 || *p)
		return strtod(s, NULL);
	double v = (double)m / pow10[frac];
	return neg ? -v : v;
}

/* Whether a name of n bytes has lit (l bytes, holding no ':') as its local name: the whole name, or lit
 * after a prefix's ':'. The reader knows elements by their local names alone, so expat reads without
 * namespace processing (XML_ParserCreate): a name comes as written, "trkpt" or "gpxtpx:hr", and
 * expat does not build "namespace|name" strings that would only be scanned back again. */
static inline bool local_is(const char *name, size_t n, const char *lit, size_t l)
{
	return n >= l && (n == l || name[n - l - 1] == ':') && memcmp(name + n - l, lit, l) == 0;
}

/* The tag of an element by its local name, looked up by its last character among the few names that
 * end so and then compared from the end. This runs for every element of every point: a scan back to
 * the name's start, character by character, was the reader's largest own cost (callgrind). */
static tag tag_of(const char *name)
{
	size_t n = strlen(name);
	if (n == 0)
		return T_OTHER;
#define IS(lit) local_is(name, n, lit, sizeof lit - 1)
	switch (name[n - 1]) {
	case 'r': return IS("hr") ? T_HR : T_OTHER;
	case 'e':
		return IS("ele")                                            ? T_ELE
		       : IS("time") || IS("Time")                           ? T_TIME
		       : IS("type")                                         ? T_TYPE
		       : IS("Value")                                        ? T_VALUE
		       : IS("Cadence") || IS("RunCadence")                  ? T_CADENCE
		                                                            : T_OTHER;
	case 'd': return IS("cad") ? T_CADENCE : T_OTHER;
	case 'p': return IS("Lap") ? T_LAP : T_OTHER;
	case 'm': return IS("HeartRateBpm") ? T_HRBPM : IS("AverageHeartRateBpm") ? T_AVGHR : T_OTHER;
	case 't': return IS("trkpt") || IS("rtept") || IS("Trackpoint") ? T_POINT : T_OTHER;
	case 'y': return IS("Activity") ? T_ACTIVITY : T_OTHER;
	case 's':
		return IS("AltitudeMeters")     ? T_ELE
		       : IS("DistanceMeters")   ? T_DISTANCE
		       : IS("LatitudeDegrees")  ? T_LAT
		       : IS("LongitudeDegrees") ? T_LON
		       : IS("Calories")         ? T_CALORIES
		                                : T_OTHER;
	default: return T_OTHER;
	}
#undef IS
}

static bool attr_is(const char *attr, const char *want)
{
	return local_is(attr, strlen(attr), want, strlen(want));
}

static void blank(rc_sample *s)
{
	s->time = 0;
	s->lat = s->lon = s->ele = s->distance = s->hr = s->cadence = NAN;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	parser *p = ud;
	if (++p->depth > RC_ACT_MAX_XML_DEPTH) {
		p->too_deep = true;
		return;
	}
	tag t = tag_of(name);
	p->open[p->depth] = t;
	p->tlen = 0;
	p->want_text = false;
	switch (t) {
	case T_POINT:
		p->in_point = true;
		p->point_depth = p->depth;
		blank(&p->cur);
		for (int i = 0; attrs[i]; i += 2) {
			size_t n = strlen(attrs[i]);
			if (local_is(attrs[i], n, "lat", 3))
				p->cur.lat = number(attrs[i + 1]);
			else if (local_is(attrs[i], n, "lon", 3))
				p->cur.lon = number(attrs[i + 1]);
		}
		return;
	case T_ACTIVITY:
		for (int i = 0; attrs[i]; i += 2)
			if (attr_is(attrs[i], "Sport")) {
				rc_text_clean(p->info->sport, sizeof p->info->sport, attrs[i + 1], strlen(attrs[i + 1]));
				for (char *c = p->info->sport; *c; c++)
					if (*c >= 'A' && *c <= 'Z')
						*c = (char)(*c + 32);
			}
		return;
	case T_LAP:
		p->info->laps++;
		return;
	case T_HRBPM:
		p->in_hrbpm = true;
		return;
	case T_AVGHR:
		p->in_avghr = !p->in_point;
		return;
	case T_OTHER:
		return;
	default:
		p->want_text = true;
		/* A DistanceMeters directly inside a Lap (not a Trackpoint) is the lap's total. */
		p->in_lap_total = !p->in_point && t == T_DISTANCE;
		return;
	}
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	parser *p = ud;
	if (!p->want_text)
		return;
	size_t room = RC_ACT_MAX_TEXT - p->tlen, n = (size_t)len < room ? (size_t)len : room;
	memcpy(p->text + p->tlen, s, n);
	p->tlen += n;
}

/* Two digits at s; -1 when one is missing. */
static int two(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' ? (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

/* A point's time, as rc_iso8601 reads it. A file's points share their day, so a time whose
 * "YYYY-MM-DDT" is the last one's and that has no offset is read from its clock alone (the same
 * checks, the same value); any other goes through rc_iso8601, whose day is then remembered. */
static int64_t point_time(parser *p, const char *s, size_t len)
{
	if (p->have_day && len >= 19 && memcmp(s, p->day_text, 11) == 0) {
		int h = two(s + 11), mi = two(s + 14), sec = two(s + 17);
		const char *q = s + 19;
		if (*q == '.' || *q == ',')
			for (q++; *q >= '0' && *q <= '9'; q++)
				;
		if (h >= 0 && s[13] == ':' && mi >= 0 && s[16] == ':' && sec >= 0 && *q != '+' && *q != '-')
			return h > 23 || mi > 59 || sec > 60 ? 0 : p->day * 86400 + h * 3600 + mi * 60 + sec;
	}
	int64_t t = rc_iso8601(s);
	if (t && len >= 11) {
		/* Read: the first 11 characters are a valid day. */
		memcpy(p->day_text, s, 11);
		p->day = rc_days_from_civil((s[0] - '0') * 1000 + (s[1] - '0') * 100 + two(s + 2), two(s + 5), two(s + 8));
		p->have_day = true;
	}
	return t;
}

static void end_point(parser *p)
{
	p->in_point = false;
	rc_sample *s = &p->cur;
	bool has_pos = !isnan(s->lat) && !isnan(s->lon);
	if (has_pos && (fabs(s->lat) > 90 || fabs(s->lon) > 180)) {
		rc_activity_warn(p->info, "a point had a latitude or longitude outside the globe and was left out");
		p->info->rejected++;
	} else if (s->time && (s->time < RC_ACT_EARLIEST || s->time > p->now + 86400)) {
		rc_activity_warn(p->info, s->time < RC_ACT_EARLIEST ? "points timed before 1990 were left out"
		                                                    : "points timed in the future were left out");
		p->info->rejected++;
	} else if (has_pos || !isnan(s->distance) || !isnan(s->hr)) {
		p->info->samples++;
		p->fn(p->ctx, s);
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	(void)name;
	parser *p = ud;
	tag t = p->depth >= 0 && p->depth <= RC_ACT_MAX_XML_DEPTH ? p->open[p->depth] : T_OTHER;
	if (p->in_point && p->depth == p->point_depth) {
		end_point(p);
	} else if (p->want_text && p->tlen) {
		p->text[p->tlen] = '\0';
		char *text = p->text;
		while (*text == ' ' || *text == '\n' || *text == '\r' || *text == '\t')
			text++;
		if (t == T_TIME) {
			if (p->in_point)
				p->cur.time = point_time(p, text, (size_t)(p->text + p->tlen - text));
		} else if (t == T_TYPE) {
			if (!p->info->sport[0])
				rc_text_clean(p->info->sport, sizeof p->info->sport, text, strlen(text));
		} else {
			double v = number(text);
			if (p->in_point) {
				switch (t) {
				case T_ELE: p->cur.ele = v; break;
				case T_DISTANCE: p->cur.distance = v; break;
				case T_HR: p->cur.hr = v; break;
				case T_VALUE:
					if (p->in_hrbpm)
						p->cur.hr = v;
					break;
				case T_CADENCE: p->cur.cadence = v; break;
				case T_LAT: p->cur.lat = v; break;
				case T_LON: p->cur.lon = v; break;
				default: break;
				}
			} else if (t == T_DISTANCE && p->in_lap_total) {
				p->lap_distance += v;
			} else if (t == T_CALORIES && !p->in_point && v >= 0) {
				p->lap_kcal = isnan(p->lap_kcal) ? v : p->lap_kcal + v;
			} else if (t == T_VALUE && p->in_avghr && v > 0) {
				p->lap_hr_sum += v;
				p->lap_hr_n++;
			}
		}
	}
	if (t == T_HRBPM)
		p->in_hrbpm = false;
	if (t == T_AVGHR)
		p->in_avghr = false;
	p->want_text = false;
	p->tlen = 0;
	p->depth--;
}

struct rc_xml_stream {
	XML_Parser x;
	parser p;
	bool ok, started;
};

rc_xml_stream *rc_xml_open(int64_t now, rc_sample_fn fn, void *ctx, rc_activity_info *info)
{
	memset(info, 0, sizeof *info);
	info->device_distance = NAN;
	info->device_elapsed = NAN;
	info->device_energy = NAN;
	rc_xml_stream *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->x = XML_ParserCreate(NULL);
	if (!st->x) {
		free(st);
		return NULL;
	}
	st->p = (parser){.info = info, .fn = fn, .ctx = ctx, .now = now, .lap_kcal = NAN};
	st->ok = true;
	XML_SetUserData(st->x, &st->p);
	XML_SetElementHandler(st->x, on_start, on_end);
	XML_SetCharacterDataHandler(st->x, on_text);
	return st;
}

void rc_xml_feed(rc_xml_stream *st, const char *data, size_t len)
{
	if (!st->started) {
		st->started = true;
		st->p.info->kind = rc_activity_kind((const unsigned char *)data, len);
	}
	/* In pieces of at most 64 KB: expat's int length, and memory that does not grow. */
	enum { CHUNK = 64 * 1024 };
	for (size_t off = 0; off < len && st->ok && !st->p.too_deep; off += CHUNK) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;
		st->ok = XML_Parse(st->x, data + off, (int)n, 0) == XML_STATUS_OK;
	}
}

rc_err rc_xml_close(rc_xml_stream *st, char *err, size_t errlen)
{
	rc_activity_info *info = st->p.info;
	if (st->ok && !st->p.too_deep)
		st->ok = XML_Parse(st->x, "", 0, 1) == XML_STATUS_OK;
	if (!st->ok || st->p.too_deep) {
		char msg[200];
		snprintf(msg, sizeof msg, "the file is damaged at line %lu (%s): read up to there",
		         (unsigned long)XML_GetCurrentLineNumber(st->x),
		         st->p.too_deep ? "elements nested too deep" : XML_ErrorString(XML_GetErrorCode(st->x)));
		rc_activity_warn(info, msg);
	}
	bool ok = st->ok && !st->p.too_deep;
	if (st->p.lap_distance > 0)
		info->device_distance = st->p.lap_distance;
	if (st->p.lap_hr_n)
		info->device_hr_avg = st->p.lap_hr_sum / st->p.lap_hr_n;
	if (!isnan(st->p.lap_kcal))
		info->device_energy = st->p.lap_kcal;
	XML_ParserFree(st->x);
	free(st);
	if (!ok && info->samples == 0)
		return rc_errf(err, errlen, RC_EINVAL, "%s", info->warnings[0]);
	return RC_OK;
}

rc_err rc_xml_activity_read(const char *data, size_t len, int64_t now, rc_sample_fn fn, void *ctx,
                            rc_activity_info *info, char *err, size_t errlen)
{
	rc_file_kind kind = rc_activity_kind((const unsigned char *)data, len);
	if (kind != RC_FILE_GPX && kind != RC_FILE_TCX) {
		memset(info, 0, sizeof *info);
		info->kind = kind;
		return rc_errf(err, errlen, RC_EINVAL, "this is not a GPX or TCX file");
	}
	rc_xml_stream *st = rc_xml_open(now, fn, ctx, info);
	if (!st)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	rc_xml_feed(st, data, len);
	return rc_xml_close(st, err, errlen);
}

rc_err rc_activity_read(const unsigned char *data, size_t len, int64_t now, rc_sample_fn fn, void *ctx,
                        rc_activity_info *info, char *err, size_t errlen)
{
	rc_file_kind kind = rc_activity_kind(data, len);
	if (kind == RC_FILE_FIT)
		return rc_fit_activity_read(data, len, now, fn, ctx, info, err, errlen);
	if (kind == RC_FILE_UNKNOWN) {
		memset(info, 0, sizeof *info);
		return rc_errf(err, errlen, RC_EINVAL, "not a training file: runcare reads GPX, TCX and FIT");
	}
	return rc_xml_activity_read((const char *)data, len, now, fn, ctx, info, err, errlen);
}
