/* fit.c — the FIT protocol decoded by runcare itself (from Garmin's published description; see
 * shared/formats/FIT.md): 12- and 14-byte headers, header and file CRCs, chained files, normal and
 * compressed-timestamp record headers, definitions with their own byte order, redefinition, base
 * types with their invalid values, developer fields (skipped by size), scale and offset, and the
 * accumulated compressed speed/distance of records. Pure; damaged files yield what could be read. */
#include "formats/activity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum {
	FIT_EPOCH = 631065600, /* 1989-12-31T00:00:00Z, where FIT time starts */
	FIT_MAX_FIELDS = 255,
	FIT_MAX_DEV_FIELDS = 255,
	FIT_MSG_FILE_ID = 0, FIT_MSG_SPORT = 12, FIT_MSG_SESSION = 18, FIT_MSG_LAP = 19, FIT_MSG_RECORD = 20,
	FIT_MSG_HR = 132,
	FIT_SYSTEM_TIME = 0x10000000, /* smaller date_time values count seconds since power-on */
	FIT_HR_MAX_GAP = 5,           /* s: a strap's beat-to-beat value is held at most this long */
};

typedef struct {
	uint8_t num, size, base;
	uint8_t width; /* bytes of one integer of its base type (0: not an integer, or larger than the field) */
} fit_field;

typedef struct {
	bool defined, big_endian;
	uint16_t global;
	int nfields;
	fit_field fields[FIT_MAX_FIELDS];
	int dev_bytes; /* developer fields are skipped: their total size */
	int size;      /* bytes of one data message */
} fit_def;

/* The FIT CRC (CRC-16/ARC: reflected polynomial 0xA001, from 0) a byte at a time: the same values as
 * the protocol's two-nibble table, a table lookup per byte instead of four (the CRC of a whole export's
 * files is checked). */
