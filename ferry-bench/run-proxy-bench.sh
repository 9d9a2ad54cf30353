#!/usr/bin/env bash
# Service proxy data plane benchmark, side by side with the peers in ONE run (issue 4 "Performance"):
#   tcp_bench.sh direct, haproxy, nginx, ext (Ferry), haproxy, ext   then   udp_bench.sh direct, (nginx, ext) x 3
# from ../shared/bench/peers (PEERS_DIR), each pinned like the peers (PIN=split: load generator on CPU 0, proxy and
# backends on CPU 1), then prints Ferry's ratios to HAProxy, nginx and direct (dev.ferry.bench.proxy.ProxyBenchReport).
# The closest peer and Ferry alternate (the machine's speed drifts by tens of per cent within minutes), and each cell
# is the median of all the target's reps in the run. About 23 minutes. Ferry is dev.ferry.bench.proxy.StaticProxy
# (NettyDataPlane, one frontend, round robin).
#
# Environment: SKIP_BUILD=1 (use the built jar), TCP_TARGETS / UDP_TARGETS (default "direct haproxy nginx ext
# haproxy ext" and "direct nginx ext nginx ext nginx ext"), FERRY_JVM_OPTS (extra JVM flags for Ferry), FERRY_JFR=1
# (record a JFR profile of each Ferry run into the output directory), OUT_DIR (default
# ferry-bench/target/proxy-bench), and the peer scripts' own knobs
# (REPS, DURATION, WORKLOADS, PIN, ...); FERRY_WARMUP = seconds of Ferry's own warm-up (default 20).
# Results: OUT_DIR/results/{tcp,udp}.tsv and raw/ (the peers' format),
# OUT_DIR/report-STAMP.md (the table) and OUT_DIR/run-STAMP.log (everything printed, with the load before each part).
# Needs root for the packages (wrk, haproxy, nginx + stream module, nsd, dnsperf, dig: installed with the peers'
# setup.sh when missing) and for the peers' priority boost.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bin/java-home.sh"
. "$here/ferry-bench/peers-dir.sh" tcp_bench.sh
OUT_DIR=${OUT_DIR:-$here/ferry-bench/target/proxy-bench}
mkdir -p "$OUT_DIR/results"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
export RESULTS_DIR="$OUT_DIR/results"
TCP_TARGETS=${TCP_TARGETS:-"direct haproxy nginx ext haproxy ext"}
UDP_TARGETS=${UDP_TARGETS:-"direct nginx ext nginx ext nginx ext"}
jar="$here/ferry-bench/target/ferry-bench.jar"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$here" && ./mvnw -q -B -DskipTests package -pl ferry-bench -am)
fi
missing=0
for c in wrk haproxy nginx nsd dnsperf dig taskset; do command -v "$c" >/dev/null 2>&1 || missing=1; done
[ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || missing=1
if [ "$missing" = 1 ]; then
  echo "installing the peer benchmarks' Debian packages ($PEERS_DIR/setup.sh)" >&2
  bash "$PEERS_DIR/setup.sh"
fi

# Ferry's JVM: the launcher's JDK (bin/java-home.sh) and options (bin/jvm-options: SerialGC, which ergonomics would
# pick anyway for the one CPU the proxy is pinned to, ...), plus:
#  - a fixed 1 GiB heap, pre-touched: no heap growth or page faults mid-run. Not smaller: Netty's buffer pool switches
#    to a low-memory mode at a max heap <= 512 MiB (no per-thread caches, 2 MiB chunks), which measured 37k instead of
#    60k UDP pairs/s with the Netty-channel UDP path of runs 1-8 (64 KiB datagram buffers fell out of the pool; since
#    then only bytes a TCP peer does not take are pooled, and the heap stays so that runs compare);
#  - direct memory capped at 1 GiB (Netty's pooled buffers live there; it defaults to the heap size);
#  - Netty's leak detector off (it samples 1 in 128 buffers by default; a benchmark should not pay for it);
#  - --enable-native-access for Netty's JNI library (the shaded jar's manifest says so only for java -jar).
opts="$(tr '\n' ' ' < "$here/bin/jvm-options") -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=1g"
opts="$opts --enable-native-access=ALL-UNNAMED -Dio.netty.leakDetection.level=disabled ${FERRY_JVM_OPTS:-}"
if [ "${FERRY_JFR:-0}" = 1 ]; then
  opts="$opts -XX:StartFlightRecording=filename=$OUT_DIR/ferry-%p.jfr,settings=profile"
fi
ferry_cmd="exec \"$JAVA_HOME/bin/java\" $opts -cp \"$jar\" dev.ferry.bench.proxy.StaticProxy --warmup-seconds ${FERRY_WARMUP:-20}"
export EXT_NAME=ferry EXT_WAIT=${EXT_WAIT:-60}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOG="$OUT_DIR/run-$STAMP.log"
load() { echo "[$(date -u +%H:%M:%S)] load: $(cut -d' ' -f1-3 /proc/loadavg) ($1)"; }
{
  echo "run $STAMP on $(hostname), $(nproc) CPUs, $(uname -r); Ferry JVM: $JAVA_HOME $opts"
  for t in $TCP_TARGETS; do
    load "before tcp $t"
    EXT_CMD="$ferry_cmd --protocol tcp" "$PEERS_DIR/tcp_bench.sh" "$t" || echo "tcp_bench.sh $t failed: $?"
  done
  for t in $UDP_TARGETS; do
    load "before udp $t"
    EXT_CMD="$ferry_cmd --protocol udp" "$PEERS_DIR/udp_bench.sh" "$t" || echo "udp_bench.sh $t failed: $?"
  done
  load "end"
  echo
  "$JAVA_HOME/bin/java" -cp "$jar" dev.ferry.bench.proxy.ProxyBenchReport "$RESULTS_DIR" "$STAMP" ferry \
    | tee "$OUT_DIR/report-$STAMP.md"
} 2>&1 | tee "$LOG"
