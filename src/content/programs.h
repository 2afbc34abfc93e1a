/* programs.h — the exercise library and home programs (content/exercises.json, programs.json,
 * progression.json), loaded and checked once at start: every reference resolves, every dosage is in
 * range, every stage is numbered in order; an error names the file and the key. */
#ifndef RC_PROGRAMS_H
#define RC_PROGRAMS_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "content/content.h"
#include "domain/progress.h"

enum {
	RC_EX_MAX_LIST = 8,
	RC_PROGRAM_MAX_STAGES = 6,
	RC_STAGE_MAX_ITEMS = 8,
	RC_EX_MAX_PER_DAY = 3, /* sessions a day an exercise may ask for (the calendar has a time for each) */
};

typedef struct rc_exercise {
	const char *key, *name, *why, *svg, *source;
	const char *regions[RC_EX_MAX_LIST], *steps[RC_EX_MAX_LIST], *cues[RC_EX_MAX_LIST], *avoid[RC_EX_MAX_LIST];
	int nregions, nsteps, ncues, navoid;
	unsigned stages; /* bit n: suits stage n */
	int sets, reps, hold_s, rest_s, per_day;
	bool every_other_day;
} rc_exercise;

typedef struct rc_stage_item {
	const char *key;       /* the exercise, as programs.json names it */
	const rc_exercise *ex; /* found by rc_programs_link */
	int sets, reps, hold_s; /* the exercise's own, unless the stage overrides them */
	int own_sets, own_reps, own_hold_s; /* the stage's overrides as programs.json gives them; -1: none */
} rc_stage_item;

typedef struct rc_stage {
	int n;
	const char *name, *goal, *entry, *exit, *note;
	rc_stage_item items[RC_STAGE_MAX_ITEMS];
	int nitems;
	int per_day;    /* sessions a day: the most any of its exercises asks */
	int prescribed; /* reps or holds in one session, all exercises: sets × (reps or 1 per hold) */
} rc_stage;

typedef struct rc_program {
	const char *key, *name, *summary, *source;
	rc_stage stages[RC_PROGRAM_MAX_STAGES];
	int nstages;
	rc_progress_rules rules;
} rc_program;

/* One program's own rules in progression.json. */
typedef struct rc_program_rules {
	const char *key;
	rc_progress_rules rules;
} rc_program_rules;

typedef struct rc_programs {
	rc_arena arena;
	rc_exercise *exercises;
	int nexercises;
	rc_program *programs;
	int nprograms;
	const char *progression_about;
	rc_progress_rules progression_default; /* progression.json as parsed; rc_programs_link gives each */
	rc_program_rules *progression_own;     /* program its own rules or the default */
	int nprogression_own;
} rc_programs;

/* dir NULL: the content compiled into the binary. The caller frees *out with rc_programs_free. */
RC_WUR rc_err rc_programs_load(const char *dir, rc_programs **out, char *err, size_t errlen);
void rc_programs_free(rc_programs *p);

/* One file's bytes into p (its strings in p->arena), replacing what p held from that file, each checked
 * on its own; a key that names another file's entry is only kept, for rc_programs_link. */
RC_WUR rc_err rc_programs_parse_exercises(rc_programs *p, const rc_content_file *f, char *err, size_t errlen);
RC_WUR rc_err rc_programs_parse_programs(rc_programs *p, const rc_content_file *f, char *err, size_t errlen);
RC_WUR rc_err rc_programs_parse_progression(rc_programs *p, const rc_content_file *f, char *err, size_t errlen);
/* The checks across the three files, once each is parsed: every stage's exercise is in exercises.json
 * (its dosage filled in where the stage sets none), every program in progression.json is in
 * programs.json; each program gets its rules. Writes only into p->programs, so it may run again after
 * one file is parsed anew. */
RC_WUR rc_err rc_programs_link(rc_programs *p, char *err, size_t errlen);
const rc_program *rc_program_find(const rc_programs *p, const char *key);
const rc_exercise *rc_exercise_find(const rc_programs *p, const char *key);

#endif
