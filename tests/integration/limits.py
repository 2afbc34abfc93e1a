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
