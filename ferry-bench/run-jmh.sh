#!/bin/sh
# Builds ferry-bench.jar and runs the JMH micro-benchmarks (about 1.5 minutes). Extra arguments go to JMH, e.g. a
# benchmark regex (ServiceJsonBench) or -prof gc. Results also go to ferry-bench/target/jmh.txt.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bin/java-home.sh"
cd "$here"
./mvnw -q -B -DskipTests package -pl ferry-bench -am
"$JAVA_HOME/bin/java" -jar ferry-bench/target/ferry-bench.jar -rf text -rff ferry-bench/target/jmh.txt "$@"
