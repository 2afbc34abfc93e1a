/* trackfit.h — a running track found in an activity's points by fitting its whole shape, and what was
 * run on it: laps, distance and time on the bends, direction, and the lane when the fit supports it.
 *
 * The shape. A running track is two parallel straights joined by two bends of equal radius; lanes
 * are 1.22 m wide; a race is measured 0.30 m outside the kerb in lane 1 and 0.20 m outside the inner
 * line in the others (World Athletics Competition and Technical Rules, TR 14, formerly IAAF Rule 160).
 * The 400 m standard track has straights of 84.39 m and an inner kerb of 36.50 m radius (IAAF Track and
 * Field Facilities Manual, 2008, §2.2.1). Indoor tracks are 200 m ovals (TR 41), with tighter bends of
 * about 15 to 19 m. Both are a stadium: a rectangle with a half circle on each short side.
 *
 * Method. Positions are already in metres on a local plane. The densest place (mean shift with a
 * 100 m window from up to RC_TF_CANDIDATES points along the path, over a sample of the rest) gives the
 * centre, the principal axis
 * of the points around it the orientation. From there a stadium (centre, orientation, half straight h,
 * radius R) is fitted to every point by iteratively reweighted Gauss–Newton least squares on the
 * signed distance from the point to the stadium, with Tukey's biweight (c = 4.685 σ, σ from the median
 * absolute residual; Huber and Ronchetti, Robust Statistics, 2nd ed., 2009, §7.8) so that a warm-up on
 * the road, a GPS jump or a walk across the infield weigh nothing. Started once from a 400 m and once
 * from a 200 m track; the fit with the lower robust cost wins. Independent GPS noise of a few metres
 * averages out over thousands of points (the radius' standard error is σ/√n), and slow drift moves the
 * whole shape by a metre or two, which widens the band but barely moves the radius (by δ²/2R).
 *
 * What was run is read from the fitted shape, never from the raw points: each point near the track
 * has a position along it (its phase, 0 to one lap), the phase is unwrapped along the recording, and
 * the distance run is the change in phase over windows of RC_TF_WINDOW_S seconds — so jitter, which
 * moves a point back and forth, adds no length. Laps are that distance over the fitted lap; the
 * distance on bends the part of it whose phase lies on a semicircle; the time on bends the time between
 * points whose midpoint does; the direction the sign of the phase (counter-clockwise: the way races
 * run). The lane is reported only on a track whose straights are standard (84.39 ± RC_TF_STRAIGHT_TOL
 * m) and when the radius is known to ±RC_TF_LANE_SE m; otherwise 0.
 *
 * It is a track only when the fit says so: a lap of 170–240 m or 370–480 m, a radius of 12–60 m, a
 * robust residual of at most RC_TF_MAX_SIGMA m, RC_TF_MIN_LAPS laps or more, and every sixteenth of
 * the lap passed at least twice (a road loop or a roundabout leaves parts of any stadium empty). */
#ifndef RC_TRACKFIT_H
#define RC_TRACKFIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RC_TF_STD_STRAIGHT 84.39   /* m, World Athletics 400 m standard track */
#define RC_TF_STD_KERB_R 36.50     /* m, radius of the inner kerb */
#define RC_TF_LANE_W 1.22          /* m */
#define RC_TF_STRAIGHT_TOL 3.0     /* m */
#define RC_TF_LANE_SE 0.30         /* m */
#define RC_TF_MAX_SIGMA 6.0        /* m */
#define RC_TF_MIN_LAPS 2.0
#define RC_TF_WINDOW_S 20
#define RC_TF_GAP_S 30             /* s between points: longer is a pause, the phase starts again */
enum {
	RC_TF_CANDIDATES = 100,
	RC_TF_BINS = 16,
	RC_TF_NO_TIME = INT32_MIN,
	RC_TF_MAX_LAPS = 200,
	RC_TF_FIT_POINTS = 5000, /* at most this many points (evenly spread) in the fit itself */
};

/* One recorded point: metres east and north of the activity's origin, the activity's own distance at
 * it (summary.h: device or great-circle), and seconds since its first time (RC_TF_NO_TIME: none). */
typedef struct rc_track_point {
	float x, y, d;
	int32_t t;
} rc_track_point;

typedef enum { RC_DIR_NONE, RC_DIR_CCW, RC_DIR_CW, RC_DIR_MIXED } rc_direction;

typedef struct rc_track {
	bool found;
	int size_m;             /* 400 (outdoor) or 200 (indoor) */
	double laps, bend_distance_m, radius_m;
	rc_direction direction;
	int bends;              /* bends run: laps × 2, rounded */
	double straight_m;      /* fitted length of one straight */
	double lap_m;           /* fitted length of one lap at the radius run */
	double distance_m;      /* run on the track, along the fitted shape */
	double raw_distance_m;  /* the same stretches as the file measured them (noise included) */
	double time_s, bend_time_s;
	double sigma_m;         /* robust spread of the points about the shape */
	double radius_se_m;     /* standard error of the radius */
	int lane;               /* 1–9 on a standard track when the fit supports it, else 0 */
	double cx, cy, angle;   /* centre (local metres) and the straights' direction (radians) */
	int nlap_ends;          /* whole laps timed (from the point the runner joined the track) */
	int32_t lap_end_t[RC_TF_MAX_LAPS]; /* each one's end, in the points' seconds */
} rc_track;

/* Fits a track to n points (any number; none found is not an error). Pure; allocates only on the
 * stack. */
void rc_trackfit(const rc_track_point *p, size_t n, rc_track *out);

/* The position along the fitted track (0 ≤ phase < lap_m, counter-clockwise from the start of the
 * straight with the centre on its left) of the point (x, y), its signed distance from the shape
 * (positive outside) and whether it lies on a bend. For drawing an activity's bends. */
double rc_track_phase(const rc_track *t, double x, double y, double *dist, bool *on_bend);

const char *rc_direction_name(rc_direction d); /* "counter-clockwise", "clockwise", "mixed", "" */

#endif
