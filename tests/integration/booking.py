"""booking.py — the booking flow, idempotency, races for one slot, cancel and move, the front desk."""
import datetime
import re
import threading
import time

from harness import CLINIC_TZ, Client, add_user, clinic_day, clinic_now, clinic_time, clock_free, clock_now, own_server, query, runcare
from accounts import PW, world

SLOT = re.compile(r'href="/book/([a-z-]+)/confirm\?start=(\d+)&amp;practitioner=(\d+)')


def free_slots(c, service, extra=""):
    st, _, body = c.get(f"/book/{service}{extra}")
    assert st == 200, body[:300]
    return [(int(s), int(p)) for _, s, p in SLOT.findall(body)]


def open_whole_day(db, pid, day):
    """The practitioner works 00:00–23:45 on that weekday ("Mon" … "Sun"): their rows of that day are
    deleted (hours may not overlap) and the one long row added, outside the opening hours on purpose."""
    st, out, err = runcare("clinic", "show", "--db", db)
    assert st == 0, err
    mine = re.split(r"\n  \d+ ", out.split(f"\n  {pid} ", 1)[1], 1)[0]  # up to the next practitioner's line
    for row in re.findall(rf"^      {day} \S+  \(hours (\d+)\)$", mine, re.M):
        st, _, err = runcare("clinic", "hours", "delete", "--id", row, "--keep-visits", "--db", db)
        assert st == 0, err
    st, out, err = runcare("clinic", "hours", "add", "--practitioner", str(pid), "--day", day.lower(), "--from",
                           "00:00", "--to", "23:45", "--outside-opening-hours", "--db", db)
    assert st == 0, err


def slots_within_a_day(c, db, service="follow-up"):
    """Free slots that start in 1 to 20 hours. Whatever the day and hour of the run (a Sunday night has
    none), the practitioner's hours are opened for today and tomorrow, clinic time, so that some exist:
    weekly hours, so only on a server of the test's own."""
    import datetime
    now = clock_now()
    soon = [s for s in free_slots(c, service) if now + 3600 < s[0] < now + 20 * 3600]
    if soon:
        return soon
    pid = free_slots(c, service)[0][1]
    local = datetime.datetime.fromtimestamp(now, CLINIC_TZ)
    days = [(local + datetime.timedelta(days=d)) for d in (0, 1)]
    for day in days:
        open_whole_day(db, pid, day.strftime("%a"))
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
@clock_free
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
    assert st == 422 and "no such service" in body
    massage = query(w.s.db, "SELECT id FROM practitioner WHERE disciplines = 'sports_massage'")
    st, _, body = post(practitioner=massage)
    assert st == 422 and "does not offer" in body and "The nearest free times" in body
    st, _, body = post(start="tomorrow")
    assert st == 422 and "whole number" in body
    st, _, body = c.get("/book/initial-assessment?date=2026-13-45")
    assert st == 422 and "YYYY-MM-DD" in body and 'aria-describedby="e-date"' in body
    assert 'value="2026-13-45"' in body, "what was typed is kept"
    assert query(w.s.db, "SELECT COUNT(*) FROM appointment_unit u LEFT JOIN appointment a ON a.id = u.appointment_id "
                         "WHERE a.id IS NULL") == "0", "nothing half-written"


