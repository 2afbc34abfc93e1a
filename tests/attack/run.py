#!/usr/bin/env python3
"""run.py — the slow attacks (make attack): each bounded in time and requests, on loopback only.
Prints one line per test and "N passed, N failed", like the integration suite."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from harness import own_server, run_tests  # noqa: E402

import account_floods  # noqa: E402

TESTS = []
for module in (account_floods,):
    for k, v in vars(module).items():
        if k.startswith("test_") and callable(v):
            TESTS.append(own_server(v))

if __name__ == "__main__":
    sys.exit(run_tests(TESTS))
