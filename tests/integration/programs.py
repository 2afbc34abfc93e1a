"""programs.py — home programs end to end: from a self-check result to the program, logging sessions
and the diary (bad input refused, nothing half-written; corrections keep the earlier version), the
pain-monitoring decision moving the stage on and back, a practitioner adjusting it, access, the
printable sheet, the PSFS, and the program's sessions in the private calendar feed."""
import datetime
import html
import json
import re

from harness import Client, Server, add_user, clinic_now, own_server, query


def prescribed(body):
    return int(re.search(r'<input[^>]*name="done"[^>]*value="(\d+)"', body).group(1))


def days_ago(n):
    """The clinic's day n days ago (the runner's 'today' is the clinic's, not the machine's)."""
    return (clinic_now().date() - datetime.timedelta(days=n)).isoformat()


def log(c, done, pain, day=None):
    form = {"done": str(done), "pain": str(pain)}
    if day:
        form["day"] = day
    return c.post("/today/log", form, csrf_from="/today")


@own_server
def test_self_check_to_program_log_progress_and_adjust():
    from mail import parse_ics
    from selfcheck import step
    s = Server()
    try:
        rid = add_user(s, "runner", "rita@example.org", "rita runs far 123")
        add_user(s, "runner", "otto@example.org", "otto runs too 123")
        add_user(s, "practitioner", "phy@example.org", "physio pass 12345")
        c = Client(s).sign_in("rita@example.org", "rita runs far 123")
        st, _, body = step(c, {"region": "buttock_sit_bone", "onset": "gradual", "pain_with_sitting": "yes",
                               "pain_with_running_uphill": "yes", "step": "2"}, "result")
        assert st == 200 and "Start this home program" in body, body[-2500:]
        key = re.search(r'name="program" value="([a-z_]+)"', body).group(1)
        assert key == "pht"
        st, h, _ = c.post("/programs/start", {"program": key}, csrf_from="/today")
        assert st == 303 and h["location"] == "/today"
        st, _, body = c.get("/today")
        assert st == 200 and "stage 1 of 4" in body and "0 of 2 sessions done today" in body, body[:3000]
        assert "High hamstring stretch" not in body, "the clinic's stretch waits for stage 3"
        n = prescribed(body)
        drawing = re.search(r'src="(/exercises/[a-z_]+\.svg)"', body)
        if drawing:
            st, h, svg = Client(s).get(drawing.group(1))
            assert st == 200 and h["content-type"] == "image/svg+xml" and svg.startswith("<svg")
        # Bad input: a clear message naming the field; nothing stored.
        for form, words in [({"done": str(n), "pain": "11"}, "'Pain during'"),
                            ({"done": "-1", "pain": "2"}, "'Repetitions and holds done'"),
                            ({"done": str(n * 10), "pain": "2"}, "'Repetitions and holds done'"),
                            ({"done": str(n), "pain": "2", "day": days_ago(-2)}, "cannot be in the future"),
                            ({"done": str(n), "pain": "2", "day": "someday"}, "'Day'"),
                            ({"done": "0", "pain": "2"}, "with none done is not logged"),
                            ({"done": str(n), "pain": "2", "day": days_ago(3)}, "before this program began")]:
            st, _, body = c.post("/today/log", form, csrf_from="/today")
            assert st == 422 and words in html.unescape(body), (form, st, body[:200])
        assert query(s.db, "SELECT COUNT(*) FROM exercise_log") == "0"
        # A week of calm sessions and mornings: the logs say move on.
        query(s.db, f"UPDATE program_assignment SET started_at = started_at - 8 * 86400, "
                    f"stage_started_at = stage_started_at - 8 * 86400 WHERE runner_id = {rid} RETURNING id")
        for d in range(7, 0, -1):
            assert log(c, n, 2, days_ago(d))[0] == 303
            st, _, _ = c.post("/diary", {"day": days_ago(d), "pain_rest": "2", "pain_sitting": "3", "pain_running": "",
                                         "minutes_run": "0", "notes": ""}, csrf_from="/diary")
            assert st == 303
        st, _, body = c.get("/today")
        assert "What your logs say: progress" in body and "ready for stage 2" in body, body[:4000]
        assert "Silbernagel" in body
        st, h, _ = c.post("/today/stage", {"direction": "up"}, csrf_from="/today")
        assert st == 303
        st, _, body = c.get("/today")
        assert "stage 2 of 4" in body
        n = prescribed(body)
        st, _, _ = c.post("/today/stage", {"direction": "up"}, csrf_from="/today")
        assert st == 409, "no progress without the logs for it"
        # Too much pain: step back.
        st, _, body = log(c, n, 7)
        assert st == 303, (st, n, re.findall(r'class="alert[^>]*>([^<]+)', body), body[-1500:])
        st, _, body = c.get("/today")
        assert "What your logs say: step back" in body and "7/10" in body and "Go back to stage 1" in body
        assert "1 of" in body
        # A correction keeps the earlier version.
        last = query(s.db, f"SELECT MAX(id) FROM exercise_log WHERE runner_id = {rid}")
        st, _, _ = c.post("/today/log", {"done": str(n), "pain": "3", "replaces": last}, csrf_from="/today")
        assert st == 303
        assert query(s.db, f"SELECT pain_during FROM exercise_log WHERE id = {last}") == "7"
        assert query(s.db, f"SELECT superseded_by IS NOT NULL FROM exercise_log WHERE id = {last}") in ("1", "t", "True")
        st, _, body = c.get("/today")
        assert "step back" not in body.split("What your logs say: ")[1][:20]
        other = Client(s).sign_in("otto@example.org", "otto runs too 123")
        # Otto has a program of his own, so only the ownership of the log can refuse him.
        assert other.post("/programs/start", {"program": "pht"}, csrf_from="/today")[0] == 303
        n_logs = query(s.db, "SELECT COUNT(*) FROM exercise_log")
        st, _, _ = other.post("/today/log", {"done": "1", "pain": "1", "replaces": last}, csrf_from="/today")
        assert st == 404, "nobody corrects another runner's log"
        assert query(s.db, "SELECT COUNT(*) FROM exercise_log") == n_logs, "and nothing is half-written"
        # Diary: bad input named; a correction keeps the earlier entry.
        st, _, body = c.post("/diary", {"day": days_ago(0), "pain_rest": "12", "pain_sitting": "1", "minutes_run": "0"},
                             csrf_from="/diary")
        assert st == 422 and "'Pain at rest'" in html.unescape(body)
        entry = query(s.db, f"SELECT MAX(id) FROM diary_entry WHERE runner_id = {rid}")
        st, _, body = c.get(f"/diary?edit={entry}")
        assert 'name="replaces" value="' + entry + '"' in body
        st, _, _ = c.post("/diary", {"day": days_ago(1), "pain_rest": "1", "pain_sitting": "2", "pain_running": "",
                                     "minutes_run": "20", "notes": "felt <better>", "replaces": entry},
                          csrf_from="/diary")
        assert st == 303
        assert query(s.db, f"SELECT COUNT(*) FROM diary_entry WHERE runner_id = {rid}") == "8"
        st, _, body = c.get("/diary")
        assert "felt &lt;better&gt;" in body
        # A second entry for the same day corrects the first: one current entry a day, both versions kept.
        st, _, _ = c.post("/diary", {"day": days_ago(1), "pain_rest": "0", "pain_sitting": "1", "pain_running": "",
                                     "minutes_run": "0", "notes": "second thoughts"}, csrf_from="/diary")
        assert st == 303
        assert query(s.db, f"SELECT COUNT(*) FROM diary_entry WHERE runner_id = {rid} AND day = '{days_ago(1)}' "
                           "AND superseded_by IS NULL") == "1"
        assert query(s.db, f"SELECT COUNT(*) FROM diary_entry WHERE runner_id = {rid}") == "9"
        # PSFS.
        st, _, body = c.post("/diary/psfs", {"activity1": "Sitting through a film", "score1": "11"}, csrf_from="/diary")
        assert st == 422 and "'Activity 1, score'" in html.unescape(body)
        st, _, _ = c.post("/diary/psfs", {"activity1": "Sitting through a film", "score1": "3",
                                          "activity2": "Running uphill", "score2": "2"}, csrf_from="/diary")
        assert st == 303
        # The record: charts with titles, descriptions and tables; only Rita and the clinic see it.
        st, _, body = c.get(f"/runners/{rid}/program")
        assert st == 200 and "<svg" in body and "<desc" in body and "Sitting through a film 3" in body
        assert "Assign or adjust" not in body
        assert other.get(f"/runners/{rid}/program")[0] == 404
        assert other.get(f"/runners/{rid}/program/print")[0] == 404
        physio = Client(s).sign_in("phy@example.org", "physio pass 12345")
        st, _, body = physio.get(f"/runners/{rid}/program")
        assert st == 200 and "Assign or adjust" in body
        st, _, body = physio.post(f"/runners/{rid}/program", {"program": "pht", "stage": "9", "note": "kept <note>"},
                                  csrf_from=f"/runners/{rid}/program")
        assert st == 422 and "'Stage'" in html.unescape(body)
        assert "kept &lt;note&gt;" in body and "Assign or adjust" in body, "the form comes back with what was typed"
        st, _, _ = physio.post(f"/runners/{rid}/program", {"program": "pht", "stage": "3",
                                                           "note": "Sitting is easy now: add the clinic's stretch."},
                               csrf_from=f"/runners/{rid}/program")
        assert st == 303
        assert other.post(f"/runners/{rid}/program", {"program": "pht", "stage": "1"},
                          csrf_from="/today")[0] in (403, 404)
        st, _, body = c.get("/today")
        assert "stage 3 of 4" in body and "From your practitioner: Sitting is easy now" in body
        assert "High hamstring stretch" in body and "Why not sooner" in body
        st, _, body = c.get(f"/runners/{rid}/program/print")
        assert st == 200 and "High hamstring stretch" in body and 'class="sheet"' in body
        # The calendar: the program's sessions with reminders, and no diagnosis in it.
        st, _, body = c.post("/account/calendar/new", {}, csrf_from="/account/calendar")
        url = re.search(r'<code class="secret">http://[^/]+(/calendar/[A-Za-z0-9_-]{43}\.ics)</code>', body).group(1)
        st, h, ics = Client(s).get(url)
        assert st == 200
        events = parse_ics(ics)
        sessions = [e for e in events if e["summary"] == "Home exercises"]
        assert len(sessions) >= 14 and all(e["alarms"] == 1 for e in sessions), events[:3]
        for word in ("hamstring", "tendon", "Sit-bone", "pht"):
            assert word.lower() not in ics.lower(), word
        st, _, body = c.get("/account/export")
        doc = json.loads(body)
        assert doc["program_assignment"] and doc["exercise_log"] and doc["diary_entry"] and doc["psfs_rating"]
    finally:
        s.stop()
        s.close()


