"""booking.py — the booking flow, idempotency, races for one slot, cancel and move, the front desk."""
import json
import os
import re
import threading
import time

from harness import ROOT, Client, add_user, clinic_day, clinic_time, own_server, query, runcare
from accounts import PW, world

SLOT = re.compile(r'href="/book/([a-z-]+)/confirm\?start=(\d+)&amp;practitioner=(\d+)')


def free_slots(c, service, extra=""):
    st, _, body = c.get(f"/book/{service}{extra}")
    assert st == 200, body[:300]
    return [(int(s), int(p)) for _, s, p in SLOT.findall(body)]


def slots_within_a_day(c, db, service="follow-up"):
    """Free slots that start in 1 to 20 hours. Whatever the day and hour of the run (a Sunday night has
    none), the practitioner's hours are opened for today and tomorrow, clinic time, so that some exist:
    weekly hours, so only on a server of the test's own."""
    import datetime
    import zoneinfo
    now = int(time.time())
    soon = [s for s in free_slots(c, service) if now + 3600 < s[0] < now + 20 * 3600]
    if soon:
        return soon
    pid = free_slots(c, service)[0][1]
    tz = zoneinfo.ZoneInfo(json.load(open(os.path.join(ROOT, "content/clinic.json")))["timezone"])
    local = datetime.datetime.fromtimestamp(now, tz)
    days = [(local + datetime.timedelta(days=d)) for d in (0, 1)]
    for day in days:
        st, out, err = runcare("clinic", "hours", "add", "--practitioner", str(pid), "--day",
                               day.strftime("%a").lower(), "--from", "00:00", "--to", "23:45", "--db", db)
        assert st == 0, err
    found = []
    for day in days:
        found += free_slots(c, service, "?date=" + day.strftime("%Y-%m-%d"))
    return [s for s in found if now + 3600 < s[0] < now + 20 * 3600]


def book(c, service, start, pid, key=None, runner=None, reason="left sit bone, 3 weeks"):
    st, _, body = c.get(f"/book/{service}/confirm?start={start}&practitioner={pid}")
    assert st == 200, body[:300]
    form = {"service": service, "practitioner": str(pid), "start": str(start), "reason": reason,
            "key": key or re.search(r'name="key" value="([^"]+)"', body).group(1),
            "csrf": re.search(r'name="csrf" value="([0-9a-f]{64})"', body).group(1)}
    if runner:
        form["runner"] = runner
    return c.request("POST", "/book", form=form)


def appointment_id(h):
    m = re.match(r"/appointments/(\d+)$", h.get("location", ""))
    assert m, h
    return int(m.group(1))


@own_server
def test_runner_books_a_visit_and_gets_a_confirmation():
    w = world()
    c = w.client("a")
    st, _, body = c.get("/book")
    assert st == 200 and body.count('<li class="card">') == 4 and "Initial assessment" in body
    slots = free_slots(c, "initial-assessment")
    assert len(slots) > 10
    start, pid = slots[3]
    st, h, _ = book(c, "initial-assessment", start, pid)
    assert st == 303, st
    aid = appointment_id(h)
    st, _, body = c.get(f"/appointments/{aid}")
    assert st == 200 and "Your visit is booked" in body and "Initial assessment" in body
    assert "left sit bone" in body
    mail = query(w.s.db, f"SELECT body FROM mail_outbox WHERE to_addr = '{w.email['a']}' AND subject = 'Your visit is booked'")
    assert mail and "Initial assessment" in mail
    st, _, body = c.get("/appointments")
    assert f"/appointments/{aid}" in body
    assert (start, pid) not in free_slots(c, "initial-assessment"), "a booked time is no longer offered"
    # Booking runs on the 15-minute grid in the clinic's zone: the slot starts on a quarter hour.
    assert start % 900 == 0


