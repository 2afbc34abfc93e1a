/* billing_store.c — the statements of billing (see billing_store.h). */
#include "store/billing_store.h"

#include "store/booking.h"

#include <stdio.h>
#include <string.h>

static const rc_sql q_next = {"bill_next_number",
	"INSERT INTO billing_counter (kind, last_number) VALUES (?, 1) ON CONFLICT (kind) DO UPDATE "
	"SET last_number = billing_counter.last_number + 1 RETURNING last_number"};

static const rc_sql q_inv_insert = {"invoice_insert",
	"INSERT INTO invoice (number, runner_id, kind, appointment_id, package_id, practitioner_id, service_id, service_at, "
	"icd10, total_cents, issued_at, issued_by, price_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_line_insert = {"invoice_line_insert",
	"INSERT INTO invoice_line (invoice_id, seq, description, cpt, units, amount_cents) VALUES (?, ?, ?, ?, ?, ?)"};

/* One invoice with what credit notes, payments and refunds have done to it. */
#define INV_SELECT                                                                                                    \
	"SELECT i.id, i.number, i.runner_id, COALESCE(i.appointment_id, 0), COALESCE(i.package_id, 0), "                  \
	"COALESCE(i.practitioner_id, 0), COALESCE(i.service_id, 0), COALESCE(i.service_at, 0), i.issued_at, i.issued_by, " \
	"i.total_cents, "                                                                                                 \
	"(SELECT COALESCE(SUM(c.amount_cents), 0) FROM credit_note c WHERE c.invoice_id = i.id), "                        \
	"(SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p WHERE p.invoice_id = i.id AND p.kind = 'payment'), "    \
	"(SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p WHERE p.invoice_id = i.id AND p.kind = 'refund'), "     \
	"i.kind, i.icd10, i.price_reason, a.name, COALESCE(pr.name, ''), COALESCE(sv.name, '') "                          \
	"FROM invoice i JOIN account a ON a.id = i.runner_id LEFT JOIN practitioner pr ON pr.id = i.practitioner_id "     \
	"LEFT JOIN service sv ON sv.id = i.service_id "
static const rc_sql q_inv_get = {"invoice_get", INV_SELECT "WHERE i.id = ?"};
static const rc_sql q_inv_runner = {"invoices_of_runner", INV_SELECT "WHERE i.runner_id = ? ORDER BY i.number DESC"};
static const rc_sql q_inv_between = {"invoices_between",
	INV_SELECT "WHERE i.issued_at >= ? AND i.issued_at < ? ORDER BY i.number"};
static const rc_sql q_inv_visit = {"invoices_of_visit",
	INV_SELECT "WHERE i.appointment_id = ? AND i.kind = ? ORDER BY i.number"};
static const rc_sql q_lines = {"invoice_lines",
	"SELECT id, invoice_id, seq, description, cpt, units, amount_cents FROM invoice_line WHERE invoice_id = ? "
	"ORDER BY seq"};
static const rc_sql q_inv_owner = {"invoice_owner", "SELECT runner_id FROM invoice WHERE id = ?"};
static const rc_sql q_pay_owner = {"payment_owner", "SELECT runner_id FROM payment WHERE id = ?"};

static const rc_sql q_cn_insert = {"credit_note_insert",
	"INSERT INTO credit_note (number, invoice_id, runner_id, amount_cents, reason, issued_at, issued_by) "
	"VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"};
#define CN_SELECT "SELECT id, number, invoice_id, runner_id, amount_cents, issued_at, issued_by, reason FROM credit_note "
static const rc_sql q_cn_invoice = {"credit_notes_of_invoice", CN_SELECT "WHERE invoice_id = ? ORDER BY number"};
static const rc_sql q_cn_runner = {"credit_notes_of_runner", CN_SELECT "WHERE runner_id = ? ORDER BY number DESC"};

#define PAY_SELECT                                                                                                    \
	"SELECT p.id, p.runner_id, COALESCE(p.invoice_id, 0), p.amount_cents, COALESCE(p.refund_of, 0), p.taken_at, "    \
	"p.taken_by, (SELECT COALESCE(SUM(r.amount_cents), 0) FROM payment r WHERE r.refund_of = p.id), "                 \
	"COALESCE(i.number, 0), p.kind, p.method, p.reference, a.name FROM payment p JOIN account a ON a.id = p.runner_id " \
	"LEFT JOIN invoice i ON i.id = p.invoice_id "
