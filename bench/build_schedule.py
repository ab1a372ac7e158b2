#!/usr/bin/env python3
"""Where a build's wall time goes, from its target/run_results.json and target/manifest.json, and what other
scheduling would have made of the same node times.

Usage: bench/build_schedule.py <project>/target [threads] [node=factor,...]

Prints the critical path (from the last node to finish back through the parent that finished last; 'wait' is
the time a node waited for a thread after its last parent finished), seconds with 0, 1, 2 nodes running, and
simulated schedules on <threads> threads (default 2) of the build's DAG with its node durations: a node starts
when its parents are done and a thread is free. The build DAG has build's test edges: a test runs before the
nodes downstream of every node it tests (dbt's rule, the engine's since 9580460) or, for 'old edges', before the
children of each node it tests (before 9580460). Queue orders: topological (the runner before 8dab62e), longest
chain of non-test nodes after a node first (the runner since 8dab62e), and longest chain by the build's own node
times (the best a priority order can do with perfect knowledge). node=factor scales nodes' durations (e.g.
generate_retail=0.6) to estimate a speed-up's effect on the wall. A simulation ignores that DuckDB gives a node
alone both cores, so it overstates what running side by side gains.
"""
import heapq
import json
import sys
from datetime import datetime

target = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
scale = dict(s.split("=") for s in sys.argv[3].split(",")) if len(sys.argv) > 3 else {}
res = json.load(open(f"{target}/run_results.json"))
man = json.load(open(f"{target}/manifest.json"))


def ts(s):
    return datetime.fromisoformat(s[:26] + "+00:00").timestamp()


span = {}
for r in res["results"]:
    if r.get("timing"):
        span[r["unique_id"]] = (min(ts(x["started_at"]) for x in r["timing"]), max(ts(x["completed_at"]) for x in r["timing"]))
nodes = set(span)
t0 = min(s for s, _ in span.values())
dur = {u: e - s for u, (s, e) in span.items()}
raw = {k: list(v) for k, v in man["parent_map"].items()}
child_map = man["child_map"]


def ancestors(u):
    seen, stack = set(), list(raw.get(u, []))
    while stack:
        p = stack.pop()
        if p not in seen:
            seen.add(p)
            stack.extend(raw.get(p, []))
    return seen


def build_parents(dbt_rule):
    """Parents among the nodes that ran, with build's test edges."""
    pm = {k: list(v) for k, v in raw.items()}
    for t in [k for k in raw if k.startswith("test.")]:
        deps = [d for d in raw[t] if d in nodes]
        anc_t = ancestors(t)
        for tested in deps:
            for child in child_map.get(tested, []):
                if child == t or child.startswith("test.") or child not in nodes or child in anc_t:
                    continue
                if dbt_rule and not set(deps) <= ancestors(child):
                    continue
                pm.setdefault(child, []).append(t)
    out = {}
    for u in nodes:
        found, stack, seen = set(), list(pm.get(u, [])), set()
        while stack:
            p = stack.pop()
            if p in seen:
                continue
            seen.add(p)
            if p in nodes:
                found.add(p)
            else:
                stack.extend(pm.get(p, []))
        out[u] = found
    return out


def children_of(par):
    ch = {u: set() for u in nodes}
    for u, ps in par.items():
        for p in ps:
            ch[p].add(u)
    return ch


def longest(ch, weight):
    memo = {}

    def f(u):
        if u not in memo:
            memo[u] = weight(u) + max((f(c) for c in ch[u]), default=0)
        return memo[u]
    return {u: f(u) for u in nodes}


rank = {u: i for i, u in enumerate(sorted(nodes, key=lambda u: span[u][0]))}


def simulate(par, d, prio):
    ch = children_of(par)
    waiting = {u: len(par[u]) for u in nodes}
    ready = [(prio(u), rank[u], u) for u in nodes if waiting[u] == 0]
    heapq.heapify(ready)
    running, now, free, done = [], 0.0, threads, 0
    while done < len(nodes):
        while ready and free:
            _, _, u = heapq.heappop(ready)
            heapq.heappush(running, (now + d[u], u))
            free -= 1
        now, u = heapq.heappop(running)
        free += 1
        done += 1
        for c in ch[u]:
            waiting[c] -= 1
            if waiting[c] == 0:
                heapq.heappush(ready, (prio(c), rank[c], c))
    return now


new_par = build_parents(True)
old_par = build_parents(False)
u = max(nodes, key=lambda u: span[u][1])
path = []
while u:
    ps = new_par[u]
    p = max(ps, key=lambda p: span[p][1]) if ps else None
    path.append((u, span[u][0] - (span[p][1] if p else t0)))
    u = p
print(f"wall {max(e for _, e in span.values()) - t0:.1f} s, summed node time {sum(dur.values()):.1f} s")
print("critical path:  start    dur   wait  node")
for u, wait in reversed(path):
    if dur[u] >= 0.5 or wait >= 0.5:
        print(f"              {span[u][0] - t0:6.1f} {dur[u]:6.1f} {wait:6.1f}  {u}")
events = sorted([(s, 1) for s, _ in span.values()] + [(e, -1) for _, e in span.values()])
busy, n, last = {}, 0, t0
for t, step in events:
    busy[n] = busy.get(n, 0) + t - last
    n += step
    last = t
print("seconds with k nodes running:", {k: round(v, 1) for k, v in sorted(busy.items())})

for label, factors in [("node times as measured", {}), ("scaled " + ",".join(f"{k}={v}" for k, v in scale.items()), scale)]:
    if label.startswith("scaled") and not factors:
        continue
    d = {u: dur[u] * float(next((f for k, f in factors.items() if u.endswith("." + k)), 1)) for u in nodes}
    print(f"simulated on {threads} threads, {label}:")
    for edges, par in [("old edges", old_par), ("dbt's edges", new_par)]:
        ch = children_of(par)
        chain = longest(ch, lambda u: 0 if u.startswith("test.") else 1)
        timed = longest(ch, lambda u: d[u])
        print(f"  {edges:12s} critical path {max(timed.values()):6.1f} s | topological {simulate(par, d, lambda u: 0):6.1f} s"
              f" | longest chain first {simulate(par, d, lambda u: -chain[u]):6.1f} s"
              f" | longest timed chain first {simulate(par, d, lambda u: -timed[u]):6.1f} s"
              f" | summed time / threads {sum(d.values()) / threads:6.1f} s")
