"""setup.py — the clinic's setup can be changed (issue 15, part 4): services and practitioners edited,
retired and brought back; no duplicate practitioners; a service nobody offers is not offered to runners;
impossible, overlapping and after-hours weekly hours; hours and time off that cut across booked visits
list them and write nothing until the admin chooses (cancel with a message — mail in the outbox, the
freed time offered to the waitlist — or keep them to move, or go back); prices as people write them;
the same from `runcare clinic`; who may do it. On either backend (RUNCARE_TEST_PG)."""
import html
import json
import os
import re
import shutil
import tempfile

from harness import ROOT, Client, Server, add_user, clinic_day, clinic_time, own_server, query, runcare
from booking import appointment_id, book
from limits import snapshot  # every table but the audit log, sessions and the sign-in throttle

ADMIN = ("boss@example.org", "the clinic's own admin 1")
DESK = ("desk@example.org", "front desk pass 4242")


def admin(s):
    add_user(s, "admin", ADMIN[0], ADMIN[1], "Bea Boss")
    return Client(s).sign_in(*ADMIN)


def runner(s, name, email):
    add_user(s, "runner", email, f"{name} runs far 12", name)
    return Client(s).sign_in(email, f"{name} runs far 12")


def pid_of(s, name):
    return query(s.db, f"SELECT id FROM practitioner WHERE name LIKE '{name}%'")


def count(s, sql):
    """COUNT(*) of "table [WHERE ...]"."""
    return int(query(s.db, f"SELECT COUNT(*) FROM {sql}"))


def field_error(body, name):
    """The sentence shown beside a field (valid.c's and layout.c's shape), or None."""
    m = re.search(rf'<span class="field-error" id="e-{name}">([^<]*)</span>', body) or \
        re.search(rf'<p class="field-error" id="e-{name}">([^<]*)</p>', body)
    return html.unescape(m.group(1)) if m else None


def words(body):
    """The page's text as a person reads it (entities decoded)."""
    return html.unescape(body)


def typed(body, name):
    """What an input of the form shows as its value."""
    m = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', body)
    return html.unescape(m.group(1)) if m else None


def hidden_fields(body):
    """The fields a form of the page carries, as (name, value) pairs in order (repeated names too)."""
    form = re.search(r'<form class="stack" method="post"[^>]*>(.*?)</form>', body, re.S).group(1)
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)


def choose(c, action, body, choice, message=None):
    """Answers the page that lists visits in the way: the hidden fields back, and the button pressed."""
    form = [(k, html.unescape(v)) for k, v in hidden_fields(body)]
    form.append(("visits", choice))
    if message is not None:
        form.append(("message", message))
    return c.request("POST", action, form=form)


def post(c, path, form, csrf_from):
    """Client.post with repeated fields: a list value is sent as one field per item (ticked boxes)."""
    pairs = [("csrf", c.csrf(csrf_from))]
    for k, v in form.items():
        pairs += [(k, x) for x in v] if isinstance(v, list) else [(k, v)]
    return c.request("POST", path, form=pairs)


def api_services(s, email):
    st, out, err = runcare("token", "create", "--user", email, "--db", s.db)
    assert st == 0, err
    tok = out.strip().splitlines()[-1]
    st, _, body = s.request("GET", "/api/services", headers={"Authorization": "Bearer " + tok})
    assert st == 200, body
    return [x["key"] for x in json.loads(body)["services"]]


def acupuncture_afternoon(s):
    """Two runners book acupuncture with Lin on a Tuesday afternoon in two weeks, one in the morning;
    Una waits for acupuncture that day. Returns (day, Lin's id, {name: visit id})."""
    day = clinic_day(2, 1)
    lin = pid_of(s, "Lin Wei")
    visits = {}
    for name, email, hhmm in [("Rosa Reyes", "rosa@example.org", "14:00"), ("Sam Stone", "sam@example.org", "15:30"),
                              ("Mo Morning", "mo@example.org", "09:00")]:
        c = runner(s, name, email)
        st, h, body = book(c, "acupuncture", clinic_time(day, hhmm), lin)
        assert st == 303, body[:500]
        visits[name] = appointment_id(h)
    una = runner(s, "Una Waiting", "una@example.org")
    st, _, body = una.post("/waitlist", {"service": "acupuncture", "from": day, "to": day})
    assert st == 200 and "on the waitlist" in body, body[:500]
    return day, lin, visits


# --- services -----------------------------------------------------------------------------------------

