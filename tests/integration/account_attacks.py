"""account_attacks.py — the accounts review's findings, each made as an attack that failed on the code
that had the hole: floods of sign-ups and reset mails, lists with no pages, a sign-in throttle that
locked out the innocent, reset links that outlived a reset, secrets in the outbox and the export, the
front desk reading clinical notes, password checks without a limit, and API tokens without expiry or
scope. Fast variants: the slow ones are in tests/attack/ (make attack).

Different client addresses come from binding the client's socket to another loopback address
(127.0.0.2, ...): the server sees each as its own remote address."""
import http.client
import json
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Server, add_user, clock_now, own_server, query, runcare  # noqa: E402

PW = "a long enough password"


class From(Client):
    """A Client whose connections come from a given loopback address."""

    def __init__(self, server, address):
        super().__init__(server)
        self.address = address

    def request(self, method, path, form=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = self._cookie_header()
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        c = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30, source_address=(self.address, 0))
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read().decode("utf-8", "replace")
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    if "Max-Age=0" in v:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = rest.split(";", 1)[0]
            self.last = data
            self.headers_last = {k.lower(): v for k, v in r.getheaders()}
            return r.status, self.headers_last, data
        finally:
            c.close()


def sign_in(s, address, email, password):
    return From(s, address).post("/signin", {"email": email, "password": password, "next": "/account"},
                                 csrf_from="/signin")


def count(db, sql):
    return int(query(db, sql))


def fresh():
    return Server(demo=False)


# --- 4: floods of sign-ups and reset mails; lists that grow ------------------------------------------

@own_server
def test_signups_from_one_address_are_limited_per_hour():
    s = fresh()
    try:
        flood = From(s, "127.0.0.2")
        for i in range(10):
            st, _, body = flood.post("/signup", {"name": f"Flood {i}", "email": f"flood{i}@example.org"})
            assert st == 200 and "Check your inbox" in body, (i, st)
        st, h, body = flood.post("/signup", {"name": "Flood 10", "email": "flood10@example.org"})
        assert st == 429, st
        assert 1 <= int(h["retry-after"]) <= 3600, h
        assert "Too many accounts" in body and "Try again in" in body, body[-2000:]
        assert 'value="flood10@example.org"' in body and 'value="Flood 10"' in body, "what was typed is kept"
        assert count(s.db, "SELECT COUNT(*) FROM account WHERE email LIKE 'flood%'") == 10
        # Someone else, from another address, is not held up.
        st, _, body = From(s, "127.0.0.3").post("/signup", {"name": "Other", "email": "other@example.org"})
        assert st == 200, st
    finally:
        s.close()


@own_server
def test_reset_mails_to_one_address_are_limited_whoever_asks():
    s = fresh()
    try:
        add_user(s, "runner", "victim@example.org", PW)
        for i in range(3):
            st, _, _ = From(s, f"127.0.1.{i + 1}").post("/password/forgot", {"email": "victim@example.org"})
            assert st == 200, (i, st)
        st, h, body = From(s, "127.0.1.9").post("/password/forgot", {"email": "victim@example.org"})
        assert st == 429 and int(h["retry-after"]) >= 1, st
        assert "this email address" in body and 'value="victim@example.org"' in body
        assert count(s.db, "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = 'victim@example.org'") == 3
        # The same answer for an address without an account: the limit tells nothing.
        for i in range(3):
            assert From(s, "127.0.2.1").post("/password/forgot", {"email": "ghost@example.org"})[0] == 200
        assert From(s, "127.0.2.1").post("/password/forgot", {"email": "ghost@example.org"})[0] == 429
        # Sign-up's "you already have an account" mail counts against the same address.
        assert From(s, "127.0.2.2").post("/signup", {"name": "V", "email": "victim@example.org"})[0] == 429
    finally:
        s.close()


@own_server
def test_reset_requests_from_one_address_are_limited():
    s = fresh()
    try:
        c = From(s, "127.0.0.4")
        for i in range(10):
            assert c.post("/password/forgot", {"email": f"spray{i}@example.org"})[0] == 200, i
        st, h, body = c.post("/password/forgot", {"email": "spray10@example.org"})
        assert st == 429 and int(h["retry-after"]) >= 1 and "your network" in body
        assert From(s, "127.0.0.5").post("/password/forgot", {"email": "spray10@example.org"})[0] == 200
    finally:
        s.close()


