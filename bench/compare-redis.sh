#!/usr/bin/env bash
# Side-by-side load test: a real Redis (appendonly yes, appendfsync everysec) and CouloyDB
# (appendfsync everysec), both started here on free ports, driven alternately by redis-benchmark:
# SET, GET, INCR, MSET (and the data-type commands LPUSH, LPOP, SADD, HSET, ZADD, LRANGE_100)
# with -c 50, -P 1 and -P 16, 16-byte and 1 KB values; then the resident memory (RSS) of each
# after loading 1 M keys with 1 KB values. Prints Markdown tables.
#   bench/compare-redis.sh                       N=1000000 requests per run, every command
#   N=200000 bench/compare-redis.sh              a quicker run
#   TESTS="set get" SIZES=16 bench/compare-redis.sh   a subset
# Needs redis-server, redis-benchmark and redis-cli (Debian: apt-get install redis-server redis-tools).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/bin/jdk25.sh"
N="${N:-1000000}"
LOAD_KEYS="${LOAD_KEYS:-1000000}"
(cd "$root" && mvn -B -q -ntp -DskipTests -pl couloy-server -am package)
work="$(mktemp -d "${BENCH_DIR:-/tmp}/couloy-vs-redis.XXXX")"
trap 'kill $redis_pid $couloy_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rp=$(free_port); cp=$(free_port)
mkdir -p "$work/redis" "$work/couloy"
redis-server --port "$rp" --bind 127.0.0.1 --dir "$work/redis" --appendonly yes --appendfsync everysec --save '' \
  >"$work/redis.log" 2>&1 &
redis_pid=$!
java --enable-native-access=ALL-UNNAMED -Xms256m -Xmx2g ${JAVA_OPTS:-} -jar "$root/couloy-server/target/couloy-server.jar" \
  --port "$cp" --dir "$work/couloy" --appendfsync everysec >"$work/couloy.log" 2>&1 &
couloy_pid=$!
for p in "$rp" "$cp"; do
  for _ in $(seq 200); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done

# one run: prints "rps p50 p99"
run() {
  local port=$1 test=$2 pipeline=$3 size=$4
  local args=(-p "$port" -c 50 -n "$N" -P "$pipeline" -d "$size" -r 1000000 --csv -t "$test")
  redis-benchmark "${args[@]}" 2>/dev/null | tail -1 | tr -d '"' | awk -F, '{print $2, $5, $7}'
}

echo "| command | pipeline | value | Redis ops/s | CouloyDB ops/s | ratio | Redis p50 / p99 ms | CouloyDB p50 / p99 ms | p99 ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in ${SIZES:-16 1024}; do
  for pipeline in 1 16; do
    for test in ${TESTS:-set get incr mset lpush lpop sadd hset zadd lrange_100}; do
      read -r r_rps r_p50 r_p99 < <(run "$rp" "$test" "$pipeline" "$size")
      read -r c_rps c_p50 c_p99 < <(run "$cp" "$test" "$pipeline" "$size")
      awk -v t="$test" -v p="$pipeline" -v s="$size" -v rr="$r_rps" -v cr="$c_rps" -v r5="$r_p50" -v r9="$r_p99" \
          -v c5="$c_p50" -v c9="$c_p99" 'BEGIN { printf "| %s | %d | %d B | %.0f | %.0f | %.2fx | %s / %s | %s / %s | %.2fx |\n",
          toupper(t), p, s, rr, cr, cr / rr, r5, r9, c5, c9, (r9 > 0 ? c9 / r9 : 0) }'
    done
  done
done

# Memory: the same LOAD_KEYS keys of 1 KB into each, then VmRSS (CouloyDB's after a full GC).
for p in "$rp" "$cp"; do redis-cli -p "$p" flushall >/dev/null; done
gen() { python3 - "$LOAD_KEYS" <<'PY'
import sys
n = int(sys.argv[1]); v = "x" * 1024
out = sys.stdout
for i in range(n):
    k = "key:%010d" % i
    out.write("*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1024\r\n%s\r\n" % (len(k), k, v))
PY
}
gen | redis-cli -p "$rp" --pipe >/dev/null
gen | redis-cli -p "$cp" --pipe >/dev/null
sleep 2
# A full GC lets the JVM hand unused heap back to the OS, so RSS shows what the data needs.
jcmd "$couloy_pid" GC.run >/dev/null 2>&1 || true
sleep 2
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
r_rss=$(rss "$redis_pid"); c_rss=$(rss "$couloy_pid")
echo
echo "| RSS after $LOAD_KEYS keys of 1 KB | Redis | CouloyDB | ratio |"
echo "|---|---:|---:|---:|"
awk -v r="$r_rss" -v c="$c_rss" 'BEGIN { printf "| resident memory | %.0f MB | %.0f MB | %.2fx |\n", r / 1024, c / 1024, c / r }'
