package dev.ferry.cli;

import dev.ferry.controllers.ControllerManager;
import dev.ferry.controllers.loadbalancer.ServiceLbController;
import java.time.Duration;

/** Flags of the controllers, shared by {@code up} and {@code server}. */
final class ControllerOptions {
    String podCidr = "127.244.0.0/16";
    int nodeCidrMaskSize = 24;
    int maxEndpointsPerSlice = 100;
    String nodeMonitorGracePeriod = "40s";
    String lbPool = ServiceLbController.Options.DEFAULT_POOL;

    void declare(FlagSet flags) {
        flags.string("--cluster-cidr CIDR", "Pod CIDR; each node gets a subnet of it.", podCidr, v -> podCidr = v)
                .integer("--node-cidr-mask-size", "Prefix length of each node's pod CIDR, e.g. 18 for 16,382 pod IPs "
                        + "per node.", nodeCidrMaskSize, 0, 32, v -> nodeCidrMaskSize = v)
                .integer("--max-endpoints-per-slice", "Endpoints per EndpointSlice, 1-1000.", maxEndpointsPerSlice,
                        1, 1000, v -> maxEndpointsPerSlice = v)
                .string("--node-monitor-grace-period DURATION", "How long a node may miss heartbeats before it is "
                        + "NotReady, e.g. 40s.", nodeMonitorGracePeriod, v -> nodeMonitorGracePeriod = v)
                .string("--lb-pool CIDR", "IPv4 CIDR that LoadBalancer Services get their address from.", lbPool,
                        v -> lbPool = v);
    }

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