def many_runners(db, n, prefix="bulk"):
    now = clock_now()
    values = ", ".join(f"('{prefix}{i:05d}@example.org', 'Bulk Runner {i:05d}', 'runner', NULL, {now}, {now})"
                       for i in range(n))
    query(db, "INSERT INTO account (email, name, role, password_hash, created_at, password_changed_at) VALUES "
              + values + " RETURNING 1")


@own_server
def test_patients_users_and_audit_are_read_a_page_at_a_time():
    from accounts import world
    w = world()
    many_runners(w.s.db, 120)
    staff = w.client("front_desk")
    st, _, body = staff.get("/patients")
    assert st == 200, st
    assert body.count('<tr><td><a href="/runners/') == 50, "one page is 50 rows"
    m = re.search(r"Page 1 of (\d+) \((\d+) entries\)", body)
    assert m and int(m.group(1)) == 3 and int(m.group(2)) >= 122, m
    assert 'rel="next" href="/patients?page=2"' in body and 'rel="prev"' not in body
    st, _, last = staff.get("/patients?page=3")
    assert st == 200 and 'rel="prev" href="/patients?page=2"' in last and 'rel="next"' not in last
    assert staff.get("/patients?page=4")[0] == 404
    for bad in ["0", "-1", "two", "1e3", "99999999999"]:
        st, _, body = staff.get("/patients?page=" + bad)
        assert st == 400 and "whole number" in body, (bad, st)
    st, _, body = staff.get("/patients?q=bulk00042")
    assert st == 200 and "Bulk Runner 00042" in body and "Page 1 of 1 (1 entry)" in body
    st, _, body = staff.get("/patients?q=" + urllib.parse.quote("100%_"))
    assert st == 200 and "No runner matches" in body, "% and _ are text, not patterns"
    st, _, body = staff.get("/patients?q=" + "x" * 101)
    assert st == 422
    # The search is kept in the page links.
    st, _, body = staff.get("/patients?q=bulk")
    assert 'href="/patients?page=2&amp;q=bulk"' in body
    adm = w.client("admin")
    st, _, body = adm.get("/admin/users?page=2")
    assert st == 200 and "Page 2 of" in body and body.count("<tr><td>") == 50
    for i in range(230):
        query(w.s.db, "INSERT INTO audit_log (at, actor_id, actor_role, action, runner_id, detail, address) VALUES "
                      f"({clock_now()}, NULL, 'anonymous', 'test.fill', NULL, 'row {i}', '-') RETURNING 1")
    st, _, body = adm.get("/admin/audit")
    assert st == 200 and body.count("test.fill") == 100 and re.search(r"Page 1 of \d+", body)
    st, _, body = adm.get(f"/admin/audit?runner={w.email['b']}&page=1")
    assert st == 200 and "test.fill" not in body
    st, out, err = runcare("audit", "--db", w.s.db)
    assert st == 0 and out.count("test.fill") == 100 and re.search(r"^page 1 of \d+ \(\d+ entries\)", out, re.M), out[-300:]
    st, out, _ = runcare("audit", "--page", "3", "--db", w.s.db)
    assert st == 0 and "page 3 of" in out
    st, _, err = runcare("audit", "--page", "999", "--db", w.s.db)
    assert st == 2 and "no page 999" in err
    st, _, err = runcare("audit", "--page", "zero", "--db", w.s.db)
    assert st == 2 and "--page" in err
    st, out, _ = runcare("audit", "--page", "all", "--db", w.s.db)
    assert st == 0 and out.count("test.fill") == 230
    # A runner's record lists the latest appointments and says how many are not listed.
    rid = add_user(w.s, "runner", "regular@example.org", PW, "Rita Regular")
    values = ", ".join(f"({rid}, 1, 2, {1700000000 + i * 86400}, {1700001800 + i * 86400}, 'arrived', 'r', 1699990000)"
                       for i in range(105))
    query(w.s.db, "INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, ends_at, status, reason, "
                  "created_at) VALUES " + values + " RETURNING 1")
    st, _, body = staff.get(f"/runners/{rid}")
    assert st == 200 and "The latest 100 of 105 appointments; 5 earlier ones are not listed here." in body, body[-3000:]
    assert body.count('<tr><td><a href="/appointments/') == 100


# --- 5: the sign-in throttle, per (account, address) ------------------------------------------------

