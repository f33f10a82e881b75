#!/usr/bin/env python3
"""bench/phases.py TOOL LOG — the phases of one `hoist run` from what it printed (stderr):
setup ("builder … created/started/reused … in T"), build ("built in T") and the rest of the
job ("run finished in T" less both: teardown, and the plan before setup). One JSON line per
phase, as bench/measure.py writes them: {"scenario", "tool", "seconds", "maxrss_kb", "rc"}."""
import json, re, sys

tool, log = sys.argv[1:3]
text = open(log, errors="replace").read()


def seconds(pattern):
    m = re.search(pattern + r" in ([0-9.]+)(ms|s)\b", text)
    if not m:
        return None
    return float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)


setup = seconds(r"builder \S+ (?:created|started|reused|recreated)")
build = seconds(r"built")
total = seconds(r"run finished")
if None in (setup, build, total):
    sys.exit("phases: cannot read the phases from %s" % log)
for name, value in (("setup", setup), ("build", build), ("teardown", total - setup - build)):
    print(json.dumps({"scenario": "phase-" + name, "tool": tool, "seconds": round(value, 3),
                      "maxrss_kb": 0, "rc": 0}))
