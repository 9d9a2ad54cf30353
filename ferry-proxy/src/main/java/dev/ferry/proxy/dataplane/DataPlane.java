package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Route;
import java.util.List;
import java.util.Map;

/**
 * Moves bytes: accepts TCP connections and UDP datagrams on frontends and forwards them to the backends their
 * route picks. Only the sync thread calls {@link #apply}; everything else is thread-safe.
 */
public interface DataPlane extends AutoCloseable {

    /**
     * Makes the served frontends exactly the keys of {@code routes}: binds new ones, closes gone ones (their
     * established connections are left to finish), and atomically replaces the route of kept ones. Connections and
     * UDP flows whose backend the new route no longer {@link Route#serves serves} are handled per the configured
     * removal policy. Idempotent.
     *
     * @return the frontends that could not be bound, with the cause (e.g. the port is in use or privileged); they are
     *     not served, and the next apply tries them again
     */
    Map<Frontend, Exception> apply(Map<Frontend, Route> routes);

    /** Live per-backend traffic counters, for {@code /metrics}. */
    List<BackendTraffic> traffic();

    @Override
    void close();
}
