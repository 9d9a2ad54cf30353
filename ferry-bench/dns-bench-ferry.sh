#!/usr/bin/env bash
# Ferry's side of run-dns-bench.sh (run that one; this needs PEERS_DIR, RESULTS_DIR, JAVA_HOME, FERRY_JAR, BENCH_JAR,
# FERRY_JVM_OPTS and FERRY_RESULTS from it). It sources the peers' lib.sh (pinning, priority, contamination checks,
# stop by PID) and repeats dns_bench.sh's measurement part line for line, with a real `ferry up` as the server:
#   PIN=split: `ferry up` on CPU 1 (taskset, the whole JVM), dnsperf and the harness JVM on CPU 0.
# Before measuring: 10,000 Services svc-0..svc-9999 in default (every 10th headless with a 10-endpoint slice; see
# dev.ferry.bench.dns.DnsBenchObjects), every name checked once, then FERRY_WARMUP (20) s of dnsperf on the query file
# as Ferry's own JIT warm-up. After the reps: the DNS programming latency (DnsBenchFerry programming).
# Rows go to RESULTS_DIR/dns.tsv under server "ferry"; everything else to FERRY_RESULTS (key=value).
MAX_SECONDS=${MAX_SECONDS:-900}   # lib.sh's watchdog: the load and the programming phase come on top of the reps
source "${PEERS_DIR:?}/lib.sh"

SERVER=ferry
: "${JAVA_HOME:?}" "${FERRY_JAR:?}" "${BENCH_JAR:?}" "${FERRY_RESULTS:?}"
DNS_PORT=${DNS_PORT:-5353}
DNS_SECONDS=${DNS_SECONDS:-20}
DNS_CLIENTS=${DNS_CLIENTS:-8}
DNS_OUTSTANDING=${DNS_OUTSTANDING:-200}
LAT_SECONDS=${LAT_SECONDS:-5}
NAMES=${NAMES:-10000}
FERRY_WARMUP=${FERRY_WARMUP:-20}
PROG_CHANGES=${PROG_CHANGES:-200}
RAW_DIR="$RESULTS_DIR/raw/$STAMP-dns-$SERVER-$PIN"
mkdir -p "$RAW_DIR"
TSV="$RESULTS_DIR/dns.tsv"
[ -s "$TSV" ] || printf 'stamp\tserver\tpin\trep\tqps\tavg_ms\tstddev_ms\tlost\tcompleted\tnoerror\tnxdomain\tserver_cpu_pct\tlat_qps\tp50_ms\tp90_ms\tp99_ms\tp999_ms\tforeign_cpu_pct\tclean\ttop_foreign\tparams\tcpu_busy_pct\n' > "$TSV"
machine_line > "$RAW_DIR/machine.txt"
log "dns_bench server=$SERVER pin=$PIN ($(machine_line))"

if ss -Hlun "sport = :$DNS_PORT" | grep -q .; then
  echo "UDP port $DNS_PORT is already in use:" >&2; ss -Hlunp "sport = :$DNS_PORT" >&2; exit 1
fi
D="$WORK/dns"; mkdir -p "$D"
python3 "$PEERS_DIR/gen_dns_data.py" "$D" "$NAMES" 200000 0.10

# ---- the server: ferry up, its own data dir and address plan (DnsBenchObjects), DNS on 127.0.0.1:$DNS_PORT
METRICS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# shellcheck disable=SC2086 # FERRY_JVM_OPTS: one option per word
start_bg "$RAW_DIR/server.log" "${SRV_PIN[@]}" "$JAVA_HOME/bin/java" $FERRY_JVM_OPTS -jar "$FERRY_JAR" up \
  --data-dir "$WORK/ferry-data" --store memory --api-host 127.0.0.1 --api-port 0 --kubelet-port 0 \
  --runtime simulated --no-proxy --proxy-healthz-port -1 --proxy-metrics-port -1 \
  --dns-address "127.0.0.1:$DNS_PORT" --upstream none --dns-metrics-port "$METRICS_PORT" \
  --service-cluster-ip-range 127.93.0.0/16 --cluster-cidr 127.80.0.0/14 --lb-pool 127.89.4.0/24 \
  --node-ip 127.89.5.1
SPID=${PIDS[-1]}
API=
for i in $(seq 1 1200); do
  API=$(sed -n 's/^Ferry is ready.* API \(http[^ ,]*\).*/\1/p' "$RAW_DIR/server.log" | head -1)
  [ -n "$API" ] && break
  kill -0 "$SPID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$API" ]; then echo "ferry up did not become ready; log:" >&2; tail -20 "$RAW_DIR/server.log" >&2; exit 1; fi
