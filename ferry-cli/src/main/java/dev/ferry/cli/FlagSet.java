package dev.ferry.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * One command's flags: each is declared with its help text and the code that takes its value; {@link #parse} applies
 * a command line to them, {@link #help} describes them. Flags are {@code --name VALUE} or {@code --name=VALUE};
 * switches take no value; a toggle {@code --x} has the opposite {@code --no-x}. Parsing stops at the first bad
 * argument with a {@link UsageException} that names it.
 *
 * <p>A flag's name is declared with a label for its value: {@code "--data-dir DIR"}. Help text ends with
 * "(default: V)" when a default is given.
 */
final class FlagSet {
    private final List<Flag> flags = new ArrayList<>();
    private final Map<String, Flag> byName = new HashMap<>();

    /**
     * A declared flag; {@code set} takes the text of its value ("" for a switch) and throws IllegalArgumentException,
     * with the message for the user, if it is bad.
     */
    private record Flag(String name, String label, String help, String negation, Consumer<String> set,
            boolean required) {
        boolean takesValue() {
            return label != null;
        }

        String synopsis() {
            String shown = negation == null ? name : "--[no-]" + name.substring(2);
            return label == null ? shown : shown + " " + label;
        }
    }

    /** A flag with a value, declared as {@code "--name LABEL"}; {@code shownDefault} null shows none. */
    FlagSet string(String nameAndLabel, String help, Object shownDefault, Consumer<String> set) {
        return value(nameAndLabel, withDefault(help, shownDefault), set, false);
    }

    /** A value flag the command cannot run without. */
    FlagSet required(String nameAndLabel, String help, Consumer<String> set) {
        return value(nameAndLabel, help, set, true);
    }

    private FlagSet value(String nameAndLabel, String help, Consumer<String> set, boolean required) {
        int space = nameAndLabel.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("a flag with a value needs a label: " + nameAndLabel);
        }
        return add(new Flag(nameAndLabel.substring(0, space), nameAndLabel.substring(space + 1), help, null, set,
                required));
    }

    /** A flag whose value is a whole number from {@code min} to {@code max}. */
    FlagSet integer(String name, String help, int shownDefault, int min, int max, IntConsumer set) {
        return string(name + " N", help, shownDefault, v -> set.accept((int) number(name, v, min, max)));
    }

    /** A flag whose value is a whole number in long's range. */
    FlagSet longInteger(String name, String help, long shownDefault, LongConsumer set) {
        return string(name + " N", help, shownDefault, v -> set.accept(number(name, v, Long.MIN_VALUE,
                Long.MAX_VALUE)));
    }

    /** A flag whose value is one of {@code type}'s constants, by name. */
    <E extends Enum<E>> FlagSet choice(String name, String help, E shownDefault, Class<E> type, Consumer<E> set) {
        E[] all = type.getEnumConstants();
        StringBuilder names = new StringBuilder();
        for (E e : all) {
            names.append(names.isEmpty() ? "" : "|").append(e.name());
        }
        return string(name + " " + names, help, shownDefault, v -> {
            for (E e : all) {
                if (e.name().equals(v)) {
                    set.accept(e);
                    return;
                }
            }
            throw new IllegalArgumentException(name + " must be one of " + names.toString().replace("|", ", ")
                    + ", got " + (v.isEmpty() ? "nothing" : v));
        });
    }

    /** A switch: present means on. */
    FlagSet flag(String name, String help, Runnable on) {
        return add(new Flag(name, null, help, null, v -> on.run(), false));
    }

    /** {@code --name} turns it on, {@code --no-name} off; the help shows both as {@code --[no-]name}. */
    FlagSet toggle(String name, String help, Consumer<Boolean> set) {
        String negation = "--no-" + name.substring(2);
        Flag on = new Flag(name, null, help, negation, v -> set.accept(true), false);
        add(on);
        byName.put(negation, new Flag(negation, null, help, null, v -> set.accept(false), false));
        return this;
    }

    private FlagSet add(Flag f) {
        if (!f.name.startsWith("--") || byName.putIfAbsent(f.name, f) != null) {
            throw new IllegalArgumentException("bad or repeated flag name " + f.name);
        }
        flags.add(f);
        return this;
    }

    /** What a command line asks for besides its flags' values. */
    enum Request { RUN, HELP, VERSION }

    /** HELP for {@code -h}/{@code --help}, VERSION for {@code -V}/{@code --version}, else RUN. */
    static Request request(String arg) {
        return switch (arg) {
            case "-h", "--help" -> Request.HELP;
            case "-V", "--version" -> Request.VERSION;
            default -> Request.RUN;
        };
    }

    /**
     * Applies {@code args} in order; {@code -h}/{@code --help} or {@code -V}/{@code --version} where a flag may stand
     * ends parsing with that request, before any check of required flags.
     *
     * @throws UsageException at the first unknown flag, missing or malformed value, or stray argument; and when a
     *     required flag is absent
     */
    Request parse(List<String> args) throws UsageException {
        Set<Flag> seen = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            Request asked = request(arg);
            if (asked != Request.RUN) {
                return asked;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Flag f = byName.get(name);
            if (f == null) {
                throw new UsageException("unknown flag " + name);
            }
            String value;
            if (!f.takesValue()) {
                if (eq >= 0) {
                    throw new UsageException(name + " takes no value, got '" + arg.substring(eq + 1) + "'");
                }
                value = "";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException(name + " needs a value (" + f.label + ")");
            }
            try {
                f.set.accept(value);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            seen.add(f);
        }
        for (Flag f : flags) {
            if (f.required && !seen.contains(f)) {
                throw new UsageException("missing " + f.name + " " + f.label);
            }
        }
        return Request.RUN;
    }

    /** The flags, one paragraph each, in declaration order, then help and version; wrapped at {@code width}. */
    String help(int width) {
        StringBuilder out = new StringBuilder();
        for (Flag f : flags) {
            out.append("  ").append(f.synopsis()).append(f.required ? " (required)" : "").append('\n');
            wrap(out, f.help, "      ", width);
        }
        out.append("  -h, --help\n");
        wrap(out, "Print this help and exit.", "      ", width);
        out.append("  -V, --version\n");
        wrap(out, "Print the version and exit.", "      ", width);
        return out.toString();
    }

    static void wrap(StringBuilder out, String text, String indent, int width) {
        int column = 0;
        for (String word : text.split(" ")) {
            if (column > indent.length() && column + 1 + word.length() > width) {
                out.append('\n');
                column = 0;
            }
            if (column == 0) {
                out.append(indent);
                column = indent.length();
            } else {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
        }
        out.append('\n');
    }

    private static String withDefault(String help, Object shownDefault) {
        if (shownDefault == null) {
            return help;
        }
        String h = help.endsWith(".") ? help.substring(0, help.length() - 1) : help;
        return h + " (default: " + shownDefault + ").";
    }

    private static long number(String name, String text, long min, long max) {
        try {
            long n = Long.parseLong(text.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        String range = min == Long.MIN_VALUE ? "" : max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                ? " of at least " + min : " from " + min + " to " + max;
        throw new IllegalArgumentException(name + " must be a whole number" + range + ", got '" + text + "'");
    }

    /** A command line the command cannot run with; the message says what is wrong, in one line. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
