package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ferry server}: the control plane: API server, store and controllers. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the control plane: API server and controllers "
        + "(nodes join with ferry agent).")
final class ServerCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Mixin
    ControllerOptions controllers = new ControllerOptions();

    @Mixin
    DnsOptions dns = new DnsOptions();

    @Mixin
    DomainOption domain = new DomainOption();

    @Override
    public Integer call() throws Exception {
        Cluster.start(options, controllers, null, null, dns, domain.clusterDomain, "Ferry API server is ready")
                .awaitShutdown();
        return 0;
    }
}
