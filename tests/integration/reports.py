"""reports.py — the clinic's reports: a seeded history of two weeks, every figure asserted exactly on the
page and in the CSV downloads (the same on SQLite and PostgreSQL), CSV quoting and formula injection, the
date range, and who may see them."""
import csv
import datetime
import html
import io
import re

from harness import Client, Server, add_user, clinic_now, clinic_time, clock_free, own_server, query

HOUR = 3600


def monday_weeks_ago(n):
    today = clinic_now().date()
    return today - datetime.timedelta(days=today.weekday() + 7 * n)


def at(day, hhmm):
    return clinic_time(day.isoformat(), hhmm)


def insert(url, sql):
    return query(url, sql + " RETURNING id")


class History:
    """Two weeks of a small clinic, from Monday W (ten weeks ago), written as the clinic would have it.

    Ana works Monday and Wednesday 09:00–12:00; "=Bad, Name" (a name a spreadsheet would run, with a
    comma) Tuesday 13:00–17:00. Ana is away 10:00–11:00 on the first Wednesday and opens 10:00–12:00 on
    the second Saturday. Open minutes: Ana 300 then 480, Bad 240 and 240."""

    def __init__(self, s):
        self.s = s
        url = s.db
        self.w = w = monday_weeks_ago(10)
        d = lambda n: w + datetime.timedelta(days=n)  # noqa: E731
        self.ana = insert(url, "INSERT INTO practitioner (name, disciplines) VALUES ('Ana Acu', 'acupuncture')")
        self.bad = insert(url, "INSERT INTO practitioner (name, disciplines) VALUES ('=Bad, Name', 'sports_massage')")
        self.s1 = insert(url, "INSERT INTO service (key, name, minutes, price_cents, discipline) "
                              "VALUES ('rep-follow', 'Follow-up', 30, 8000, 'acupuncture')")
        self.s2 = insert(url, "INSERT INTO service (key, name, minutes, price_cents, discipline) "
                              "VALUES ('rep-massage', 'Massage \"deep\"', 60, 12000, 'sports_massage')")
        for pid, wd, a, b in [(self.ana, 0, 540, 720), (self.ana, 2, 540, 720), (self.bad, 1, 780, 1020)]:
            insert(url, f"INSERT INTO working_hours (practitioner_id, weekday, start_minute, end_minute) "
                        f"VALUES ({pid}, {wd}, {a}, {b})")
        insert(url, "INSERT INTO schedule_exception (practitioner_id, kind, starts_at, ends_at, note) VALUES "
                    f"({self.ana}, 'time_off', {at(d(2), '10:00')}, {at(d(2), '11:00')}, 'dentist')")
        insert(url, "INSERT INTO schedule_exception (practitioner_id, kind, starts_at, ends_at, note) VALUES "
                    f"({self.ana}, 'extra_hours', {at(d(12), '10:00')}, {at(d(12), '12:00')}, 'wave')")
        self.r = {}
        for k in range(1, 5):
            self.r[k] = insert(url, "INSERT INTO account (email, name, role, created_at, password_changed_at) VALUES "
                                    f"('r{k}@example.org', 'Runner {k}', 'runner', 0, 0)")
        # (runner, practitioner, service, day, start, minutes, status, cancelled hours before start)
        rows = [
            (1, self.ana, self.s1, 0, "09:00", 30, "arrived", None),     # 1: R1's first visit
            (2, self.ana, self.s1, 0, "09:30", 30, "booked", None),      # 2: R2's first visit
            (3, self.bad, self.s2, 1, "13:00", 60, "no_show", None),     # 3: missed
            (1, self.bad, self.s2, 1, "14:00", 60, "cancelled", 2),      # 4: cancelled late
            (2, self.ana, self.s1, 2, "09:00", 30, "cancelled", 72),     # 5: cancelled in time
            (3, self.ana, self.s2, 7, "09:00", 60, "arrived", None),     # 6: R3's first visit
            (4, self.bad, self.s1, 8, "13:00", 30, "arrived", None),     # 7: R4 came before the range
            (1, self.ana, self.s2, 12, "10:00", 60, "booked", None),     # 8: in the extra hours
            (4, self.bad, self.s1, -13, "13:00", 30, "arrived", None),   # 9: before the range
        ]
        self.appt = []
        for runner, pid, sid, day, hhmm, minutes, status, cancelled in rows:
            start = at(d(day), hhmm)
            cancelled_at = "NULL" if cancelled is None else str(start - cancelled * HOUR)
            self.appt.append(insert(url, "INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, "
                                         "ends_at, status, reason, created_at, cancelled_at) VALUES "
                                         f"({self.r[runner]}, {pid}, {sid}, {start}, {start + minutes * 60}, "
                                         f"'{status}', '', {start - 7 * 86400}, {cancelled_at})"))
        # The waitlist: (runner, joined, offer status, the visit it booked, booked at)
        waits = [
            (2, at(d(0), "08:00"), "accepted", 5, at(d(1), "10:00")),   # 26 h, taken in week 1
            (3, at(d(2), "12:00"), "accepted", 6, at(d(7), "12:00")),   # 120 h, taken in week 2
            (4, at(d(3), "09:00"), "accepted", 7, at(d(3), "11:00")),   # 2 h, taken in week 1
            (1, at(d(7), "08:00"), "declined", None, None),             # still waiting
        ]
        for runner, joined, status, appt, booked in waits:
            entry = insert(url, "INSERT INTO waitlist (runner_id, service_id, window_start, window_end, urgency, "
                                "status, created_at, appointment_id) VALUES "
                                f"({self.r[runner]}, {self.s1}, {joined}, {joined + 14 * 86400}, 'soon', "
                                f"'{'booked' if appt else 'waiting'}', {joined}, "
                                f"{self.appt[appt] if appt else 'NULL'})")
            insert(url, "INSERT INTO waitlist_offer (waitlist_id, practitioner_id, starts_at, created_at, expires_at, "
                        f"status) VALUES ({entry}, {self.ana}, {joined + 86400}, {joined + 3600}, "
                        f"{joined + 3 * 3600}, '{status}')")
            if appt:
                query(url, f"UPDATE appointment SET created_at = {booked} WHERE id = {self.appt[appt]} RETURNING id")
        self.range = f"?from={w.isoformat()}&to={d(13).isoformat()}"
        self.week1, self.week2 = w.isoformat(), d(7).isoformat()