static const uint16_t crc_table[256] = {
	0x0000, 0xC0C1, 0xC181, 0x0140, 0xC301, 0x03C0, 0x0280, 0xC241,
	0xC601, 0x06C0, 0x0780, 0xC741, 0x0500, 0xC5C1, 0xC481, 0x0440,
	0xCC01, 0x0CC0, 0x0D80, 0xCD41, 0x0F00, 0xCFC1, 0xCE81, 0x0E40,
	0x0A00, 0xCAC1, 0xCB81, 0x0B40, 0xC901, 0x09C0, 0x0880, 0xC841,
	0xD801, 0x18C0, 0x1980, 0xD941, 0x1B00, 0xDBC1, 0xDA81, 0x1A40,
	0x1E00, 0xDEC1, 0xDF81, 0x1F40, 0xDD01, 0x1DC0, 0x1C80, 0xDC41,
	0x1400, 0xD4C1, 0xD581, 0x1540, 0xD701, 0x17C0, 0x1680, 0xD641,
	0xD201, 0x12C0, 0x1380, 0xD341, 0x1100, 0xD1C1, 0xD081, 0x1040,
	0xF001, 0x30C0, 0x3180, 0xF141, 0x3300, 0xF3C1, 0xF281, 0x3240,
	0x3600, 0xF6C1, 0xF781, 0x3740, 0xF501, 0x35C0, 0x3480, 0xF441,
	0x3C00, 0xFCC1, 0xFD81, 0x3D40, 0xFF01, 0x3FC0, 0x3E80, 0xFE41,
	0xFA01, 0x3AC0, 0x3B80, 0xFB41, 0x3900, 0xF9C1, 0xF881, 0x3840,
	0x2800, 0xE8C1, 0xE981, 0x2940, 0xEB01, 0x2BC0, 0x2A80, 0xEA41,
	0xEE01, 0x2EC0, 0x2F80, 0xEF41, 0x2D00, 0xEDC1, 0xEC81, 0x2C40,
	0xE401, 0x24C0, 0x2580, 0xE541, 0x2700, 0xE7C1, 0xE681, 0x2640,
	0x2200, 0xE2C1, 0xE381, 0x2340, 0xE101, 0x21C0, 0x2080, 0xE041,
	0xA001, 0x60C0, 0x6180, 0xA141, 0x6300, 0xA3C1, 0xA281, 0x6240,
	0x6600, 0xA6C1, 0xA781, 0x6740, 0xA501, 0x65C0, 0x6480, 0xA441,
	0x6C00, 0xACC1, 0xAD81, 0x6D40, 0xAF01, 0x6FC0, 0x6E80, 0xAE41,
	0xAA01, 0x6AC0, 0x6B80, 0xAB41, 0x6900, 0xA9C1, 0xA881, 0x6840,
	0x7800, 0xB8C1, 0xB981, 0x7940, 0xBB01, 0x7BC0, 0x7A80, 0xBA41,
	0xBE01, 0x7EC0, 0x7F80, 0xBF41, 0x7D00, 0xBDC1, 0xBC81, 0x7C40,
	0xB401, 0x74C0, 0x7580, 0xB541, 0x7700, 0xB7C1, 0xB681, 0x7640,
	0x7200, 0xB2C1, 0xB381, 0x7340, 0xB101, 0x71C0, 0x7080, 0xB041,
	0x5000, 0x90C1, 0x9181, 0x5140, 0x9301, 0x53C0, 0x5280, 0x9241,
	0x9601, 0x56C0, 0x5780, 0x9741, 0x5500, 0x95C1, 0x9481, 0x5440,
	0x9C01, 0x5CC0, 0x5D80, 0x9D41, 0x5F00, 0x9FC1, 0x9E81, 0x5E40,
	0x5A00, 0x9AC1, 0x9B81, 0x5B40, 0x9901, 0x59C0, 0x5880, 0x9841,
	0x8801, 0x48C0, 0x4980, 0x8941, 0x4B00, 0x8BC1, 0x8A81, 0x4A40,
	0x4E00, 0x8EC1, 0x8F81, 0x4F40, 0x8D01, 0x4DC0, 0x4C80, 0x8C41,
	0x4400, 0x84C1, 0x8581, 0x4540, 0x8701, 0x47C0, 0x4680, 0x8641,
	0x8201, 0x42C0, 0x4380, 0x8341, 0x4100, 0x81C1, 0x8081, 0x4040
};

static uint16_t crc16(uint16_t crc, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		crc = (uint16_t)((crc >> 8) ^ crc_table[(crc ^ p[i]) & 0xFF]);
	return crc;
}


/* Bytes of one integer of a base type; 0 for strings and floats, which runcare does not need. */
static int base_width(uint8_t base)
{
	switch (base & 0x1F) {
	case 0x00: case 0x01: case 0x02: case 0x0A: case 0x0D: return 1;
	case 0x03: case 0x04: case 0x0B: return 2;
	case 0x05: case 0x06: case 0x0C: return 4;
	case 0x0E: case 0x0F: case 0x10: return 8;
	default: return 0;
	}
}

/* The value of an integer field, or false when it holds its base type's "invalid" value. */
static bool read_width(const unsigned char *p, int width, uint8_t base, bool be, uint64_t *out, bool *is_signed)
{
	uint8_t type = base & 0x1F;
	if (!width)
		return false;
	uint64_t v = 0;
	for (int i = 0; i < width; i++)
		v |= (uint64_t)p[be ? width - 1 - i : i] << (8 * i);
	*is_signed = type == 0x01 || type == 0x03 || type == 0x05 || type == 0x0E;
	uint64_t all = width == 8 ? ~0ULL : ((1ULL << (8 * width)) - 1);
	bool z = type == 0x0A || type == 0x0B || type == 0x0C || type == 0x10;
	if (z ? v == 0 : *is_signed ? v == (all >> 1) : v == all)
		return false;
	*out = v;
	return true;
}

