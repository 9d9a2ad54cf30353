package dev.ferry.bench.proxy;

import dev.ferry.bench.PeerRows;
import dev.ferry.bench.PeerRows.Median;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side table of one {@code run-proxy-bench.sh} run: from the peer scripts' {@code tcp.tsv} and
 * {@code udp.tsv} (rows with a stamp at or after the run's start), the median per target and workload, and Ferry's
 * ratio to HAProxy, nginx and direct.
 *
 * <p>Reps are chosen as the peers' summarize.py does: the clean ones (foreign CPU within bounds); if fewer than 3, the
 * least contaminated others fill up to 3 and the cell is marked {@code *}. Parsing and medians are pure.
 */
public final class ProxyBenchReport {
    /** One measured rep: its target, workload ("udp" for the UDP suite) and values by column name. */
    record Rep(String target, String workload, boolean clean, double foreignCpu, Map<String, String> values) {
        double value(String column) {
            return PeerRows.value(values, column);
        }
    }

    private ProxyBenchReport() {
    }

    /** Usage: ProxyBenchReport RESULTS_DIR SINCE_STAMP [FERRY_LABEL]; prints the markdown table. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ProxyBenchReport RESULTS_DIR SINCE_STAMP [FERRY_LABEL]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String since = args[1];
        String ferry = args.length > 2 ? args[2] : "ferry";
        List<Rep> reps = new ArrayList<>();
        reps.addAll(parse(read(dir.resolve("tcp.tsv")), since, false));
        reps.addAll(parse(read(dir.resolve("udp.tsv")), since, true));
        System.out.print(table(reps, ferry));
    }

    private static String read(Path p) throws IOException {
        return Files.isRegularFile(p) ? Files.readString(p) : "";
    }

    /** The reps of a peer TSV (header line first) with stamp >= {@code since}. */
    static List<Rep> parse(String tsv, String since, boolean udp) {
        return PeerRows.since(tsv, since).stream().map(row -> new Rep(row.get("target"),
                udp ? "udp" : row.get("workload"), PeerRows.clean(row), PeerRows.foreignCpu(row), row)).toList();
    }

    /** The median of {@code column} over the chosen reps of {@code target} in {@code workload}. */
    static Median median(List<Rep> reps, String target, String workload, String column) {
        return PeerRows.median(reps.stream().filter(r -> r.target().equals(target) && r.workload().equals(workload))
                .map(Rep::values).toList(), column);
    }

    private record Metric(String title, String workload, String column, String format, boolean lowerIsBetter) {}

    private static final List<Metric> METRICS = List.of(
            new Metric("100 B keep-alive, req/s", "small-ka", "rps", "%,.0f", false),
            new Metric("100 B keep-alive, p99 ms", "small-ka", "p99_ms", "%.2f", true),
            new Metric("100 B connection per request, req/s", "small-close", "rps", "%,.0f", false),
            new Metric("100 B connection per request, p99 ms", "small-close", "p99_ms", "%.2f", true),
            new Metric("1 MiB keep-alive, MiB/s", "big-ka", "mibps", "%,.0f", false),
            new Metric("1 MiB keep-alive, p99 ms", "big-ka", "p99_ms", "%.1f", true),
            new Metric("UDP (DNS) pairs/s", "udp", "qps", "%,.0f", false),
            new Metric("UDP p99 ms at half rate", "udp", "p99_ms", "%.3f", true));

    /** The markdown table: each target's median, then Ferry's ratio to each peer (for p99 rows, lower is better). */
    static String table(List<Rep> reps, String ferry) {
        StringBuilder out = new StringBuilder();
        out.append("| metric | direct | HAProxy | nginx | Ferry | Ferry/HAProxy | Ferry/nginx | Ferry/direct |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Metric m : METRICS) {
            Median direct = median(reps, "direct", m.workload(), m.column());
            Median haproxy = median(reps, "haproxy", m.workload(), m.column());
            Median nginx = median(reps, "nginx", m.workload(), m.column());
            Median mine = median(reps, ferry, m.workload(), m.column());
            out.append("| ").append(m.title())
                    .append(" | ").append(direct.format(m.format()))
                    .append(" | ").append(haproxy.format(m.format()))
                    .append(" | ").append(nginx.format(m.format()))
                    .append(" | ").append(mine.format(m.format()))
                    .append(" | ").append(ratio(mine, haproxy))
                    .append(" | ").append(ratio(mine, nginx))
                    .append(" | ").append(ratio(mine, direct))
                    .append(" |\n");
        }
        out.append("\n`*` = fewer than 3 clean reps (foreign CPU above the peers' bound); the least contaminated filled in."
                + " Ratios are Ferry ÷ peer: for req/s, MiB/s and pairs/s ≥ 1.00 is the target against HAProxy (TCP)"
                + " and nginx (UDP); for p99 rows ≤ 1.00 is.\n");
        return out.toString();
    }

    private static String ratio(Median mine, Median peer) {
        if (mine.reps() == 0 || peer.reps() == 0 || Double.isNaN(mine.value()) || Double.isNaN(peer.value())
                || peer.value() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", mine.value() / peer.value());
    }
}