# --- long histories, the printed pain limits, and who may adjust a program ----------------------

def clinic_today():
    """Today in the clinic's zone: the soonest of the next seven weekdays (harness.clinic_day)."""
    from harness import clinic_day
    return min(datetime.date.fromisoformat(clinic_day(0, w)) for w in range(7))


def clinic_days_ago(n):
    return (clinic_today() - datetime.timedelta(days=n)).isoformat()


def insert_rows(db, table, columns, rows, chunk=200):
    """Inserts rows straight into the database (both backends), a few hundred per statement."""
    for i in range(0, len(rows), chunk):
        values = ", ".join("(" + ", ".join(repr(v) if isinstance(v, str) else str(v) for v in row) + ")"
                           for row in rows[i:i + chunk])
        query(db, f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}")


@own_server
def test_a_long_history_counts_its_latest_days():
    """Fourteen months of twice-daily sessions, a diary every morning and a PSFS every three days: the
    page must count today's sessions, the last 7 and 28 days and decide from the latest logs, not from
    the oldest few hundred rows."""
    s = Server()
    try:
        rid = add_user(s, "runner", "long@example.org", "a long way to go 123")
        add_user(s, "practitioner", "phy2@example.org", "physio pass 12345")
        c = Client(s).sign_in("long@example.org", "a long way to go 123")
        assert c.post("/programs/start", {"program": "pht"}, csrf_from="/today")[0] == 303
        days = 420
        aid = query(s.db, f"UPDATE program_assignment SET started_at = started_at - {days + 5} * 86400, "
                          f"stage_started_at = stage_started_at - {days + 5} * 86400 WHERE runner_id = {rid} "
                          "RETURNING id")
        _, _, body = c.get("/today")
        n = prescribed(body)
        logs, diary = [], []
        for d in range(days, 0, -1):
            for k in range(2):
                logs.append((aid, rid, clinic_days_ago(d), 1, n, n, 2, 1700000000 + d * 10 + k))
            diary.append((rid, clinic_days_ago(d), 2, 2, 0, f"note {clinic_days_ago(d)}", 1700000000))
        insert_rows(s.db, "exercise_log", ["assignment_id", "runner_id", "day", "stage", "done", "prescribed",
                                           "pain_during", "logged_at"], logs)
        insert_rows(s.db, "diary_entry", ["runner_id", "day", "pain_rest", "pain_sitting", "minutes_run", "notes",
                                          "created_at"], diary)
        ratings = [(rid, 1700000000 + i, clinic_days_ago(3 * (130 - i)),
                    json.dumps([{"activity": f"Activity rated {clinic_days_ago(3 * (130 - i))}", "score": 5}]))
                   for i in range(130)]
        insert_rows(s.db, "psfs_rating", ["runner_id", "rated_at", "day", "ratings"], ratings)
        # Today's two sessions, logged through the page; the second one hurt.
        for pain in (2, 7):
            st, _, body = log(c, n, pain)
            assert st == 303, (st, re.findall(r'class="alert[^>]*>([^<]+)', body), body[:300])
        st, _, body = c.get("/today")
        assert st == 200 and "2 of 2 sessions done today" in body, re.findall(r'<p class="sessions"[^>]*>[^<]*', body)
        assert "100% in the last 7 days, 100% in the last 28" in body, body[:3000]
        assert "What your logs say: step back" in body and "7/10" in body, body[:4000]
        # The diary shows its latest entries first, and says where the older ones are.
        st, _, body = c.get("/diary")
        assert st == 200 and f"note {clinic_days_ago(1)}" in body, "the newest diary entry is listed"
        assert "Older entries" in body
        assert f"Last rated {clinic_days_ago(3)}" in html.unescape(body), "the latest PSFS is the one shown"
        assert f"note {clinic_days_ago(60)}" in body and f"note {clinic_days_ago(61)}" not in body
        older = re.search(r'href="(/diary\?before=[0-9-]+)"', body).group(1)
        st, _, body = c.get(html.unescape(older))
        assert st == 200 and f"note {clinic_days_ago(61)}" in body and f"note {clinic_days_ago(60)}" not in body
        # The record: the pain chart has every session of the last 8 weeks; the table starts with today.
        st, _, body = c.get(f"/runners/{rid}/program")
        assert st == 200
        points = re.search(r'<polyline class="s1" points="([^"]*)"', body).group(1).split()
        assert len(points) == 2 * 55 + 2, len(points)
        table = body.split("<caption>Sessions logged")[1]
        assert re.search(r"<td>(\d{4}-\d\d-\d\d)</td>", table).group(1) == clinic_days_ago(0)
        assert "100% in the last 7 days" in body
    finally:
        s.stop()
        s.close()


