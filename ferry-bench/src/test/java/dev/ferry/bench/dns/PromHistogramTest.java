package dev.ferry.bench.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromHistogramTest {
    private static final String NAME = "ferry_dns_programming_duration_seconds";
    private static final String KIND = "service_kind=\"headless_without_selector\"";

    private static String scrape(long b1, long b5, long b50, long inf, double sum) {
        return """
                # HELP ferry_dns_programming_duration_seconds Time from ...
                # TYPE ferry_dns_programming_duration_seconds histogram
                ferry_dns_programming_duration_seconds_bucket{service_kind="cluster_ip",le="0.001"} 99
                ferry_dns_programming_duration_seconds_bucket{service_kind="headless_without_selector",le="0.001"} %d
                ferry_dns_programming_duration_seconds_bucket{service_kind="headless_without_selector",le="0.005"} %d
                ferry_dns_programming_duration_seconds_bucket{service_kind="headless_without_selector",le="0.05"} %d
                ferry_dns_programming_duration_seconds_bucket{service_kind="headless_without_selector",le="+Inf"} %d
                ferry_dns_programming_duration_seconds_count{service_kind="headless_without_selector"} %d
                ferry_dns_programming_duration_seconds_sum{service_kind="headless_without_selector"} %s
                ferry_dns_requests_total{proto="udp"} 5
                """.formatted(b1, b5, b50, inf, inf, Double.toString(sum));
    }

    @Test
    void readsOneLabelledSeries() {
        PromHistogram h = PromHistogram.parse(scrape(1, 3, 4, 4, 0.02), NAME, KIND);

        assertThat(h.count()).isEqualTo(4);
        assertThat(h.sum()).isEqualTo(0.02);
        assertThat(h.buckets()).containsEntry(0.001, 1L).containsEntry(Double.POSITIVE_INFINITY, 4L);
        assertThat(PromHistogram.parse("", NAME, KIND).count()).isZero();
    }

    @Test
    void differenceOfTwoScrapesGivesQuantileBoundsAndMean() {
        PromHistogram before = PromHistogram.parse(scrape(1, 1, 1, 1, 0.0005), NAME, KIND);
        PromHistogram after = PromHistogram.parse(scrape(1, 91, 100, 101, 0.3005), NAME, KIND);

        PromHistogram d = after.minus(before);

        assertThat(d.count()).isEqualTo(100);
        assertThat(d.mean()).isEqualTo(0.003, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.quantileUpperBound(0.50)).isEqualTo(0.005);
        assertThat(d.quantileUpperBound(0.90)).isEqualTo(0.005);
        assertThat(d.quantileUpperBound(0.99)).isEqualTo(0.05);
        assertThat(d.quantileUpperBound(1.0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(d.distribution()).isEqualTo("≤5 ms: 90, ≤50 ms: 9, ≤+Inf ms: 1");
        assertThat(PromHistogram.EMPTY.quantileUpperBound(0.5)).isNaN();
    }
}
