/* check.c — runcare check: the self-check in a terminal (the same questions and branching as the
 * web), or on a file of answers. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "content/selfcheck.h"

static const char help[] =
	"usage: runcare check [--content DIR]\n"
	"       runcare check --answers FILE.json [--json] [--content DIR]\n"
	"       runcare check --answers FILE.json --bench N\n"
	"       runcare check --walk VIGNETTES.json...\n\n"
	"Asks where it hurts, then one question at a time as the web does (the warning signs that matter there\n"
	"first, then only what could still change the advice; an emergency ends them at once), and says what\n"
	"is likely, how urgent it is and why. Answer yes, no, ? (don't know) or press Enter to skip.\n"
	"With --answers, reads a JSON object of answers (or a vignette {\"answers\": {...}}) instead.\n"
	"With --walk, asks each vignette's questions one at a time as the web does, answered from the case (a\n"
	"warning sign it does not mention: no; anything else: skipped), and prints how many questions each took\n"
	"(median and 90th percentile) and how often the result is right, beside answering everything at once.\n"
	"runcare gives general information, not a diagnosis. In an emergency call 911.\n";

static void print_result(const rc_triage_kb *kb, const rc_triage_result *r)
{
	printf("\nWhat to do now (%s): %s\n", rc_level_name(r->urgency), rc_selfcheck_action(r->urgency));
	if (r->nfired || r->nunknown_critical) {
		printf("\nWhy:\n");
		for (int i = 0; i < r->nfired; i++)
			printf("  - %s\n", r->fired[i].rule->reason);
		if (r->nunknown_critical)
			printf("  - You were not sure about a warning sign that cannot wait, so this is one level more urgent.\n");
	}
	if (r->nranked) {
		printf("\nMost likely:\n");
		for (int i = 0; i < r->nranked && i < 3; i++)
			printf("  %d. %s\n", i + 1, r->ranked[i].condition->name);
		printf("\nAdvice: %s\n", r->ranked[0].condition->advice);
	}
	for (int i = 0; i < r->nrisks; i++)
		printf("\nRisk factor — %s: %s\n", r->risks[i]->name, r->risks[i]->advice);
	if (r->nunanswered && r->urgency != RC_LEVEL_EMERGENCY) {
		printf("\nWarning-sign questions you did not answer:");
		for (int i = 0; i < r->nunanswered; i++)
			printf(" %s", kb->findings[r->unanswered[i]].key);
		printf("\n");
	}
	printf("\nruncare gives general information, not a diagnosis.\n");
}

/* One question at a time, chosen as the web chooses them (rc_triage_next): where it hurts, the warning
 * signs that matter there, then only what could still change the advice; an emergency ends them at once.
 * Enter skips a question; the end of the input evaluates what was answered. */
static int interactive(const rc_triage_kb *kb)
{
	rc_answers a;
	memset(&a, 0, sizeof a);
	char line[256], err[512];
	for (;;) {
		rc_next nx;
		rc_triage_next(kb, &a, &nx);
		if (nx.done)
			break;
		const rc_finding *f = &kb->findings[nx.finding];
		for (;;) {
			printf("%s", f->question);
			if (f->type == RC_FT_ENUM) {
				printf(" (");
				for (int i = 0; i < f->nvalues; i++)
					printf("%s%s", i ? ", " : "", f->values[i]);
				printf(")");
			} else if (f->type == RC_FT_BOOL) {
				printf(" [yes/no/?]");
			}
			printf(" ");
			fflush(stdout);
			if (!fgets(line, sizeof line, stdin))
				goto done; /* end of input: evaluate what we have */
			line[strcspn(line, "\r\n")] = '\0';
			if (rc_selfcheck_answer_text(kb, nx.finding, line, &a, err, sizeof err) == RC_OK)
				break;
			printf("  %s\n", err);
		}
		if (nx.finding == kb->region && a.state[kb->region] != RC_ANS_VALUE) {
			printf("runcare needs to know where it hurts to go on.\n");
			return RC_EXIT_USAGE;
		}
		if (a.state[nx.finding] == RC_ANS_ABSENT)
			a.state[nx.finding] = RC_ANS_SKIPPED; /* Enter: skipped, not asked again */
	}
done:;
	rc_triage_result r;
	rc_triage_eval(kb, &a, &r);
	rc_triage_unanswered_skipped(&r, &a); /* every warning sign that mattered was asked */
	print_result(kb, &r);
	return RC_EXIT_OK;
}

static int by_value(const void *x, const void *y)
{
	return *(const int *)x - *(const int *)y;
}

/* Whether a result matches a vignette: its urgency, and a top condition it accepts. */
static void score_case(json_t *v, const rc_triage_result *r, bool *urgency, bool *condition)
{
	const char *got = r->nranked ? r->ranked[0].condition->key : "";
	*urgency = strcmp(rc_level_name(r->urgency), json_string_value(json_object_get(v, "expected_urgency")) ?: "") == 0;
	*condition = false;
	json_t *acc = json_object_get(v, "acceptable_conditions");
	for (size_t k = 0; k < json_array_size(acc); k++)
		*condition |= strcmp(json_string_value(json_array_get(acc, k)) ?: "", got) == 0;
}

