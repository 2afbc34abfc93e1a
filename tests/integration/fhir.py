"""fhir.py — a patient's record as HL7 FHIR R4, black-box: Patient/$everything for the runner (bearer token and
session) and clinicians, refused to everyone else; bad parameters as an OperationOutcome; the CapabilityStatement;
`runcare export --fhir`; every bundle validated by a published validator (Medplum's, tests/fhir/validate.mjs) with
zero errors; the bundle read from SQLite equal to the one read after `runcare db copy` to PostgreSQL; and the
runner's own readable download (/account/export.zip)."""
import base64
import csv
import datetime
import http.client
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile

from chart import Clinic, api, days_ago, first_note_form, have_points, sit_bone_episode, token
from harness import CLINIC_TZ, PG, ROOT, Server, clock_now, fresh_db, own_server, query, runcare
from training import road

FHIR_DIR = os.path.join(ROOT, "tests", "fhir")
ALL_TYPES = {"Patient", "Organization", "Practitioner", "PractitionerRole", "Appointment", "Encounter", "EpisodeOfCare",
             "Condition", "Observation", "Questionnaire", "QuestionnaireResponse", "CarePlan", "Procedure",
             "DocumentReference", "AllergyIntolerance", "Flag"}


def validator():
    """node and the validator's packages (npm ci into tests/fhir once, as tests/browser does)."""
    if not os.path.isdir(os.path.join(FHIR_DIR, "node_modules", "@medplum", "core")):
        st = subprocess.run(["npm", "ci", "--prefix", FHIR_DIR, "--no-audit", "--no-fund"], capture_output=True, text=True)
        assert st.returncode == 0, st.stderr[-2000:]
    return ["node", os.path.join(FHIR_DIR, "validate.mjs")]


def validate(*docs):
    """Validates each document (a parsed JSON value); returns the validator's report for each."""
    d = tempfile.mkdtemp()
    files = []
    for i, doc in enumerate(docs):
        files.append(os.path.join(d, f"doc{i}.json"))
        with open(files[-1], "w") as f:
            json.dump(doc, f)
    st = subprocess.run(validator() + files, capture_output=True, text=True, timeout=120)
    reports = [json.loads(line) for line in st.stdout.splitlines() if line.startswith("{")]
    assert len(reports) == len(docs), st.stdout + st.stderr
    for r in reports:
        assert r["errors"] == [], r["errors"][:20]
    assert st.returncode == 0, st.stderr
    return reports


def fhir(s, path, tok=None, client=None):
    if client:
        st, h, text = client.get(path)
    else:
        st, h, text = s.request("GET", path, headers={"Authorization": "Bearer " + tok} if tok else {})
    return st, h, json.loads(text) if text.strip().startswith("{") else text


