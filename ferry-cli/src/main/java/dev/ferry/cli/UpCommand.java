package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ferry up}: a whole cluster in one process. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a whole cluster in this process and write DATA_DIR/kubeconfig.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public Integer call() throws Exception {
        Cluster.start(options, "Ferry is ready").awaitShutdown();
        return 0;
    }
}
