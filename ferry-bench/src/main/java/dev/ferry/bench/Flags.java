package dev.ferry.bench;

/**
 * The command-line syntax every harness shares: {@code --quick}, {@code --help}/{@code -h}, and {@code --name value}
 * pairs. Usage errors are IllegalArgumentExceptions whose message ends with the usage text.
 */
final class Flags {
    /** Applies one {@code --name value} pair; throws {@link #unknown} for a name that is not a flag. */
    @FunctionalInterface
    interface Setter {
        void set(String flag, String value);
    }

    private Flags() {
    }

    static void parse(String[] args, String usage, Runnable quick, Setter setter) {
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--quick")) {
                quick.run();
                continue;
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException(usage);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value\n" + usage);
            }
            setter.set(flag, args[++i]);
        }
    }

    static IllegalArgumentException unknown(String flag, String usage) {
        return new IllegalArgumentException("unknown option " + flag + "\n" + usage);
    }

    static int positive(String flag, String v) {
        int n = Integer.parseInt(v);
        if (n <= 0) {
            throw new IllegalArgumentException(flag + " must be positive");
        }
        return n;
    }
}