def admin(s):
    add_user(s, "admin", "boss@example.org", "the boss pass 1234")
    return Client(s).sign_in("boss@example.org", "the boss pass 1234")


def download(c, name, args):
    st, h, body = c.get(f"/reports/{name}.csv{args}")
    assert st == 200, (st, body[:300])
    assert h["content-type"].startswith("text/csv; charset=utf-8"), h
    assert h["content-disposition"].startswith(f'attachment; filename="runcare-{name}-'), h
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", ""), "RFC 4180: CRLF line ends"
    return list(csv.reader(io.StringIO(body, newline="")))


def table(body, caption):
    """A page table's rows (header first) as lists of cell texts."""
    m = re.search(r"<caption>" + re.escape(caption) + r"</caption>(.*?)</table>", body, re.S)
    assert m, f"no table {caption!r}"
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


@own_server
def test_reports_compute_the_seeded_history_exactly():
    s = Server(demo=False)
    try:
        h = History(s)
        adm = admin(s)
        st, _, body = adm.get("/reports" + h.range)
        assert st == 200, body[:500]
        w1, w2 = h.week1, h.week2
        # Visits: booked or arrived, by practitioner and by service, per week.
        assert table(body, "Visits by practitioner") == [
            ["Week starting", "Ana Acu", "=Bad, Name", "Total"], [w1, "2", "0", "2"], [w2, "2", "1", "3"],
            ["Total", "4", "1", "5"]], table(body, "Visits by practitioner")
        assert table(body, "Visits by service") == [
            ["Week starting", "Follow-up", 'Massage "deep"', "Total"], [w1, "2", "0", "2"], [w2, "1", "2", "3"],
            ["Total", "3", "2", "5"]]
        # Utilisation: booked over open minutes.
        assert table(body, "Booked over open minutes, by practitioner and week") == [
            ["Week starting", "Ana Acu", "=Bad, Name", "All practitioners"],
            [w1, "20.0% (60/300 min)", "25.0% (60/240 min)", "22.2% (120/540 min)"],
            [w2, "25.0% (120/480 min)", "12.5% (30/240 min)", "20.8% (150/720 min)"]]
        assert "21.4% in all (270 of 1260 minutes)" in body
        # No-shows and late cancellations, of every visit booked for the week.
        assert table(body, "No-shows and late cancellations per week") == [
            ["Week starting", "Booked", "No-shows", "No-show rate", "Cancelled", "Late cancellations",
             "Late-cancel rate"],
            [w1, "5", "1", "20.0%", "2", "1", "20.0%"], [w2, "3", "0", "0.0%", "0", "0", "0.0%"],
            ["Total", "8", "1", "12.5%", "2", "1", "12.5%"]]
        # New patients: first visit ever (R4 came before the range; a missed visit is not a first).
        assert table(body, "New patients per week") == [["Week starting", "New patients"], [w1, "2"], [w2, "1"],
                                                        ["Total", "3"]]
        # The waitlist: joined, offers taken, median and 90th percentile wait in hours.
        assert table(body, "The waitlist per week") == [
            ["Week starting", "Joined", "Offers taken", "Median wait (hours)", "90th percentile wait (hours)"],
            [w1, "3", "2", "14.0", "26.0"], [w2, "1", "1", "120.0", "120.0"], ["Total", "4", "3", "26.0", "120.0"]]
        # Each chart has a title and a description, and names its numbers.
        for chart in ["chart-visits", "chart-utilisation", "chart-attendance", "chart-new", "chart-waitlist"]:
            assert f'aria-labelledby="{chart}-t" aria-describedby="{chart}-d"' in body, chart
        assert "5 visits in all; the tables below" in body
        # By day: the same visits on the days they fell.
        st, _, body = adm.get("/reports" + h.range + "&by=day")
        rows = table(body, "Visits by practitioner")
        assert rows[0][0] == "Day" and len(rows) == 1 + 14 + 1
        counts = {r[0]: r[-1] for r in rows[1:-1] if r[-1] != "0"}
        w = h.w
        assert counts == {w.isoformat(): "2", (w + datetime.timedelta(days=7)).isoformat(): "1",
                          (w + datetime.timedelta(days=8)).isoformat(): "1",
                          (w + datetime.timedelta(days=12)).isoformat(): "1"}, counts
    finally:
        s.stop()
        s.close()