@own_server
def test_submitting_twice_books_once():
    w = world()
    c = w.client("a")
    start, pid = free_slots(c, "follow-up")[5]
    st1, h1, _ = book(c, "follow-up", start, pid, key="same-key-twice")
    st2, h2, _ = book(c, "follow-up", start, pid, key="same-key-twice")
    assert st1 == 303 and st2 == 303 and appointment_id(h1) == appointment_id(h2)
    n = query(w.s.db, f"SELECT COUNT(*) FROM appointment WHERE idempotency_key = 'same-key-twice'")
    assert n == "1"


@own_server
def test_many_runners_race_for_one_slot_and_exactly_one_wins():
    w = world()
    racers = []
    for i in range(8):
        email = f"racer{i}@example.org"
        add_user(w.s, "runner", email, f"racer number {i} pass")
        racers.append(Client(w.s).sign_in(email, f"racer number {i} pass"))
    start, pid = free_slots(racers[0], "acupuncture")[7]
    forms = []
    for c in racers:
        st, _, body = c.get(f"/book/acupuncture/confirm?start={start}&practitioner={pid}")
        forms.append({"service": "acupuncture", "practitioner": str(pid), "start": str(start),
                      "key": re.search(r'name="key" value="([^"]+)"', body).group(1),
                      "csrf": re.search(r'name="csrf" value="([0-9a-f]{64})"', body).group(1)})
    results = [None] * len(racers)
    barrier = threading.Barrier(len(racers))

    def go(i):
        barrier.wait()
        results[i] = racers[i].request("POST", "/book", form=forms[i])

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(racers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r[0] for r in results)
    assert statuses.count(303) == 1 and statuses.count(409) == len(racers) - 1, statuses
    lost = [r[2] for r in results if r[0] == 409][0]
    assert "already booked" in lost and "The nearest free times" in lost and "/confirm?start=" in lost
    n = query(w.s.db, f"SELECT COUNT(*) FROM appointment WHERE practitioner_id = {pid} AND starts_at = {start} "
                      "AND status = 'booked'")
    assert n == "1"


@own_server
def test_cancel_and_move_within_the_policy():
    w = world()
    c = w.client("a")
    slots = free_slots(c, "follow-up", "?date=" + clinic_day(2, 1))
    start, pid = slots[0]
    aid = appointment_id(book(c, "follow-up", start, pid)[1])
    new_start, new_pid = [s for s in free_slots(c, "follow-up", "?date=" + clinic_day(2, 2)) if s[1] == pid][2]
    st, _, body = c.get(f"/book/follow-up/confirm?start={new_start}&practitioner={new_pid}&move={aid}")
    assert st == 200 and f"/appointments/{aid}/move" in body
    st, _, body = c.post(f"/appointments/{aid}/move", {"start": str(new_start), "practitioner": str(new_pid)},
                         csrf_from=f"/appointments/{aid}")
    assert st == 200 and "Moved" in body
    assert query(w.s.db, f"SELECT starts_at FROM appointment WHERE id = {aid}") == str(new_start)
    assert (start, pid) in free_slots(c, "follow-up", "?date=" + clinic_day(2, 1)), "the old time is free again"
    st, _, body = c.post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200 and "Cancelled" in body
    assert query(w.s.db, f"SELECT COUNT(*) FROM appointment_unit WHERE appointment_id = {aid}") == "0"
    st, _, body = c.post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
    assert st == 409


@own_server
def test_late_cancellation_is_for_the_front_desk():
    # Its own server: slots_within_a_day may open hours, which must not change the shared clinic.
    from harness import Server
    s = Server()
    try:
        add_user(s, "runner", "lena@example.org", "lena runs late 12")
        add_user(s, "front_desk", "desk2@example.org", "front desk pass 77")
        c = Client(s).sign_in("lena@example.org", "lena runs late 12")
        soon = slots_within_a_day(c, s.db)
        assert soon, "a slot within 24 hours"
        aid = appointment_id(book(c, "follow-up", *soon[0])[1])
        st, _, body = c.post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
        assert st == 409 and "call the clinic" in body
        desk = Client(s).sign_in("desk2@example.org", "front desk pass 77")
        st, _, body = desk.post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
        assert st == 200 and "Cancelled" in body
    finally:
        s.stop()
        s.close()


