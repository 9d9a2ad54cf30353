package dev.ferry.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows of the peer benchmark scripts' TSV files ({@code results/*.tsv} of ../shared/bench/peers: a header line, then
 * one line per rep), as maps from column name to cell, shared by the reports that read them.
 */
public final class PeerRows {
    /** Clean reps a median is taken over; fewer are filled up with the least contaminated ones. */
    private static final int REPS = 3;

    private PeerRows() {
    }

    /** A median over the chosen reps; {@code filled} when contaminated reps had to fill up to 3. */
    public record Median(double value, int reps, boolean filled) {
        public static final Median NONE = new Median(Double.NaN, 0, false);

        public boolean present() {
            return reps > 0 && !Double.isNaN(value);
        }

        /** The value in {@code pattern}, with a {@code *} when filled, or "–" when there is none. */
        public String format(String pattern) {
            return present() ? String.format(Locale.ROOT, pattern, value) + (filled ? "*" : "") : "–";
        }
    }

    /** The rows of {@code tsv} whose {@code stamp} column is ≥ {@code since} (stamps sort as text). */
    public static List<Map<String, String>> since(String tsv, String since) {
        List<Map<String, String>> out = new ArrayList<>();
        String[] lines = tsv.split("\n");
        if (lines.length < 2) {
            return out;
        }
        String[] header = lines[0].split("\t", -1);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] cells = lines[i].split("\t", -1);
            Map<String, String> values = new HashMap<>();
            for (int c = 0; c < header.length && c < cells.length; c++) {
                values.put(header[c], cells[c]);
            }
            if (values.getOrDefault("stamp", "").compareTo(since) >= 0) {
                out.add(values);
            }
        }
        return out;
    }

    /** Whether the peers' scripts counted the rep clean (foreign CPU within their bound). */
    public static boolean clean(Map<String, String> row) {
        return "1".equals(row.get("clean"));
    }

    /** The CPU share other processes used during the rep, in % of the machine (0 when not recorded). */
    public static double foreignCpu(Map<String, String> row) {
        String foreign = row.getOrDefault("foreign_cpu_pct", "");
        return foreign.isEmpty() ? 0 : Double.parseDouble(foreign);
    }

    /** The number in {@code column} of {@code row}, or NaN when it is empty or "NA". */
    public static double value(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null || v.isEmpty() || v.equals("NA") ? Double.NaN : Double.parseDouble(v);
    }

    /**
     * The median of {@code column} over the reps of one target ({@code rows}), chosen as the peers' summarize.py
     * does: the clean reps, filled up to 3 with the least contaminated others.
     */
    public static Median median(List<Map<String, String>> rows, String column) {
        List<Map<String, String>> chosen = new ArrayList<>(rows.stream().filter(PeerRows::clean).toList());
        boolean filled = false;
        for (Map<String, String> r : rows.stream().filter(r -> !clean(r))
                .sorted(Comparator.comparingDouble(PeerRows::foreignCpu)).toList()) {
            if (chosen.size() >= REPS) {
                break;
            }
            chosen.add(r);
            filled = true;
        }
        double[] v = chosen.stream().mapToDouble(r -> value(r, column)).filter(d -> !Double.isNaN(d)).sorted()
                .toArray();
        if (v.length == 0) {
            return Median.NONE;
        }
        double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Median(m, v.length, filled);
    }
}
