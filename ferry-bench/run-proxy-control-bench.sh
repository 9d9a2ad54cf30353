#!/bin/bash
# Builds ferry.jar and ferry-bench.jar, then runs the service proxy control-plane benchmark
# (dev.ferry.bench.ProxyControlPlaneBench): 10,000 Services x 10 endpoints in a `ferry server --store memory`, the
# proxy with its real data plane in the benchmark JVM (one listener per ClusterIP), change latency and memory.
# About 7 minutes on 2 cores; --quick about 2. Extra arguments go to ProxyControlPlaneBench (e.g. --changes 500,
# --jfr /tmp/proxy.jfr). Set FERRY_BENCH_NO_BUILD=1 to skip the build, FERRY_BENCH_JVM_OPTS for extra options of
# the benchmark JVM (e.g. -Xlog:gc:file=/tmp/gc.log). Results: printed, and written to
# ferry-bench/target/proxy-control-bench.md.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bin/java-home.sh"
cd "$here"
if [ -z "${FERRY_BENCH_NO_BUILD:-}" ]; then
  ./mvnw -q -B -DskipTests package -pl ferry-cli,ferry-bench -am
  ./ferry version >/dev/null   # records the launcher's start-up cache, which the ferry server below uses too
fi
# One listening socket per ClusterIP: 10,000 Services need more than the usual 1,024 open files.
if ! ulimit -n 1048576 2>/dev/null; then
  ulimit -n "$(ulimit -Hn)"
fi
echo "open files limit (ulimit -n): $(ulimit -n)"
# The benchmark JVM hosts the proxy, so it gets the ./ferry launcher's JVM options, as in ferry up / ferry agent.
mapfile -t jvm < <(grep -v '^[[:space:]]*$' bin/jvm-options)
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" "${jvm[@]}" ${FERRY_BENCH_JVM_OPTS:-} -cp ferry-bench/target/ferry-bench.jar \
  dev.ferry.bench.ProxyControlPlaneBench \
  --ferry-jar ferry-cli/target/ferry.jar --work-dir ferry-bench/target/proxy-control-bench-work \
  --out ferry-bench/target/proxy-control-bench.md "$@"
