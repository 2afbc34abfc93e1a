"""selfcheck_flow.py — the self-check's stops and offers: an emergency ends the questions at once, an
urgent result offers the clinic's first free time today or the next clinic day (else its phone)."""
import re

from harness import Client, Server, own_server
from accounts import world


def step(c, fields, go):
    fields = dict(fields)
    form = {"step": fields.pop("step", "0"), "go": go}
    form.update({f"a.{k}": v for k, v in fields.items()})
    return c.post("/selfcheck/step", form, csrf_from="/selfcheck/start?region=" + fields["region"])


def main_of(body):
    return body[body.index("<main"):]


@own_server
def test_an_emergency_answer_stops_the_questions():
    w = world()
    c = Client(w.s)
    # "Next" after the warning signs, with saddle numbness: the emergency result, not step 2.
    st, _, body = step(c, {"region": "buttock_sit_bone", "saddle_numbness": "yes", "step": "0"}, "next")
    main = main_of(body)
    assert st == 200 and "urgency-emergency" in body and "Step 2 of 3" not in body, main[:1500]
    assert 'href="tel:911"' in main and 'href="tel:6195550142"' in main, "911 and the clinic, as links that dial"
    assert main.index("Call 911") < main.index("Why"), "what to do before why"
    assert "Book a visit" not in main and 'href="/book' not in main, "no booking offer: this cannot wait"
    assert "unanswered" not in main and "Your plan" not in main
    # Without the emergency, Next goes on to step 2 as before.
    st, _, body = step(c, {"region": "buttock_sit_bone", "saddle_numbness": "no", "step": "0"}, "next")
    assert "Step 2 of 3" in body


def urgent(c):
    st, _, body = step(c, {"region": "knee_inner", "knee_locked_now": "yes", "step": "2"}, "result")
    assert st == 200 and "urgency-urgent" in body, main_of(body)[:1500]
    return main_of(body)


@own_server
def test_an_urgent_result_offers_a_time_today_or_the_phone():
    # A Tuesday morning in the clinic's zone: the demo clinic has free physical-therapy times today.
    s = Server(env={"RUNCARE_CLOCK": "2026-12-01T09:00:00-08:00"})
    try:
        main = urgent(Client(s))
        assert "The clinic can see you today at" in main, main[:2000]
        m = re.search(r'href="/book/([a-z-]+)/confirm\?start=(\d+)&amp;practitioner=(\d+)"', main)
        assert m and m.group(1) in ("initial-assessment", "follow-up"), main[:2000]
        start = int(m.group(2))
        assert 1796144400 + 3600 <= start < 1796144400 + 10 * 3600, "today, after the hour's lead time"
        assert "Book a visit" not in main
    finally:
        s.close()
    # Saturday afternoon: the clinic closes at 14:00 and is shut on Sunday, so the phone instead.
    s = Server(env={"RUNCARE_CLOCK": "2026-12-05T13:30:00-08:00"})
    try:
        main = urgent(Client(s))
        assert "no free time today or tomorrow" in main and 'href="tel:6195550142"' in main, main[:2000]
        assert "/confirm?start=" not in main
    finally:
        s.close()


@own_server
def test_the_api_says_call_not_book_for_an_emergency():
    import json
    w = world()
    st, _, text = w.s.request("POST", "/api/selfcheck", body=json.dumps({"answers": {"region": "calf",
                              "chest_pain_or_breathlessness": True}}), headers={"Content-Type": "application/json"})
    doc = json.loads(text)
    assert st == 200 and doc["urgency"] == "emergency" and doc["conditions"][0]["key"] == "pulmonary_embolism"
    assert doc["plan"]["book"] is False and doc["plan"]["call"] == "911" and doc["unanswered_red_flags"] == []
    st, _, text = w.s.request("POST", "/api/selfcheck", body=json.dumps({"answers": {"region": "calf",
                              "calf_swelling_one_sided": True}}), headers={"Content-Type": "application/json"})
    doc = json.loads(text)
    assert doc["urgency"] == "urgent" and doc["plan"]["book"] is True and "call" not in doc["plan"]