@own_server
def test_failures_from_one_address_never_lock_the_account_elsewhere():
    s = fresh()
    try:
        add_user(s, "runner", "target@example.org", PW)
        attacker = From(s, "127.0.0.2")
        statuses = [attacker.post("/signin", {"email": "target@example.org", "password": "guess guess guess"},
                                  csrf_from="/signin")[0] for _ in range(5)]
        assert statuses == [401] * 5, statuses
        # Five more, as if the attacker had waited out each pause: the next wait is half a minute.
        query(s.db, "INSERT INTO signin_failure (email, address, at) SELECT email, address, at FROM signin_failure "
                    "WHERE email = 'target@example.org' RETURNING 1")
        st, h, _ = attacker.post("/signin", {"email": "target@example.org", "password": "guess again"},
                                 csrf_from="/signin")
        assert st == 429 and int(h["retry-after"]) > 10, (st, h.get("retry-after"))
        # The attacker's address waits; the owner, from another address, signs in at once.
        st, h, _ = sign_in(s, "127.0.0.3", "target@example.org", PW)
        assert st == 303 and h["location"] == "/account", st
        # And the owner's success does not reset the attacker's wait.
        st, _, _ = attacker.post("/signin", {"email": "target@example.org", "password": PW}, csrf_from="/signin")
        assert st == 429
    finally:
        s.close()


@own_server
def test_people_behind_one_address_are_not_locked_out_by_another():
    s = fresh()
    try:
        add_user(s, "runner", "innocent@example.org", PW)
        proxy = "127.0.0.7"  # everyone behind the clinic's proxy, or a shared network
        c = From(s, proxy)
        for k in range(5):
            for _ in range(5):
                st, _, _ = c.post("/signin", {"email": f"other{k}@example.org", "password": "wrong wrong wrong"},
                                  csrf_from="/signin")
                assert st == 401, st
        st, _, _ = sign_in(s, proxy, "innocent@example.org", PW)
        assert st == 303, f"25 failures on other accounts from a shared address lock out an innocent user: {st}"
    finally:
        s.close()


@own_server
def test_spraying_from_one_address_is_slowed_down():
    s = fresh()
    try:
        add_user(s, "runner", "sprayed@example.org", PW)
        c = From(s, "127.0.0.8")
        for k in range(50):
            st, _, _ = c.post("/signin", {"email": f"spray{k}@example.org", "password": "Summer2026!!"},
                              csrf_from="/signin")
            assert st == 401, (k, st)
        # Five more, as if each wait had been sat out: the next wait outlasts a slow build's next request.
        query(s.db, "INSERT INTO signin_failure (email, address, at) SELECT email, address, at FROM signin_failure "
                    "WHERE address = '127.0.0.8' AND email LIKE 'spray4_@example.org' AND email > 'spray44' RETURNING 1")
        st, h, body = c.post("/signin", {"email": "spray99@example.org", "password": "Summer2026!!"},
                             csrf_from="/signin")
        assert st == 429 and int(h["retry-after"]) >= 1 and "Wait" in body
        assert sign_in(s, "127.0.0.9", "sprayed@example.org", PW)[0] == 303
    finally:
        s.close()


# --- 6: reset links and the secrets they leave ------------------------------------------------------

def link_of(db, to):
    body = query(db, f"SELECT body FROM mail_outbox WHERE to_addr = '{to}' ORDER BY id DESC LIMIT 1")
    m = re.search(r"(/password/set/[A-Za-z0-9_-]{43})", body or "")
    assert m, body
    return m.group(1)


@own_server
def test_a_new_link_revokes_the_older_one():
    s = fresh()
    try:
        add_user(s, "runner", "links@example.org", PW)
        c = Client(s)
        c.post("/password/forgot", {"email": "links@example.org"})
        first = link_of(s.db, "links@example.org")
        c.post("/password/forgot", {"email": "links@example.org"})
        second = link_of(s.db, "links@example.org")
        assert first != second
        st, _, _ = Client(s).get(first)
        assert st == 404, "the older link died when the newer one was made"
        st, _, _ = Client(s).post(first, {"password": "a brand new password", "confirm": "a brand new password"},
                                  csrf_from="/signin")
        assert st == 404
        st, h, _ = Client(s).post(second, {"password": "a brand new password", "confirm": "a brand new password"})
        assert st == 303
        assert count(s.db, "SELECT COUNT(*) FROM one_time_link l JOIN account a ON a.id = l.account_id WHERE "
                           "a.email = 'links@example.org' AND l.used_at IS NULL AND l.revoked_at IS NULL") == 0
    finally:
        s.close()


