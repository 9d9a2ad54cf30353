package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ferry server}: the control plane alone (API server and its store). */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the API server.")
final class ServerCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public Integer call() throws Exception {
        Cluster.start(options, "Ferry API server is ready").awaitShutdown();
        return 0;
    }
}
