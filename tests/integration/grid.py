"""grid.py — the front desk's calendar: day and week grids, booking into a free cell, moving a visit to
another practitioner, recurring series with their conflicts named first, and the day rules of arrival,
no-show and undo (the clock placed by RUNCARE_CLOCK)."""
import atexit
import datetime
import re

from harness import (CLINIC_TZ, Client, Server, add_user, clinic_day, clinic_now, clinic_time, own_server, query,
                     runcare)

DESK_PW = "desk at the grid 42"
PAT_PW = "pat owns a column 7"

# The demo clinic: Priya (1) offers assessment, follow-up and acupuncture; Lin Wei (2) acupuncture; Marco (3)
# sports massage. Monday to Friday 08:00-12:00 and 13:00-18:00.
PRIYA, LIN, MARCO = 1, 2, 3

FREE = re.compile(r'<a class="cell free r(\d+)" href="/schedule/(?:book|move/\d+)\?practitioner=(\d+)&amp;start=(\d+)">')
VISIT = re.compile(r'<a class="visit ([a-z-]+)((?: new| moving)*) r(\d+) s(\d+)" href="/appointments/(\d+)">(.*?)</a>')
_clinic = None


class Clinic:
    """A server of the grid tests' own (they add a practitioner and book freely), with a front desk, a
    practitioner whose account has its own column, and three patients."""

    def __init__(self):
        self.s = Server()
        atexit.register(self.s.close)
        add_user(self.s, "front_desk", "dana@example.org", DESK_PW, "Dana Desk")
        self.pat_account = add_user(self.s, "practitioner", "pat@example.org", PAT_PW, "Pat Physio")
        st, out, err = runcare("clinic", "practitioner", "add", "--name", "Pat Physio (PT)", "--disciplines",
                               "physical_therapy", "--account", "pat@example.org", "--offers", "follow-up",
                               "--db", self.s.db)
        assert st == 0, err
        self.pat = int(re.search(r"(\d+)", out).group(1))
        for day in ("mon", "tue", "wed", "thu", "fri"):
            st, _, err = runcare("clinic", "hours", "add", "--practitioner", str(self.pat), "--day", day,
                                 "--from", "09:00", "--to", "17:00", "--db", self.s.db)
            assert st == 0, err
        self.runners = {}
        for name, email in [("Rosa Phonecall", "rosa.phone@example.org"), ("Sam Steady", "sam@example.org"),
                            ("Tess Weekly", "tess@example.org")]:
            self.runners[name] = add_user(self.s, "runner", email, "runner pass " + name.lower(), name)
        self.desk = Client(self.s).sign_in("dana@example.org", DESK_PW)


def clinic():
    global _clinic
    if _clinic is None or _clinic.s.proc.poll() is not None:
        _clinic = Clinic()
    return _clinic


def columns(body):
    """{practitioner heading: column html} in the page's order."""
    out = []
    for part in body.split('<section class="cal-col')[1:]:
        head = re.search(r'<h2 class="cal-head" id="col-\d+">(?:<a [^>]*>)?([^<]+)', part).group(1)
        out.append((head.strip(), part.split("</section>")[0]))
    return out


def book_form(c, pid, start):
    """The staff form opened from the free cell (pid, start): its key, CSRF token and body."""
    st, _, body = c.get(f"/schedule/book?practitioner={pid}&start={start}")
    assert st == 200, body[-500:]
    return body, {"key": re.search(r'name="key" value="([^"]+)"', body).group(1),
                  "csrf": re.search(r'name="csrf" value="([0-9a-f]{64})"', body).group(1)}


def local(t):
    return datetime.datetime.fromtimestamp(t, CLINIC_TZ).strftime("%Y-%m-%dT%H:%M")


def desk_book(c, pid, start, runner, service="follow-up", **extra):
    """Books through the staff form as the front desk does: (status, headers, body)."""
    _, hidden = book_form(c, pid, start)
    form = {"practitioner": str(pid), "start": local(start), "runner": str(runner), "service": service,
            "every": "0", "count": "6", "condition": "other", "reason": "", "do": "book", **hidden}
    form.update({k: str(v) for k, v in extra.items()})
    return c.request("POST", "/schedule/book", form=form)


def booked_id(h):
    m = re.search(r"[?&]booked=(\d+)$", h.get("location", ""))
    assert m, h
    return int(m.group(1))


def count(db, where):
    return int(query(db, f"SELECT COUNT(*) FROM appointment WHERE {where}"))


