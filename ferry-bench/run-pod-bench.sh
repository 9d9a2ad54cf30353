#!/bin/sh
# Builds ferry.jar and ferry-bench.jar, then runs the pod benchmarks (dev.ferry.bench.PodLoad): endpoint
# programming latency (1,000 Services x 10 simulated pods), pod start -> Ready (process runtime), agent memory per
# idle pod. About 10 minutes on 2 cores; --quick about 3. Extra arguments go to PodLoad (e.g. --phases podstart).
# Results: printed, and written to ferry-bench/target/pod-bench.md.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bin/java-home.sh"
cd "$here"
./mvnw -q -B -DskipTests package -pl ferry-cli,ferry-bench -am
./ferry version >/dev/null   # records the launcher's start-up cache, which the Ferry processes below use too
exec "$JAVA_HOME/bin/java" -Xmx2g -cp ferry-bench/target/ferry-bench.jar dev.ferry.bench.PodLoad \
  --ferry-jar ferry-cli/target/ferry.jar --work-dir ferry-bench/target/pod-bench-work \
  --out ferry-bench/target/pod-bench.md "$@"
