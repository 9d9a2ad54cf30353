package dev.ferry.cli;

/** {@code ferry server}: the control plane: API server, store and controllers. */
final class ServerCommand implements Command {
    private final ServerOptions options = new ServerOptions();
    private final ControllerOptions controllers = new ControllerOptions();
    private final DnsOptions dns = new DnsOptions();
    private final DomainOption domain = new DomainOption();

    @Override
    public String name() {
        return "server";
    }

    @Override
    public String description() {
        return "Run the control plane: API server and controllers (nodes join with ferry agent).";
    }

    @Override
    public void declare(FlagSet flags) {
        options.declare(flags);
        controllers.declare(flags);
        dns.declare(flags);
        domain.declare(flags);
    }

    @Override
    public void run() throws Exception {
        Cluster.start(options, controllers, null, null, dns, domain.clusterDomain, "Ferry API server is ready")
                .awaitShutdown();
    }
}
