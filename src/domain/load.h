/* load.h — how hard one activity was, by what its file and its runner say.
 *
 * With heart rate: Banister's training impulse, TRIMP = Σ minutes × HRr × 0.64 e^(1.92 HRr), where HRr =
 * (HR − resting) / (maximum − resting) (Banister EW, Modeling elite athletic performance, in: Physiological
 * Testing of Elite Athletes, Human Kinetics 1991, 403–424; Morton RH, Fitz-Clarke JR, Banister EW, J Appl
 * Physiol 1990;69:1171–1177). The weighting 1.92 is the one published for men (1.67 for women); runcare
 * does not record sex and uses 1.92, which weights hard minutes a little more. The resting and maximum
 * heart rate are the runner's own when they give them; otherwise resting is taken as RC_HR_REST_TYPICAL
 * (a typical adult's) and maximum as the highest the runner's files held for a minute or more — and the
 * page says which were estimated.
 *
 * Without heart rate, the session RPE: the runner's "how hard was it" on the 0–10 scale times the
 * minutes (Foster C et al., A new approach to monitoring exercise training, J Strength Cond Res
 * 2001;15(1):109–115). Without either, running time in minutes.
 *
 * A runner's load over weeks must be one measure throughout (a ratio of TRIMP to minutes means nothing):
 * domain/training.c uses heart rate when every run of the last RC_LOAD_LOOKBACK_DAYS days has it, else
 * effort when every one is rated, else time, and says which. */
#ifndef RC_LOAD_H
#define RC_LOAD_H

#include <stdbool.h>
#include <stdint.h>

enum {
	RC_HR_BIN0 = 40,          /* bpm at the bottom of the first bin */
	RC_HR_BIN_W = 5,          /* bpm a bin */
	RC_HR_BINS = 45,          /* up to 265 bpm */
	RC_HR_REST_TYPICAL = 60,  /* bpm */
	RC_HR_MAX_HOLD_S = 60,    /* a maximum estimated from the files: held this long at least */
	RC_LOAD_LOOKBACK_DAYS = 35,
};
#define RC_TRIMP_K 1.92

typedef enum { RC_LOAD_TIME, RC_LOAD_HEART, RC_LOAD_EFFORT } rc_load_kind;

/* TRIMP of an activity's time at each heart rate (seconds per bin), for resting and maximum bpm. */
double rc_load_trimp(const int32_t hr_s[RC_HR_BINS], int rest, int max);
/* The highest heart rate held RC_HR_MAX_HOLD_S or longer (the middle of its bin), 0 when none. */
int rc_load_top_hr(const int32_t hr_s[RC_HR_BINS]);
/* "heart-rate load (TRIMP)", "session RPE (effort × minutes)", "running time" and their units. */
const char *rc_load_name(rc_load_kind k);
const char *rc_load_unit(rc_load_kind k);

/* The text form of the bins as stored ("0,0,12,…"; "" for none) and back: false when s holds none. */
void rc_load_bins_text(const double hr_s[RC_HR_BINS], char *out, int n);
bool rc_load_bins_parse(const char *s, int32_t out[RC_HR_BINS]);

#endif
