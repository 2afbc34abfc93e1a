/* training.c — load over time and the flags (method in training.h). */
#include "domain/training.h"
#include "domain/sport.h"

#include "base/time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { DAY = 86400 };

/* Thresholds, each with its source. */
#define LOAD_RATIO_HIGH 1.5   /* Gabbett, Br J Sports Med 2016;50:273-280: injury risk climbs above 1.5 */
#define WEEK_JUMP 0.30        /* Nielsen et al., JOSPT 2014;44(10):739-747: >30% a week in novice runners */
#define WEEK_JUMP_MIN 60.0    /* minutes in the week before: a jump from nearly nothing is a restart */
#define EXPOSURE_FACTOR 2.0   /* hills, track, speed: twice the runner's own 4-week baseline */
#define CLIMB_MIN 150.0       /* m a week: below this, hills are not a change worth a flag */
#define FAST_MIN 20.0         /* min a week of fast running */

static const char SRC_RATIO[] = "Gabbett, Br J Sports Med 2016;50:273-280; Williams et al., Br J Sports Med 2017;51:209-210";
static const char SRC_JUMP[] = "Nielsen et al., J Orthop Sports Phys Ther 2014;44(10):739-747";
static const char SRC_RATIO_LOAD[] = "Gabbett, Br J Sports Med 2016;50:273-280; Banister 1991 (TRIMP) or Foster et "
                                     "al., J Strength Cond Res 2001;15:109-115 (session RPE)";
static const char SRC_JUMP_LOAD[] = "Nielsen et al., J Orthop Sports Phys Ther 2014;44(10):739-747; Banister 1991 (TRIMP) "
                                    "or Foster et al. 2001 (session RPE)";
static const char SRC_ARTICLE[] = "the clinic's article on runner's butt (high hamstring strain): causes";
/* The self-check's own source for a change in training, which names shoes among the changes. */
static const char SRC_SHOES[] = "the clinic's article (changing a training program); Warden SJ, Davis IS, Fredericson "
                                "M, J Orthop Sports Phys Ther 2014;44(10):749-765";

bool rc_training_is_run(const char *sport)
{
	return rc_sport_is_running(sport);
}

/* Days are the clinic's: an evening run in San Diego belongs to that evening's day, not to the next
 * UTC day. asof and each week's start are kept as the civil date's UTC midnight (day number × DAY), so
 * they name a date without a zone. */
void rc_training_init(rc_training *t, int64_t now, int64_t latest)
{
	memset(t, 0, sizeof *t);
	int64_t today = rc_tz_day_number(now);
	if (latest && rc_tz_day_number(latest) < today - RC_TRAINING_STALE_DAYS) {
		t->asof = rc_tz_day_number(latest) * DAY;
		t->stale = true;
	} else {
		t->asof = today * DAY;
	}
}

int64_t rc_training_window_start(const rc_training *t)
{
	return rc_tz_day_number_start(t->asof / DAY - (RC_TRAINING_DAYS - 1));
}

void rc_training_add(rc_training *t, const rc_activity_rec *a)
{
	int64_t local = rc_tz_day_number(a->start_at);
	int64_t day = local - (t->asof / DAY - (RC_TRAINING_DAYS - 1));
	if (day < 0 || day >= RC_TRAINING_DAYS)
		return;
	t->activities++;
	if (rc_training_is_run(a->sport)) {
		double minutes = (double)a->moving_s / 60.0;
		int32_t bins[RC_HR_BINS];
		bool hr = t->hr_max > 0 && rc_load_bins_parse(a->hr_zones, bins);
		if (hr)
			t->by_heart[day] += rc_load_trimp(bins, t->hr_rest, t->hr_max);
		if (a->effort_set)
			t->by_effort[day] += (double)a->effort * minutes;
		if (day >= RC_TRAINING_DAYS - RC_LOAD_LOOKBACK_DAYS) {
			t->runs_recent++;
			t->runs_with_hr += hr;
			t->runs_with_effort += a->effort_set;
		}
		t->daily[day] += minutes;
		t->climb[day] += (double)a->gain_m;
		t->fast[day] += (double)a->fast_s / 60.0;
	}
	if (a->track_size_m) {
		t->bend[day] += (double)a->track_bend_m;
		t->track_sessions[day]++;
		/* one direction a day is enough to say "all counter-clockwise" or "mixed" */
		if (!t->track_dir[day][0])
			snprintf(t->track_dir[day], sizeof t->track_dir[day], "%s", a->track_direction);
		else if (strcmp(t->track_dir[day], a->track_direction) != 0)
			snprintf(t->track_dir[day], sizeof t->track_dir[day], "mixed");
	}
	/* the weekly chart */
	int64_t asof_day = t->asof / DAY;
	int64_t monday_asof = asof_day - (asof_day + 3) % 7; /* 1970-01-01 was a Thursday */
	int64_t first = monday_asof - (RC_TRAINING_WEEKS - 1) * 7;
	if (local >= first && local < monday_asof + 7) {
		rc_training_week *w = &t->weeks[(local - first) / 7];
		if (rc_training_is_run(a->sport)) {
			w->minutes += (double)a->moving_s / 60.0;
			w->km += (double)a->distance_m / 1000.0;
			w->climb_m += (double)a->gain_m;
			w->fast_min += (double)a->fast_s / 60.0;
			w->runs++;
		}
		w->bend_m += (double)a->track_bend_m;
		w->track_sessions += a->track_size_m ? 1 : 0;
	}
}

