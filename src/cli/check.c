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
	"       runcare check --answers FILE.json --bench N\n\n"
	"Asks where it hurts, then only the questions that matter (warning signs first), and says what is\n"
	"likely, how urgent it is and why. Answer yes, no, ? (don't know) or press Enter to skip.\n"
	"With --answers, reads a JSON object of answers (or a vignette {\"answers\": {...}}) instead.\n"
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

static int interactive(const rc_triage_kb *kb)
{
	rc_answers a;
	memset(&a, 0, sizeof a);
	bool asked[RC_TRIAGE_MAX_FINDINGS] = {0};
	char line[256], err[512];
	for (;;) {
		int q[RC_TRIAGE_MAX_FINDINGS];
		int n = rc_triage_questions(kb, &a, q, RC_TRIAGE_MAX_FINDINGS), next = -1;
		for (int i = 0; i < n && next < 0; i++)
			if (!asked[q[i]])
				next = q[i];
		if (next < 0)
			break;
		const rc_finding *f = &kb->findings[next];
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
			if (!fgets(line, sizeof line, stdin)) {
				asked[next] = true;
				goto done; /* end of input: evaluate what we have */
			}
			line[strcspn(line, "\r\n")] = '\0';
			if (rc_selfcheck_answer_text(kb, next, line, &a, err, sizeof err) == RC_OK)
				break;
			printf("  %s\n", err);
		}
		asked[next] = true;
		if (next == kb->region && a.state[kb->region] != RC_ANS_VALUE) {
			printf("runcare needs to know where it hurts to go on.\n");
			return RC_EXIT_USAGE;
		}
	}
done:;
	rc_triage_result r;
	rc_triage_eval(kb, &a, &r);
	print_result(kb, &r);
	return RC_EXIT_OK;
}

int rc_cli_check(int argc, char **argv)
{
	const char *file = NULL, *content = NULL;
	bool as_json = false;
	long bench = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return RC_EXIT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			as_json = true;
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
