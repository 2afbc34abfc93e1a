"""selfcheck.py — the self-check through the web (no JavaScript), the API and the terminal."""
import http.client
import json
import os
import re
import subprocess
import tempfile

from harness import BIN, Client, clinic_day, own_server, query, runcare
from accounts import world


from selfcheck_flow import old_form, step, walk_on


@own_server
def test_web_self_check_hamstring_case_and_red_flag_case():
    w = world()
    c = Client(w.s)
    st, _, body = c.get("/selfcheck")
    assert st == 200 and body.count('href="/selfcheck/start?region=') >= 50, "every region on the map and in the list"
    for region in ("knee_front", "knee_outer", "knee_inner", "knee_back", "thigh_front", "thigh_inner", "ankle"):
        assert body.count(f'href="/selfcheck/start?region={region}"') == 2, region
    assert "<svg" in body and "<title" in body
    st, _, body = c.get("/selfcheck/start?region=buttock_sit_bone")
    assert st == 200 and "Warning signs first" in body and "saddle" in body
    assert "heel bone" not in body, "only the questions that matter here"
    # The three-step form from before one question a page (a tab left open) goes on from its answers,
    # which travel on in the step's address.
    answers = {"region": "buttock_sit_bone", "onset": "gradual", "pain_with_sitting": "yes",
               "sit_bone_tender_to_press": "yes", "saddle_numbness": "no", "bladder_bowel_change": "no",
               "track_running": "yes", "numbness_tingling": "no"}
    st, h, _ = old_form(c, dict(answers, step="0"), "next")
    assert st == 303 and h["location"].startswith("/selfcheck/ask?a.region=buttock_sit_bone&a.onset=gradual&"), h
    assert "&a.saddle_numbness=no" in h["location"] and "&a.track_running=yes" in h["location"]
    # A number question is a well-formed number input (a broken attribute once lost every later answer).
    st, _, body = c.get("/selfcheck/ask?a.region=buttock_sit_bone&a.age=300")
    assert st == 400 and "&#39;age&#39; must be a whole number from 10 to 100" in body
    st, _, body = c.get("/selfcheck/ask?a.region=buttock_sit_bone")  # skipping every question, age comes
    while 'name="a.age"' not in body and "What to do now" not in body:
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body))
        st, h2, _ = c.request("POST", "/selfcheck/ask", form=list(fields.items()) + [("go", "skip")])
        st, _, body = c.get(h2["location"])
    assert 'name="a.age" min="10" max="100"' in body, re.findall(r'<input type="number"[^>]*>', body)
    st, _, body = step(c, dict(answers, step="2"), "result")
    assert st == 200 and "What to do now" in body and "Look after it at home" in body
    assert "Proximal hamstring tendinopathy" in body and "/articles/runners-butt" in body
    assert "Track running" in body, "the reported risk factor and what to do about it"
    # The red-flag case leads with the emergency.
    st, _, body = step(c, {"region": "low_back", "saddle_numbness": "yes", "step": "2"}, "result")
    assert st == 200
    main = body[body.index("<main"):]
    assert main.index("Call 911") < main.index("Why"), "the emergency comes before anything else"
    assert "urgency-emergency" in body
    # Bad input names the field and keeps the form.
    st, _, body = step(c, {"region": "neck", "age": "300", "step": "2"}, "result")
    assert st == 400 and "&#39;age&#39; must be" in body
    st, _, body = c.get("/selfcheck/start?region=elbow")
    assert st == 400


@own_server
def test_signed_in_runner_keeps_a_history():
    w = world()
    a = w.client("a")
    st, _, body = step(a, {"region": "heel_sole", "morning_first_step_pain": "yes", "step": "2"}, "result")
    assert st == 200 and "your history" in body
    st, _, body = a.get("/selfcheck/history")
    assert st == 200 and "Plantar heel pain" in body
    assert query(w.s.db, f"SELECT COUNT(*) FROM selfcheck_result WHERE runner_id = {w.ids['a']}") != "0"
    st, _, body = a.get("/account/export")
    assert "selfcheck_result" in json.loads(body)
    # An old three-step form whose answers end the questions keeps its result where it is posted, once.
    mine = f"SELECT COUNT(*) FROM selfcheck_result WHERE runner_id = {w.ids['a']}"
    before = int(query(w.s.db, mine))
    st, h, _ = old_form(a, {"region": "low_back", "saddle_numbness": "yes", "step": "2"}, "result")
    assert st == 303 and h["location"] == "/selfcheck/ask?a.region=low_back&a.saddle_numbness=yes", h
    assert int(query(w.s.db, mine)) == before + 1
    st, _, body = a.get(h["location"])
    assert st == 200 and "urgency-emergency" in body and int(query(w.s.db, mine)) == before + 1, "a GET never writes"
    n = query(w.s.db, "SELECT COUNT(*) FROM selfcheck_result")
    Client(w.s).post("/selfcheck/step", {"a.region": "neck", "go": "result", "step": "2"},
                     csrf_from="/selfcheck/start?region=neck")
    assert query(w.s.db, "SELECT COUNT(*) FROM selfcheck_result") == n, "anonymous results are not stored"


