#!/usr/bin/env python3
"""bench/moved.py — what a job moved to or from where its cache lives, as one JSON line
{"moved_bytes": …, "moving_seconds": …}.

  moved.py state RESULT.json        hoist's state: restored + saved, from its --result-file
  moved.py cache LOG REGISTRY REPO  a registry cache: the seconds of the cache import/export
                                    steps in a plain progress log, and the bytes of the cache
                                    manifest's blobs in the registry (what an import reads)
"""
import json, re, sys, urllib.request

def state(path):
    r = json.load(open(path)).get("state", {})
    moves = [m for m in (r.get("restored"), r.get("saved")) if m]
    return sum(m["bytes"] for m in moves), sum(m["seconds"] for m in moves)

STEP = re.compile(r"^#(\d+) (.*)$")
DONE = re.compile(r"^#(\d+) (?:DONE|CACHED) ?([\d.]+)?s?")
CACHE = re.compile(r"(importing cache manifest|exporting cache|preparing build cache for export|writing cache)")

def cache(log, registry, repo):
    names, seconds = {}, 0.0
    for line in open(log, errors="replace"):
        line = line.rstrip("\n")
        d = DONE.match(line)
        if d:
            if CACHE.search(names.get(d.group(1), "")) and d.group(2):
                seconds += float(d.group(2))
            continue
        s = STEP.match(line)
        if s and s.group(1) not in names:
            names[s.group(1)] = s.group(2)
    url = f"http://{registry}/v2/{repo}/manifests/main"
    req = urllib.request.Request(url, headers={"Accept": "application/vnd.oci.image.index.v1+json,"
                                               "application/vnd.oci.image.manifest.v1+json"})
    try:
        m = json.load(urllib.request.urlopen(req, timeout=10))
        blobs = m.get("manifests") or m.get("layers") or []
        size = sum(b.get("size", 0) for b in blobs)
    except Exception:
        size = 0
    return size, seconds

if sys.argv[1] == "state":
    b, s = state(sys.argv[2])
else:
    b, s = cache(*sys.argv[2:5])
print(json.dumps({"moved_bytes": b, "moving_seconds": round(s, 3)}))
