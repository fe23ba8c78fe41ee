# Sourced by the project's scripts: points JAVA_HOME and PATH at a JDK 25 or newer.
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
is_25() { [ -x "$1/bin/java" ] && [ "$(java_major "$1/bin/java")" -ge 25 ] 2>/dev/null; }

if [ -z "${JAVA_HOME:-}" ] || ! is_25 "$JAVA_HOME"; then
  JAVA_HOME=""
  if command -v java >/dev/null; then
    home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    is_25 "$home" && JAVA_HOME="$home"
  fi
  if [ -z "$JAVA_HOME" ]; then
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
      if is_25 "$candidate"; then JAVA_HOME="$candidate"; break; fi
    done
  fi
fi
if [ -z "$JAVA_HOME" ]; then
  echo "CouloyDB needs a JDK 25 or newer; none found (set JAVA_HOME)." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

# The server's JVM flags, for every script that starts one. Native access and Unsafe memory
# access are Netty's. 16 MB heap regions: the data file's in-memory tail grows in 4 MB arrays,
# which with the default regions (1 MB at -Xmx2g) are humongous objects, and under a steady write
# load each one's allocation started a concurrent mark — 278 of 473 young pauses and 286 remark
# pauses in a 260 s side-by-side run; with 16 MB regions 13 and 75, and the pipelined p99s of
# SET, INCR and HSET fell from 4.6-7.6 ms to 1.8-2.1 ms (README). JAVA_OPTS comes after, so a
# user's own -XX:G1HeapRegionSize wins.
COULOY_SERVER_JVM=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:G1HeapRegionSize=16m)
