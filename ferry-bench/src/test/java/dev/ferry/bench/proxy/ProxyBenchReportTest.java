package dev.ferry.bench.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bench.PeerRows.Median;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyBenchReportTest {
    private static final String TCP = """
            stamp\tsuite\ttarget\tpin\tworkload\trep\trequests\trps\tmibps\tp50_ms\tp90_ms\tp99_ms\tp999_ms\tmax_ms\terrors\tforeign_cpu_pct\tclean\ttop_foreign\tparams\tcpu_busy_pct
            20260101T000000Z\ttcp\thaproxy\tsplit\tsmall-ka\t1\t1\t1000\t0.1\t1\t1\t9.0\t1\t1\t0\t0.1\t1\t-\tp\t1/1
            20260102T000000Z\ttcp\thaproxy\tsplit\tsmall-ka\t1\t1\t40000\t0.1\t1\t1\t2.0\t1\t1\t0\t0.1\t1\t-\tp\t1/1
            20260102T000000Z\ttcp\thaproxy\tsplit\tsmall-ka\t2\t1\t50000\t0.1\t1\t1\t1.0\t1\t1\t0\t0.1\t1\t-\tp\t1/1
            20260102T000000Z\ttcp\thaproxy\tsplit\tsmall-ka\t3\t1\t45000\t0.1\t1\t1\t1.5\t1\t1\t0\t0.1\t1\t-\tp\t1/1
            20260102T000100Z\ttcp\tferry\tsplit\tsmall-ka\t1\t1\t60000\t0.1\t1\t1\t1.0\t1\t1\t0\t9.0\t0\tjava\tp\t1/1
            20260102T000100Z\ttcp\tferry\tsplit\tsmall-ka\t2\t1\t50000\t0.1\t1\t1\t1.0\t1\t1\t0\t0.2\t1\t-\tp\t1/1
            20260102T000100Z\ttcp\tferry\tsplit\tsmall-ka\t3\t1\t70000\t0.1\t1\t1\t1.0\t1\t1\t0\t7.0\t0\tjava\tp\t1/1
            20260102T000100Z\ttcp\tferry\tsplit\tsmall-ka\t4\t1\t10000\t0.1\t1\t1\t1.0\t1\t1\t0\t30.0\t0\tjava\tp\t1/1
            """;

    @Test
    void mediansOfCleanRepsSinceTheRunStarted() {
        List<ProxyBenchReport.Rep> reps = ProxyBenchReport.parse(TCP, "20260102T000000Z", false);

        assertThat(reps).hasSize(7);
        Median haproxy = ProxyBenchReport.median(reps, "haproxy", "small-ka", "rps");
        assertThat(haproxy.value()).isEqualTo(45000);
        assertThat(haproxy.filled()).isFalse();
        assertThat(ProxyBenchReport.median(reps, "haproxy", "small-ka", "p99_ms").value()).isEqualTo(1.5);
    }

    @Test
    void fillsUpToThreeRepsWithTheLeastContaminated() {
        List<ProxyBenchReport.Rep> reps = ProxyBenchReport.parse(TCP, "20260102T000000Z", false);

        Median ferry = ProxyBenchReport.median(reps, "ferry", "small-ka", "rps");

        // clean 50000, then 70000 (7 %) and 60000 (9 %); 10000 (30 %) is left out
        assertThat(ferry.value()).isEqualTo(60000);
        assertThat(ferry.reps()).isEqualTo(3);
        assertThat(ferry.filled()).isTrue();
    }

    @Test
    void tableShowsRatiosToThePeers() {
        String table = ProxyBenchReport.table(ProxyBenchReport.parse(TCP, "20260102T000000Z", false), "ferry");

        assertThat(table).contains("| 100 B keep-alive, req/s | – | 45,000 | – | 60,000* | 1.33 | – | – |");
        assertThat(table).contains("| 100 B keep-alive, p99 ms | – | 1.50 | – | 1.00* | 0.67 | – | – |");
        assertThat(table).contains("| UDP (DNS) pairs/s | – | – | – | – | – | – | – |");
    }
}
