#!/usr/bin/env bash
# Acceptance of the release archives (issue 20), run by .ci/run after `mvn package`: no network, no Maven.
# Each archive is unpacked in a temporary HOME without ~/.m2 and run as a user would: `engine init`, `engine build`
# on the starter project and on the retail sample; a snowflake profile without its plugin, then with the plugin
# installed from its jar; the spark plugin installed from its zip and a build on local Spark through it; and the
# runtime variant with PATH and JAVA_HOME cleared.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/dist/target"
core="$(ls "$target"/engine-*-linux_amd64.tar.gz)"
zip="$(ls "$target"/engine-*-linux_amd64.zip)"
runtime="$(ls "$target"/engine-*-linux_amd64-runtime.tar.gz)"
checks=0
pass() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

max=$((80 * 1024 * 1024))
for a in "$core" "$zip"; do
  size="$(stat -c %s "$a")"
  [ "$size" -le "$max" ] || fail "$(basename "$a") is $size bytes, over 80 MB"
  pass "$(basename "$a") is $((size / 1024 / 1024)) MB (at most 80)"
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
home="$work/home"
mkdir -p "$home" "$work/core" "$work/runtime" "$work/projects"
# The system Java only: no Maven, no ~/.m2, nothing else on PATH.
java_dir="$(dirname "$(readlink -f "$(command -v java)")")"
as_user() { env -i HOME="$home" PATH="$java_dir" "$@"; }
# Local Spark also runs chmod (Hadoop's local file system), which every machine has.
as_user_sys() { env -i HOME="$home" PATH="$java_dir:/usr/bin:/bin" "$@"; }

tar -xzf "$core" -C "$work/core"
engine="$(ls -d "$work"/core/engine-*)/bin/engine"
[ -d "$(dirname "$engine")/../plugins" ] || fail "no plugins/ folder in the archive"
# grep reads the whole listing (no -q): with pipefail, an early exit kills unzip with SIGPIPE and fails the check.
unzip -Z1 "$zip" | grep "bin/engine.cmd$" >/dev/null || fail "no Windows launcher in the zip"
pass "the archives hold bin/engine, bin/engine.cmd, lib/ and plugins/"

out="$(cd "$work/projects" && as_user "$engine" init starter)"
[[ "$out" == *"Created project starter"* ]] || fail "engine init: $out"
out="$(cd "$work/projects/starter" && as_user "$engine" build)"
[[ "$out" == *"Completed successfully"* && "$out" == *"ERROR=0"* ]] || fail "engine build of the starter project: $out"
pass "engine init and engine build of the starter project with only a JRE on PATH"

cp -r "$root/project" "$work/projects/retail"
rm -rf "$work/projects/retail/target" "$work/projects/retail/logs"
cp "$root/profiles.yml" "$work/projects/retail/"
out="$(cd "$work/projects/retail" && as_user "$engine" build --profiles-dir .)" || fail "engine build of the retail sample: $out"
[[ "$out" == *"Completed successfully"* ]] || fail "engine build of the retail sample: $out"
pass "engine build of the retail sample: $(grep -o 'Done\..*' <<< "$out" | tail -1)"

# Seed 004's prod environment on PostgreSQL, from the archive: the generator and the external sources read and
# write files through a private DuckDB while the target is PostgreSQL (its driver is not the target's).
if [ -n "${SLUICE_PG_HOST:-}" ]; then
  pg=(PGHOST="$SLUICE_PG_HOST" PGPORT="${SLUICE_PG_PORT:-5432}" PGUSER="${SLUICE_PG_USER:-postgres}"
      PGPASSWORD="${SLUICE_PG_PASSWORD:-}" PGDATABASE=postgres)
  out="$(cd "$work/projects/retail" && as_user "${pg[@]}" "$engine" job run full_pipeline_job --profiles-dir . --target prod 2>&1)" \
    || fail "engine job run full_pipeline_job --target prod: $out"
  [[ "$out" == *"job full_pipeline_job succeeded"* ]] || fail "engine job run full_pipeline_job --target prod: $out"
  pass "seed 004's full_pipeline_job on PostgreSQL (--target prod): $(grep -o 'Done\..*' <<< "$out" | tail -1)"
else
  echo "skipped: the prod job on PostgreSQL (SLUICE_PG_HOST is not set)"
fi