/* Sum of v over days [from, to) counted back from asof: 0 is today, 7 is a week ago. */
static double back(const double *v, int from, int to)
{
	double s = 0;
	for (int d = from; d < to && d < RC_TRAINING_DAYS; d++)
		s += v[RC_TRAINING_DAYS - 1 - d];
	return s;
}

static void flag(rc_training *t, const char *key, const char *factor, const char *source, const char *text)
{
	if (t->nflags >= RC_TRAINING_MAX_FLAGS)
		return;
	rc_training_flag *f = &t->flags[t->nflags++];
	snprintf(f->key, sizeof f->key, "%s", key);
	snprintf(f->factor, sizeof f->factor, "%s", factor);
	snprintf(f->source, sizeof f->source, "%s", source);
	snprintf(f->text, sizeof f->text, "%s", text);
}

static const char *times_word(double x, char *buf, size_t n)
{
	if (x >= 2.95 && x < 3.05)
		return "tripled";
	if (x >= 1.95 && x < 2.05)
		return "doubled";
	snprintf(buf, n, "rose %.1f-fold", x);
	return buf;
}

void rc_training_heart(rc_training *t, int rest, int max, bool rest_estimated, bool max_estimated)
{
	t->hr_rest = rest;
	t->hr_max = max > rest + 20 ? max : 0;
	t->hr_rest_estimated = rest_estimated;
	t->hr_max_estimated = max_estimated;
}

double rc_training_load_of(const rc_training *t, const rc_activity_rec *a)
{
	int32_t bins[RC_HR_BINS];
	switch (t->load_kind) {
	case RC_LOAD_HEART:
		return t->hr_max > 0 && rc_load_bins_parse(a->hr_zones, bins) ? rc_load_trimp(bins, t->hr_rest, t->hr_max) : -1;
	case RC_LOAD_EFFORT: return a->effort_set ? (double)a->effort * (double)a->moving_s / 60.0 : -1;
	default: return (double)a->moving_s / 60.0;
	}
}

