package dev.ferry.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed field selector ({@code a=b,c!=d}, {@code ==} allowed; {@code \,} {@code \=} {@code \\} escape), as
 * k8s.io/apimachinery/pkg/fields. Which fields exist is the resource's business: {@link #fields()} lets the caller
 * reject unsupported ones.
 */
public final class FieldSelector {
    public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    public record Term(String field, boolean equals, String value) {
    }

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static FieldSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : splitUnescaped(text, ',')) {
            if (part.isEmpty()) {
                continue;
            }
            int op = indexOfUnescaped(part, '=');
            boolean equals;
            int valueStart;
            if (op > 0 && part.charAt(op - 1) == '!') {
                equals = false;
                valueStart = op + 1;
                op = op - 1;
            } else if (op >= 0) {
                equals = true;
                valueStart = part.startsWith("==", op) ? op + 2 : op + 1;
            } else {
                throw new SelectorException("invalid selector: '" + text + "'; can't understand '" + part + "'");
            }
            String field = part.substring(0, op).trim();
            if (field.isEmpty()) {
                throw new SelectorException("invalid selector: '" + text + "'; can't understand '" + part + "'");
            }
            terms.add(new Term(field, equals, unescape(part.substring(valueStart))));
        }
        return new FieldSelector(terms);
    }

    /** Whether {@code values} (field → value, for the fields the resource supports) satisfies every term. */
    public boolean matches(Map<String, String> values) {
        for (Term t : terms) {
            String v = values.getOrDefault(t.field(), "");
            if (t.equals() != v.equals(t.value())) {
                return false;
            }
        }
        return true;
    }

    public List<Term> terms() {
        return terms;
    }

    public List<String> fields() {
        return terms.stream().map(Term::field).toList();
    }

    /** The value required by an equality term on {@code field}, if any (lets a lookup by name skip a scan). */
    public Optional<String> requiredValue(String field) {
        return terms.stream().filter(t -> t.equals() && t.field().equals(field)).map(Term::value).findFirst();
    }

    public boolean isEverything() {
        return terms.isEmpty();
    }

    private static List<String> splitUnescaped(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static int indexOfUnescaped(String s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
            } else if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}
