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

# The server's JVM flags, for every script that starts one: native access and Unsafe memory
# access are Netty's. (Until 2026-12-04 this also set -XX:G1HeapRegionSize=16m, to keep the data
# file's 4 MB tail arrays from being humongous; the tail is now held in 256 KB pieces and the
# default regions serve: in a 16 B side-by-side run at 1 MB regions, 14 humongous-allocation marks
# instead of 278.) JAVA_OPTS comes after these in every script.
COULOY_SERVER_JVM=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