@own_server
def test_the_print_sheet_says_the_programs_own_pain_limits():
    """Bone stress allows less pain than a tendon (content/progression.json): the printed sheet, Today
    and the record say so from the same rules the decision uses."""
    s = Server()
    try:
        add_user(s, "runner", "bone@example.org", "shin bone heals 123")
        rid2 = add_user(s, "runner", "tendon@example.org", "tendon loads 12345")
        c = Client(s).sign_in("bone@example.org", "shin bone heals 123")
        assert c.post("/programs/start", {"program": "bone_stress"}, csrf_from="/today")[0] == 303
        rid = int(query(s.db, "SELECT id FROM account WHERE email = 'bone@example.org'"))
        for path in (f"/runners/{rid}/program/print", "/today", f"/runners/{rid}/program"):
            st, _, body = c.get(path)
            text = html.unescape(body)
            assert st == 200 and "2/10" in text and "3 out of 10" not in text and "3/10" not in text, (path, text[-3000:])
        t = Client(s).sign_in("tendon@example.org", "tendon loads 12345")
        assert t.post("/programs/start", {"program": "pht"}, csrf_from="/today")[0] == 303
        st, _, body = t.get(f"/runners/{rid2}/program/print")
        assert st == 200 and "3/10" in html.unescape(body), body[-3000:]
    finally:
        s.stop()
        s.close()


