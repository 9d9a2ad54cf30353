package dev.ferry.cli;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ferry} command. */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Kubernetes Services, implemented in Java.",
        subcommands = {UpCommand.class, ServerCommand.class, AgentCommand.class, Main.VersionCommand.class, WarmupCommand.class})
public final class Main implements Runnable {
    public static final String VERSION = "0.1.0";
    private static final String CARRIERS = "jdk.virtualThreadScheduler.parallelism";

    public static void main(String[] args) {
        virtualThreadCarriers();
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("ferry: " + ex.getMessage()
                    + " (see 'ferry " + ex.getCommandLine().getCommandName() + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("ferry: " + ex.getMessage());
            LoggerFactory.getLogger(Main.class).debug("command failed", ex);
            return 1;
        });
        System.exit(cli.execute(args));
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

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "version", description = "Print the Ferry version.")
    static final class VersionCommand implements Runnable {
        @Override
        public void run() {
            System.out.println("ferry " + VERSION + " (Kubernetes API v1.32)");
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ferry " + VERSION};
        }
    }
}
