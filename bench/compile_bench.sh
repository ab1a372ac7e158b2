#!/usr/bin/env bash
# Compile speed on generated projects of 1,000 and 10,000 models, measured in one run, side by side.
# Each project is compiled three times; the median wall time is reported, JVM start included.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$here/../bin/engine"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$engine" --version >/dev/null
printf "| models | median compile (s) | per model (ms) |\n|---|---|---|\n"
for n in 1000 10000; do
  python3 "$here/gen_project.py" "$n" "$work/p$n"
  times=()
  for _ in 1 2 3; do
    rm -rf "$work/p$n/target"
    start=$(date +%s.%N)
    "$engine" compile --project-dir "$work/p$n" >/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  median=$(printf "%s\n" "${times[@]}" | sort -n | sed -n 2p)
  printf "| %d | %.2f | %.2f |\n" "$n" "$median" "$(echo "$median * 1000 / $n" | bc -l)"
done