@own_server
def test_only_practitioners_and_admins_adjust_a_home_program():
    s = Server()
    try:
        rid = add_user(s, "runner", "adj@example.org", "adjust me please 1")
        add_user(s, "practitioner", "p3@example.org", "physio pass 12345")
        add_user(s, "front_desk", "desk@example.org", "front desk pass 333")
        add_user(s, "admin", "boss@example.org", "admin pass phrase 1")
        c = Client(s).sign_in("adj@example.org", "adjust me please 1")
        assert c.post("/programs/start", {"program": "pht"}, csrf_from="/today")[0] == 303
        desk = Client(s).sign_in("desk@example.org", "front desk pass 333")
        before = query(s.db, f"SELECT stage || ' ' || note FROM program_assignment WHERE runner_id = {rid} "
                             "AND ended_at IS NULL")
        st, _, body = desk.post(f"/runners/{rid}/program", {"program": "pht", "stage": "3", "note": "desk"},
                                csrf_from="/account")
        assert st in (403, 404), (st, body[:500])
        assert query(s.db, f"SELECT stage || ' ' || note FROM program_assignment WHERE runner_id = {rid} "
                           "AND ended_at IS NULL") == before, "nothing changed"
        assert query(s.db, f"SELECT COUNT(*) FROM program_assignment WHERE runner_id = {rid}") == "1"
        st, _, body = desk.get(f"/runners/{rid}/program")
        assert st == 403 and "Assign or adjust" not in body, "a home program is clinical: not for the front desk"
        for email, pw, stage in (("p3@example.org", "physio pass 12345", "2"),
                                 ("boss@example.org", "admin pass phrase 1", "3")):
            staff = Client(s).sign_in(email, pw)
            st, _, body = staff.get(f"/runners/{rid}/program")
            assert "Assign or adjust" in body
            st, _, _ = staff.post(f"/runners/{rid}/program", {"program": "pht", "stage": stage, "note": email},
                                  csrf_from=f"/runners/{rid}/program")
            assert st == 303, (email, st)
            assert query(s.db, f"SELECT stage FROM program_assignment WHERE runner_id = {rid} "
                               "AND ended_at IS NULL") == stage
    finally:
        s.stop()
        s.close()
