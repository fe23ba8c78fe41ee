#!/usr/bin/env bash
# Before/after: two CouloyDB server jars and a Redis (appendonly no) side by side, each warmed up,
# then driven in turn by redis-benchmark with one command; prints each server's rate and its CPU
# (user + system) per request, which on a 2-core machine shared with the client says more than
# the rate alone. Build "before" from a worktree of the older commit, e.g.:
#   git worktree add /tmp/before HEAD~1 && (cd /tmp/before && mvn -q -DskipTests package)
#   A=/tmp/before/couloy-server/target/couloy-server.jar B=couloy-server/target/couloy-server.jar \
#     SIZE=1024 bench/ab-jars.sh zrange bench:zset 0 99
# The command's arguments follow; env: A, B (jars), SIZE (member bytes of the bench:zset that is
# loaded first: 1000 members, scores 0-999), N (requests per run), ROUNDS, PIPELINES ("1 16"),
# JAVA_OPTS (both JVMs), A_OPTS / B_OPTS (one of them: the same jar with two settings),
# SERVER_OPTS (server arguments for both, e.g. "--merge-interval 5 --data-file-size 64mb" to have
# merges run under the load), REDIS_OPTS (default none: no AOF; "--appendonly yes --appendfsync
# everysec" as compare-redis.sh). Each line gives rate, server CPU per request, and the client's
# p99 and max latency; with SERVER_OPTS, compare the servers' logs ("writes paused") too.
# PRELOAD: redis-benchmark arguments run once, pipelined, on each server before the warm-up — data
# for a command that consumes it, e.g. LPOP of 1 KB elements:
#   PRELOAD="-n 4000000 -d 1024 -t lpush" N=300000 ROUNDS=2 A=… B=… bench/ab-jars.sh -d 1024 -t lpop
# (redis-benchmark 7.0 does not expand __data__ in a command given on its command line: for sized
# values use its -t tests, or pass a literal value.)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/bin/jdk25.sh"
[ $# -gt 0 ] || { sed -n '2,17p' "$0"; exit 2; }
A="${A:?the before jar}"; B="${B:?the after jar}"
SIZE="${SIZE:-16}"; N="${N:-500000}"; ROUNDS="${ROUNDS:-2}"; PIPELINES="${PIPELINES:-1 16}"
work="$(mktemp -d "${BENCH_DIR:-/tmp}/couloy-ab.XXXX")"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
names=(A B Redis); ports=()
jar_opts=("${A_OPTS:-}" "${B_OPTS:-}"); k=0
for jar in "$A" "$B"; do
  port=$(free_port); mkdir -p "$work/$port"
  java "${COULOY_SERVER_JVM[@]}" -Xms256m -Xmx2g ${JAVA_OPTS:-} ${jar_opts[$k]} -jar "$jar" \
    --port "$port" --dir "$work/$port" --appendfsync everysec ${SERVER_OPTS:-} >"$work/$port.log" 2>&1 &
  pids+=($!); ports+=("$port"); k=$((k + 1))
done
port=$(free_port); mkdir -p "$work/$port"
redis-server --port "$port" --bind 127.0.0.1 --dir "$work/$port" --save '' ${REDIS_OPTS:-} >"$work/redis.log" 2>&1 &
pids+=($!); ports+=("$port")
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for i in 0 1 2; do
  for _ in $(seq 200); do redis-cli -p "${ports[$i]}" ping >/dev/null 2>&1 && break; sleep 0.1; done
  python3 "$root/bench/zset-members.py" "$SIZE" | redis-cli -p "${ports[$i]}" --pipe >/dev/null
  # shellcheck disable=SC2086
  [ -z "${PRELOAD:-}" ] || redis-benchmark -p "${ports[$i]}" -c 50 -P 16 -q $PRELOAD >/dev/null 2>&1
  # The JVM's compiler settles after about 1.5 M requests of a command (see compare-redis.sh).
  redis-benchmark -p "${ports[$i]}" -c 50 -n 1500000 -P 16 -q "$@" >/dev/null 2>&1
  redis-benchmark -p "${ports[$i]}" -c 50 -n 300000 -P 1 -q "$@" >/dev/null 2>&1
done
hz=$(getconf CLK_TCK)
for round in $(seq "$ROUNDS"); do
  for p in $PIPELINES; do
    for i in 0 1 2; do
      before=$(cpu_ticks "${pids[$i]}")
      # CSV: test, rps, avg, min, p50, p95, p99, max (ms)
      csv=$(redis-benchmark -p "${ports[$i]}" -c 50 -n "$N" -P "$p" --csv "$@" 2>/dev/null | tail -1 | tr -d '"')
      after=$(cpu_ticks "${pids[$i]}")
      awk -v r="$round" -v p="$p" -v who="${names[$i]}" -v csv="$csv" -v t=$((after - before)) -v hz="$hz" -v n="$N" \
        'BEGIN { split(csv, c, ","); printf "round %d  -P %-2d  %-5s %9.0f ops/s  %6.2f us CPU/op  p99 %7.3f ms  max %8.3f ms\n",
                 r, p, who, c[2], t * 1e6 / hz / n, c[7], c[8] }'
    done
  done
done
for k in 0 1; do
  echo "${names[$k]}: $(grep -c 'merged ' "$work/${ports[$k]}.log" || true) merges"
  grep -o 'merged .*' "$work/${ports[$k]}.log" | sed 's/^/  /' || true
done
