#!/bin/sh
# Builds ferry.jar and ferry-bench.jar, then runs the API load harness against sqlite and etcd (about 6-8 minutes
# on 2 cores). Extra arguments go to dev.ferry.bench.ApiLoad, e.g. --store sqlite, --quick, --creates 5000.
# Results: printed, and written to ferry-bench/target/api-bench.md. Needs /usr/bin/etcd for the etcd store.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bin/java-home.sh"
cd "$here"
./mvnw -q -B -DskipTests package -pl ferry-cli,ferry-bench -am
./ferry version >/dev/null   # records the launcher's start-up cache, which the server runs below use too
exec "$JAVA_HOME/bin/java" -Xmx2g -cp ferry-bench/target/ferry-bench.jar dev.ferry.bench.ApiLoad \
  --ferry-jar ferry-cli/target/ferry.jar --work-dir ferry-bench/target/bench-work \
  --out ferry-bench/target/api-bench.md "$@"