@own_server
def test_a_service_is_added_edited_retired_and_brought_back_with_prices_as_people_write_them():
    s = Server()
    try:
        adm = admin(s)
        priya = pid_of(s, "Priya")
        form = {"key": "dry-needling", "name": "Dry needling", "minutes": "45", "price": "$1,200.50",
                "discipline": "physical_therapy", "offered_by_given": "1", "offered_by": priya}
        st, _, body = adm.post("/admin/clinic/services", form, csrf_from="/admin/clinic/services/edit")
        assert st == 200 and "Saved: Dry needling." in body, body[-3000:]
        assert query(s.db, "SELECT price_cents FROM service WHERE key = 'dry-needling'") == "120050"
        assert "$1,200.50" in body
        sid = query(s.db, "SELECT id FROM service WHERE key = 'dry-needling'")
        # Prices refused with a sentence next to 'Price', what was typed kept, nothing written.
        for price, why in [("abc", "amount of money"), ("-5", "negative"), ("85.555", "two decimals"),
                           ("12,00", "comma")]:
            st, _, body = adm.post("/admin/clinic/services", dict(form, id=sid, price=price),
                                   csrf_from="/admin/clinic/services/edit?id=" + sid)
            assert st == 422, (price, st)
            assert why in (field_error(body, "price") or ""), (price, field_error(body, "price"))
            assert typed(body, "price") == price, typed(body, "price")
            assert typed(body, "name") == "Dry needling"
            assert query(s.db, f"SELECT price_cents FROM service WHERE id = {sid}") == "120050"
        # Minutes off the quarter hour: the same.
        st, _, body = adm.post("/admin/clinic/services", dict(form, id=sid, minutes="40"),
                               csrf_from="/admin/clinic/services/edit?id=" + sid)
        assert st == 422 and "multiple of 15" in field_error(body, "minutes") and typed(body, "minutes") == "40"
        # Each way of writing 85 dollars and 50 cents, or 85 dollars.
        for price, cents in [("85.5", 8550), ("85", 8500), ("85.00", 8500), ("$85", 8500), (" 85.50 ", 8550)]:
            st, _, body = adm.post("/admin/clinic/services", dict(form, id=sid, name="Dry needling (45)", price=price),
                                   csrf_from="/admin/clinic/services/edit?id=" + sid)
            assert st == 200, (price, body[-2000:])
            assert query(s.db, f"SELECT price_cents FROM service WHERE id = {sid}") == str(cents), price
        assert "Dry needling (45)" in body and "$85.50" in body
        # The edit form shows what is stored, the price in dollars.
        st, _, body = adm.get("/admin/clinic/services/edit?id=" + sid)
        assert st == 200 and typed(body, "price") == "85.50" and typed(body, "name") == "Dry needling (45)"
        # A key taken is refused beside the key.
        st, _, body = adm.post("/admin/clinic/services", dict(form, key="follow-up"), csrf_from="/admin/clinic")
        assert st == 409 and "is Follow-up visit's already" in field_error(body, "key"), body[-2000:]
        # Runners book it; retired, nobody can, and the booked visit keeps its name.
        rosa = runner(s, "Rosa Reyes", "rosa@example.org")
        assert "/book/dry-needling" in rosa.get("/book")[2]
        st, h, _ = book(rosa, "dry-needling", clinic_time(clinic_day(2, 2), "09:00"), int(priya))
        assert st == 303
        visit = appointment_id(h)
        st, _, body = adm.post("/admin/clinic/services/retire", {"id": sid, "action": "retire"},
                               csrf_from="/admin/clinic/services/edit?id=" + sid)
        assert st == 200 and "is retired" in body and "1 visit booked ahead keep it" in body, body[-2000:]
        assert "/book/dry-needling" not in rosa.get("/book")[2]
        assert rosa.get("/book/dry-needling")[0] == 404
        assert "dry-needling" not in api_services(s, "rosa@example.org")
        st, _, body = rosa.get(f"/appointments/{visit}")
        assert st == 200 and "Dry needling (45)" in body
        assert "Retired services" in adm.get("/admin/clinic")[2]
        st, _, body = adm.post("/admin/clinic/services/retire", {"id": sid, "action": "restore"},
                               csrf_from="/admin/clinic")
        assert st == 200 and "is back" in body
        assert "/book/dry-needling" in rosa.get("/book")[2]
    finally:
        s.close()


