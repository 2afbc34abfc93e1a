/* tcxout.h — writing the TCX document runcare hands over for a platform's activity that is not itself
 * a training file (an Apple Health workout, a Polar Flow session): the activity's own figures on its
 * lap (duration, distance, energy, average and highest heart rate) and its points, so the import reads
 * it as it reads any TCX. */
#ifndef RC_TCXOUT_H
#define RC_TCXOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/sample.h"

typedef struct rc_tcx_out {
	char *p;
	size_t n, cap;
	bool oom;
} rc_tcx_out;

/* sport: TCX's word ("Running", "Biking", "Other"); figures NAN when not known. */
void rc_tcx_begin(rc_tcx_out *o, const char *sport, int64_t start, double duration_s, double distance_m, double kcal,
                  double hr_avg, double hr_max);
/* One point (an rc_sample_fn: ctx is the rc_tcx_out). */
void rc_tcx_point(void *ctx, const rc_sample *s);
/* No points of its own: the distance spread evenly from start to end, a point every half minute (closer
 * than a gap runcare counts as a pause). */
void rc_tcx_spread(rc_tcx_out *o, int64_t start, int64_t end, double distance_m);
/* Ends the document with notes (escaped here); the text (caller frees) and its length, or NULL when out
 * of memory. */
char *rc_tcx_end(rc_tcx_out *o, const char *notes, size_t *len);

#endif
