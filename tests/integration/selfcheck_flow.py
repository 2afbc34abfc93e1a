"""selfcheck_flow.py — the self-check's stops and offers: an emergency ends the questions at once, an
urgent result offers the clinic's first free time today or the next clinic day (else its phone)."""
import html
import re

from harness import Client, Server, own_server
from accounts import world


def old_form(c, fields, go):
    """Posts the three-step form the self-check had before one question a page (a tab left open since):
    it goes on from its answers with a 303 to the step they lead to."""
    fields = dict(fields)
    form = {"step": fields.pop("step", "0"), "go": go}
    form.update({f"a.{k}": v for k, v in fields.items()})
    return c.post("/selfcheck/step", form, csrf_from="/selfcheck/start?region=" + fields["region"])


def step(c, fields, go):
    """The old form, and on to the result one question at a time (a warning sign it does not answer: no;
    anything else: skipped); returns (status, headers, the page it ends on)."""
    st, h, body = old_form(c, fields, go)
    if st != 303:
        return st, h, body
    assert h["location"].startswith("/selfcheck/ask?a.region=" + fields["region"]), h
    st, h, body = c.get(h["location"])
    assert st == 200, body[:800]
    body, _, _ = walk_on(c, body, fields["region"], {})
    return st, h, body


def main_of(body):
    return body[body.index("<main"):]


@own_server
def test_an_emergency_answer_stops_the_questions():
    w = world()
    c = Client(w.s)
    # "Next" on the old three-step form's warning signs, with saddle numbness: the emergency result at once.
    st, h, _ = old_form(c, {"region": "buttock_sit_bone", "saddle_numbness": "yes", "step": "0"}, "next")
    assert st == 303, st
    st, _, body = c.get(h["location"])
    main = main_of(body)
    assert st == 200 and "urgency-emergency" in body and 'name="q"' not in body, main[:1500]
    assert 'href="tel:911"' in main and 'href="tel:6195550142"' in main, "911 and the clinic, as links that dial"
    assert main.index("Call 911") < main.index("Why"), "what to do before why"
    assert "Book a visit" not in main and 'href="/book' not in main, "no booking offer: this cannot wait"
    assert "unanswered" not in main and "Your plan" not in main
    # Without the emergency, it goes on to the next question, the answer kept.
    st, h, _ = old_form(c, {"region": "buttock_sit_bone", "saddle_numbness": "no", "step": "0"}, "next")
    assert st == 303 and h["location"] == "/selfcheck/ask?a.region=buttock_sit_bone&a.saddle_numbness=no", h
    st, _, body = c.get(h["location"])
    assert st == 200 and 'name="q"' in body and "What to do now" not in body


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


# --- one question at a time ---------------------------------------------------------------------

def form_of(body):
    """The question page's form: its hidden fields in order, and the question it asks."""
    form = body[re.search(r'<form[^>]* method="post" action="/selfcheck/ask"', body).start():]
    form = form[:form.index("</form>")]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    q = dict(fields)["q"]
    return [(k, html.unescape(v)) for k, v in fields], q


def walk_web(c, region, case, limit=40):
    """Answers each question from case as a runner would (a warning sign it does not mention: no; anything
    else: skipped) until the result; returns (result page, questions asked, the step addresses)."""
    st, _, body = c.get("/selfcheck/start?region=" + region)
    assert st == 200, body[:500]
    return walk_on(c, body, region, case, limit)


def walk_on(c, body, region, case, limit=40):
    """walk_web from a step's page."""
    urls, asked = [], 0
    while "What to do now" not in body:
        assert asked < limit, "too many questions"
        fields, q = form_of(body)
        asked += 1
        go = "next"
        if q in case:
            fields.append(("a." + q, case[q]))
        elif "Warning signs first" in body:
            fields.append(("a." + q, "no"))
        else:
            go = "skip"
        fields.append(("go", go))
        st, h, _ = c.request("POST", "/selfcheck/ask", form=fields)
        assert st == 303 and h["location"].startswith("/selfcheck/ask?a.region=" + region), (st, h)
        urls.append(h["location"])
        st, _, body = c.get(h["location"])
        assert st == 200, body[:800]
    return body, asked, urls