@own_server
def test_a_service_nobody_offers_is_not_offered_to_runners():
    s = Server()
    try:
        adm = admin(s)
        rosa = runner(s, "Rosa Reyes", "rosa@example.org")
        st, _, body = adm.post("/admin/clinic/services", {"key": "cupping", "name": "Cupping", "minutes": "30",
                                                          "price": "60", "discipline": "acupuncture",
                                                          "offered_by_given": "1"}, csrf_from="/admin/clinic")
        assert st == 200 and "Nobody</strong>: runners do not see it" in body, body[-3000:]
        assert "/book/cupping" not in rosa.get("/book")[2]
        assert rosa.get("/book/cupping")[0] == 404
        assert "cupping" not in api_services(s, "rosa@example.org")
        assert 'value="cupping"' not in rosa.get("/waitlist")[2]
        # Lin offers it from the practitioner's form: now runners see it everywhere.
        lin = pid_of(s, "Lin Wei")
        st, _, body = post(adm, "/admin/clinic/practitioners", {"id": lin, "name": "Lin Wei (L.Ac.)",
                                                               "disciplines": "acupuncture", "account": "",
                                                               "offers_given": "1", "offers": ["acupuncture", "cupping"]},
                    csrf_from="/admin/clinic/practitioners/edit?id=" + lin)
        assert st == 200, body[-2000:]
        assert "/book/cupping" in rosa.get("/book")[2]
        assert rosa.get("/book/cupping")[0] == 200
        assert "cupping" in api_services(s, "rosa@example.org")
        assert 'value="cupping"' in rosa.get("/waitlist")[2]
        # Lin retires (nothing booked): nobody offers it again.
        st, _, body = adm.post("/admin/clinic/practitioners/retire", {"id": lin, "action": "retire"},
                               csrf_from="/admin/clinic")
        assert st == 200 and "retired" in body, body[-2000:]
        assert "/book/cupping" not in rosa.get("/book")[2]
        assert "cupping" not in api_services(s, "rosa@example.org")
        assert "/book/acupuncture" in rosa.get("/book")[2], "Priya still offers acupuncture"
    finally:
        s.close()


# --- practitioners --------------------------------------------------------------------------------------

@own_server
def test_no_duplicate_practitioners_on_the_web_or_the_command_line():
    s = Server()
    try:
        adm = admin(s)
        before = count(s, "practitioner")
        st, _, body = adm.post("/admin/clinic/practitioners",
                               {"name": "  lin   WEI (l.ac.) ", "disciplines": "acupuncture", "offers_given": "1"},
                               csrf_from="/admin/clinic/practitioners/edit")
        assert st == 409, st
        assert "Lin Wei (L.Ac.) is in the list already" in field_error(body, "name"), body[-2000:]
        assert typed(body, "name") == "  lin   WEI (l.ac.) "
        assert count(s, "practitioner") == before
        # One practitioner per staff account.
        add_user(s, "practitioner", "noor@example.org", "noor needles pass 1", "Noor Needles")
        st, _, body = adm.post("/admin/clinic/practitioners", {"name": "Noor Needles", "disciplines": "acupuncture",
                                                               "account": "noor@example.org", "offers_given": "1",
                                                               "offers": "acupuncture"}, csrf_from="/admin/clinic")
        assert st == 200, body[-2000:]
        noor = pid_of(s, "Noor")
        account = query(s.db, "SELECT id FROM account WHERE email = 'noor@example.org'")
        assert query(s.db, f"SELECT account_id FROM practitioner WHERE id = {noor}") == account
        st, _, body = adm.post("/admin/clinic/practitioners", {"name": "Noor N. (second entry)",
                                                               "disciplines": "acupuncture",
                                                               "account": "noor@example.org"}, csrf_from="/admin/clinic")
        assert st == 409 and "linked to Noor Needles already" in field_error(body, "account"), body[-2000:]
        assert count(s, "practitioner") == before + 1
        # A staff account that is not one, and a runner's: refused beside the field.
        add_user(s, "runner", "runner.r@example.org", "runner runs far 1")
        st, _, body = adm.post("/admin/clinic/practitioners", {"name": "Someone New", "disciplines": "acupuncture",
                                                               "account": "runner.r@example.org"}, csrf_from="/admin/clinic")
        assert st == 422 and "No staff account" in field_error(body, "account")
        # The command line refuses the same in the same words, and writes nothing.
        st, out, err = runcare("clinic", "practitioner", "add", "--name", "MARCO  díaz (lmt)", "--disciplines",
                               "sports_massage", "--db", s.db)
        assert st == 2 and "Marco Díaz (LMT) is in the list already" in err, (st, err)
        # A retired one is brought back, not added again.
        st, _, body = adm.post("/admin/clinic/practitioners/retire", {"id": noor, "action": "retire"},
                               csrf_from="/admin/clinic")
        assert st == 200
        st, _, body = adm.post("/admin/clinic/practitioners", {"name": "noor needles", "disciplines": "acupuncture"},
                               csrf_from="/admin/clinic")
        assert st == 409 and "bring them back" in field_error(body, "name")
        assert count(s, "practitioner") == before + 1
    finally:
        s.close()


