package dev.ferry.agent.env;

import java.util.Map;
import java.util.function.Function;

/**
 * Kubernetes {@code $(VAR)} expansion, as upstream's {@code third_party/forked/golang/expansion}: {@code $(NAME)} is
 * replaced by the variable's value, {@code $$} is an escaped {@code $}, a reference to an unknown variable and an
 * unclosed {@code $(} are left as written, any other {@code $} stays as it is. Expansion is not recursive.
 */
public final class Expansion {
    private Expansion() {
    }

    /** Expands against the first map (in order) that defines a name. */
    @SafeVarargs
    public static String expand(String input, Map<String, String>... context) {
        return expand(input, name -> {
            for (Map<String, String> vars : context) {
                String value = vars.get(name);
                if (value != null) {
                    return value;
                }
            }
            return null;
        });
    }

    /** Expands with {@code lookup}, which returns null for an unknown name. */
    public static String expand(String input, Function<String, String> lookup) {
        if (input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder(input.length());
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
                continue;
            }
            out.append(input, checkpoint, cursor);
            char next = input.charAt(cursor + 1);
            int advance = 1;
            if (next == '$') {
                out.append('$');
            } else if (next == '(') {
                int close = input.indexOf(')', cursor + 2);
                if (close < 0) {
                    out.append("$(");
                } else {
                    String name = input.substring(cursor + 2, close);
                    String value = lookup.apply(name);
                    out.append(value != null ? value : "$(" + name + ")");
                    advance = close - cursor;
                }
            } else {
                out.append('$').append(next);
            }
            cursor += advance;
            checkpoint = cursor + 1;
        }
        return out.append(input, checkpoint, input.length()).toString();
    }
}