# --- the grids ---------------------------------------------------------------------------------------

@own_server
def test_day_grid_places_each_visit_by_time_and_length_in_its_practitioners_column():
    k = clinic()
    day = clinic_day(1, 1)  # a Tuesday a week or more away
    ten = clinic_time(day, "10:00")
    st, h, _ = desk_book(k.desk, PRIYA, ten, k.runners["Rosa Phonecall"], service="initial-assessment")
    assert st == 303, st
    aid = booked_id(h)
    st, _, body = k.desk.get(f"/schedule?date={day}")
    assert st == 200
    cols = dict(columns(body))
    assert set(cols) >= {"Priya Physio (PT, L.Ac.)", "Lin Wei (L.Ac.)", "Marco Díaz (LMT)", "Pat Physio (PT)"}
    visits = VISIT.findall(cols["Priya Physio (PT, L.Ac.)"])
    assert len(visits) == 1, visits
    status, _, row, span, vid, text = visits[0]
    # The grid begins at 08:00 (the first working hour): 10:00 is the 9th quarter hour; an hour spans four.
    assert (status, row, span, vid) == ("booked", "9", "4", str(aid)), visits[0]
    for words in ("Rosa Phonecall", "Initial assessment", "10:00–11:00", "with Priya Physio (PT, L.Ac.)"):
        assert words in text, (words, text)
    assert not VISIT.findall(cols["Lin Wei (L.Ac.)"]), "a visit is in its practitioner's column only"
    # Every free quarter hour links to the booking form at its own time; those of the visit and the lunch
    # hour do not.
    free = {(int(p), int(s)) for _, p, s in FREE.findall(cols["Priya Physio (PT, L.Ac.)"])}
    assert (PRIYA, clinic_time(day, "09:45")) in free and (PRIYA, clinic_time(day, "11:00")) in free
    assert (PRIYA, ten) not in free and (PRIYA, clinic_time(day, "10:45")) not in free
    assert (PRIYA, clinic_time(day, "12:15")) not in free
    assert '<div class="cell closed r17">' in cols["Priya Physio (PT, L.Ac.)"], "12:00 is shaded: not working"
    assert '<div class="cell closed r1">' in cols["Pat Physio (PT)"], "Pat starts at 09:00: 08:00 is shaded"
    # Time off is shown where it is.
    st, _, err = runcare("clinic", "time-off", "add", "--practitioner", str(LIN), "--from", f"{day} 14:00", "--to",
                         f"{day} 15:00", "--note", "dentist", "--db", k.s.db)
    assert st == 0, err
    _, _, body = k.desk.get(f"/schedule?date={day}")
    lin = dict(columns(body))["Lin Wei (L.Ac.)"]
    assert '<div class="cell away r25">Time off</div>' in lin and '<div class="cell away r28"></div>' in lin
    assert (LIN, clinic_time(day, "14:30")) not in {(int(p), int(s)) for _, p, s in FREE.findall(lin)}
    # One practitioner at a time, for a phone.
    _, _, one = k.desk.get(f"/schedule?date={day}&practitioner={LIN}")
    assert [n for n, _ in columns(one)] == ["Lin Wei (L.Ac.)"] and "Rosa Phonecall" not in one


@own_server
def test_the_signed_in_practitioners_own_column_comes_first():
    k = clinic()
    day = clinic_day(1, 2)
    st, _, body = k.desk.get(f"/schedule?date={day}")
    assert [n for n, _ in columns(body)][0] == "Priya Physio (PT, L.Ac.)", "the desk: the clinic's order"
    assert "(you)" not in body
    pat = Client(k.s).sign_in("pat@example.org", PAT_PW)
    st, _, body = pat.get(f"/schedule?date={day}")
    names = [n for n, _ in columns(body)]
    assert names[0] == "Pat Physio (PT)" and len(names) == 4, names
    assert '<section class="cal-col own"' in body and '<span class="you">(you)</span>' in body
    # The week of everyone lists Pat first too.
    _, _, week = pat.get(f"/schedule?date={day}&view=week")
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]*">([^<]+)</a>', week)
    assert rows[0] == "Pat Physio (PT)", rows