@own_server
def test_a_bad_choice_shows_the_form_again_with_the_chosen_time():
    # Before: a condition not on the list answered a bare 400 page, and the chosen time was lost.
    w = world()
    c = w.client("a")
    start, pid = free_slots(c, "follow-up", "?date=" + clinic_day(3, 3))[0]
    st, _, body = c.get(f"/book/follow-up/confirm?start={start}&practitioner={pid}")
    key = re.search(r'name="key" value="([^"]+)"', body).group(1)
    form = {"service": "follow-up", "practitioner": str(pid), "start": str(start), "key": key,
            "condition": "broken_heart", "reason": "left <sit> bone & hip",
            "csrf": re.search(r'name="csrf" value="([0-9a-f]{64})"', body).group(1)}
    st, _, body = c.request("POST", "/book", form=form)
    assert st == 422, (st, body[:300])
    assert "Confirm your visit" in body and f'name="start" value="{start}"' in body, "the chosen time is kept"
    assert f'name="key" value="{key}"' in body, "the same key: a retry still books once"
    assert re.search(r'<span class="field-error" id="e-condition">What it is about must be one of the listed '
                     r'choices\.</span><select id="f-condition" name="condition" aria-invalid="true" '
                     r'aria-describedby="e-condition"', body), body
    assert "left &lt;sit&gt; bone &amp; hip</textarea>" in body, "what was typed is kept"
    assert query(w.s.db, f"SELECT COUNT(*) FROM appointment WHERE idempotency_key = '{key}'") == "0"
    # Too long a description: the same, beside its own field.
    form.update(condition="runners_butt", reason="x" * 301)
    st, _, body = c.request("POST", "/book", form=form)
    assert st == 422 and 'aria-describedby="e-reason"' in body and "at most 300 characters" in body
    # The front desk names a runner who has no account.
    desk = w.client("front_desk")
    st, _, body = desk.get(f"/book/follow-up/confirm?start={start}&practitioner={pid}")
    dform = {"service": "follow-up", "practitioner": str(pid), "start": str(start),
             "key": re.search(r'name="key" value="([^"]+)"', body).group(1), "runner": "nobody@example.org",
             "csrf": re.search(r'name="csrf" value="([0-9a-f]{64})"', body).group(1)}
    st, _, body = desk.request("POST", "/book", form=dform)
    assert st == 422 and 'aria-describedby="e-runner"' in body, body
    assert "No patient has the email address nobody@example.org" in body
    assert 'value="nobody@example.org"' in body
    dform["runner"] = "not an address@"
    st, _, body = desk.request("POST", "/book", form=dform)
    assert st == 422 and "is not an email address" in body and 'value="not an address@"' in body
    # A name that finds nobody: said, and the time kept.
    dform["runner"] = "Zebedee Quill"
    st, _, body = desk.request("POST", "/book", form=dform)
    assert st == 422 and "No patient matches &#39;Zebedee Quill&#39;" in body, body[-1500:]
    assert f'name="start" value="{start}"' in body and 'value="Zebedee Quill"' in body
    assert query(w.s.db, f"SELECT COUNT(*) FROM appointment WHERE idempotency_key = '{dform['key']}'") == "0"
    # Corrected, it books.
    form.update(reason="left sit bone")
    st, h, _ = c.request("POST", "/book", form=form)
    assert st == 303, st
    # A move with a hand-made time is refused with the appointment shown, not a bare page.
    aid = appointment_id(h)
    st, _, body = c.post(f"/appointments/{aid}/move", {"start": "soon", "practitioner": str(pid)},
                         csrf_from=f"/appointments/{aid}")
    assert st == 422 and "The new time must be a whole number" in body and "left sit bone" in body


