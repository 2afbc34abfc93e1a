"""security.py — attacks from the hardening review, each as it was made: the test fails on the code
that had the hole."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, add_user, query, runcare  # noqa: E402

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
