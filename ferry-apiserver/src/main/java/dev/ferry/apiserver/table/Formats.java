package dev.ferry.apiserver.table;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** Cell formatting shared by the convertors, ported from kubectl's printers and apimachinery's labels package. */
final class Formats {
    static final String NONE = "<none>";

    private Formats() {
    }

    /** {@code translateTimestampSince}: "&lt;unknown&gt;" for the zero time, else the human age at {@code now}. */
    static String since(Optional<Instant> time, Instant now) {
        return time.map(t -> HumanDuration.format(Duration.between(t, now))).orElse("<unknown>");
    }

    static String age(JsonNode obj, Instant now) {
        return since(Fields.time(obj, "metadata", "creationTimestamp"), now);
    }

    static String name(JsonNode obj) {
        return Fields.str(obj, "metadata", "name");
    }

    /** {@code labels.FormatLabels}: "k=v" sorted by key, comma-joined; "&lt;none&gt;" when empty. */
    static String labels(JsonNode map) {
        Map<String, String> sorted = new TreeMap<>();
        if (map != null && map.isObject()) {
            map.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : ""));
        }
        if (sorted.isEmpty()) {
            return NONE;
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /**
     * {@code metav1.LabelSelectorAsSelector(sel).String()}: requirements sorted by key; "" for a nil or empty
     * selector; empty Optional when the selector is invalid (unknown operator, wrong value count).
     */
    static Optional<String> selector(JsonNode sel) {
        if (sel == null || !sel.isObject()) {
            return Optional.of("");
        }
        record Req(String key, String text) {
        }
        List<Req> reqs = new ArrayList<>();
        JsonNode matchLabels = sel.path("matchLabels");
        if (matchLabels.isObject()) {
            matchLabels.properties().forEach(e -> reqs.add(new Req(e.getKey(),
                    e.getKey() + "=" + (e.getValue().isString() ? e.getValue().stringValue() : ""))));
        }
        for (JsonNode expr : Fields.list(sel, "matchExpressions")) {
            String key = Fields.str(expr, "key");
            List<String> values = new ArrayList<>(Fields.strings(expr, "values"));
            String op = Fields.str(expr, "operator");
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        return Optional.empty();
                    }
                    values.sort(Comparator.naturalOrder());
                    String word = op.equals("In") ? " in (" : " notin (";
                    reqs.add(new Req(key, key + word + String.join(",", values) + ")"));
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        return Optional.empty();
                    }
                    reqs.add(new Req(key, op.equals("Exists") ? key : "!" + key));
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        reqs.sort(Comparator.comparing(Req::key));
        return Optional.of(String.join(",", reqs.stream().map(Req::text).toList()));
    }

    /** {@code metav1.FormatLabelSelector}: like {@link #selector} but "&lt;none&gt;" when empty, "&lt;error&gt;" when invalid. */
    static String labelSelector(JsonNode sel) {
        return selector(sel).map(s -> s.isEmpty() ? NONE : s).orElse("<error>");
    }

    /** {@code layoutContainerCells}: container names and images, each comma-joined. */
    static String[] containerCells(JsonNode podSpec) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode c : Fields.list(podSpec, "containers")) {
            names.add(Fields.str(c, "name"));
            images.add(Fields.str(c, "image"));
        }
        return new String[] {String.join(",", names), String.join(",", images)};
    }

    /** {@code listWithMoreString}: "a,b,c + 2 more..." past {@code max}; "&lt;unset&gt;" when empty. */
    static String listWithMore(List<String> all, int max) {
        List<String> shown = all.size() > max ? all.subList(0, max) : all;
        String ret = String.join(",", shown);
        if (all.size() > max) {
            return ret + " + " + (all.size() - max) + " more...";
        }
        return ret.isEmpty() ? "<unset>" : ret;
    }

    /** {@code net.JoinHostPort}: brackets around hosts containing a colon (IPv6). */
    static String hostPort(String host, long port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    static String orNone(String s) {
        return s.isEmpty() ? NONE : s;
    }
}