@own_server
def test_front_desk_books_a_patient_without_email_by_name_or_phone():
    """A patient who phoned in has no email: the desk names her as it would search, and a name that fits
    several is refused with each of them listed, the chosen time kept."""
    w = world()
    desk = w.client("front_desk")
    ids = {}
    for name, phone in (("Kalani Akana", "(619) 555-7711"), ("Kalani Brown", "(858) 555-7712")):
        st, h, body = desk.post("/patients", {"name": name, "dob": "1968-08-09", "phone": phone, "email": "",
                                              "anyway": "1"}, csrf_from="/patients/new")
        assert st == 303, (st, body[-800:])
        ids[name] = int(re.match(r"/runners/(\d+)", h["location"]).group(1))
    start, pid = free_slots(desk, "follow-up", "?date=" + clinic_day(2, 3))[0]
    st, _, body = book(desk, "follow-up", start, pid, runner="kalani")
    assert st == 422 and "2 patients match &#39;kalani&#39;: Kalani Akana (born 1968-08-09, (619) 555-7711); " \
        "Kalani Brown (born 1968-08-09, (858) 555-7712)" in body, body[-1500:]
    assert f'name="start" value="{start}"' in body and 'value="kalani"' in body, "the time and the name are kept"
    st, h, body = book(desk, "follow-up", start, pid, runner="Kalani Akana")
    assert st == 303, body[-1500:]
    aid = appointment_id(h)
    assert query(w.s.db, f"SELECT runner_id FROM appointment WHERE id = {aid}") == str(ids["Kalani Akana"])
    st, _, body = desk.get(f"/appointments/{aid}")
    assert st == 200 and "Kalani Akana" in body
    # The waitlist takes her by phone, written as she says it.
    st, _, body = desk.post("/waitlist", {"service": "follow-up", "from": clinic_day(2, 3), "to": clinic_day(2, 3, 2),
                                          "condition": "other", "runner": "858.555.7712", "urgency": "soon"},
                            csrf_from="/waitlist")
    assert st == 200 and "Kalani Brown is on the waitlist" in body, body[-1500:]
    assert query(w.s.db, f"SELECT COUNT(*) FROM waitlist WHERE runner_id = {ids['Kalani Brown']}") == "1"
    # Kalani Akana cancels: her time is offered to Kalani Brown, whom no mail reaches; the desk is told
    # whom to phone, and at what number.
    st, _, body = desk.post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200 and "The time is offered to Kalani Brown from the waitlist" in body, body[-1500:]
    st, _, body = desk.get("/waitlist")
    assert re.search(r"Kalani Brown.*offered .*no email: phone \(858\) 555-7712", body, re.S), body[-2500:]


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
    # Days ahead, a visit is not marked arrived (that blocked the runner from moving it, with no undo) ...
    st, _, body = desk.post(f"/appointments/{aid}/arrived", {}, csrf_from=f"/appointments/{aid}")
    assert st == 409 and "from 2 hours before it starts" in body, (st, body[-800:])
    assert "Mark arrived" not in body and "Mark no-show" not in body, "no button for what would be refused"
    assert query(w.s.db, f"SELECT status FROM appointment WHERE id = {aid}") == "booked"
    st, _, body = desk.post(f"/appointments/{aid}/no-show", {}, csrf_from=f"/appointments/{aid}")
    assert st == 409 and "only once its time has come" in body, "a visit still to come is not a no-show"
    # ... but within two hours of its start it is; a slip is taken back, and both are in the audit log.
    # The start is later today in the clinic (never past its midnight: a visit is marked arrived only on
    # its own day), within the hour, whatever the hour the suite runs at.
    now = clock_now()
    local = clinic_now()
    midnight = int((local + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0).timestamp())
    soon = now + max(1, min(3600, (midnight - now) // 2))
    query(w.s.db, f"UPDATE appointment SET starts_at = {soon}, ends_at = {soon + 3600} WHERE id = {aid} RETURNING id")
    st, _, body = desk.get(f"/appointments/{aid}")
    assert "Mark arrived" in body and "Mark no-show" not in body
    st, _, body = desk.post(f"/appointments/{aid}/arrived", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200 and "Marked as arrived" in body and "Undo arrived" in body
    st, _, body = desk.post(f"/appointments/{aid}/arrived", {}, csrf_from=f"/appointments/{aid}")
    assert st == 409 and "already marked as arrived" in body
    st, _, body = desk.post(f"/appointments/{aid}/undo", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200 and "booked again" in body and "Mark arrived" in body
    assert query(w.s.db, f"SELECT status FROM appointment WHERE id = {aid}") == "booked"
    st, out, _ = runcare("audit", "--runner", w.email["b"], "--db", w.s.db)
    assert "appointment.arrived" in out and "appointment.unmark" in out, out
    st, _, body = desk.post(f"/appointments/{aid}/undo", {}, csrf_from=f"/appointments/{aid}")
    assert st == 409 and "Only an arrived or no-show mark" in body
    # After its day, it is not marked arrived; once its time has come, it is a no-show, and that too is undone.
    query(w.s.db, f"UPDATE appointment SET starts_at = starts_at - 30 * 86400, ends_at = ends_at - 30 * 86400 "
                  f"WHERE id = {aid} RETURNING id")
    st, _, body = desk.post(f"/appointments/{aid}/arrived", {}, csrf_from=f"/appointments/{aid}")
    assert st == 409 and "day is over" in body
    st, _, body = desk.post(f"/appointments/{aid}/no-show", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200 and "Marked as no-show" in body and "did not come" in body and "Undo no-show" in body
    st, _, body = desk.post(f"/appointments/{aid}/undo", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200 and query(w.s.db, f"SELECT status FROM appointment WHERE id = {aid}") == "booked"
    st, _, _ = desk.post(f"/appointments/{aid}/no-show", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200
    # Runner A cannot see B's appointment; B can.
    assert w.client("a").get(f"/appointments/{aid}")[0] == 404
    assert w.client("b").get(f"/appointments/{aid}")[0] == 200
    st, _, _ = w.client("a").post(f"/appointments/{aid}/arrived", {}, csrf_from="/account")
    assert st == 403
    st, _, _ = w.client("b").post(f"/appointments/{aid}/undo", {}, csrf_from="/account")
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
    import datetime
    from harness import runcare
    w = world()
    st, out, _ = runcare("token", "create", "--user", w.email["a"], "--scope", "write", "--db", w.s.db)
    tok = out.strip().splitlines()[-1]
    st, _, doc = api(w, "GET", "/api/services", tok)
    assert st == 200 and {s["key"] for s in doc["services"]} >= {"initial-assessment", "follow-up", "acupuncture",
                                                                  "sports-massage"}
    assert {s["key"]: s["minutes"] for s in doc["services"]}["acupuncture"] == 45
    st, _, doc = api(w, "GET", "/api/practitioners", tok)
    assert st == 200 and len(doc["practitioners"]) == 3
    st, _, doc = api(w, "GET", "/api/slots?service=acupuncture&from=" + clinic_day(3, 0) + "&to=" + clinic_day(3, 0, 1),
                     tok)
    assert st == 200 and doc["slots"], doc
    first = doc["slots"][0]
    start = datetime.datetime.fromisoformat(first["start"])
    assert start.utcoffset() == start.astimezone(CLINIC_TZ).utcoffset(), "times carry the clinic's offset that day"
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
    # Bad input is a 422 that names the field, in "field" and in the sentence.
    for body, field, words in [
        ({"service": "nope", "practitioner": 1, "start": first["start"]}, "service", "no such service"),
        ({"practitioner": 1, "start": first["start"]}, "service", "'service' must be the key of a service"),
        ({"service": "acupuncture", "practitioner": "one", "start": first["start"]}, "practitioner", "'practitioner'"),
        ({"service": "acupuncture", "practitioner": first["practitioner"], "start": "2026-12-21T09:00:00"}, "start",
         "'start' must be a time with its zone"),
        ({"service": "acupuncture", "practitioner": first["practitioner"], "start": "2020-01-06T09:00:00-08:00"}, "start",
         "passed"),
        ({"service": "acupuncture", "practitioner": first["practitioner"], "start": clinic_day(3, 6) + "T09:00:00-08:00"},
         "start", "does not work then"),
        ({"service": "acupuncture", "practitioner": first["practitioner"], "start": first["start"], "condition": "flu"},
         "condition", "'condition'"),
        ({"service": "acupuncture", "practitioner": first["practitioner"], "start": first["start"], "colour": "red"},
         "colour", "'colour' is not part of a booking"),
    ]:
        st, _, err = api(w, "POST", "/api/appointments", tok, body)
        assert st == 422 and err["field"] == field and words in err["error"], (body, st, err)
    st, _, err = api(w, "POST", "/api/appointments", tok, "{not json")
    assert st == 400 and "JSON" in err["error"]
    st, _, err = api(w, "GET", "/api/slots?service=acupuncture&from=2026-12-01&to=2027-03-01", tok)
    assert st == 422 and err["field"] == "to" and "'to'" in err["error"]
    st, _, err = api(w, "GET", "/api/slots?service=acupuncture&from=2026-12-01", tok)
    assert st == 422 and err["field"] == "to"
    st, out, _ = runcare("token", "create", "--user", w.email["b"], "--scope", "write", "--db", w.s.db)
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
@clock_free
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
            st, out, _ = runcare("token", "create", "--user", email, "--scope", "write", "--db", s.db)
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


# --- the rules hold at every door: "now" placed by RUNCARE_CLOCK ------------------------------------

def clinic_date(days_from_today):
    """The clinic-local date (a datetime.date) so many days after the clinic's today."""
    import datetime
    today = min(datetime.date.fromisoformat(clinic_day(0, w)) for w in range(7))
    return today + datetime.timedelta(days=days_from_today)


def clock_at(date, hhmm):
    """RUNCARE_CLOCK for a clinic-local date and time: RFC 3339 with the clinic's offset that day."""
    import datetime
    return datetime.datetime.fromtimestamp(clinic_time(date.isoformat(), hhmm),
                                           datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def weekday_after(days, then_weekday=False):
    """The first clinic date at least `days` from today that is a weekday (or whose next day is)."""
    import datetime
    d = clinic_date(days)
    while (d + datetime.timedelta(days=1 if then_weekday else 0)).weekday() >= 5:
        d += datetime.timedelta(days=1)
    return d


def clocked_server(date, hhmm):
    from harness import Server
    return Server(env={"RUNCARE_CLOCK": clock_at(date, hhmm)})


def token_for(s, email):
    st, out, err = runcare("token", "create", "--user", email, "--scope", "write", "--db", s.db)
    assert st == 0, err
    return out.strip().splitlines()[-1]


@own_server
def test_nobody_books_online_within_the_hour_at_any_door():
    # Before: the lead time was applied only when slots were listed, so a hand-made POST /book took a
    # slot five minutes away and the JSON API checked nothing. The demo clinic opens at 08:00.
    day = weekday_after(1)
    s = clocked_server(day, "07:55")
    try:
        add_user(s, "runner", "early@example.org", "early bird runner 1")
        add_user(s, "front_desk", "desk3@example.org", "front desk pass 303")
        c = Client(s).sign_in("early@example.org", "early bird runner 1")
        eight = clinic_time(day.isoformat(), "08:00")
        listed = free_slots(c, "follow-up")
        assert listed and listed[0][0] == clinic_time(day.isoformat(), "09:00"), "runners see from 09:00"
        pid = listed[0][1]
        st, _, body = c.request("POST", "/book", form={"service": "follow-up", "practitioner": str(pid),
                                                        "start": str(eight), "csrf": c.csrf("/book")})
        assert st == 422 and "within the next hour are not booked online" in body, (st, body[-600:])
        assert "The nearest free times" in body and f"start={eight}&amp;" not in body
        tok = token_for(s, "early@example.org")
        import datetime
        start = datetime.datetime.fromtimestamp(eight, datetime.timezone.utc).isoformat()
        st, _, err = api_call(s, "POST", "/api/appointments", tok,
                              {"service": "follow-up", "practitioner": pid, "start": start})
        assert st == 422 and err["field"] == "start" and "within the next hour" in err["error"], (st, err)
        st, _, doc = api_call(s, "GET", f"/api/slots?service=follow-up&from={day}&to={day}", tok)
        assert st == 200 and doc["slots"] and all(not x["start"].startswith(f"{day}T08:") for x in doc["slots"])
        assert query(s.db, "SELECT COUNT(*) FROM appointment") == "0"
        # The front desk books a walk-in for any time not yet begun.
        desk = Client(s).sign_in("desk3@example.org", "front desk pass 303")
        assert (eight, pid) in free_slots(desk, "follow-up"), "the desk sees the 08:00 slot"
        st, h, body = book(desk, "follow-up", eight, pid, runner="early@example.org")
        assert st == 303, (st, body[-600:])
    finally:
        s.stop()
        s.close()


@own_server
def test_nobody_books_beyond_the_horizon_at_any_door():
    import datetime
    s = clocked_server(weekday_after(1), "10:00")
    try:
        add_user(s, "runner", "far@example.org", "far ahead runner 2")
        c = Client(s).sign_in("far@example.org", "far ahead runner 2")
        far = weekday_after(126)
        start = clinic_time(far.isoformat(), "09:00")
        pid = free_slots(c, "follow-up")[0][1]
        tok = token_for(s, "far@example.org")
        st, _, err = api_call(s, "POST", "/api/appointments", tok,
                              {"service": "follow-up", "practitioner": pid,
                               "start": datetime.datetime.fromtimestamp(start, datetime.timezone.utc).isoformat()})
        assert st == 422 and err["field"] == "start" and "up to 120 days ahead" in err["error"], (st, err)
        st, _, body = c.request("POST", "/book", form={"service": "follow-up", "practitioner": str(pid),
                                                        "start": str(start), "csrf": c.csrf("/book")})
        assert st == 422 and "up to 120 days ahead" in body, (st, body[-600:])
        assert not free_slots(c, "follow-up", f"?date={far}"), "no times are listed past the horizon"
        assert query(s.db, "SELECT COUNT(*) FROM appointment") == "0"
    finally:
        s.stop()
        s.close()


@own_server
def test_the_api_refuses_a_late_cancel_as_the_page_does():
    import datetime
    day = weekday_after(1)
    s = clocked_server(day, "07:55")
    try:
        add_user(s, "runner", "late@example.org", "late canceller 33")
        c = Client(s).sign_in("late@example.org", "late canceller 33")
        pid = free_slots(c, "follow-up")[0][1]
        tok = token_for(s, "late@example.org")
        ten = clinic_time(day.isoformat(), "10:00")
        st, _, appt = api_call(s, "POST", "/api/appointments", tok,
                               {"service": "follow-up", "practitioner": pid,
                                "start": datetime.datetime.fromtimestamp(ten, datetime.timezone.utc).isoformat()})
        assert st == 201, appt
        st, _, err = api_call(s, "DELETE", f"/api/appointments/{appt['id']}", tok)
        assert st == 409 and "less than 24 hours away" in err["error"], (st, err)
        aid = appointment_id(book(c, "follow-up", clinic_time(day.isoformat(), "11:00"), pid)[1])
        st, _, body = c.post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
        assert st == 409 and err["error"] in body, "the same rule, the same words"
        st, _, body = c.get(f"/appointments/{appt['id']}")
        assert err["error"] in body and "Cancel this appointment" not in body
        assert query(s.db, "SELECT COUNT(*) FROM appointment WHERE status = 'booked'") == "2"
    finally:
        s.stop()
        s.close()


@own_server
def test_late_in_the_evening_tomorrow_is_the_next_day_listed():
    # At 22:30 in the clinic, UTC is already on the next day; the list must still go today, tomorrow, ...
    import datetime
    day = weekday_after(0, then_weekday=True)
    s = clocked_server(day, "22:30")
    try:
        add_user(s, "runner", "owl@example.org", "night owl runner 4")
        c = Client(s).sign_in("owl@example.org", "night owl runner 4")
        st, _, body = c.get("/book/follow-up")
        assert st == 200
        days = [" ".join(d.split()) for d in re.findall(r'<section class="day"><h2>([^<]+)</h2>', body)]
        want = [(day + datetime.timedelta(days=i)).strftime("%A %-d %B") for i in range(7)]
        assert days == want, (days, want)
        tomorrow = day + datetime.timedelta(days=1)
        first = SLOT.search(body)
        assert first and int(first.group(2)) == clinic_time(tomorrow.isoformat(), "08:00"), "the first time is tomorrow's first"
    finally:
        s.stop()
        s.close()