/* runcare check --walk: questions to a result, and accuracy, over vignette files. */
static int walk(const rc_triage_kb *kb, char **files, int nfiles)
{
	enum { MAX_CASES = 1000 };
	static int counts[MAX_CASES];
	int n = 0, walked_u = 0, walked_c = 0, all_u = 0, all_c = 0, under = 0;
	for (int i = 0; i < nfiles; i++) {
		json_error_t je;
		json_t *list = json_load_file(files[i], 0, &je);
		if (!json_is_array(list)) {
			fprintf(stderr, "runcare check: %s line %d: %s\n", files[i], je.line, list ? "not a list of vignettes" : je.text);
			json_decref(list);
			return RC_EXIT_USAGE;
		}
		size_t k;
		json_t *v;
		json_array_foreach(list, k, v)
		{
			rc_answers the_case, asked;
			char err[512];
			if (n == MAX_CASES || rc_selfcheck_answers(kb, json_object_get(v, "answers"), &the_case, err, sizeof err)) {
				fprintf(stderr, "runcare check: %s case %zu: %s\n", files[i], k, n == MAX_CASES ? "too many cases" : err);
				json_decref(list);
				return RC_EXIT_USAGE;
			}
			int other;
			const char *why;
			int clash = rc_triage_clash(kb, &the_case, &other, &why), foreign = rc_triage_foreign(kb, &the_case);
			if (clash >= 0 || foreign >= 0)
				fprintf(stderr, "%s: %s%s%s\n", json_string_value(json_object_get(v, "id")) ?: "?",
				        clash >= 0 ? "answers clash: " : "not asked for this region: ",
				        kb->findings[clash >= 0 ? clash : foreign].key, clash >= 0 ? why : "");
			rc_triage_result all, step;
			rc_triage_eval(kb, &the_case, &all);
			int q = rc_triage_walk(kb, &the_case, &asked);
			rc_triage_eval(kb, &asked, &step);
			bool au, ac, su, sc;
			score_case(v, &all, &au, &ac);
			score_case(v, &step, &su, &sc);
			all_u += au, all_c += ac, walked_u += su, walked_c += sc;
			under += (int)step.urgency < rc_level_parse(json_string_value(json_object_get(v, "expected_urgency")));
			counts[n++] = q;
			printf("%-12s %2d questions  %-9s %s%s\n", json_string_value(json_object_get(v, "id")) ?: "?", q,
			       rc_level_name(step.urgency), step.nranked ? step.ranked[0].condition->key : "-",
			       su && sc ? "" : "  (miss)");
		}
		json_decref(list);
	}
	if (!n) {
		fprintf(stderr, "runcare check: no vignettes\n");
		return RC_EXIT_USAGE;
	}
	qsort(counts, (size_t)n, sizeof counts[0], by_value);
	/* Nearest-rank percentiles. */
	int median = counts[(n + 1) / 2 - 1], p90 = counts[(9 * n + 9) / 10 - 1];
	printf("%d vignettes: questions to a result median %d, 90th percentile %d, most %d\n", n, median, p90,
	       counts[n - 1]);
	printf("one question at a time: urgency right %d/%d, condition acceptable %d/%d, under-triaged %d\n", walked_u, n,
	       walked_c, n, under);
	printf("answering everything:   urgency right %d/%d, condition acceptable %d/%d\n", all_u, n, all_c, n);
	return RC_EXIT_OK;
}

int rc_cli_check(int argc, char **argv)
{
	const char *file = NULL, *content = NULL;
	bool as_json = false;
	long bench = 0;
	char **walk_files = NULL;
	int nwalk = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return RC_EXIT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			as_json = true;
		} else if (strcmp(argv[i], "--walk") == 0 && i + 1 < argc) {
			walk_files = argv + i + 1;
			nwalk = argc - i - 1;
			break;
		} else if ((strcmp(argv[i], "--answers") == 0 || strcmp(argv[i], "--content") == 0 ||
		            strcmp(argv[i], "--bench") == 0) && i + 1 < argc) {
			if (argv[i][2] == 'a')
				file = argv[++i];
			else if (argv[i][2] == 'c')
				content = argv[++i];
			else
				bench = strtol(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "runcare check: unknown or incomplete option '%s'\n\n%s", argv[i], help);
			return RC_EXIT_USAGE;
		}
	}
	char err[1024];
	rc_triage_kb *kb = NULL;
	if (rc_selfcheck_load(rc_cli_setting(content, "RUNCARE_CONTENT", NULL), &kb, err, sizeof err)) {
		fprintf(stderr, "runcare check: the self-check's knowledge is not valid: %s\n", err);
		return RC_EXIT_USAGE;
	}
	if (walk_files) {
		int st = walk(kb, walk_files, nwalk);
		rc_selfcheck_free(kb);
		return st;
	}
	if (!file) {
		int st = interactive(kb);
		rc_selfcheck_free(kb);
		return st;
	}
	json_error_t je;
	json_t *doc = strcmp(file, "-") == 0 ? json_loadf(stdin, 0, &je) : json_load_file(file, 0, &je);
	rc_answers a;
	if (!doc) {
		fprintf(stderr, "runcare check: %s line %d: %s\n", file, je.line, je.text);
		rc_selfcheck_free(kb);
		return RC_EXIT_USAGE;
	}
	if (rc_selfcheck_answers(kb, doc, &a, err, sizeof err)) {
		fprintf(stderr, "runcare check: %s: %s\n", file, err);
		json_decref(doc);
		rc_selfcheck_free(kb);
		return RC_EXIT_USAGE;
	}
	json_decref(doc);
	rc_triage_result r;
	if (bench > 0) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < bench; i++)
			rc_triage_eval(kb, &a, &r);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		printf("%ld evaluations in %.3f s: %.0f evaluations/s\n", bench, s, (double)bench / s);
		rc_selfcheck_free(kb);
		return RC_EXIT_OK;
	}
	rc_triage_eval(kb, &a, &r);
	if (as_json) {
		json_t *out = rc_selfcheck_result_json(kb, &r);
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text ? text : "{}");
		free(text);
		json_decref(out);
	} else {
		print_result(kb, &r);
	}
	rc_selfcheck_free(kb);
	return RC_EXIT_OK;
}