@own_server
def test_one_question_at_a_time_a_knee_case():
    w = world()
    c = Client(w.s)
    case = {"onset": "gradual", "pain_with_stairs_or_squatting": "yes", "pain_sitting_with_knees_bent": "yes",
            "pain_with_running_downhill": "yes", "pain_below_kneecap_with_jumping": "no", "swelling": "no",
            "knee_locking": "no", "age": "29", "sex": "female"}
    body, asked, urls = walk_web(c, "knee_front", case)
    main = main_of(body)
    assert "Patellofemoral pain" in main and "urgency-self_care" in main, main[:1500]
    assert "Knee and hip strength program" in main
    assert asked <= 14, asked
    assert "unanswered" not in main, "every warning sign that could change the advice was asked"
    # Each step is its own page: an earlier address still shows its question, and the last answer can be
    # changed from the result (the step before it).
    st, _, body = c.get(urls[0])
    assert st == 200 and "Question 2." in body
    assert 'Change the last answer' in main
    # Answers are shown in words on the way, not as keys.
    st, _, body = c.get(urls[-2])
    assert "<dd>No</dd>" in body and "<dd>no</dd>" not in body and "<summary>Your answers so far (" in body, body[-3000:]


@own_server
def test_one_question_at_a_time_an_ankle_case_by_the_ottawa_rules():
    w = world()
    c = Client(w.s)
    case = {"onset": "sudden", "mechanism": "rolled_ankle", "malleolus_bone_tender": "yes",
            "cannot_bear_weight_four_steps": "no", "swelling": "yes"}
    body, asked, _ = walk_web(c, "ankle", case)
    main = main_of(body)
    assert "urgency-urgent" in main and "Ankle or midfoot fracture" in main, main[:1500]
    assert "Septic arthritis" not in main, "an alternative the answers point away from is not named"
    assert "Ottawa" in main, "why, with its source"
    # Ottawa-negative: a sprain to look after at home.
    case.update({"malleolus_bone_tender": "no", "fifth_metatarsal_base_tender": "no", "navicular_bone_tender": "no"})
    body, asked, _ = walk_web(Client(w.s), "ankle", case)
    assert "urgency-self_care" in body and "Lateral ankle sprain" in body and "Ankle sprain program" in body


@own_server
def test_one_question_at_a_time_an_emergency_stops_at_once():
    w = world()
    c = Client(w.s)
    st, _, body = c.get("/selfcheck/start?region=low_back")
    fields, q = form_of(body)
    assert q == "saddle_numbness" and "Warning signs first" in body, q
    st, h, _ = c.request("POST", "/selfcheck/ask", form=fields + [("a.saddle_numbness", "yes"), ("go", "next")])
    assert st == 303
    st, _, body = c.get(h["location"])
    main = main_of(body)
    assert "urgency-emergency" in main and 'href="tel:911"' in main and "Book" not in main, main[:1500]
    assert "Question" not in main


@own_server
def test_one_question_at_a_time_bad_input():
    w = world()
    c = Client(w.s)
    # No answer chosen: the question again, with the field named, and 422.
    st, _, body = c.get("/selfcheck/start?region=knee_inner")
    fields, q = form_of(body)
    st, _, body = c.request("POST", "/selfcheck/ask", form=fields + [("go", "next"), ("csrf", dict(fields)["csrf"])])
    assert st == 422 and f"Choose an answer for &#39;{q}&#39;" in body and 'class="field-error"' in body
    for path, status, words in [
            ("/selfcheck/ask?a.region=neck&a.heel_squeeze_pain=yes", 422, "&#39;heel_squeeze_pain&#39; is a question about another part"),
            ("/selfcheck/ask?a.region=knee_inner&a.knee_locked_now=yes&a.knee_locking=no", 422, "&#39;knee_locked_now&#39; and &#39;knee_locking&#39; contradict"),
            ("/selfcheck/ask?a.region=knee_inner&a.nope=yes", 400, "&#39;nope&#39; is not a question"),
            ("/selfcheck/ask?a.region=knee_inner&a.swelling=maybe", 400, "&#39;swelling&#39; must be"),
            ("/selfcheck/ask?a.region=knee_inner&a.swelling=yes&a.swelling=no", 400, "answered twice"),
            ("/selfcheck/ask?a.region=elbow", 400, "&#39;region&#39; must be")]:
        st, _, body = c.get(path)
        assert st == status and words in body, (path, st, body[body.find("<main"):][:600])


