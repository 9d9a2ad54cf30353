package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves bytes: accepts TCP connections and UDP datagrams on frontends and forwards them to the backends their
 * route picks. Only the sync thread calls {@link #update} and {@link #apply}; everything else is thread-safe.
 */
public interface DataPlane extends AutoCloseable {

    /**
     * Applies a change set. An entry with a route serves its frontend: binds it when new, or atomically replaces the
     * route of a kept one (the same route object as before costs nothing). An entry with null stops serving it: its
     * socket closes; established TCP connections are handled per the removal policy, its UDP flows close. Frontends
     * not named are left alone, except that those whose bind failed before are tried again. TCP connections whose
     * backend the new route no longer {@link Route#serves serves} are left to finish or closed after the configured
     * grace; such UDP flows close at once. Costs in proportion to the changes.
     *
     * @return every frontend wanted but not served, with the cause of its last bind failure (e.g. the port is in use
     *     or privileged)
     */
    Map<Frontend, Exception> update(Map<Frontend, Route> changes);

    /** The frontends wanted: served, or waiting to be bound again. */
    Set<Frontend> frontends();

    /**
     * Makes the wanted frontends exactly the keys of {@code routes}: {@link #update} with every route and a removal
     * for each frontend not among them. Costs in proportion to all frontends; the sync loop uses {@link #update}.
     */
    default Map<Frontend, Exception> apply(Map<Frontend, Route> routes) {
        Map<Frontend, Route> changes = new HashMap<>(routes);
        for (Frontend f : frontends()) {
            if (!routes.containsKey(f)) {
                changes.put(f, null);
            }
        }
        return update(changes);
    }

    /** Live per-backend traffic counters, for {@code /metrics}. */
    List<BackendTraffic> traffic();

    @Override
    void close();
}
