#!/usr/bin/env bash
# Per-node overhead on DuckDB: `engine run` of many trivial views and of small tables, first run and re-run (with --no-skip-unchanged,
# so the re-run executes every node rather than skipping unchanged ones), on 1 and 2 threads, against the same compiled SQL sent directly over JDBC (DirectRun.java) with the same
# thread count. Both sides are timed as whole processes (JVM start included) and measured in this one run.
# In-process, the engine's node phase (first node's start to last node's end, from run_results.json) is set beside
# DirectRun's statements: its first pass on an empty database (like the engine's first run) and a second pass that
# replaces what the first created (like the engine's re-run). elapsed_time (the whole task: compile from the parse
# cache, state, the nodes) is printed too.
# Usage: bench/run_bench.sh [views count] [tables count]   (defaults 1000 and 200)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$here/../bin/engine"
jar="$here/../engine/target/engine-cli.jar"
views="${1:-1000}"
tables="${2:-200}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$engine" --version >/dev/null
# bin/engine adds a kind of command's classes to its class-data-sharing archive the first time one succeeds after
# a build (a second JVM of seconds): done here on a one-model project, so that no measured command pays it.
python3 "$here/gen_run_project.py" views 1 "$work/warm"
"$engine" run --project-dir "$work/warm" --profiles-dir "$work/warm" >/dev/null
"$engine" ls --project-dir "$work/warm" --profiles-dir "$work/warm" >/dev/null
javac -cp "$jar" -d "$work/classes" "$here/DirectRun.java"
now() { date +%s.%N; }
# CPU seconds (user + system) of the last command run through cpu, for a machine shared with other work.
cpu() { /usr/bin/time -f "%U %S" -o "$work/cpu" "$@"; }
cpu_s() { awk '{printf "%.2f", $1 + $2}' "$work/cpu"; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "| models | threads | engine first run (s) | engine re-run (s) | direct JDBC (s) | ratio first / direct | ratio re-run / direct | re-run in-process: engine elapsed_time / direct statements (s) | node phase: engine first / direct 1st pass; engine re-run / direct 2nd pass (s) | CPU first / re-run / direct (s) |\n|---|---|---|---|---|---|---|---|---|---|\n"
for spec in "views $views" "tables $tables"; do
  set -- $spec
  kind="$1"
  n="$2"
  for threads in 1 2; do
    p="$work/$kind-$threads"
    python3 "$here/gen_run_project.py" "$kind" "$n" "$p"
    t0=$(now)
    cpu "$engine" run --project-dir "$p" --profiles-dir "$p" --threads "$threads" >/dev/null
    t1=$(now)
    c1=$(cpu_s)
    nodes1=$(python3 "$here/node_phase.py" "$p/target/run_results.json")
    cpu "$engine" run --project-dir "$p" --profiles-dir "$p" --threads "$threads" --no-skip-unchanged >/dev/null
    t2=$(now)
    c2=$(cpu_s)
    # The direct run gets a database of its own, empty like the engine's was on its first run.
    nodes2=$(python3 "$here/node_phase.py" "$p/target/run_results.json")
    direct_out=$(cpu java -cp "$jar:$work/classes" DirectRun "$p/target" "$p/target/direct.duckdb" "$threads")
    t3=$(now)
    c3=$(cpu_s)
    # Untimed as a process: two passes on a database of their own, the second replacing what the first created.
    direct_twice=$(java -cp "$jar:$work/classes" DirectRun "$p/target" "$p/target/direct2.duckdb" "$threads" 2)
    inproc=$(python3 -c "import json,sys; print('%.2f' % json.load(open(sys.argv[1]))['elapsed_time'])" "$p/target/run_results.json")
    direct_in=$(echo "$direct_out" | sed -E 's/.* in ([0-9.]+) s/\1/')
    direct_in2=$(echo "$direct_twice" | tail -1 | sed -E 's/.* in ([0-9.]+) s/\1/')
    first=$(echo "$t1 - $t0" | bc)
    rerun=$(echo "$t2 - $t1" | bc)
    direct=$(echo "$t3 - $t2" | bc)
    printf "| %d %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s / %s | %s / %s; %s / %s | %s / %s / %s |\n" "$n" "$kind" "$threads" "$first" "$rerun" "$direct" \
      "$(echo "$first / $direct" | bc -l)" "$(echo "$rerun / $direct" | bc -l)" "$inproc" "$direct_in" "$nodes1" "$direct_in" "$nodes2" "$direct_in2" "$c1" "$c2" "$c3"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
