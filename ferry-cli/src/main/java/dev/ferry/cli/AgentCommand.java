package dev.ferry.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ferry agent}: one more node for a cluster. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run a node agent: registers a node and runs the pods bound to it.")
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "API server URL, e.g. http://127.0.0.1:6443.")
    String server;

    @Option(names = "--data-dir", description = "Where the agent keeps pod state and logs (default: ~/.ferry).")
    Path dataDir = Path.of(System.getProperty("user.home"), ".ferry");

    @Mixin
    AgentOptions agent = new AgentOptions();

    @Mixin
    ProxyOptions proxy = new ProxyOptions();

    @Mixin
    DomainOption domain = new DomainOption();

    @Override
    public Integer call() throws Exception {
        agent.clusterDomain = domain.clusterDomain;
        Cluster.startAgent(server, dataDir, agent, proxy, "Ferry agent is ready").awaitShutdown();
        return 0;
    }
}
