#!/usr/bin/env bash
# Engine overhead: the same models of the retail project, built by `engine run` and by running their compiled
# SQL directly over JDBC (DirectRun.java), one after the other on the same data, single-threaded both.
# Usage: bench/overhead_bench.sh <retail project dir that has been built>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$(cd "$1" && pwd)"
jar="$here/../engine/target/engine-cli.jar"
"$here/../bin/engine" --version >/dev/null
javac -cp "$jar" -d "$here/.classes" "$here/DirectRun.java"
# Every SQL model; the generator and the ML operators are left out (their data is already there).
sel=(--exclude generate_retail churn_model customer_segmentation high_value_lookalikes)
start=$(date +%s.%N)
"$here/../bin/engine" run --project-dir "$project" --threads 1 --full-refresh "${sel[@]}" > /dev/null
end=$(date +%s.%N)
engine=$(echo "$end - $start" | bc)
direct_out=$(java -cp "$jar:$here/.classes" DirectRun "$project/target" "$project/target/retail.duckdb")
direct=$(echo "$direct_out" | sed -E 's/.* in ([0-9.]+) s/\1/')
echo "engine run (JVM start, compile, swap, artifacts): ${engine} s"
echo "$direct_out"
echo "ratio engine/direct: $(echo "scale=2; $engine / $direct" | bc)"
