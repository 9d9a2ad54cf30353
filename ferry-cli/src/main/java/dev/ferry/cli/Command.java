package dev.ferry.cli;

/** A subcommand of {@code ferry}: its name, its flags, and what it runs once they are parsed. */
abstract class Command {
    final String name;
    /** One or two sentences for the help. */
    final String description;
    /** Hidden commands work but are not listed in {@code ferry --help}. */
    final boolean hidden;

    Command(String name, String description, boolean hidden) {
        this.name = name;
        this.description = description;
        this.hidden = hidden;
    }

    Command(String name, String description) {
        this(name, description, false);
    }

    /** Declares the command's flags, which write into this command's fields; none by default. */
    void declare(FlagSet flags) {
    }

    /** Runs with the parsed flags; returns when the command is done (for a server: when it has stopped). */
    abstract void run() throws Exception;
}
