package dev.ferry.proxy.observe;

import dev.ferry.proxy.dataplane.BackendTraffic;
import dev.ferry.proxy.sync.SyncMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The proxy's Prometheus metrics: kube-proxy's sync metrics under their upstream names
 * ({@code kubeproxy_sync_proxy_rules_duration_seconds}, {@code kubeproxy_network_programming_duration_seconds},
 * {@code kubeproxy_sync_proxy_rules_last_timestamp_seconds}) and Ferry's per-Service, per-endpoint traffic.
 */
public final class ProxyMetrics implements SyncMetrics {
    private static final double[] SYNC_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1, 2.5, 5};
    private static final double[] PROGRAMMING_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
        2, 3, 4, 5, 10, 15, 30, 60};
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram syncDuration;
    private final Histogram programming;
    private final Gauge lastSync;
    private final Counter syncFailures;
    private final Histogram changeLatency;

    public ProxyMetrics(Supplier<List<BackendTraffic>> traffic, IntSupplier frontends) {
        syncDuration = Histogram.builder().name("kubeproxy_sync_proxy_rules_duration_seconds")
                .help("SyncProxyRules latency in seconds").classicUpperBounds(SYNC_BUCKETS).classicOnly()
                .register(registry);
        programming = Histogram.builder().name("kubeproxy_network_programming_duration_seconds")
                .help("In Cluster Network Programming Latency in seconds: from the EndpointSlice change trigger "
                        + "time to the change being served")
                .classicUpperBounds(PROGRAMMING_BUCKETS).classicOnly().register(registry);
        lastSync = Gauge.builder().name("kubeproxy_sync_proxy_rules_last_timestamp_seconds")
                .help("The last time proxy rules were successfully synced").register(registry);
        syncFailures = Counter.builder().name("ferry_proxy_sync_failures")
                .help("Syncs that failed and caused a full resync").register(registry);
        changeLatency = Histogram.builder().name("ferry_proxy_change_programming_duration_seconds")
                .help("From the proxy seeing a Service or EndpointSlice change to the data plane serving it")
                .classicUpperBounds(SYNC_BUCKETS).classicOnly().register(registry);
        registry.register(new TrafficCollector(traffic, frontends));
    }

    @Override
    public void syncDuration(Duration d) {
        syncDuration.observe(d.toNanos() / 1e9);
        lastSync.set(System.currentTimeMillis() / 1000.0);
    }

    @Override
    public void programmingLatency(Duration d) {
        programming.observe(Math.max(0, d.toNanos()) / 1e9);
    }

    @Override
    public void changeLatency(Duration d) {
        changeLatency.observe(d.toNanos() / 1e9);
    }

    @Override
    public void syncFailed() {
        syncFailures.inc();
    }

    /** The Prometheus text exposition of every metric. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Per service port and endpoint traffic, read from the data plane at scrape time. */
    private record TrafficCollector(Supplier<List<BackendTraffic>> traffic, IntSupplier frontends)
            implements MultiCollector {
        @Override
        public MetricSnapshots collect() {
            var active = GaugeSnapshot.builder().name("ferry_proxy_connections_active")
                    .help("Open TCP connections and live UDP flows per service port and endpoint");
            var total = CounterSnapshot.builder().name("ferry_proxy_connections")
                    .help("TCP connections and UDP flows established per service port and endpoint");
            var bytes = CounterSnapshot.builder().name("ferry_proxy_bytes")
                    .help("Payload bytes forwarded per service port, endpoint and direction");
            for (BackendTraffic t : traffic.get()) {
                Labels labels = Labels.of("namespace", t.servicePort().namespace(), "service",
                        t.servicePort().name(), "port", t.servicePort().port(), "protocol",
                        t.servicePort().protocol().name(), "endpoint", t.backend().toString());
                active.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                        .value(t.activeConnections()).build());
                total.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels)
                        .value(t.totalConnections()).build());
                bytes.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels.add("direction", "to_endpoint")).value(t.bytesToBackend()).build());
                bytes.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels.add("direction", "to_client")).value(t.bytesToClient()).build());
            }
            var served = GaugeSnapshot.builder().name("ferry_proxy_frontends_served")
                    .help("Addresses (ip:port/protocol) the proxy serves")
                    .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(frontends.getAsInt()).build());
            return MetricSnapshots.of(active.build(), total.build(), bytes.build(), served.build());
        }
    }
}
