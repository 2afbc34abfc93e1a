#!/usr/bin/env python3
"""check-includes.py — the module arrows of docs/architecture.md, checked.

Reads every src/**/*.c and .h for `#include "dir/file.h"` and checks each against the table below: a
file in module A (its first directory under src/) may include its own module's headers and those of
the modules A may include, nothing else. A few single includes that cross an arrow on purpose are
listed in EXCEPTIONS, each with its reason; a module's private headers are listed in PRIVATE. Then it
looks for include cycles between files of the same name (store/db.c and store/db.h are one unit): a
cycle means neither side is really below the other.

usage: tools/check-includes.py [SOURCE_ROOT]     exit 0: clean; 1: violations, each printed as
    src/file.c:LINE: module A may not include B (allowed: ...)
"""
import os
import re
import sys

# Who may include whom. The arrows of shared/DESIGN.md:
#     main → cli;  cli, web, mail → app → store, content, formats, domain → base
# Entries marked "until app/" are there because the use cases still live in the doors; each goes
# when app/ holds them.
ALLOWED = {
    "main": ["cli", "base"],                                 # base: the clock is read once, before any command
    "cli": ["app", "base",
            "store", "content", "formats", "domain"],        # until app/ holds the commands' use cases
    "web": ["app", "base",
            "store", "content", "formats", "domain"],        # until app/ (never store's private headers)
    "mail": ["app", "base",
             "store", "content"],                            # until app/ holds the timed jobs
    "app": ["store", "content", "formats", "domain", "base"],
    "store": ["domain", "base"],
    "content": ["domain", "base"],
    "formats": ["domain", "base"],                           # readers fill domain's types
    "domain": ["base"],
    "base": [],
}

# One file may include one header across an arrow, for the reason given.
EXCEPTIONS = [
    ("src/cli/serve.c", "web/server.h",
     "runcare serve is the one command that starts the web server; web/server.h is all it sees of web"),
    ("src/cli/serve.c", "mail/mailer.h",
     "runcare serve starts and stops the mail thread beside the server"),
    ("src/cli/version.c", "web/server.h",
     "runcare version names the web server's library, which web/ opens when it is first needed"),
]

# Headers only their own module may include.
PRIVATE = {
    "store/driver.h": "the drivers' interface: SQL stays inside store/",
}

# Headers that are the private half of another unit, so they count as that unit in the cycle check:
# db.c cannot dispatch without the struct it shares with the drivers.
SAME_UNIT = {
    "store/driver.h": "store/db",
}

# "dir/file.h", and <dir/file.h> when dir is one of ours (so angle brackets are no way around).
INCLUDE = re.compile(r'^\s*#\s*include\s+(?:"([^"]+)"|<([^>]+)>)')


def module_of(rel):
    """src/web/pages/x.c -> web; src/main.c -> main."""
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 else os.path.splitext(parts[1])[0]


def unit_of(path):
    """src/store/db.c, store/db.c and store/db.h -> store/db; store/driver.h -> store/db (SAME_UNIT)."""
    if path.startswith("src/"):
        path = path[len("src/"):]
    return SAME_UNIT.get(path, os.path.splitext(path)[0])


def scan(root):
    """Every quoted include under src/: (file, line, included path relative to src/)."""
    found = []
    for d, dirs, files in os.walk(os.path.join(root, "src")):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(d, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, encoding="utf-8", errors="replace") as f:
                for n, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    inc = m.group(1)
                    if inc is None:
                        inc = m.group(2)
                        if "/" not in inc or not os.path.isdir(os.path.join(root, "src", inc.split("/")[0])):
                            continue  # a system or library header
                    if "/" not in inc:  # "x.h" beside the file
                        inc = os.path.relpath(os.path.join(os.path.dirname(rel), inc), "src").replace(os.sep, "/")
                    found.append((rel, n, inc))
    return found


def check_arrows(includes):
    problems, used = [], set()
    exceptions = {(f, h): why for f, h, why in EXCEPTIONS}
    for rel, n, inc in includes:
        a = module_of(rel)
        b = inc.split("/")[0] if "/" in inc else a
        if inc in PRIVATE and a != b:
            problems.append(f"{rel}:{n}: module {a} may not include {inc} ({PRIVATE[inc]})")
            continue
        if a == b:
            continue
        if (rel, inc) in exceptions:
            used.add((rel, inc))
            continue
        if a not in ALLOWED:
            problems.append(f"{rel}:{n}: module {a} is not in the allow-list of tools/check-includes.py")
        elif b not in ALLOWED[a]:
            allowed = ", ".join(ALLOWED[a]) or "nothing"
            problems.append(f"{rel}:{n}: module {a} may not include {b} (allowed: {allowed})")
    stale = [f"{f} -> {h}" for f, h, _ in EXCEPTIONS if (f, h) not in used]
    return problems, stale


def check_table():
    """The table itself must point one way, or it allows a cycle between modules."""
    seen, problems = {}, []

    def visit(m, path):
        if seen.get(m) == "done":
            return
        if seen.get(m) == "open":
            problems.append("tools/check-includes.py: the allow-list has a cycle: " +
                            " -> ".join(path[path.index(m):] + [m]))
            return
        seen[m] = "open"
        for t in ALLOWED.get(m, []):
            visit(t, path + [m])
        seen[m] = "done"

    for m in ALLOWED:
        visit(m, [])
    return problems


def check_cycles(includes, root):
    """Cycles between units (a .c/.h pair): Tarjan's strongly connected components."""
    edges, where = {}, {}
    for rel, n, inc in includes:
        if not os.path.exists(os.path.join(root, "src", inc)):
            continue  # generated or system: not ours to order
        a, b = unit_of(rel), unit_of(inc)
        if a == b:
            continue
        edges.setdefault(a, set()).add(b)
        edges.setdefault(b, set())
        where.setdefault((a, b), f"{rel}:{n}")

    index, low, stack, on, comps = {}, {}, [], set(), []

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            strong(v)

    problems = []
    for comp in comps:
        members = set(comp)
        for a in comp:
            for b in sorted(edges[a] & members):
                problems.append(f"{where[(a, b)]}: include cycle: {a} includes {b}, and {b} "
                                f"reaches back to {a} (cycle: {', '.join(comp)})")
    return problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    includes = scan(root)
    problems, stale = check_arrows(includes)
    problems += check_table() + check_cycles(includes, root)
    for p in problems:
        print(p)
    for s in stale:
        print(f"note: exception no longer needed, remove it from tools/check-includes.py: {s}")
    files = len({rel for rel, _, _ in includes})
    print(f"check-includes: {files} files, {len(includes)} includes, {len(problems)} problem"
          f"{'' if len(problems) == 1 else 's'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
