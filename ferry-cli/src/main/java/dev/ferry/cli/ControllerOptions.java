package dev.ferry.cli;

import dev.ferry.controllers.ControllerManager;
import dev.ferry.controllers.loadbalancer.ServiceLbController;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Flags of the controllers, shared by {@code up} and {@code server}. */
final class ControllerOptions {
    @Option(names = "--cluster-cidr", description = "Pod CIDR; each node gets a subnet of it (default: ${DEFAULT-VALUE}).")
    String podCidr = "127.244.0.0/16";

    @Option(names = "--node-cidr-mask-size", description = "Prefix length of each node's pod CIDR, e.g. 18 for "
            + "16,382 pod IPs per node (default: ${DEFAULT-VALUE}).")
    int nodeCidrMaskSize = 24;

    @Option(names = "--max-endpoints-per-slice", description = "Endpoints per EndpointSlice, 1-1000 (default: "
            + "${DEFAULT-VALUE}).")
    int maxEndpointsPerSlice = 100;

    @Option(names = "--node-monitor-grace-period", description = "How long a node may miss heartbeats before it is "
            + "NotReady, e.g. 40s (default: ${DEFAULT-VALUE}).")
    String nodeMonitorGracePeriod = "40s";

    @Option(names = "--lb-pool", description = "IPv4 CIDR that LoadBalancer Services get their address from "
            + "(default: ${DEFAULT-VALUE}).")
    String lbPool = ServiceLbController.Options.DEFAULT_POOL;

    /** The controllers' configuration; a malformed flag is an IllegalArgumentException naming it. */
    ControllerManager.Config config() {
        return new ControllerManager.Config(podCidr, maxEndpointsPerSlice,
                Durations.parse("--node-monitor-grace-period", nodeMonitorGracePeriod), nodeCidrMaskSize, lbPool);
    }

    /** Go-style durations as Kubernetes flags take them: "40s", "500ms", "2m", "1h". */
    static final class Durations {
        private Durations() {
        }

        static Duration parse(String flag, String text) {
            var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException(flag + " must be a duration like 40s, 500ms or 2m, got " + text);
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
    }
}
