package dev.ferry.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of the peer benchmark scripts' TSV files ({@code results/*.tsv} of ../shared/bench/peers: a header line, then
 * one line per rep), as maps from column name to cell, shared by the reports that read them.
 */
public final class PeerRows {
    private PeerRows() {
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
}
