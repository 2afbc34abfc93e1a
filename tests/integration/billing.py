"""billing.py — invoices, credit notes, payments and refunds, black-box: a visit the runner came to invoiced
through the API with its codes and diagnosis, gapless numbers, the same Idempotency-Key paying once, bad money
refused with nothing half-written, runners reading only their own, every money change audited; and a random
walk of thousands of operations after which every invoice is the sum of its lines and every balance is
invoices − credit notes − payments + refunds (on both backends)."""
import json
import random
import time

from harness import Client, Server, add_user, clinic_day, clinic_time, own_server, query, runcare

PW = {"desk": "front of house 2468", "pat": "needles and notes 77", "rosa": "rosa runs the bay 7",
      "olive": "another runner 135", "admin": "keeper of the books 99"}


def token(s, email):
    st, out, err = runcare("token", "create", "--user", email, "--db", s.db)
    assert st == 0, err
    return out.strip().splitlines()[-1]


def api(s, method, path, tok, body=None, key=None, raw=None):
    headers = {"Authorization": "Bearer " + tok}
    data = raw
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body)
    if key is not None:
        headers["Idempotency-Key"] = key
    st, _, text = s.request(method, path, body=data, headers=headers)
    try:
        return st, json.loads(text) if text.strip() else None
    except ValueError:
        return st, text


class Books:
    """A demo clinic with the front desk, a practitioner and two runners, each with an API token."""

    def __init__(self, server=None):
        self.s = server or Server()
        s = self.s
        self.desk = add_user(s, "front_desk", "desk@clinic.test", PW["desk"], "Fran Desk")
        self.pat = add_user(s, "practitioner", "pat@clinic.test", PW["pat"], "Pat Physio")
        self.rosa = add_user(s, "runner", "rosa@example.org", PW["rosa"], "Rosa Runner")
        self.olive = add_user(s, "runner", "olive@example.org", PW["olive"], "Olive Other")
        self.tok = {who: token(s, email) for who, email in
                    [("desk", "desk@clinic.test"), ("pat", "pat@clinic.test"), ("rosa", "rosa@example.org"),
                     ("olive", "olive@example.org")]}
        self.service = {k: int(query(s.db, f"SELECT id FROM service WHERE key = '{k}'"))
                        for k in ("acupuncture", "follow-up", "initial-assessment")}
        self.price = {k: int(query(s.db, f"SELECT price_cents FROM service WHERE key = '{k}'")) for k in self.service}
        self.day = 0

    def visit(self, runner, service="acupuncture", status="arrived", weeks=-1):
        """A visit in the past (or future, weeks >= 0) with the first practitioner, straight into the database."""
        self.day += 1
        start = clinic_time(clinic_day(weeks, self.day % 5), "%02d:00" % (8 + self.day % 9)) + self.day * 60
        return int(query(self.s.db, "INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, ends_at, "
                                    f"status, reason, created_at) VALUES ({runner}, 1, {self.service[service]}, {start}, "
                                    f"{start + 2700}, '{status}', '', {start - 86400}) RETURNING id"))

    def count(self, table):
        return int(query(self.s.db, f"SELECT COUNT(*) FROM {table}"))


def invoice(b, visit, who="desk", body=None):
    return api(b.s, "POST", f"/api/visits/{visit}/invoice", b.tok[who], body if body is not None else {})


def pay(b, inv, cents, key, method="card", who="desk"):
    return api(b.s, "POST", f"/api/invoices/{inv}/payments", b.tok[who], {"amount_cents": cents, "method": method},
               key=key)


