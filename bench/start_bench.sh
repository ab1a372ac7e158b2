#!/usr/bin/env bash
# Start-up cost: `engine --version` and `engine ls` on a 3-model project, through bin/engine (class-data
# sharing archive, C1 and the serial collector for short commands), against plain `java -jar` without them.
# Median of N runs each (default 5), wall and CPU (user + system).
# Usage: bench/start_bench.sh [runs]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$here/../bin/engine"
jar="$here/../engine/target/engine-cli.jar"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_project.py" 3 "$work/p3"
"$engine" ls --project-dir "$work/p3" --profiles-dir "$work/p3" >/dev/null   # builds the jar and the archive if needed
median() { # command... -> "wall cpu" medians
  local out=()
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null
    out+=("$(awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$work/time")")
  done
  local w c
  w=$(printf "%s\n" "${out[@]}" | awk '{print $1}' | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  c=$(printf "%s\n" "${out[@]}" | awk '{print $2}' | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  echo "$w $c"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "| command | bin/engine wall (s) | bin/engine CPU (s) | plain java -jar wall (s) | plain CPU (s) |\n|---|---|---|---|---|\n"
read -r w c <<<"$(median "$engine" --version)"
read -r pw pc <<<"$(median java -jar "$jar" --version)"
printf "| engine --version | %s | %s | %s | %s |\n" "$w" "$c" "$pw" "$pc"
read -r w c <<<"$(median "$engine" ls --project-dir "$work/p3" --profiles-dir "$work/p3")"
read -r pw pc <<<"$(median java -jar "$jar" ls --project-dir "$work/p3" --profiles-dir "$work/p3")"
printf "| engine ls (3 models) | %s | %s | %s | %s |\n" "$w" "$c" "$pw" "$pc"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
