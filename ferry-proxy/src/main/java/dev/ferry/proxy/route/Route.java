package dev.ferry.proxy.route;

import java.net.InetSocketAddress;

/**
 * What one frontend does with new traffic. A route is immutable as far as the data plane can tell: each sync
 * replaces it whole; the data plane reads the current route once per new connection or flow. Implementations are
 * thread-safe (several event loops pick concurrently).
 */
public interface Route {

    ServicePortName servicePort();

    /** Backends to try for a new connection or UDP flow from {@code client}, best first; {@link Pick#REFUSE} to refuse. */
    Pick pick(InetSocketAddress client);

    /** Records that the connection or flow from {@code client} reached {@code backend} (for session affinity). */
    void connected(InetSocketAddress client, Backend backend);

    /** Whether {@code backend} is still a backend of this route; traffic to others is on a removed endpoint. */
    boolean serves(Backend backend);
}