@own_server
def test_a_practitioner_is_edited_and_offers_only_their_disciplines():
    s = Server()
    try:
        adm = admin(s)
        marco = pid_of(s, "Marco")
        st, _, body = adm.get("/admin/clinic/practitioners/edit?id=" + marco)
        assert st == 200 and typed(body, "name") == "Marco Díaz (LMT)"
        form = {"id": marco, "name": "Marco Díaz", "disciplines": ["sports_massage"], "account": "",
                "offers_given": "1", "offers": ["sports-massage", "follow-up"]}
        st, _, body = post(adm, "/admin/clinic/practitioners", form, csrf_from="/admin/clinic")
        assert st == 422 and "cannot offer Follow-up visit" in field_error(body, "offers"), body[-2000:]
        assert re.search(r'name="offers" value="follow-up" checked', body), "what was ticked is kept"
        assert query(s.db, f"SELECT name FROM practitioner WHERE id = {marco}") == "Marco Díaz (LMT)"
        st, _, body = post(adm, "/admin/clinic/practitioners",
                           dict(form, disciplines=["sports_massage", "physical_therapy"]), csrf_from="/admin/clinic")
        assert st == 200 and "Saved: Marco Díaz." in body, body[-2000:]
        assert query(s.db, f"SELECT disciplines FROM practitioner WHERE id = {marco}") == "physical_therapy sports_massage"
        assert int(query(s.db, f"SELECT COUNT(*) FROM practitioner_service WHERE practitioner_id = {marco}")) == 2
        # Dropping a discipline while offering its service is refused.
        st, _, body = post(adm, "/admin/clinic/practitioners", dict(form, disciplines=["sports_massage"]),
                           csrf_from="/admin/clinic")
        assert st == 422
    finally:
        s.close()


# --- weekly hours -------------------------------------------------------------------------------------------

@own_server
def test_impossible_and_overlapping_hours_are_refused_before_anything_is_written():
    s = Server()
    try:
        adm = admin(s)
        lin = pid_of(s, "Lin Wei")
        rows = count(s, "working_hours")
        for frm, to, field, why in [("12:00", "09:00", "to", "after"), ("09:10", "11:00", "from", "quarter hour"),
                                    ("09:00", "25:00", "to", "quarter hour"), ("11:00", "14:00", "from", "overlap"),
                                    ("07:00", "19:00", "from", "overlap")]:
            st, _, body = adm.post("/admin/clinic/hours", {"practitioner": lin, "day": "tue", "from": frm, "to": to},
                                   csrf_from="/admin/clinic/hours/edit?practitioner=" + lin)
            assert st == 422, (frm, to, st)
            assert why in (field_error(body, field) or ""), (frm, to, field_error(body, field), body[-1500:])
            assert typed(body, "from") == frm and typed(body, "to") == to
        assert count(s, "working_hours") == rows
        # The break between two rows can be filled: touching is not overlapping.
        st, _, body = adm.post("/admin/clinic/hours", {"practitioner": lin, "day": "tue", "from": "12:00", "to": "13:00"},
                               csrf_from="/admin/clinic")
        assert st == 200, body[-1500:]
        assert count(s, "working_hours") == rows + 1
        # Editing a row may not make it overlap another either.
        row = query(s.db, f"SELECT id FROM working_hours WHERE practitioner_id = {lin} AND weekday = 2 "
                          "AND start_minute = 480")
        st, _, body = adm.post("/admin/clinic/hours", {"id": row, "practitioner": lin, "day": "wed", "from": "08:00",
                                                       "to": "14:00"}, csrf_from="/admin/clinic/hours/edit?id=" + row)
        assert st == 422 and "overlap" in field_error(body, "from")
        assert query(s.db, f"SELECT end_minute FROM working_hours WHERE id = {row}") == "720"
        # The command line: the same rules, exit status 2.
        st, _, err = runcare("clinic", "hours", "add", "--practitioner", lin, "--day", "thu", "--from", "11:00", "--to",
                             "14:00", "--db", s.db)
        assert st == 2 and "overlap" in err, err
        st, _, err = runcare("clinic", "hours", "edit", "--id", row, "--to", "07:00", "--db", s.db)
        assert st == 2 and "after" in err, err
        assert count(s, "working_hours") == rows + 1
    finally:
        s.close()


