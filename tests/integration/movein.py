"""movein.py — a clinic moving in from another practice system (runcare import-clinic): the generated sample in
tests/data/clinic-import (tests/make_clinic_import.py: duplicate patients, missing emails, phones and dates of birth
written every which way, times local, in UTC and with a zone's abbreviation, overlapping visits, a visit for a
patient the export left out) moves in with its merges and refusals named by line; a second run changes nothing;
a file in another encoding, a missing column, a bad date or status stop the import with the line and column, and
nothing is written; the administrators' page does the same."""
import datetime
import os
import re
import shutil
import tempfile

from harness import CLINIC_TZ, ROOT, Client, Server, add_user, own_server, query, runcare

SAMPLE = os.path.join(ROOT, "tests", "data", "clinic-import")


def counts(s):
    return tuple(int(query(s.db, f"SELECT COUNT(*) FROM {t}")) for t in
                 ("account", "patient_profile", "practitioner", "service", "appointment", "appointment_unit"))


def move_in(s, folder=SAMPLE, *extra):
    return runcare("import-clinic", "--from-csv", folder, "--mapping", os.path.join(SAMPLE, "mapping.json"),
                   "--db", s.db, *extra, timeout=120)


def table(out):
    """{kind: (created, merged, refused)} from the command's summary."""
    rows = {}
    for m in re.finditer(r"^(patients|practitioners|services|appointments)\s+(\d+)\s+(\d+)\s+(\d+)$", out, re.M):
        rows[m.group(1)] = tuple(int(x) for x in m.group(2, 3, 4))
    return rows


def starts_at(s, note_or_reason):
    return int(query(s.db, f"SELECT starts_at FROM appointment WHERE reason = '{note_or_reason}' ORDER BY id LIMIT 1"))


@own_server
def test_the_sample_moves_in_with_its_merges_and_refusals_named():
    s = Server()
    try:
        before = counts(s)
        st, out, err = move_in(s, SAMPLE, "--dry-run")
        assert st == 0, out + err
        assert "Dry run: nothing was written" in out
        assert counts(s) == before, "a dry run writes nothing"
        dry = table(out)
        assert dry["patients"] == (210, 12, 0), dry
        assert dry["practitioners"] == (4, 0, 0) and dry["services"] == (5, 0, 0)
        assert dry["appointments"][0] > 300 and dry["appointments"][2] >= 7, dry
        # Each merge and refusal with its line and reason.
        assert len(re.findall(r'^patients\.csv line \d+, column "(Email|Last Name)": merged: the same patient as line \d+',
                              out, re.M)) == 12, out
        assert re.search(r'^appointments\.csv line \d+, column "Start": refused: starts \w{3} [ \d]\d \w{3} 2026 \d\d:\d\d, '
                         r"during the practitioner's visit on line \d+$", out, re.M), out
        assert re.search(r"^appointments\.csv line 360, column \"PatientID\": refused: no patient with the id '99999'",
                         out, re.M), out
        # The import does what the dry run said, in one transaction.
        st, out, err = move_in(s)
        assert st == 0 and "Moved in, in one transaction." in out, out + err
        assert table(out) == dry
        after = counts(s)
        assert after[0] - before[0] == 210 and after[2] - before[2] == 4 and after[4] - before[4] == dry["appointments"][0]
        # The same instant whichever way the time was written: local, UTC, a 12-hour clock, a zone's abbreviation.
        la = lambda y, m, d, hh, mm: int(datetime.datetime(y, m, d, hh, mm, tzinfo=CLINIC_TZ).timestamp())
        lines = open(os.path.join(SAMPLE, "appointments.csv")).read().splitlines()
        checked = 0
        for line in lines[1:]:
            f = line.split(",")
            if f[0] not in ("A00001", "A00002", "A00003", "A00004"):
                continue
            name = {"P01": "Dr. Lin Wei", "P02": "Sam Rivera", "P03": "Maya Brooks", "P04": "Jordan Lee"}[f[2]]
            got = int(query(s.db, "SELECT COUNT(*) FROM appointment a JOIN practitioner p ON p.id = a.practitioner_id "
                                  f"WHERE p.name = '{name}' AND a.starts_at = {expected(f[4])}"))
            assert got == 1, (f, got)
            checked += 1
        assert checked == 4
        assert expected("2026-10-19T16:00:00Z") == la(2026, 10, 19, 9, 0)
        # Phones written five ways are one kind of number to search by; statuses in runcare's words.
        st, found, err = runcare("patient", "find", "6195551147", "--db", s.db)
        assert st == 0 and "June Yamamoto" in found, found + err
        assert int(query(s.db, "SELECT COUNT(*) FROM appointment WHERE status = 'no_show'")) > 0
        assert int(query(s.db, "SELECT COUNT(*) FROM appointment WHERE status = 'cancelled'")) > 0
        # A patient's second registration added only what the first lacked; the audit log has the move.
        assert "clinic.import" in runcare("audit", "--db", s.db)[1]
        # Again: everything is here already.
        st, out, err = move_in(s)
        assert st == 0, out + err
        again = table(out)
        assert again["patients"] == (0, 222, 0) and again["appointments"][0] == 0, again
        assert counts(s) == after
    finally:
        s.close()