@own_server
def test_cancelled_visits_are_hidden_until_asked_for():
    k = clinic()
    day = clinic_day(1, 3)
    st, h, _ = desk_book(k.desk, PRIYA, clinic_time(day, "09:00"), k.runners["Sam Steady"])
    aid = booked_id(h)
    st, _, body = k.desk.post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
    assert st == 200 and "Cancelled" in body
    st, _, body = k.desk.get(f"/schedule?date={day}")
    assert "Sam Steady" not in body and f"/appointments/{aid}" not in body
    assert "Show cancelled visits (1)" in body
    assert (str(PRIYA), str(clinic_time(day, "09:00"))) in {(p, s) for _, p, s in FREE.findall(body)}, \
        "a cancelled visit's time is free to book"
    st, _, body = k.desk.get(f"/schedule?date={day}&cancelled=1")
    visits = VISIT.findall(dict(columns(body))["Priya Physio (PT, L.Ac.)"])
    assert [(v[0], v[4]) for v in visits] == [("cancelled", str(aid))], visits
    assert "Cancelled" in visits[0][5] and "Hide cancelled visits" in body
    _, _, week = k.desk.get(f"/schedule?date={day}&view=week")
    assert "Sam Steady" not in week and "Show cancelled visits (1)" in week


@own_server
def test_week_views_show_a_practitioners_days_and_everyones_visits():
    k = clinic()
    thu = clinic_day(2, 3)
    st, h, _ = desk_book(k.desk, LIN, clinic_time(thu, "15:00"), k.runners["Tess Weekly"], service="acupuncture")
    aid = booked_id(h)
    st, _, week = k.desk.get(f"/schedule?date={thu}&view=week")
    assert st == 200 and "Week of Monday" in week
    lin_row = re.search(r'<tr><th scope="row"><a [^>]*>Lin Wei \(L\.Ac\.\)</a>.*?</tr>', week, re.S).group(0)
    cells = re.findall(r"<td>(.*?)</td>", lin_row, re.S)
    assert len(cells) == 7 and f"/appointments/{aid}" in cells[3] and "15:00 Tess Weekly · Acupuncture" in cells[3]
    assert "Tess Weekly" not in "".join(cells[:3] + cells[4:])
    st, _, mine = k.desk.get(f"/schedule?date={thu}&view=week&practitioner={LIN}")
    cols = columns(mine)
    assert len(cols) == 7 and cols[0][0].startswith("Mon") and cols[3][0].startswith("Thu"), [n for n, _ in cols]
    visits = VISIT.findall(cols[3][1])
    # The week's rows go by the clock: 08:00 is the first, 15:00 the 29th.
    assert [(v[2], v[3], v[4]) for v in visits] == [("29", "3", str(aid))], visits
    assert '<option value="2" selected>' in mine


@own_server
def test_a_visit_with_a_practitioner_no_longer_active_keeps_its_column():
    k = clinic()
    day = clinic_day(5, 4)
    st, out, err = runcare("clinic", "practitioner", "add", "--name", "Rita Retiring (LMT)", "--disciplines",
                           "sports_massage", "--offers", "sports-massage", "--db", k.s.db)
    assert st == 0, err
    rita = int(re.search(r"(\d+)", out).group(1))
    st, _, err = runcare("clinic", "hours", "add", "--practitioner", str(rita), "--day", "fri", "--from", "09:00",
                         "--to", "12:00", "--db", k.s.db)
    assert st == 0, err
    st, h, _ = desk_book(k.desk, rita, clinic_time(day, "09:00"), k.runners["Sam Steady"], service="sports-massage")
    aid = booked_id(h)
    query(k.s.db, f"UPDATE practitioner SET active = 0 WHERE id = {rita} RETURNING id")
    _, _, body = k.desk.get(f"/schedule?date={day}")
    cols = dict(columns(body))
    assert f"/appointments/{aid}" in cols.get("Rita Retiring (LMT)", ""), list(cols)
    _, _, other = k.desk.get(f"/schedule?date={clinic_day(5, 3)}")
    assert not [n for n, _ in columns(other) if "Rita" in n], "only while a visit of theirs is shown"


# --- booking into a cell --------------------------------------------------------------------------------