def types_of(bundle):
    return {e["resource"]["resourceType"] for e in bundle["entry"]}


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def full_record(w):
    """Everything a runner's record can hold, through the doors people use: a self-check, details with two alerts
    (an allergy among them), an episode, consent, a signed first visit with measures, acupuncture, soft tissue,
    manual therapy and the home program, an addendum, the diary and a PSFS rating (the demo's training files are
    there already)."""
    s = w.s
    rosa_tok = token(s, w.rosa_email)
    st, res = api(s, "POST", "/api/selfcheck", rosa_tok, {"answers": {
        "region": "buttock_sit_bone", "onset": "gradual", "pain_with_sitting": True, "sit_bone_tender_to_press": True,
        "saddle_numbness": False, "bladder_bowel_change": False, "hills_added": True}})
    assert st == 200, res
    d1 = days_ago(7)
    appt = w.visit(d1)
    pat = w.client("pat")
    # Two alerts: the field twice, as the form's checkboxes send it.
    st, _, _ = pat.request("POST", w.chart("/details"), form=[
        ("date_of_birth", "1991-04-17"), ("phone", "(619) 555-0199"), ("emergency_name", "Sam Runner"),
        ("emergency_phone", "619 555 0100"), ("alerts", "anticoagulants"), ("alerts", "allergies"),
        ("alert_note", "Apixaban; latex allergy"), ("csrf", pat.csrf(w.chart("/details")))])
    assert st == 303, st
    pat_tok = token(s, "pat@clinic.test")
    episode = sit_bone_episode(s, pat_tok, w.rosa)["episode"]["id"]
    st, _, _ = pat.post(w.chart("/consent"), {"version": "1", "given_day": d1}, csrf_from=w.chart("/consent"))
    assert st == 303
    form = first_note_form(episode, appt, d1, action="sign")
    st, h, body = pat.post(w.chart("/notes"), form, csrf_from=w.chart(f"/notes/new?appointment={appt}"))
    assert st == 303, body[-2000:]
    note = int(re.search(r"/notes/(\d+)", h["location"]).group(1))
    st, _, _ = pat.post(w.chart(f"/notes/{note}/addenda"), {"text": "BL36 on the left only."},
                        csrf_from=w.chart(f"/notes/{note}"))
    assert st == 303
    rosa = w.client("rosa")
    st, _, _ = rosa.post("/diary", {"day": days_ago(1), "pain_rest": "2", "pain_sitting": "4", "pain_running": "3",
                                    "minutes_run": "30", "notes": "Easy 5k"}, csrf_from="/diary")
    assert st == 303, st
    st, _, _ = rosa.post("/diary/psfs", {"activity1": "Sitting through a film", "score1": "4",
                                         "activity2": "Running uphill", "score2": "6"}, csrf_from="/diary")
    assert st == 303, st
    # A visit that took place with no note yet.
    w.visit(days_ago(2), "10:00", reason="Review")
    # A training file of her own, as her watch wrote it.
    w.gpx = road(clock_now() - 3 * 86400 - clock_now() % 86400 + 15 * 3600, 35, climb_per_km=10)
    path = os.path.join(s.dir, "Morning run.gpx")
    with open(path, "wb") as f:
        f.write(w.gpx)
    st, _, err = runcare("import", path, "--runner", w.rosa_email, "--db", s.db)
    assert st == 0, err
    return rosa_tok, pat_tok, note, episode


