#!/usr/bin/env python3
"""make_clinic_import.py — writes tests/data/clinic-import/: a clinic's export from another practice system, as a
clinic moving to runcare would bring it (the headers of a typical EMR's CSV export), with the dirt such exports
have: patients registered twice (an email in other case, a name with and without its accents), missing emails,
phones written five ways, dates of birth in three formats, appointment times local, in UTC, with a US zone's
abbreviation and in the US 12-hour form, statuses in the other system's words, double-booked (overlapping) visits,
a visit for a patient the export left out, padded cells and quoted commas. Deterministic (seeded), so the committed
files are what this script writes:  python3 tests/make_clinic_import.py"""
import csv
import datetime
import json
import os
import random

OUT = os.path.join(os.path.dirname(__file__), "data", "clinic-import")
rnd = random.Random(17)

FIRST = ["Alex", "Bea", "Carlos", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivan", "June", "Kofi", "Lena", "Mateo", "Nora",
         "Omar", "Pia", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Vic", "Wen", "Xena", "Yusuf", "Zoe", "Ana", "Björn",
         "Chloé", "Dário", "Émile", "Inés", "José", "Léa", "Maël", "Noémie", "Renée", "Søren", "Zoë", "Aoife"]
LAST = ["Kim", "Okafor", "Mendes", "Patel", "Novak", "Lindqvist", "Ortega", "Sato", "Petrov", "Walker", "Núñez",
        "O'Brien", "García", "Müller", "Nguyen", "Johansson", "Kowalski", "Haddad", "Rossi", "Tanaka", "Silva",
        "Dubois", "Schmidt", "Ivanova", "Cohen", "Baptiste", "Fernández", "Lopez", "Smith-Jones", "Yamamoto"]
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "example.org"]
PRACTITIONERS = [("P01", "Dr. Lin Wei", "Acupuncture"), ("P02", "Sam Rivera", "Physical Therapy; Acupuncture"),
                 ("P03", "Maya Brooks", "PT"), ("P04", "Jordan Lee", "Massage")]
SERVICES = [("ACU-IN", "Acupuncture initial visit", 60, "$120.00", "Acupuncture"),
            ("ACU-FU", "Acupuncture follow-up", 45, "95", "Acupuncture"),
            ("PT-EVAL", "Physical therapy evaluation", 60, "150.00", "Physical Therapy"),
            ("PT-FU", "Physical therapy follow-up", 30, "$85", "PT"),
            ("MSG-60", "Sports massage, 60 minutes", 60, "1,10.00".replace("1,10", "110"), "Massage")]
STATUS_PAST = ["Completed", "Checked Out", "completed", "No Show", "Cancelled", "Canceled"]
STATUS_FUTURE = ["Scheduled", "Confirmed", "scheduled", "Cancelled"]


def ascii_fold(s):
    table = str.maketrans("áéíóúñüöøéèçãëäåÉ", "aeiounuooeecaeaaE")
    return s.translate(table)


def phone(i):
    d = f"619555{1000 + i:04d}"
    style = i % 5
    return [f"({d[:3]}) {d[3:6]}-{d[6:]}", f"{d[:3]}.{d[3:6]}.{d[6:]}", f"+1 {d[:3]}-{d[3:6]}-{d[6:]}", d,
            f"{d[:3]} {d[3:6]} {d[6:]}"][style]


def dob(date, i):
    style = i % 3
    if style == 0:
        return date.isoformat()
    if style == 1:
        return f"{date.month}/{date.day}/{date.year}"
    return f"{date.month:02d}/{date.day:02d}/{date.year % 100:02d}"