@own_server
def test_booking_into_a_free_cell_finds_the_patient_and_keeps_what_was_typed():
    k = clinic()
    day = clinic_day(2, 1)
    _, _, grid = k.desk.get(f"/schedule?date={day}")
    cell = [(p, s) for _, p, s in FREE.findall(dict(columns(grid))["Pat Physio (PT)"])
            if int(s) == clinic_time(day, "11:15")]
    assert cell, "Pat's 11:15 is a free cell"
    body, hidden = book_form(k.desk, k.pat, cell[0][1])
    assert f'<option value="{k.pat}" selected>' in body and f'value="{day}T11:15"' in body
    assert 'name="q" type="search"' in body and "autofocus" in body
    form = {"practitioner": str(k.pat), "start": f"{day}T11:15", "service": "follow-up", "every": "0",
            "count": "6", "condition": "runners_butt", "reason": "left <sit> bone", "q": "phone", "do": "find",
            **hidden}
    # Find: the patients whose name or email match, nothing written.
    st, _, body = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 200 and f'name="runner" value="{k.runners["Rosa Phonecall"]}"' in body
    assert "Sam Steady" not in body and "left &lt;sit&gt; bone</textarea>" in body
    # Book without choosing: refused beside the patient, everything kept.
    form["do"] = "book"
    st, _, body = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 422 and 'id="e-runner"' in body and "Choose the patient" in body
    assert f'value="{day}T11:15"' in body and '<option value="runners_butt" selected>' in body
    assert "left &lt;sit&gt; bone</textarea>" in body and 'value="phone"' in body
    # A service Pat does not offer (from a stale form): refused beside the practitioner.
    form.update(runner=str(k.runners["Rosa Phonecall"]), service="acupuncture")
    st, _, body = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 422 and 'id="e-practitioner"' in body and "does not offer" in body
    assert count(k.s.db, f"practitioner_id = {k.pat} AND starts_at = {clinic_time(day, '11:15')}") == 0
    # Chosen and booked: back on the day's grid with the visit marked.
    form["service"] = "follow-up"
    st, h, _ = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 303 and h["location"].startswith(f"/schedule?date={day}&booked="), h
    aid = booked_id(h)
    assert query(k.s.db, f"SELECT runner_id || ' ' || practitioner_id || ' ' || starts_at || ' ' || status "
                         f"FROM appointment WHERE id = {aid}") == \
        f"{k.runners['Rosa Phonecall']} {k.pat} {clinic_time(day, '11:15')} booked"
    st, _, grid = k.desk.get(h["location"])
    assert "Booked: Rosa Phonecall, Follow-up visit" in grid
    assert re.search(rf'<a class="visit booked new r\d+ s2" href="/appointments/{aid}">', grid)
    # The same form again (a double click): one visit.
    st, h2, _ = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 303 and booked_id(h2) == aid
    # Another patient at a time now taken: refused beside the time, with what was typed.
    _, hidden = book_form(k.desk, k.pat, clinic_time(day, "11:15"))
    form.update(hidden, runner=str(k.runners["Sam Steady"]))
    st, _, body = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 409 and 'id="e-start"' in body and "already booked" in body
    assert f'value="{k.runners["Sam Steady"]}" checked' in body
    assert count(k.s.db, f"practitioner_id = {k.pat} AND starts_at = {clinic_time(day, '11:15')}") == 1


