package dev.ferry.api.selector;

import dev.ferry.api.validation.ValueValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed label selector in the string form of k8s.io/apimachinery/pkg/labels: comma-separated requirements
 * {@code k}, {@code !k}, {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)},
 * {@code k>n}, {@code k<n}. An empty selector matches everything.
 */
public final class LabelSelector {
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public enum Operator { EXISTS, DOES_NOT_EXIST, EQUALS, NOT_EQUALS, IN, NOT_IN, GREATER_THAN, LESS_THAN }

    /** One requirement; {@code values} is empty for EXISTS / DOES_NOT_EXIST. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        public boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case GREATER_THAN, LESS_THAN -> compare(v);
            };
        }

        private boolean compare(String v) {
            if (v == null) {
                return false;
            }
            try {
                long have = Long.parseLong(v);
                long bound = Long.parseLong(values.iterator().next());
                return operator == Operator.GREATER_THAN ? have > bound : have < bound;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    /** A selector requiring each entry of {@code matchLabels} (as a Service's or a Deployment's selector map). */
    public static LabelSelector of(Map<String, String> matchLabels) {
        List<Requirement> reqs = new ArrayList<>();
        new java.util.TreeMap<>(matchLabels).forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, Set.of(v))));
        return new LabelSelector(reqs);
    }

    /** Parses the string form; throws {@link SelectorException} with upstream-like text when it is malformed. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        return new LabelSelector(new Parser(text).parse());
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Requirement r : requirements) {
            String values = String.join(",", new TreeSet<>(r.values()));
            parts.add(switch (r.operator()) {
                case EXISTS -> r.key();
                case DOES_NOT_EXIST -> "!" + r.key();
                case EQUALS -> r.key() + "=" + values;
                case NOT_EQUALS -> r.key() + "!=" + values;
                case IN -> r.key() + " in (" + values + ")";
                case NOT_IN -> r.key() + " notin (" + values + ")";
                case GREATER_THAN -> r.key() + ">" + values;
                case LESS_THAN -> r.key() + "<" + values;
            });
        }
        return String.join(",", parts);
    }

    /** Hand-written scanner for the grammar above. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        List<Requirement> parse() {
            List<Requirement> out = new ArrayList<>();
            while (true) {
                skipSpaces();
                out.add(requirement());
                skipSpaces();
                if (pos == s.length()) {
                    return out;
                }
                expect(',');
            }
        }

        private Requirement requirement() {
            boolean negated = false;
            if (peek() == '!') {
                pos++;
                negated = true;
                skipSpaces();
            }
            String key = token();
            if (key.isEmpty()) {
                throw error("found '" + describeNext() + "', expected: identifier");
            }
            validateKey(key);
            skipSpaces();
            if (negated) {
                return new Requirement(key, Operator.DOES_NOT_EXIST, Set.of());
            }
            if (pos == s.length() || peek() == ',') {
                return new Requirement(key, Operator.EXISTS, Set.of());
            }
            if (s.startsWith("==", pos)) {
                pos += 2;
                return single(key, Operator.EQUALS);
            }
            if (s.startsWith("!=", pos)) {
                pos += 2;
                return single(key, Operator.NOT_EQUALS);
            }
            char c = peek();
            if (c == '=') {
                pos++;
                return single(key, Operator.EQUALS);
            }
            if (c == '>' || c == '<') {
                pos++;
                Requirement r = single(key, c == '>' ? Operator.GREATER_THAN : Operator.LESS_THAN);
                try {
                    Long.parseLong(r.values().iterator().next());
                } catch (NumberFormatException e) {
                    throw error("for 'Gt', 'Lt' operators, the value must be an integer");
                }
                return r;
            }
            String word = token();
            if (word.equals("in") || word.equals("notin")) {
                skipSpaces();
                expect('(');
                Set<String> values = new TreeSet<>();
                while (true) {
                    skipSpaces();
                    String v = token();
                    validateValue(v);
                    values.add(v);
                    skipSpaces();
                    if (peek() == ')') {
                        pos++;
                        break;
                    }
                    expect(',');
                }
                return new Requirement(key, word.equals("in") ? Operator.IN : Operator.NOT_IN, values);
            }
            throw error("found '" + (word.isEmpty() ? describeNext() : word)
                    + "', expected: in, notin, =, ==, !=, gt, lt");
        }

        private Requirement single(String key, Operator op) {
            skipSpaces();
            String v = token();
            validateValue(v);
            return new Requirement(key, op, Set.of(v));
        }

        private String token() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ',' || c == '=' || c == '!' || c == '(' || c == ')' || c == '<' || c == '>'
                        || Character.isWhitespace(c)) {
                    break;
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        private void validateKey(String key) {
            if (!ValueValidation.isQualifiedName(key).isEmpty()) {
                throw error("key: Invalid value: \"" + key + "\": name part must consist of alphanumeric characters, "
                        + "'-', '_' or '.', and must start and end with an alphanumeric character");
            }
        }

        private void validateValue(String v) {
            if (!ValueValidation.isValidLabelValue(v).isEmpty()) {
                throw error("values[0]: Invalid value: \"" + v + "\": a valid label must be an empty string or "
                        + "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                        + "alphanumeric character");
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("found '" + describeNext() + "', expected: '" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private String describeNext() {
            return pos < s.length() ? String.valueOf(s.charAt(pos)) : "";
        }

        private void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private SelectorException error(String detail) {
            return new SelectorException("unable to parse requirement: " + detail);
        }
    }
}
