#!/usr/bin/env python3
"""bench/measure.py — run a command, print its wall time in seconds and the peak RSS (kB) of it
and its children, as one JSON line: {"seconds": …, "maxrss_kb": …, "rc": …}. With BENCH_LOG set,
the command's stderr goes to that file (for bench/moved.py)."""
import json, os, resource, subprocess, sys, time

log = os.environ.get("BENCH_LOG")
err = open(log, "w") if log else subprocess.DEVNULL
start = time.monotonic()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=err)
seconds = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": round(seconds, 3), "maxrss_kb": rss, "rc": rc}))
