#!/usr/bin/env bash
# Two engine jars compiling the same generated project (bench/gen_project.py) in alternating ABBA pairs, each a
# cold compile (target/ moved aside, see compile_bench.sh on why not deleted), run as bin/engine runs a compile
# (C1 only, serial collector, a fixed 256 MB young generation) but within a 2 GB heap: CPU (user + system),
# wall, peak RSS, the collector's pauses; then the last outputs of A and B compared: manifest.json byte for byte
# after masking the invocation id and times, partial_parse.json after its key and macros digest (both hold the
# jar's identity), compiled SQL with diff -r.
# Usage: bench/compile_ab.sh <jar A> <jar B> [models] [pairs]   (default 10000 models, 3 pairs)
#        HEAP="-Xmx3g -Xms3g" changes the heap options.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
a="$(readlink -f "$1")"; b="$(readlink -f "$2")"; n="${3:-10000}"; pairs="${4:-3}"
heap="${HEAP:--Xmx2g -Xms2g}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The engine finds DuckDB's native library beside its jar.
for jar in "$a" "$b"; do
  if ! ls "$(dirname "$jar")"/libduckdb_java.so_* >/dev/null 2>&1; then
    echo "no DuckDB native library beside $jar: copy engine/target/libduckdb_java.so_* there" >&2; exit 2
  fi
done
python3 "$here/gen_project.py" "$n" "$work/p" >/dev/null
run() { # label jar: one cold compile; prints a table row; keeps the target as $work/out.<label>
  local label=$1 jar=$2 load
  if [ -e "$work/p/target" ]; then mv "$work/p/target" "$work/aside.$RANDOM$RANDOM"; fi
  load="$(cut -d' ' -f1 /proc/loadavg)"
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" java $heap -Xmn256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Xlog:gc:file="$work/gc" -jar "$jar" compile --project-dir "$work/p" --profiles-dir "$work/p" >"$work/log" 2>&1 \
    || { cat "$work/log" >&2; exit 1; }
  rm -rf "$work/out.$label"; cp -r "$work/p/target" "$work/out.$label"
  rm -rf "$work"/aside.*
  python3 - "$label" "$load" "$work/time" "$work/gc" <<'PY'
import re, sys
label, load, timef, gcf = sys.argv[1:]
wall, user, sys_, rss = open(timef).read().split()[-4:]
young = full = 0; pause = 0.0
for line in open(gcf):
    m = re.search(r"Pause (Young|Full).* ([0-9.]+)ms$", line.strip())
    if m:
        young += m.group(1) == "Young"; full += m.group(1) == "Full"; pause += float(m.group(2))
print(f"| {label} | {load} | {float(user) + float(sys_):.2f} | {float(sys_):.2f} | {float(wall):.2f} | {int(rss) // 1024} | {young} ({full}) | {pause / 1000:.2f} |")
PY
}
echo "$n models, heap $heap; A = $a, B = $b"
echo "| run | load | CPU (s) | of which system | wall (s) | peak RSS (MB) | collections (full) | pauses (s) |"
echo "|---|---|---|---|---|---|---|---|"
for i in $(seq 1 "$pairs"); do
  if [ $((i % 2)) = 1 ]; then run "A$i" "$a"; run "B$i" "$b"; else run "B$i" "$b"; run "A$i" "$a"; fi
done
mask() { sed -E 's/"(generated_at|invocation_id|invocation_started_at)":"[^"]*"/"\1":"X"/g' "$1"; }
cmp <(mask "$work/out.A$pairs/manifest.json") <(mask "$work/out.B$pairs/manifest.json") \
  && echo "manifest.json identical after masking ids and times ($(wc -c <"$work/out.B$pairs/manifest.json") bytes)"
# The key and the compiled macros' digest both include the engine's build, so they differ between two jars.
key() { sed -E '1s/^\{"key":"[0-9a-f]*"/{"key":"K"/; s/"macros":"[0-9a-f]*"/"macros":"M"/' "$1"; }
cmp <(key "$work/out.A$pairs/partial_parse.json") <(key "$work/out.B$pairs/partial_parse.json") \
  && echo "partial_parse.json identical after its key and macros digest ($(wc -c <"$work/out.B$pairs/partial_parse.json") bytes)"
diff -r "$work/out.A$pairs/compiled" "$work/out.B$pairs/compiled" >/dev/null \
  && echo "compiled SQL identical ($(find "$work/out.B$pairs/compiled" -type f | wc -l) files)"
