/* billing.h (content) — how the clinic bills, from content/billing.json, loaded and checked once at start:
 * the identity a superbill carries (NPI, tax id, place of service), the CPT codes and units each service
 * and each recorded treatment is billed with, the no-show and late-cancellation policy, and the prepaid
 * packages the desk sells. Clinic data, never code: a clinic edits the file in its content folder. */
#ifndef RC_CONTENT_BILLING_H
#define RC_CONTENT_BILLING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "content/content.h"

enum {
	RC_BILLING_MAX_SERVICES = 64,
	RC_BILLING_MAX_CODES = 6,      /* codes one service is billed with */
	RC_BILLING_MAX_TREATMENTS = 16,
	RC_BILLING_MAX_PACKAGES = 32,
	RC_BILLING_MAX_UNITS = 24,
};

typedef struct rc_billing_code {
	const char *cpt;         /* "97810": five digits, or four and a letter */
	const char *description;
	int units;
	int64_t charge_cents;    /* treatments: what it adds to the visit (0: included); services: unused */
} rc_billing_code;

typedef struct rc_billing_service {
	const char *service; /* a service's key */
	rc_billing_code codes[RC_BILLING_MAX_CODES];
	int ncodes;
} rc_billing_service;

typedef struct rc_billing_treatment {
	const char *kind; /* a treatment row's kind (acupuncture, electro_acupuncture, manual_therapy, …) */
	rc_billing_code code;
} rc_billing_treatment;

typedef struct rc_billing_package {
	const char *key, *name, *service;
	int visits, valid_days;
	int64_t price_cents;
} rc_billing_package;

typedef struct rc_billing_kb {
	rc_arena arena;
	const char *npi, *tax_id, *pos, *pos_name;
	rc_billing_service services[RC_BILLING_MAX_SERVICES];
	int nservices;
	rc_billing_treatment treatments[RC_BILLING_MAX_TREATMENTS];
	int ntreatments;
	int64_t no_show_cents, late_cancel_cents;
	int late_cancel_hours;
	const char *policy_text;
	rc_billing_package packages[RC_BILLING_MAX_PACKAGES];
	int npackages;
} rc_billing_kb;

/* billing.json's bytes into kb (zeroed by the caller, its arena initialised); an error names the file
 * and the key. */
RC_WUR rc_err rc_billing_kb_parse(rc_billing_kb *kb, const rc_content_file *f, char *err, size_t errlen);
/* dir NULL: the content compiled into the binary. The caller frees *out with rc_billing_kb_free. */
RC_WUR rc_err rc_billing_kb_load(const char *dir, rc_billing_kb **out, char *err, size_t errlen);
void rc_billing_kb_free(rc_billing_kb *kb);

/* Borrowed lookups; NULL when the file names none. */
/* A CPT code: five digits, or four digits and a capital letter (category II/III codes). */
bool rc_billing_cpt_ok(const char *s);
const rc_billing_service *rc_billing_service_codes(const rc_billing_kb *kb, const char *service_key);
const rc_billing_treatment *rc_billing_treatment_code(const rc_billing_kb *kb, const char *kind);
const rc_billing_package *rc_billing_package_by_key(const rc_billing_kb *kb, const char *key);

#endif
