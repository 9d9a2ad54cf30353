package dev.ferry.cli;

import dev.ferry.proxy.ProxyConfig;
import dev.ferry.proxy.dataplane.DataPlaneConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags of the service proxy that runs with every node agent, shared by {@code up} and {@code agent}. */
final class ProxyOptions {
    // picocli gives a negatable option's own name the opposite of the field's default: so the name is --no-proxy
    @Option(names = "--no-proxy", negatable = true, description = "Do not run the service proxy on this node "
            + "(--proxy: run it, the default).")
    boolean enabled = true;

    @Option(names = "--min-sync-period", description = "Least time between proxy syncs after a burst of two, e.g. "
            + "100ms (default: ${DEFAULT-VALUE}).")
    String minSyncPeriod = "100ms";

    @Option(names = "--sync-period", description = "Longest time between proxy syncs (retries addresses that could "
            + "not be served) (default: ${DEFAULT-VALUE}).")
    String syncPeriod = "30s";

    @Option(names = "--proxy-healthz-port", description = "Port of the proxy's /healthz, /livez and /metrics on the "
            + "node address; 0 picks a free one, -1 turns it off (default: ${DEFAULT-VALUE}).")
    int healthzPort = 10256;

    @Option(names = "--proxy-metrics-port", description = "Port of the proxy's /metrics (and /healthz) on "
            + "127.0.0.1; 0 picks a free one, -1 turns it off (default: ${DEFAULT-VALUE}).")
    int metricsPort = 10249;

    @Option(names = "--proxy-connect-timeout", description = "Time to connect to an endpoint before the next one is "
            + "tried (default: ${DEFAULT-VALUE}).")
    String connectTimeout = "1s";

    @Option(names = "--proxy-endpoint-attempts", description = "Endpoints tried per new connection before the client "
            + "is refused (default: ${DEFAULT-VALUE}).")
    int attempts = ProxyConfig.DEFAULT_MAX_CANDIDATES;

    @Option(names = "--proxy-removed-endpoint-grace", description = "Close TCP connections to an endpoint this long "
            + "after it left its Service, e.g. 30s; unset leaves them to finish.")
    String removedEndpointGrace;

    @Option(names = "--proxy-udp-idle-timeout", description = "UDP flows idle this long are forgotten "
            + "(default: ${DEFAULT-VALUE}).")
    String udpIdleTimeout = "30s";

    ProxyConfig config(String nodeName, String nodeIp) {
        InetAddress ip = Flags.inet("--node-ip", nodeIp);
        return new ProxyConfig(nodeName, List.of(ip),
                ControllerOptions.Durations.parse("--min-sync-period", minSyncPeriod),
                positive("--sync-period", syncPeriod), attempts,
                healthzPort < 0 ? null : new InetSocketAddress(ip, healthzPort),
                metricsPort < 0 ? null : new InetSocketAddress(InetAddress.getLoopbackAddress(), metricsPort));
    }

    DataPlaneConfig dataPlane() {
        DataPlaneConfig d = DataPlaneConfig.defaults();
        return new DataPlaneConfig(d.eventLoops(), positive("--proxy-connect-timeout", connectTimeout), attempts,
                positive("--proxy-udp-idle-timeout", udpIdleTimeout),
                removedEndpointGrace == null ? null
                        : ControllerOptions.Durations.parse("--proxy-removed-endpoint-grace", removedEndpointGrace),
                d.maxConnections(), d.maxUdpFlows());
    }

    private static Duration positive(String flag, String text) {
        Duration d = ControllerOptions.Durations.parse(flag, text);
        if (d.isZero()) {
            throw new IllegalArgumentException(flag + " must be positive");
        }
        return d;
    }
}
