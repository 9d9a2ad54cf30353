package dev.ferry.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {

    private static String scrape(ProxyMetrics m) {
        return new String(m.scrape(), StandardCharsets.UTF_8);
    }

    @Test
    void triggerTimeInTheFutureCountsAsZeroLatency() {
        ProxyMetrics m = new ProxyMetrics(List::of, () -> 0);
        m.programmingLatency(Duration.ofSeconds(-5));
        assertThat(scrape(m)).contains("kubeproxy_network_programming_duration_seconds_bucket{le=\"0.001\"} 1")
                .contains("kubeproxy_network_programming_duration_seconds_sum 0.0");
    }

    @Test
    void syncDurationsLandInTheirBucketsAndStampTheLastSync() {
        ProxyMetrics m = new ProxyMetrics(List::of, () -> 0);
        assertThat(scrape(m)).contains("kubeproxy_sync_proxy_rules_duration_seconds_count 0");
        m.syncDuration(Duration.ofMillis(20));
        m.syncDuration(Duration.ofSeconds(2));
        String text = scrape(m);
        assertThat(text).contains("kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"0.01\"} 0")
                .contains("kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"0.025\"} 1")
                .contains("kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"2.5\"} 2")
                .contains("kubeproxy_sync_proxy_rules_duration_seconds_count 2")
                .containsPattern("kubeproxy_sync_proxy_rules_last_timestamp_seconds [1-9]");
    }

    @Test
    void noTrafficSeriesWithoutTraffic() {
        String text = scrape(new ProxyMetrics(List::of, () -> 7));
        assertThat(text).contains("ferry_proxy_frontends_served 7.0").doesNotContain("endpoint=\"");
    }
}