@own_server
def test_hours_outside_the_clinics_opening_hours_need_a_tick():
    s = Server()
    try:
        adm = admin(s)
        lin = pid_of(s, "Lin Wei")
        rows = count(s, "working_hours")
        st, _, body = adm.post("/admin/clinic/hours", {"practitioner": lin, "day": "sun", "from": "02:00", "to": "23:45"},
                               csrf_from="/admin/clinic")
        assert st == 422, st
        why = field_error(body, "outside")
        assert why and "Sunday 02:00–23:45 is outside the clinic's opening hours (Sunday: closed)" in why, body[-2000:]
        assert 'name="outside" value="yes"' in body and typed(body, "from") == "02:00"
        assert count(s, "working_hours") == rows
        st, _, body = adm.post("/admin/clinic/hours", {"practitioner": lin, "day": "sun", "from": "02:00", "to": "23:45",
                                                       "outside": "yes"}, csrf_from="/admin/clinic")
        assert st == 200 and count(s, "working_hours") == rows + 1
        # Saturday 07:00–09:00 starts before the clinic opens (08:00): the same question.
        st, _, err = runcare("clinic", "hours", "add", "--practitioner", lin, "--day", "sat", "--from", "06:00", "--to",
                             "07:30", "--db", s.db)
        assert st == 2 and "Saturday: 08:00–14:00" in err and "--outside-opening-hours" in err, err
        st, out, err = runcare("clinic", "hours", "add", "--practitioner", lin, "--day", "sat", "--from", "06:00", "--to",
                               "07:30", "--outside-opening-hours", "--db", s.db)
        assert st == 0, err
        # The opening hours come from the clinic's content, shown on the page and by the command.
        assert "<th scope=\"row\">Sunday</th><td>closed</td>" in adm.get("/admin/clinic")[2]
        st, out, _ = runcare("clinic", "show", "--db", s.db)
        assert "Monday: 07:00–19:00" in out and "Sunday: closed" in out
    finally:
        s.close()


@own_server
def test_opening_hours_in_content_must_name_days():
    d = tempfile.mkdtemp(prefix="runcare-content-")
    try:
        content = os.path.join(d, "content")
        shutil.copytree(os.path.join(ROOT, "content"), content)
        path = os.path.join(content, "clinic.json")
        clinic = json.load(open(path))
        clinic["hours"][1]["days"] = "Someday"
        json.dump(clinic, open(path, "w"))
        st, out, err = runcare("clinic", "show", "--content", content, "--db", "sqlite:" + os.path.join(d, "x.db"))
        assert st == 2 and "'hours[1].days' must name days of the week" in err, (st, err)
    finally:
        shutil.rmtree(d, ignore_errors=True)


# --- changes that cut across booked visits ----------------------------------------------------------------------