def expected(text):
    """The instant a sample's time names (the test's own reading, independent of runcare's)."""
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::\d\d)?(Z| PDT| PST)?$", text)
    if m:
        y, mo, d, hh, mm = map(int, m.groups()[:5])
        z = m.group(6)
        if z == "Z":
            return int(datetime.datetime(y, mo, d, hh, mm, tzinfo=datetime.timezone.utc).timestamp())
        if z:
            off = -7 if z == " PDT" else -8
            return int(datetime.datetime(y, mo, d, hh, mm, tzinfo=datetime.timezone(datetime.timedelta(hours=off))).timestamp())
        return int(datetime.datetime(y, mo, d, hh, mm, tzinfo=CLINIC_TZ).timestamp())
    dt = datetime.datetime.strptime(text, "%m/%d/%Y %I:%M %p").replace(tzinfo=CLINIC_TZ)
    return int(dt.timestamp())


@own_server
def test_bad_files_are_named_by_line_and_column_and_nothing_is_written():
    s = Server()
    d = tempfile.mkdtemp()
    try:
        before = counts(s)

        def variant(name, change):
            folder = os.path.join(d, name)
            shutil.copytree(SAMPLE, folder)
            change(folder)
            return folder

        # A file saved in Windows-1252, as a spreadsheet does by default.
        def latin(folder):
            p = os.path.join(folder, "patients.csv")
            text = open(p, encoding="utf-8").read()
            open(p, "wb").write(text.encode("cp1252", errors="replace"))
        bad_line = next(i + 1 for i, line in enumerate(open(os.path.join(SAMPLE, "patients.csv"), encoding="utf-8"))
                        if any(ord(ch) > 127 for ch in line))
        st, out, err = move_in(s, variant("latin", latin))
        assert st == 2, out + err
        assert re.search(rf"^patients\.csv line {bad_line}: error: column \d: the file is not UTF-8",
                         out, re.M), out
        assert "nothing was written" in out and counts(s) == before
        # A column the mapping needs is not in the file.
        def no_start(folder):
            p = os.path.join(folder, "appointments.csv")
            text = open(p).read().replace(",Start,", ",Begins,", 1)
            open(p, "w").write(text)
        st, out, err = move_in(s, variant("column", no_start))
        assert st == 2 and re.search(r'^appointments\.csv line 1, column "Start": error: the file has no column "Start"',
                                     out, re.M), out
        assert counts(s) == before
        # A date that is no date, and a status runcare does not know, on known lines.
        def bad_values(folder):
            p = os.path.join(folder, "appointments.csv")
            lines = open(p, newline="").read().split("\r\n")
            f = lines[10].split(",")
            f[4] = "2026-13-45 09:00"
            lines[10] = ",".join(f)
            g = lines[20].split(",")
            g[6] = "Rescheduled?"
            lines[20] = ",".join(g)
            open(p, "w", newline="").write("\r\n".join(lines))
        st, out, err = move_in(s, variant("values", bad_values))
        assert st == 2, out + err
        assert re.search(r"^appointments\.csv line 11, column \"Start\": error: '2026-13-45 09:00' is not a date", out,
                         re.M), out
        assert re.search(r"^appointments\.csv line 21, column \"Status\": error: 'Rescheduled\?' is not a status", out,
                         re.M), out
        assert "2 errors: nothing was written." in out and counts(s) == before
        # A mapping that names a field runcare does not have.
        m = os.path.join(d, "mapping.json")
        open(m, "w").write('{"patients": {"columns": {"shoe_size": "Shoes"}}}')
        st, out, err = runcare("import-clinic", "--from-csv", SAMPLE, "--mapping", m, "--db", s.db)
        assert st == 2 and "shoe_size" in err, err
        assert counts(s) == before
    finally:
        s.close()
        shutil.rmtree(d, ignore_errors=True)


