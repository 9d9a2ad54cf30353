package dev.ferry.cli;

import java.io.PrintStream;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The {@code ferry} command: {@code ferry COMMAND [FLAGS]}. Exit status 0 on success (and for help), 1 when the
 * command fails, 2 for a command line it cannot run; each error is one line on standard error.
 */
public final class Main {
    public static final String VERSION = "0.1.0";
    private static final String CARRIERS = "jdk.virtualThreadScheduler.parallelism";
    private static final String VERSION_LINE = "ferry " + VERSION + "\n";
    private static final int WIDTH = 100;

    private Main() {
    }

    public static void main(String[] args) {
        virtualThreadCarriers();
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** The commands, in the order the help lists them. */
    static List<Command> commands() {
        return List.of(new UpCommand(), new ServerCommand(), new AgentCommand(), new VersionCommand(),
                new WarmupCommand());
    }

    /** Runs the command line {@code args}; returns the exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        FlagSet.Request first = args.isEmpty() ? FlagSet.Request.HELP : FlagSet.request(args.getFirst());
        if (first != FlagSet.Request.RUN) {
            out.print(first == FlagSet.Request.HELP ? usage() : VERSION_LINE);
            return 0;
        }
        String name = args.getFirst();
        Command command = commands().stream().filter(c -> c.name.equals(name)).findFirst().orElse(null);
        if (command == null) {
            err.println("ferry: unknown command '" + name + "' (see 'ferry --help')");
            return 2;
        }
        FlagSet flags = new FlagSet();
        command.declare(flags);
        FlagSet.Request request;
        try {
            request = flags.parse(args.subList(1, args.size()));
        } catch (FlagSet.UsageException e) {
            err.println("ferry: " + e.getMessage() + " (see 'ferry " + name + " --help')");
            return 2;
        }
        switch (request) {
            case HELP -> out.print(help(command, flags));
            case VERSION -> out.print(VERSION_LINE);
            case RUN -> {
                try {
                    command.run();
                } catch (Exception e) {
                    err.println("ferry: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    LoggerFactory.getLogger(Main.class).debug("command failed", e);
                    return 1;
                }
            }
        }
        return 0;
    }

    static String usage() {
        StringBuilder s = new StringBuilder("Usage: ferry COMMAND [FLAGS]\nKubernetes Services, implemented in Java.\n"
                + "\nCommands:\n");
        for (Command c : commands()) {
            if (!c.hidden) {
                s.append("  ").append(c.name).append('\n');
                FlagSet.wrap(s, c.description, "      ", WIDTH);
            }
        }
        return s.append("\nRun 'ferry COMMAND --help' for a command's flags.\n").toString();
    }

    static String help(Command command, FlagSet flags) {
        StringBuilder s = new StringBuilder("Usage: ferry ").append(command.name).append(" [FLAGS]\n");
        FlagSet.wrap(s, command.description, "", WIDTH);
        return s.append("\nFlags:\n").append(flags.help(WIDTH)).toString();
    }

    /**
     * At least 4 carrier threads for virtual threads, unless {@value #CARRIERS} is set. A virtual thread that blocks
     * while the JVM loads a class for it keeps its carrier (JEP 491 leaves that case pinned); with one carrier per CPU,
     * two such threads on a 2-CPU machine leave none for an unmounted virtual thread that holds what they wait for,
     * and every virtual thread stops. Must run before the first virtual thread starts.
     */
    static void virtualThreadCarriers() {
        if (System.getProperty(CARRIERS) == null) {
            System.setProperty(CARRIERS, Integer.toString(Math.max(4, Runtime.getRuntime().availableProcessors())));
        }
    }

    /** {@code ferry version}. */
    static final class VersionCommand extends Command {
        VersionCommand() {
            super("version", "Print the Ferry version.");
        }

        @Override
        void run() {
            System.out.println("ferry " + VERSION + " (Kubernetes API v1.32)");
        }
    }
}
