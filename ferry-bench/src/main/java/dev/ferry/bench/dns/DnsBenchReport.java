package dev.ferry.bench.dns;

import dev.ferry.bench.PeerRows;
import dev.ferry.bench.PeerRows.Median;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side table of one {@code run-dns-bench.sh} run: from the peers' {@code dns.tsv} (rows with a stamp at or
 * after the run's start; Ferry's rows are written by the same measurement code under server "ferry") the median per
 * server, Ferry's ratios to the peers and issue 5's bar; from Ferry's {@code key=value} file the DNS programming
 * latency, the load and the memory.
 *
 * <p>Reps are chosen as the peers' summarize.py does: the clean ones (foreign CPU within bounds); if fewer than 3, the
 * least contaminated others fill up to 3 and the cell is marked {@code *}. Everything but {@link #main} is pure.
 */
public final class DnsBenchReport {
    static final String FERRY = "ferry";
    /** Issue 5: Ferry ≥ 0.5 × the peer's queries/s, with p99 ≤ 2 ms; programming p99 ≤ 50 ms. */
    static final double QPS_RATIO_BAR = 0.5;
    static final double P99_BAR_MS = 2.0;
    static final double PROGRAMMING_P99_BAR_MS = 50.0;

    /** One measured rep of one server. */
    record Rep(String server, boolean clean, double foreignCpu, Map<String, String> values) {
        double value(String column) {
            return PeerRows.value(values, column);
        }
    }

    private DnsBenchReport() {
    }

    /** Usage: DnsBenchReport RESULTS_DIR SINCE_STAMP [FERRY_RESULTS_FILE]; prints the markdown tables. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: DnsBenchReport RESULTS_DIR SINCE_STAMP [FERRY_RESULTS_FILE]");
            System.exit(2);
        }
        Path tsv = Path.of(args[0]).resolve("dns.tsv");
        List<Rep> reps = parse(Files.isRegularFile(tsv) ? Files.readString(tsv) : "", args[1]);
        Map<String, String> ferry = args.length > 2 && Files.isRegularFile(Path.of(args[2]))
                ? properties(Files.readString(Path.of(args[2]))) : Map.of();
        System.out.print(table(reps, ferry));
    }

    /** The reps of a dns.tsv text (header line first) with stamp ≥ {@code since}. */
    static List<Rep> parse(String tsv, String since) {
        return PeerRows.since(tsv, since).stream().map(row -> new Rep(row.get("server"), PeerRows.clean(row),
                PeerRows.foreignCpu(row), row)).toList();
    }

    /** {@code key=value} lines (later keys win). */
    static Map<String, String> properties(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return m;
    }

    /** The median of {@code column} over the chosen reps of {@code server}. */
    static Median median(List<Rep> reps, String server, String column) {
        return PeerRows.median(reps.stream().filter(r -> server.equals(r.server())).map(Rep::values).toList(),
                column);
    }

    private static String label(String server) {
        return switch (server) {
            case "nsd" -> "NSD";
            case "knot" -> "Knot";
            case "unbound" -> "Unbound";
            case FERRY -> "**Ferry**";
            default -> server;
        };
    }

    /** The tables: per server, Ferry ÷ each peer, the bar, then Ferry's programming latency, load and memory. */
    static String table(List<Rep> reps, Map<String, String> ferry) {
        List<String> servers = new ArrayList<>();
        for (String s : List.of("nsd", "knot", "unbound")) {
            if (reps.stream().anyMatch(r -> s.equals(r.server()))) {
                servers.add(s);
            }
        }
        boolean hasFerry = reps.stream().anyMatch(r -> FERRY.equals(r.server()));
        List<String> rows = new ArrayList<>(servers);
        if (hasFerry) {
            rows.add(FERRY);
        }
        StringBuilder out = new StringBuilder();
        out.append("| server | QPS (saturation) | avg ms (saturation) | lost | p50 / p90 / p99 / p99.9 ms at half rate"
                + " | server CPU % of its core | QPS per server core (QPS ÷ CPU share) | reps |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (String s : rows) {
            Median qps = median(reps, s, "qps");
            out.append("| ").append(label(s))
                    .append(" | ").append(qps.format("%,.0f"))
                    .append(" | ").append(median(reps, s, "avg_ms").format("%.3f"))
                    .append(" | ").append(median(reps, s, "lost").format("%,.0f"))
                    .append(" | ").append(median(reps, s, "p50_ms").format("%.3f"))
                    .append(" / ").append(median(reps, s, "p90_ms").format("%.3f"))
                    .append(" / ").append(median(reps, s, "p99_ms").format("%.3f"))
                    .append(" / ").append(median(reps, s, "p999_ms").format("%.3f"))
                    .append(" | ").append(median(reps, s, "server_cpu_pct").format("%.0f"))
                    .append(" | ").append(perCore(qps, median(reps, s, "server_cpu_pct")))
                    .append(" | ").append(repsCell(reps, s))
                    .append(" |\n");
        }
        out.append("\n`*` = fewer than 3 clean reps (foreign CPU above the peers' bound); the least contaminated filled"
                + " in. Latencies at half rate: each server at 50 % of its own saturation QPS.\n");
        if (hasFerry && !servers.isEmpty()) {
            out.append("\n| Ferry ÷ peer | QPS | avg ms | p99 ms at half rate | p99.9 ms at half rate |\n"
                    + "|---|---|---|---|---|\n");
            for (String s : servers) {
                out.append("| Ferry ÷ ").append(label(s))
                        .append(" | ").append(ratio(reps, s, "qps"))
                        .append(" | ").append(ratio(reps, s, "avg_ms"))
                        .append(" | ").append(ratio(reps, s, "p99_ms"))
                        .append(" | ").append(ratio(reps, s, "p999_ms"))
                        .append(" |\n");
            }
        }
        out.append("\n| issue 5 bar | target | measured | |\n|---|---|---|---|\n");
        Median ferryQps = median(reps, FERRY, "qps");
        for (String s : servers) {
            Median peer = median(reps, s, "qps");
            boolean both = ferryQps.present() && peer.present() && peer.value() > 0;
            double r = both ? ferryQps.value() / peer.value() : Double.NaN;
            out.append("| Ferry QPS ÷ ").append(label(s)).append(" QPS | ≥ ").append(f2(QPS_RATIO_BAR))
                    .append(" | ").append(both ? f2(r) : "–").append(" | ").append(verdict(both, r >= QPS_RATIO_BAR))
                    .append(" |\n");
        }
        Median p99 = median(reps, FERRY, "p99_ms");
        out.append("| Ferry p99 at half rate (ms) | ≤ ").append(f2(P99_BAR_MS)).append(" | ")
                .append(p99.format("%.3f")).append(" | ").append(verdict(p99.present(), p99.value() <= P99_BAR_MS))
                .append(" |\n");
        double prog = number(ferry.get("prog_resp_p99_ms"));
        out.append("| DNS programming p99: slice PUT answered → UDP answer has the new IP (ms) | ≤ ")
                .append(f0(PROGRAMMING_P99_BAR_MS)).append(" | ").append(cell(ferry, "prog_resp_p99_ms"))
                .append(" | ").append(verdict(!Double.isNaN(prog),
                        prog <= PROGRAMMING_P99_BAR_MS && "0".equals(ferry.get("prog_missing"))))
                .append(" |\n");
        if (!ferry.isEmpty()) {
            out.append("\n| Ferry | value |\n|---|---|\n");
            row(out, ferry, "DNS programming, PUT answered → new IP in the UDP answer: p50 / p90 / p99 / max / mean"
                    + " (ms)", "prog_resp_p50_ms", "prog_resp_p90_ms", "prog_resp_p99_ms", "prog_resp_max_ms",
                    "prog_resp_mean_ms");
            row(out, ferry, "… PUT sent → new IP in the answer: p50 / p90 / p99 / max (ms)", "prog_send_p50_ms",
                    "prog_send_p90_ms", "prog_send_p99_ms", "prog_send_max_ms");
            row(out, ferry, "… changes / seen / not seen within 10 s / seen before the PUT's response; poll interval"
                    + " (µs)", "prog_changes", "prog_seen", "prog_missing", "prog_seen_before_response",
                    "prog_poll_us");
            row(out, ferry, "`ferry_dns_programming_duration_seconds` (headless_without_selector) over the changes:"
                    + " count / mean (ms) / bucket bound of p50 / p90 / p99 (ms)", "prog_metric_count",
                    "prog_metric_mean_ms", "prog_metric_p50_le_ms", "prog_metric_p90_le_ms", "prog_metric_p99_le_ms");
            row(out, ferry, "… its buckets", "prog_metric_buckets");
            row(out, ferry, "load: Services (headless with 10 endpoints) / clients / seconds / then until DNS answers"
                    + " the last (s)", "services", "headless", "load_clients", "load_seconds", "load_to_dns_seconds");
            row(out, ferry, "every name asked once after the load: right answers / wrong / NXDOMAIN for svc-N ≥ N",
                    "verify_ok", "verify_bad", "verify_nxdomain_ok");
            row(out, ferry, "Ferry JVM RSS: after the load / after the reps and the changes (MiB)",
                    "rss_after_load_mib", "rss_end_mib");
            row(out, ferry, "queries the kernel dropped at Ferry's UDP socket during the reps (/proc/net/udp drops)",
                    "server_socket_drops_during_reps");
            row(out, ferry, "Ferry's own JIT warm-up before the reps: seconds / QPS", "warmup_seconds",
                    "warmup_qps");
        }
        return out.toString();
    }

    /** Saturation QPS divided by the server's CPU share during it: an estimate of what one core serves. */
    static String perCore(Median qps, Median cpuPct) {
        if (!qps.present() || !cpuPct.present() || cpuPct.value() <= 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%,.0f", qps.value() / (cpuPct.value() / 100))
                + (qps.filled() || cpuPct.filled() ? "*" : "");
    }

    private static String repsCell(List<Rep> reps, String server) {
        long all = reps.stream().filter(r -> server.equals(r.server())).count();
        long clean = reps.stream().filter(r -> server.equals(r.server()) && r.clean()).count();
        return clean + " clean of " + all;
    }

    private static void row(StringBuilder out, Map<String, String> m, String title, String... keys) {
        List<String> cells = new ArrayList<>();
        for (String k : keys) {
            cells.add(cell(m, k));
        }
        out.append("| ").append(title).append(" | ").append(String.join(" / ", cells)).append(" |\n");
    }

    private static String cell(Map<String, String> m, String key) {
        String v = m.get(key);
        return v == null || v.isEmpty() ? "–" : v;
    }

    private static String ratio(List<Rep> reps, String peer, String column) {
        Median mine = median(reps, FERRY, column);
        Median theirs = median(reps, peer, column);
        if (!mine.present() || !theirs.present() || theirs.value() == 0) {
            return "–";
        }
        return f2(mine.value() / theirs.value());
    }

    private static String verdict(boolean measured, boolean met) {
        return !measured ? "not measured" : met ? "met" : "**missed**";
    }

    private static double number(String s) {
        try {
            return s == null ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