def main():
    os.makedirs(OUT, exist_ok=True)
    patients = []
    for i in range(210):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rnd.randrange(0, 365 * 55))
        email = "" if rnd.random() < 0.2 else f"{ascii_fold(first).lower()}.{ascii_fold(last).lower().replace(chr(39), '')}{i}@{rnd.choice(DOMAINS)}"
        patients.append({"PatientID": f"{10000 + i}", "First Name": first, "Last Name": last, "Email": email,
                         "Cell Phone": "" if rnd.random() < 0.05 else phone(i), "DOB": dob(born, i), "_born": born})
    # The same people registered a second time: the email in capitals, or the name without its accents.
    dups = []
    for j, src in enumerate(rnd.sample(patients[:200], 12)):
        d = dict(src)
        d["PatientID"] = f"{20000 + j}"
        if src["Email"] and j % 2 == 0:
            d["Email"] = src["Email"].upper()
            d["Cell Phone"] = ""
        else:
            d["Email"] = ""
            d["First Name"], d["Last Name"] = ascii_fold(src["First Name"]), ascii_fold(src["Last Name"])
            d["DOB"] = src["_born"].isoformat()
        dups.append(d)
    patients += dups
    rnd.shuffle(patients)

    with open(os.path.join(OUT, "patients.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["PatientID", "First Name", "Last Name", "Email", "Cell Phone", "DOB"])
        for p in patients:
            # Padded cells, as some exports write them.
            w.writerow([p["PatientID"], " " + p["First Name"] if rnd.random() < 0.05 else p["First Name"], p["Last Name"],
                        p["Email"], p["Cell Phone"], p["DOB"]])
    with open(os.path.join(OUT, "practitioners.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["ProviderID", "Provider", "Specialty"])
        w.writerows(PRACTITIONERS)
    with open(os.path.join(OUT, "services.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["Code", "Description", "Duration (min)", "Fee", "Category"])
        w.writerows(SERVICES)

    # Appointments: each practitioner's days from 2026-10-19 to 2026-12-18, visits on the hour and half hour.
    la = datetime.timezone(datetime.timedelta(hours=-7))  # for the examples below only (PDT until Nov 1)
    rows = []
    n = 0
    ids = [p["PatientID"] for p in patients]
    for day in range(0, 60, 1):
        date = datetime.date(2026, 10, 19) + datetime.timedelta(days=day)
        if date.weekday() >= 5:
            continue
        for pid, _, specialty in PRACTITIONERS:
            codes = [c for c, _, _, _, cat in SERVICES if cat.split()[0][:3].lower() in specialty.lower() or
                     (cat == "PT" and "Physical" in specialty) or (cat == "Physical Therapy" and specialty == "PT")]
            if not codes:
                continue
            for slot in rnd.sample([9, 10, 11, 13, 14, 15, 16], 2):
                code = rnd.choice(codes)
                minute = rnd.choice([0, 30])
                start = datetime.datetime(date.year, date.month, date.day, slot, minute)
                pst = date >= datetime.date(2026, 11, 1)
                offset = -8 if pst else -7
                utc = start - datetime.timedelta(hours=offset)
                style = n % 4
                if style == 0:
                    text = start.strftime("%Y-%m-%d %H:%M")
                elif style == 1:
                    text = utc.strftime("%Y-%m-%dT%H:%M:%SZ")
                elif style == 2:
                    text = start.strftime("%m/%d/%Y %I:%M %p").lstrip("0")
                else:
                    text = start.strftime("%Y-%m-%d %H:%M ") + ("PST" if pst else "PDT")
                past = date < datetime.date(2026, 11, 30)
                status = rnd.choice(STATUS_PAST if past else STATUS_FUTURE)
                n += 1
                note = rnd.choice(["", "", "Follow-up, left hamstring", "Post-marathon, sore calves", "Low back, 2 weeks"])
                rows.append([f"A{n:05d}", rnd.choice(ids), pid, code, text, "", status, note])
    # Double bookings the other system allowed: a second visit with the same practitioner, overlapping.
    for k in range(6):
        src = rows[k * 37 + 5]
        n += 1
        rows.append([f"A{n:05d}", rnd.choice(ids), src[2], src[3], src[4], "", "Scheduled" if k % 2 else "Completed",
                     "Double-booked, overflow"])
    # A visit for a patient the export left out.
    n += 1
    rows.append([f"A{n:05d}", "99999", "P03", "PT-FU", "2026-12-03 10:00", "", "Scheduled", "Walk-in, not registered"])
    with open(os.path.join(OUT, "appointments.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["ApptID", "PatientID", "ProviderID", "Code", "Start", "End", "Status", "Notes"])
        w.writerows(rows)

    mapping = {
        "patients": {"file": "patients.csv", "date_of_birth_order": "month-first",
                     "columns": {"id": "PatientID", "first_name": "First Name", "last_name": "Last Name",
                                 "email": "Email", "phone": "Cell Phone", "date_of_birth": "DOB"}},
        "practitioners": {"file": "practitioners.csv",
                          "columns": {"id": "ProviderID", "name": "Provider", "disciplines": "Specialty"}},
        "services": {"file": "services.csv",
                     "columns": {"id": "Code", "name": "Description", "minutes": "Duration (min)", "price": "Fee",
                                 "discipline": "Category"}},
        "appointments": {"file": "appointments.csv",
                         "columns": {"id": "ApptID", "patient": "PatientID", "practitioner": "ProviderID",
                                     "service": "Code", "start": "Start", "end": "End", "status": "Status",
                                     "reason": "Notes"}},
    }
    with open(os.path.join(OUT, "mapping.json"), "w") as f:
        json.dump(mapping, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
