#!/usr/bin/env bash
# A/B of two ways to run the retail `build` (two profiles folders and/or two sets of JVM options), whole builds in
# alternating pairs (ABBA order, so a drift in the machine's load falls on both sides), each on a fresh copy of
# project/. Per build: wall, user + system CPU and peak RSS (/usr/bin/time), the load average before and after,
# the engine's PASS/ERROR line, the database file's size, and CPU by thread name (bench/thread_cpu.py). Ends with
# medians and in how many pairs B was lower. The built copies are kept (for bench/TableHashes.java) in the work folder.
# Usage: bench/build_ab.sh <profiles dir A> <profiles dir B> [pairs] [customers] [work dir]   (defaults 2, 50000, a new temp dir)
#   A_JAVA_OPTS / B_JAVA_OPTS: ENGINE_JAVA_OPTS of each arm (unset: bin/engine's defaults).
#   A_CHECKOUT / B_CHECKOUT: the engine checkout of each arm (its bin/engine and its project/; unset: this one), to
#   compare two engine builds, e.g. two DuckDB versions (a checkout made with git clone or git worktree).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
prof_a="$(cd "$1" && pwd)"
prof_b="$(cd "$2" && pwd)"
pairs="${3:-2}"
customers="${4:-50000}"
work="${5:-$(mktemp -d)}"
mkdir -p "$work"
root_a="$(cd "${A_CHECKOUT:-$root}" && pwd)"
root_b="$(cd "${B_CHECKOUT:-$root}" && pwd)"
# Each checkout's jar is built and the run kind added to its class-data-sharing archive before anything is measured.
for arm in A B; do
  if [ $arm = A ]; then r="$root_a"; prof="$prof_a"; else r="$root_b"; prof="$prof_b"; fi
  rm -rf "$work/warm" && cp -r "$r/project" "$work/warm" && rm -rf "$work/warm/target"
  "$r/bin/engine" build --project-dir "$work/warm" --profiles-dir "$prof" >/dev/null
  if [ "$root_a" = "$root_b" ]; then break; fi
done
one() {
  local arm="$1" n="$2" prof opts r d l0 l1
  d="$work/$n-$arm"
  if [ "$arm" = A ]; then prof="$prof_a"; opts="${A_JAVA_OPTS:-}"; r="$root_a"; else prof="$prof_b"; opts="${B_JAVA_OPTS:-}"; r="$root_b"; fi
  rm -rf "$d" && cp -r "$r/project" "$d" && rm -rf "$d/target"
  l0="$(cut -d' ' -f1 /proc/loadavg)"
  ( if [ -n "$opts" ]; then export ENGINE_JAVA_OPTS="$opts"; else unset ENGINE_JAVA_OPTS; fi
    THREAD_CPU_ALL=1 python3 "$here/thread_cpu.py" /usr/bin/time -v "$r/bin/engine" build --project-dir "$d" --profiles-dir "$prof" \
      --vars "{customers: $customers}" >"$d.out" 2>"$d.err" ) || true
  l1="$(cut -d' ' -f1 /proc/loadavg)"
  python3 - "$arm" "$n" "$l0" "$l1" "$d" <<'PY' | tee -a "$work/rows"
import os, re, sys
arm, n, l0, l1, d = sys.argv[1:]
err = open(d + ".err").read()
get = lambda k: re.search(re.escape(k) + r": (\S+)", err).group(1)
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(get("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"))))
done = [l for l in open(d + ".out") if "Done." in l]
size = os.path.getsize(d + "/target/retail.duckdb") if os.path.exists(d + "/target/retail.duckdb") else 0
print(f"{arm} n={n} load={l0}->{l1} wall={wall:.1f} user={get('User time (seconds)')} sys={get('System time (seconds)')} "
      f"cpu={float(get('User time (seconds)')) + float(get('System time (seconds)')):.1f} "
      f"rss_mb={int(get('Maximum resident set size (kbytes)')) / 1024:.0f} file_mb={size / 1e6:.0f} "
      f"[{done[-1].split('Done. ')[-1].strip() if done else 'no summary'}]")
PY
}
echo "A = $root_a, $prof_a ${A_JAVA_OPTS:-}; B = $root_b, $prof_b ${B_JAVA_OPTS:-}; $pairs pairs at $customers customers; copies in $work"
k=0
for i in $(seq 1 "$pairs"); do
  if [ $((i % 2)) = 1 ]; then order="A B"; else order="B A"; fi
  for arm in $order; do k=$((k + 1)); one "$arm" "$k"; done
done
python3 - "$work/rows" <<'PY'
import re, statistics, sys
rows = [dict(re.findall(r"(\w+)=([\d.]+)", l), arm=l.split()[0]) for l in open(sys.argv[1]) if l[:1] in "AB"]
rows = rows[-2 * (len(rows) // 2):]
pairs = [rows[i:i + 2] for i in range(0, len(rows), 2)]
pick = lambda p, arm, k: float(next(r for r in p if r["arm"] == arm)[k])
for k in ("wall", "cpu", "user", "sys", "rss_mb"):
    xa = [pick(p, "A", k) for p in pairs]
    xb = [pick(p, "B", k) for p in pairs]
    lower = sum(1 for x, y in zip(xa, xb) if y < x)
    print(f"{k}: A median {statistics.median(xa):.1f} ({', '.join(f'{x:.1f}' for x in xa)}) | "
          f"B median {statistics.median(xb):.1f} ({', '.join(f'{x:.1f}' for x in xb)}) | B lower in {lower} of {len(pairs)}")
PY
