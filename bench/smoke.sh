#!/usr/bin/env bash
# CI check that the benchmark scripts still run, at a size that takes seconds: no figures are asserted
# (speed is measured by hand on an idle machine; see bench/README.md). Dataform is left out (needs npm).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/run_bench.sh" 20 5
DATAFORM=0 "$here/compile_bench.sh" 100
# The jar compile_bench.sh built, against itself: the A/B script runs and its outputs compare equal.
"$here/compile_ab.sh" "$here/../engine/target/engine-cli.jar" "$here/../engine/target/engine-cli.jar" 50 1
"$here/start_bench.sh" 1
"$here/fingerprint_bench.sh" 20
python3 "$here/file_floor.py" 2000 2
echo "bench smoke: the six bench scripts ran at a small size"
