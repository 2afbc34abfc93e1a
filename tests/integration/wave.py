"""wave.py — the waitlist (urgency first, offers that expire and move on) and the post-marathon wave."""
import datetime
import re
import time

from harness import CLINIC_TZ, Client, Server, add_user, clinic_day, clinic_time, own_server, query
from booking import appointment_id, book, free_slots


# A day's row of the wave: its date (in a <time>), expected, booked.
ROWS = re.compile(r'<tr><th scope="row"><time datetime="[^"]+">([^<]+)</time></th><td>([0-9.]+)</td><td>(\d+)</td>')


def clinic_hour(t):
    return datetime.datetime.fromtimestamp(t, CLINIC_TZ).hour


def offer_for(url, email):
    return query(url, "SELECT o.id FROM waitlist_offer o JOIN waitlist w ON w.id = o.waitlist_id "
                      f"JOIN account a ON a.id = w.runner_id WHERE a.email = '{email}' AND o.status = 'open'")


def wait_until(check, seconds=15, what="the condition"):
    """Polls check() until it is true (the timed job runs every half second)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {seconds} s")


@own_server
def test_freed_time_goes_to_the_most_urgent_then_moves_on():
    s = Server()
    try:
        add_user(s, "front_desk", "desk@example.org", "front desk pass 42")
        people = {}
        for name in ["xena", "yuri", "zoe"]:
            add_user(s, "runner", f"{name}@example.org", f"{name} runner pass 1")
            people[name] = Client(s).sign_in(f"{name}@example.org", f"{name} runner pass 1")
        desk = Client(s).sign_in("desk@example.org", "front desk pass 42")
        # Xena waits first (self-care); Yuri joins later but his self-check said urgent.
        monday = clinic_day(2, 0)
        for name, urgency in [("xena", "self_care"), ("yuri", "urgent")]:
            st, _, body = desk.post("/waitlist", {"service": "follow-up", "from": monday, "to": clinic_day(2, 0, 4),
                                                  "condition": "shin_splints", "urgency": urgency,
                                                  "runner": f"{name}@example.org"})
            assert st == 200 and "on the waitlist" in body, body[:400]
            time.sleep(1.1)  # distinct waiting times
        st, _, body = desk.get("/waitlist")
        assert body.index("yuri") < body.index("xena") if "yuri" in body else False
        # Zoe books a time in that window and cancels it.
        start, pid = free_slots(people["zoe"], "follow-up", "?date=" + clinic_day(2, 0, 1))[2]
        aid = appointment_id(book(people["zoe"], "follow-up", start, pid)[1])
        st, _, _ = people["zoe"].post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
        assert st == 200
        yuri_offer = offer_for(s.db, "yuri@example.org")
        assert yuri_offer, "the urgent runner is offered the freed time first"
        assert not offer_for(s.db, "xena@example.org")
        assert query(s.db, "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = 'yuri@example.org' "
                           "AND subject = 'A time came free for you'") == "1"
        st, _, body = people["yuri"].get(f"/waitlist/offers/{yuri_offer}")
        assert st == 200 and "A time came free" in body and "Book this time" in body
        assert people["xena"].get(f"/waitlist/offers/{yuri_offer}")[0] == 404, "not Xena's offer"
        # Yuri does not answer in time: the timed job passes the offer on to Xena, with nobody looking.
        query(s.db, f"UPDATE waitlist_offer SET expires_at = 1 WHERE id = {yuri_offer} RETURNING id")
        xena_offer = wait_until(lambda: offer_for(s.db, "xena@example.org"), what="passing the offer on")
        assert query(s.db, f"SELECT status FROM waitlist_offer WHERE id = {yuri_offer}") == "expired"
        st, _, _ = people["yuri"].post(f"/waitlist/offers/{yuri_offer}/accept", {},
                                       csrf_from=f"/waitlist/offers/{yuri_offer}")
        assert st == 409, "an expired offer cannot be taken"
        st, h, _ = people["xena"].post(f"/waitlist/offers/{xena_offer}/accept", {},
                                       csrf_from=f"/waitlist/offers/{xena_offer}")
        assert st == 303
        new_id = appointment_id(h)
        assert query(s.db, f"SELECT starts_at FROM appointment WHERE id = {new_id}") == str(start)
        assert query(s.db, "SELECT status FROM waitlist w JOIN account a ON a.id = w.runner_id "
                           "WHERE a.email = 'xena@example.org'") == "booked"
        # A runner joins by themselves, with a clear error for a bad window.
        st, _, body = people["zoe"].post("/waitlist", {"service": "follow-up", "from": clinic_day(2, 0, 6), "to": clinic_day(2, 0, -4)})
        assert st == 422 and "&#39;To&#39; must be" in body
        st, _, body = people["zoe"].post("/waitlist", {"service": "follow-up", "from": clinic_day(2, 0, -4), "to": clinic_day(2, 0, 6)})
        assert st == 200 and "on the waitlist" in body
    finally:
        s.stop()
        s.close()


@own_server
def test_the_wave_expected_opened_and_seen():
    s = Server()
    try:
        add_user(s, "admin", "boss@example.org", "the boss pass 1234")
        add_user(s, "runner", "rae@example.org", "rae runner pass 1")
        adm = Client(s).sign_in("boss@example.org", "the boss pass 1234")
        rae = Client(s).sign_in("rae@example.org", "rae runner pass 1")
        marathon = clinic_day(1, 6)
        st, _, body = adm.post("/admin/wave/events", {"name": "San Diego Rock 'n' Roll Marathon", "day": marathon},
                               csrf_from="/admin/wave")
        assert st == 200 and "Recorded" in body
        assert "stated default of 10 a day" in body, "no earlier event: the default is stated"
        # An earlier event with visits in the days after it (history, written as a clinic would have it).
        earlier = clinic_day(1, 6, -28)
        st, _, _ = adm.post("/admin/wave/events", {"name": "Silver Strand Half", "day": earlier}, csrf_from="/admin/wave")
        rid = query(s.db, "SELECT id FROM account WHERE email = 'rae@example.org'")
        base = clinic_time(clinic_day(1, 6, -27), "09:00")  # the day after
        for day, n in [(0, 3), (1, 2), (7, 1)]:
            for k in range(n):
                t = base + day * 86400 + k * 3600
                query(s.db, "INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, ends_at, "
                            f"status, reason, created_at, condition) VALUES ({rid}, 1, 1, {t}, {t + 3600}, 'booked', "
                            f"'', {t - 86400}, 'runners_butt') RETURNING id")
        st, _, body = adm.get("/admin/wave")
        assert "average of the 1 earlier event" in body, body[-3000:]
        rows = ROWS.findall(body)
        assert [float(r[1]) for r in rows[:8]] == [3.0, 2.0, 0, 0, 0, 0, 0, 1.0], rows[:8]
        # Open evenings for three days after the event, then book one and see it in the wave.
        ev = re.search(r'/admin/wave\?event=(\d+)">San Diego', body).group(1)
        st, _, body = adm.post("/admin/wave/hours", {"event": ev, "practitioner": "1", "from": "18:00", "to": "20:00",
                                                     "days": "3"}, csrf_from="/admin/wave")
        assert st == 200 and "Opened 18:00–20:00 on 3 days" in body, body[:500]
        evening = [t for t, p in free_slots(rae, "follow-up", "?date=" + clinic_day(1, 6, 1) + "&practitioner=1")
                   if clinic_hour(t) in (18, 19)]
        assert evening, "new slots 18:00–20:00 clinic time"
        day4 = [t for t, p in free_slots(rae, "follow-up", "?date=" + clinic_day(1, 6, 4) + "&practitioner=1")
                if clinic_hour(t) in (18, 19)]
        assert not day4 or all(t > clinic_time(clinic_day(1, 6, 3), "20:00") for t in day4), "only the days asked for"
        st, h, _ = book(rae, "follow-up", evening[0], 1)
        assert st == 303
        st, _, body = adm.get(f"/admin/wave?event={ev}")
        rows = ROWS.findall(body)
        assert rows[0][2] == "1", rows[:2]
        st, _, body = adm.post("/admin/wave/hours", {"event": ev, "from": "18:00", "to": "20:00", "days": "3"},
                               csrf_from="/admin/wave")
        assert st == 422 and "Tick at least one" in body
        st, _, body = adm.post("/admin/wave/events", {"name": "Kept Name", "day": "next sunday"}, csrf_from="/admin/wave")
        assert st == 422 and "&#39;Date&#39;" in body
        # What was typed comes back, the error beside its field.
        assert 'name="name" type="text" value="Kept Name"' in body and 'id="e-day"' in body
        st, _, body = adm.post("/admin/wave/hours", {"event": ev, "practitioner": "2", "from": "19:00", "to": "18:00",
                                                     "days": "5"}, csrf_from="/admin/wave")
        assert st == 422 and 'id="e-to"' in body, body[-2000:]
        assert 'value="2" checked' in body and 'name="from" type="time" value="19:00"' in body
        assert 'name="days" type="number" value="5"' in body
    finally:
        s.stop()
        s.close()


@own_server
def test_clinic_setup_on_the_web_and_on_the_command_line():
    from harness import runcare
    s = Server()
    try:
        add_user(s, "admin", "setup@example.org", "set it all up 1")
        add_user(s, "runner", "sam@example.org", "sam runner pass 1")
        adm = Client(s).sign_in("setup@example.org", "set it all up 1")
        sam = Client(s).sign_in("sam@example.org", "sam runner pass 1")
        st, _, body = adm.post("/admin/clinic/services", {"key": "dry-needling", "name": "Dry needling", "minutes": "40",
                                                          "price": "9500", "discipline": "physical_therapy"},
                               csrf_from="/admin/clinic")
        assert st == 422 and "multiple of 15" in body
        st, _, body = adm.post("/admin/clinic/services", {"key": "dry-needling", "name": "Dry needling", "minutes": "45",
                                                          "price": "9500", "discipline": "physical_therapy"},
                               csrf_from="/admin/clinic")
        assert st == 200 and "Saved" in body and "Dry needling" in body
        st, _, body = adm.post("/admin/clinic/services", {"key": "dry-needling", "name": "Again", "minutes": "45",
                                                          "price": "1", "discipline": "physical_therapy"},
                               csrf_from="/admin/clinic")
        assert st == 409
        st, _, body = adm.post("/admin/clinic/practitioners", {"name": "Noor Needles", "disciplines": "physical_therapy",
                                                               "offers": "dry-needling"}, csrf_from="/admin/clinic")
        assert st == 200 and "Noor Needles" in body
        pid = query(s.db, "SELECT id FROM practitioner WHERE name = 'Noor Needles'")
        # The clinic is closed on Sundays: hours then need the box ticked that says so (setup.py has more).
        st, _, body = adm.post("/admin/clinic/hours", {"practitioner": pid, "day": "sun", "from": "09:00", "to": "11:00",
                                                       "outside": "yes"}, csrf_from="/admin/clinic")
        assert st == 200
        sundays = free_slots(sam, "dry-needling", "?date=" + clinic_day(2, 6))
        assert len([x for x in sundays if x[1] == int(pid)]) == 6, sundays  # 09:00 … 10:15 for 45 minutes
        st, _, body = adm.post("/admin/clinic/time-off", {"practitioner": pid, "from": clinic_day(2, 6) + "T00:00",
                                                          "to": clinic_day(2, 6, 1) + "T00:00", "note": "race day"},
                               csrf_from="/admin/clinic")
        assert st == 200 and "race day" in body
        assert not [x for x in free_slots(sam, "dry-needling", "?date=" + clinic_day(2, 6)) if x[1] == int(pid)]
        st, _, body = adm.post("/admin/clinic/hours", {"practitioner": pid, "day": "someday", "from": "09:00",
                                                       "to": "11:00"}, csrf_from="/admin/clinic")
        assert st == 422 and "Day" in body
        st, out, err = runcare("clinic", "show", "--db", s.db)
        assert st == 0 and "dry-needling" in out and "Noor Needles" in out and "Sun 09:00–11:00" in out, out
        st, out, err = runcare("clinic", "service", "add", "--key", "Bad Key", "--name", "x", "--minutes", "30",
                               "--price", "1", "--discipline", "acupuncture", "--db", s.db)
        assert st == 2 and "'key'" in err
        st, out, err = runcare("clinic", "hours", "add", "--practitioner", pid, "--day", "sat", "--from", "09:00",
                               "--to", "10:00", "--db", s.db)
        assert st == 0
        assert len([x for x in free_slots(sam, "dry-needling", "?date=" + clinic_day(2, 6, -1)) if x[1] == int(pid)]) == 2
    finally:
        s.stop()
        s.close()


def practitioner_table(body):
    """(names in the header, counts in the first day's row) of the wave's by-practitioner table."""
    m = re.search(r'<caption>Visits per day by practitioner</caption>(.*?)</table>', body, re.S)
    assert m, "no table by practitioner"
    table = m.group(1)
    names = re.findall(r'<th scope="col">([^<]*)</th>', table)[1:]  # the first is "Day"
    first = re.search(r'<tbody>\s*<tr>(.*?)</tr>', table, re.S).group(1)
    return names, [int(n) for n in re.findall(r'<td>(\d+)</td>', first)]


@own_server
def test_the_wave_shows_every_practitioner():
    """Twenty practitioners on the web form, then as many as the clinic may have (64), each with a visit
    the day after the event: every one has a column with their visit, and a box to tick for extra hours
    (the page counted only the first 16 practitioners it met in the visits, the rest read 0)."""
    s = Server()
    try:
        add_user(s, "admin", "many@example.org", "so many of them 1")
        add_user(s, "runner", "ria@example.org", "ria runner pass 1")
        adm = Client(s).sign_in("many@example.org", "so many of them 1")
        existing = int(query(s.db, "SELECT COUNT(*) FROM practitioner"))
        for i in range(existing, 20):
            st, _, body = adm.post("/admin/clinic/practitioners", {"name": f"Masseur {i:02d}",
                                                                   "disciplines": "sports_massage",
                                                                   "offers": "sports-massage"},
                                   csrf_from="/admin/clinic")
            assert st == 200, body[:300]
        assert int(query(s.db, "SELECT COUNT(*) FROM practitioner")) == 20
        query(s.db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 44) "
                    "INSERT INTO practitioner (name, disciplines) SELECT 'Extra ' || i, 'sports_massage' FROM n")
        total = int(query(s.db, "SELECT COUNT(*) FROM practitioner"))
        assert total == 64, total
        day = clinic_day(1, 6)
        st, _, body = adm.post("/admin/wave/events", {"name": "Crowded Marathon", "day": day}, csrf_from="/admin/wave")
        assert st == 200, body[:300]
        ev = re.search(r'/admin/wave\?event=(\d+)">Crowded Marathon', body).group(1)
        rid = query(s.db, "SELECT id FROM account WHERE email = 'ria@example.org'")
        t = clinic_time(clinic_day(1, 6, 1), "09:00")
        query(s.db, "INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, ends_at, status, "
                    f"reason, created_at, condition) SELECT {rid}, id, (SELECT id FROM service WHERE key = 'sports-massage'), {t}, {t + 3600}, 'booked', '', {t - 86400}, "
                    "'foot_pain' FROM practitioner")
        st, _, body = adm.get(f"/admin/wave?event={ev}")
        assert st == 200
        names, counts = practitioner_table(body)
        assert len(names) == total and len(set(names)) == total, (len(names), names[-5:])
        assert "Masseur 19" in names and "Extra 44" in names
        assert counts == [1] * total, counts
        rows = ROWS.findall(body)
        assert rows[0][2] == str(total), rows[:1]
        assert len(re.findall(r'name="practitioner" value="\d+"', body)) == total
    finally:
        s.stop()
        s.close()
