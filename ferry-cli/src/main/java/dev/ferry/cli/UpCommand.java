package dev.ferry.cli;

/** {@code ferry up}: a whole cluster in one process. */
final class UpCommand extends Command {
    private final ServerOptions options = new ServerOptions();
    private final ControllerOptions controllers = new ControllerOptions();
    private final AgentOptions agent = new AgentOptions();
    private final ProxyOptions proxy = new ProxyOptions();
    private final DnsOptions dns = new DnsOptions();
    private final DomainOption domain = new DomainOption();

    UpCommand() {
        super("up", "Start a whole cluster in this process (API server, controllers and a node agent) and write "
                + "DATA_DIR/kubeconfig.");
    }

    @Override
    void declare(FlagSet flags) {
        options.declare(flags);
        controllers.declare(flags);
        agent.declare(flags);
        proxy.declare(flags);
        dns.declare(flags);
        domain.declare(flags);
    }

    @Override
    void run() throws Exception {
        agent.clusterDomain = domain.clusterDomain;
        Cluster.start(options, controllers, agent, proxy, dns, domain.clusterDomain, "Ferry is ready")
                .awaitShutdown();
    }
}