@own_server
def test_csv_downloads_say_what_the_page_says():
    s = Server(demo=False)
    try:
        h = History(s)
        adm = admin(s)
        w1, w2 = h.week1, h.week2
        rows = download(adm, "visits-by-practitioner", h.range)
        # A name that starts with = is defused with a ' (and quoted: it holds a comma).
        assert rows == [["Week starting", "Ana Acu", "'=Bad, Name", "Total"], [w1, "2", "0", "2"], [w2, "2", "1", "3"],
                        ["Total", "4", "1", "5"]], rows
        st, _, raw = adm.get("/reports/visits-by-practitioner.csv" + h.range)
        assert raw.startswith('Week starting,Ana Acu,"\'=Bad, Name",Total\r\n'), raw[:80]
        rows = download(adm, "visits-by-service", h.range)
        assert rows[0] == ["Week starting", "Follow-up", 'Massage "deep"', "Total"]
        st, _, raw = adm.get("/reports/visits-by-service.csv" + h.range)
        assert '"Massage ""deep"""' in raw
        assert download(adm, "utilisation", h.range) == [
            ["Week starting", "Practitioner", "Booked minutes", "Open minutes", "Utilisation %"],
            [w1, "Ana Acu", "60", "300", "20.0"], [w1, "'=Bad, Name", "60", "240", "25.0"],
            [w1, "All practitioners", "120", "540", "22.2"],
            [w2, "Ana Acu", "120", "480", "25.0"], [w2, "'=Bad, Name", "30", "240", "12.5"],
            [w2, "All practitioners", "150", "720", "20.8"],
            ["Total", "All practitioners", "270", "1260", "21.4"]]
        assert download(adm, "attendance", h.range) == [
            ["Week starting", "Booked", "No-shows", "No-show rate %", "Cancelled", "Late cancellations",
             "Late-cancel rate %"],
            [w1, "5", "1", "20.0", "2", "1", "20.0"], [w2, "3", "0", "0.0", "0", "0", "0.0"],
            ["Total", "8", "1", "12.5", "2", "1", "12.5"]]
        assert download(adm, "new-patients", h.range) == [["Week starting", "New patients"], [w1, "2"], [w2, "1"],
                                                          ["Total", "3"]]
        assert download(adm, "waitlist", h.range) == [
            ["Week starting", "Joined", "Offers taken", "Median wait (hours)", "90th percentile wait (hours)"],
            [w1, "3", "2", "14.0", "26.0"], [w2, "1", "1", "120.0", "120.0"], ["Total", "4", "3", "26.0", "120.0"]]
        # The page links each download with the same range.
        st, _, body = adm.get("/reports" + h.range)
        assert html.escape("/reports/waitlist.csv" + h.range + "&by=week") in body
        assert adm.get("/reports/secrets.csv" + h.range)[0] == 404
    finally:
        s.stop()
        s.close()


