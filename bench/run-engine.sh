#!/usr/bin/env bash
# Builds CouloyDB and runs the engine benchmarks side by side with RocksDB, LMDB and H2 MVStore,
# then prints Markdown tables (also written to bench-results.md).
#   bench/run-engine.sh                      full run (about 30 minutes on 2 cores)
#   QUICK=1 bench/run-engine.sh              smoke run: 100k keys, short iterations
#   ONLY=store|sync|open|types|typemem|merge bench/run-engine.sh one part
#   JAVA_OPTS=-XX:+UseTransparentHugePages ONLY=open bench/run-engine.sh   extra flags for the open/memory part
# Data goes under BENCH_DIR (default /tmp): it needs about 3 GB free for the full run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/jdk25.sh
mvn -B -q -ntp -DskipTests package
args=(-Dbench.dir="${BENCH_DIR:-/tmp}")
if [ -n "${QUICK:-}" ]; then
  args+=(-Dbench.quick=true -Dbench.keys=100000 -Dbench.openKeys=100000)
fi
if [ -n "${ONLY:-}" ]; then
  args+=(-Dbench.only="$ONLY")
fi
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED "${args[@]}" -jar couloy-bench/target/couloy-bench.jar