@own_server
def test_everything_holds_every_kind_of_resource_and_validates():
    if not have_points():
        return
    w = Clinic()
    try:
        s = w.s
        rosa_tok, pat_tok, note, episode = full_record(w)
        path = f"/fhir/Patient/{w.rosa}/$everything"
        st, h, b = fhir(s, path, rosa_tok)
        assert st == 200, b
        assert h["content-type"] == "application/fhir+json", h
        assert b["resourceType"] == "Bundle" and b["type"] == "searchset" and b["total"] == len(b["entry"])
        assert types_of(b) == ALL_TYPES, ALL_TYPES - types_of(b)
        # The working diagnosis with its ICD-10-CM code; the pain scores with LOINC's.
        cond = resources(b, "Condition")[0]
        assert {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M76.892",
                "display": "Other specified enthesopathies of lower limb, excluding foot"} in cond["code"]["coding"], cond
        pain = [o for o in resources(b, "Observation")
                if any(c.get("system") == "http://loinc.org" and c["code"] == "72514-3" for c in o["code"]["coding"])]
        assert len(pain) >= 6, "three at the visit, three in the diary"
        rest = next(o for o in pain if o["id"].startswith("measure-") and "pain_rest" in json.dumps(o["code"]))
        assert rest["valueQuantity"]["value"] == 3 and rest["encounter"]["reference"] == f"Encounter/note-{note}"
        psfs = next(o for o in resources(b, "Observation") if o["id"].startswith("psfs-"))
        assert psfs["valueQuantity"]["value"] == 5.0 and len(psfs["component"]) == 2, psfs
        assert any(o["id"].startswith("load-") for o in resources(b, "Observation")), "weekly training load"
        # Acupuncture with its WHO point codes; the signed note as a document, its addendum in it.
        acu = next(p for p in resources(b, "Procedure") if p["code"]["coding"][0]["code"] == "acupuncture")
        assert [c["coding"][0]["code"] for c in acu["bodySite"]] == ["BL36", "BL40", "GB30", "GV20"], acu["bodySite"]
        doc = next(d for d in resources(b, "DocumentReference") if d["id"] == f"note-{note}")
        text = base64.b64decode(doc["content"][0]["attachment"]["data"]).decode()
        assert "Assessment: Left proximal hamstring tendinopathy" in text and "BL36 on the left only." in text, text
        assert any(d["id"].startswith("file-") for d in resources(b, "DocumentReference")), "the training files"
        assert resources(b, "AllergyIntolerance")[0]["code"]["text"] == "Apixaban; latex allergy"
        assert resources(b, "Flag")[0]["code"]["coding"][0]["code"] == "anticoagulants"
        qr = resources(b, "QuestionnaireResponse")[0]
        assert qr["questionnaire"] == resources(b, "Questionnaire")[0]["url"]
        assert {"linkId": "pain_with_sitting"} .items() <= next(i for i in qr["item"] if i["linkId"] == "pain_with_sitting").items()
        assert resources(b, "CarePlan")[0]["status"] == "active" and resources(b, "CarePlan")[0]["activity"]
        assert len(resources(b, "Encounter")) == 2, "the signed visit and the visit without a note"
        # No draft and nothing private: no password, no session, no token.
        raw = json.dumps(b)
        assert "argon2" not in raw and "token_hash" not in raw
        # The real validator: zero errors, references resolved inside the bundle.
        st, h, meta = fhir(s, "/fhir/metadata")
        assert st == 200 and meta["resourceType"] == "CapabilityStatement" and meta["fhirVersion"] == "4.0.1"
        ops = meta["rest"][0]["resource"][0]
        assert ops["type"] == "Patient" and ops["operation"][0]["name"] == "everything"
        assert {r["type"] for r in meta["rest"][0]["resource"]} == ALL_TYPES
        assert all([i["code"] for i in r["interaction"]] == ["read"] for r in meta["rest"][0]["resource"]), \
            "it says only what is offered: reads, no search, no writes"
        report = validate(b, meta)
        assert report[0]["types"]["Observation"] >= 8
        # The same record for a practitioner, by session and by token; the read is in the audit log.
        st, _, b2 = fhir(s, path, pat_tok)
        assert st == 200 and len(b2["entry"]) == len(b["entry"])
        st, _, b3 = fhir(s, path, client=w.client("rosa"))
        assert st == 200 and len(b3["entry"]) == len(b["entry"]), "the runner's own session"
        assert int(query(s.db, f"SELECT COUNT(*) FROM audit_log WHERE action = 'fhir.everything' AND runner_id = {w.rosa}")) == 3
        # Every resource of the bundle is read by its id, the same as in the bundle.
        for e in b["entry"]:
            r = e["resource"]
            st, h, one = fhir(s, f"/fhir/{r['resourceType']}/{r['id']}", rosa_tok)
            assert st == 200 and h["content-type"] == "application/fhir+json" and one == r, (r["resourceType"], r["id"], st)
        obs = resources(b, "Observation")[0]
        st, _, one = fhir(s, f"/fhir/Observation/{obs['id']}", pat_tok)
        assert st == 200 and one == obs
        # The command line writes the same bundle (apart from its timestamp).
        out = os.path.join(s.dir, "rosa.json")
        st, _, err = runcare("export", "--patient", w.rosa_email, "--fhir", out, "--db", s.db,
                             "--public-url", f"http://127.0.0.1:{s.port}")
        assert st == 0, err
        cli = json.load(open(out))
        for x in (cli, b):
            x.pop("timestamp")
        assert cli == b
    finally:
        w.close()