@own_server
def test_the_range_defaults_to_eight_weeks_and_bad_ranges_are_refused():
    s = Server(demo=False)
    try:
        adm = admin(s)
        today = clinic_now().date()
        st, _, body = adm.get("/reports")
        assert st == 200
        first = monday_weeks_ago(7)
        assert f'name="from" value="{first.isoformat()}"' in body and f'name="to" value="{today.isoformat()}"' in body
        rows = table(body, "New patients per week")
        assert len(rows) == 1 + 8 + 1 and rows[1][0] == first.isoformat(), rows
        # To before from: the form again, what was typed kept, the error beside 'To'.
        st, _, body = adm.get(f"/reports?from={today.isoformat()}&to=2001-01-01")
        assert st == 422 and 'id="e-to"' in body and 'value="2001-01-01"' in body
        assert "'To' must be on or after 'From'." in html.unescape(body)
        st, _, body = adm.get("/reports?from=2001-01-01&to=2002-06-01")
        assert st == 422 and 'id="e-from"' in body and "at most 366 days" in body
        st, _, body = adm.get("/reports?from=yesterday")
        assert st == 422 and 'value="yesterday"' in body and "Write the first day as YYYY-MM-DD" in body
        st, _, body = adm.get("/reports/attendance.csv?from=2001-01-01&to=2000-01-01")
        assert st == 422
    finally:
        s.stop()
        s.close()


@own_server
@clock_free
def test_reports_are_for_administrators_only():
    s = Server()
    try:
        adm = admin(s)
        add_user(s, "front_desk", "desk@example.org", "front desk pass 42")
        add_user(s, "practitioner", "pat@example.org", "needles and pins 22")
        add_user(s, "runner", "run@example.org", "runner pass word 1")
        desk = Client(s).sign_in("desk@example.org", "front desk pass 42")
        pat = Client(s).sign_in("pat@example.org", "needles and pins 22")
        run = Client(s).sign_in("run@example.org", "runner pass word 1")
        for c in (desk, pat, run):
            assert c.get("/reports")[0] == 403
            assert c.get("/reports/attendance.csv")[0] == 403
            assert 'href="/reports"' not in c.get("/account")[2]
        assert desk.get("/wave")[0] == 200, "the front desk has the wave"
        assert run.get("/wave")[0] == 403
        st, h, _ = Client(s).get("/reports")
        assert st == 303 and h["location"].startswith("/signin")
        st, _, body = adm.get("/reports")
        assert st == 200 and 'aria-current="page">Reports' in body
    finally:
        s.stop()
        s.close()