static const rc_sql q_pay_key = {"payment_by_key", PAY_SELECT "WHERE p.taken_by = ? AND p.idempotency_key = ?"};
static const rc_sql q_pay_get = {"payment_get", PAY_SELECT "WHERE p.id = ?"};
static const rc_sql q_pay_invoice = {"payments_of_invoice", PAY_SELECT "WHERE p.invoice_id = ? ORDER BY p.id"};
static const rc_sql q_pay_runner = {"payments_of_runner", PAY_SELECT "WHERE p.runner_id = ? ORDER BY p.id DESC"};
static const rc_sql q_pay_between = {"payments_between",
	PAY_SELECT "WHERE p.taken_at >= ? AND p.taken_at < ? ORDER BY p.taken_at, p.id"};
static const rc_sql q_pay_insert = {"payment_insert",
	"INSERT INTO payment (runner_id, invoice_id, kind, method, amount_cents, refund_of, reference, taken_at, taken_by, "
	"idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};

static const rc_sql q_totals = {"bill_totals",
	"SELECT (SELECT COALESCE(SUM(total_cents), 0) FROM invoice WHERE runner_id = ?), "
	"(SELECT COALESCE(SUM(amount_cents), 0) FROM credit_note WHERE runner_id = ?), "
	"(SELECT COALESCE(SUM(amount_cents), 0) FROM payment WHERE runner_id = ? AND kind = 'payment'), "
	"(SELECT COALESCE(SUM(amount_cents), 0) FROM payment WHERE runner_id = ? AND kind = 'refund')"};

/* A balance per patient who has any billing at all; the zero ones are skipped by the caller. */
static const rc_sql q_owing = {"bill_owing",
	"SELECT x.id, x.name, x.bal FROM (SELECT a.id, a.name, "
	"(SELECT COALESCE(SUM(i.total_cents), 0) FROM invoice i WHERE i.runner_id = a.id) "
	"- (SELECT COALESCE(SUM(c.amount_cents), 0) FROM credit_note c WHERE c.runner_id = a.id) "
	"- (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p WHERE p.runner_id = a.id AND p.kind = 'payment') "
	"+ (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p WHERE p.runner_id = a.id AND p.kind = 'refund') AS bal "
	"FROM account a WHERE EXISTS (SELECT 1 FROM invoice i WHERE i.runner_id = a.id) "
	"OR EXISTS (SELECT 1 FROM payment p WHERE p.runner_id = a.id)) x WHERE x.bal <> 0 ORDER BY x.bal DESC, x.id"};

static const rc_sql q_note_icd = {"bill_note_icd10",
	"SELECT e.icd10 FROM clinical_note n JOIN episode e ON e.id = n.episode_id WHERE n.appointment_id = ? "
	"AND n.signed_at IS NOT NULL ORDER BY n.id DESC"};
static const rc_sql q_active_icd = {"bill_active_icd10",
	"SELECT icd10 FROM episode WHERE runner_id = ? AND status = 'active' ORDER BY id DESC"};
static const rc_sql q_kinds = {"bill_treatment_kinds",
	"SELECT DISTINCT t.kind FROM treatment t JOIN clinical_note n ON n.id = t.note_id WHERE n.appointment_id = ? "
	"AND n.signed_at IS NOT NULL ORDER BY t.kind"};

static const rc_sql q_unbilled = {"bill_unbilled_between",
	"SELECT a.id, a.runner_id, a.starts_at, s.name, p.name, r.name FROM appointment a JOIN service s ON s.id = a.service_id "
	"JOIN practitioner p ON p.id = a.practitioner_id JOIN account r ON r.id = a.runner_id "
	"WHERE a.status = 'arrived' AND a.starts_at >= ? AND a.starts_at < ? AND NOT EXISTS (SELECT 1 FROM invoice i "
	"WHERE i.appointment_id = a.id AND i.kind = 'visit' AND (i.total_cents = 0 OR i.total_cents > "
	"(SELECT COALESCE(SUM(c.amount_cents), 0) FROM credit_note c WHERE c.invoice_id = i.id))) ORDER BY a.starts_at, a.id"};

static const rc_sql q_cancelled = {"bill_cancelled_at",
	"SELECT COALESCE(cancelled_at, 0) FROM appointment WHERE id = ? AND status = 'cancelled'"};

static const rc_sql q_pkg_insert = {"package_insert",
	"INSERT INTO package (runner_id, plan_key, name, service_id, visits, price_cents, sold_at, expires_at, sold_by) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
#define PKG_SELECT                                                                                                    \
	"SELECT k.id, k.runner_id, k.service_id, k.price_cents, k.sold_at, k.expires_at, k.sold_by, k.visits, "          \
	"(SELECT COUNT(*) FROM package_use u WHERE u.package_id = k.id), k.plan_key, k.name, s.name FROM package k "      \
	"JOIN service s ON s.id = k.service_id "
static const rc_sql q_pkg_get = {"package_get", PKG_SELECT "WHERE k.id = ?"};
static const rc_sql q_pkg_runner = {"packages_of_runner", PKG_SELECT "WHERE k.runner_id = ? ORDER BY k.id DESC"};
static const rc_sql q_use_insert = {"package_use_insert",
	"INSERT INTO package_use (package_id, appointment_id, invoice_id, used_at) VALUES (?, ?, ?, ?)"};

/* Which use of its package an invoice's visit was: 1 for the first visit drawn, … (0: none). */
static const rc_sql q_use_rank = {"package_use_rank",
	"SELECT COUNT(*) FROM package_use u WHERE u.package_id = ? AND u.id <= "
	"(SELECT v.id FROM package_use v WHERE v.invoice_id = ? AND v.package_id = u.package_id)"};

static const rc_sql q_codes = {"service_codes",
	"SELECT seq, cpt, units, description FROM service_billing_code WHERE service_id = ? ORDER BY seq"};
static const rc_sql q_codes_clear = {"service_codes_clear", "DELETE FROM service_billing_code WHERE service_id = ?"};
static const rc_sql q_code_insert = {"service_code_insert",
	"INSERT INTO service_billing_code (service_id, seq, cpt, units, description, updated_at, updated_by) "
	"VALUES (?, ?, ?, ?, ?, ?, ?)"};

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

/* Binds an id, or NULL for 0. */
static rc_err bind_id(rc_stmt *s, int i, int64_t v)
{
	return v ? rc_stmt_bind_int(s, i, v) : rc_stmt_bind_text(s, i, NULL);
}

/* Steps an INSERT ... RETURNING id. */
static rc_err returning(rc_stmt *s, int64_t *id)
{
	bool row = false;
	rc_err e = rc_stmt_step(s, &row);
	if (e)
		return e;
	if (!row)
		return RC_EDB;
	*id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_bill_owing_list(rc_db *db, rc_bill_owing_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_owing, &s, &row, "");
	rc_bill_owing o;
	while (!e && row) {
		memset(&o, 0, sizeof o);
		o.runner_id = rc_stmt_int(s, 0);
		copy(o.name, sizeof o.name, rc_stmt_text(s, 1));
		o.balance_cents = rc_stmt_int(s, 2);
		fn(ctx, &o);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_bill_next_number(rc_db *db, const char *kind, int64_t *number)
{
	rc_stmt *s;
	bool row = false;
	rc_err e = rc_db_query(db, &q_next, &s, &row, "t", kind);
	if (e)
		return e;
	if (!row)
		return RC_EDB;
	*number = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_invoice_insert(rc_db *db, rc_invoice *inv)
{
	rc_stmt *s = rc_db_stmt(db, &q_inv_insert);
	rc_err e;
	if (!s)
		return RC_EDB;
	if ((e = rc_stmt_bind_int(s, 1, inv->number)) || (e = rc_stmt_bind_int(s, 2, inv->runner_id)) ||
	    (e = rc_stmt_bind_text(s, 3, inv->kind)) || (e = bind_id(s, 4, inv->appointment_id)) ||
	    (e = bind_id(s, 5, inv->package_id)) || (e = bind_id(s, 6, inv->practitioner_id)) ||
	    (e = bind_id(s, 7, inv->service_id)) || (e = bind_id(s, 8, inv->service_at)) ||
	    (e = rc_stmt_bind_text(s, 9, inv->icd10)) || (e = rc_stmt_bind_int(s, 10, inv->total_cents)) ||
	    (e = rc_stmt_bind_int(s, 11, inv->issued_at)) || (e = rc_stmt_bind_int(s, 12, inv->issued_by)) ||
	    (e = rc_stmt_bind_text(s, 13, inv->price_reason)))
		return e;
	return returning(s, &inv->id);
}

rc_err rc_invoice_line_insert(rc_db *db, const rc_invoice_line *l)
{
	return rc_db_query(db, &q_line_insert, NULL, NULL, "iittii", l->invoice_id, (int64_t)l->seq, l->description,
	                   l->cpt, (int64_t)l->units, l->amount_cents);
}

static void read_invoice(rc_stmt *s, rc_invoice *o)
{
	memset(o, 0, sizeof *o);
	int64_t *ints[] = {&o->id, &o->number, &o->runner_id, &o->appointment_id, &o->package_id, &o->practitioner_id,
	                   &o->service_id, &o->service_at, &o->issued_at, &o->issued_by, &o->total_cents,
	                   &o->credited_cents, &o->paid_cents, &o->refunded_cents};
	for (int i = 0; i < 14; i++)
		*ints[i] = rc_stmt_int(s, i);
	copy(o->kind, sizeof o->kind, rc_stmt_text(s, 14));
	copy(o->icd10, sizeof o->icd10, rc_stmt_text(s, 15));
	copy(o->price_reason, sizeof o->price_reason, rc_stmt_text(s, 16));
	copy(o->runner_name, sizeof o->runner_name, rc_stmt_text(s, 17));
	copy(o->practitioner_name, sizeof o->practitioner_name, rc_stmt_text(s, 18));
	copy(o->service_name, sizeof o->service_name, rc_stmt_text(s, 19));
}

rc_err rc_invoice_get(rc_db *db, int64_t id, rc_invoice *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_inv_get, &s, found, "i", id);
	if (!e && *found) {
		read_invoice(s, out);
		rc_stmt_done(s);
	}
	return e;
}

/* Steps the rest of a query whose first row is there (or not), handing each invoice to fn. */
static rc_err each_invoice(rc_stmt *s, bool row, rc_invoice_fn fn, void *ctx)
{
	rc_invoice inv;
	rc_err e = RC_OK;
	while (row) {
		read_invoice(s, &inv);
		fn(ctx, &inv);
		if ((e = rc_stmt_step(s, &row)))
			break;
	}
	return e;
}

rc_err rc_invoices_of_runner(rc_db *db, int64_t runner_id, rc_invoice_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_inv_runner, &s, &row, "i", runner_id);
	return e ? e : each_invoice(s, row, fn, ctx);
}

rc_err rc_invoices_between(rc_db *db, int64_t from, int64_t to, rc_invoice_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_inv_between, &s, &row, "ii", from, to);
	return e ? e : each_invoice(s, row, fn, ctx);
}

rc_err rc_invoices_of_visit(rc_db *db, int64_t appointment_id, const char *kind, rc_invoice_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_inv_visit, &s, &row, "it", appointment_id, kind);
	return e ? e : each_invoice(s, row, fn, ctx);
}

rc_err rc_invoice_lines(rc_db *db, int64_t invoice_id, rc_invoice_line_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_lines, &s, &row, "i", invoice_id);
	rc_invoice_line l;
	while (!e && row) {
		memset(&l, 0, sizeof l);
		l.id = rc_stmt_int(s, 0);
		l.invoice_id = rc_stmt_int(s, 1);
		l.seq = (int)rc_stmt_int(s, 2);
		copy(l.description, sizeof l.description, rc_stmt_text(s, 3));
		copy(l.cpt, sizeof l.cpt, rc_stmt_text(s, 4));
		l.units = (int)rc_stmt_int(s, 5);
		l.amount_cents = rc_stmt_int(s, 6);
		fn(ctx, &l);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

static rc_err owner(rc_db *db, const rc_sql *q, int64_t id, int64_t *runner_id)
{
	rc_stmt *s;
	bool row;
	*runner_id = 0;
	rc_err e = rc_db_query(db, q, &s, &row, "i", id);
	if (!e && row) {
		*runner_id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_invoice_owner(rc_db *db, int64_t id, int64_t *runner_id)
{
	return owner(db, &q_inv_owner, id, runner_id);
}

rc_err rc_payment_owner(rc_db *db, int64_t id, int64_t *runner_id)
{
	return owner(db, &q_pay_owner, id, runner_id);
}

rc_err rc_credit_note_insert(rc_db *db, rc_credit_note *c)
{
	rc_stmt *s = rc_db_stmt(db, &q_cn_insert);
	rc_err e;
	if (!s)
		return RC_EDB;
	if ((e = rc_stmt_bind_int(s, 1, c->number)) || (e = rc_stmt_bind_int(s, 2, c->invoice_id)) ||
	    (e = rc_stmt_bind_int(s, 3, c->runner_id)) || (e = rc_stmt_bind_int(s, 4, c->amount_cents)) ||
	    (e = rc_stmt_bind_text(s, 5, c->reason)) || (e = rc_stmt_bind_int(s, 6, c->issued_at)) ||
	    (e = rc_stmt_bind_int(s, 7, c->issued_by)))
		return e;
	return returning(s, &c->id);
}

static rc_err each_credit_note(rc_db *db, const rc_sql *q, int64_t id, rc_credit_note_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, q, &s, &row, "i", id);
	rc_credit_note c;
	while (!e && row) {
		memset(&c, 0, sizeof c);
		c.id = rc_stmt_int(s, 0);
		c.number = rc_stmt_int(s, 1);
		c.invoice_id = rc_stmt_int(s, 2);
		c.runner_id = rc_stmt_int(s, 3);
		c.amount_cents = rc_stmt_int(s, 4);
		c.issued_at = rc_stmt_int(s, 5);
		c.issued_by = rc_stmt_int(s, 6);
		copy(c.reason, sizeof c.reason, rc_stmt_text(s, 7));
		fn(ctx, &c);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_credit_notes_of_invoice(rc_db *db, int64_t invoice_id, rc_credit_note_fn fn, void *ctx)
{
	return each_credit_note(db, &q_cn_invoice, invoice_id, fn, ctx);
}

rc_err rc_credit_notes_of_runner(rc_db *db, int64_t runner_id, rc_credit_note_fn fn, void *ctx)
{
	return each_credit_note(db, &q_cn_runner, runner_id, fn, ctx);
}

static void read_payment(rc_stmt *s, rc_payment *o)
{
	memset(o, 0, sizeof *o);
	int64_t *ints[] = {&o->id, &o->runner_id, &o->invoice_id, &o->amount_cents, &o->refund_of, &o->taken_at,
	                   &o->taken_by, &o->refunded_cents, &o->invoice_number};
	for (int i = 0; i < 9; i++)
		*ints[i] = rc_stmt_int(s, i);
	copy(o->kind, sizeof o->kind, rc_stmt_text(s, 9));
	copy(o->method, sizeof o->method, rc_stmt_text(s, 10));
	copy(o->reference, sizeof o->reference, rc_stmt_text(s, 11));
	copy(o->runner_name, sizeof o->runner_name, rc_stmt_text(s, 12));
}

rc_err rc_payment_by_key(rc_db *db, int64_t taken_by, const char *key, rc_payment *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_pay_key, &s, found, "it", taken_by, key);
	if (!e && *found) {
		read_payment(s, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_payment_get(rc_db *db, int64_t id, rc_payment *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_pay_get, &s, found, "i", id);
	if (!e && *found) {
		read_payment(s, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_payment_insert(rc_db *db, rc_payment *p, const char *key)
{
	rc_stmt *s = rc_db_stmt(db, &q_pay_insert);
	rc_err e;
	if (!s)
		return RC_EDB;
	if ((e = rc_stmt_bind_int(s, 1, p->runner_id)) || (e = bind_id(s, 2, p->invoice_id)) ||
	    (e = rc_stmt_bind_text(s, 3, p->kind)) || (e = rc_stmt_bind_text(s, 4, p->method)) ||
	    (e = rc_stmt_bind_int(s, 5, p->amount_cents)) || (e = bind_id(s, 6, p->refund_of)) ||
	    (e = rc_stmt_bind_text(s, 7, p->reference)) || (e = rc_stmt_bind_int(s, 8, p->taken_at)) ||
	    (e = rc_stmt_bind_int(s, 9, p->taken_by)) || (e = rc_stmt_bind_text(s, 10, key && *key ? key : NULL)))
		return e;
	return returning(s, &p->id);
}

static rc_err each_payment(rc_stmt *s, bool row, rc_payment_fn fn, void *ctx)
{
	rc_payment p;
	rc_err e = RC_OK;
	while (row) {
		read_payment(s, &p);
		fn(ctx, &p);
		if ((e = rc_stmt_step(s, &row)))
			break;
	}
	return e;
}

rc_err rc_payments_of_invoice(rc_db *db, int64_t invoice_id, rc_payment_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_pay_invoice, &s, &row, "i", invoice_id);
	return e ? e : each_payment(s, row, fn, ctx);
}

rc_err rc_payments_of_runner(rc_db *db, int64_t runner_id, rc_payment_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_pay_runner, &s, &row, "i", runner_id);
	return e ? e : each_payment(s, row, fn, ctx);
}

rc_err rc_payments_between(rc_db *db, int64_t from, int64_t to, rc_payment_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_pay_between, &s, &row, "ii", from, to);
	return e ? e : each_payment(s, row, fn, ctx);
}

rc_err rc_bill_totals_of(rc_db *db, int64_t runner_id, rc_bill_totals *out)
{
	rc_stmt *s;
	bool row = false;
	rc_err e = rc_db_query(db, &q_totals, &s, &row, "iiii", runner_id, runner_id, runner_id, runner_id);
	if (e)
		return e;
	if (!row)
		return RC_EDB;
	out->invoiced_cents = rc_stmt_int(s, 0);
	out->credited_cents = rc_stmt_int(s, 1);
	out->paid_cents = rc_stmt_int(s, 2);
	out->refunded_cents = rc_stmt_int(s, 3);
	rc_stmt_done(s);
	out->balance_cents = out->invoiced_cents - out->credited_cents - out->paid_cents + out->refunded_cents;
	return RC_OK;
}

rc_err rc_bill_visit_chart(rc_db *db, int64_t appointment_id, int64_t runner_id, char *icd10, size_t icdlen,
                           char *kinds, size_t kindslen)
{
	rc_stmt *s;
	bool row;
	icd10[0] = kinds[0] = '\0';
	rc_err e = rc_db_query(db, &q_note_icd, &s, &row, "i", appointment_id);
	if (!e && row) {
		copy(icd10, icdlen, rc_stmt_text(s, 0));
		rc_stmt_done(s);
	}
	if (!e && !icd10[0] && !(e = rc_db_query(db, &q_active_icd, &s, &row, "i", runner_id)) && row) {
		copy(icd10, icdlen, rc_stmt_text(s, 0));
		rc_stmt_done(s);
	}
	if (e || (e = rc_db_query(db, &q_kinds, &s, &row, "i", appointment_id)))
		return e;
	size_t k = 0;
	while (!e && row) {
		int w = snprintf(kinds + k, kindslen - k, "%s%s", k ? "," : "", rc_stmt_text(s, 0));
		if (w < 0 || (size_t)w >= kindslen - k)
			return RC_ETOOBIG;
		k += (size_t)w;
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_bill_unbilled_between(rc_db *db, int64_t from, int64_t to, rc_bill_visit_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_unbilled, &s, &row, "ii", from, to);
	rc_appointment a;
	while (!e && row) {
		memset(&a, 0, sizeof a);
		a.id = rc_stmt_int(s, 0);
		a.runner_id = rc_stmt_int(s, 1);
		a.starts_at = rc_stmt_int(s, 2);
		copy(a.service_name, sizeof a.service_name, rc_stmt_text(s, 3));
		copy(a.practitioner_name, sizeof a.practitioner_name, rc_stmt_text(s, 4));
		copy(a.runner_name, sizeof a.runner_name, rc_stmt_text(s, 5));
		snprintf(a.status, sizeof a.status, "arrived");
		fn(ctx, &a);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_bill_cancelled_at(rc_db *db, int64_t appointment_id, int64_t *at)
{
	rc_stmt *s;
	bool row;
	*at = 0;
	rc_err e = rc_db_query(db, &q_cancelled, &s, &row, "i", appointment_id);
	if (!e && row) {
		*at = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_package_insert(rc_db *db, rc_package *p)
{
	rc_stmt *s = rc_db_stmt(db, &q_pkg_insert);
	rc_err e;
	if (!s)
		return RC_EDB;
	if ((e = rc_stmt_bind_int(s, 1, p->runner_id)) || (e = rc_stmt_bind_text(s, 2, p->plan_key)) ||
	    (e = rc_stmt_bind_text(s, 3, p->name)) || (e = rc_stmt_bind_int(s, 4, p->service_id)) ||
	    (e = rc_stmt_bind_int(s, 5, p->visits)) || (e = rc_stmt_bind_int(s, 6, p->price_cents)) ||
	    (e = rc_stmt_bind_int(s, 7, p->sold_at)) || (e = rc_stmt_bind_int(s, 8, p->expires_at)) ||
	    (e = rc_stmt_bind_int(s, 9, p->sold_by)))
		return e;
	return returning(s, &p->id);
}

static void read_package(rc_stmt *s, rc_package *o)
{
	memset(o, 0, sizeof *o);
	o->id = rc_stmt_int(s, 0);
	o->runner_id = rc_stmt_int(s, 1);
	o->service_id = rc_stmt_int(s, 2);
	o->price_cents = rc_stmt_int(s, 3);
	o->sold_at = rc_stmt_int(s, 4);
	o->expires_at = rc_stmt_int(s, 5);
	o->sold_by = rc_stmt_int(s, 6);
	o->visits = (int)rc_stmt_int(s, 7);
	o->used = (int)rc_stmt_int(s, 8);
	copy(o->plan_key, sizeof o->plan_key, rc_stmt_text(s, 9));
	copy(o->name, sizeof o->name, rc_stmt_text(s, 10));
	copy(o->service_name, sizeof o->service_name, rc_stmt_text(s, 11));
}

rc_err rc_package_get(rc_db *db, int64_t id, rc_package *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_pkg_get, &s, found, "i", id);
	if (!e && *found) {
		read_package(s, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_packages_of_runner(rc_db *db, int64_t runner_id, rc_package_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_pkg_runner, &s, &row, "i", runner_id);
	rc_package p;
	while (!e && row) {
		read_package(s, &p);
		fn(ctx, &p);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_package_use_rank(rc_db *db, int64_t package_id, int64_t invoice_id, int *rank)
{
	rc_stmt *s;
	bool found = false;
	*rank = 0;
	rc_err e = rc_db_query(db, &q_use_rank, &s, &found, "ii", package_id, invoice_id);
	if (!e && found) {
		*rank = (int)rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_package_use_insert(rc_db *db, int64_t package_id, int64_t appointment_id, int64_t invoice_id, int64_t at)
{
	return rc_db_query(db, &q_use_insert, NULL, NULL, "iiii", package_id, appointment_id, invoice_id, at);
}

rc_err rc_service_codes(rc_db *db, int64_t service_id, rc_service_code_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_codes, &s, &row, "i", service_id);
	rc_service_code c;
	while (!e && row) {
		memset(&c, 0, sizeof c);
		c.seq = (int)rc_stmt_int(s, 0);
		copy(c.cpt, sizeof c.cpt, rc_stmt_text(s, 1));
		c.units = (int)rc_stmt_int(s, 2);
		copy(c.description, sizeof c.description, rc_stmt_text(s, 3));
		fn(ctx, &c);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_service_codes_replace(rc_db *db, int64_t service_id, const rc_service_code *codes, int n, int64_t at,
                                int64_t by)
{
	rc_err e = rc_db_query(db, &q_codes_clear, NULL, NULL, "i", service_id);
	for (int i = 0; !e && i < n; i++)
		e = rc_db_query(db, &q_code_insert, NULL, NULL, "iititii", service_id, (int64_t)(i + 1), codes[i].cpt,
		                (int64_t)codes[i].units, codes[i].description, at, by);
	return e;
}