void rc_training_finish(rc_training *t)
{
	int64_t monday_asof = t->asof - ((t->asof / DAY + 3) % 7) * DAY;
	for (int i = 0; i < RC_TRAINING_WEEKS; i++)
		t->weeks[i].start = monday_asof - (RC_TRAINING_WEEKS - 1 - i) * 7 * (int64_t)DAY;
	/* The load is one measure throughout: heart rate when every recent run has it, else effort when
	 * every one is rated, else time (domain/load.h). */
	t->minutes_7d = back(t->daily, 0, 7);
	t->load_kind = t->runs_recent && t->runs_with_hr == t->runs_recent         ? RC_LOAD_HEART
	               : t->runs_recent && t->runs_with_effort == t->runs_recent ? RC_LOAD_EFFORT
	                                                                          : RC_LOAD_TIME;
	const double *load = t->load_kind == RC_LOAD_HEART    ? t->by_heart
	                     : t->load_kind == RC_LOAD_EFFORT ? t->by_effort
	                                                       : t->daily;
	/* Load: rolling and exponentially weighted. */
	t->acute = back(load, 0, 7);
	t->chronic_week = back(load, 0, 28) / 4.0;
	t->ratio = t->chronic_week > 0 ? t->acute / t->chronic_week : 0;
	const double la = 2.0 / (7 + 1), lc = 2.0 / (28 + 1);
	double ea = 0, ec = 0;
	for (int d = 0; d < RC_TRAINING_DAYS; d++) {
		ea = load[d] * la + ea * (1 - la);
		ec = load[d] * lc + ec * (1 - lc);
	}
	t->ewma_acute = ea * 7; /* a week's worth, to read beside the rolling figures */
	t->ewma_chronic = ec * 7;
	t->ewma_ratio = ec > 0 ? ea / ec : 0;
	double prev = back(load, 7, 14);
	t->week_change = prev > 0 ? (t->acute - prev) / prev : 0;

	char text[240], w[32];
	/* The minimum baselines are in minutes; in another unit, the same weeks' minutes stand for them. */
	double chronic_min = back(t->daily, 0, 28) / 4.0, prev_min = back(t->daily, 7, 14);
	const char *unit = rc_load_unit(t->load_kind);
	if (t->ratio > LOAD_RATIO_HIGH && chronic_min >= WEEK_JUMP_MIN) {
		if (t->load_kind == RC_LOAD_TIME)
			snprintf(text, sizeof text,
			         "Running in the last 7 days (%.0f min) was %.2f times the weekly average of the last 4 weeks "
			         "(%.0f min); above 1.5, injuries become more likely.",
			         t->acute, t->ratio, t->chronic_week);
		else
			snprintf(text, sizeof text,
			         "Running load in the last 7 days (%.0f %s) was %.2f times the weekly average of the last 4 "
			         "weeks (%.0f %s); above 1.5, injuries become more likely. Load: %s.",
			         t->acute, unit, t->ratio, t->chronic_week, unit, rc_load_name(t->load_kind));
		flag(t, "load_spike", "training_change_recent", t->load_kind == RC_LOAD_TIME ? SRC_RATIO : SRC_RATIO_LOAD, text);
	}
	if (t->week_change > WEEK_JUMP && prev_min >= WEEK_JUMP_MIN) {
		if (t->load_kind == RC_LOAD_TIME)
			snprintf(text, sizeof text,
			         "Running time rose %.0f%% on the week before (%.0f min, from %.0f min); a rise of more than 30%% "
			         "a week went with more injuries in novice runners.",
			         t->week_change * 100, t->acute, prev);
		else
			snprintf(text, sizeof text,
			         "Running load rose %.0f%% on the week before (%.0f %s, from %.0f %s); a rise of more than 30%% "
			         "a week went with more injuries in novice runners. Load: %s.",
			         t->week_change * 100, t->acute, unit, prev, unit, rc_load_name(t->load_kind));
		flag(t, "week_jump", "training_change_recent", t->load_kind == RC_LOAD_TIME ? SRC_JUMP : SRC_JUMP_LOAD, text);
	}
	double fast_now = back(t->fast, 0, 7), fast_base = back(t->fast, 7, 35) / 4.0;
	if (fast_now >= FAST_MIN && fast_now >= EXPOSURE_FACTOR * fast_base) {
		if (fast_base > 0)
			snprintf(text, sizeof text, "Fast running %s in a week: %.0f min in the last 7 days, %.0f min a week before.",
			         times_word(fast_now / fast_base, w, sizeof w), fast_now, fast_base);
		else
			snprintf(text, sizeof text, "Speed work is new: %.0f min of fast running in the last 7 days, none in the 4 "
			         "weeks before.", fast_now);
		flag(t, "speed_added", "training_change_recent", SRC_ARTICLE, text);
	}
	double climb_now = back(t->climb, 0, 7), climb_base = back(t->climb, 7, 35) / 4.0;
	double climb_two = back(t->climb, 0, 14) / 2.0;
	if (climb_two > climb_now)
		climb_now = climb_two; /* a rise spread over two weeks counts as much as one in a week */
	if (climb_now >= CLIMB_MIN && climb_now >= EXPOSURE_FACTOR * climb_base) {
		if (climb_base > 0)
			snprintf(text, sizeof text, "Weekly climbing %s in two weeks: %.0f m a week, against %.0f m a week before.",
			         times_word(climb_now / climb_base, w, sizeof w), climb_now, climb_base);
		else
			snprintf(text, sizeof text, "Hills are new: %.0f m of climbing a week lately, almost none in the 4 weeks "
			         "before.", climb_now);
		flag(t, "hills_added", "hills_added", SRC_ARTICLE, text);
	}
	double bend_now = back(t->bend, 0, 14), bend_base = back(t->bend, 14, 42) / 2.0; /* per 14 days */
	double bend_six = back(t->bend, 14, RC_TRAINING_DAYS);
	int sessions = 0;
	const char *dir = NULL;
	for (int d = 0; d < 14; d++) {
		int i = RC_TRAINING_DAYS - 1 - d;
		sessions += t->track_sessions[i];
		if (t->track_sessions[i])
			dir = !dir || strcmp(dir, t->track_dir[i]) == 0 ? t->track_dir[i] : "mixed";
	}
	if (sessions > 0 && bend_now >= 400 && (bend_six == 0 || bend_now >= EXPOSURE_FACTOR * bend_base)) {
		const char *all = dir && strcmp(dir, "mixed") != 0 ? "all " : "";
		if (bend_six == 0)
			snprintf(text, sizeof text, "First track session%s in six months: %.1f km on bends, %s%s.",
			         sessions > 1 ? "s" : "", bend_now / 1000, all, dir ? dir : "");
		else
			snprintf(text, sizeof text, "More track running: %.1f km on bends in two weeks against %.1f km before, %s%s.",
			         bend_now / 1000, bend_base / 1000, all, dir ? dir : "");
		flag(t, "track_running", "track_running", SRC_ARTICLE, text);
	}
}

