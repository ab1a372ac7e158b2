#!/usr/bin/env bash
# Churn node (issue 17): trains churn_model from scratch on a project whose feature tables are already built at
# the size wanted (e.g. `bin/engine build --project-dir <copy> --vars '{customers: 50000}' -s +churn_model`), and
# prints the node's time from run_results.json, the process's CPU (user + sys: comparable under load, wall time
# is not), its peak RSS, the model's held-out figures and the load average before and after. The model files are
# deleted first, so the registry cannot reuse the stored model and the node trains.
# Usage: bench/churn_bench.sh <built project dir> ['{customers: 50000}']
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$here/../bin/engine"
p="$(cd "$1" && pwd)"
vars="${2:-{customers: 50000\}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$engine" --version >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$p/target/ml/churn_model"
/usr/bin/time -v "$engine" run --project-dir "$p" --vars "$vars" -s churn_model >"$work/out" 2>"$work/time" || {
  cat "$work/out" "$work/time" >&2; exit 1; }
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "churn_model: (training on|trained|best model)" "$work/out" | sed 's/^[0-9:]* *//'
python3 - "$p/target/run_results.json" "$work/time" <<'PY'
import json, re, sys
node = [r for r in json.load(open(sys.argv[1]))["results"] if r["unique_id"].endswith(".churn_model")][0]
t = open(sys.argv[2]).read()
get = lambda k: float(re.search(re.escape(k) + r": ([0-9.]+)", t).group(1))
print("churn_model node wall %.2f s; process CPU %.2f user + %.2f sys s; peak RSS %.2f GB"
      % (node["execution_time"], get("User time (seconds)"), get("System time (seconds)"),
         get("Maximum resident set size (kbytes)") / 1024 / 1024))
PY