@own_server
def test_bad_booking_input_is_refused_clearly():
    w = world()
    c = w.client("a")
    start, pid = free_slots(c, "initial-assessment")[0]
    csrf = c.csrf("/book")

    def post(**f):
        form = {"service": "initial-assessment", "practitioner": str(pid), "start": str(start), "csrf": csrf}
        form.update(f)
        return c.request("POST", "/book", form=form)

    st, _, body = post(start=str(start - 14 * 86400))
    assert st == 422 and "passed" in body
    st, _, body = post(start=str(start + 7 * 60))
    assert st == 422 and "quarter hour" in body
    sunday = clinic_time(clinic_day(2, 6), "09:30")  # the clinic is closed on Sundays
    st, _, body = post(start=str(sunday - sunday % 900))
    assert st == 422 and "does not work then" in body
    st, _, body = post(service="no-such-service")
    assert st == 400 and "no service" in body
    massage = query(w.s.db, "SELECT id FROM practitioner WHERE disciplines = 'sports_massage'")
    st, _, body = post(practitioner=massage)
    assert st == 400 and "does not offer" in body
    st, _, body = post(start="tomorrow")
    assert st == 400
    st, _, body = c.get("/book/initial-assessment?date=2026-13-45")
    assert st == 400 and "YYYY-MM-DD" in body
    assert query(w.s.db, "SELECT COUNT(*) FROM appointment_unit u LEFT JOIN appointment a ON a.id = u.appointment_id "
                         "WHERE a.id IS NULL") == "0", "nothing half-written"