@own_server
def test_api_self_check_and_questions():
    w = world()
    st, h, text = w.s.request("POST", "/api/selfcheck",
                              body=json.dumps({"answers": {"region": "achilles", "sudden_kick_sensation_heel": True,
                                                           "walking_difficult": False}}),
                              headers={"Content-Type": "application/json"})
    doc = json.loads(text)
    assert st == 200 and doc["urgency"] == "urgent" and doc["conditions"][0]["key"] == "achilles_rupture"
    assert set(doc) >= {"urgency", "red_flags", "conditions", "risk_factors", "plan", "unanswered_red_flags"}
    assert doc["red_flags"][0]["findings"] == ["sudden_kick_sensation_heel"]
    for body, word in [({"answers": {"region": "moon"}}, "'region'"), ({"answers": {"fever": "yes"}}, "'fever'"),
                       ({"answers": {"nope": True}}, "'nope'"), ({"answers": []}, "'answers'")]:
        st, _, text = w.s.request("POST", "/api/selfcheck", body=json.dumps(body),
                                  headers={"Content-Type": "application/json"})
        assert st == 400 and word in json.loads(text)["error"], (body, text)
    st, _, text = w.s.request("POST", "/api/selfcheck", body="{oops", headers={"Content-Type": "application/json"})
    assert st == 400
    # An error that quotes a long answer key is cut on a character boundary: the answer stays UTF-8 JSON
    # (cut in the middle of an "é", it was neither; found by tests/fuzz/fuzz_http.c).
    for n in (300, 301):
        c = http.client.HTTPConnection("127.0.0.1", w.s.port, timeout=10)
        c.request("POST", "/api/selfcheck", body=json.dumps({"answers": {"x" + "é" * n: "yes"}}, ensure_ascii=False)
                  .encode(), headers={"Content-Type": "application/json"})
        r = c.getresponse()
        raw = r.read()
        c.close()
        assert r.status == 400 and json.loads(raw.decode("utf-8"))["error"].startswith("'xéé"), raw[:200]
    st, _, text = w.s.get("/api/selfcheck/questions")
    q = json.loads(text)
    assert st == 200 and len(q["findings"]) == 110
    assert q["by_region"]["neck"][0] == "region" and "stroke_warning_signs" in q["by_region"]["neck"]
    assert "heel_squeeze_pain" not in q["by_region"]["neck"]


@own_server
def test_cli_check_file_json_terminal_and_bad_input():
    d = tempfile.mkdtemp()
    p = os.path.join(d, "v.json")
    json.dump({"id": "x", "answers": {"region": "shin_inner", "tender_along_long_strip_of_bone": True,
                                      "pain_with_hopping": "mild"}}, open(p, "w"))
    st, out, err = runcare("check", "--answers", p, "--json")
    assert st == 0 and json.loads(out)["conditions"][0]["key"] == "medial_tibial_stress_syndrome", err
    st, out, _ = runcare("check", "--answers", p)
    assert st == 0 and "What to do now (self_care)" in out
    json.dump({"region": "shin_inner", "pain_with_hopping": "very"}, open(p, "w"))
    st, _, err = runcare("check", "--answers", p)
    assert st == 2 and "'pain_with_hopping' must be one of none, mild, severe" in err
    open(p, "w").write("{\n  \"region\": \n")
    st, _, err = runcare("check", "--answers", p)
    assert st == 2 and "line" in err
    # The terminal asks the same questions, with the same branching: where, then the flags, one at a time
    # as the web does (rc_triage_next), so it stops when nothing left could change the advice.
    st, out, err = runcare("check", input="low_back\n" + "\n" * 200)
    assert st == 0 and "Where is the pain worst" in out and "What to do now" in out
    assert out.index("saddle") < out.index("What were you doing when it started"), "warning signs before the story"
    assert "squeezing your heel" not in out, "no heel questions about back pain"
    # An emergency answer ends the questions at once.
    st, out, _ = runcare("check", input="low_back\nyes\n" + "\n" * 200)
    assert st == 0 and out.count("[yes/no/?]") == 1, out
    assert "What to do now (emergency)" in out and "Cauda equina syndrome" in out
    assert "did not answer" not in out, "no unanswered-question note with an emergency"
    st, out, _ = runcare("check", input="knee\n\n")
    assert "'region' must be one of" in out