@own_server
def test_time_off_over_booked_visits_warns_then_cancels_with_a_message_and_offers_the_waitlist():
    """The admin closes Lin's Tuesday afternoon: the two visits booked then are listed with the patient, the
    clinic's time and the service, and nothing is written; cancelling them mails each patient with the
    admin's words and offers the time to Una, who waits for acupuncture that day (with Priya, the other
    acupuncturist free then)."""
    s = Server()
    try:
        day, lin, visits = acupuncture_afternoon(s)
        adm = admin(s)
        before = snapshot(s.db)
        form = {"practitioner": lin, "from": day + "T13:00", "to": day + "T18:00", "note": "conference"}
        st, _, body = adm.post("/admin/clinic/time-off", form, csrf_from="/admin/clinic/time-off/edit?practitioner=" + lin)
        assert st == 409, (st, body[-2000:])
        assert "2 booked visits would fall outside Lin Wei (L.Ac.)'s time" in words(body), body[-3000:]
        table = re.search(r"<table class=\"list\">(.*?)</table>", body, re.S).group(1)
        assert "Rosa Reyes" in table and "Sam Stone" in table and "Mo Morning" not in table
        assert "14:00" in table and "15:30" in table and "Acupuncture" in table
        assert f'href="/appointments/{visits["Rosa Reyes"]}"' in table
        assert snapshot(s.db) == before, "nothing is written before the admin chooses"
        st, _, done = choose(adm, "/admin/clinic/time-off", body, "cancel",
                             message="Lin is away at a conference that afternoon; we are sorry.")
        assert st == 200, done[-2000:]
        assert "2 visits cancelled" in done and "1 freed time offered to the waitlist" in done, done[-3000:]
        for name in ["Rosa Reyes", "Sam Stone"]:
            assert query(s.db, f"SELECT status FROM appointment WHERE id = {visits[name]}") == "cancelled"
        assert query(s.db, f"SELECT status FROM appointment WHERE id = {visits['Mo Morning']}") == "booked"
        assert count(s, f"schedule_exception WHERE practitioner_id = {lin} AND note = 'conference'") == 1
        body = query(s.db, "SELECT body FROM mail_outbox WHERE to_addr = 'rosa@example.org' "
                           "AND subject = 'Your visit is cancelled'")
        assert body and body.startswith("Hello Rosa Reyes,\n\nLin is away at a conference that afternoon; we are sorry.")
        assert "/book/acupuncture" in body
        assert count(s, "mail_outbox WHERE to_addr = 'sam@example.org' AND subject = 'Your visit is cancelled'") == 1
        offer = query(s.db, "SELECT o.practitioner_id || ' ' || o.starts_at FROM waitlist_offer o JOIN waitlist w "
                            "ON w.id = o.waitlist_id JOIN account a ON a.id = w.runner_id "
                            "WHERE a.email = 'una@example.org' AND o.status = 'open'")
        assert offer == f"{pid_of(s, 'Priya')} {clinic_time(day, '14:00')}", offer
        assert count(s, "mail_outbox WHERE to_addr = 'una@example.org' AND subject = 'A time came free for you'") == 1
        assert count(s, "audit_log WHERE action = 'clinic.schedule'") == 1
        assert count(s, "audit_log WHERE action = 'appointment.cancel'") == 2
        # Lin cannot be booked that afternoon any more.
        rosa = Client(s).sign_in("rosa@example.org", "Rosa Reyes runs far 12")
        st, _, page = rosa.get(f"/book/acupuncture?practitioner={lin}&date={day}")
        assert f"start={clinic_time(day, '14:00')}&amp;practitioner={lin}" not in page
    finally:
        s.close()


@own_server
def test_hours_cut_across_visits_keep_them_to_move_one_by_one_or_go_back():
    s = Server()
    try:
        day, lin, visits = acupuncture_afternoon(s)
        adm = admin(s)
        row = query(s.db, f"SELECT id FROM working_hours WHERE practitioner_id = {lin} AND weekday = 1 "
                          "AND start_minute = 780")
        before = snapshot(s.db)
        form = {"id": row, "practitioner": lin, "day": "tue", "from": "13:00", "to": "15:00"}
        st, _, body = adm.post("/admin/clinic/hours", form, csrf_from="/admin/clinic/hours/edit?id=" + row)
        assert st == 409 and "1 booked visit would fall outside" in body and "Sam Stone" in body, body[-3000:]
        assert "Rosa Reyes" not in body, "14:00–14:45 still fits 13:00–15:00"
        # Go back: the form again with what was typed, nothing written.
        st, _, back = choose(adm, "/admin/clinic/hours", body, "back")
        assert st == 200 and typed(back, "to") == "15:00" and "<h1>Change weekly hours" in back, back[-2000:]
        assert snapshot(s.db) == before
        # Keep: the hours change, the visit stays booked, and the page links to it to move.
        st, _, done = choose(adm, "/admin/clinic/hours", body, "keep")
        assert st == 200 and "1 booked visit kept" in done, done[-2000:]
        assert "Visits to move one by one" in done and f'href="/appointments/{visits["Sam Stone"]}"' in done
        assert query(s.db, f"SELECT end_minute FROM working_hours WHERE id = {row}") == "900"
        assert query(s.db, f"SELECT status FROM appointment WHERE id = {visits['Sam Stone']}") == "booked"
        assert count(s, "mail_outbox WHERE subject = 'Your visit is cancelled'") == 0
        # Deleting the Tuesday morning row asks about Mo's visit the same way.
        morning = query(s.db, f"SELECT id FROM working_hours WHERE practitioner_id = {lin} AND weekday = 1 "
                              "AND start_minute = 480")
        st, _, body = adm.post("/admin/clinic/hours", {"id": morning, "remove": "yes"},
                               csrf_from="/admin/clinic/hours/edit?id=" + morning)
        assert st == 409 and "Mo Morning" in body
        assert count(s, f"working_hours WHERE id = {morning}") == 1
    finally:
        s.close()


