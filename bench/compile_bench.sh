#!/usr/bin/env bash
# Compile speed on generated projects (bench/gen_project.py: layers of models, two refs, a macro, a var and one
# test each), side by side with the Dataform CLI compiling the same DAG (bench/gen_dataform.py), in one run.
# Each figure is one process timed whole: JVM (or node) start included; CPU is user + system of the process
# and its children; peak RSS from /usr/bin/time.
# A cold compile starts from a target/ moved aside, not deleted: on a file system without a journal (ext4 here)
# the kernel will not reuse an inode freed in the last minutes and scans past every such inode for each file it
# creates, so writing 20,000 compiled files right after deleting 20,000 cost up to 10 s of system CPU, a cost of
# the file system, not of the engine. The last columns measure that case too ("rm -rf target" then compile), as
# a user running `clean` before a compile meets it.
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
# Warm-up: builds the jar if needed and, when no command but a `run` has started since, lets bin/engine write its
# class-data-sharing archive from a compile's classes (it records the first successful command of each kind after
# a build), so no measured run pays for writing the archive (a second JVM, seconds of CPU).
python3 "$here/gen_project.py" 20 "$work/warm" >/dev/null
"$engine" compile --project-dir "$work/warm" --profiles-dir "$work/warm" >/dev/null
if [ "${DATAFORM:-1}" != 0 ]; then
  # The Dataform CLI and core, installed once into bench/.dataform (not part of the repository).
  df="$here/.dataform"
  if [ ! -x "$df/node_modules/.bin/dataform" ]; then
    npm install --silent --no-audit --no-fund --prefix "$df" @dataform/cli@3 @dataform/core@3 >&2
  fi
fi
measure() { # prints "wall cpu peak_mb system_cpu" of a command; its output is discarded
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  awk '{printf "%.2f %.2f %d %.2f\n", $1, $2 + $3, $4 / 1024, $3}' "$work/time"
}
echo "load before: $(uptime)"
printf "| models | engine wall (s) | engine CPU (s) | of which system (s) | engine peak RSS (MB) | unchanged re-compile wall (s) | re-compile CPU (s) | again, outputs kept: wall (s) | CPU (s) | Dataform wall (s) | Dataform CPU (s) | Dataform / engine wall | after rm -rf target: wall (s) | CPU (s) | of which system (s) |\n"
printf "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
for n in "${sizes[@]}"; do
  p="$work/p$n"
  python3 "$here/gen_project.py" "$n" "$p"
  runs=()
  for i in $(seq 1 "$repeat"); do
    if [ -e "$p/target" ]; then mv "$p/target" "$work/old$n.$i"; fi
    runs+=("$(measure "$engine" compile --project-dir "$p" --profiles-dir "$p")")
  done
  read -r wall cpu rss sys <<<"$(printf "%s\n" "${runs[@]}" | sort -n | sed -n "$(( (repeat + 1) / 2 ))p")"
  test -f "$p/target/manifest.json"
  # The same compile again: the partial-parse cache (target/partial_parse.json) serves every unchanged node.
  read -r rwall rcpu _ _ <<<"$(measure "$engine" compile --project-dir "$p" --profiles-dir "$p")"
  # And once more: that compile was served wholly by the cache, so this one keeps its outputs (UnchangedCompile).
  read -r kwall kcpu _ _ <<<"$(measure "$engine" compile --project-dir "$p" --profiles-dir "$p")"
  dwall="-"; dcpu="-"; ratio="-"
  if [ "${DATAFORM:-1}" != 0 ]; then
    d="$work/d$n"
    python3 "$here/gen_dataform.py" "$n" "$d"
    mkdir -p "$d/node_modules/@dataform"
    cp -r "$df/node_modules/@dataform/core" "$d/node_modules/@dataform/"
    read -r dwall dcpu _ _ <<<"$(cd "$d" && measure "$df/node_modules/.bin/dataform" compile --json --timeout=1h)"
    ratio=$(echo "scale=1; $dwall / $wall" | bc)
  fi
  rm -rf "$p/target"
  read -r xwall xcpu _ xsys <<<"$(measure "$engine" compile --project-dir "$p" --profiles-dir "$p")"
  printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" "$n" "$wall" "$cpu" "$sys" "$rss" "$rwall" \
    "$rcpu" "$kwall" "$kcpu" "$dwall" "$dcpu" "$ratio" "$xwall" "$xcpu" "$xsys"
done
echo "load after: $(uptime)"