static bool read_uint(const unsigned char *p, int size, uint8_t base, bool be, uint64_t *out, bool *is_signed)
{
	int width = base_width(base);
	return read_width(p, size < width ? 0 : width, base, be, out, is_signed);
}

/* A field's value by the width worked out once, when its definition was read. */
static bool read_field(const unsigned char *p, const fit_field *f, bool be, uint64_t *out, bool *is_signed)
{
	return read_width(p, f->width, f->base, be, out, is_signed);
}

static int64_t as_signed(uint64_t v, int width)
{
	if (width < 8 && (v >> (8 * width - 1)) & 1)
		return (int64_t)(v | (~0ULL << (8 * width)));
	return (int64_t)v;
}

static const char *sport_name(uint64_t s)
{
	switch (s) {
	case 1: return "running";
	case 2: return "cycling";
	case 5: return "swimming";
	case 11: return "walking";
	case 17: return "hiking";
	default: return "other";
	}
}

typedef struct {
	rc_activity_info *info;
	rc_sample_fn fn;
	void *ctx;
	int64_t now;
	uint32_t last_ts;
	bool have_ts;
	double csd_distance; /* accumulated compressed distance, metres */
	uint32_t csd_last;
	bool csd_started;
	bool record_hr;      /* records carry heart rate: hr messages are not needed */
	/* hr messages (a strap that stores beats apart, e.g. in the water): anchor and last value */
	bool hr_anchored;
	double hr_anchor_time;    /* FIT seconds of the anchor's timestamp */
	uint32_t hr_anchor_event; /* its event_timestamp, 1/1024 s */
	uint32_t hr_event;        /* the last event_timestamp, for the 12-bit packed form */
	bool hr_have_event;
	double hr_prev_time, hr_prev_bpm;
} fit_state;

/* A strap's value at `t` (FIT seconds): one sample a second since the previous value, so that an
 * average over samples is an average over time, as it is for a watch that records each second. */
static void hr_value(fit_state *st, double t, double bpm)
{
	if (st->record_hr)
		return;
	if (st->hr_prev_bpm > 0 && t > st->hr_prev_time) {
		double gap = t - st->hr_prev_time;
		int n = gap > FIT_HR_MAX_GAP ? 1 : (int)gap;
		for (int i = 0; i < n; i++) {
			int64_t when = (int64_t)st->hr_prev_time + i + FIT_EPOCH;
			if (when < RC_ACT_EARLIEST || when > st->now + 86400)
				continue;
			rc_sample s = {when, NAN, NAN, NAN, NAN, st->hr_prev_bpm, NAN};
			st->info->samples++;
			st->fn(st->ctx, &s);
		}
	}
	if (t >= st->hr_prev_time || st->hr_prev_bpm <= 0) {
		st->hr_prev_time = t;
		st->hr_prev_bpm = bpm;
	}
}

/* One hr message: filtered_bpm[] with event_timestamp[] (uint32, 1/1024 s) or event_timestamp_12
 * (12-bit values packed two in three bytes, each the low bits of a running event_timestamp). The
 * message that has a timestamp anchors event time to the clock. */