@own_server
def test_moving_a_visit_to_another_practitioner_and_refusing_a_taken_time():
    k = clinic()
    day = clinic_day(2, 2)
    st, h, _ = desk_book(k.desk, PRIYA, clinic_time(day, "09:00"), k.runners["Sam Steady"], service="acupuncture")
    aid = booked_id(h)
    st, h, _ = desk_book(k.desk, LIN, clinic_time(day, "14:00"), k.runners["Rosa Phonecall"], service="acupuncture")
    other = booked_id(h)
    # From the visit, the grid in move mode: each free cell moves it there.
    st, _, page = k.desk.get(f"/appointments/{aid}")
    assert f'href="/schedule/move/{aid}"' in page and f"move={aid}" in page
    st, _, grid = k.desk.get(f"/schedule?date={day}&move={aid}")
    assert "Moving Sam Steady" in grid
    cells = {(int(p), int(s)) for _, p, s in FREE.findall(grid)}
    assert (LIN, clinic_time(day, "15:00")) in cells
    assert f'href="/schedule/move/{aid}?practitioner={LIN}&amp;start={clinic_time(day, "15:00")}"' in grid
    st, _, confirm = k.desk.get(f"/schedule/move/{aid}?practitioner={LIN}&start={clinic_time(day, '15:00')}")
    assert st == 200 and f'<option value="{LIN}" selected>' in confirm and f'value="{day}T15:00"' in confirm
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', confirm).group(1)
    # Onto Lin's visit: refused with the reason, nothing moved.
    st, _, body = k.desk.request("POST", f"/schedule/move/{aid}", form={
        "csrf": csrf, "practitioner": str(LIN), "start": f"{day}T14:15"})
    assert st == 409 and "already booked" in body and 'id="e-start"' in body and f'value="{day}T14:15"' in body
    # To a practitioner who does not offer it: refused, beside the practitioner.
    st, _, body = k.desk.request("POST", f"/schedule/move/{aid}", form={
        "csrf": csrf, "practitioner": str(MARCO), "start": f"{day}T15:00"})
    assert st == 422 and "does not offer" in body and 'id="e-practitioner"' in body
    assert query(k.s.db, f"SELECT practitioner_id || ' ' || starts_at FROM appointment WHERE id = {aid}") == \
        f"{PRIYA} {clinic_time(day, '09:00')}"
    # To Lin at 15:00: moved, its quarter hours with it, and the day's grid shows it in Lin's column.
    st, h, _ = k.desk.request("POST", f"/schedule/move/{aid}", form={
        "csrf": csrf, "practitioner": str(LIN), "start": f"{day}T15:00"})
    assert st == 303 and h["location"] == f"/schedule?date={day}&moved={aid}", (st, h)
    assert query(k.s.db, f"SELECT practitioner_id || ' ' || starts_at FROM appointment WHERE id = {aid}") == \
        f"{LIN} {clinic_time(day, '15:00')}"
    assert query(k.s.db, f"SELECT COUNT(*) FROM appointment_unit WHERE appointment_id = {aid} "
                         f"AND practitioner_id = {LIN}") == "3"
    _, _, grid = k.desk.get(h["location"])
    cols = dict(columns(grid))
    assert f"/appointments/{aid}" in cols["Lin Wei (L.Ac.)"] and f"/appointments/{aid}" not in cols[
        "Priya Physio (PT, L.Ac.)"]
    assert "Moved: Sam Steady, Acupuncture" in grid
    assert other != aid and count(k.s.db, f"id = {other} AND status = 'booked'") == 1
    st, out, _ = runcare("audit", "--runner", "sam@example.org", "--db", k.s.db)
    assert "appointment.move" in out


# --- recurring visits -------------------------------------------------------------------------------------

def series_form(k, pid, start, runner, every, n, service="follow-up"):
    _, hidden = book_form(k.desk, pid, start)
    return {"practitioner": str(pid), "start": local(start), "runner": str(runner), "service": service,
            "every": str(every), "count": str(n), "condition": "other", "reason": "weekly rehab", "do": "book",
            **hidden}