@own_server
def test_a_visit_booked_since_the_warning_is_asked_about_before_anything_is_written():
    s = Server()
    try:
        day, lin, visits = acupuncture_afternoon(s)
        adm = admin(s)
        form = {"practitioner": lin, "from": day + "T13:00", "to": day + "T18:00", "note": "closed"}
        st, _, body = adm.post("/admin/clinic/time-off", form, csrf_from="/admin/clinic")
        assert st == 409
        # Meanwhile someone books Lin at 16:30.
        late = runner(s, "Lee Late", "lee@example.org")
        st, h, _ = book(late, "acupuncture", clinic_time(day, "16:30"), int(lin))
        assert st == 303
        before = snapshot(s.db)
        st, _, again = choose(adm, "/admin/clinic/time-off", body, "cancel", message="sorry")
        assert st == 409 and "Since you looked" in again and "Lee Late" in again, again[-2000:]
        assert snapshot(s.db) == before
        st, _, done = choose(adm, "/admin/clinic/time-off", again, "cancel", message="sorry")
        assert st == 200 and "3 visits cancelled" in done, done[-2000:]
    finally:
        s.close()


@own_server
def test_retiring_a_practitioner_with_visits_ahead_asks_first():
    s = Server()
    try:
        day, lin, visits = acupuncture_afternoon(s)
        adm = admin(s)
        st, _, body = adm.post("/admin/clinic/practitioners/retire", {"id": lin, "action": "retire"},
                               csrf_from="/admin/clinic/practitioners/edit?id=" + lin)
        assert st == 409 and "3 booked visits" in body and "Mo Morning" in body, body[-2000:]
        assert query(s.db, f"SELECT active FROM practitioner WHERE id = {lin}") == "1"
        st, _, done = choose(adm, "/admin/clinic/practitioners/retire", body, "cancel", message="Lin has left us.")
        assert st == 200 and "3 visits cancelled" in done, done[-2000:]
        assert query(s.db, f"SELECT active FROM practitioner WHERE id = {lin}") == "0"
        assert "Lin Wei" not in Client(s).sign_in("rosa@example.org", "Rosa Reyes runs far 12").get("/book/acupuncture")[2]
        # Their past and cancelled visits keep their name.
        st, _, page = Client(s).sign_in("rosa@example.org", "Rosa Reyes runs far 12").get(
            f"/appointments/{visits['Rosa Reyes']}")
        assert st == 200 and "Lin Wei" in page
    finally:
        s.close()


# --- the command line ------------------------------------------------------------------------------------------------

