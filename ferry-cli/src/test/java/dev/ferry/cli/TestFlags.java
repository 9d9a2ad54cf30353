package dev.ferry.cli;

import java.util.List;
import java.util.function.Consumer;

/** Parses a command line into options declared by {@code declare}, as the {@code ferry} command would. */
final class TestFlags {
    private TestFlags() {
    }

    /** @throws IllegalArgumentException with the usage error's message, if the command line is refused */
    static void parse(Consumer<FlagSet> declare, String... args) {
        FlagSet flags = new FlagSet();
        declare.accept(flags);
        try {
            flags.parse(List.of(args));
        } catch (FlagSet.UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