@own_server
def test_everything_is_refused_to_others_and_bad_parameters_are_named():
    w = Clinic()
    try:
        s = w.s
        path = f"/fhir/Patient/{w.rosa}/$everything"
        other = token(s, "other@example.org")
        st, h, oo = fhir(s, path, other)
        assert st == 404 and oo["resourceType"] == "OperationOutcome" and "Rosa" not in json.dumps(oo)
        assert h["content-type"] == "application/fhir+json"
        st, _, oo = fhir(s, path, client=w.client("other"))
        assert st == 404 and oo["issue"][0]["code"] == "not-found"
        st, _, oo = fhir(s, path, token(s, "desk@clinic.test"))
        assert st == 403 and oo["issue"][0]["code"] == "forbidden", "the front desk sees no clinical record"
        st, h, oo = fhir(s, path)
        assert st == 401 and oo["issue"][0]["code"] == "login" and h["www-authenticate"] == "Bearer"
        pat = token(s, "pat@clinic.test")
        # No such patient, a staff account that is no patient, a number that is not one: 404.
        for pid in ["999999", str(w.pat), "abc"]:
            st, _, oo = fhir(s, f"/fhir/Patient/{pid}/$everything", pat)
            assert st == 404 and oo["resourceType"] == "OperationOutcome", (pid, st, oo)
        # _type narrows the bundle; an unknown type or parameter is a 400 naming it.
        st, _, b = fhir(s, path + "?_type=Patient,Observation", pat)
        assert st == 200 and types_of(b) <= {"Patient", "Observation"} and "Patient" in types_of(b), types_of(b)
        st, _, oo = fhir(s, path + "?_type=Observation,Medication", pat)
        assert st == 400 and oo["issue"][0]["code"] == "invalid" and oo["issue"][0]["expression"] == ["_type"]
        assert "Medication" in oo["issue"][0]["details"]["text"]
        st, _, oo = fhir(s, path + "?_since=2026-01-01", pat)
        assert st == 400 and oo["issue"][0]["expression"] == ["_since"], oo
        # One resource by its id: the runner's and clinicians', nobody else's; the clinic to anyone signed in.
        appt = w.visit(days_ago(3))
        st, _, res = fhir(s, f"/fhir/Appointment/{appt}", pat)
        assert st == 200 and res["resourceType"] == "Appointment" and res["status"] == "fulfilled", res
        st, _, res = fhir(s, f"/fhir/Patient/{w.rosa}", client=w.client("rosa"))
        assert st == 200 and res["id"] == str(w.rosa)
        for who in [other, token(s, "desk@clinic.test")]:
            st, _, oo = fhir(s, f"/fhir/Appointment/{appt}", who)
            assert st == 404 and oo["resourceType"] == "OperationOutcome" and "Rosa" not in json.dumps(oo), st
        st, _, org = fhir(s, "/fhir/Organization/clinic", other)
        assert st == 200 and org["name"].startswith("Balboa Park")
        for path in ["/fhir/Appointment/999999", "/fhir/Observation/load-x", "/fhir/Medication/1",
                     f"/fhir/Encounter/note-{appt}"]:
            st, _, oo = fhir(s, path, pat)
            assert st == 404 and oo["resourceType"] == "OperationOutcome", (path, st)
        st, _, oo = fhir(s, f"/fhir/Appointment/{appt}")
        assert st == 401 and oo["issue"][0]["code"] == "login"
        # No search and no writes, said in FHIR's terms.
        st, _, oo = fhir(s, "/fhir/Patient?name=Rosa", pat)
        assert st == 404 and oo["resourceType"] == "OperationOutcome"
        st = s.request("DELETE", f"/fhir/Appointment/{appt}", headers={"Authorization": "Bearer " + pat})[0]
        assert st == 405, st
        validate(oo, org)
        # The command line: an email with no patient is refused and nothing is written.
        out = os.path.join(s.dir, "none.json")
        st, _, err = runcare("export", "--patient", "nobody@example.org", "--fhir", out, "--db", s.db)
        assert st == 2 and "nobody@example.org" in err and not os.path.exists(out), err
        st, _, err = runcare("export", "--patient", "pat@clinic.test", "--fhir", out, "--db", s.db)
        assert st == 2 and not os.path.exists(out), err
    finally:
        w.close()