def post_files(c, action, files):
    """The page's form as a browser sends it: each kind's file under its own name, and the button pressed."""
    import http.client
    import uuid
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{c.csrf("/admin/import")}\r\n',
             f'--{boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\n{action}\r\n']
    body = "".join(parts).encode()
    for field, name, data in files:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                 f'Content-Type: text/csv\r\n\r\n').encode() + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", c.s.port, timeout=60)
    conn.request("POST", "/admin/import", body=body, headers={
        "Content-Type": "multipart/form-data; boundary=" + boundary, "Cookie": c._cookie_header()})
    r = conn.getresponse()
    return r.status, r.read().decode()


@own_server
def test_the_administrators_page_checks_then_moves_in():
    s = Server()
    try:
        add_user(s, "admin", "boss@clinic.test", "the clinic's own admin 9")
        admin = Client(s).sign_in("boss@clinic.test", "the clinic's own admin 9")
        st, _, page = admin.get("/admin/users")
        assert st == 200 and 'href="/admin/import"' in page
        st, _, page = admin.get("/admin/import")
        assert st == 200 and '<label for="f-patients">Patients (CSV)</label>' in page and 'name="mapping"' in page
        files = [(k, f"{k}.csv", open(os.path.join(SAMPLE, f"{k}.csv"), "rb").read())
                 for k in ("patients", "practitioners", "services", "appointments")]
        files.append(("mapping", "mapping.json", open(os.path.join(SAMPLE, "mapping.json"), "rb").read()))
        before = counts(s)
        st, body = post_files(admin, "check", files)
        assert st == 200 and "Checked: nothing was written" in body, body[-2000:]
        assert '<th scope="row">Patients</th><td>210</td><td>12</td><td>0</td><td>0</td>' in body, body[-3000:]
        assert "the same patient as line" in body and "during the practitioner&#39;s visit on line" in body
        assert counts(s) == before
        # A file with an error: 422, the error named, nothing written.
        broken = [(k, n, d.replace(b",Start,", b",Begins,") if k == "appointments" else d) for k, n, d in files]
        st, body = post_files(admin, "import", broken)
        assert st == 422 and 'role="alert"' in body and "nothing was written" in body
        assert "<td>appointments.csv</td><td>1</td><td>Start</td><td>error</td>" in body, body[-3000:]
        assert counts(s) == before
        st, body = post_files(admin, "import", files)
        assert st == 200 and "Moved in, in one transaction." in body
        assert counts(s)[0] == before[0] + 210
        # The front desk may not.
        add_user(s, "front_desk", "desk@clinic.test", "front of house 2468")
        desk = Client(s).sign_in("desk@clinic.test", "front of house 2468")
        assert desk.get("/admin/import")[0] == 403
    finally:
        s.close()
