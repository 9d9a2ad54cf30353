package dev.ferry.bench;

import dev.ferry.proxy.dataplane.BackendTraffic;
import dev.ferry.proxy.dataplane.DataPlane;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Route;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data plane that serves nothing and costs nothing: {@code --data-plane none} measures the proxy's control plane
 * (informer event → sync done) without the real data plane's update, to tell the two costs apart.
 */
final class NullDataPlane implements DataPlane {
    @Override
    public Map<Frontend, Exception> update(Map<Frontend, Route> changes) {
        return Map.of();
    }

    @Override
    public Set<Frontend> frontends() {
        return Set.of();
    }

    @Override
    public List<BackendTraffic> traffic() {
        return List.of();
    }

    @Override
    public void close() {
    }
}