@own_server
def test_the_demo_runners_bundle_validates():
    s = Server()
    try:
        out = os.path.join(s.dir, "demo.json")
        st, _, err = runcare("export", "--patient", "runner@demo.runcare.test", "--fhir", out, "--db", s.db)
        assert st == 0, err
        b = json.load(open(out))
        assert {"Patient", "Organization", "DocumentReference", "Observation"} <= types_of(b), types_of(b)
        validate(b)
    finally:
        s.close()


@own_server
def test_the_bundle_is_the_same_after_db_copy_to_the_other_backend():
    """SQLite -> PostgreSQL under a PostgreSQL run (SQLite -> SQLite otherwise): the same bundle, but its timestamp."""
    if not have_points():
        return
    d = tempfile.mkdtemp()
    # The record is made on SQLite whichever backend the run is for; the copy goes to the run's backend.
    w = Clinic(db=f"sqlite:{d}/source.db")
    try:
        s = w.s
        full_record(w)
        url = f"http://127.0.0.1:{s.port}"
        first = os.path.join(d, "first.json")
        st, _, err = runcare("export", "--patient", w.rosa_email, "--fhir", first, "--db", s.db, "--public-url", url)
        assert st == 0, err
        s.stop()
        target = fresh_db(d)
        assert target.startswith("postgresql") == bool(PG), target
        st, out, err = runcare("db", "copy", "--from", s.db, "--to", target)
        assert st == 0 and "copied and verified" in out, err
        second = os.path.join(d, "second.json")
        st, _, err = runcare("export", "--patient", w.rosa_email, "--fhir", second, "--db", target, "--public-url", url)
        assert st == 0, err
        a, b = json.load(open(first)), json.load(open(second))
        assert a.pop("timestamp") and b.pop("timestamp")
        assert a == b, [x for x, y in zip(a["entry"], b["entry"]) if x != y][:2]
        assert len(a["entry"]) > 30
    finally:
        w.close()


ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


