package dev.ferry.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results table: one row per metric, one column per store, the target next to the metric. */
final class Report {
    /** A measured value; {@code met} is null when the metric has no target. */
    record Cell(String text, Boolean met) {
        String render() {
            return met == null ? text : text + (met ? " (met)" : " (**missed**)");
        }
    }

    private final List<String> metrics = new ArrayList<>();
    private final Map<String, String> targets = new LinkedHashMap<>();
    private final Map<String, Map<String, Cell>> columns = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    /** Records a value for {@code store}; the first time a metric is seen fixes its row position and target. */
    synchronized void put(String store, String metric, String target, String value, Boolean met) {
        if (!targets.containsKey(metric)) {
            metrics.add(metric);
            targets.put(metric, target);
        }
        columns.computeIfAbsent(store, s -> new LinkedHashMap<>()).put(metric, new Cell(value, met));
        System.out.printf("[%s] %s: %s%n", store, metric, new Cell(value, met).render());
    }

    synchronized void note(String text) {
        notes.add(text);
        System.out.println("note: " + text);
    }

    synchronized String markdown() {
        StringBuilder b = new StringBuilder("| metric | target |");
        columns.keySet().forEach(s -> b.append(' ').append(s).append(" |"));
        b.append("\n|---|---|");
        columns.keySet().forEach(s -> b.append("---|"));
        b.append('\n');
        for (String m : metrics) {
            b.append("| ").append(m).append(" | ").append(targets.get(m)).append(" |");
            for (Map<String, Cell> column : columns.values()) {
                Cell c = column.get(m);
                b.append(' ').append(c == null ? "—" : c.render()).append(" |");
            }
            b.append('\n');
        }
        if (!notes.isEmpty()) {
            b.append('\n');
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }

    static String f(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    /** {@code p50 / p99 / max} in ms. */
    static String pct(Summary s) {
        return f(s.p50()) + " / " + f(s.p99()) + " / " + f(s.max());
    }
}
