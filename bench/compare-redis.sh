#!/usr/bin/env bash
# Side-by-side load test: a real Redis (appendonly yes, appendfsync everysec) and CouloyDB
# (appendfsync everysec), both started here on free ports, driven alternately by redis-benchmark:
# SET, GET, INCR, MSET (and the data-type commands LPUSH, LPOP, SADD, HSET, ZADD, LRANGE_100,
# ZRANGE_100 — ZRANGE 0 99 of a 1000-member sorted set with members of the row's size — and
# PUBLISH to a channel 50 subscribers listen on) with -c 50, -P 1 and -P 16, 16-byte and 1 KB
# values; then the resident memory (RSS) of each after loading 1 M keys with 1 KB values, a hash
# of 1 M fields with 1 KB values, and a sorted set of 1 M members. Prints Markdown tables.
#   bench/compare-redis.sh                       N=1000000 requests per run, every command
#   N=200000 bench/compare-redis.sh              a quicker run
#   TESTS="set get" SIZES=16 bench/compare-redis.sh   a subset
#   TESTS=publish MEMORY="hash zset" bench/compare-redis.sh   PUBLISH fan-out and two memory rows
#   TESTS="evalsha fcall" MEMORY=none ...        a 3-command script by EVALSHA and as a function by FCALL
#   TESTS=none MEMORY=keys ...                   memory only (MEMORY: keys hash zset, or none)
#   SYNC=0 ...                                   rows without a sync before each (see settle below)
#   ROUNDS=3 ...                                 each row three times, the median run reported
#   COULOY_OPTS="--merge-interval 0" ...         extra CouloyDB server flags (here: no automatic merge)
#   KEEP_LOG=/tmp/couloy.log ...                 copy CouloyDB's log there before the work dir goes
#   ROW_LOG=/tmp/rows.log ...                    when each server's run of each row started and ended,
#                                                to set rows against the merges in CouloyDB's log
# Needs redis-server, redis-benchmark and redis-cli (Debian: apt-get install redis-server redis-tools).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/bin/jdk25.sh"
N="${N:-1000000}"
LOAD_KEYS="${LOAD_KEYS:-1000000}"
(cd "$root" && mvn -B -q -ntp -DskipTests -pl couloy-server -am package)
work="$(mktemp -d "${BENCH_DIR:-/tmp}/couloy-vs-redis.XXXX")"
trap 'kill $redis_pid $couloy_pid 2>/dev/null || true; wait 2>/dev/null || true; [ -z "${KEEP_LOG:-}" ] || cp "$work/couloy.log" "$KEEP_LOG"; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rp=$(free_port); cp=$(free_port)
mkdir -p "$work/redis" "$work/couloy"
redis-server --port "$rp" --bind 127.0.0.1 --dir "$work/redis" --appendonly yes --appendfsync everysec --save '' \
  >"$work/redis.log" 2>&1 &
redis_pid=$!
wait_ping() { for _ in $(seq 200); do redis-cli -p "$1" ping >/dev/null 2>&1 && break; sleep 0.1; done; }
start_couloy() {
  java "${COULOY_SERVER_JVM[@]}" -Xms256m -Xmx2g ${JAVA_OPTS:-} -jar "$root/couloy-server/target/couloy-server.jar" \
    --port "$cp" --dir "$work/couloy" --appendfsync everysec ${COULOY_OPTS:-} >>"$work/couloy.log" 2>&1 &
  couloy_pid=$!
  wait_ping "$cp"
}
start_couloy
wait_ping "$rp"

# PUBLISH fan-out: 50 subscribers on one connection each, in one process that reads and discards,
# so the subscribers cost little CPU next to the servers.
subscribers() { exec python3 - "$1" <<'PY'
import selectors, socket, sys
sel = selectors.DefaultSelector()
for _ in range(50):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"*2\r\n$9\r\nSUBSCRIBE\r\n$13\r\nbench-channel\r\n")
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        if not key.fileobj.recv(1 << 16):
            sel.unregister(key.fileobj)  # cut off by the server; the run reports how many stayed
PY
}

echo "Redis on port $rp, CouloyDB on port $cp" >&2

# ZRANGE_100's data: bench:zset with 1000 members of $2 bytes ("m<i>" padded with x), scores 0-999.
zset_load() {
  redis-cli -p "$1" del bench:zset >/dev/null
  python3 "$root/bench/zset-members.py" "$2" | redis-cli -p "$1" --pipe >/dev/null
}

