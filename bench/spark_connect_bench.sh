#!/usr/bin/env bash
# The retail pipeline at N customers (default 50,000; 18 months) built twice from the same sources: on DuckDB
# and on a Spark cluster on this machine (bin/spark-cluster: a master, two workers, a Spark Connect server)
# through `type: spark, method: connect`; then the same check queries on both, compared to 4 decimals.
# The store clustering (tag:stores) is left out on both, as in the Spark tests. No speed target: the point is
# that the work runs on the cluster's executors and the results agree.
#
#   bench/spark_connect_bench.sh [customers]
#
# Each JVM of the cluster has SPARK_CLUSTER_HEAP (default here 2g); the engine's JVM has 3 GB. The cluster
# runs under SPARK_CLUSTER_DIR (default: a folder under spark/cluster/target/bench) on the default ports
# unless SPARK_CLUSTER_* say otherwise; a cluster already running there is used, and left running. The two
# projects, their logs and the DuckDB file stay in SPARK_CLUSTER_DIR/bench-work until the next run.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
customers="${1:-50000}"
vars="{customers: $customers}"
export SPARK_CLUSTER_DIR="${SPARK_CLUSTER_DIR:-$here/spark/cluster/target/bench}"
export SPARK_CLUSTER_HEAP="${SPARK_CLUSTER_HEAP:-2g}"
port="${SPARK_CLUSTER_CONNECT_PORT:-15002}"
# Kept after the run (the projects, logs and warehouses), replaced by the next run.
work="$SPARK_CLUSTER_DIR/bench-work"
rm -rf "$work"
mkdir -p "$work"

# Built and resolved in one reactor (the spark module, last, writes the class path), with nothing installed.
(cd "$here" && mvn -q -B -ntp -DskipTests package dependency:build-classpath -pl engine,spark/sql,spark \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/cp.txt")
# The engine's and adapters' jars copied aside: a later `mvn install` (here or in another checkout sharing the
# local repository) would rewrite them under the running JVMs.
mkdir -p "$work/lib"
cp "$here/spark/target/sluice-spark-"*.jar "$work/lib/sluice-spark.jar"
cp=""
for jar in $(tr ':' ' ' <"$work/cp.txt"); do
  case "$jar" in "$here"/*) cp "$jar" "$work/lib/"; jar="$work/lib/$(basename "$jar")" ;; esac
  cp="$cp:$jar"
done
cp="$work/lib/sluice-spark.jar$cp"
"$here/bin/spark-cluster" start

java_opts=(-Xmx3g --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true)
engine() { java "${java_opts[@]}" -cp "$cp" dev.sluice.cli.Main "$@"; }

project() { # name, profile output
  mkdir -p "$work/$1"
  (cd "$here/project" && tar --exclude=./target -cf - .) | (cd "$work/$1" && tar -xf -)
  printf 'retail:\n  target: dev\n  outputs:\n    dev:\n%s\n' "$2" >"$work/$1/profiles.yml"
}
project duckdb "      type: duckdb
      path: $work/duckdb/retail.duckdb
      schema: main
      threads: 2"
project spark "      type: spark
      method: connect
      host: 127.0.0.1
      port: $port
      schema: main
      threads: 2"

# CPU seconds (user + system) of the cluster's JVMs and the executors the workers started, from /proc.
cluster_cpu() {
  local tick pids total=0 p
  tick=$(getconf CLK_TCK)
  pids="$(cat "$SPARK_CLUSTER_DIR"/pids/*.pid 2>/dev/null)"
  for p in $pids; do pids="$pids $(pgrep -P "$p" || true)"; done
  for p in $pids; do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "scale=1; $total / $tick" | bc
}

build() { # name
  local t0 t1 c0 c1
  c0=$(cluster_cpu); t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$work/$1.time" \
    java "${java_opts[@]}" -cp "$cp" dev.sluice.cli.Main build --vars "$vars" --exclude tag:stores \
    --project-dir "$work/$1" --profiles-dir "$work/$1" >"$work/$1.log" 2>&1 || { tail -40 "$work/$1.log"; exit 1; }
  t1=$(date +%s.%N); c1=$(cluster_cpu)
  grep -E "Done\. PASS" "$work/$1.log" | tail -1 | sed "s/^/$1: /"
  printf '%s %.0f %s %s\n' "$1" "$(echo "$t1 - $t0" | bc)" "$(awk '{printf "%.0f %.0f", $1 + $2, $3 / 1024}' "$work/$1.time")" \
    "$(echo "$c1 - $c0" | bc)" >>"$work/times"
}

# The cluster's build first: it is the one that can fail (a server out of memory), and then at once.
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
build spark
echo "load between: $(cut -d' ' -f1-3 /proc/loadavg)"
build duckdb
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "| warehouse | wall (s) | engine CPU user+sys (s) | engine peak RSS (MB) | cluster CPU user+sys (s) |"
echo "|---|---|---|---|---|"
while read -r name wall cpu rss ccpu; do
  [ "$name" = duckdb ] && ccpu="-"
  echo "| $name | $wall | $cpu | $rss | $ccpu |"
done <"$work/times"
for w in 1 2; do
  echo "worker $w: $(cat "$SPARK_CLUSTER_DIR"/worker-$w/app-*/*/stderr 2>/dev/null | grep -c 'Finished task') tasks finished (all builds on this cluster)"
done

# The same questions to both warehouses: counts and sums over silver and gold, and the RFM cells.
checks=(
  "select count(*) as n, count(distinct unified_customer_id) as people from {{ ref('slv_identity_links') }}"
  "select count(*) as n, sum(date_key) as keys, sum(amount) as amount from {{ ref('fct_transactions') }}"
  "select rfm_cell, count(*) as n from {{ ref('rfm_scores') }} group by rfm_cell order by rfm_cell"
  "select sum(days_since_last_purchase) as days, sum(transactions_90d) as n from {{ ref('customer_segments') }}"
  "select lifecycle_stage, count(*) as n from {{ ref('customer_lifecycle') }} group by lifecycle_stage order by lifecycle_stage"
  "select count(*) as n, sum(support) as support from {{ ref('market_basket_pairs') }}"
)
differ=0
for q in "${checks[@]}"; do
  for w in duckdb spark; do
    engine show --inline "$q" --limit -1 --output json --project-dir "$work/$w" --profiles-dir "$work/$w" 2>/dev/null \
      | python3 -c '
import json, sys
from decimal import Decimal, ROUND_HALF_UP
text = sys.stdin.read()
rows = json.loads(text[text.index("{"):])
rows = rows.get("show", rows.get("rows", rows))
def norm(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(Decimal(str(v)).quantize(Decimal("0.0001"), ROUND_HALF_UP).normalize())
    return str(v)
print(json.dumps([[norm(v) for v in (r.values() if isinstance(r, dict) else r)] for r in rows]))' >"$work/check.$w"
  done
  if cmp -s "$work/check.duckdb" "$work/check.spark"; then echo "same: $q -> $(head -c 200 "$work/check.duckdb")"
  else differ=1; echo "DIFFERENT: $q"; echo "  duckdb: $(cat "$work/check.duckdb")"; echo "  spark:  $(cat "$work/check.spark")"; fi
done
exit $differ