@own_server
def test_a_recurring_series_names_its_conflicts_and_books_nothing_until_told():
    k = clinic()
    first = clinic_day(3, 0)  # a Monday
    tess = k.runners["Tess Weekly"]
    weeks = [(datetime.date.fromisoformat(first) + datetime.timedelta(weeks=i)).isoformat() for i in range(6)]
    # The third Monday at 10:00 is taken; the fifth, Priya is away.
    st, h, _ = desk_book(k.desk, PRIYA, clinic_time(weeks[2], "10:00"), k.runners["Sam Steady"])
    taken = booked_id(h)
    st, _, err = runcare("clinic", "time-off", "add", "--practitioner", str(PRIYA), "--from", f"{weeks[4]} 08:00",
                         "--to", f"{weeks[4]} 18:00", "--note", "course", "--db", k.s.db)
    assert st == 0, err
    before = count(k.s.db, "1 = 1")
    form = series_form(k, PRIYA, clinic_time(first, "10:00"), tess, 1, 40)
    st, _, body = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 422 and 'id="e-count"' in body and "from 2 to 26" in body and 'value="40"' in body
    form = series_form(k, PRIYA, clinic_time(first, "10:00"), tess, 1, 6)
    st, _, body = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 409 and "Some dates cannot be booked" in body, (st, body[-1500:])
    rows = re.findall(r'<tr( class="conflict")?><td><time datetime="([^"]+)">[^<]*</time></td><td>([^<]*)</td></tr>',
                      body)
    assert len(rows) == 6, rows
    assert [r[0] != "" for r in rows] == [False, False, True, False, True, False], rows
    assert rows[2][1].startswith(weeks[2] + "T10:00") and "already booked" in rows[2][2]
    assert rows[4][1].startswith(weeks[4] + "T10:00") and "away" in rows[4][2]
    assert "2 of the 6 dates cannot be booked" in body and "nothing was booked" in body
    assert count(k.s.db, "1 = 1") == before and query(k.s.db, "SELECT COUNT(*) FROM appointment_series") == "0", \
        "nothing is written before the person decides"
    assert f'name="skip" value="{weeks[2]},{weeks[4]}"' in body
    assert "Book the other 4 dates, without those named" in body
    # Change the series: the form again, as typed, with the patient still chosen.
    change = dict(form, do="find", skip=f"{weeks[2]},{weeks[4]}")
    st, _, again = k.desk.request("POST", "/schedule/book", form=change)
    assert st == 200 and f'value="{tess}" checked' in again and '<option value="1" selected>Every week' in again
    # Booking the others: four visits, one series, in one go.
    form["skip"] = f"{weeks[2]},{weeks[4]}"
    st, h, _ = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 303 and re.match(r"/schedule/series/\d+\?booked=4$", h["location"]), (st, h)
    sid = re.search(r"/series/(\d+)", h["location"]).group(1)
    starts = query(k.s.db, f"SELECT string_agg(CAST(starts_at AS TEXT), ',') FROM appointment WHERE series_id = {sid}"
                   if k.s.db.startswith("postgresql") else
                   f"SELECT group_concat(starts_at, ',') FROM appointment WHERE series_id = {sid}")
    assert sorted(int(x) for x in starts.split(",")) == [clinic_time(weeks[i], "10:00") for i in (0, 1, 3, 5)]
    assert count(k.s.db, f"series_id = {sid} AND runner_id = {tess} AND practitioner_id = {PRIYA}") == 4
    assert count(k.s.db, f"id = {taken} AND series_id IS NULL") == 1
    assert query(k.s.db, f"SELECT every_weeks || ' ' || occurrences FROM appointment_series WHERE id = {sid}") == "1 6"
    # The same form a second time (a double click): the same series, nothing more.
    st, h2, _ = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 303 and f"/schedule/series/{sid}" in h2["location"]
    assert count(k.s.db, f"series_id IS NOT NULL AND runner_id = {tess}") == 4


@own_server
def test_a_series_is_shown_and_cancelled_whole_or_one_visit_at_a_time():
    k = clinic()
    first = clinic_day(3, 2)  # a Wednesday
    form = series_form(k, k.pat, clinic_time(first, "16:00"), k.runners["Sam Steady"], 2, 3)
    st, h, _ = k.desk.request("POST", "/schedule/book", form=form)
    assert st == 303, st
    sid = re.search(r"/series/(\d+)", h["location"]).group(1)
    ids = [int(x) for x in re.findall(r'href="/appointments/(\d+)"', k.desk.get(h["location"])[2])]
    assert len(ids) == 3
    # Every two weeks, at the same clinic time.
    days = [(datetime.date.fromisoformat(first) + datetime.timedelta(weeks=2 * i)).isoformat() for i in range(3)]
    for i, aid in enumerate(ids):
        assert query(k.s.db, f"SELECT starts_at FROM appointment WHERE id = {aid}") == str(clinic_time(days[i], "16:00"))
    st, _, page = k.desk.get(f"/appointments/{ids[1]}")
    assert f'href="/schedule/series/{sid}"' in page
    _, _, grid = k.desk.get(f"/schedule?date={days[1]}")
    assert "(recurring)" in dict(columns(grid))["Pat Physio (PT)"]
    # One visit at a time: from its own page.
    st, _, body = k.desk.post(f"/appointments/{ids[1]}/cancel", {}, csrf_from=f"/appointments/{ids[1]}")
    assert st == 200 and "Cancelled" in body
    st, _, page = k.desk.get(f"/schedule/series/{sid}")
    assert st == 200 and "Cancel the 2 visits still to come" in page and page.count("cancelled") >= 1
    # The rest at once.
    st, _, page = k.desk.post(f"/schedule/series/{sid}/cancel", {}, csrf_from=f"/schedule/series/{sid}")
    assert st == 200 and "Cancelled 2 visits" in page
    assert count(k.s.db, f"series_id = {sid} AND status = 'cancelled'") == 3
    assert query(k.s.db, f"SELECT COUNT(*) FROM appointment_unit u JOIN appointment a ON a.id = u.appointment_id "
                         f"WHERE a.series_id = {sid}") == "0"
    st, _, page = k.desk.post(f"/schedule/series/{sid}/cancel", {}, csrf_from=f"/schedule/series/{sid}")
    assert st == 200 and "Nothing was left to cancel" in page
    # A runner does not reach the series pages.
    runner = Client(k.s).sign_in("sam@example.org", "runner pass sam steady")
    assert runner.get(f"/schedule/series/{sid}")[0] == 403
    assert runner.get(f"/schedule/book?practitioner={k.pat}&start={clinic_time(first, '16:00')}")[0] == 403