static const char *kind_of(const rc_activity_rec *a)
{
	return a->sport_kind[0] ? a->sport_kind : rc_sport_kind(a->sport);
}

static bool within_percent(int64_t x, int64_t y)
{
	int64_t big = x > y ? x : y, diff = x > y ? x - y : y - x;
	return diff * 100 <= big * RC_SAME_PERCENT;
}

bool rc_activity_same(const rc_activity_rec *a, const rc_activity_rec *b)
{
	if (strcmp(kind_of(a), kind_of(b)) != 0)
		return false;
	int64_t off = a->start_at > b->start_at ? a->start_at - b->start_at : b->start_at - a->start_at;
	if (off > RC_SAME_START_S)
		return false;
	/* The same kind of sport from the very same second is one recording read twice, whatever the two
	 * platforms made of its distance (Apple's workout total against its route's points): a runner has one
	 * activity a start second (the store's key). */
	if (off == 0)
		return true;
	if (a->distance_m > 0 && b->distance_m > 0)
		return within_percent(a->distance_m, b->distance_m);
	if (a->distance_m <= 0 && b->distance_m <= 0)
		return within_percent(a->duration_s, b->duration_s);
	return false;
}

int rc_activity_richness(const rc_activity_rec *a)
{
	return (a->hr_avg >= 0 ? 2 : 0) + (strcmp(a->format, "manual") != 0 ? 1 : 0);
}

int64_t rc_shoe_recent_from(int64_t day)
{
	return rc_tz_day_number_start(day - (RC_SHOE_RECENT_DAYS - 1));
}

void rc_training_shoes(rc_training *t, const rc_shoe *shoes, int n, int64_t recent_from, int64_t first_run)
{
	const rc_shoe *pick = NULL;
	if (!first_run || first_run >= recent_from)
		return;
	for (int i = 0; i < n; i++)
		if (shoes[i].first_at >= recent_from && (!pick || shoes[i].first_at > pick->first_at))
			pick = &shoes[i];
	if (!pick)
		return;
	char day[11], text[240];
	rc_tz_date(pick->first_at, day);
	snprintf(text, sizeof text, "New shoes: %.80s, first run in on %s, %.1f km in them since. A change of shoes is a "
	         "change in training.", pick->gear, day, (double)pick->recent_m / 1000);
	flag(t, "new_shoes", "training_change_recent", SRC_SHOES, text);
}

const rc_training_flag *rc_training_flag_for(const rc_training *t, const char *factor)
{
	for (int i = 0; i < t->nflags; i++)
		if (strcmp(t->flags[i].factor, factor) == 0)
			return &t->flags[i];
	return NULL;
}

bool rc_training_flag_counts(const rc_training *t, const rc_training_flag *f, const rc_activity_rec *a)
{
	int64_t ago = t->asof / DAY - rc_tz_day_number(a->start_at);
	bool run = rc_training_is_run(a->sport);
	if (ago < 0)
		return false;
	if (!strcmp(f->key, "load_spike") || !strcmp(f->key, "week_jump"))
		return run && ago < 7;
	if (!strcmp(f->key, "speed_added"))
		return run && ago < 7 && a->fast_s > 0;
	if (!strcmp(f->key, "hills_added"))
		return run && ago < 14 && a->gain_m > 0;
	if (!strcmp(f->key, "track_running"))
		return ago < 14 && a->track_size_m > 0;
	if (!strcmp(f->key, "new_shoes")) /* the runs in the new pair: the text names it */
		return run && a->gear[0] && ago < RC_SHOE_RECENT_DAYS && strstr(f->text, a->gear) != NULL;
	return false;
}