def api_next(s, body):
    import json
    st, _, text = s.request("POST", "/api/selfcheck/next", body=body if isinstance(body, str) else json.dumps(body),
                            headers={"Content-Type": "application/json"})
    return st, json.loads(text)


def api_walk(s, region, case, skip_warning=None):
    """Asks /next until the result, answering from case (a warning-sign question it does not mention: no,
    or skipped when it is skip_warning; anything else: skipped)."""
    answers, skipped = {"region": region}, []
    for _ in range(40):
        st, doc = api_next(s, {"answers": answers, "skipped": skipped})
        assert st == 200, doc
        if "result" in doc:
            return doc
        q = doc["question"]
        assert q["choices"][-1] == {"value": None, "words": "I don't know"} and q["text"]
        if q["key"] in case:
            answers[q["key"]] = case[q["key"]]
        elif (q["warning"] or q["group"] == "red_flags") and q["type"] == "bool" and q["key"] != skip_warning:
            answers[q["key"]] = False
        else:
            skipped.append(q["key"])
    raise AssertionError("too many questions")


@own_server
def test_api_next_asks_until_a_result():
    w = world()
    st, doc = api_next(w.s, {"answers": {}})
    assert st == 200 and doc["question"]["key"] == "region" and doc["asked"] == 0
    case = {"onset": "sudden", "mechanism": "sprint_or_push_off", "calf_swelling_one_sided": False,
            "chest_pain_or_breathlessness": False, "cannot_single_leg_heel_raise": False, "pain_with_hopping": "mild"}
    doc = api_walk(w.s, "calf", case)
    assert doc["result"]["urgency"] == "soon" and doc["result"]["conditions"][0]["key"] == "calf_muscle_strain", doc
    assert doc["result"]["unanswered_red_flags"] == [], "none skipped, and those never asked could not matter"
    # A warning sign the runner skips is named as unanswered.
    doc = api_walk(w.s, "calf", case, skip_warning="tense_swollen_leg")
    assert "tense_swollen_leg" in doc["result"]["unanswered_red_flags"], doc
    # A warning sign ends it at once.
    st, doc = api_next(w.s, {"answers": {"region": "calf", "chest_pain_or_breathlessness": True}})
    assert doc["result"]["urgency"] == "emergency" and doc["asked"] == 2
    # Enum choices come in words.
    st, doc = api_next(w.s, {"answers": {"region": "ankle", "malleolus_bone_tender": False}, "skipped": []})
    seen = doc.get("question", {})
    for c in seen.get("choices", []):
        assert "_" not in c["words"], c


@own_server
def test_api_bad_input_names_the_key_and_never_lowers_the_level():
    w = world()
    for body, status, words in [
            ({"answers": {"region": "neck", "heel_squeeze_pain": True}}, 422, "'heel_squeeze_pain'"),
            ({"answers": {"region": "ankle", "mechanism": "rolled_ankle", "onset": "gradual"}}, 422, "'mechanism' and 'onset'"),
            ({"answers": {"region": "calf", "nope": True}}, 400, "'nope'"),
            ({"answers": {"region": "calf", "chest_pain_or_breathlessness": "yes"}}, 400, "'chest_pain_or_breathlessness'"),
            ({"answers": {"region": "calf"}, "skipped": ["region"]}, 400, "'region' is both"),
            ({"answers": {"region": "calf"}, "skiped": []}, 400, "'skiped'"),
            ({"answers": {"region": "calf"}, "skipped": ["nope"]}, 400, "'nope'"),
            ("{\"answers\": {\"region\": \"calf\", \"region\": \"neck\"}}", 400, "duplicate"),
            ('{"answers": {"region": "calf", "x": "' + "a" * 20000 + '"}}', 413, "16 KB")]:
        for path in ("/api/selfcheck/next", "/api/selfcheck"):
            if path == "/api/selfcheck" and isinstance(body, dict) and "skipped" in body or \
                    path == "/api/selfcheck" and isinstance(body, dict) and "skiped" in body:
                continue
            import json
            st, _, text = w.s.request("POST", path, body=body if isinstance(body, str) else json.dumps(body),
                                      headers={"Content-Type": "application/json"})
            doc = json.loads(text)
            assert st == status and words in doc["error"], (path, body if isinstance(body, dict) else body[:80], st, doc)
            assert "urgency" not in doc and "result" not in doc, "a malformed answer gives no (lower) level"


