#!/usr/bin/env python3
"""Prints a run's node phase in seconds: from the first node's start to the last node's end, as run_results.json
records them (the "execute" timing of each result), so the engine's statements can be set beside DirectRun's.
Usage: node_phase.py <run_results.json>"""
import datetime
import json
import sys


def instant(s):
    # Nanosecond timestamps ending in Z; Python's parser takes microseconds.
    head, _, frac = s.rstrip("Z").partition(".")
    return datetime.datetime.fromisoformat(head) + datetime.timedelta(microseconds=int((frac + "000000")[:6]) if frac else 0)


timings = [t for r in json.load(open(sys.argv[1]))["results"] for t in r["timing"] if t["name"] == "execute"]
if not timings:
    sys.exit("no node timings in " + sys.argv[1])
start = min(instant(t["started_at"]) for t in timings)
end = max(instant(t["completed_at"]) for t in timings)
print("%.3f" % (end - start).total_seconds())
