package dev.ferry.bench.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bench.PeerRows.Median;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsBenchReportTest {
    private static final String HEADER = "stamp\tserver\tpin\trep\tqps\tavg_ms\tstddev_ms\tlost\tcompleted\tnoerror"
            + "\tnxdomain\tserver_cpu_pct\tlat_qps\tp50_ms\tp90_ms\tp99_ms\tp999_ms\tforeign_cpu_pct\tclean"
            + "\ttop_foreign\tparams\tcpu_busy_pct\n";

    private static String row(String stamp, String server, int rep, int qps, double p99, double foreign) {
        return String.join("\t", stamp, server, "split", Integer.toString(rep), Integer.toString(qps), "0.300",
                "0.1", "0", "1", "1", "1", "90", Integer.toString(qps / 2), "0.040", "0.080", Double.toString(p99),
                "1.000", Double.toString(foreign), foreign <= 5 ? "1" : "0", "-", "p", "99/90") + "\n";
    }

    private static final String TSV = HEADER
            + row("20260101T000000Z", "nsd", 1, 1, 9.0, 0.1)
            + row("20260102T000000Z", "nsd", 1, 180000, 0.14, 0.1)
            + row("20260102T000000Z", "nsd", 2, 190000, 0.12, 0.1)
            + row("20260102T000000Z", "nsd", 3, 185000, 0.20, 0.1)
            + row("20260102T000200Z", "ferry", 1, 100000, 1.5, 0.2)
            + row("20260102T000200Z", "ferry", 2, 90000, 3.0, 9.0)
            + row("20260102T000200Z", "ferry", 3, 80000, 1.0, 0.3)
            + row("20260102T000200Z", "ferry", 4, 10000, 50.0, 40.0);

    @Test
    void mediansOfCleanRepsSinceTheRunStarted() {
        List<DnsBenchReport.Rep> reps = DnsBenchReport.parse(TSV, "20260102T000000Z");

        assertThat(reps).hasSize(7);
        Median nsd = DnsBenchReport.median(reps, "nsd", "qps");
        assertThat(nsd.value()).isEqualTo(185000);
        assertThat(nsd.filled()).isFalse();
        Median ferry = DnsBenchReport.median(reps, "ferry", "qps");
        assertThat(ferry.value()).isEqualTo(90000); // 100k, 80k clean, 90k (9 %) fills; 10k (40 %) left out
        assertThat(ferry.filled()).isTrue();
    }

    @Test
    void tableHasRatiosAndTheBar() {
        Map<String, String> ferry = DnsBenchReport.properties("""
                prog_resp_p99_ms=12.5
                prog_missing=0
                prog_resp_p50_ms=3.1
                rss_after_load_mib=400
                """);

        String t = DnsBenchReport.table(DnsBenchReport.parse(TSV, "20260102T000000Z"), ferry);

        assertThat(t).contains("| NSD | 185,000 | 0.300 | 0 | 0.040 / 0.080 / 0.140 / 1.000 | 90 | 205,556 | 3 clean of 3 |");
        assertThat(t).contains("| **Ferry** | 90,000* |");
        assertThat(t).contains("| Ferry ÷ NSD | 0.49 | 1.00 | 10.71 | 1.00 |");
        assertThat(t).contains("| Ferry QPS ÷ NSD QPS | ≥ 0.50 | 0.49 | **missed** |");
        assertThat(t).contains("| Ferry p99 at half rate (ms) | ≤ 2.00 | 1.500* | met |");
        assertThat(t).contains("| ≤ 50 | 12.5 | met |");
        assertThat(t).contains("| 400 / – |");
    }

    @Test
    void programmingIsNotMetWhenChangesWereNotSeen() {
        String t = DnsBenchReport.table(List.of(), Map.of("prog_resp_p99_ms", "1.0", "prog_missing", "3"));

        assertThat(t).contains("| ≤ 50 | 1.0 | **missed** |");
        assertThat(DnsBenchReport.table(List.of(), Map.of())).contains("| ≤ 50 | – | not measured |");
    }
}
