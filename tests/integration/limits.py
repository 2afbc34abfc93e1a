"""limits.py — lists that could grow past a named limit: either the limit cannot be reached, or going
past it is an error a person reads. Never a silent cut."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, add_user, own_server, query, runcare, Server  # noqa: E402


@own_server
def test_practitioner_limit_is_refused_and_every_practitioner_is_listed():
    s = Server()
    try:
        have = int(query(s.db, "SELECT COUNT(*) FROM practitioner WHERE active = 1"))
        for i in range(have, 64):
            st, out, err = runcare("clinic", "practitioner", "add", "--name", f"Extra Practitioner {i:02d}",
                                   "--disciplines", "sports_massage", "--offers", "sports-massage", "--db", s.db)
            assert st == 0, err
        st, out, err = runcare("clinic", "practitioner", "add", "--name", "One Too Many",
                               "--disciplines", "sports_massage", "--db", s.db)
        assert st == 2, (st, out, err)
        assert "64" in err, err
        assert query(s.db, "SELECT COUNT(*) FROM practitioner WHERE name = 'One Too Many'") == "0"
        # Every one of the 64 is offered for booking: none silently left out.
        add_user(s, "runner", "limits@example.org", "a long enough password")
        c = Client(s)
        c.sign_in("limits@example.org", "a long enough password")
        st, _, body = c.get("/book/sports-massage")
        assert st == 200, st
        for i in range(have, 64):
            assert f"Extra Practitioner {i:02d}" in body, i
    finally:
        s.close()


# --- a GET never writes ------------------------------------------------------------------------

# What a read may write: the audit line of a read of a runner's record, a session's last-seen time,
# and the sign-in throttle. Every other table must be byte for byte the same after any GET.
READ_MAY_WRITE = {"audit_log", "session", "signin_failure"}
TABLES = ["clinic", "account", "api_token", "one_time_link", "mail_outbox", "practitioner", "service",
          "practitioner_service", "working_hours", "schedule_exception", "appointment", "appointment_unit",
          "waitlist", "waitlist_offer", "event", "selfcheck_result", "calendar_feed", "activity",
          "program_assignment", "exercise_log", "diary_entry", "psfs_rating",
          "patient_profile", "patient_profile_version", "episode", "clinical_note", "clinical_note_version",
          "note_addendum", "note_measure", "treatment", "treatment_point", "needling_consent", "adverse_event"]


def tables(url):
    """Every table of the schema but those a read may write: new tables are covered as they come."""
    from harness import psql
    if url.startswith("sqlite:"):
        import sqlite3
        con = sqlite3.connect(url[len("sqlite:"):])
        try:
            names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                               "AND name NOT LIKE 'sqlite_%'")]
        finally:
            con.close()
    else:
        names = psql(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                          "current_schema() AND table_type = 'BASE TABLE'").splitlines()
    return sorted(n for n in names if n not in READ_MAY_WRITE and n != "schema_migrations")


def snapshot(url):
    """A digest of every row of every table a read must not change, by table (one query)."""
    import hashlib
    names = tables(url)
    assert len(names) >= len(TABLES), names
    if url.startswith("sqlite:"):
        import sqlite3
        con = sqlite3.connect(url[len("sqlite:"):])
        try:
            return {t: hashlib.sha256(repr(con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()).encode())
                    .hexdigest() for t in names}
        finally:
            con.close()
    from harness import psql
    sql = " UNION ALL ".join(f"SELECT '{t}', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) "
                             f"FROM {t} x" for t in names)
    return dict(line.split("|", 1) for line in psql(url, sql).splitlines())


@own_server
def test_no_get_writes_even_with_an_offer_past_its_hold():
    import accounts
    from booking import appointment_id, book, free_slots
    from harness import clinic_day
    w = accounts.world()
    b_id = w.ids["b"]
    # B waits for a time that A then frees: B gets an offer. Its hold is then made to have passed, so
    # that a page which passes expired offers on would write.
    wb = w.client("b")
    st, _, _ = wb.post("/waitlist", {"service": "initial-assessment", "from": clinic_day(4, 2), "to": clinic_day(4, 2)})
    assert st == 200
    a_start, a_pid = free_slots(w.client("a"), "initial-assessment", "?date=" + clinic_day(4, 2))[0]
    a_appt = appointment_id(book(w.client("a"), "initial-assessment", a_start, a_pid)[1])
    ca = w.client("a")
    assert ca.post(f"/appointments/{a_appt}/cancel", {}, csrf_from=f"/appointments/{a_appt}")[0] == 200
    offer = query(w.s.db, f"SELECT MAX(o.id) FROM waitlist_offer o JOIN waitlist w ON w.id = o.waitlist_id "
                          f"WHERE w.runner_id = {b_id}")
    entry = query(w.s.db, f"SELECT MAX(id) FROM waitlist WHERE runner_id = {b_id}")
    assert offer and offer != "None"
    query(w.s.db, f"UPDATE waitlist_offer SET expires_at = expires_at - 3 * 3600 WHERE id = {offer}")
    # The timed job passes it on within a tick, with nobody looking; wait for it, so that its write is
    # not taken for a page's.
    import time
    for _ in range(100):
        if query(w.s.db, f"SELECT status FROM waitlist_offer WHERE id = {offer}") != "open":
            break
        time.sleep(0.1)
    fill = {":runner": str(b_id), ":slug": "runners-butt", ":name": "style.css", ":token": "x" * 43,
            ":appointment": str(a_appt), ":service": "follow-up", ":entry": entry, ":offer": offer,
            ":drawing": "x", ":feed": "x" * 43, ":account": str(b_id)}
    fill.update(accounts.chart_fill(w))
    callers = [w.client(), w.client("a"), w.client("b"), w.client("practitioner"), w.client("front_desk"),
               w.client("admin")]
    before = snapshot(w.s.db)
    changed = []
    for method, pattern, access, flags in accounts.routes():
        if method != "GET":
            continue
        path = "/".join(fill.get(seg, seg) for seg in pattern.split("/"))
        for c in callers:
            c.get(path)
        after = snapshot(w.s.db)
        if after != before:
            changed.append(f"GET {pattern}: " + ", ".join(t for t in after if after[t] != before.get(t)))
            before = after
    assert not changed, changed
