package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.ServicePortName;

/**
 * Traffic of one service port to one backend since the proxy started.
 *
 * @param activeConnections open TCP connections and live UDP flows
 * @param totalConnections TCP connections and UDP flows ever established
 * @param bytesToBackend payload bytes forwarded client → backend
 * @param bytesToClient payload bytes forwarded backend → client
 */
public record BackendTraffic(
        ServicePortName servicePort,
        Backend backend,
        long activeConnections,
        long totalConnections,
        long bytesToBackend,
        long bytesToClient) {}