# one run: prints "rps p50 p99"
run() {
  local port=$1 test=$2 pipeline=$3 size=$4
  local args=(-p "$port" -c 50 -n "$N" -P "$pipeline" -d "$size" -r 1000000 --csv)
  if [ "$test" = evalsha ] || [ "$test" = fcall ]; then
    local body="redis.call('INCR', KEYS[1]) redis.call('SET', KEYS[2], ARGV[1]) return redis.call('GET', KEYS[2])"
    local payload; payload=$(head -c "$size" /dev/zero | tr '\0' x)
    if [ "$test" = evalsha ]; then
      local sha; sha=$(redis-cli -p "$port" script load "$body")
      redis-benchmark "${args[@]}" evalsha "$sha" 2 bench:counter bench:value "$payload" 2>/dev/null | tail -1 | tr -d '"' | awk -F, '{print $2, $5, $7}'
    else
      redis-cli -p "$port" function load replace "$(printf '#!lua name=benchlib\nredis.register_function(%s, function(KEYS, ARGV) %s end)' "'bench3'" "$body")" >/dev/null
      redis-benchmark "${args[@]}" fcall bench3 2 bench:counter bench:value "$payload" 2>/dev/null | tail -1 | tr -d '"' | awk -F, '{print $2, $5, $7}'
    fi
  elif [ "$test" = zrange_100 ]; then
    zset_load "$port" "$size"
    redis-benchmark "${args[@]}" zrange bench:zset 0 99 2>/dev/null | tail -1 | tr -d '"' | awk -F, '{print $2, $5, $7}'
  elif [ "$test" = publish ]; then
    local payload; payload=$(head -c "$size" /dev/zero | tr '\0' x)
    subscribers "$port" >/dev/null & local sub_pid=$!
    for _ in $(seq 50); do
      [ "$(redis-cli -p "$port" pubsub numsub bench-channel | tail -1)" = 50 ] && break; sleep 0.1
    done
    redis-benchmark "${args[@]}" publish bench-channel "$payload" 2>/dev/null | tail -1 | tr -d '"' | awk -F, '{print $2, $5, $7}'
    local left; left=$(redis-cli -p "$port" pubsub numsub bench-channel | tail -1)
    [ "$left" = 50 ] || echo "WARNING: port $port dropped subscribers during PUBLISH -P $pipeline -d $size: $left of 50 left" >&2
    kill "$sub_pid" 2>/dev/null; wait "$sub_pid" 2>/dev/null || true
  else
    redis-benchmark "${args[@]}" -t "$test" 2>/dev/null | tail -1 | tr -d '"' | awk -F, '{print $2, $5, $7}'
  fi
}

# Warm-up, the same for both: the JVM compiles its hot paths under load — about 1.5 M requests
# of a command before its rate settles (seen with -XX:+PrintCompilation) — which would otherwise
# be charged to the rows measured first. Each command gets WARMUP requests pipelined and a fifth
# of that unpipelined; scripts and ZRANGE_100 too. WARMUP=0 skips it.
WARMUP="${WARMUP:-1000000}"
if [ "$WARMUP" -gt 0 ]; then
  plain="$(echo "${TESTS:-set get incr mset lpush lpop sadd hset zadd lrange_100}" | tr ' ' ',' | sed 's/,*publish//;s/,*evalsha//;s/,*fcall//;s/,*zrange_100//;s/none//;s/^,//')"
  for p in "$rp" "$cp"; do
    if [ -n "$plain" ]; then
      redis-benchmark -p "$p" -c 50 -n "$WARMUP" -P 16 -r 1000000 -q -t "$plain" >/dev/null 2>&1 || true
      redis-benchmark -p "$p" -c 50 -n "$((WARMUP / 5))" -P 1 -r 1000000 -q -t "$plain" >/dev/null 2>&1 || true
    fi
    for script in evalsha fcall zrange_100; do
      case " ${TESTS:-evalsha fcall zrange_100} " in
        *" $script "*) N="$WARMUP" run "$p" "$script" 16 16 >/dev/null; N="$((WARMUP / 5))" run "$p" "$script" 1 16 >/dev/null ;;
      esac
    done
    redis-cli -p "$p" flushall >/dev/null
  done
fi

settle() { [ "${SYNC:-1}" = 0 ] || sync; }
# mark <what>: a time-stamped line in ROW_LOG, if set (same clock format as the server's log).
mark() { [ -z "${ROW_LOG:-}" ] || echo "$(date +%H:%M:%S.%3N) $*" >>"$ROW_LOG"; }

# ROUNDS=3 runs each row three times, the servers alternating, and reports each server's median
# run (by rate, with that run's latencies): a row's ratio then no longer hangs on one run that a
# neighbour on this shared machine slowed (single runs of a row moved ±10% from run to run).
ROUNDS="${ROUNDS:-1}"
median() { printf '%s' "$1" | sed '/^$/d' | sort -g | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }'; }

