package dev.ferry.cli;

/** {@code ferry server}: the control plane: API server, store and controllers. */
final class ServerCommand extends Command {
    private final ServerOptions options = new ServerOptions();
    private final ControllerOptions controllers = new ControllerOptions();
    private final DnsOptions dns = new DnsOptions();
    private final DomainOption domain = new DomainOption();

    ServerCommand() {
        super("server", "Run the control plane: API server and controllers (nodes join with ferry agent).");
    }

    @Override
    void declare(FlagSet flags) {
        options.declare(flags);
        controllers.declare(flags);
        dns.declare(flags);
        domain.declare(flags);
    }

    @Override
    void run() throws Exception {
        Cluster.start(options, controllers, null, null, dns, domain.clusterDomain, "Ferry API server is ready")
                .awaitShutdown();
    }
}
