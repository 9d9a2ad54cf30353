package dev.ferry.cli;

/** A subcommand of {@code ferry}: its name, its flags, and what it runs once they are parsed. */
interface Command {
    String name();

    /** One or two sentences for the help. */
    String description();

    /** Hidden commands work but are not listed in {@code ferry --help}. */
    default boolean hidden() {
        return false;
    }

    /** Declares the command's flags, which write into this command's fields. */
    void declare(FlagSet flags);

    /** Runs with the parsed flags; returns when the command is done (for a server: when it has stopped). */
    void run() throws Exception;
}
