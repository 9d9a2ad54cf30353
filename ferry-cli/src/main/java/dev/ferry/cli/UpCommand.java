package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ferry up}: a whole cluster in one process. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a whole cluster in this process (API server, controllers and a node agent) and write "
                + "DATA_DIR/kubeconfig.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Mixin
    ControllerOptions controllers = new ControllerOptions();

    @Mixin
    AgentOptions agent = new AgentOptions();

    @Mixin
    ProxyOptions proxy = new ProxyOptions();

    @Mixin
    DnsOptions dns = new DnsOptions();

    @Mixin
    DomainOption domain = new DomainOption();

    @Override
    public Integer call() throws Exception {
        agent.clusterDomain = domain.clusterDomain;
        Cluster.start(options, controllers, agent, proxy, dns, domain.clusterDomain, "Ferry is ready")
                .awaitShutdown();
        return 0;
    }
}