@own_server
def test_a_password_change_kills_every_live_link():
    s = fresh()
    try:
        add_user(s, "runner", "change@example.org", PW)
        Client(s).post("/password/forgot", {"email": "change@example.org"})
        link = link_of(s.db, "change@example.org")
        me = Client(s).sign_in("change@example.org", PW)
        st, _, body = me.post("/account/password", {"current": PW, "password": "my next good password",
                                                    "confirm": "my next good password"}, csrf_from="/account")
        assert st == 200, st
        st, _, _ = Client(s).post(link, {"password": "the attacker's choice", "confirm": "the attacker's choice"},
                                  csrf_from="/signin")
        assert st == 404, "a reset link mailed before the change would undo it"
        assert Client(s).sign_in("change@example.org", "my next good password")
    finally:
        s.close()


@own_server
def test_outbox_bodies_with_links_are_purged_once_sent_or_expired():
    from mail import Relay
    relay = Relay().start()
    s = Server("--smtp", f"smtp://127.0.0.1:{relay.port}", demo=False)
    try:
        add_user(s, "runner", "sent@example.org", PW)
        Client(s).post("/password/forgot", {"email": "sent@example.org"})
        msgs = relay.wait_for(1)
        assert "/password/set/" in str(msgs[0]), "the mail itself carries the link"
        deadline = time.time() + 10
        while time.time() < deadline and query(s.db, "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL") != "0":
            time.sleep(0.1)
        body = query(s.db, "SELECT body FROM mail_outbox WHERE to_addr = 'sent@example.org'")
        assert "/password/set/" not in body and "single-use link" in body, body
    finally:
        s.close()
        relay.close()
    s = fresh()  # no SMTP: the mail waits, and its link expires
    try:
        add_user(s, "runner", "waits@example.org", PW)
        add_user(s, "runner", "later@example.org", PW)
        Client(s).post("/password/forgot", {"email": "waits@example.org"})
        assert "/password/set/" in query(s.db, "SELECT body FROM mail_outbox WHERE to_addr = 'waits@example.org'")
        query(s.db, "UPDATE mail_outbox SET created_at = created_at - 7200 WHERE to_addr = 'waits@example.org' "
                    "RETURNING 1")
        Client(s).post("/password/forgot", {"email": "later@example.org"})
        body = query(s.db, "SELECT body FROM mail_outbox WHERE to_addr = 'waits@example.org'")
        assert "/password/set/" not in body, "an expired link's mail keeps no secret"
    finally:
        s.close()


@own_server
def test_export_holds_no_link_session_or_throttle_record():
    s = fresh()
    try:
        add_user(s, "runner", "exporter@example.org", PW)
        From(s, "127.0.3.1").post("/signin", {"email": "exporter@example.org", "password": "wrong one here"},
                                  csrf_from="/signin")
        Client(s).post("/password/forgot", {"email": "exporter@example.org"})
        link = link_of(s.db, "exporter@example.org")
        me = Client(s).sign_in("exporter@example.org", PW)
        st, _, body = me.get("/account/export")
        assert st == 200
        doc = json.loads(body)
        assert link not in body and link.rsplit("/", 1)[1] not in body, "a live reset link in the download"
        for t in ["one_time_link", "session", "signin_failure", "rate_event"]:
            assert t not in doc and t in doc["tables_left_out"], t
        assert "127.0.3.1" not in json.dumps(doc.get("signin_failure", []))
        mails = doc["mail_outbox"]
        assert mails and all("/password/set/" not in (m["body"] or "") for m in mails), mails
        assert "token_hash" not in body and "password_hash" not in body
    finally:
        s.close()


# --- 12: forgot-password does the same work; password checks in a session are limited ----------------

@own_server
def test_forgot_password_does_the_same_work_for_any_address():
    s = fresh()
    try:
        add_user(s, "runner", "exists@example.org", PW)
        before = count(s.db, "SELECT COUNT(*) FROM rate_event")
        Client(s).post("/password/forgot", {"email": "exists@example.org"})
        one = count(s.db, "SELECT COUNT(*) FROM rate_event") - before
        Client(s).post("/password/forgot", {"email": "nobody@example.org"})
        two = count(s.db, "SELECT COUNT(*) FROM rate_event") - before - one
        assert one == two == 2, (one, two)
    finally:
        s.close()


