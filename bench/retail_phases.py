#!/usr/bin/env python3
"""Summarizes target/run_results.json and target/manifest.json of a retail build into time per phase."""
import json
import sys
from collections import defaultdict

target = sys.argv[1]
results = json.load(open(f"{target}/run_results.json"))
manifest = json.load(open(f"{target}/manifest.json"))
nodes = manifest["nodes"]


def phase(uid):
    n = nodes.get(uid, {})
    kind = n.get("resource_type")
    if kind == "test":
        return "quality tests"
    if kind == "operator":
        return "generate" if n["config"].get("operator_type") == "retail_generator" else "ml"
    if kind == "snapshot":
        return "snapshot (SCD2)"
    if kind == "seed":
        return "seeds"
    path = n.get("original_file_path", "")
    for layer in ("bronze", "silver", "gold", "ml"):
        if f"/{layer}/" in path:
            return layer
    return "other"


totals = defaultdict(float)
counts = defaultdict(int)
slowest = []
for r in results["results"]:
    p = phase(r["unique_id"])
    totals[p] += r["execution_time"]
    counts[p] += 1
    slowest.append((r["execution_time"], r["unique_id"]))
wall = results["elapsed_time"]
print(f"| phase | nodes | summed node time (s) | share of summed time |")
print(f"|---|---|---|---|")
summed = sum(totals.values())
for p in ["generate", "seeds", "bronze", "silver", "gold", "snapshot (SCD2)", "ml", "quality tests", "other"]:
    if counts[p]:
        print(f"| {p} | {counts[p]} | {totals[p]:.1f} | {100 * totals[p] / summed:.0f}% |")
print(f"\nwall clock of the build: {wall:.1f} s (nodes run on parallel threads, so summed time can exceed it)")
print("\nslowest nodes:")
for t, uid in sorted(slowest, reverse=True)[:8]:
    print(f"- {uid}: {t:.1f} s")
