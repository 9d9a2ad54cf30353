package dev.ferry.bench.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One labelled series of a Prometheus classic histogram, read from the text exposition format: cumulative bucket
 * counts by upper bound, count and sum. Two scrapes subtract ({@link #minus}) to give what was observed between them.
 * Pure.
 *
 * @param buckets cumulative counts by upper bound (seconds), ascending, +Inf last as {@link Double#POSITIVE_INFINITY}
 */
record PromHistogram(TreeMap<Double, Long> buckets, long count, double sum) {
    static final PromHistogram EMPTY = new PromHistogram(new TreeMap<>(), 0, 0);

    /**
     * The series of histogram {@code name} whose labels include {@code label} (e.g. {@code service_kind="x"}), or
     * {@link #EMPTY} when the text has none.
     */
    static PromHistogram parse(String text, String name, String label) {
        TreeMap<Double, Long> buckets = new TreeMap<>();
        long count = 0;
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name) || !line.contains(label)) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String series = line.substring(0, space);
            double value = Double.parseDouble(line.substring(space + 1).trim());
            if (series.startsWith(name + "_bucket{")) {
                String le = labelValue(series, "le");
                if (le != null) {
                    buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                            (long) value);
                }
            } else if (series.startsWith(name + "_count{")) {
                count = (long) value;
            } else if (series.startsWith(name + "_sum{")) {
                sum = value;
            }
        }
        return new PromHistogram(buckets, count, sum);
    }

    private static String labelValue(String series, String key) {
        int i = series.indexOf(key + "=\"");
        if (i < 0) {
            return null;
        }
        int start = i + key.length() + 2;
        int end = series.indexOf('"', start);
        return end < 0 ? null : series.substring(start, end);
    }

    /** What was observed after {@code earlier} (the same series, scraped before this one). */
    PromHistogram minus(PromHistogram earlier) {
        TreeMap<Double, Long> b = new TreeMap<>();
        for (Map.Entry<Double, Long> e : buckets.entrySet()) {
            b.put(e.getKey(), e.getValue() - earlier.buckets.getOrDefault(e.getKey(), 0L));
        }
        return new PromHistogram(b, count - earlier.count, sum - earlier.sum);
    }

    /**
     * The upper bound (seconds) of the bucket holding the {@code q} quantile (nearest rank), as Prometheus' buckets
     * allow no more; NaN when empty, +Inf when it lies above the last finite bound.
     */
    double quantileUpperBound(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        for (Map.Entry<Double, Long> e : buckets.entrySet()) {
            if (e.getValue() >= rank) {
                return e.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Mean observation in seconds; NaN when empty. */
    double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Non-cumulative counts per bucket as {@code ≤bound: n} for the non-empty ones, in milliseconds. */
    String distribution() {
        List<String> parts = new ArrayList<>();
        long previous = 0;
        for (Map.Entry<Double, Long> e : buckets.entrySet()) {
            long n = e.getValue() - previous;
            previous = e.getValue();
            if (n > 0) {
                String bound = e.getKey().isInfinite() ? "+Inf"
                        : String.format(Locale.ROOT, "%s", trim(e.getKey() * 1000));
                parts.add("≤" + bound + " ms: " + n);
            }
        }
        return String.join(", ", parts);
    }

    private static String trim(double ms) {
        return ms == Math.rint(ms) ? Long.toString((long) ms) : String.format(Locale.ROOT, "%.1f", ms);
    }
}