@own_server
def test_front_desk_books_for_a_runner_and_runs_the_day():
    w = world()
    desk = w.client("front_desk")
    start, pid = free_slots(desk, "sports-massage", "?date=" + clinic_day(1, 2))[1]
    st, h, body = book(desk, "sports-massage", start, pid, runner=w.email["b"])
    assert st == 303, body[:500]
    aid = appointment_id(h)
    assert query(w.s.db, f"SELECT runner_id FROM appointment WHERE id = {aid}") == str(w.ids["b"])
    st, _, body = desk.get("/schedule?date=" + clinic_day(1, 2))
    assert st == 200 and "Bob Hamstring" in body and "Sports massage" in body
    st, _, body = desk.get("/schedule?date=" + clinic_day(1, 2) + "&view=week")
    assert st == 200 and "Bob Hamstring" in body
    assert f'<option value="{pid}" selected' not in body and 'name="practitioner"' in body
    st, _, body = desk.get(f"/schedule?date={clinic_day(1, 2)}&practitioner={pid}")
    assert "Bob Hamstring" in body and f'<option value="{pid}" selected' in body
    other = 1 if pid != 1 else 2
    st, _, body = desk.get(f"/schedule?date={clinic_day(1, 2)}&practitioner={other}")
    assert "Bob Hamstring" not in body, "one practitioner's day shows only theirs"
    st, _, body = desk.post(f"/appointments/{aid}/arrived", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200 and "arrived" in body
    st, _, body = desk.post(f"/appointments/{aid}/no-show", {}, csrf_from=f"/appointments/{aid}")
    assert st == 409 and "only once its time has come" in body, "a visit still to come is not a no-show"
    query(w.s.db, f"UPDATE appointment SET starts_at = starts_at - 30 * 86400, ends_at = ends_at - 30 * 86400 "
                  f"WHERE id = {aid} RETURNING id")
    st, _, body = desk.post(f"/appointments/{aid}/no-show", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200 and "Marked as no-show" in body and "did not come" in body
    # Runner A cannot see B's appointment; B can.
    assert w.client("a").get(f"/appointments/{aid}")[0] == 404
    assert w.client("b").get(f"/appointments/{aid}")[0] == 200
    st, _, _ = w.client("a").post(f"/appointments/{aid}/arrived", {}, csrf_from="/account")
    assert st == 403


def api(w, method, path, token, body=None, headers=None):
    import json as _json
    h = {"Authorization": "Bearer " + token}
    h.update(headers or {})
    data = None
    if body is not None:
        data = body if isinstance(body, str) else _json.dumps(body)
        h["Content-Type"] = "application/json"
    st, hh, text = w.s.request(method, path, body=data, headers=h)
    return st, hh, (_json.loads(text) if text.strip() else None)


@own_server
def test_booking_api_end_to_end():
    from harness import runcare
    w = world()
    st, out, _ = runcare("token", "create", "--user", w.email["a"], "--db", w.s.db)
    tok = out.strip().splitlines()[-1]
    st, _, doc = api(w, "GET", "/api/services", tok)
    assert st == 200 and {s["key"] for s in doc["services"]} >= {"initial-assessment", "follow-up", "acupuncture",
                                                                  "sports-massage"}
    assert {s["key"]: s["minutes"] for s in doc["services"]}["acupuncture"] == 45
    st, _, doc = api(w, "GET", "/api/practitioners", tok)
    assert st == 200 and len(doc["practitioners"]) == 3
    st, _, doc = api(w, "GET", "/api/slots?service=acupuncture&from=" + clinic_day(3, 0) + "&to=" + clinic_day(3, 1), tok)
    assert st == 200 and doc["slots"], doc
    first = doc["slots"][0]
    assert first["start"].endswith("-08:00"), "times carry the clinic's offset"
    st, h, appt = api(w, "POST", "/api/appointments", tok,
                      {"service": "acupuncture", "practitioner": first["practitioner"], "start": first["start"]},
                      headers={"Idempotency-Key": "api-key-1"})
    assert st == 201 and appt["status"] == "booked" and h["location"] == f"/api/appointments/{appt['id']}", appt
    st, _, again = api(w, "POST", "/api/appointments", tok,
                       {"service": "acupuncture", "practitioner": first["practitioner"], "start": first["start"]},
                       headers={"Idempotency-Key": "api-key-1"})
    assert st == 200 and again["id"] == appt["id"], "a retry with the same key books once"
    st, _, taken = api(w, "POST", "/api/appointments", tok,
                       {"service": "acupuncture", "practitioner": first["practitioner"], "start": first["start"]})
    assert st == 409 and taken["alternatives"] and taken["alternatives"][0]["start"] != first["start"]
    st, _, mine = api(w, "GET", "/api/me/appointments", tok)
    assert any(a["id"] == appt["id"] for a in mine["appointments"])
    st, _, _ = api(w, "DELETE", f"/api/appointments/{appt['id']}", tok)
    assert st == 204
    st, _, err = api(w, "DELETE", f"/api/appointments/{appt['id']}", tok)
    assert st == 409
    # Bad input names the field.
    for body, field, code in [
        ({"service": "nope", "practitioner": 1, "start": first["start"]}, "'service'", 400),
        ({"service": "acupuncture", "practitioner": "one", "start": first["start"]}, "'practitioner'", 400),
        ({"service": "acupuncture", "practitioner": first["practitioner"], "start": "2026-12-21T09:00:00"}, "'start'", 400),
        ({"service": "acupuncture", "practitioner": first["practitioner"], "start": "2020-01-06T09:00:00-08:00"}, "'start'", 422),
        ({"service": "acupuncture", "practitioner": first["practitioner"], "start": clinic_day(3, 6) + "T09:00:00-08:00"}, "'start'", 422),
    ]:
        st, _, err = api(w, "POST", "/api/appointments", tok, body)
        assert st == code and field in err["error"], (body, st, err)
    st, _, err = api(w, "POST", "/api/appointments", tok, "{not json")
    assert st == 400 and "JSON" in err["error"]
    st, _, err = api(w, "GET", "/api/slots?service=acupuncture&from=2026-12-01&to=2027-03-01", tok)
    assert st == 400 and "'to'" in err["error"]
    st, out, _ = runcare("token", "create", "--user", w.email["b"], "--db", w.s.db)
    tok_b = out.strip().splitlines()[-1]
    st, _, b_appt = api(w, "POST", "/api/appointments", tok_b,
                        {"service": "acupuncture", "practitioner": first["practitioner"], "start": first["start"]})
    assert st == 201
    st, _, err = api(w, "DELETE", f"/api/appointments/{b_appt['id']}", tok)
    assert st == 404, "another runner's appointment does not exist for you"


@own_server
def test_every_api_route_is_in_the_openapi_file():
    import json as _json
    import os
    from harness import ROOT
    from accounts import routes
    spec = _json.load(open(os.path.join(ROOT, "docs", "openapi.json")))
    assert spec["openapi"].startswith("3.1")
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    missing = []
    for method, pattern, access, flags in routes():
        if "api" in flags:
            path = re.sub(r":(\w+)", "{id}", pattern)
            if (method, path) not in documented:
                missing.append(f"{method} {pattern}")
    assert not missing, f"API routes missing from docs/openapi.json: {missing}"


@own_server
def test_kill_9_in_a_booking_storm_loses_no_acknowledged_booking():
    import json as _json
    import signal
    import http.client
    from harness import PG, Server, runcare
    s = Server()
    try:
        tokens = []
        for i in range(8):
            email = f"storm{i}@example.org"
            add_user(s, "runner", email, f"storm runner {i} pass")
            st, out, _ = runcare("token", "create", "--user", email, "--db", s.db)
            tokens.append(out.strip().splitlines()[-1])
        st, _, doc = api_call(s, "GET", "/api/slots?service=follow-up&from=" + clinic_day(4, 0) + "&to=" + clinic_day(4, 0, 11), tokens[0])
        slots = doc["slots"][:120]
        assert len(slots) == 120
        acked, lock = [], threading.Lock()
        stop = threading.Event()

        def client(i):
            k = 0
            while not stop.is_set() and k < 200:
                slot = slots[(i * 37 + k * 11) % len(slots)]
                k += 1
                try:
                    st, _, doc = api_call(s, "POST", "/api/appointments", tokens[i],
                                          {"service": "follow-up", "practitioner": slot["practitioner"],
                                           "start": slot["start"]})
                except (OSError, http.client.HTTPException, ValueError):
                    return  # the server is gone
                if st == 201:
                    with lock:
                        acked.append(doc["id"])

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait()
        stop.set()
        for t in threads:
            t.join()
        assert acked, "some bookings were acknowledged before the kill"
        s2 = Server(db=s.db, demo=False)
        try:
            ids = ",".join(str(i) for i in acked)
            assert query(s.db, f"SELECT COUNT(*) FROM appointment WHERE id IN ({ids}) AND status = 'booked'") == \
                str(len(acked)), "every acknowledged booking survived"
            overlaps = query(s.db, "SELECT COUNT(*) FROM appointment a JOIN appointment b ON a.id < b.id "
                                   "AND a.practitioner_id = b.practitioner_id AND a.status <> 'cancelled' "
                                   "AND b.status <> 'cancelled' AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at")
            assert overlaps == "0"
            units = query(s.db, "SELECT COUNT(*) FROM appointment_unit u JOIN appointment a ON a.id = u.appointment_id "
                                "WHERE a.status = 'cancelled'")
            assert units == "0", "no unit is held by a cancelled or half-written booking"
            if not PG:
                assert query(s.db, "PRAGMA integrity_check") == "ok"
            assert s2.get("/healthz")[0] == 200
        finally:
            s2.stop()
            s2.close()
    finally:
        s.close()


def api_call(server, method, path, token, body=None):
    import json as _json
    h = {"Authorization": "Bearer " + token}
    data = None
    if body is not None:
        data = _json.dumps(body)
        h["Content-Type"] = "application/json"
    st, hh, text = server.request(method, path, body=data, headers=h)
    return st, hh, (_json.loads(text) if text.strip() else None)
