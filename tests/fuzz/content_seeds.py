#!/usr/bin/env python3
"""content_seeds.py — writes tests/fuzz/seeds/content: for each file fuzz-content can be given (the
first byte picks it: see names[] in fuzz_content.c), a small input made from the built-in content, under
the 4 KiB that tests/fuzz/run.sh allows. Most load whole against the built-in rest; a small
exercises.json, findings.json, conditions.json or fields.json cannot (the built-in files name more of
them than 2 KiB holds), and reaches the check that says so.

usage: tests/fuzz/content_seeds.py
"""
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "tests", "fuzz", "seeds", "content")
LIMIT = 2048 - 1  # run.sh's -max_len, less the first byte


def content(rel):
    with open(os.path.join(ROOT, "content", rel), encoding="utf-8") as f:
        return f.read()


def compact(doc):
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def fit(doc, key):
    """doc with as many of its first doc[key] entries as fit."""
    items = doc[key]
    for n in range(len(items), 0, -1):
        text = compact(dict(doc, **{key: items[:n]}))
        if len(text.encode()) <= LIMIT:
            return text
    raise SystemExit(f"not even one entry of '{key}' fits")


def shrink(doc, *paths):
    """doc with the lists at paths ("a" or "a.b") cut from the end, the longest first, until it fits."""
    def at(path):
        d = doc
        for k in path.split("."):
            d = d[k]
        return d
    while len(compact(doc).encode()) > LIMIT:
        longest = max((at(p) for p in paths), key=len)
        if len(longest) < 2:
            raise SystemExit(f"cannot shrink {paths} below {len(compact(doc).encode())} bytes")
        longest.pop()
    return compact(doc)


def lines(rel, keep):
    out = []
    for line in content(rel).splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if keep(line) and len("\n".join(out + [line]).encode()) <= LIMIT:
            out.append(line)
    return "\n".join(out) + "\n"


def main():
    seeds = {}
    seeds["0-clinic.json"] = shrink(json.loads(content("clinic.json")), "hours", "treats", "services")
    seeds["1-exercises.json"] = fit(json.loads(content("exercises.json")), "exercises")
    programs = json.loads(content("programs.json"))
    # The program progression.json gives its own rules, so that the seed links.
    own = json.loads(content("progression.json"))["programs"]
    program = [p for p in json.loads(content("programs.json"))["programs"] if p["key"] in own][0]
    while len(compact({"programs": [program]}).encode()) > LIMIT and len(program["stages"]) > 1:
        program["stages"].pop()
    seeds["2-programs.json"] = compact({"programs": [program]})
    seeds["3-progression.json"] = compact(json.loads(content("progression.json")))
    seeds["4-selfcheck-findings.json"] = fit(json.loads(content("selfcheck/findings.json")), "findings")
    seeds["5-selfcheck-conditions.json"] = fit(json.loads(content("selfcheck/conditions.json")), "conditions")
    seeds["6-selfcheck-redflags.jsonl"] = lines("selfcheck/redflags.jsonl", lambda line: True)
    seeds["7-selfcheck-evidence.jsonl"] = lines("selfcheck/evidence.jsonl", lambda line: True)
    # A condition given twice, 49 items of evidence between the two lines: once a heap overflow.
    item = {"when": {"yes": "fever"}, "w": 1}
    twice = {"key": "proximal_hamstring_tendinopathy", "advice": "a", "source": "s", "regions": {"buttock_sit_bone": 1}}
    seeds["7-selfcheck-evidence-twice.jsonl"] = "".join(
        compact(dict(twice, evidence=[item] * n)) + "\n" for n in (25, 24))
    seeds["8-selfcheck-riskfactors.jsonl"] = lines("selfcheck/riskfactors.jsonl", lambda line: True)
    article = content("articles/first-visit.md")
    while len(article.encode()) > LIMIT:  # whole paragraphs off the end
        article = article[:article.rstrip("\n").rindex("\n\n")] + "\n"
    seeds["9-article.md"] = article
    seeds["10-chart-fields.json"] = fit(json.loads(content("chart/fields.json")), "fields")
    templates = json.loads(content("chart/templates.json"))
    general = [t for t in templates["templates"] if not t["conditions"]]
    seeds["11-chart-templates.json"] = compact(dict(templates, templates=general))
    seeds["12-chart-diagnoses.json"] = fit(json.loads(content("chart/diagnoses.json")), "diagnoses")
    seeds["13-chart-treatments.json"] = shrink(json.loads(content("chart/treatments.json")), "regions", "muscles", "education", "techniques.soft_tissue", "techniques.manual_therapy", "techniques.taping")
    seeds["14-chart-consent.json"] = compact(json.loads(content("chart/consent.json")))
    seeds["15-acupoints.json"] = compact({
        "source": "WHO Standard Acupuncture Point Locations in the Western Pacific Region (2008)",
        "points": [{"code": "GV20", "meridian": "GV", "number": 20, "pinyin": "Baihui", "hanzi": "百会",
                    "region": "head"},
                   {"code": "BL40", "meridian": "BL", "number": 40, "pinyin": "Weizhong", "hanzi": "委中",
                    "region": "lower limb"}],
        "extra_points": [{"code": "EX-HN3", "group": "HN", "number": 3, "pinyin": "Yintang", "region": "face"}]})
    for name in os.listdir(OUT):
        os.remove(os.path.join(OUT, name))
    for name, text in seeds.items():
        data = bytes([int(name.split("-")[0])]) + text.encode()
        assert len(data) <= LIMIT + 1, name
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


main()
