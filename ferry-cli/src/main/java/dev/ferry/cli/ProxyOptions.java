package dev.ferry.cli;

import dev.ferry.proxy.ProxyConfig;
import dev.ferry.proxy.dataplane.DataPlaneConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Flags of the service proxy that runs with every node agent, shared by {@code up} and {@code agent}. */
final class ProxyOptions {
    boolean enabled = true;
    String minSyncPeriod = "100ms";
    String syncPeriod = "30s";
    int healthzPort = 10256;
    int metricsPort = 10249;
    String connectTimeout = "1s";
    int attempts = ProxyConfig.DEFAULT_MAX_CANDIDATES;
    String removedEndpointGrace;
    String udpIdleTimeout = "30s";

    void declare(FlagSet flags) {
        flags.toggle("--proxy", "Run the service proxy on this node (the default); --no-proxy: do not.",
                        on -> enabled = on)
                .string("--min-sync-period DURATION", "Least time between proxy syncs after a burst of two, e.g. "
                        + "100ms.", minSyncPeriod, v -> minSyncPeriod = v)
                .string("--sync-period DURATION", "Longest time between proxy syncs (retries addresses that could "
                        + "not be served).", syncPeriod, v -> syncPeriod = v)
                .integer("--proxy-healthz-port", "Port of the proxy's /healthz, /livez and /metrics on the node "
                        + "address; 0 picks a free one, -1 turns it off.", healthzPort, -1, 65535,
                        v -> healthzPort = v)
                .integer("--proxy-metrics-port", "Port of the proxy's /metrics (and /healthz) on 127.0.0.1; 0 picks a "
                        + "free one, -1 turns it off.", metricsPort, -1, 65535,
                        v -> metricsPort = v)
                .string("--proxy-connect-timeout DURATION", "Time to connect to an endpoint before the next one is "
                        + "tried.", connectTimeout, v -> connectTimeout = v)
                .integer("--proxy-endpoint-attempts", "Endpoints tried per new connection before the client is "
                        + "refused.", attempts, 1, Integer.MAX_VALUE, v -> attempts = v)
                .string("--proxy-removed-endpoint-grace DURATION", "Close TCP connections to an endpoint this long "
                        + "after it left its Service, e.g. 30s; unset leaves them to finish.", null,
                        v -> removedEndpointGrace = v)
                .string("--proxy-udp-idle-timeout DURATION", "UDP flows idle this long are forgotten.",
                        udpIdleTimeout, v -> udpIdleTimeout = v);
    }

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
