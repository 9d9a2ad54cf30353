package dev.ferry.cli;

import java.nio.file.Path;

/** {@code ferry agent}: one more node for a cluster. */
final class AgentCommand extends Command {
    private String server;
    private Path dataDir = Path.of(System.getProperty("user.home"), ".ferry");
    private final AgentOptions agent = new AgentOptions();
    private final ProxyOptions proxy = new ProxyOptions();
    private final DomainOption domain = new DomainOption();

    AgentCommand() {
        super("agent", "Run a node agent: registers a node and runs the pods bound to it.");
    }

    @Override
    void declare(FlagSet flags) {
        flags.required("--server URL", "API server URL, e.g. http://127.0.0.1:6443.", v -> server = v);
        flags.string("--data-dir DIR", "Where the agent keeps pod state and logs (default: ~/.ferry).", null,
                v -> dataDir = Path.of(v));
        agent.declare(flags);
        proxy.declare(flags);
        domain.declare(flags);
    }

    @Override
    void run() throws Exception {
        agent.clusterDomain = domain.clusterDomain;
        Cluster.startAgent(server, dataDir, agent, proxy, "Ferry agent is ready").awaitShutdown();
    }
}