# A plugin's adapter: the starter project under $work/projects/TYPE with profile OUTPUT (a YAML flow map) of type
# TYPE, whose `debug` exits 2 naming the install command while the plugin is missing; then the plugin's PACKAGE (a
# glob; Maven MODULE builds it) is installed with its SHA-256 verified, as plugins/INSTALLED under the home.
# Returns 1, with the step named as skipped, when the package is not built.
needs_plugin() {
  local type="$1" output="$2" glob="$3" installed="$home/.sluice/plugins/$4" module="$5" err rc package sha out
  mkdir -p "$work/projects/$type"
  cp -r "$work/projects/starter/." "$work/projects/$type/"
  rm -rf "$work/projects/$type/target"
  printf 'starter:\n  target: %s\n  outputs:\n    %s: %s\n' "$type" "$type" "$output" > "$work/projects/$type/profiles.yml"
  set +e
  err="$(cd "$work/projects/$type" && as_user "$engine" debug --profiles-dir . 2>&1 >/dev/null)"
  rc=$?
  set -e
  [ $rc -eq 2 ] && [[ "$err" == *"engine plugins install $type"* ]] || fail "$type without its plugin (exit $rc): $err"
  pass "a $type profile without its plugin: exit 2, '$err'"
  package="$(compgen -G "$glob" | head -1 || true)"
  if [ -z "$package" ]; then
    echo "skipped: the $type plugin is not built (mvn package -pl $module)"
    return 1
  fi
  sha="$(sha256sum "$package" | cut -d' ' -f1)"
  out="$(cd "$work" && as_user "$engine" plugins install "$type" --file "$package" --sha256 "$sha")"
  [[ "$out" == *"(verified)"* && -e "$installed" ]] || fail "plugins install $type: $out"
  pass "the $type plugin installed from $(basename "$package") (SHA-256 verified)"
}

if needs_plugin snowflake "{type: snowflake, account: xy12345, user: bob, password: not-used, database: analytics, schema: dbt_bob}" \
    "$root/plugins/snowflake/target/sluice-snowflake-*-plugin.jar" snowflake.jar plugins/snowflake; then
  set +e
  err="$(cd "$work/projects/snowflake" && as_user "$engine" debug --profiles-dir . 2>&1 >/dev/null)"
  rc=$?
  set -e
  # No network here: the driver, loaded from the plugin, fails to resolve the account's host.
  [ $rc -eq 2 ] && [[ "$err" == *"cannot connect to snowflake account xy12345 as user bob"* ]] || fail "snowflake with its plugin (exit $rc): $err"
  pass "the snowflake plugin loads its driver: '$err'"
fi

# Spark is a plugin too: not in the core archive; installed from its zip of jars, then a build on local Spark.
if unzip -Z1 "$(dirname "$engine")/../lib/engine.jar" | grep '^org/apache/spark/' >/dev/null; then
  fail "the core archive's engine.jar carries Spark"