log "ferry up (pid $SPID) ready: API $API, DNS 127.0.0.1:$DNS_PORT, metrics 127.0.0.1:$METRICS_PORT"
rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$SPID/status"; }
{ echo "ferry_stamp=$STAMP"; echo "rss_ready_mib=$(rss_mib)"; } >> "$FERRY_RESULTS"

harness() {  # harness JVM on the load generator's CPU
  "${LOAD_PIN[@]}" "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$BENCH_JAR" dev.ferry.bench.dns.DnsBenchFerry "$@" \
    --api "$API" --dns "127.0.0.1:$DNS_PORT" --services "$NAMES" --out "$FERRY_RESULTS"
}
log "loading $NAMES Services (load: $(cut -d' ' -f1-3 /proc/loadavg))"
harness load 2>&1 | tee "$RAW_DIR/load.txt" >&2
echo "rss_after_load_mib=$(rss_mib)" >> "$FERRY_RESULTS"
log "loaded; ferry RSS $(rss_mib) MiB"

a=$(dig @127.0.0.1 -p "$DNS_PORT" +short +time=1 +tries=1 svc-7.default.svc.cluster.local A 2>/dev/null || true)
nx=$(dig @127.0.0.1 -p "$DNS_PORT" +time=1 +tries=1 svc-12345.default.svc.cluster.local A | grep -o 'status: [A-Z]*')
log "sanity: svc-7 -> $a; svc-12345 -> $nx"
[ -n "$a" ] || { echo "ferry does not answer svc-7" >&2; exit 1; }

# ---- Ferry's own JIT warm-up (the peers are native code and need none), not measured
log "ferry JIT warm-up: dnsperf ${FERRY_WARMUP} s on the query file"
"${LOAD_PIN[@]}" timeout $((FERRY_WARMUP + 20)) dnsperf -s 127.0.0.1 -p "$DNS_PORT" -d "$D/queries.txt" \
  -l "$FERRY_WARMUP" -T 1 -c "$DNS_CLIENTS" -q "$DNS_OUTSTANDING" -t 2 > "$RAW_DIR/dnsperf-warmup.txt" 2>&1 || true
{ echo "warmup_seconds=$FERRY_WARMUP"
  echo "warmup_qps=$(awk '/Queries per second:/ {printf "%.0f", $4}' "$RAW_DIR/dnsperf-warmup.txt")"; } >> "$FERRY_RESULTS"

# ---------------- from here on as dns_bench.sh (measurement part), SERVER=ferry
# CPU ticks of the server process tree (all threads, all children)
tree_ticks() {
  local t=0 p
  for p in "$SPID" $(descendants "$SPID"); do
    t=$((t + $(awk '{s=substr($0, index($0, ")")+2); split(s, f, " "); print f[12]+f[13]}' /proc/$p/stat 2>/dev/null || echo 0)))
  done
  echo $t
}
TCK=$(getconf CLK_TCK)

parse_dnsperf() {  # file -> qps avg_ms stddev_ms lost completed noerror nxdomain
  awk '
    /Queries per second:/ {qps=$4}
    /Average Latency \(s\):/ {avg=$4*1000}
    /Latency StdDev \(s\):/ {sd=$4*1000}
    /Queries lost:/ {lost=$3}
    /Queries completed:/ {comp=$3}
    /Response codes:/ { for (i=3;i<=NF;i++) { if ($i=="NOERROR") ne=$(i+1); if ($i=="NXDOMAIN") nxd=$(i+1) } }
    END { printf "%.0f %.3f %.3f %d %d %d %d\n", qps, avg, sd, lost, comp, ne, nxd }' "$1"
}

repin_servers
"${LOAD_PIN[@]}" timeout 10 dnsperf -s 127.0.0.1 -p "$DNS_PORT" -d "$D/queries.txt" -l 2 -T 1 \
  -c "$DNS_CLIENTS" -q "$DNS_OUTSTANDING" > /dev/null 2>&1 || true   # warm-up