@own_server
def test_password_checks_inside_a_session_are_limited_per_account():
    s = fresh()
    try:
        add_user(s, "runner", "checks@example.org", PW)
        me = Client(s).sign_in("checks@example.org", PW)
        for i in range(10):
            st, _, _ = me.post("/account/password", {"current": f"wrong {i} password", "password": "x" * 12,
                                                     "confirm": "x" * 12}, csrf_from="/account")
            assert st in (400, 422), (i, st)
        st, h, body = me.post("/account/password", {"current": PW, "password": "another good one",
                                                    "confirm": "another good one"}, csrf_from="/account")
        assert st == 429 and int(h["retry-after"]) >= 1 and "Too many password attempts" in body, st
        st, h, body = me.post("/account/delete", {"password": PW}, csrf_from="/account")
        assert st == 429, "deleting checks the password too, and shares the limit"
        assert count(s.db, "SELECT COUNT(*) FROM account WHERE email = 'checks@example.org'") == 1
        # Another account is not affected.
        add_user(s, "runner", "free@example.org", PW)
        other = Client(s).sign_in("free@example.org", PW)
        st, _, _ = other.post("/account/password", {"current": "wrong", "password": "y" * 12, "confirm": "y" * 12},
                              csrf_from="/account")
        assert st == 422
    finally:
        s.close()


# --- 14: API tokens expire and have a scope -----------------------------------------------------------

@own_server
def test_api_tokens_have_a_scope_and_an_expiry():
    s = fresh()
    try:
        add_user(s, "runner", "api@example.org", PW)
        st, out, err = runcare("token", "create", "--user", "api@example.org", "--scope", "read", "--label", "report",
                               "--db", s.db)
        assert st == 0 and "read" in out and "expires" in out, err
        read = out.strip().splitlines()[-1]
        auth = {"Authorization": "Bearer " + read}
        st, _, body = s.get("/api/me", headers=auth)
        assert st == 200 and json.loads(body)["email"] == "api@example.org"
        st, _, body = s.request("POST", "/api/appointments", body="{}",
                                headers={**auth, "Content-Type": "application/json"})
        assert st == 403 and "only read" in body, (st, body)
        st, _, body = s.request("DELETE", "/api/appointments/1", headers=auth)
        assert st == 403, st
        # A write token may write (the request itself is then judged on its content).
        st, out, _ = runcare("token", "create", "--user", "api@example.org", "--scope", "write", "--days", "1",
                             "--db", s.db)
        write = out.strip().splitlines()[-1]
        st, _, _ = s.request("POST", "/api/appointments", body="{}",
                             headers={"Authorization": "Bearer " + write, "Content-Type": "application/json"})
        assert st not in (401, 403), st
        # Expired: refused like a revoked one.
        days = (int(query(s.db, "SELECT expires_at - created_at FROM api_token ORDER BY id DESC LIMIT 1")))
        assert days == 86400, days
        # Without --scope and --days: read (least privilege) for 90 days.
        st, out, _ = runcare("token", "create", "--user", "api@example.org", "--db", s.db)
        assert int(query(s.db, "SELECT expires_at - created_at FROM api_token ORDER BY id DESC LIMIT 1")) == 90 * 86400
        assert query(s.db, "SELECT scope FROM api_token ORDER BY id DESC LIMIT 1") == "read"
        default = out.strip().splitlines()[-1]
        st, _, _ = s.request("POST", "/api/appointments", body="{}",
                             headers={"Authorization": "Bearer " + default, "Content-Type": "application/json"})
        assert st == 403, st
        query(s.db, "UPDATE api_token SET expires_at = created_at WHERE scope = 'read' RETURNING 1")
        assert s.get("/api/me", headers=auth)[0] == 401
        st, out, _ = runcare("token", "list", "--db", s.db)
        assert st == 0 and re.search(r"api@example.org\s+read\s+expired", out) and "live" in out, out
        for bad in [["--scope", "admin"], ["--days", "0"], ["--days", "400"], ["--days", "x"]]:
            st, _, err = runcare("token", "create", "--user", "api@example.org", *bad, "--db", s.db)
            assert st == 2 and bad[0] in err, (bad, err)
    finally:
        s.close()


@own_server
def test_every_declared_statement_fits_one_connections_cache():
    # A long-lived connection may prepare every statement store/ declares; past RC_DB_MAX_STMTS the
    # server panics. The accounts work added 25 and a world server died mid-request: a guard.
    from harness import ROOT
    src = os.path.join(ROOT, "src", "store")
    declared = sum(open(os.path.join(src, f)).read().count("static const rc_sql ") for f in os.listdir(src)
                   if f.endswith(".c"))
    cap = int(re.search(r"RC_DB_MAX_STMTS = (\d+)", open(os.path.join(src, "driver.h")).read()).group(1))
    assert declared < cap, (declared, cap)