# --- a result made before signing up ------------------------------------------------------------

@own_server
def test_an_anonymous_result_joins_the_new_account_and_the_booking_that_follows():
    from accounts import link_path, outbox
    from booking import appointment_id, book, free_slots
    from harness import clinic_day, query
    w = world()
    c = Client(w.s)
    before = query(w.s.db, "SELECT COUNT(*) FROM selfcheck_result")
    held = int(query(w.s.db, "SELECT COUNT(*) FROM selfcheck_pending"))
    body, _, _ = walk_web(c, "knee_inner", {"knee_locked_now": "yes", "onset": "sudden"})
    assert "urgency-urgent" in body and "Meniscal tear" in body
    assert "This browser holds this result for 7 days" in body, main_of(body)[-1500:]
    token = c.cookies.get("rc_selfcheck")
    assert token and len(token) >= 40, c.cookies
    assert query(w.s.db, "SELECT COUNT(*) FROM selfcheck_result") == before, "held, not in anyone's history"
    assert int(query(w.s.db, "SELECT COUNT(*) FROM selfcheck_pending")) == held + 1
    assert query(w.s.db, f"SELECT COUNT(*) FROM selfcheck_pending WHERE token_hash = '{token}'") == "0", \
        "only the token's hash is stored"
    # Sign up in the same browser, through the mailed link.
    st, _, body = c.post("/signup", {"name": "Nina Knee", "email": "nina@example.org"})
    assert st == 200
    path = link_path(outbox(w.s.db, "nina@example.org")[1])
    st, h, _ = c.post(path, {"password": "nina runs the hills 4", "confirm": "nina runs the hills 4"}, csrf_from=path)
    assert st == 303 and "rc_selfcheck" not in c.cookies, "the token is used once and cleared"
    nina = query(w.s.db, "SELECT id FROM account WHERE email = 'nina@example.org'")
    assert query(w.s.db, f"SELECT top_condition FROM selfcheck_result WHERE runner_id = {nina}") == "meniscal_tear"
    assert int(query(w.s.db, "SELECT COUNT(*) FROM selfcheck_pending")) == held
    st, _, body = c.get("/selfcheck/history")
    assert "Meniscal tear" in body
    # The same token again (copied before it was cleared) claims nothing more.
    from harness import add_user
    add_user(w.s, "runner", "otto@example.org", "otto runs daily 12")
    other = Client(w.s)
    other.cookies["rc_selfcheck"] = token
    other.sign_in("otto@example.org", "otto runs daily 12")
    otto = query(w.s.db, "SELECT id FROM account WHERE email = 'otto@example.org'")
    assert query(w.s.db, f"SELECT COUNT(*) FROM selfcheck_result WHERE runner_id = {otto}") == "0"
    # The booking that follows carries it to the practitioner.
    start, pid = free_slots(c, "follow-up", "?date=" + clinic_day(3, 4))[0]
    aid = appointment_id(book(c, "follow-up", start, pid, reason="knee stuck")[1])
    st, _, body = w.client("practitioner").get(f"/appointments/{aid}")
    assert "Latest self-check" in body and "Meniscal tear" in body, body[body.find("<main"):][:2000]
    # The chart reads the answers in words.
    st, _, body = w.client("practitioner").get(f"/runners/{nina}/chart")
    assert st == 200 and "Inner side of the knee" in body and "knee_inner" not in body and "knee inner" not in body, \
        (st, body[body.find("<main"):][:3000])