static void hr_message(fit_state *st, const fit_def *d, const unsigned char *p)
{
	const unsigned char *bpm = NULL, *ev = NULL, *ev12 = NULL;
	int nbpm = 0, nev = 0, nev12 = 0;
	double ts = NAN, frac = 0;
	for (int i = 0; i < d->nfields; i++) {
		const fit_field *f = &d->fields[i];
		uint64_t v = 0;
		bool sg = false;
		if (f->num == 253 && read_uint(p, f->size, f->base, d->big_endian, &v, &sg))
			ts = (double)v;
		else if (f->num == 0 && read_uint(p, f->size, f->base, d->big_endian, &v, &sg))
			frac = (double)v / 32768.0;
		else if (f->num == 6)
			bpm = p, nbpm = f->size;
		else if (f->num == 9 && (f->base & 0x1F) == 0x06)
			ev = p, nev = f->size / 4;
		else if (f->num == 10)
			ev12 = p, nev12 = f->size;
		p += f->size;
	}
	if (!bpm)
		return;
	int n = ev ? (nev < nbpm ? nev : nbpm) : nbpm;
	for (int i = 0; i < n; i++) {
		uint32_t e;
		if (ev) {
			const unsigned char *q = ev + 4 * i;
			e = d->big_endian ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3]
			                  : (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
		} else if (ev12 && (i / 2) * 3 + 2 < nev12) {
			const unsigned char *q = ev12 + (i / 2) * 3;
			uint32_t low = i % 2 == 0 ? (uint32_t)(q[0] | (q[1] & 0x0F) << 8) : (uint32_t)((q[1] >> 4) | q[2] << 4);
			if (!st->hr_have_event)
				return; /* a packed value needs a full one before it */
			e = (st->hr_event & ~0xFFFu) + low;
			if (low < (st->hr_event & 0xFFF))
				e += 0x1000;
		} else {
			return;
		}
		st->hr_event = e;
		st->hr_have_event = true;
		if (i == 0 && !isnan(ts) && !st->hr_anchored) {
			st->hr_anchored = true;
			st->hr_anchor_time = ts + frac;
			st->hr_anchor_event = e;
		}
		if (st->hr_anchored && bpm[i] != 0xFF && bpm[i] > 0)
			hr_value(st, st->hr_anchor_time + (double)(int32_t)(e - st->hr_anchor_event) / 1024.0, bpm[i]);
	}
}