# --- arrival, no-show, undo on the clinic's day --------------------------------------------------------

def weekday_pair():
    """A clinic date D at least two days away such that D, D+1 and D+2 are Monday to Friday."""
    d = datetime.date.fromisoformat(clinic_day(0, 0)) + datetime.timedelta(days=7)  # a Monday, a week away
    return d


def clocked(db, date, hhmm):
    at = datetime.datetime.fromtimestamp(clinic_time(date.isoformat(), hhmm), datetime.timezone.utc)
    return Server(db=db, env={"RUNCARE_CLOCK": at.isoformat().replace("+00:00", "Z")})


def mark(c, aid, what):
    return c.post(f"/appointments/{aid}/{what}", {}, csrf_from=f"/appointments/{aid}")


@own_server
def test_arrival_no_show_and_undo_keep_to_the_clinic_day():
    monday = weekday_pair()
    tuesday, wednesday = monday + datetime.timedelta(days=1), monday + datetime.timedelta(days=2)
    s1 = clocked(None, monday, "23:00")
    servers = [s1]
    try:
        add_user(s1, "front_desk", "night@example.org", DESK_PW, "Nick Night")
        rid = add_user(s1, "runner", "early.late@example.org", "runner early late 1", "Eli Early")
        # Tuesday: Priya also works from midnight, so a visit can start at 00:30.
        st, _, err = runcare("clinic", "hours", "add", "--practitioner", str(PRIYA), "--day", "tue", "--from", "00:00",
                             "--to", "08:00", "--outside-opening-hours", "--db", s1.db)
        assert st == 0, err
        desk = Client(s1).sign_in("night@example.org", DESK_PW)
        st, h, body = desk_book(desk, PRIYA, clinic_time(tuesday.isoformat(), "00:30"), rid)
        assert st == 303, body[-800:]
        night = booked_id(h)
        st, h, _ = desk_book(desk, PRIYA, clinic_time(tuesday.isoformat(), "10:00"), rid)
        day = booked_id(h)
        # Monday 23:00, 90 minutes before the 00:30 visit: it is not its day yet.
        st, _, body = mark(desk, night, "arrived")
        assert st == 409 and "on its day" in body, (st, body[-800:])
        st, _, body = mark(desk, day, "no-show")
        assert st == 409 and "only once its time has come" in body
        s1.stop()
        # Tuesday 10:30: the day visit has begun; the night one is over.
        s2 = clocked(s1.db, tuesday, "10:30")
        servers.append(s2)
        desk = Client(s2).sign_in("night@example.org", DESK_PW)
        st, _, body = mark(desk, day, "arrived")
        assert st == 200 and "Undo arrived" in body
        st, _, body = mark(desk, day, "undo")
        assert st == 200 and "booked again" in body
        st, _, body = mark(desk, day, "arrived")
        assert st == 200
        st, _, body = mark(desk, night, "no-show")
        assert st == 200 and "Undo no-show" in body
        assert query(s2.db, f"SELECT status FROM appointment WHERE id = {night}") == "no_show"
        s2.stop()
        # Wednesday: yesterday's marks stand; the page says why there is no undo.
        s3 = clocked(s1.db, wednesday, "09:00")
        servers.append(s3)
        desk = Client(s3).sign_in("night@example.org", DESK_PW)
        for aid, status in ((day, "arrived"), (night, "no_show")):
            st, _, body = mark(desk, aid, "undo")
            assert st == 409 and "only on the day it was made" in body, (st, body[-800:])
            assert query(s3.db, f"SELECT status FROM appointment WHERE id = {aid}") == status
            st, _, page = desk.get(f"/appointments/{aid}")
            assert "Undo" not in page and "only on the day it was made" in page
        st, _, body = mark(desk, day, "arrived")
        assert st == 409
        # The audit log keeps each mark and each undo.
        st, out, _ = runcare("audit", "--runner", "early.late@example.org", "--db", s3.db)
        lines = [l for l in out.splitlines() if "appointment." in l]
        assert sum("appointment.arrived" in l for l in lines) == 2, out
        assert sum("appointment.unmark" in l for l in lines) == 1, out
        assert sum("appointment.no_show" in l for l in lines) == 1, out
    finally:
        for s in reversed(servers):
            s.stop()
        for s in servers:
            s.close()


