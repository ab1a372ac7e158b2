#!/usr/bin/env bash
# A/B of two engine checkouts on the re-run of many trivial views (`run --no-skip-unchanged`), in alternating pairs
# (ABBA order, so a drift in the machine's load falls on both sides), one shared project and database. Per run:
# whole-process wall and CPU, the node phase (first START to the last "Finished running node" in the debug log),
# the time after the last node until the run's summary (the final state batch), and how many state batches the
# state-writer thread wrote. Ends with medians and in how many pairs B was lower.
# Usage: bench/run_ab.sh <checkout A> <checkout B> [threads] [pairs] [count] [views|tables]   (defaults 1, 10, 1000, views)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
a="$(cd "$1" && pwd)"
b="$(cd "$2" && pwd)"
threads="${3:-1}"
pairs="${4:-10}"
views="${5:-1000}"
kind="${6:-views}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_run_project.py" views 1 "$work/warm"
python3 "$here/gen_run_project.py" "$kind" "$views" "$work/p"
# Each checkout builds its jar if needed and adds the run and other kinds to its class-data-sharing archive here,
# so that no measured run pays either.
for c in "$a" "$b"; do
  "$c/bin/engine" run --project-dir "$work/warm" --profiles-dir "$work/warm" >/dev/null
  "$c/bin/engine" ls --project-dir "$work/warm" --profiles-dir "$work/warm" >/dev/null
done
"$a/bin/engine" run --project-dir "$work/p" --profiles-dir "$work/p" --threads "$threads" >/dev/null
one() {
  local arm="$1" checkout="$2" t0 t1
  rm -f "$work/p/logs/engine.log"
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/cpu" "$checkout/bin/engine" run --project-dir "$work/p" --profiles-dir "$work/p" \
    --threads "$threads" --no-skip-unchanged >/dev/null
  t1=$(date +%s.%N)
  python3 - "$arm" "$(echo "$t1 - $t0" | bc)" "$(cat "$work/cpu")" "$(cut -d' ' -f1 /proc/loadavg)" "$work/p/logs/engine.log" <<'PY' | tee -a "$work/rows"
import datetime, re, sys
arm, wall, cpu, load, log = sys.argv[1:]
ts = lambda l: datetime.datetime.strptime(l[:12], "%H:%M:%S.%f")
first = last = end = None
writer = 0
for l in open(log):
    if first is None and " START sql " in l: first = ts(l)
    if "Finished running node" in l: last = ts(l)
    if re.search(r"\] \[main\]: Finished running \d+", l): end = ts(l)
    if "[sluice-state-writer]: On " in l and ": insert into" in l: writer += 1
u, s = map(float, cpu.split())
print(f"{arm} load={load} wall={float(wall):.2f} cpu={u + s:.2f} nodes={(last - first).total_seconds():.3f} "
      f"after={(end - last).total_seconds() * 1000:.0f} writer_inserts={writer}")
PY
}
echo "threads $threads, $views $kind; A = $a, B = $b"
for i in $(seq 1 "$pairs"); do
  if [ $((i % 2)) = 1 ]; then one A "$a"; one B "$b"; else one B "$b"; one A "$a"; fi
done
python3 - "$work/rows" <<'PY'
import re, statistics, sys
rows = [dict(re.findall(r"(\w+)=([\d.]+)", l), arm=l.split()[0]) for l in open(sys.argv[1])]
pairs = [rows[i:i + 2] for i in range(0, len(rows), 2)]
pick = lambda p, arm, k: float(next(r for r in p if r["arm"] == arm)[k])
loads = [float(r["load"]) for r in rows]
print(f"load {min(loads)}-{max(loads)}, {len(pairs)} pairs")
for k, unit in (("nodes", "s"), ("after", "ms"), ("wall", "s"), ("cpu", "s")):
    xa = [pick(p, "A", k) for p in pairs]
    xb = [pick(p, "B", k) for p in pairs]
    lower = sum(1 for x, y in zip(xa, xb) if y < x)
    print(f"{k} ({unit}): A median {statistics.median(xa):.3f} min {min(xa):.3f} | "
          f"B median {statistics.median(xb):.3f} min {min(xb):.3f} | B lower in {lower} of {len(pairs)}")
PY
