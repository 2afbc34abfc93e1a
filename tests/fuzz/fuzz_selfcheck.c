/* fuzz_selfcheck.c — libFuzzer target for the self-check's answer readers: a JSON body as
 * POST /api/selfcheck takes it, and one form answer as the step page takes it (input up to the
 * first NUL is the JSON; after it, a finding number byte and the answer text). Whatever is accepted
 * is evaluated and written back as JSON; the check is that a level comes out and a red flag that
 * fired never leaves the level below it. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/selfcheck.h"
#include "domain/triage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static rc_triage_kb *kb;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[512];
	if (rc_selfcheck_load(NULL, &kb, err, sizeof err)) {
		fprintf(stderr, "fuzz_selfcheck: %s\n", err);
		abort();
	}
	return 0;
}

static void evaluate(const rc_answers *a)
{
	static rc_triage_result res;
	rc_triage_eval(kb, a, &res);
	for (int i = 0; i < res.nfired; i++)
		if (res.fired[i].rule->level > res.urgency)
			abort(); /* under-triage: a fired rule's level must be a floor */
	json_t *j = rc_selfcheck_result_json(kb, &res);
	json_t *k = rc_selfcheck_answers_json(kb, a);
	json_decref(j);
	json_decref(k);
	int q[RC_TRIAGE_MAX_FINDINGS];
	(void)rc_triage_questions(kb, a, q, RC_TRIAGE_MAX_FINDINGS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t jlen = nul ? (size_t)(nul - data) : size;
	static rc_answers a;
	char err[512];
	json_error_t je;
	json_t *obj = json_loadb((const char *)data, jlen, JSON_REJECT_DUPLICATES, &je);
	if (obj) {
		if (rc_selfcheck_answers(kb, obj, &a, err, sizeof err) == RC_OK)
			evaluate(&a);
		json_decref(obj);
	}
	if (nul && size - jlen >= 2) {
		int finding = nul[1] % (kb->nfindings ? kb->nfindings : 1);
		size_t tlen = size - jlen - 2;
		char *text = malloc(tlen + 1);
		if (!text)
			return 0;
		memcpy(text, nul + 2, tlen);
		text[tlen] = '\0';
		memset(&a, 0, sizeof a);
		if (rc_selfcheck_answer_text(kb, finding, text, &a, err, sizeof err) == RC_OK)
			evaluate(&a);
		free(text);
	}
	return 0;
}
