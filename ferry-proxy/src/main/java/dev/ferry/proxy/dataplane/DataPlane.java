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
     * established TCP connections are handled per the removal policy below; their UDP flows close with the frontend
     * socket), and atomically replaces the route of kept ones. TCP connections whose backend the new route no longer
     * {@link Route#serves serves} are handled per the configured removal policy (left to finish, or closed after a
     * grace); such UDP flows close at once. A route that is the same object as before costs nothing. Idempotent.
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
