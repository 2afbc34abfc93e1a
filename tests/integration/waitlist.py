"""waitlist.py — the waitlist moves on time with nobody looking (a timed job, in every process, with or
without mail), reading it never writes, and its form keeps what was typed."""
import datetime
import re
import threading
import time

from harness import Client, Server, add_user, clinic_day, own_server, psql, query
from booking import appointment_id, book, free_slots
from wave import offer_for, wait_until

# Everything the waitlist's pages could change if a read wrote.
TABLES = ["waitlist", "waitlist_offer", "mail_outbox", "appointment", "appointment_unit", "audit_log", "event",
          "schedule_exception"]


def snapshot(url):
    """Every row of TABLES, as text, in a stable order."""
    rows = {}
    if url.startswith("sqlite:"):
        import sqlite3
        con = sqlite3.connect(url[len("sqlite:"):])
        try:
            for t in TABLES:
                rows[t] = sorted(repr(r) for r in con.execute(f"SELECT * FROM {t}"))
        finally:
            con.close()
    else:
        for t in TABLES:
            rows[t] = psql(url, f"SELECT x::text FROM {t} x ORDER BY 1").splitlines()
    return rows


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def offer_waiting(s):
    """Two runners wait for a follow-up in week 2 (Una urgent, then Ben self-care); a third books a time
    in that window and cancels it, so it is offered to Una. Returns (clients by name, Una's offer id)."""
    add_user(s, "front_desk", "desk@example.org", "front desk pass 42")
    people = {}
    for name in ["una", "ben", "cat"]:
        add_user(s, "runner", f"{name}@example.org", f"{name} runner pass 1")
        people[name] = Client(s).sign_in(f"{name}@example.org", f"{name} runner pass 1")
    people["desk"] = Client(s).sign_in("desk@example.org", "front desk pass 42")
    for name, urgency in [("una", "urgent"), ("ben", "self_care")]:
        st, _, body = people["desk"].post("/waitlist", {"service": "follow-up", "from": clinic_day(2, 0),
                                                        "to": clinic_day(2, 0, 4), "condition": "shin_splints",
                                                        "urgency": urgency, "runner": f"{name}@example.org"})
        assert st == 200 and "on the waitlist" in body, body[:400]
    start, pid = free_slots(people["cat"], "follow-up", "?date=" + clinic_day(2, 0, 1))[2]
    aid = appointment_id(book(people["cat"], "follow-up", start, pid)[1])
    st, _, _ = people["cat"].post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200
    una = offer_for(s.db, "una@example.org")
    assert una, "the freed time is offered to the most urgent"
    assert not offer_for(s.db, "ben@example.org")
    return people, una


def offer_mails(url, email):
    return int(query(url, f"SELECT COUNT(*) FROM mail_outbox WHERE to_addr = '{email}' "
                          "AND subject = 'A time came free for you'"))


@own_server
def test_an_expired_offer_passes_on_with_nobody_looking():
    """Una's hold runs out while nobody opens a page: a process whose clock is past it (RUNCARE_CLOCK, on
    the same database) passes the time on to Ben and queues his mail, with no request but its health
    check, and no --smtp."""
    s = Server()
    later = None
    try:
        _, una = offer_waiting(s)
        expires = int(query(s.db, f"SELECT expires_at FROM waitlist_offer WHERE id = {una}"))
        s.stop()
        later = Server(db=s.db, demo=False, env={"RUNCARE_CLOCK": rfc3339(expires + 60)})
        ben = wait_until(lambda: offer_for(s.db, "ben@example.org"), what="passing Una's offer on to Ben")
        assert query(s.db, f"SELECT status FROM waitlist_offer WHERE id = {una}") == "expired"
        assert offer_mails(s.db, "ben@example.org") == 1
        held = int(query(s.db, f"SELECT expires_at FROM waitlist_offer WHERE id = {ben}"))
        assert expires + 60 + 7200 <= held <= expires + 60 + 7200 + 60, (held, expires)
        log = later.read_log()
        assert "/waitlist" not in log, "no waitlist page was asked for"
        assert "ran out; 1 passed on" in log, log[-2000:]
    finally:
        if later:
            later.stop()
            later.close()
        s.close()


@own_server
def test_two_processes_pass_an_expired_offer_on_once():
    """Two processes past the hold start together on one database: the offer passes on once — one new
    offer, one mail."""
    s = Server()
    servers, errors = [], []
    try:
        _, una = offer_waiting(s)
        expires = int(query(s.db, f"SELECT expires_at FROM waitlist_offer WHERE id = {una}"))
        s.stop()
        clock = rfc3339(expires + 60)

        def start():
            try:
                servers.append(Server(db=s.db, demo=False, env={"RUNCARE_CLOCK": clock}))
            except Exception as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=start) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        wait_until(lambda: offer_for(s.db, "ben@example.org"), what="passing Una's offer on")
        time.sleep(1.5)  # both have swept several times by now (every half second)
        assert query(s.db, "SELECT COUNT(*) FROM waitlist_offer WHERE status = 'open'") == "1"
        assert query(s.db, "SELECT COUNT(*) FROM waitlist_offer") == "2"
        assert offer_mails(s.db, "ben@example.org") == 1
        assert query(s.db, f"SELECT status FROM waitlist_offer WHERE id = {una}") == "expired"
    finally:
        for srv in servers:
            srv.stop()
            srv.close()
        s.close()