@own_server
def test_the_command_line_edits_retires_and_handles_visits():
    s = Server()
    try:
        day, lin, visits = acupuncture_afternoon(s)
        db = ["--db", s.db]
        st, out, err = runcare("clinic", "service", "edit", "--key", "acupuncture", "--price", "$1,100.5", *db)
        assert st == 0 and "$1,100.50" in out, (out, err)
        assert query(s.db, "SELECT price_cents FROM service WHERE key = 'acupuncture'") == "110050"
        st, _, err = runcare("clinic", "service", "edit", "--key", "acupuncture", "--price", "-3", *db)
        assert st == 2 and "--price" in err and "negative" in err, err
        st, out, err = runcare("clinic", "service", "add", "--key", "cupping", "--name", "Cupping", "--minutes", "30",
                               "--price", "60", "--discipline", "acupuncture", *db)
        assert st == 0, err
        st, out, _ = runcare("clinic", "show", *db)
        assert re.search(r"cupping .*offered by nobody", out), out
        st, out, err = runcare("clinic", "service", "retire", "--key", "cupping", *db)
        assert st == 0 and query(s.db, "SELECT active FROM service WHERE key = 'cupping'") == "0"
        st, out, err = runcare("clinic", "practitioner", "edit", "--id", lin, "--name", "Lin Wei", *db)
        assert st == 0 and query(s.db, f"SELECT name FROM practitioner WHERE id = {lin}") == "Lin Wei"
        # The old two-step offer goes through the same rules: Lin practises acupuncture only.
        st, out, err = runcare("clinic", "offer", "--practitioner", lin, "--service", "follow-up", *db)
        assert st == 2 and "cannot offer Follow-up visit" in err, err
        st, out, err = runcare("clinic", "practitioner", "edit", "--id", lin, "--disciplines",
                               "acupuncture physical_therapy", *db)
        assert st == 0, err
        st, out, err = runcare("clinic", "offer", "--practitioner", lin, "--service", "follow-up", *db)
        assert st == 0 and "now offers follow-up" in out, err
        assert count(s, f"practitioner_service WHERE practitioner_id = {lin}") == 2
        # Time off over booked visits: listed, nothing written, exit 2, until told what to do.
        args = ["clinic", "time-off", "add", "--practitioner", lin, "--from", day + " 13:00", "--to", day + " 18:00",
                "--note", "course", *db]
        st, out, err = runcare(*args)
        assert st == 2 and "2 booked visits" in err and "Rosa Reyes" in out + err and "--cancel-visits" in err, err
        assert count(s, "schedule_exception WHERE note = 'course'") == 0
        st, out, err = runcare(*args, "--cancel-visits", "--message", "Lin is on a course.")
        assert st == 0 and "2 visits cancelled" in out, (out, err)
        assert count(s, "mail_outbox WHERE subject = 'Your visit is cancelled' AND body LIKE '%Lin is on a course.%'") == 2
        off = query(s.db, "SELECT id FROM schedule_exception WHERE note = 'course'")
        st, out, err = runcare("clinic", "time-off", "edit", "--id", off, "--to", day + " 17:00", *db)
        assert st == 0, err
        assert query(s.db, f"SELECT ends_at FROM schedule_exception WHERE id = {off}") == str(clinic_time(day, "17:00"))
        st, out, err = runcare("clinic", "time-off", "delete", "--id", off, *db)
        assert st == 0 and count(s, f"schedule_exception WHERE id = {off}") == 0
        # Deleting the morning row: Mo's visit is kept, to move.
        morning = query(s.db, f"SELECT id FROM working_hours WHERE practitioner_id = {lin} AND weekday = 1 "
                              "AND start_minute = 480")
        st, out, err = runcare("clinic", "hours", "delete", "--id", morning, *db)
        assert st == 2 and "Mo Morning" in out + err
        st, out, err = runcare("clinic", "hours", "delete", "--id", morning, "--keep-visits", *db)
        assert st == 0 and "1 booked visit kept" in out and f"visit {visits['Mo Morning']}" in out, out
        assert count(s, f"working_hours WHERE id = {morning}") == 0
    finally:
        s.close()


# --- who may ------------------------------------------------------------------------------------------------------------

@own_server
def test_only_an_admin_changes_the_setup_and_only_with_the_form_token():
    s = Server()
    try:
        adm = admin(s)
        add_user(s, "front_desk", DESK[0], DESK[1], "Dee Desk")
        desk = Client(s).sign_in(*DESK)
        lin = pid_of(s, "Lin Wei")
        for path in ["/admin/clinic", "/admin/clinic/services/edit", "/admin/clinic/practitioners/edit?id=" + lin,
                     "/admin/clinic/hours/edit", "/admin/clinic/time-off/edit"]:
            assert desk.get(path)[0] == 403, path
        before = snapshot(s.db)
        token = desk.csrf("/account")
        for path, form in [("/admin/clinic/services", {"key": "x", "name": "X", "minutes": "30", "price": "1",
                                                        "discipline": "acupuncture"}),
                           ("/admin/clinic/practitioners/retire", {"id": lin, "action": "retire"}),
                           ("/admin/clinic/hours", {"practitioner": lin, "day": "sun", "from": "09:00", "to": "10:00",
                                                    "outside": "yes"}),
                           ("/admin/clinic/time-off", {"practitioner": lin, "from": clinic_day(2, 1) + "T09:00",
                                                       "to": clinic_day(2, 1) + "T10:00"})]:
            assert desk.request("POST", path, form=dict(form, csrf=token))[0] == 403, path
            # The admin without the form's token: refused before anything happens.
            assert adm.request("POST", path, form=dict(form, csrf="0" * 64))[0] == 403, path
            assert adm.request("POST", path, form=form)[0] == 403, path
        assert snapshot(s.db) == before
        assert count(s, "service WHERE key = 'x'") == 0
    finally:
        s.close()