static void data_message(fit_state *st, const fit_def *d, const unsigned char *p, int64_t compressed_ts)
{
	if (d->global == FIT_MSG_HR) {
		hr_message(st, d, p);
		return;
	}
	rc_sample s = {0, NAN, NAN, NAN, NAN, NAN, NAN};
	double session_distance = NAN;
	const unsigned char *q = p;
	/* Of the other messages (events, device info, laps…) only the timestamp is read. */
	bool wanted = d->global == FIT_MSG_RECORD || d->global == FIT_MSG_SESSION || d->global == FIT_MSG_SPORT;
	for (int i = 0; i < d->nfields; i++) {
		const fit_field *f = &d->fields[i];
		if (!wanted && f->num != 253) {
			q += f->size;
			continue;
		}
		uint64_t v = 0;
		bool sg = false;
		bool ok = read_field(q, f, d->big_endian, &v, &sg);
		int width = f->width;
		if (f->num == 253 && ok) { /* timestamp, in every message that has one */
			st->last_ts = (uint32_t)v;
			st->have_ts = true;
			s.time = v < FIT_SYSTEM_TIME ? 0 : (int64_t)v + FIT_EPOCH;
			if (v < FIT_SYSTEM_TIME && d->global == FIT_MSG_RECORD)
				rc_activity_warn(st->info, "the device counted time from its power-on, not the date: the activity has no date");
		}
		if (d->global == FIT_MSG_RECORD) {
			if (f->num == 0 && ok)
				s.lat = (double)as_signed(v, width) * (180.0 / 2147483648.0);
			else if (f->num == 1 && ok)
				s.lon = (double)as_signed(v, width) * (180.0 / 2147483648.0);
			else if ((f->num == 2 || f->num == 78) && ok && (isnan(s.ele) || f->num == 78))
				s.ele = (double)v / 5.0 - 500.0;
			else if (f->num == 3 && ok) {
				s.hr = (double)v;
				st->record_hr = true;
			}
			else if (f->num == 4 && ok)
				s.cadence = (double)v;
			else if (f->num == 5 && ok)
				s.distance = (double)v / 100.0;
			else if (f->num == 8 && f->size >= 3) {
				/* compressed_speed_distance: 12 bits of speed (1/100 m/s), then 12 bits of distance
				 * (1/16 m) that accumulate modulo 4096. */
				uint32_t raw = (uint32_t)q[0] | ((uint32_t)q[1] << 8) | ((uint32_t)q[2] << 16);
				uint32_t dist = (raw >> 12) & 0xFFF;
				if (!st->csd_started) {
					st->csd_started = true;
					st->csd_last = dist;
				}
				st->csd_distance += (double)((dist - st->csd_last) & 0xFFF) / 16.0;
				st->csd_last = dist;
				s.distance = st->csd_distance;
			}
		} else if (d->global == FIT_MSG_SESSION) {
			if (f->num == 5 && ok)
				snprintf(st->info->sport, sizeof st->info->sport, "%s", sport_name(v));
			else if (f->num == 9 && ok)
				session_distance = (double)v / 100.0;
			else if (f->num == 2 && ok && v >= FIT_SYSTEM_TIME) {
				int64_t t = (int64_t)v + FIT_EPOCH;
				if (t >= RC_ACT_EARLIEST && t <= st->now + 86400 &&
				    (!st->info->device_start || t < st->info->device_start))
					st->info->device_start = t;
			} else if (f->num == 7 && ok)
				st->info->device_elapsed = (isnan(st->info->device_elapsed) ? 0 : st->info->device_elapsed) + (double)v / 1000.0;
			else if (f->num == 11 && ok) /* total_calories, kcal */
				st->info->device_energy = (isnan(st->info->device_energy) ? 0 : st->info->device_energy) + (double)v;
		} else if (d->global == FIT_MSG_SPORT && f->num == 0 && ok && !st->info->sport[0]) {
			snprintf(st->info->sport, sizeof st->info->sport, "%s", sport_name(v));
		}
		q += f->size;
	}
	if (compressed_ts >= FIT_SYSTEM_TIME)
		s.time = compressed_ts + FIT_EPOCH;
	else if (compressed_ts >= 0)
		s.time = 0;
	if (d->global == FIT_MSG_LAP)
		st->info->laps++;
	if (d->global == FIT_MSG_SESSION && !isnan(session_distance))
		st->info->device_distance = isnan(st->info->device_distance) ? session_distance
		                                                             : st->info->device_distance + session_distance;
	if (d->global != FIT_MSG_RECORD)
		return;
	if (s.time && (s.time < RC_ACT_EARLIEST || s.time > st->now + 86400)) {
		rc_activity_warn(st->info, "records timed before 1990 or in the future were left out");
		st->info->rejected++;
		return;
	}
	if (!isnan(s.lat) || !isnan(s.distance) || !isnan(s.hr)) {
		st->info->samples++;
		st->fn(st->ctx, &s);
	}
}