@own_server
def test_reading_the_waitlist_writes_nothing():
    """GET /waitlist (staff and runner) and GET /waitlist/offers/ID leave the database as it was, even
    with an offer whose hold has run out (they used to pass it on themselves)."""
    s = Server()
    try:
        people, una = offer_waiting(s)
        query(s.db, f"UPDATE waitlist_offer SET expires_at = 1 WHERE id = {una} RETURNING id")
        # The timed job passes it on within a moment; the pages must not, whether or not it has.
        try:
            wait_until(lambda: offer_for(s.db, "ben@example.org"), seconds=3)
        except AssertionError:
            pass
        before = snapshot(s.db)
        for who, path in [("desk", "/waitlist"), ("una", "/waitlist"), ("ben", "/waitlist"),
                          ("una", f"/waitlist/offers/{una}"), ("desk", f"/waitlist/offers/{una}")]:
            st, _, _ = people[who].get(path)
            assert st == 200, (who, path, st)
        after = snapshot(s.db)
        changed = [t for t in TABLES if before[t] != after[t]]
        assert not changed, f"a GET wrote to {changed}"
        # The expired offer reads as no longer open, and cannot be taken.
        st, _, body = people["una"].get(f"/waitlist/offers/{una}")
        assert "Book this time" not in body and "no longer open" in body
        st, _, body = people["una"].post(f"/waitlist/offers/{una}/accept", {}, csrf_from=f"/waitlist/offers/{una}")
        assert st == 409 and "no longer open" in body
    finally:
        s.stop()
        s.close()


@own_server
def test_an_offer_taken_declined_or_left_moves_on():
    """Declining passes the time straight on (with the mail); leaving the waitlist with an offer open
    does the same; taking an offer books the visit about what the runner waited for."""
    s = Server()
    try:
        people, una = offer_waiting(s)
        st, _, body = people["una"].post(f"/waitlist/offers/{una}/decline", {}, csrf_from=f"/waitlist/offers/{una}")
        assert st == 200 and "Declined" in body
        ben = offer_for(s.db, "ben@example.org")
        assert ben and offer_mails(s.db, "ben@example.org") == 1
        st, _, body = people["una"].post(f"/waitlist/offers/{una}/decline", {}, csrf_from=f"/waitlist/offers/{una}")
        assert st == 409
        # Ben leaves the waitlist: his offer is closed, and nobody else waits for it.
        entry = query(s.db, "SELECT w.id FROM waitlist w JOIN account a ON a.id = w.runner_id "
                            "WHERE a.email = 'ben@example.org'")
        st, _, body = people["ben"].post(f"/waitlist/{entry}/cancel", {}, csrf_from="/waitlist")
        assert st == 200 and "left the waitlist" in body
        assert query(s.db, f"SELECT status FROM waitlist_offer WHERE id = {ben}") == "declined"
        assert query(s.db, "SELECT COUNT(*) FROM waitlist_offer WHERE status = 'open'") == "0"
        # Una joins again and the next freed time is hers to take: the visit is about her shin.
        st, _, body = people["desk"].post("/waitlist", {"service": "follow-up", "from": clinic_day(2, 0),
                                                        "to": clinic_day(2, 0, 4), "condition": "shin_splints",
                                                        "urgency": "urgent", "runner": "una@example.org"})
        assert st == 200
        start, pid = free_slots(people["cat"], "follow-up", "?date=" + clinic_day(2, 0, 2))[0]
        aid = appointment_id(book(people["cat"], "follow-up", start, pid)[1])
        people["cat"].post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
        again = offer_for(s.db, "una@example.org")
        assert again and again != una
        st, h, _ = people["una"].post(f"/waitlist/offers/{again}/accept", {}, csrf_from=f"/waitlist/offers/{again}")
        assert st == 303, st
        visit = appointment_id(h)
        assert query(s.db, f"SELECT condition FROM appointment WHERE id = {visit}") == "shin_splints"
        assert query(s.db, f"SELECT COUNT(*) FROM audit_log WHERE action = 'waitlist.accept'") == "1"
    finally:
        s.stop()
        s.close()


def test_joining_keeps_what_was_typed_and_says_which_field(s):
    add_user(s, "runner", "typed@example.org", "typed runner pass 1")
    c = Client(s).sign_in("typed@example.org", "typed runner pass 1")
    st, _, body = c.post("/waitlist", {"service": "acupuncture", "from": clinic_day(3, 0), "to": clinic_day(3, 0, 90),
                                       "condition": "neck_pain"})
    assert st == 422, st
    assert re.search(r'<span class="field-error" id="e-to">[^<]*at most 60 days', body), body[-3000:]
    assert f'name="from" type="date" value="{clinic_day(3, 0)}"' in body
    assert f'name="to" type="date" value="{clinic_day(3, 0, 90)}"' in body
    assert '<option value="acupuncture" selected>' in body and '<option value="neck_pain" selected>' in body
    st, _, body = c.post("/waitlist", {"service": "no-such", "from": clinic_day(3, 0), "to": clinic_day(3, 0, 2)})
    assert st == 422 and 'id="e-service"' in body
    assert query(s.db, "SELECT COUNT(*) FROM waitlist w JOIN account a ON a.id = w.runner_id "
                       "WHERE a.email = 'typed@example.org'") == "0"