@own_server
def test_the_runners_download_is_readable_and_holds_no_secrets():
    if not have_points():
        return
    w = Clinic()
    try:
        s = w.s
        full_record(w)
        rosa = w.client("rosa")
        st, _, page = rosa.get("/account")
        assert st == 200 and 'href="/account/export.zip"' in page
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.request("GET", "/account/export.zip", headers={"Cookie": rosa._cookie_header()})
        r = conn.getresponse()
        data = r.read()
        assert r.status == 200, data[:300]
        assert r.getheader("Content-Type") == "application/zip"
        assert re.match(r'attachment; filename="runcare-record-\d{4}-\d\d-\d\d\.zip"', r.getheader("Content-Disposition"))
        z = zipfile.ZipFile(io.BytesIO(data))
        assert z.testzip() is None
        names = z.namelist()
        for n in ["summary.html", "fhir/patient-everything.json", "csv/appointments.csv", "csv/diary.csv",
                  "csv/measures.csv", "csv/psfs.csv", "csv/self-checks.csv", "csv/training.csv", "csv/programs.csv",
                  "csv/episodes.csv", "csv/treatments.csv"]:
            assert n in names, (n, names)
        # The training file as she gave it, byte for byte.
        mine = [n for n in names if n.startswith("training-files/") and n.endswith("-Morning run.gpx")]
        assert len(mine) == 1 and z.read(mine[0]) == w.gpx, names
        # Spreadsheets: times in ISO 8601 in the clinic's zone, numbers unquoted.
        appts = list(csv.DictReader(io.StringIO(z.read("csv/appointments.csv").decode())))
        assert appts and all(ISO.match(a["starts_at"]) for a in appts), appts
        first = min(appts, key=lambda a: a["starts_at"])
        start = int(query(s.db, f"SELECT MIN(starts_at) FROM appointment WHERE runner_id = {w.rosa}"))
        assert datetime.datetime.fromisoformat(first["starts_at"]) == datetime.datetime.fromtimestamp(start, CLINIC_TZ)
        assert first["starts_at"].endswith(datetime.datetime.fromtimestamp(start, CLINIC_TZ).strftime("%z")[:3] + ":00")
        diary = z.read("csv/diary.csv").decode()
        assert diary.splitlines()[0] == "day,pain_at_rest,pain_sitting,pain_running,minutes_run,notes,written_at"
        assert f"{days_ago(1)},2,4,3,30,Easy 5k," in diary, diary
        measures = z.read("csv/measures.csv").decode()
        assert "Pain at rest (0-10),,3,/10,pain_rest" in measures and "Straight-leg raise (degrees),left,70," in measures
        training = list(csv.DictReader(io.StringIO(z.read("csv/training.csv").decode())))
        run = next(t for t in training if t["file"] == "Morning run.gpx")
        assert float(run["distance_km"]) > 5 and ISO.match(run["start_at"]) and "\"" not in run["distance_km"]
        assert "Sitting through a film,4" in z.read("csv/psfs.csv").decode()
        # The summary reads and prints: valid HTML, her record in words.
        html = z.read("summary.html").decode()
        assert "<h1>Your record at " in html and "Rosa Runner" in html and "Apixaban; latex allergy" in html
        assert "Left proximal hamstring tendinopathy" in html and "BL36 on the left only." in html
        assert "@media print" in html and "M76.892" in html and "&lt;td" not in html
        assert '<td>Pain at rest (0-10)</td><td></td><td class="n">3</td>' in html, "numbers in their cells"
        if shutil.which("tidy"):
            t = subprocess.run(["tidy", "-q", "-e", "--show-warnings", "no"], input=html.encode(), capture_output=True)
            assert t.returncode < 2, t.stderr.decode()[:2000]
        # No key to the account: no password hash, session, sign-in failure, token or link.
        everything = b"".join(z.read(n) for n in names)
        secrets = [query(s.db, f"SELECT password_hash FROM account WHERE id = {w.rosa}")]
        secrets += query(s.db, f"SELECT token_hash FROM session WHERE account_id = {w.rosa}").split()
        secrets += query(s.db, f"SELECT token_hash FROM api_token WHERE account_id = {w.rosa}").split()
        assert len(secrets) >= 3
        for secret in secrets:
            assert secret.encode() not in everything, secret[:12]
        for word in [b"signin_failure", b"token_hash", b"csrf"]:
            assert word not in everything, word
        # The bundle inside is the FHIR export, with the file's bytes as the DocumentReference's data; it validates.
        bundle = json.loads(z.read("fhir/patient-everything.json"))
        files = [d for d in resources(bundle, "DocumentReference") if d["id"].startswith("file-")
                 and d["content"][0]["attachment"].get("data")]
        assert len(files) == 1 and base64.b64decode(files[0]["content"][0]["attachment"]["data"]) == w.gpx
        validate(bundle)
        assert "account.export" in query(s.db, f"SELECT action FROM audit_log WHERE runner_id = {w.rosa} "
                                               "ORDER BY id DESC LIMIT 1")
        # Staff with no record of their own have nothing to download, and are told where their account's data is.
        st, h, body = w.client("desk").get("/account/export.zip")
        assert st == 200 and h["content-type"].startswith("text/html") and "no patient record" in body
        assert 'href="/account/export"' in body
    finally:
        w.close()
