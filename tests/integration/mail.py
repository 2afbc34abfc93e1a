"""mail.py — the outbox delivered to a real SMTP server on loopback (Debian's python3-aiosmtpd),
retries while the relay is down, no duplicates with two processes, reminders, the calendar feed."""
import email
import mailbox
import os
import shutil
import subprocess
import tempfile
import time

from harness import Client, Server, add_user, clinic_day, clock_now, fresh_db, free_port, own_server, query
from booking import appointment_id, book, free_slots, slots_within_a_day

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-aiosmtpd and python3-icalendar live


class Relay:
    """aiosmtpd writing every message it receives into a maildir."""

    def __init__(self, port=None):
        self.dir = tempfile.mkdtemp(prefix="runcare-smtp-")
        self.port = port or free_port()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([SYSTEM_PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}",
                                      "-c", "aiosmtpd.handlers.Mailbox", os.path.join(self.dir, "mail")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import socket
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError("aiosmtpd did not start")

    def messages(self):
        path = os.path.join(self.dir, "mail")
        if not os.path.isdir(path):
            return []
        return [m for m in mailbox.Maildir(path, factory=None)]

    def wait_for(self, n, seconds=20):
        deadline = time.time() + seconds
        while time.time() < deadline:
            msgs = self.messages()
            if len(msgs) >= n:
                return msgs
            time.sleep(0.2)
        raise AssertionError(f"{len(self.messages())} messages arrived, expected {n}")

    def close(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def parse_ics(text):
    p = subprocess.run([SYSTEM_PYTHON, "-c",
                        "import sys, icalendar, json\n"
                        "cal = icalendar.Calendar.from_ical(sys.stdin.read())\n"
                        "out = []\n"
                        "for ev in cal.walk('VEVENT'):\n"
                        "    out.append({'start': int(ev.decoded('DTSTART').timestamp()), 'summary': str(ev['SUMMARY']),\n"
                        "                'status': str(ev.get('STATUS')), 'alarms': len(ev.walk('VALARM'))})\n"
                        "print(json.dumps(out))\n"], input=text, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    import json
    return json.loads(p.stdout)


def calendar_part(msg):
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True).decode()
    raise AssertionError("no text/calendar part")


@own_server
def test_confirmation_arrives_with_a_calendar_once_even_after_the_relay_was_down():
    relay = Relay()
    s = Server("--smtp", f"smtp://127.0.0.1:{relay.port}", "--mail-from", "frontdesk@clinic.example")
    try:
        add_user(s, "runner", "mia@example.org", "mia runs marathons")
        c = Client(s).sign_in("mia@example.org", "mia runs marathons")
        start, pid = free_slots(c, "acupuncture", "?date=" + clinic_day(3, 0))[0]
        book(c, "acupuncture", start, pid, reason="secret diagnosis words")
        time.sleep(1.5)  # the relay is down: the first attempt fails and is retried later
        assert query(s.db, "SELECT attempts FROM mail_outbox WHERE to_addr = 'mia@example.org'") != "0"
        # The relay comes up, then the retry is brought forward (in that order: a retry while aiosmtpd
        # is still starting would fail again and back off past the wait).
        relay.start()
        query(s.db, "UPDATE mail_outbox SET next_attempt_at = 0 RETURNING id")
        msgs = relay.wait_for(1)
        time.sleep(1.5)
        msgs = relay.messages()
        assert len(msgs) == 1, "sent once"
        m = email.message_from_bytes(msgs[0].as_bytes())
        assert m["To"] == "mia@example.org" and m["From"] == "frontdesk@clinic.example"
        assert m["Subject"] == "Your visit is booked"
        events = parse_ics(calendar_part(m))
        assert events[0]["start"] == start and events[0]["alarms"] == 1
        assert "secret diagnosis" not in calendar_part(m) and "Acupuncture" in events[0]["summary"]
        assert query(s.db, "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NOT NULL") == "1"
        log = s.read_log()
        assert "secret diagnosis" not in log and "mia@example.org" not in log, "no bodies or addresses in the log"
    finally:
        s.stop()
        s.close()
        relay.close()


@own_server
def test_two_processes_send_each_mail_once_and_remind_once():
    relay = Relay().start()
    d = tempfile.mkdtemp()
    url = fresh_db(d)
    a = Server("--smtp", f"smtp://127.0.0.1:{relay.port}", db=url)
    b = None
    try:
        b = Server("--smtp", f"smtp://127.0.0.1:{relay.port}", db=url)
        add_user(a, "runner", "noah@example.org", "noah runs trails 1")
        c = Client(a).sign_in("noah@example.org", "noah runs trails 1")
        now = clock_now()
        soon = slots_within_a_day(c, url)
        assert soon
        book(c, "follow-up", *soon[0])
        for i in range(5):  # more mail, to give both processes something to race for
            query(url, "INSERT INTO mail_outbox (to_addr, subject, body, created_at) VALUES "
                       f"('bulk{i}@example.org', 'Bulk {i}', 'Hello', {now}) RETURNING id")
        msgs = relay.wait_for(7, seconds=30)  # confirmation + reminder + 5
        time.sleep(2)
        msgs = relay.messages()
        subjects = sorted(email.message_from_bytes(m.as_bytes())["Subject"] for m in msgs)
        assert len(msgs) == 7, subjects
        assert subjects.count("Reminder: your visit tomorrow") == 1
        # Each message has a boundary of its own that no body could guess and forge.
        boundaries = {email.message_from_bytes(m.as_bytes()).get_boundary() for m in msgs}
        assert len(boundaries) == 7 and "runcare-part-boundary-7f3e" not in boundaries, boundaries
    finally:
        a.stop()
        a.close()
        if b:
            b.stop()
            b.close()
        relay.close()
        shutil.rmtree(d, ignore_errors=True)


@own_server
def test_private_calendar_feed_can_be_turned_off():
    s = Server()
    try:
        add_user(s, "runner", "ola@example.org", "ola runs the bay 1")
        c = Client(s).sign_in("ola@example.org", "ola runs the bay 1")
        start, pid = free_slots(c, "sports-massage", "?date=" + clinic_day(3, 1))[0]
        book(c, "sports-massage", start, pid, reason="private words")
        st, _, body = c.post("/account/calendar/new", {}, csrf_from="/account/calendar")
        import re
        url = re.search(r'<code class="secret">http://[^/]+(/calendar/[A-Za-z0-9_-]{43}\.ics)</code>', body).group(1)
        st, h, ics = Client(s).get(url)
        assert st == 200 and h["content-type"].startswith("text/calendar")
        events = parse_ics(ics)
        assert events[0]["start"] == start and events[0]["alarms"] == 1 and "private words" not in ics
        assert url.rsplit("/", 1)[1][:20] not in s.read_log(), "the token never reaches the log"
        c.post("/account/calendar/revoke", {}, csrf_from="/account/calendar")
        assert Client(s).get(url)[0] == 404
        assert Client(s).get("/calendar/nonsense.ics")[0] == 404
    finally:
        s.stop()
        s.close()


@own_server
def test_moving_and_cancelling_send_an_updated_calendar():
    relay = Relay().start()
    s = Server("--smtp", f"smtp://127.0.0.1:{relay.port}")
    try:
        add_user(s, "runner", "kai@example.org", "kai runs the hills 1")
        c = Client(s).sign_in("kai@example.org", "kai runs the hills 1")
        slots = free_slots(c, "follow-up", "?date=" + clinic_day(3, 2))
        start, pid = slots[0]
        aid = appointment_id(book(c, "follow-up", start, pid)[1])
        new_start = next(t for t, p in slots if p == pid and t != start)
        st, _, body = c.post(f"/appointments/{aid}/move", {"start": str(new_start), "practitioner": str(pid)},
                             csrf_from=f"/appointments/{aid}")
        assert st == 200 and "Moved" in body, body[:400]
        st, _, body = c.post(f"/appointments/{aid}/cancel", {}, csrf_from=f"/appointments/{aid}")
        assert st == 200
        relay.wait_for(3)
        time.sleep(1)
        msgs = sorted((email.message_from_bytes(m.as_bytes()) for m in relay.messages()), key=lambda m: m["Subject"])
        subjects = [m["Subject"] for m in msgs]
        assert subjects == ["Your visit has moved", "Your visit is booked", "Your visit is cancelled"], subjects
        moved = parse_ics(calendar_part(msgs[0]))[0]
        cancelled = parse_ics(calendar_part(msgs[2]))[0]
        booked = parse_ics(calendar_part(msgs[1]))[0]
        assert moved["start"] == new_start and booked["start"] == start
        assert cancelled["status"] == "CANCELLED" and moved["status"] == "CONFIRMED"
    finally:
        s.stop()
        s.close()
        relay.close()