@own_server
def test_cli_asks_one_question_at_a_time_as_the_api_does():
    # Skipping every question, the terminal asks exactly what POST /api/selfcheck/next asks (it asked all
    # 60 of a low back's questions before; the engine stops when nothing left could change the advice).
    w = world()
    for region in ("low_back", "knee_front", "ankle"):
        answers, skipped, kinds = {"region": region}, [], []
        while True:
            st, _, text = w.s.request("POST", "/api/selfcheck/next", body=json.dumps({"answers": answers, "skipped": skipped}),
                                      headers={"Content-Type": "application/json"})
            doc = json.loads(text)
            assert st == 200, text
            if "result" in doc:
                break
            skipped.append(doc["question"]["key"])
            kinds.append(doc["question"]["type"])
        st, out, err = runcare("check", input=region + "\n" + "\n" * 200)
        assert st == 0 and "What to do now" in out, err
        assert out.count("[yes/no/?]") == kinds.count("bool"), (region, kinds)
        assert len(re.findall(r"\(\w+(, \w+)+\) ", out)) == 1 + kinds.count("enum"), (region, kinds)
        assert len(kinds) < 40, f"{region}: {len(kinds)} questions"


@own_server
def test_self_check_travels_with_a_booking_and_orders_the_waitlist():
    from booking import appointment_id, book, free_slots
    from harness import add_user
    w = world()
    add_user(w.s, "runner", "ursula@example.org", "ursula runs daily 1")
    u = Client(w.s).sign_in("ursula@example.org", "ursula runs daily 1")
    st, _, body = step(u, {"region": "groin_hip_front", "pain_with_hopping": "severe", "night_pain": "yes",
                           "step": "2"}, "result")
    assert "urgency-urgent" in body
    start, pid = free_slots(u, "follow-up", "?date=" + clinic_day(3, 4))[0]
    aid = appointment_id(book(u, "follow-up", start, pid, reason="groin pain")[1])
    st, _, body = w.client("practitioner").get(f"/appointments/{aid}")
    assert "groin pain" in body and "Latest self-check" in body and "Femoral neck stress fracture" in body
    # The front desk reads the reason the runner gave, not the self-check's assessment.
    st, _, desk = w.client("front_desk").get(f"/appointments/{aid}")
    assert st == 200 and "groin pain" in desk and "Femoral neck stress fracture" not in desk
    st, _, body = u.post("/waitlist", {"service": "acupuncture", "from": clinic_day(3, 6), "to": clinic_day(3, 6, 2)})
    assert st == 200
    uid = query(w.s.db, "SELECT id FROM account WHERE email = 'ursula@example.org'")
    assert query(w.s.db, f"SELECT urgency FROM waitlist WHERE runner_id = {uid}") == "urgent", \
        "the runner's place on the waitlist follows their self-check"


@own_server
def test_knee_calf_and_ankle_results_offer_their_home_programs():
    w = world()
    a = w.client("a")
    cases = [({"region": "knee_front", "onset": "gradual", "pain_with_stairs_or_squatting": "yes",
               "pain_sitting_with_knees_bent": "yes"}, "Patellofemoral pain", "Knee and hip strength program"),
             ({"region": "knee_outer", "onset": "gradual", "pain_starts_same_point_each_run": "yes",
               "pain_with_running_downhill": "yes"}, "Iliotibial band syndrome", "Outer hip strength program"),
             ({"region": "calf", "onset": "sudden", "mechanism": "sprint_or_push_off", "calf_swelling_one_sided": "no",
               "chest_pain_or_breathlessness": "no"}, "Calf muscle strain", "Calf strain program"),
             ({"region": "ankle", "onset": "sudden", "mechanism": "rolled_ankle", "cannot_bear_weight_four_steps": "no",
               "malleolus_bone_tender": "no"}, "Lateral ankle sprain", "Ankle sprain program")]
    for answers, condition, program in cases:
        st, _, body = step(a, dict(answers, step="2"), "result")
        assert st == 200 and condition in body and program in body, (answers, body[body.find("<main"):][:2000])
        assert "README" not in body and "shared/" not in body, "sources are publications, not files"
