package dev.ferry.proxy.dataplane;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Settings of {@link NettyDataPlane}. {@link #defaults()} states the default of each.
 *
 * @param eventLoops event-loop threads; each owns its connections and UDP flows (an upstream connection runs on
 *     the loop of its client connection). Default: the available processors.
 * @param connectTimeout bound of one connection attempt to a backend. Default 1 s.
 * @param maxConnectAttempts distinct candidates of a {@link dev.ferry.proxy.route.Pick} tried before the client is
 *     reset, so a client waits at most {@code maxConnectAttempts × connectTimeout} for a backend. Default 3.
 * @param udpFlowIdleTimeout a UDP flow (client address:port → backend) with no datagram either way for this long is
 *     closed; its next datagram picks again. A sweep runs every quarter of it, so a flow closes between 1 and 1.5
 *     times this after its last datagram. Default 30 s (the kernel's conntrack timeout for unreplied UDP).
 * @param removedEndpointGrace TCP connections to a backend that the frontend's new route no longer serves are
 *     closed this long after the route changed (unless the backend is served again by then); null leaves them to
 *     finish, as kube-proxy does. UDP flows to such a backend are closed at once either way. Default null.
 * @param maxConnections open client TCP connections across all frontends; beyond it a new connection is reset at
 *     once. Each costs two file descriptors. Default: half the process's open-file limit less a reserve of 1024.
 * @param maxUdpFlows live UDP flows per frontend; a datagram that would open one more is dropped. Each costs one
 *     file descriptor. Default 4096.
 */
public record DataPlaneConfig(
        int eventLoops,
        Duration connectTimeout,
        int maxConnectAttempts,
        Duration udpFlowIdleTimeout,
        Duration removedEndpointGrace,
        int maxConnections,
        int maxUdpFlows) {

    public DataPlaneConfig {
        require(eventLoops >= 1, "eventLoops must be >= 1, got " + eventLoops);
        require(connectTimeout.toMillis() >= 1, "connectTimeout must be >= 1 ms, got " + connectTimeout);
        require(maxConnectAttempts >= 1, "maxConnectAttempts must be >= 1, got " + maxConnectAttempts);
        require(udpFlowIdleTimeout.toMillis() >= 4, "udpFlowIdleTimeout must be >= 4 ms, got " + udpFlowIdleTimeout);
        require(removedEndpointGrace == null || !removedEndpointGrace.isNegative(),
                "removedEndpointGrace must not be negative, got " + removedEndpointGrace);
        require(maxConnections >= 1, "maxConnections must be >= 1, got " + maxConnections);
        require(maxUdpFlows >= 1, "maxUdpFlows must be >= 1, got " + maxUdpFlows);
    }

    /** The defaults stated on each component. */
    public static DataPlaneConfig defaults() {
        return new DataPlaneConfig(
                Runtime.getRuntime().availableProcessors(),
                Duration.ofSeconds(1),
                3,
                Duration.ofSeconds(30),
                null,
                connectionsForFileLimit(openFileLimit()),
                4096);
    }

    public DataPlaneConfig withEventLoops(int n) {
        return new DataPlaneConfig(n, connectTimeout, maxConnectAttempts, udpFlowIdleTimeout, removedEndpointGrace,
                maxConnections, maxUdpFlows);
    }

    public DataPlaneConfig withConnectTimeout(Duration d) {
        return new DataPlaneConfig(eventLoops, d, maxConnectAttempts, udpFlowIdleTimeout, removedEndpointGrace,
                maxConnections, maxUdpFlows);
    }

    public DataPlaneConfig withUdpFlowIdleTimeout(Duration d) {
        return new DataPlaneConfig(eventLoops, connectTimeout, maxConnectAttempts, d, removedEndpointGrace,
                maxConnections, maxUdpFlows);
    }

    public DataPlaneConfig withRemovedEndpointGrace(Duration d) {
        return new DataPlaneConfig(eventLoops, connectTimeout, maxConnectAttempts, udpFlowIdleTimeout, d,
                maxConnections, maxUdpFlows);
    }

    public DataPlaneConfig withMaxConnections(int n) {
        return new DataPlaneConfig(eventLoops, connectTimeout, maxConnectAttempts, udpFlowIdleTimeout,
                removedEndpointGrace, n, maxUdpFlows);
    }

    public DataPlaneConfig withMaxUdpFlows(int n) {
        return new DataPlaneConfig(eventLoops, connectTimeout, maxConnectAttempts, udpFlowIdleTimeout,
                removedEndpointGrace, maxConnections, n);
    }

    /** Client connections that fit in {@code fileLimit} descriptors: two each, after a reserve of 1024; at least 64. */
    static int connectionsForFileLimit(long fileLimit) {
        return (int) Math.max(64, Math.min(Integer.MAX_VALUE, (fileLimit - 1024) / 2));
    }

    /** The soft open-file limit of this process, or 65536 when the platform does not tell. */
    static long openFileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return 65536;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
