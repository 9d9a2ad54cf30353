package dev.ferry.dns.server;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The DNS server's and forwarder's Prometheus metrics, named after CoreDNS's with a {@code ferry_dns_} prefix:
 * <ul>
 * <li>{@code ferry_dns_requests_total{proto,type}}: queries read (type: the qtype's mnemonic, "other" above 255);
 * <li>{@code ferry_dns_responses_total{rcode}}: responses sent (rcode: NOERROR, NXDOMAIN, …, BADVERS);
 * <li>{@code ferry_dns_request_duration_seconds{proto}}: from reading a query to its response leaving;
 * <li>{@code ferry_dns_cache_hits_total}, {@code ferry_dns_cache_misses_total}: the answer cache;
 * <li>{@code ferry_dns_forward_requests_total}, {@code ferry_dns_forward_failures_total}: queries sent upstream and
 * those that got SERVFAIL because every upstream failed or the pending limit was reached;
 * <li>{@code ferry_dns_forward_cache_hits_total}: forwarded names answered from the forwarder's cache;
 * <li>{@code ferry_dns_dropped_total{reason}}: queries dropped (reason: short, response, overload);
 * <li>{@code ferry_dns_tcp_rejected_total}: TCP connections closed at once because of the connection limit;
 * <li>{@code ferry_dns_errors_total}: unexpected exceptions while serving (a bug when above 0).
 * </ul>
 * Thread-safe; the hot paths reuse label data points.
 */
public final class DnsMetrics {
    private static final double[] BUCKETS = {0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064,
        0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192};

    private final CounterDataPoint[][] requests = new CounterDataPoint[2][257];
    private final CounterDataPoint[] responses = new CounterDataPoint[4096];
    private final DistributionDataPoint[] duration = new DistributionDataPoint[2];
    private final Counter requestCounter;
    private final Counter responseCounter;
    private final Counter dropped;
    final CounterDataPoint cacheHits;
    final CounterDataPoint cacheMisses;
    final CounterDataPoint forwardRequests;
    final CounterDataPoint forwardFailures;
    final CounterDataPoint forwardCacheHits;
    final CounterDataPoint tcpRejected;
    private final Counter errors;

    public DnsMetrics(PrometheusRegistry registry) {
        requestCounter = Counter.builder().name("ferry_dns_requests").help("DNS queries read")
                .labelNames("proto", "type").register(registry);
        responseCounter = Counter.builder().name("ferry_dns_responses").help("DNS responses sent")
                .labelNames("rcode").register(registry);
        Histogram h = Histogram.builder().name("ferry_dns_request_duration_seconds")
                .help("Time from reading a DNS query to sending its response").labelNames("proto")
                .classicUpperBounds(BUCKETS).classicOnly().register(registry);
        for (Transport t : Transport.values()) {
            duration[t.ordinal()] = h.labelValues(t.label);
        }
        cacheHits = Counter.builder().name("ferry_dns_cache_hits").help("Answer cache hits").register(registry);
        cacheMisses = Counter.builder().name("ferry_dns_cache_misses").help("Answer cache misses")
                .register(registry);
        forwardRequests = Counter.builder().name("ferry_dns_forward_requests")
                .help("Queries forwarded to upstream resolvers").register(registry);
        forwardFailures = Counter.builder().name("ferry_dns_forward_failures")
                .help("Forwarded queries answered SERVFAIL: every upstream failed or too many were pending")
                .register(registry);
        forwardCacheHits = Counter.builder().name("ferry_dns_forward_cache_hits")
                .help("Forwarded queries answered from the forwarder's cache").register(registry);
        dropped = Counter.builder().name("ferry_dns_dropped").help("DNS queries dropped without a response")
                .labelNames("reason").register(registry);
        tcpRejected = Counter.builder().name("ferry_dns_tcp_rejected")
                .help("TCP connections closed at once because too many were open").register(registry);
        errors = Counter.builder().name("ferry_dns_errors")
                .help("Unexpected exceptions while serving DNS").register(registry);
    }

    void request(Transport transport, int qtype) {
        int i = qtype >= 0 && qtype < 256 ? qtype : 256;
        CounterDataPoint[] row = requests[transport.ordinal()];
        CounterDataPoint p = row[i];
        if (p == null) {
            p = requestCounter.labelValues(transport.label, i == 256 ? "other" : Type.string(i));
            row[i] = p;
        }
        p.inc();
    }

    void response(int rcode) {
        int i = rcode & 0xFFF;
        CounterDataPoint p = responses[i];
        if (p == null) {
            p = responseCounter.labelValues(Rcode.string(i));
            responses[i] = p;
        }
        p.inc();
    }

    void duration(Transport transport, long nanos) {
        duration[transport.ordinal()].observe(nanos / 1e9);
    }

    void dropped(String reason) {
        dropped.labelValues(reason).inc();
    }

    void error() {
        errors.inc();
    }

    /** Unexpected exceptions counted so far: a test's check that nothing escaped. */
    public long errors() {
        return (long) errors.get();
    }
}
