#!/usr/bin/env bash
# Fingerprints (issue 15 item 2): `engine build` of a project of N models (tables and views in layers of 50, one
# test each) on DuckDB: the first build, an unchanged re-build, and a re-build after editing one model in the
# middle layer, measured side by side in this one run. Engine time is run_results.json's elapsed_time (from the
# start of the command's work, after JVM start and project loading); wall time is the whole process, and the
# start of `engine --version` is shown for the JVM's share; CPU is the process's user + system time, and the load
# average is printed before and after (the figures are only comparable on an idle machine). Data tests that passed
# with an unchanged fingerprint are skipped too (see README); the `--no-skip-unchanged` row runs everything.
# Usage: bench/fingerprint_bench.sh [model count]   (default 1000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$here/../bin/engine"
n="${1:-1000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$engine" --version >/dev/null
now() { date +%s.%N; }
p="$work/state"
python3 "$here/gen_state_project.py" "$n" "$p"
t0=$(now); "$engine" --version >/dev/null; t1=$(now)
jvm=$(echo "$t1 - $t0" | bc)
summary() {
  python3 - "$p/target/run_results.json" "$p/logs/engine.log" <<'PY'
import json, sys
from datetime import datetime
d = json.load(open(sys.argv[1]))
# The node phase: from the ConcurrencyLine event (compiled, schemas made) to FinishedRunningStats.
inv = d["metadata"]["invocation_id"]
ts = {}
for line in open(sys.argv[2]):
    try:
        e = json.loads(line)["info"]
    except ValueError:
        continue
    if e.get("invocation_id") == inv and e["name"] in ("ConcurrencyLine", "FinishedRunningStats"):
        ts[e["name"]] = datetime.fromisoformat(e["ts"][:26].rstrip("Z"))
phase = (ts["FinishedRunningStats"] - ts["ConcurrencyLine"]).total_seconds() if len(ts) == 2 else float("nan")
models = [r for r in d["results"] if r["unique_id"].startswith("model.")]
built = sum(1 for r in models if r["status"] == "success")
unchanged = sum(1 for r in models if r["status"] == "skipped" and r["message"] == "SKIP (unchanged)")
tests = sum(1 for r in d["results"] if r["unique_id"].startswith("test.") and r["status"] == "pass")
tests_unchanged = sum(1 for r in d["results"] if r["unique_id"].startswith("test.") and r["status"] == "skipped"
                      and r["message"] == "SKIP (unchanged)")
print("%.2f %.2f %d %d %d %d" % (d["elapsed_time"], phase, built, unchanged, tests, tests_unchanged))
PY
}
row() {
  local what="$1" t0 t1 cpu
  shift
  t0=$(now)
  /usr/bin/time -o "$work/cpu" -f "%U %S" "$engine" "${cmd:-build}" --project-dir "$p" --profiles-dir "$p" \
    --log-format-file json "$@" >/dev/null
  t1=$(now)
  cpu=$(awk '{print $1 + $2}' "$work/cpu")
  set -- $(summary)
  printf "| %s | %.2f | %.2f | %s | %s | %s | %s | %s | %s |\n" "$what" "$(echo "$t1 - $t0" | bc)" "$cpu" "$1" "$2" "$3" "$4" "$5" "$6"
}
echo "models: $n (+ $n tests); engine --version (JVM start): ${jvm}s"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "| build | wall (s) | CPU (s) | engine elapsed_time (s) | of which nodes (s) | models built | models unchanged | tests passed | tests unchanged |\n|---|---|---|---|---|---|---|---|---|\n"
row "first build"
row "unchanged re-build"
cmd=run row "unchanged \`run\` (models only, no tests)"
middle=$(printf "m%05d" $(( (n / 50 / 2) * 50 + 7 )))
[ -f "$p/models/$middle.sql" ] || middle=$(printf "m%05d" $(( n / 2 )))
echo "-- edited" >> "$p/models/$middle.sql"
row "after editing $middle"
cmd=build row "--no-skip-unchanged" --no-skip-unchanged
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