/* One FIT file of a chain, starting at data; *used says how many bytes it took. */
static bool one_file(fit_state *st, const unsigned char *data, size_t len, size_t *used)
{
	rc_activity_info *info = st->info;
	if (len < 12 || (data[0] != 12 && data[0] != 14) || memcmp(data + 8, ".FIT", 4) != 0) {
		rc_activity_warn(info, "the file header is damaged (a FIT header is 12 or 14 bytes and says .FIT)");
		return false;
	}
	size_t hsize = data[0];
	if (len < hsize) {
		rc_activity_warn(info, "the file ends inside its header");
		return false;
	}
	if (hsize == 14) {
		uint16_t hcrc = (uint16_t)(data[12] | (data[13] << 8));
		if (hcrc != 0 && hcrc != crc16(0, data, 12))
			rc_activity_warn(info, "the header's CRC does not match: the header may be damaged");
	}
	size_t dsize = (size_t)data[4] | ((size_t)data[5] << 8) | ((size_t)data[6] << 16) | ((size_t)data[7] << 24);
	size_t end = hsize + dsize;
	if (end > len) {
		rc_activity_warn(info, "the file ends before the data its header announces: read up to the end");
		end = len;
	} else if (end + 2 <= len) {
		uint16_t fcrc = (uint16_t)(data[end] | (data[end + 1] << 8));
		if (fcrc != crc16(0, data, end))
			rc_activity_warn(info, "the file's CRC does not match: some data may be damaged");
	} else {
		rc_activity_warn(info, "the file has no CRC at its end");
	}
	/* Definitions, timestamps and accumulators start afresh in every file of a chain. */
	static _Thread_local fit_def defs[16];
	memset(defs, 0, sizeof defs);
	st->have_ts = false;
	st->csd_started = false;
	st->csd_distance = 0;
	size_t pos = hsize;
	while (pos < end) {
		uint8_t h = data[pos++];
		if (h & 0x80) {
			int local = (h >> 5) & 3;
			uint32_t off = h & 0x1F;
			const fit_def *d = &defs[local];
			if (!d->defined || !st->have_ts || pos + (size_t)d->size > end) {
				rc_activity_warn(info, "a compressed-timestamp record could not be read: stopped there");
				break;
			}
			uint32_t ts = (st->last_ts & ~0x1Fu) + off;
			if (off < (st->last_ts & 0x1F))
				ts += 0x20;
			st->last_ts = ts;
			data_message(st, d, data + pos, ts);
			pos += (size_t)d->size;
		} else if (h & 0x40) {
			fit_def *d = &defs[h & 0x0F];
			memset(d, 0, sizeof *d);
			if (pos + 5 > end) {
				rc_activity_warn(info, "the file ends inside a definition");
				break;
			}
			d->big_endian = data[pos + 1] == 1;
			d->global = d->big_endian ? (uint16_t)(data[pos + 2] << 8 | data[pos + 3])
			                          : (uint16_t)(data[pos + 2] | data[pos + 3] << 8);
			d->nfields = data[pos + 4];
			pos += 5;
			if (pos + (size_t)d->nfields * 3 > end) {
				rc_activity_warn(info, "the file ends inside a definition");
				break;
			}
			for (int i = 0; i < d->nfields; i++) {
				int w = base_width(data[pos + 2]);
				d->fields[i] = (fit_field){data[pos], data[pos + 1], data[pos + 2], (uint8_t)(data[pos + 1] < w ? 0 : w)};
				d->size += data[pos + 1];
				pos += 3;
			}
			if (h & 0x20) {
				if (pos >= end) {
					rc_activity_warn(info, "the file ends inside a definition");
					break;
				}
				int ndev = data[pos++];
				if (pos + (size_t)ndev * 3 > end) {
					rc_activity_warn(info, "the file ends inside a definition");
					break;
				}
				for (int i = 0; i < ndev; i++, pos += 3)
					d->dev_bytes += data[pos + 1];
				d->size += d->dev_bytes;
			}
			d->defined = true;
		} else {
			const fit_def *d = &defs[h & 0x0F];
			if (!d->defined) {
				rc_activity_warn(info, "a data message has no definition before it: stopped there");
				break;
			}
			if (pos + (size_t)d->size > end) {
				rc_activity_warn(info, "the file ends inside a data message");
				break;
			}
			data_message(st, d, data + pos, -1);
			pos += (size_t)d->size;
		}
	}
	*used = end + 2 <= len ? end + 2 : len;
	return true;
}

rc_err rc_fit_activity_read(const unsigned char *data, size_t len, int64_t now, rc_sample_fn fn, void *ctx,
                            rc_activity_info *info, char *err, size_t errlen)
{
	memset(info, 0, sizeof *info);
	info->kind = RC_FILE_FIT;
	info->device_distance = NAN;
	info->device_elapsed = NAN;
	info->device_energy = NAN;
	if (rc_activity_kind(data, len) != RC_FILE_FIT)
		return rc_errf(err, errlen, RC_EINVAL, "this is not a FIT file");
	fit_state st = {.info = info, .fn = fn, .ctx = ctx, .now = now};
	size_t pos = 0;
	int files = 0;
	while (pos + 12 <= len) {
		size_t used = 0;
		if (!one_file(&st, data + pos, len - pos, &used))
			break;
		files++;
		pos += used;
	}
	hr_value(&st, st.hr_prev_time + 1, 0); /* the last strap value, held for its second */
	if (files == 0)
		return rc_errf(err, errlen, RC_EINVAL, "%s", info->nwarnings ? info->warnings[0] : "not a FIT file");
	return RC_OK;
}