fi
if needs_plugin spark "{type: spark, method: local, warehouse_dir: \"$work/spark-warehouse\", schema: starter, threads: 2}" \
    "$root/spark/target/sluice-spark-*-plugin.zip" spark engine,spark; then
  # Spark is memory-hungry; the machine running this is shared.
  out="$(cd "$work/projects/spark" && as_user_sys ENGINE_JAVA_OPTS=-Xmx2g "$engine" build --profiles-dir . 2>&1)" \
    || fail "engine build of the starter project on local Spark: $out"
  [[ "$out" == *"Completed successfully"* && "$out" == *"ERROR=0"* ]] || fail "engine build on local Spark: $out"
  # The table Spark wrote, read back through the plugin, against counts taken from the seed file itself.
  shown="$(cd "$work/projects/spark" && as_user_sys ENGINE_JAVA_OPTS=-Xmx2g "$engine" show --profiles-dir . \
    --inline "select continent, country_count from {{ ref('continents') }} order by continent" 2>&1)" || fail "engine show on Spark: $shown"
  while IFS=, read -r continent count; do
    grep -Eq "$continent[ |]+$count( |\||$)" <<< "$shown" || fail "continents on Spark lacks $continent = $count: $shown"
  done < <(tail -n +2 "$work/projects/spark/seeds/countries.csv" | cut -d, -f3 | sort | uniq -c | awk '{c=$1; $1=""; sub(/^ /,""); print $0","c}')
  ls "$work"/spark-warehouse/tables/starter.db/continents/_delta_log/*.json >/dev/null 2>&1 \
    || fail "no Delta table for continents under $work/spark-warehouse/tables"
  pass "engine build of the starter project on local Spark through the installed plugin: $(grep -o 'Done\..*' <<< "$out" | tail -1)"
fi

tar -xzf "$runtime" -C "$work/runtime"
rt_engine="$(ls -d "$work"/runtime/engine-*)/bin/engine"
version="$(env -i HOME="$home" "$rt_engine" --version)"
[[ "$version" =~ ^engine\ [^\ ]+\ \(commit\ [0-9a-f]{7,} ]] || fail "engine --version of the runtime variant: $version"
rm -rf "$work/projects/starter/target"
out="$(cd "$work/projects/starter" && env -i HOME="$home" "$rt_engine" build)"
[[ "$out" == *"Completed successfully"* ]] || fail "engine build with the bundled runtime: $out"
pass "the runtime variant ($version) builds the starter project with PATH and JAVA_HOME cleared"
if [ -d "$home/.sluice/plugins/spark" ]; then
  # The trimmed runtime has the modules the Spark plugin needs (Hadoop's Unix login among them).
  out="$(cd "$work/projects/spark" && env -i HOME="$home" PATH=/usr/bin:/bin ENGINE_JAVA_OPTS=-Xmx2g "$rt_engine" debug --profiles-dir . 2>&1)" \
    || fail "engine debug on local Spark with the bundled runtime: $out"
  [[ "$out" == *"Connection test: [OK"* ]] || fail "engine debug on local Spark with the bundled runtime: $out"
  pass "the runtime variant opens local Spark through the installed plugin: $(grep -o 'connection: .*' <<< "$out")"
fi
# The container image (dist/Dockerfile) when podman is here: built from the runtime archive, then
# `engine --version` and a build of the starter project run in it.
if command -v podman >/dev/null 2>&1; then
  # vfs storage works without kernel overlay support; runc copes with hybrid cgroups where crun does not; the
  # limits are set lower than the host's, which any container may do (setting them equal can be refused).
  pod=(podman --storage-driver vfs)
  if command -v runc >/dev/null 2>&1; then pod+=(--runtime runc); fi
  limits=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
  base=docker.io/library/debian:bookworm-slim
  if "${pod[@]}" image exists "$base" || "${pod[@]}" pull -q "$base" >/dev/null 2>&1; then
    ver="$(basename "$runtime")"
    ver="${ver#engine-}"
    ver="${ver%-linux_amd64-runtime.tar.gz}"
    tag="localhost/sluice-acceptance:$$"
    mkdir -p "$work/image"
    cp "$target/Dockerfile" "$runtime" "$work/image/"
    "${pod[@]}" build -q "${limits[@]}" -t "$tag" --build-arg VERSION="$ver" "$work/image" >/dev/null \
      || fail "podman build of dist/Dockerfile"
    trap '"${pod[@]}" rmi -f "$tag" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
    in_image="$("${pod[@]}" run --rm "${limits[@]}" "$tag" --version)"
    [[ "$in_image" == "$version" ]] || fail "engine --version in the image: '$in_image', the archive's: '$version'"
    mkdir -p "$work/projects/container"
    cp -r "$work/projects/starter/." "$work/projects/container/"
    rm -rf "$work/projects/container/target" "$work/projects/container/logs" "$work/projects/container/"*.duckdb
    cp "$home/.dbt/profiles.yml" "$work/projects/container/"
    # The image runs as its own user, who must be able to write the mounted project.
    chmod -R a+rwX "$work/projects/container"
    out="$("${pod[@]}" run --rm "${limits[@]}" -v "$work/projects/container:/project" "$tag" build --profiles-dir .)" \
      || fail "engine build in the container: $out"
    [[ "$out" == *"Completed successfully"* && "$out" == *"ERROR=0"* ]] || fail "engine build in the container: $out"
    pass "the container image ($in_image) builds the starter project: $(grep -o 'Done\..*' <<< "$out" | tail -1)"
  else
    echo "skipped: the container image (podman has no $base and cannot pull it)"
  fi
else
  echo "skipped: the container image (no podman)"
fi
echo "release acceptance: all $checks checks passed"
