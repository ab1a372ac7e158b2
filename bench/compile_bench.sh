#!/usr/bin/env bash
# Compile speed on generated projects (bench/gen_project.py: layers of models, two refs, a macro, a var and one
# test each), side by side with the Dataform CLI compiling the same DAG (bench/gen_dataform.py), in one run.
# Each figure is one process timed whole: JVM (or node) start included; CPU is user + system of the process
# and its children; peak RSS from /usr/bin/time.
# Usage: bench/compile_bench.sh [model counts...]   (default: 10000 50000)
#        DATAFORM=0 skips Dataform (no npm needed); REPEAT=n takes the median of n engine runs (default 1).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$here/../bin/engine"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 50000)
repeat="${REPEAT:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$engine" --version >/dev/null
if [ "${DATAFORM:-1}" != 0 ]; then
  # The Dataform CLI and core, installed once into bench/.dataform (not part of the repository).
  df="$here/.dataform"
  if [ ! -x "$df/node_modules/.bin/dataform" ]; then
    npm install --silent --no-audit --no-fund --prefix "$df" @dataform/cli@3 @dataform/core@3 >&2
  fi
fi
measure() { # prints "wall cpu peak_mb" of a command; its output is discarded
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4 / 1024}' "$work/time"
}
echo "load before: $(uptime)"
printf "| models | engine wall (s) | engine CPU (s) | engine peak RSS (MB) | unchanged re-compile wall (s) | re-compile CPU (s) | Dataform wall (s) | Dataform CPU (s) | Dataform / engine wall |\n"
printf "|---|---|---|---|---|---|---|---|---|\n"
for n in "${sizes[@]}"; do
  p="$work/p$n"
  python3 "$here/gen_project.py" "$n" "$p"
  runs=()
  for _ in $(seq 1 "$repeat"); do
    rm -rf "$p/target"
    runs+=("$(measure "$engine" compile --project-dir "$p" --profiles-dir "$p")")
  done
  read -r wall cpu rss <<<"$(printf "%s\n" "${runs[@]}" | sort -n | sed -n "$(( (repeat + 1) / 2 ))p")"
  test -f "$p/target/manifest.json"
  # The same compile again: the partial-parse cache (target/partial_parse.json) serves every unchanged node.
  read -r rwall rcpu _ <<<"$(measure "$engine" compile --project-dir "$p" --profiles-dir "$p")"
  dwall="-"; dcpu="-"; ratio="-"
  if [ "${DATAFORM:-1}" != 0 ]; then
    d="$work/d$n"
    python3 "$here/gen_dataform.py" "$n" "$d"
    mkdir -p "$d/node_modules/@dataform"
    cp -r "$df/node_modules/@dataform/core" "$d/node_modules/@dataform/"
    read -r dwall dcpu _ <<<"$(cd "$d" && measure "$df/node_modules/.bin/dataform" compile --json --timeout=1h)"
    ratio=$(echo "scale=1; $dwall / $wall" | bc)
  fi
  printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n" "$n" "$wall" "$cpu" "$rss" "$rwall" "$rcpu" "$dwall" "$dcpu" "$ratio"
done
echo "load after: $(uptime)"