/* The file_id message's type: read from the first messages only (file_id comes first in every file a
 * device writes), without decoding the rest. */
int rc_fit_file_type(const unsigned char *data, size_t len)
{
	if (len < 12 || (data[0] != 12 && data[0] != 14) || memcmp(data + 8, ".FIT", 4) != 0)
		return -1;
	size_t dsize = (size_t)data[4] | ((size_t)data[5] << 8) | ((size_t)data[6] << 16) | ((size_t)data[7] << 24);
	size_t pos = data[0], end = pos + dsize < len ? pos + dsize : len;
	struct {
		bool defined, be;
		uint16_t global;
		int size, type_at, type_size; /* the type field's offset and size in a file_id message, -1: none */
	} defs[16] = {0};
	for (int msgs = 0; msgs < 64 && pos < end; msgs++) {
		uint8_t h = data[pos++];
		if (!(h & 0x80) && (h & 0x40)) {
			if (pos + 5 > end)
				return -1;
			int local = h & 0x0F, nf = data[pos + 4];
			defs[local].be = data[pos + 1] == 1;
			defs[local].global = defs[local].be ? (uint16_t)(data[pos + 2] << 8 | data[pos + 3])
			                                    : (uint16_t)(data[pos + 2] | data[pos + 3] << 8);
			defs[local].size = 0;
			defs[local].type_at = -1;
			pos += 5;
			if (pos + (size_t)nf * 3 > end)
				return -1;
			for (int i = 0; i < nf; i++, pos += 3) {
				if (data[pos] == 0 && data[pos + 1] == 1) {
					defs[local].type_at = defs[local].size;
					defs[local].type_size = 1;
				}
				defs[local].size += data[pos + 1];
			}
			if (h & 0x20) {
				if (pos >= end)
					return -1;
				int nd = data[pos++];
				if (pos + (size_t)nd * 3 > end)
					return -1;
				for (int i = 0; i < nd; i++, pos += 3)
					defs[local].size += data[pos + 1];
			}
			defs[local].defined = true;
		} else {
			int local = h & 0x80 ? (h >> 5) & 3 : h & 0x0F;
			if (!defs[local].defined || pos + (size_t)defs[local].size > end)
				return -1;
			if (defs[local].global == FIT_MSG_FILE_ID)
				return defs[local].type_at >= 0 && data[pos + defs[local].type_at] != 0xFF
				           ? data[pos + defs[local].type_at]
				           : -1;
			pos += (size_t)defs[local].size;
		}
	}
	return -1;
}

const char *rc_fit_type_skip_reason(int type)
{
	switch (type) {
	case -1:
	case 4: return NULL; /* an activity, or a file that does not say: read as one */
	case 2:
	case 3: return "device or sport settings, not an activity";
	case 5: return "a workout plan, not an activity";
	case 6: return "a course (a route to follow), not an activity";
	case 7: return "a training schedule, not an activity";
	case 9: return "weight measurements, not an activity";
	case 10:
	case 20: return "totals or an activity summary, not an activity";
	case 11: return "goals, not an activity";
	case 14: return "blood pressure readings, not an activity";
	case 15:
	case 28:
	case 32: return "daily monitoring (steps and heart rate through the day), not an activity";
	case 34:
	case 35: return "segments, not an activity";
	default: return "a FIT file of another kind than an activity (such as sleep or health data)";
	}
}
