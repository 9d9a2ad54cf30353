#!/usr/bin/env bash
# Cluster DNS benchmark, side by side with the peers in ONE run (issue 5 "Performance"):
#   the peers' own dns_bench.sh for each of PEER_SERVERS (default "nsd knot"), then Ferry with the same query file,
#   the same dnsperf command lines, pinning and rep logic (dns-bench-ferry.sh: sources the peers' lib.sh and repeats
#   dns_bench.sh's measurement part) against a real `ferry up` with 10,000 Services, then Ferry's DNS programming
#   latency, then the table (dev.ferry.bench.dns.DnsBenchReport). About 6 minutes with two peers.
#
# Environment: SKIP_BUILD=1 (use the built jars), PEER_SERVERS, FERRY_EXTRA_JVM_OPTS (extra flags for Ferry's JVM),
# FERRY_JFR=1 (record a JFR profile of Ferry into the output directory), OUT_DIR (default ferry-bench/target/dns-bench),
# FERRY_WARMUP (seconds of dnsperf as Ferry's JIT warm-up, default 20), PROG_CHANGES (default 200), and the peer
# scripts' own knobs (REPS, DNS_SECONDS, LAT_SECONDS, PIN, ...).
# Results: OUT_DIR/results/dns.tsv and raw/ (the peers' format; Ferry's rows have server "ferry"),
# OUT_DIR/results/ferry-STAMP.properties (programming latency, load, RSS), OUT_DIR/report-STAMP.md (the tables) and
# OUT_DIR/run-STAMP.log (everything printed, with the load average before each part).
# Needs root for the peers' priority boost and packages (nsd, knot, dnsperf, dig: setup.sh installs them if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bin/java-home.sh"
. "$here/ferry-bench/peers-dir.sh" dns_bench.sh
OUT_DIR=${OUT_DIR:-$here/ferry-bench/target/dns-bench}
mkdir -p "$OUT_DIR/results"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
export RESULTS_DIR="$OUT_DIR/results"
PEER_SERVERS=${PEER_SERVERS-"nsd knot"}
export BENCH_JAR="$here/ferry-bench/target/ferry-bench.jar" FERRY_JAR="$here/ferry-cli/target/ferry.jar"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$here" && ./mvnw -q -B -DskipTests package -pl ferry-cli,ferry-bench -am)
fi
# the launcher records its start-up cache (ferry.aot) when the jar is newer than it; Ferry below uses it too. A stale
# cache must never be used: the JVM then ran the old jar's classes (seen: the old command line parser)
"$here/ferry" version >/dev/null
missing=0
for c in nsd knotd dnsperf dig taskset; do command -v "$c" >/dev/null 2>&1 || missing=1; done
if [ "$missing" = 1 ]; then
  echo "installing the peer benchmarks' Debian packages ($PEERS_DIR/setup.sh)" >&2
  bash "$PEERS_DIR/setup.sh"
fi

# Ferry's JVM: the ./ferry launcher's options (bin/jvm-options, and its start-up cache when recorded), nothing else,
# so the server is what `./ferry up` runs.
opts=$(grep -v '^[[:space:]]*$' "$here/bin/jvm-options" | tr '\n' ' ')
[ -f "$here/ferry-cli/target/ferry.aot" ] && opts="$opts -XX:AOTCache=$here/ferry-cli/target/ferry.aot"
opts="$opts ${FERRY_EXTRA_JVM_OPTS:-}"
if [ "${FERRY_JFR:-0}" = 1 ]; then
  opts="$opts -XX:StartFlightRecording=filename=$OUT_DIR/ferry-%p.jfr,settings=profile"
fi
export FERRY_JVM_OPTS="$opts"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
export FERRY_RESULTS="$RESULTS_DIR/ferry-$STAMP.properties"
LOG="$OUT_DIR/run-$STAMP.log"
ulimit -n 65536 2>/dev/null || true
load() { echo "[$(date -u +%H:%M:%S)] load: $(cut -d' ' -f1-3 /proc/loadavg) ($1)"; }
{
  echo "run $STAMP on $(hostname), $(nproc) CPUs, $(uname -r); Ferry JVM: $JAVA_HOME $opts"
  for s in $PEER_SERVERS; do
    load "before $s"
    "$PEERS_DIR/dns_bench.sh" "$s" || echo "dns_bench.sh $s failed: $?"
  done
  load "before ferry"
  "$here/ferry-bench/dns-bench-ferry.sh" || echo "dns-bench-ferry.sh failed: $?"
  load "end"
  echo
  "$JAVA_HOME/bin/java" -cp "$BENCH_JAR" dev.ferry.bench.dns.DnsBenchReport "$RESULTS_DIR" "$STAMP" \
    "$FERRY_RESULTS" | tee "$OUT_DIR/report-$STAMP.md"
} 2>&1 | tee "$LOG"