echo "| command | pipeline | value | Redis ops/s | CouloyDB ops/s | ratio | Redis p50 / p99 ms | CouloyDB p50 / p99 ms | p99 ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in ${SIZES:-16 1024}; do
  for pipeline in 1 16; do
    for test in ${TESTS:-set get incr mset lpush lpop sadd hset zadd lrange_100 zrange_100 publish evalsha fcall}; do
      [ "$test" = none ] && continue
      # Each row starts with no dirty pages waiting: a run writes several GB, past the kernel's
      # dirty-page threshold, and without this whichever server wrote next paid for the previous
      # rows' writeback (SYNC=0 skips it).
      r_runs=""; c_runs=""
      for _ in $(seq "$ROUNDS"); do
        settle
        mark "redis start $test -P $pipeline -d $size"
        r_runs+="$(run "$rp" "$test" "$pipeline" "$size")"$'\n'
        settle
        mark "couloy start $test -P $pipeline -d $size"
        c_runs+="$(run "$cp" "$test" "$pipeline" "$size")"$'\n'
        mark "couloy end $test -P $pipeline -d $size"
      done
      read -r r_rps r_p50 r_p99 < <(median "$r_runs")
      read -r c_rps c_p50 c_p99 < <(median "$c_runs")
      awk -v t="$test" -v p="$pipeline" -v s="$size" -v rr="$r_rps" -v cr="$c_rps" -v r5="$r_p50" -v r9="$r_p99" \
          -v c5="$c_p50" -v c9="$c_p99" 'BEGIN { printf "| %s | %d | %d B | %.0f | %.0f | %.2fx | %s / %s | %s / %s | %.2fx |\n",
          toupper(t), p, s, rr, cr, cr / rr, r5, r9, c5, c9, (r9 > 0 ? c9 / r9 : 0) }'
    done
  done
done

# Memory: the same data loaded into each through redis-cli --pipe, then VmRSS (CouloyDB's after a
# full GC, which lets the JVM hand unused heap back) and CouloyDB's live heap.
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
heap_used_kb() { jcmd "$couloy_pid" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -1 | tr -dc 0-9; }
gen() { python3 - "$1" "$LOAD_KEYS" <<'PY'
import sys
kind, n = sys.argv[1], int(sys.argv[2]); v = "x" * 1024
out = sys.stdout
def cmd(*a):
    out.write("*%d\r\n" % len(a) + "".join("$%d\r\n%s\r\n" % (len(x), x) for x in a))
for i in range(n):
    k = "key:%010d" % i
    if kind == "keys": cmd("SET", k, v)
    elif kind == "hash": cmd("HSET", "bighash", k, v)
    else: cmd("ZADD", "bigzset", str(i), k)
PY
}
echo
echo "| after loading | Redis RSS | CouloyDB RSS | RSS ratio | CouloyDB live heap | heap bytes per element | heap / Redis RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for kind in ${MEMORY:-keys hash zset}; do
  [ "$kind" = none ] && continue
  # Each kind on a CouloyDB started afresh on an empty directory: after FLUSHALL the engine hands
  # back the dropped data's memory lazily (a background task, merges), which made the next kind's
  # heap growth anything from a third to five times its real size. Redis frees at once.
  redis-cli -p "$rp" flushall >/dev/null
  kill "$couloy_pid"; wait "$couloy_pid" 2>/dev/null || true
  rm -rf "$work/couloy"; mkdir -p "$work/couloy"
  start_couloy
  jcmd "$couloy_pid" GC.run >/dev/null 2>&1 || true
  sleep 1
  base_heap=$(heap_used_kb)
  gen "$kind" | redis-cli -p "$rp" --pipe >/dev/null
  gen "$kind" | redis-cli -p "$cp" --pipe >/dev/null
  sleep 2
  jcmd "$couloy_pid" GC.run >/dev/null 2>&1 || true
  sleep 2
  r_rss=$(rss "$redis_pid"); c_rss=$(rss "$couloy_pid"); heap=$(heap_used_kb)
  label=$(case $kind in keys) echo "$LOAD_KEYS keys, 1 KB values";; hash) echo "a hash of $LOAD_KEYS fields, 1 KB values";;
          *) echo "a sorted set of $LOAD_KEYS members (14 B)";; esac)
  awk -v l="$label" -v r="$r_rss" -v c="$c_rss" -v h="$heap" -v b="$base_heap" -v n="$LOAD_KEYS" 'BEGIN {
      printf "| %s | %.0f MB | %.0f MB | %.2fx | %.0f MB | %.0f | %.2fx |\n", l, r / 1024, c / 1024, c / r,
      (h - b) / 1024, (h - b) * 1024 / n, (h - b) / r }'
done
