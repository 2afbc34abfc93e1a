"""billing.py — invoices, credit notes, payments and refunds, black-box: a visit the runner came to invoiced
through the API with its codes and diagnosis, gapless numbers, the same Idempotency-Key paying once, bad money
refused with nothing half-written, runners reading only their own, every money change audited; and a random
walk of thousands of operations after which every invoice is the sum of its lines and every balance is
invoices − credit notes − payments + refunds (on both backends)."""
import json
import random
import re

from harness import Client, Server, add_user, clinic_day, clinic_time, own_server, query, runcare

PW = {"desk": "front of house 2468", "pat": "needles and notes 77", "rosa": "rosa runs the bay 7",
      "olive": "another runner 135", "admin": "keeper of the books 99"}


def token(s, email):
    st, out, err = runcare("token", "create", "--user", email, "--scope", "write", "--db", s.db)
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

    def visit(self, runner, service="acupuncture", status="arrived", weeks=-1, practitioner=1):
        """A visit in the past (or future, weeks >= 0) with a practitioner (the first unless named), straight into
        the database."""
        self.day += 1
        start = clinic_time(clinic_day(weeks, self.day % 5), "%02d:00" % (8 + self.day % 9)) + self.day * 60
        return int(query(self.s.db, "INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, ends_at, "
                                    f"status, reason, created_at) VALUES ({runner}, {practitioner}, "
                                    f"{self.service[service]}, {start}, "
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
        # The balance is the desk's (a practitioner's view is test_each_role_sees_and_does_its_part_of_billing).
        st, res = api(s, "GET", f"/api/patients/{b.rosa}/balance", b.tok["desk"])
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
        # No time limit here: speed is the bench's to measure, and a loaded machine is not a failure.
        n = _random_walk(b, 2000, seed=19)
        assert n > 30, n
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


def _csrf_post(c, path, form, page):
    return c.post(path, form, csrf_from=page)


@own_server
def test_the_front_desk_on_the_pages():
    """The desk bills a visit from the patient's account page, takes a card payment (a double click pays once),
    corrects with a credit note, refunds; bad money is refused with what was typed kept; the runner sees their own
    invoice and superbill and nobody else's; the day's close adds up by method."""
    import re
    b = Books()
    try:
        s = b.s
        query(s.db, "INSERT INTO patient_profile (runner_id, date_of_birth, phone, emergency_name, emergency_phone, "
                    f"alerts, alert_note, updated_at, updated_by) VALUES ({b.rosa}, '1990-04-17', '', '', '', '', '', 1, "
                    f"{b.desk})")
        query(s.db, "INSERT INTO episode (runner_id, complaint, side, onset_day, onset_kind, condition_key, icd10, goals, "
                    f"status, opened_at, opened_by) VALUES ({b.rosa}, 'Left sit bone', 'left', '2026-01-01', 'gradual', "
                    f"'proximal_hamstring_tendinopathy', 'M76.892', 'Run again', 'active', 1, {b.pat})")
        v = b.visit(b.rosa)
        desk = Client(s).sign_in("desk@clinic.test", PW["desk"])
        acct = f"/runners/{b.rosa}/billing"
        st, _, page = desk.get(acct)
        assert st == 200 and "Visits to bill" in page and f'action="/visits/{v}/invoice"' in page, page[:2000]
        st, _, day = desk.get("/billing/day")
        assert st == 200 and f'href="{acct}">Rosa Runner</a>' in day.split("Visits still to bill")[1], day[:3000]
        assert "Cancellation policy" in page and "24 hours" in page
        st, h, _ = desk.post(f"/visits/{v}/invoice", {"price": "", "reason": ""}, csrf_from=acct)
        assert st == 303, st
        inv_path = h["location"].split("?")[0]
        iid = int(inv_path.rsplit("/", 1)[1])
        st, _, page = desk.get(inv_path)
        assert st == 200 and "97810" in page and "M76.892" in page and "$110.00" in page and "Take a payment" in page
        key = re.search(r'name="key" value="([^"]+)"', page).group(1)
        # A fraction of a cent: refused, nothing written, what was typed kept beside its field.
        st, _, page = desk.post(f"{inv_path}/payments", {"amount": "50.505", "method": "card", "reference": "",
                                                         "key": key}, csrf_from=inv_path)
        assert st == 422 and "whole cents" in page and 'value="50.505"' in page, page[:3000]
        st, _, page = desk.post(f"{inv_path}/payments", {"amount": "-5", "method": "card", "key": key},
                                csrf_from=inv_path)
        assert st == 422 and "negative" in page
        st, _, page = desk.post(f"{inv_path}/payments", {"amount": "110.01", "method": "card", "key": key},
                                csrf_from=inv_path)
        assert st == 422 and "left to pay" in page
        assert b.count("payment") == 0
        # The card payment, and the same form sent twice (a double click): paid once.
        for _ in range(2):
            st, h, _ = desk.post(f"{inv_path}/payments", {"amount": "$60", "method": "card", "reference": "T-1",
                                                          "key": key}, csrf_from=inv_path)
            assert st == 303 and "done=paid" in h["location"], st
        assert b.count("payment") == 1
        st, _, page = desk.get(inv_path)
        assert "Balance due" in page and "$50.00" in page, page
        # A credit note over what is left to credit is refused; a right one corrects the invoice.
        st, _, page = desk.post(f"{inv_path}/credit-notes", {"credit_amount": "200", "credit_reason": "x"},
                                csrf_from=inv_path)
        assert st == 422 and "left to credit" in page and 'value="200"' in page
        st, h, _ = desk.post(f"{inv_path}/credit-notes", {"credit_amount": "10", "credit_reason": "Short visit"},
                             csrf_from=inv_path)
        assert st == 303
        # A refund of more than was paid: refused, with the amount that may be refunded.
        pid = int(query(s.db, "SELECT id FROM payment"))
        st, _, page = desk.post(f"/payments/{pid}/refunds", {"refund_amount": "60.01", "refund_reason": "x",
                                                             "key": "rk1"}, csrf_from=inv_path)
        assert st == 422 and "more than was paid" in page and "$60.00" in page, page[:2000]
        st, h, _ = desk.post(f"/payments/{pid}/refunds", {"refund_amount": "20", "refund_reason": "Goodwill",
                                                          "key": "rk2"}, csrf_from=inv_path)
        assert st == 303
        st, _, page = desk.get(inv_path)
        assert "Credit note 1" in page and "$60.00" in page  # 110 − 10 − 60 + 20
        # No form edits an issued invoice.
        for method in ("POST", "PUT", "PATCH"):
            st, _, _ = desk.request(method, inv_path, form={"total": "1", "csrf": desk.csrf(inv_path)})
            assert st == 405, (method, st)
        assert query(s.db, f"SELECT total_cents FROM invoice WHERE id = {iid}") == "11000"
        # The runner: their invoice and superbill, read only; another runner gets nothing.
        rosa = Client(s).sign_in("rosa@example.org", PW["rosa"])
        st, _, page = rosa.get(inv_path)
        assert st == 200 and "Take a payment" not in page and "credit note" not in page.lower().split("credit notes")[0]
        st, _, page = rosa.get(f"{inv_path}/superbill")
        assert st == 200 and "1234567893" in page and "33-1234567" in page and "M76.892" in page and "97810" in page
        assert "04/17/1990" not in page and "1990-04-17" in page and "Place of service" in page and "11 (Office)" in page
        st, _, page = rosa.get(acct)
        assert st == 200 and "Visits to bill" not in page and "Invoice 1" in page
        # Her export has her invoices, their lines, the credit note and the payments.
        st, _, doc = rosa.get("/account/export")
        doc = json.loads(doc)
        assert st == 200 and [i["number"] for i in doc["invoice"]] == ["1"], doc["invoice"]
        assert [l["cpt"] for l in doc["invoice_line"]] == ["97810", "97811"] and len(doc["credit_note"]) == 1
        assert sorted(p["kind"] for p in doc["payment"]) == ["payment", "refund"], doc["payment"]
        st, _, _ = rosa.post(f"{inv_path}/payments", {"amount": "1", "method": "cash", "key": "x"}, csrf_from=acct)
        assert st == 403
        olive = Client(s).sign_in("olive@example.org", PW["olive"])
        for path in (inv_path, f"{inv_path}/superbill", acct):
            st, _, _ = olive.get(path)
            assert st == 404, path
        # The day's close: the card payment less the refund (the refund went back to the card).
        st, _, page = desk.get("/billing/day")
        assert st == 200 and "Card (terminal)" in page, page[:2000]
        m = re.search(r'Card \(terminal\)</th><td class="money">([^<]+)</td>', page)
        assert m and m.group(1) == "$40.00", m and m.group(1)
        st, h, csv = desk.get("/billing/day.csv")
        assert st == 200 and h["content-type"].startswith("text/csv") and "60.00" in csv and "-20.00" in csv, csv
        st, _, _ = desk.get("/billing/reports")
        assert st == 403
    finally:
        b.s.close()


@own_server
def test_revenue_reports_for_the_administrator():
    b = Books()
    try:
        s = b.s
        add_user(s, "admin", "keeper@clinic.test", PW["admin"], "Kim Keeper")
        for r in (b.rosa, b.olive):
            st, res = invoice(b, b.visit(r))
            assert st == 201, res
        st, res = pay(b, res["invoice"]["id"], 4000, "rep-1", method="cash")
        assert st == 201
        adm = Client(s).sign_in("keeper@clinic.test", PW["admin"])
        st, _, page = adm.get("/billing/reports")
        assert st == 200 and "<svg" in page and "Net revenue by month" in page and "Balances owed" in page, page[:3000]
        assert "$220.00" in page and "Rosa Runner" in page and "Olive Other" in page
        st, h, csv = adm.get("/billing/revenue.csv?table=owing")
        assert st == 200 and h["content-type"].startswith("text/csv"), st
        assert csv.splitlines()[0] == "Patient,Balance" and "Rosa Runner,110.00" in csv and "Olive Other,70.00" in csv
        st, _, csv = adm.get("/billing/revenue.csv?table=methods")
        assert "Cash,1,40.00,0.00,40.00" in csv, csv
        st, _, page = adm.get("/billing/reports?from=2026-12-31&to=2026-01-01")
        assert st == 422 and "on or after" in page
        st, _, page = adm.get("/billing/reports?from=yesterday")
        assert st == 422 and 'value="yesterday"' in page
    finally:
        b.s.close()


@own_server
def test_packages_and_fees():
    """A prepaid package is drawn down by visits of its service and never past its expiry or its last visit;
    a no-show and a late cancellation are charged as the policy in content/billing.json says, once."""
    b = Books()
    try:
        s = b.s
        desk = Client(s).sign_in("desk@clinic.test", PW["desk"])
        acct = f"/runners/{b.rosa}/billing"
        st, _, page = desk.get(acct)
        assert "5 acupuncture visits" in page and "$500.00" in page
        st, h, _ = desk.post(f"/runners/{b.rosa}/packages", {"package": "acupuncture-5"}, csrf_from=acct)
        assert st == 303, st
        st, _, page = desk.post(f"/runners/{b.rosa}/packages", {"package": "no-such"}, csrf_from=acct)
        assert st == 422 and "must be one of the clinic" in page
        pkg = int(query(s.db, "SELECT id FROM package"))
        assert query(s.db, "SELECT total_cents FROM invoice WHERE kind = 'package'") == "50000"
        # Visits draw it down: $0.00 for the service, the package named on the line.
        for n in (1, 2):
            drawn = b.visit(b.rosa, "acupuncture", weeks=0)
            st, res = invoice(b, drawn)
            assert st == 201 and res["invoice"]["total_cents"] == 0 and res["invoice"]["package_id"] == pkg, res
            assert f"visit {n} of 5" in res["invoice"]["lines"][0]["description"], res
        # Its superbill gives an insurer the visit's part of the package's price ($500.00 over 5 visits), paid in
        # advance — not $0.00 — and the period's superbill adds the two visits up the same way.
        drawn_inv = res["invoice"]["id"]
        st, _, page = desk.get(f"/invoices/{drawn_inv}/superbill")
        assert st == 200 and "Paid in advance: $100.00" in page and "5 acupuncture visits" in page, page[-3000:]
        figures = re.search(r"Total charges</dt><dd>([^<]+)</dd>.*?paid by the patient</dt><dd>([^<]+)</dd>"
                            r".*?Balance</dt><dd>([^<]+)</dd>", page, re.S)
        assert figures and figures.groups() == ("$100.00", "$100.00", "$0.00"), figures and figures.groups()
        st, _, page = desk.get(f"/runners/{b.rosa}/superbill?from={clinic_day(-1, 0)}&to={clinic_day(1, 6)}")
        figures = re.search(r"Total charges</dt><dd>([^<]+)</dd>.*?paid by the patient</dt><dd>([^<]+)</dd>", page, re.S)
        assert st == 200 and figures and figures.groups() == ("$200.00", "$200.00"), figures and figures.groups()
        # A $0.00 invoice bills its visit as any other: not again, and not on the desk's list of visits to bill.
        st, res = invoice(b, drawn)
        assert st == 409, res
        st, _, page = desk.get("/billing/day")
        assert f'/runners/{b.rosa}/billing' not in page.split("Visits still to bill")[1].split("</table>")[0]
        st, res = invoice(b, b.visit(b.rosa, "follow-up", weeks=0))
        assert st == 201 and res["invoice"]["total_cents"] == b.price["follow-up"], "another service is charged"
        st, res = invoice(b, b.visit(b.rosa, "acupuncture", weeks=0), body={"package_id": -1})
        assert st == 201 and res["invoice"]["total_cents"] == b.price["acupuncture"], "no package when told so"
        st, _, page = desk.get(acct)
        assert "2 of 5 visits used" in page, page
        # Past its expiry: chosen, it is refused with the day it expired, and nothing is written; otherwise the
        # visit is charged in full.
        query(s.db, f"UPDATE package SET expires_at = sold_at - 86400 * 10 WHERE id = {pkg}")
        count = b.count("invoice")
        v = b.visit(b.rosa, "acupuncture", weeks=0)
        st, res = invoice(b, v, body={"package_id": pkg})
        assert st == 422 and res["field"] == "package" and "expired on" in res["error"], res
        assert b.count("invoice") == count and b.count("package_use") == 2
        st, res = invoice(b, v)
        assert st == 201 and res["invoice"]["total_cents"] == b.price["acupuncture"] and res["invoice"]["package_id"] is None
        query(s.db, f"UPDATE package SET expires_at = sold_at + 86400 * 400, visits = 2 WHERE id = {pkg}")
        st, res = invoice(b, b.visit(b.rosa, "acupuncture", weeks=0), body={"package_id": pkg})
        assert st == 422 and "used up" in res["error"], res
        # Fees: a no-show's, once; not for a visit that took place; a late cancellation's only within the hours.
        ns = b.visit(b.rosa, status="no_show")
        st, h, _ = desk.post(f"/visits/{ns}/fee", {"kind": "no_show_fee"}, csrf_from=acct)
        assert st == 303
        st, _, page = desk.post(f"/visits/{ns}/fee", {"kind": "no_show_fee"}, csrf_from=acct)
        assert st == 409 and "already on invoice" in page
        assert query(s.db, "SELECT total_cents FROM invoice WHERE kind = 'no_show_fee'") == "5000"
        st, _, page = desk.post(f"/visits/{b.visit(b.rosa)}/fee", {"kind": "no_show_fee"}, csrf_from=acct)
        assert st == 422 and "marked no-show" in page
        late = b.visit(b.rosa, status="cancelled", weeks=1)
        query(s.db, f"UPDATE appointment SET cancelled_at = starts_at - 7200 WHERE id = {late}")
        early = b.visit(b.rosa, status="cancelled", weeks=1)
        query(s.db, f"UPDATE appointment SET cancelled_at = starts_at - 86400 * 2 WHERE id = {early}")
        st, _, page = desk.post(f"/visits/{early}/fee", {"kind": "late_cancel_fee"}, csrf_from=acct)
        assert st == 422 and "within 24 hours" in page
        st, _, _ = desk.post(f"/visits/{late}/fee", {"kind": "late_cancel_fee"}, csrf_from=acct)
        assert st == 303
        assert query(s.db, "SELECT total_cents FROM invoice WHERE kind = 'late_cancel_fee'") == "3500"
        st, _, page = desk.post(f"/visits/{late}/fee", {"kind": "free_lunch"}, csrf_from=acct)
        assert st == 422
        numbers = int(query(s.db, "SELECT COUNT(*) FROM invoice"))
        assert query(s.db, "SELECT MAX(number) FROM invoice") == str(numbers)
    finally:
        b.s.close()


@own_server
def test_the_cancellation_policy_is_shown_when_booking():
    from booking import free_slots
    b = Books()
    try:
        rosa = Client(b.s).sign_in("rosa@example.org", PW["rosa"])
        start, pid = free_slots(rosa, "follow-up", "?date=" + clinic_day(3, 3))[0]
        st, _, body = rosa.get(f"/book/follow-up/confirm?start={start}&practitioner={pid}")
        assert st == 200 and 'class="policy"' in body and "a missed visit $50.00" in body, body[:3000]
    finally:
        b.s.close()


@own_server
def test_db_copy_keeps_the_books_and_their_numbers():
    """`runcare db copy` moves invoices, credit notes, payments with their refunds, packages and the number
    counters; invoices issued after the copy continue the numbers without a gap."""
    import shutil
    import tempfile
    from harness import fresh_db
    b = Books()
    d = tempfile.mkdtemp()
    s2 = None
    try:
        s = b.s
        st, res = invoice(b, b.visit(b.rosa))
        iid = res["invoice"]["id"]
        st, res = pay(b, iid, 5000, "copy-1")
        pid = res["payment"]["id"]
        st, res = api(s, "POST", f"/api/payments/{pid}/refunds", b.tok["desk"], {"amount_cents": 1000, "reason": "r"},
                      key="copy-2")
        assert st == 201, res
        st, res = api(s, "POST", f"/api/invoices/{iid}/credit-notes", b.tok["desk"], {"amount_cents": 500, "reason": "r"})
        assert st == 201, res
        v2 = b.visit(b.olive)
        s.stop()
        target = fresh_db(d)
        st, out, err = runcare("db", "copy", "--from", s.db, "--to", target)
        assert st == 0 and "copied and verified" in out, err
        for table in ("invoice", "invoice_line", "credit_note", "payment", "billing_counter"):
            assert query(target, f"SELECT COUNT(*) FROM {table}") == query(s.db, f"SELECT COUNT(*) FROM {table}"), table
        s2 = Server(db=target)
        b.s = s2
        st, res = invoice(b, v2)
        assert st == 201 and res["invoice"]["number"] == 2, res
        st, res = api(s2, "GET", f"/api/patients/{b.rosa}/balance", b.tok["desk"])
        assert st == 200 and res["balance_cents"] == 11000 - 500 - 5000 + 1000, res
    finally:
        if s2:
            s2.close()
        s.close()
        shutil.rmtree(d, ignore_errors=True)


@own_server
def test_invoices_issued_at_once_are_numbered_without_gaps_or_twins():
    import threading
    b = Books()
    try:
        visits = [b.visit(b.rosa if i % 2 else b.olive) for i in range(24)]
        got, errors = [], []

        def desk(chunk):
            for v in chunk:
                st, res = invoice(b, v)
                (got if st == 201 else errors).append(res["invoice"]["number"] if st == 201 else (st, res))

        threads = [threading.Thread(target=desk, args=(visits[i::4],)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert sorted(got) == list(range(1, 25)), sorted(got)
    finally:
        b.s.close()


@own_server
@own_server
def test_each_role_sees_and_does_its_part_of_billing():
    """Issue 19's roles: the front desk and administrators take money; a practitioner reads what was billed for
    their own visits — not another practitioner's, not the patient's payments or balance — and takes no money."""
    b = Books()
    try:
        s = b.s
        st, _, err = runcare("clinic", "practitioner", "edit", "--id", "1", "--account", "pat@clinic.test",
                             "--db", s.db)
        assert st == 0, err
        other = int(query(s.db, "SELECT MIN(id) FROM practitioner WHERE id <> 1"))
        mine, theirs = b.visit(b.rosa), b.visit(b.rosa, practitioner=other)
        st, res = invoice(b, mine)
        assert st == 201, res
        my_inv, my_no = res["invoice"]["id"], res["invoice"]["number"]
        st, res = invoice(b, theirs)
        assert st == 201, res
        their_inv, their_no = res["invoice"]["id"], res["invoice"]["number"]
        st, res = pay(b, my_inv, 2000, "k1")
        assert st == 201, res
        # The practitioner takes no money and issues nothing, by the API ...
        st, res = pay(b, my_inv, 1000, "k2", who="pat")
        assert st == 403 and "front desk" in res["error"], res
        st, res = invoice(b, b.visit(b.rosa), who="pat")
        assert st == 403, res
        st, res = api(s, "POST", f"/api/invoices/{my_inv}/credit-notes", b.tok["pat"],
                      {"amount_cents": 100, "reason": "goodwill"})
        assert st == 403, res
        # ... reads the invoices of their own visits, without the payments or the patient's balance ...
        st, res = api(s, "GET", f"/api/patients/{b.rosa}/invoices", b.tok["pat"])
        assert st == 200 and [i["number"] for i in res["invoices"]] == [my_no] and "balance_cents" not in res, res
        st, res = api(s, "GET", f"/api/patients/{b.rosa}/balance", b.tok["pat"])
        assert st == 403, res
        st, res = api(s, "GET", f"/api/invoices/{my_inv}", b.tok["pat"])
        assert st == 200 and not res["invoice"].get("payments"), res
        st, res = api(s, "GET", f"/api/invoices/{their_inv}", b.tok["pat"])
        assert st == 403, res
        # ... and the same on the pages.
        pat = Client(s).sign_in("pat@clinic.test", PW["pat"])
        acct = f"/runners/{b.rosa}/billing"
        st, _, page = pat.get(acct)
        assert st == 200 and f"Invoice {my_no}<" in page and f"Invoice {their_no}<" not in page, page[:3000]
        assert "Balance due" not in page and "Take payment" not in page and "Sell a package" not in page, page[:3000]
        assert "Visits to bill" not in page and "$20.00" not in page and ">Balance<" not in page, page[:3000]
        st, _, page = pat.get(f"/invoices/{their_inv}")
        assert st == 403
        st, _, page = pat.get(f"/invoices/{my_inv}")
        assert st == 200 and "Take a payment" not in page and "Card (terminal)" not in page, page[:3000]
        assert "Balance due" not in page and "<dt>Paid</dt>" not in page and "<dt>Total</dt>" in page, page[:3000]
        frm, to = clinic_day(-3, 0), clinic_day(0, 6)
        st, _, page = pat.get(f"/runners/{b.rosa}/superbill?from={frm}&to={to}")
        assert st == 200 and page.count("97810") == 1, page[:3000]
        for path in ("/billing/day", "/billing/day.csv"):
            st, _, _ = pat.get(path)
            assert st == 403, path
        st, _, _ = pat.post(f"/invoices/{my_inv}/payments", {"amount": "10", "method": "cash", "key": "x"},
                            csrf_from=acct)
        assert st == 403
        # The front desk sees both invoices, the payment and the balance; it takes money.
        desk = Client(s).sign_in("desk@clinic.test", PW["desk"])
        st, _, page = desk.get(acct)
        assert st == 200 and f"Invoice {my_no}<" in page and f"Invoice {their_no}<" in page and "Balance due" in page
        assert "Take payment on account" in page
        st, res = api(s, "GET", f"/api/patients/{b.rosa}/balance", b.tok["desk"])
        assert st == 200 and res["paid_cents"] == 2000, res
    finally:
        b.s.close()


@own_server
def test_the_administrator_sets_a_services_billing_codes():
    """Codes are clinic data an administrator edits (issue 19): a service's codes set on the Billing codes page
    bill its next visits; an issued invoice keeps its codes; a bad line is named with what was typed kept and
    nothing saved; empty text goes back to the clinic file's codes; only an administrator may."""
    b = Books()
    try:
        s = b.s
        add_user(s, "admin", "admin@clinic.test", PW["admin"], "Ada Admin")
        admin = Client(s).sign_in("admin@clinic.test", PW["admin"])
        page_path = "/admin/billing/codes"
        st, _, page = admin.get(page_path)
        assert st == 200 and "97810" in page and "content/billing.json" in page and "97813" in page, page[:3000]
        before = invoice(b, b.visit(b.rosa))[1]["invoice"]
        assert [l["cpt"] for l in before["lines"]] == ["97810", "97811"], before
        bad = {"9781 1 Acupuncture": "Line 1", "97813 1 Electro\n97814 0 Each additional": "Line 2",
               "97813 1": "Line 1", "\n".join(["97813 1 x"] * 7): "at most 6"}
        for text, why in bad.items():
            st, _, page = admin.post(page_path, {"service": "acupuncture", "codes": text}, csrf_from=page_path)
            assert st == 422 and why in page, (text, page[:3000])
            first_line = text.split("\n")[0]
            assert 'aria-invalid="true"' in page and first_line in page, (text, page[:3000])
        assert b.count("service_billing_code") == 0
        text = "97813 1 Acupuncture with electrical stimulation, first 15 minutes\r\n\n" \
               "  97814 2 Acupuncture with electrical stimulation, each additional 15 minutes  \n"
        st, h, _ = admin.post(page_path, {"service": "acupuncture", "codes": text}, csrf_from=page_path)
        assert st == 303 and h["location"].startswith(page_path), st
        st, _, page = admin.get(page_path)
        assert "Set on this page" in page and "each additional 15 minutes" in page, page[page.find("<h1>"):][:2500]
        after = invoice(b, b.visit(b.rosa))[1]["invoice"]
        assert [(l["cpt"], l["units"]) for l in after["lines"]] == [("97813", 1), ("97814", 2)], after
        assert after["lines"][0]["amount_cents"] == b.price["acupuncture"] and after["lines"][1]["amount_cents"] == 0
        st, res = api(s, "GET", f"/api/invoices/{before['id']}", b.tok["desk"])
        assert [l["cpt"] for l in res["invoice"]["lines"]] == ["97810", "97811"], "an issued invoice keeps its codes"
        assert "billing.codes" in query(s.db, "SELECT string_agg(action, ',') FROM audit_log"
                                        if not s.db.startswith("sqlite:") else
                                        "SELECT group_concat(action) FROM audit_log")
        st, _, _ = admin.post(page_path, {"service": "acupuncture", "codes": ""}, csrf_from=page_path)
        assert st == 303 and b.count("service_billing_code") == 0
        again = invoice(b, b.visit(b.rosa))[1]["invoice"]
        assert [l["cpt"] for l in again["lines"]] == ["97810", "97811"], again
        st, _, _ = admin.post(page_path, {"service": "no-such", "codes": "97110 1 x"}, csrf_from=page_path)
        assert st == 404
        desk = Client(s).sign_in("desk@clinic.test", PW["desk"])
        st, _, _ = desk.get(page_path)
        assert st == 403
    finally:
        b.s.close()


@own_server
def test_a_superbill_for_a_period():
    b = Books()
    try:
        s = b.s
        for service in ("acupuncture", "follow-up"):
            st, res = invoice(b, b.visit(b.rosa, service))
            assert st == 201, res
        st, res = invoice(b, b.visit(b.olive))
        rosa = Client(s).sign_in("rosa@example.org", PW["rosa"])
        acct = f"/runners/{b.rosa}/billing"
        st, _, page = rosa.get(acct)
        assert 'action="/runners/%d/superbill"' % b.rosa in page
        frm, to = clinic_day(-3, 0), clinic_day(0, 6)
        st, _, page = rosa.get(f"/runners/{b.rosa}/superbill?from={frm}&to={to}")
        assert st == 200 and page.count("97810") == 1 and page.count("97110") == 1 and "1234567893" in page, page[:3000]
        assert "$195.00" in page, "the period's charges"  # 110 + 85
        st, _, page = rosa.get(f"/runners/{b.rosa}/superbill?from={to}&to={frm}")
        assert st == 422 and "on or after" in page
        st, _, page = rosa.get(f"/runners/{b.rosa}/superbill?from=soon&to={to}")
        assert st == 422 and 'value="soon"' in page
        olive = Client(s).sign_in("olive@example.org", PW["olive"])
        st, _, _ = olive.get(f"/runners/{b.rosa}/superbill?from={frm}&to={to}")
        assert st == 404
    finally:
        b.s.close()