# --- the days the clocks change ---------------------------------------------------------------------------

def next_change(direction):
    """The next clinic date on which the clocks go back (direction 1: 25 hours) or forward (-1: 23 hours)."""
    d = clinic_now().date() + datetime.timedelta(days=1)
    for _ in range(400):
        a = datetime.datetime(d.year, d.month, d.day, tzinfo=CLINIC_TZ)
        n = d + datetime.timedelta(days=1)
        b = datetime.datetime(n.year, n.month, n.day, tzinfo=CLINIC_TZ)
        hours = (b.timestamp() - a.timestamp()) / 3600
        if hours == 24 + direction:
            return d
        d = n
    raise AssertionError("no daylight-saving change within a year")


@own_server
def test_the_grid_on_the_days_the_clocks_change():
    s = Server()
    try:
        add_user(s, "front_desk", "dst@example.org", DESK_PW, "Dee Dst")
        # Priya works the whole of Sunday, so every quarter hour of those days is on the grid.
        st, _, err = runcare("clinic", "hours", "add", "--practitioner", str(PRIYA), "--day", "sun", "--from", "00:00",
                             "--to", "23:45", "--outside-opening-hours", "--db", s.db)
        assert st == 0, err
        desk = Client(s).sign_in("dst@example.org", DESK_PW)
        for direction, quarters in ((1, 100), (-1, 92)):
            day = next_change(direction).isoformat()
            st, _, body = desk.get(f"/schedule?date={day}&practitioner={PRIYA}")
            assert st == 200
            hours = re.findall(r'<div class="t r(\d+)">(\d\d:00)</div>', body)
            labels = [h for _, h in hours]
            col = columns(body)[0][1]
            cells = re.findall(r'class="cell [a-z]+ r(\d+)"', col)
            assert len(cells) == quarters, (day, len(cells))
            if direction == 1:
                assert labels[:4] == ["00:00", "01:00", "01:00", "02:00"], labels  # the hour that comes twice
            else:
                assert labels[:4] == ["00:00", "01:00", "03:00", "04:00"], labels  # the hour that never comes
            # The row of 10:00 is where the clock says 10:00, and its cell starts at that instant.
            row = dict((h, r) for r, h in hours)["10:00"]
            starts = re.findall(rf'class="cell [a-z]+ r{row}"(?: href="/schedule/book\?practitioner=\d+&amp;start=(\d+)")?',
                                col)
            assert starts and (starts[0] == "" or int(starts[0]) == clinic_time(day, "10:00")), (day, starts)
    finally:
        s.stop()
        s.close()


@own_server
def test_a_weekly_series_keeps_its_clock_time_across_the_clock_change():
    # Ten days before the clocks go forward: a weekly series at 10:00 is at 10:00 on both sides of it.
    change = next_change(-1)
    before = change - datetime.timedelta(days=6)  # the Monday before that Sunday
    after = before + datetime.timedelta(weeks=1)
    s = clocked(None, change - datetime.timedelta(days=10), "10:00")
    try:
        add_user(s, "front_desk", "dst.series@example.org", DESK_PW, "Dee Series")
        rid = add_user(s, "runner", "weekly.dst@example.org", "weekly dst runner 1", "Wes Weekly")
        desk = Client(s).sign_in("dst.series@example.org", DESK_PW)
        start = clinic_time(before.isoformat(), "10:00")
        _, hidden = book_form(desk, PRIYA, start)
        form = {"practitioner": str(PRIYA), "start": local(start), "runner": str(rid), "service": "follow-up",
                "every": "1", "count": "2", "condition": "other", "reason": "", "do": "book", **hidden}
        st, h, body = desk.request("POST", "/schedule/book", form=form)
        assert st == 303, (st, body[-800:])
        starts = sorted(int(query(s.db, f"SELECT starts_at FROM appointment WHERE runner_id = {rid} "
                                        f"ORDER BY starts_at LIMIT 1 OFFSET {i}")) for i in range(2))
        assert starts == [start, clinic_time(after.isoformat(), "10:00")], starts
        assert starts[1] - starts[0] == 7 * 86400 - 3600, "a week less the hour the clocks skip"
    finally:
        s.stop()
        s.close()
