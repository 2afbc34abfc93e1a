"""security.py — attacks from the hardening review, each as it was made: the test fails on the code
that had the hole."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, add_user, clock_now, own_server, query, runcare  # noqa: E402

PW = "a long enough password"


def test_signin_next_cannot_leave_the_site(s):
    add_user(s, "runner", "redirect@example.org", PW)
    for bad in ["/\t/evil.example/x", "/\n/evil.example", "/\\evil.example", "//evil.example", "/\\/evil.example",
                "https://evil.example/", "/ /evil.example", "/\x7f/evil.example", "/\u00a0/evil.example"]:
        c = Client(s)
        st, h, _ = c.post("/signin", {"email": "redirect@example.org", "password": PW, "next": bad},
                          csrf_from="/signin")
        assert st == 303, (bad, st)
        assert h["location"] == "/account", (bad, h["location"])
    c = Client(s)
    st, h, _ = c.post("/signin", {"email": "redirect@example.org", "password": PW, "next": "/today?x=1"},
                      csrf_from="/signin")
    assert st == 303 and h["location"] == "/today?x=1", h
    # The sign-in page keeps only a safe next in its form.
    st, _, body = Client(s).get("/signin?next=/%09/evil.example/")
    assert st == 200 and "evil.example" not in body


def test_names_with_control_characters_are_refused(s):
    for name in ["Eve\r\nBcc: victim@example.org", "Tab\there", "Nul\x00l", "C1\u0085control"]:
        c = Client(s)
        email = f"ctl{abs(hash(name)) % 10000}@example.org"
        st, _, body = c.post("/signup", {"name": name, "email": email}, csrf_from="/signup")
        assert st in (400, 422), (repr(name), st)
        # A NUL byte is refused by the form parser itself, before the page sees the form.
        assert "one line" in body or ("\x00" in name and "UTF-8" in body), body[-2000:]
        assert query(s.db, f"SELECT COUNT(*) FROM account WHERE email = '{email}'") == "0"
    st, _, err = runcare("user", "add", "--role", "runner", "--email", "ctl-cli@example.org", "--name",
                         "Line\nBreak", "--db", s.db, input=PW + "\n")
    assert st == 2 and "one line" in err, (st, err)
    st, _, err = runcare("clinic", "service", "add", "--key", "evil", "--name", "Evil\r\nService", "--minutes", "30",
                         "--price", "100", "--discipline", "sports_massage", "--db", s.db)
    assert st == 2 and "one line" in err, (st, err)


@own_server
def test_uploaded_text_is_stored_as_whole_characters():
    import json
    import training
    from accounts import world
    w = world()
    a = w.client("a")
    a.runner_id = w.ids["a"]
    now = clock_now()
    pts = [(now - 86400 + i, i * 3.0, 0.0, 10.0) for i in range(600)]
    doc = training.gpx(pts).replace(b"<type>running</type>", ("<type>" + "L\u00e4ufer-" * 6 + "</type>").encode())
    name = "\u00fc" * 100 + ".gpx"  # 200 bytes of two-byte characters: longer than the column
    st, body = training.upload(a, [(name, doc)])
    assert st == 200 and "1 added" in body, body[-1500:]
    st, h, raw = a.request("GET", "/account/export")
    assert st == 200, st
    export = json.loads(raw)
    text = json.dumps(export, ensure_ascii=False)
    assert "\ufffd" not in text, "a character was cut in half"
    assert "\u00fc" * 20 in text and "L\u00e4ufer" in text