@own_server
def test_invoice_a_visit_through_the_api():
    b = Books()
    try:
        s = b.s
        # The episode's diagnosis goes on the invoice (the runner's active episode when no note names one).
        query(s.db, "INSERT INTO episode (runner_id, complaint, side, onset_day, onset_kind, condition_key, icd10, goals, "
                    f"status, opened_at, opened_by) VALUES ({b.rosa}, 'Left sit bone', 'left', '2026-01-01', 'gradual', "
                    f"'proximal_hamstring_tendinopathy', 'M76.892', 'Run again', 'active', 1, {b.pat})")
        v = b.visit(b.rosa)
        st, res = invoice(b, v)
        assert st == 201, res
        inv = res["invoice"]
        assert inv["number"] == 1 and inv["kind"] == "visit" and inv["visit_id"] == v, inv
        assert inv["patient_id"] == b.rosa and inv["icd10"] == "M76.892", inv
        assert [(l["cpt"], l["units"]) for l in inv["lines"]] == [("97810", 1), ("97811", 1)], inv["lines"]
        assert inv["total_cents"] == b.price["acupuncture"] == sum(l["amount_cents"] for l in inv["lines"])
        assert inv["balance_cents"] == inv["total_cents"] and inv["date_of_service"], inv
        assert inv["service"] == "Acupuncture" and inv["practitioner"], inv
        # A visit is invoiced once: again is a conflict naming the invoice, and takes no number.
        st, res = invoice(b, v)
        assert st == 409 and "invoice 1" in res["error"] and "credit note" in res["error"], res
        assert b.count("invoice") == 1
        # The desk may charge other than the price, with a reason; without one it is refused.
        v2 = b.visit(b.rosa, "follow-up")
        st, res = invoice(b, v2, body={"price_cents": 6000})
        assert st == 422 and res["field"] == "reason", res
        st, res = invoice(b, v2, body={"price_cents": 6000, "reason": "Student rate"})
        assert st == 201 and res["invoice"]["total_cents"] == 6000 and res["invoice"]["number"] == 2, res
        assert res["invoice"]["price_reason"] == "Student rate"
        assert res["invoice"]["lines"][0]["cpt"] == "97110" and res["invoice"]["lines"][0]["units"] == 2
        # Only a visit that took place: booked, cancelled and no-show visits are refused, and take no number.
        for status in ("booked", "cancelled", "no_show"):
            st, res = invoice(b, b.visit(b.rosa, status=status, weeks=1 if status == "booked" else -1))
            assert st == 422 and "Only a visit the runner came to" in res["error"], (status, res)
        st, res = invoice(b, 999999)
        assert st == 404, res
        st, res = invoice(b, b.visit(b.olive))
        assert st == 201 and res["invoice"]["number"] == 3, res  # no gap for the refusals in between
        # Runners: no invoicing; their own invoices only; another's are as if they did not exist.
        st, res = invoice(b, b.visit(b.rosa), who="rosa")
        assert st == 403, res
        st, res = api(s, "GET", f"/api/patients/{b.rosa}/invoices", b.tok["rosa"])
        assert st == 200 and [i["number"] for i in res["invoices"]] == [2, 1], res
        assert res["balance_cents"] == b.price["acupuncture"] + 6000, res
        st, res = api(s, "GET", f"/api/patients/{b.rosa}/invoices", b.tok["olive"])
        assert st == 404, res
        first = int(query(s.db, "SELECT id FROM invoice WHERE number = 1"))
        st, res = api(s, "GET", f"/api/invoices/{first}", b.tok["olive"])
        assert st == 404, res
        st, res = api(s, "GET", f"/api/invoices/{first}", b.tok["rosa"])
        assert st == 200 and res["invoice"]["number"] == 1, res
        st, res = api(s, "GET", f"/api/patients/{b.rosa}/balance", b.tok["pat"])
        assert st == 200 and res["balance_cents"] == b.price["acupuncture"] + 6000, res
        assert res["invoiced_cents"] == res["balance_cents"] and res["paid_cents"] == 0, res
        # An issued invoice is never edited: no method changes it, and its lines stay as they were.
        lines = query(s.db, f"SELECT group_concat(amount_cents) FROM invoice_line WHERE invoice_id = {first}") \
            if s.db.startswith("sqlite:") else None
        for method in ("PATCH", "PUT", "DELETE", "POST"):
            st, res = api(s, method, f"/api/invoices/{first}", b.tok["desk"], {"total_cents": 1})
            assert st == 405, (method, st, res)
        st, res = api(s, "POST", f"/api/visits/{v}/invoice", b.tok["desk"], {"price_cents": 1, "reason": "edit"})
        assert st == 409, res
        assert int(query(s.db, f"SELECT total_cents FROM invoice WHERE id = {first}")) == b.price["acupuncture"]
        if lines is not None:
            assert query(s.db, f"SELECT group_concat(amount_cents) FROM invoice_line WHERE invoice_id = {first}") == lines
        audit = query(s.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.issue'")
        assert int(audit) == 3, audit
    finally:
        b.s.close()


@own_server
def test_credit_notes_payments_and_refunds():
    b = Books()
    try:
        s = b.s
        st, res = invoice(b, b.visit(b.rosa))
        inv = res["invoice"]
        iid, total = inv["id"], inv["total_cents"]
        # Credit notes: with a reason, never more than is left to credit, whole cents above zero.
        cn = f"/api/invoices/{iid}/credit-notes"
        for body, field in [({"amount_cents": 1000}, "reason"), ({"amount_cents": -5, "reason": "x"}, "amount_cents"),
                            ({"amount_cents": 10.5, "reason": "x"}, "amount_cents"),
                            ({"amount_cents": "ten", "reason": "x"}, "amount_cents"),
                            ({"amount_cents": total + 1, "reason": "x"}, "amount_cents"),
                            ({"amount_cents": 1000, "reason": "x", "total_cents": 1}, "total_cents")]:
            st, res = api(s, "POST", cn, b.tok["desk"], body)
            assert st == 422 and res["field"] == field, (body, st, res)
        assert b.count("credit_note") == 0
        st, res = api(s, "POST", cn, b.tok["desk"], {"amount_cents": 1000, "reason": "Shorter visit"})
        assert st == 201 and res["credit_note"]["number"] == 1 and res["invoice"]["balance_cents"] == total - 1000, res
        st, res = api(s, "POST", cn, b.tok["rosa"], {"amount_cents": 1, "reason": "please"})
        assert st == 403, res
        owed = total - 1000
        # Payments: an Idempotency-Key is required; bad amounts are refused; never more than is owed.
        st, res = api(s, "POST", f"/api/invoices/{iid}/payments", b.tok["desk"], {"amount_cents": 100, "method": "card"})
        assert st == 422 and res["field"] == "Idempotency-Key", res
        for cents, method, field in [(-100, "card", "amount_cents"), (0, "card", "amount_cents"),
                                     (12.5, "card", "amount_cents"), (100, "bitcoin", "method"),
                                     (owed + 1, "card", "amount_cents")]:
            st, res = pay(b, iid, cents, f"bad-{cents}-{method}", method=method)
            assert st == 422 and res["field"] == field, (cents, method, res)
        assert "left to pay" in res["error"], res
        assert b.count("payment") == 0
        # A double click: the same key pays once, and answers with the same payment.
        st, first = pay(b, iid, 3000, "click-1", method="hsa_fsa")
        assert st == 201 and first["invoice"]["balance_cents"] == owed - 3000, first
        st, again = pay(b, iid, 3000, "click-1", method="hsa_fsa")
        assert st == 200 and again["payment"]["id"] == first["payment"]["id"], again
        assert again["invoice"]["balance_cents"] == owed - 3000 and b.count("payment") == 1
        st, res = pay(b, iid, 2000, "click-1")
        assert st == 409 and res["field"] == "Idempotency-Key", res
        st, res = pay(b, iid, owed - 3000, "click-2", method="cash")
        assert st == 201 and res["invoice"]["balance_cents"] == 0, res
        st, res = pay(b, iid, 1, "click-3")
        assert st == 422 and "nothing is left to pay" in res["error"], res
        # Refunds: of a payment, with a reason, never more than was paid of it.
        pid = first["payment"]["id"]
        rf = f"/api/payments/{pid}/refunds"
        st, res = api(s, "POST", rf, b.tok["desk"], {"amount_cents": 3001, "reason": "overcharged"}, key="r-1")
        assert st == 422 and "more than was paid" in res["error"] and "$30.00" in res["error"], res
        st, res = api(s, "POST", rf, b.tok["desk"], {"amount_cents": 1000, "reason": "overcharged"}, key="r-2")
        assert st == 201 and res["payment"]["kind"] == "refund" and res["payment"]["method"] == "hsa_fsa", res
        assert res["invoice"]["balance_cents"] == 1000 and res["invoice"]["refunded_cents"] == 1000, res
        st, res = api(s, "POST", rf, b.tok["desk"], {"amount_cents": 2001, "reason": "again"}, key="r-3")
        assert st == 422 and "$20.00" in res["error"], res
        st, res = api(s, "POST", rf, b.tok["desk"], {"amount_cents": 1000, "reason": "overcharged"}, key="r-2")
        assert st == 200 and b.count("payment") == 3, res
        # Money on account (the patient's credit) makes the balance negative.
        st, res = api(s, "POST", "/api/payments", b.tok["desk"],
                      {"patient_id": b.rosa, "amount_cents": 5000, "method": "check", "reference": "Check 1042"},
                      key="acct-1")
        assert st == 201 and res["payment"]["invoice_number"] is None, res
        st, res = api(s, "GET", f"/api/patients/{b.rosa}/balance", b.tok["rosa"])
        assert st == 200 and res["balance_cents"] == 1000 - 5000, res
        assert res == {"patient_id": b.rosa, "invoiced_cents": total, "credited_cents": 1000,
                       "paid_cents": total - 1000 + 5000, "refunded_cents": 1000, "balance_cents": -4000}, res
        actions = [query(s.db, "SELECT action FROM audit_log WHERE action LIKE 'invoice.%' OR action LIKE 'payment.%' "
                               f"ORDER BY id LIMIT 1 OFFSET {i}") for i in range(6)]
        assert actions == ["invoice.issue", "invoice.credit", "payment.take", "payment.take",
                                   "payment.refund", "payment.take"], actions
        assert query(s.db, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'invoice.%' OR action LIKE 'payment.%'") == "6"
    finally:
        b.s.close()


def _random_walk(b, ops, seed):
    """ops random operations through the API, each checked against a model kept here; then the identities."""
    rnd = random.Random(seed)
    s = b.s
    runners = [b.rosa, b.olive] + [add_user(s, "runner", f"r{i}@example.org", "random walk password 1", f"R {i}")
                                   for i in range(3)]
    visits = {r: [b.visit(r, rnd.choice(list(b.service))) for _ in range(12)] for r in runners}
    model = {}  # invoice id -> dict(total, credited, paid, refunded, runner)
    payments = {}  # payment id -> [amount, refunded, invoice id (0: on account), runner]
    account = {r: 0 for r in runners}  # on-account payments less their refunds
    keys = 0
    for op in range(ops):
        kind = rnd.choice(["invoice", "credit", "pay", "pay", "refund", "account", "bad"])
        if kind == "invoice" or not model:
            r = rnd.choice(runners)
            if not visits[r]:
                continue
            v = visits[r].pop()
            st, res = invoice(b, v)
            assert st == 201, res
            i = res["invoice"]
            assert i["total_cents"] == sum(l["amount_cents"] for l in i["lines"]), i
            model[i["id"]] = {"total": i["total_cents"], "credited": 0, "paid": 0, "refunded": 0, "runner": r}
            continue
        iid = rnd.choice(list(model))
        m = model[iid]
        balance = m["total"] - m["credited"] - m["paid"] + m["refunded"]
        if kind == "credit":
            left = m["total"] - m["credited"]
            amount = rnd.randint(1, max(1, left + 50))
            st, res = api(s, "POST", f"/api/invoices/{iid}/credit-notes", b.tok["desk"],
                          {"amount_cents": amount, "reason": f"op {op}"})
            if amount <= left:
                assert st == 201, res
                m["credited"] += amount
            else:
                assert st == 422, res
        elif kind == "pay":
            keys += 1
            amount = rnd.randint(1, max(1, balance + 50))
            st, res = pay(b, iid, amount, f"k{keys}", rnd.choice(["card", "cash", "check", "hsa_fsa", "other"]))
            if amount <= balance:
                assert st == 201, res
                m["paid"] += amount
                payments[res["payment"]["id"]] = [amount, 0, iid, m["runner"]]
                if rnd.random() < 0.2:  # a double click
                    st, again = pay(b, iid, amount, f"k{keys}", res["payment"]["method"])
                    assert st == 200 and again["payment"]["id"] == res["payment"]["id"], again
            else:
                assert st == 422, res
        elif kind == "refund" and payments:
            pid = rnd.choice(list(payments))
            p = payments[pid]
            left = p[0] - p[1]
            amount = rnd.randint(1, max(1, left + 20))
            keys += 1
            st, res = api(s, "POST", f"/api/payments/{pid}/refunds", b.tok["desk"],
                          {"amount_cents": amount, "reason": "random"}, key=f"k{keys}")
            if amount <= left:
                assert st == 201, res
                p[1] += amount
                if p[2]:
                    model[p[2]]["refunded"] += amount
                else:
                    account[p[3]] -= amount
            else:
                assert st == 422, res
        elif kind == "account":
            r = rnd.choice(runners)
            keys += 1
            amount = rnd.randint(1, 20000)
            st, res = api(s, "POST", "/api/payments", b.tok["desk"],
                          {"patient_id": r, "amount_cents": amount, "method": "cash"}, key=f"k{keys}")
            assert st == 201, res
            account[r] += amount
            payments[res["payment"]["id"]] = [amount, 0, 0, r]
        elif kind == "bad":
            st, res = pay(b, iid, rnd.choice([-1, 0, 1.5, "12.50"]), f"bad{op}")
            assert st == 422, res
        if kind in ("credit", "pay", "refund") and st in (200, 201) and "invoice" in res:
            m2 = model[res["invoice"]["id"]]
            want = m2["total"] - m2["credited"] - m2["paid"] + m2["refunded"]
            assert res["invoice"]["balance_cents"] == want, (res["invoice"], m2)
    # Every invoice is the sum of its lines; every balance is invoices − credit notes − payments + refunds.
    assert query(s.db, "SELECT COUNT(*) FROM invoice i WHERE total_cents <> (SELECT COALESCE(SUM(amount_cents), 0) "
                       "FROM invoice_line l WHERE l.invoice_id = i.id)") == "0"
    numbers = int(query(s.db, "SELECT COUNT(*) FROM invoice"))
    assert query(s.db, "SELECT MAX(number) FROM invoice") == str(numbers), "invoice numbers have a gap"
    assert query(s.db, "SELECT COUNT(*) - COALESCE(MAX(number), 0) FROM credit_note") == "0", "credit notes gap"
    for r in runners:
        st, res = api(s, "GET", f"/api/patients/{r}/balance", b.tok["desk"])
        inv = [m for m in model.values() if m["runner"] == r]
        want = sum(m["total"] - m["credited"] - m["paid"] + m["refunded"] for m in inv) - account[r]
        assert st == 200 and res["balance_cents"] == want, (r, res, want)
        assert res["balance_cents"] == (res["invoiced_cents"] - res["credited_cents"] - res["paid_cents"]
                                        + res["refunded_cents"]), res
        st, lst = api(s, "GET", f"/api/patients/{r}/invoices", b.tok["desk"])
        for i in lst["invoices"]:
            m = model[i["id"]]
            assert (i["total_cents"], i["credited_cents"], i["paid_cents"], i["refunded_cents"]) == \
                (m["total"], m["credited"], m["paid"], m["refunded"]), (i, m)
    return len(model)


@own_server
def test_random_operations_keep_the_books_exact():
    b = Books()
    try:
        began = time.monotonic()
        n = _random_walk(b, 2000, seed=19)
        assert n > 30, n
        assert time.monotonic() - began < 60, time.monotonic() - began
    finally:
        b.s.close()


@own_server
def test_api_sends_the_openapi_examples():
    """Every billing POST's documented example is accepted as written."""
    import os
    from harness import ROOT
    spec = json.load(open(os.path.join(ROOT, "docs", "openapi.json")))

    def example(path):
        return spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["example"]

    b = Books()
    try:
        s = b.s
        v = b.visit(b.rosa, "follow-up")
        st, res = invoice(b, v, body=example("/api/visits/{id}/invoice"))
        assert st == 201 and res["invoice"]["total_cents"] == 9500, res
        iid = res["invoice"]["id"]
        st, res = api(s, "POST", f"/api/invoices/{iid}/credit-notes", b.tok["desk"],
                      example("/api/invoices/{id}/credit-notes"))
        assert st == 201, res
        st, res = api(s, "POST", f"/api/invoices/{iid}/payments", b.tok["desk"], example("/api/invoices/{id}/payments"),
                      key="ex-1")
        assert st == 201 and res["invoice"]["balance_cents"] == 0, res
        pid = res["payment"]["id"]
        body = dict(example("/api/payments"), patient_id=b.rosa)
        st, res = api(s, "POST", "/api/payments", b.tok["desk"], body, key="ex-2")
        assert st == 201, res
        st, res = api(s, "POST", f"/api/payments/{pid}/refunds", b.tok["desk"], example("/api/payments/{id}/refunds"),
                      key="ex-3")
        assert st == 201 and res["invoice"]["balance_cents"] == 2000, res
    finally:
        b.s.close()
