"""wave.py — the waitlist (urgency first, offers that expire and move on) and the post-marathon wave."""
import datetime
import html
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


def exceptions(url, pid=None):
    """How many stretches of extra hours there are (for one practitioner)."""
    where = f" AND practitioner_id = {pid}" if pid else ""
    return int(query(url, f"SELECT COUNT(*) FROM schedule_exception WHERE kind = 'extra_hours'{where}"))


def post_pairs(client, path, pairs, csrf_from):
    """A form whose fields may repeat (ticked boxes), as (name, value) pairs."""
    import urllib.parse
    body = urllib.parse.urlencode(list(pairs) + [("csrf", client.csrf(csrf_from))])
    st, h, text = client.s.request("POST", path, body, {"Cookie": client._cookie_header(),
                                                       "Content-Type": "application/x-www-form-urlencoded"})
    return st, h, text


def event_id(body, name):
    return re.search(r'href="/wave\?event=(\d+)">' + re.escape(name), body).group(1)


@own_server
def test_the_wave_expected_opened_and_seen():
    """The front desk plans the wave: records events, sees the forecast and where it comes from, opens
    extra hours (once, however often the form is sent) and sees a booking in them."""
    s = Server()
    try:
        add_user(s, "front_desk", "desk@example.org", "front desk pass 42")
        add_user(s, "runner", "rae@example.org", "rae runner pass 1")
        desk = Client(s).sign_in("desk@example.org", "front desk pass 42")
        rae = Client(s).sign_in("rae@example.org", "rae runner pass 1")
        marathon = clinic_day(1, 6)
        st, _, body = desk.post("/wave/events", {"name": "San Diego Rock 'n' Roll Marathon", "day": marathon},
                                csrf_from="/wave")
        assert st == 200 and "Recorded" in body, body[:500]
        assert "stated default of 10 a day" in body, "no earlier event: the default is stated"
        assert "no earlier event's two weeks are over yet" in html.unescape(body), body[body.find("Where the"):][:1500]
        # An earlier event with visits in the days after it (history, written as a clinic would have it).
        earlier = clinic_day(1, 6, -28)
        st, _, _ = desk.post("/wave/events", {"name": "Silver Strand Half", "day": earlier}, csrf_from="/wave")
        rid = query(s.db, "SELECT id FROM account WHERE email = 'rae@example.org'")
        base = clinic_time(clinic_day(1, 6, -27), "09:00")  # the day after
        for day, n in [(0, 3), (1, 2), (7, 1)]:
            for k in range(n):
                t = base + day * 86400 + k * 3600
                query(s.db, "INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, ends_at, "
                            f"status, reason, created_at, condition) VALUES ({rid}, 1, 1, {t}, {t + 3600}, 'booked', "
                            f"'', {t - 86400}, 'runners_butt') RETURNING id")
        ev = event_id(body, "San Diego")
        # Six visits after the half, against a default of 112 with no field size known: the default, and why.
        st, _, body = desk.get(f"/wave?event={ev}")
        assert "from the clinic's default" in html.unescape(body) and "past events expect only 6" in html.unescape(body), body[-4000:]
        assert "Silver Strand Half (" + earlier + "): 6 visits recorded" in body
        rows = ROWS.findall(body)
        assert [float(r[1]) for r in rows[:8]] == [10.0] * 7 + [6.0], rows[:8]
        # 500 finishers expect 5 at 10 per 1,000: the half's six are more, so history.
        st, _, body = desk.post(f"/wave/events/{ev}", {"name": "San Diego Rock 'n' Roll Marathon", "day": marathon,
                                                       "finishers": "500"}, csrf_from=f"/wave/events/{ev}")
        assert st == 200 and "Saved" in body, body[:500]
        assert "average of the 1 with visits recorded" in body and "from past events" in body, body[-4000:]
        assert "10 visits per 1,000 finishers × 500 expected finishers = 5 visits" in body
        rows = ROWS.findall(body)
        assert [float(r[1]) for r in rows[:8]] == [3.0, 2.0, 0, 0, 0, 0, 0, 1.0], rows[:8]
        # The chart has a text alternative: a title, a description with the totals, and the table.
        assert 'aria-labelledby="wave-chart-t"' in body and "visits expected (6 in all)" in body
        # Open evenings for three days after the event, then book one and see it in the wave.
        assert exceptions(s.db, 1) == 0
        hours = {"event": ev, "practitioner": "1", "from": "18:00", "to": "20:00", "days": "3"}
        st, _, body = desk.post("/wave/hours", hours, csrf_from="/wave")
        assert st == 200 and "Opened 18:00–20:00 on 3 days" in body, body[:500]
        assert exceptions(s.db, 1) == 3
        # Sent again (a double click, a reload): nothing new, and it says so.
        st, _, body = desk.post("/wave/hours", hours, csrf_from="/wave")
        assert st == 200 and "Nothing new: 18:00–20:00 was already open" in body, body[:800]
        assert exceptions(s.db, 1) == 3
        # Overlapping hours are the same hours for this rule; a second practitioner gets theirs.
        st, _, body = post_pairs(desk, "/wave/hours", [("event", ev), ("practitioner", "1"), ("practitioner", "2"),
                                                       ("from", "19:00"), ("to", "21:00"), ("days", "3")], "/wave")
        assert st == 200 and "3 new, 3 left as they were" in body, body[:800]
        assert exceptions(s.db, 1) == 3 and exceptions(s.db, 2) == 3
        assert "Extra hours opened for this event" in body and body.count("Lin Wei") >= 4
        # Five sends at once (clicks on a slow connection): the check and the write are one transaction.
        import threading
        token = desk.csrf("/wave")
        results = []
        form = dict(hours, practitioner="3", csrf=token)
        threads = [threading.Thread(target=lambda: results.append(desk.request("POST", "/wave/hours", form=form)[0]))
                   for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [200] * 5, results
        assert exceptions(s.db, 3) == 3, "opened once for three days, whatever the number of sends"
        assert int(query(s.db, f"SELECT COUNT(*) FROM wave_hours WHERE event_id = {ev}")) == 9
        evening = [t for t, p in free_slots(rae, "follow-up", "?date=" + clinic_day(1, 6, 1) + "&practitioner=1")
                   if clinic_hour(t) in (18, 19)]
        assert evening, "new slots 18:00–20:00 clinic time"
        day4 = [t for t, p in free_slots(rae, "follow-up", "?date=" + clinic_day(1, 6, 4) + "&practitioner=1")
                if clinic_hour(t) in (18, 19)]
        assert not day4 or all(t > clinic_time(clinic_day(1, 6, 3), "20:00") for t in day4), "only the days asked for"
        st, h, _ = book(rae, "follow-up", evening[0], 1)
        assert st == 303
        st, _, body = desk.get(f"/wave?event={ev}")
        rows = ROWS.findall(body)
        assert rows[0][2] == "1", rows[:2]
        st, _, body = desk.post("/wave/hours", {"event": ev, "from": "18:00", "to": "20:00", "days": "3"},
                                csrf_from="/wave")
        assert st == 422 and "Tick at least one" in body
        st, _, body = desk.post("/wave/events", {"name": "Kept Name", "day": "next sunday"}, csrf_from="/wave")
        assert st == 422 and "Write the date as YYYY-MM-DD" in body
        # What was typed comes back, the error beside its field.
        assert 'name="name" required maxlength="120" value="Kept Name"' in body and 'id="e-day"' in body, body[-3000:]
        assert 'value="next sunday"' in body
        st, _, body = desk.post("/wave/hours", {"event": ev, "practitioner": "2", "from": "19:00", "to": "18:00",
                                                "days": "5"}, csrf_from="/wave")
        assert st == 422 and 'id="e-to"' in body, body[-2000:]
        assert 'value="2" checked' in body and 'name="from" type="time" value="19:00"' in body
        assert 'name="days" type="number" value="5"' in body
        # Every change is in the audit log, by the front desk.
        assert int(query(s.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'wave.extra_hours' "
                               "AND actor_role = 'front_desk'")) == 3, "opened three times; the repeats wrote nothing"
        assert query(s.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'wave.event.edit'") == "1"
    finally:
        s.stop()
        s.close()


@own_server
def test_a_past_event_without_bookings_does_not_make_the_forecast_zero():
    """Last year's race came before the clinic used runcare: nothing booked after it. The forecast used
    to average that in and expect 0 visits a day; now it is left out and the default per 1,000 finishers
    (the clinic's own once an administrator sets it) is used, saying so."""
    s = Server()
    try:
        add_user(s, "front_desk", "desk@example.org", "front desk pass 42")
        add_user(s, "admin", "boss@example.org", "the boss pass 1234")
        desk = Client(s).sign_in("desk@example.org", "front desk pass 42")
        adm = Client(s).sign_in("boss@example.org", "the boss pass 1234")
        st, _, _ = desk.post("/wave/events", {"name": "Marathon last year", "day": clinic_day(-52, 6),
                                              "finishers": "20,000"}, csrf_from="/wave")
        assert st == 200
        st, _, body = desk.post("/wave/events", {"name": "Marathon this year", "day": clinic_day(3, 6),
                                                 "finishers": "12,000"}, csrf_from="/wave")
        assert st == 200, body[:500]
        ev = event_id(body, "Marathon this year")
        assert "12,000" in body
        assert "the 1 earlier event had no visits recorded in runcare" in body, body[-5000:]
        assert "Marathon last year (" + clinic_day(-52, 6) + "): no visits recorded in runcare" in body
        assert "10 visits per 1,000 finishers × 12,000 expected finishers = 120 visits" in body
        assert "runcare's starting estimate, not a published rate" in html.unescape(body)
        rows = ROWS.findall(body)
        expected = [float(r[1]) for r in rows[:14]]  # the first table; the next is by practitioner
        assert len(expected) == 14 and all(x > 0 for x in expected), expected
        assert expected[0] == 10.7 and expected[13] == 6.4, expected  # 120 × 10/112, 120 × 6/112
        # The front desk sees the default but may not change it.
        assert 'action="/wave/setting"' not in body and "An administrator can change it" in body
        st, _, _ = desk.post("/wave/setting", {"per_1000": "25"}, csrf_from="/wave")
        assert st == 403
        st, _, body = adm.post("/wave/setting", {"per_1000": "0", "event": ev}, csrf_from="/wave")
        assert st == 422 and 'id="e-per_1000"' in body and 'value="0"' in body
        st, _, body = adm.post("/wave/setting", {"per_1000": "25", "event": ev}, csrf_from="/wave")
        assert st == 200 and "Saved the clinic's default" in html.unescape(body), body[:500]
        assert "25 per 1,000 is the clinic's own figure" in html.unescape(body)
        assert [float(r[1]) for r in ROWS.findall(body)][:1] == [26.8]  # 300 × 10/112
        assert query(s.db, "SELECT visits_per_1000 FROM wave_setting") == "25"
        assert query(s.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'wave.setting'") == "1"
        # Bad field sizes are refused with what was typed kept.
        st, _, body = desk.post("/wave/events", {"name": "Huge", "day": clinic_day(4, 6), "finishers": "lots"},
                                csrf_from="/wave")
        assert st == 422 and 'id="e-finishers"' in body and 'value="lots"' in body, body[-3000:]
        assert query(s.db, "SELECT COUNT(*) FROM event WHERE name = 'Huge'") == "0"
    finally:
        s.stop()
        s.close()


@own_server
def test_events_are_edited_and_deleted_keeping_hours_unless_asked():
    s = Server()
    try:
        add_user(s, "front_desk", "desk@example.org", "front desk pass 42")
        add_user(s, "runner", "rio@example.org", "rio runner pass 1")
        desk = Client(s).sign_in("desk@example.org", "front desk pass 42")
        rio = Client(s).sign_in("rio@example.org", "rio runner pass 1")
        st, _, body = desk.post("/wave/events", {"name": "Coronado 10K", "day": clinic_day(2, 6)}, csrf_from="/wave")
        ev = event_id(body, "Coronado 10K")
        st, _, body = desk.get(f"/wave/events/{ev}")
        assert st == 200 and 'value="Coronado 10K"' in body and "No extra hours were opened" in body
        # An edit with a bad date changes nothing and shows what was typed.
        st, _, body = desk.post(f"/wave/events/{ev}", {"name": "Coronado Half", "day": "2027-02-30"},
                                csrf_from=f"/wave/events/{ev}")
        assert st == 422 and 'id="e-day"' in body and 'value="Coronado Half"' in body
        assert query(s.db, f"SELECT name FROM event WHERE id = {ev}") == "Coronado 10K"
        st, _, body = desk.post(f"/wave/events/{ev}", {"name": "Coronado Half", "day": clinic_day(2, 6, -1),
                                                       "finishers": "3 500"}, csrf_from=f"/wave/events/{ev}")
        assert st == 200 and "Coronado Half" in body and "3,500" in body
        assert query(s.db, f"SELECT day || ' ' || finishers FROM event WHERE id = {ev}") == clinic_day(2, 6, -1) + " 3500"
        st, _, body = desk.post("/wave/hours", {"event": ev, "practitioner": "1", "from": "18:00", "to": "20:00",
                                                "days": "2"}, csrf_from="/wave")
        assert st == 200 and exceptions(s.db) == 2
        # Delete needs a tick in the box: without it nothing goes.
        st, _, body = desk.post(f"/wave/events/{ev}/delete", {}, csrf_from=f"/wave/events/{ev}")
        assert st == 422 and 'id="e-confirm"' in body and "nothing was deleted" in body
        assert query(s.db, f"SELECT COUNT(*) FROM event WHERE id = {ev}") == "1"
        # Deleted with its hours kept (the default).
        st, _, body = desk.post(f"/wave/events/{ev}/delete", {"confirm": "yes"}, csrf_from=f"/wave/events/{ev}")
        assert st == 200 and "Deleted Coronado Half. The 2 stretches of extra hours opened for it stay open" in body
        assert query(s.db, f"SELECT COUNT(*) FROM event WHERE id = {ev}") == "0"
        assert exceptions(s.db) == 2 and query(s.db, "SELECT COUNT(*) FROM wave_hours") == "0"
        assert desk.get(f"/wave/events/{ev}")[0] == 404
        # Another event, its hours asked away; the evening with a visit booked in it stays.
        st, _, body = desk.post("/wave/events", {"name": "Bay Bridge Run", "day": clinic_day(3, 6)}, csrf_from="/wave")
        ev2 = event_id(body, "Bay Bridge Run")
        st, _, body = desk.post("/wave/hours", {"event": ev2, "practitioner": "1", "from": "18:00", "to": "20:00",
                                                "days": "2"}, csrf_from="/wave")
        assert st == 200 and exceptions(s.db) == 4
        evening = [t for t, p in free_slots(rio, "follow-up", "?date=" + clinic_day(3, 6, 1) + "&practitioner=1")
                   if clinic_hour(t) == 18]
        assert evening
        assert book(rio, "follow-up", evening[0], 1)[0] == 303
        st, _, body = desk.get(f"/wave/events/{ev2}")
        assert "The 2 stretches of extra hours opened for it stay open unless you tick the box" in body
        st, _, body = desk.post(f"/wave/events/{ev2}/delete", {"confirm": "yes", "remove_hours": "yes"},
                                csrf_from=f"/wave/events/{ev2}")
        assert st == 200 and "Closed 1 stretch of extra hours; 1 stay open because a visit is booked" in body, body[:800]
        assert exceptions(s.db) == 3
        assert query(s.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'wave.event.delete'") == "2"
    finally:
        s.stop()
        s.close()


@own_server
def test_the_front_desk_has_the_wave_runners_do_not():
    s = Server()
    try:
        add_user(s, "front_desk", "desk@example.org", "front desk pass 42")
        add_user(s, "runner", "ren@example.org", "ren runner pass 1")
        desk = Client(s).sign_in("desk@example.org", "front desk pass 42")
        ren = Client(s).sign_in("ren@example.org", "ren runner pass 1")
        st, _, body = desk.get("/wave")
        assert st == 200 and 'href="/wave"' in body and 'aria-current="page">Wave' in body
        # The demo's marathon, with its field size.
        assert "Mission Bay Marathon" in body and "9,000" in body
        st, h, _ = desk.get("/admin/wave?event=1")
        assert st == 303 and h["location"] == "/wave?event=1"
        assert ren.get("/wave")[0] == 403
        assert ren.post("/wave/events", {"name": "Mine", "day": clinic_day(2, 6)}, csrf_from="/account")[0] == 403
        assert Client(s).get("/wave")[0] == 303
        assert 'href="/wave"' not in ren.get("/account")[2]
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
        st, _, body = adm.post("/wave/events", {"name": "Crowded Marathon", "day": day}, csrf_from="/wave")
        assert st == 200, body[:300]
        ev = event_id(body, "Crowded Marathon")
        rid = query(s.db, "SELECT id FROM account WHERE email = 'ria@example.org'")
        t = clinic_time(clinic_day(1, 6, 1), "09:00")
        query(s.db, "INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, ends_at, status, "
                    f"reason, created_at, condition) SELECT {rid}, id, (SELECT id FROM service WHERE key = 'sports-massage'), {t}, {t + 3600}, 'booked', '', {t - 86400}, "
                    "'foot_pain' FROM practitioner")
        st, _, body = adm.get(f"/wave?event={ev}")
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