# datagrams the kernel dropped at Ferry's own UDP sockets (local port DNS_PORT; last column of /proc/net/udp)
socket_drops() { awk -v p="$(printf ':%04X' "$DNS_PORT")" 'NR > 1 && substr($2, length($2) - 4) == p {d += $NF} END {print d + 0}' /proc/net/udp; }
DROPS0=$(socket_drops)
SECONDS=0   # the peers' rep budget (RETRY_UNTIL) counts from here, as their server start is ~instant
MANDATORY_LEFT=$REPS
rep=0 clean=0 extra=0
while [ "$clean" -lt "$REPS" ]; do
  if [ "$rep" -ge "$REPS" ]; then
    [ "$extra" -lt "$MAX_EXTRA" ] && may_retry $((DNS_SECONDS + LAT_SECONDS + 3)) || break
    extra=$((extra + 1))
  else
    MANDATORY_LEFT=$((MANDATORY_LEFT - 1))
  fi
  rep=$((rep + 1))
  wait_quiet
  out="$RAW_DIR/dnsperf-rep$rep.txt"
  acct_snap "$WORK/acct0"; t0=$(tree_ticks); s0=$(date +%s.%N)
  "${LOAD_PIN[@]}" timeout $((DNS_SECONDS + 20)) dnsperf -s 127.0.0.1 -p "$DNS_PORT" -d "$D/queries.txt" \
    -l "$DNS_SECONDS" -T 1 -c "$DNS_CLIENTS" -q "$DNS_OUTSTANDING" -t 2 > "$out" 2>&1 || true
  t1=$(tree_ticks); s1=$(date +%s.%N); acct_snap "$WORK/acct1"
  read -r fpct busy percpu top < <(acct_diff "$WORK/acct0" "$WORK/acct1")
  okf=$(awk -v f="$fpct" -v m="$FOREIGN_MAX" 'BEGIN{print (f<=m)?1:0}')
  scpu=$(awk -v a="$t0" -v b="$t1" -v x="$s0" -v y="$s1" -v h="$TCK" 'BEGIN{printf "%.0f", 100*(b-a)/h/(y-x)}')
  read -r qps avg sd lost comp ne nxd < <(parse_dnsperf "$out")
  echo "foreign_cpu_pct=$fpct machine_busy_pct=$busy percpu_busy_pct=$percpu top_foreign=$top server_cpu_pct=$scpu" >> "$out"
  # latency profile at half the saturation rate
  lq=$(( qps / 2 )); p50=; p90=; p99=; p999=
  if [ "$lq" -gt 0 ]; then
    "${LOAD_PIN[@]}" timeout $((LAT_SECONDS + 20)) dnsperf -s 127.0.0.1 -p "$DNS_PORT" -d "$D/queries.txt" \
      -l "$LAT_SECONDS" -T 1 -c "$DNS_CLIENTS" -q "$DNS_OUTSTANDING" -t 2 -Q "$lq" -v > "$WORK/lat.txt" 2>&1 || true
    read -r p50 p90 p99 p999 < <(awk '$1==">" {print $NF*1000}' "$WORK/lat.txt" | sort -g | awk '
      function at(p,  i) { i = int(NR * p); if (i < 1) i = 1; return v[i] }
      {v[NR]=$1} END { if (NR==0) {print "NA NA NA NA"; exit}
        printf "%.3f %.3f %.3f %.3f\n", at(0.5), at(0.9), at(0.99), at(0.999) }')
    grep -v '^>' "$WORK/lat.txt" > "$RAW_DIR/dnsperf-lat-rep$rep.txt" || true
  fi
  printf '%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$STAMP" "$SERVER" "$PIN" "$rep" "$qps" "$avg" "$sd" "$lost" "$comp" "$ne" "$nxd" "$scpu" "$lq" \
    "$p50" "$p90" "$p99" "$p999" "$fpct" "$okf" "$top" "c${DNS_CLIENTS}q${DNS_OUTSTANDING}l${DNS_SECONDS}nice${NICE}" "$percpu" >> "$TSV"
  [ "$okf" = 1 ] && clean=$((clean + 1))
  log "  $SERVER rep$rep: $qps qps  avg ${avg} ms  lost $lost  server-cpu ${scpu}%  cpu-busy $percpu  | at ${lq} qps: p50 $p50 p99 $p99 ms  foreign-cpu ${fpct}%$([ "$okf" = 1 ] || echo "  (CONTAMINATED: $top)")"
done
log "done; rows in $TSV, raw in $RAW_DIR"
# ---------------- end of dns_bench.sh's part
echo "server_socket_drops_during_reps=$(( $(socket_drops) - DROPS0 ))" >> "$FERRY_RESULTS"

log "DNS programming latency: $PROG_CHANGES slice changes (load: $(cut -d' ' -f1-3 /proc/loadavg))"
harness programming --changes "$PROG_CHANGES" --metrics "http://127.0.0.1:$METRICS_PORT/metrics" \
  2>&1 | tee "$RAW_DIR/programming.txt" >&2
echo "rss_end_mib=$(rss_mib)" >> "$FERRY_RESULTS"
curl -s "http://127.0.0.1:$METRICS_PORT/metrics" > "$RAW_DIR/metrics-end.txt" || true
log "ferry RSS at the end $(rss_mib) MiB; stopping it (pid $SPID)"
