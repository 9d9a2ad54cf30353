package dev.ferry.proxy.sync;

import dev.ferry.proxy.dataplane.BackendTraffic;
import dev.ferry.proxy.dataplane.DataPlane;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A data plane that records every apply and fails the frontends it is told to. */
final class FakeDataPlane implements DataPlane {
    final List<Map<Frontend, Route>> applied = new ArrayList<>();
    final Map<Frontend, Exception> failing = new HashMap<>();
    RuntimeException throwOnApply;
    boolean closed;

    @Override
    public Map<Frontend, Exception> apply(Map<Frontend, Route> routes) {
        if (throwOnApply != null) {
            throw throwOnApply;
        }
        applied.add(Map.copyOf(routes));
        Map<Frontend, Exception> out = new HashMap<>();
        failing.forEach((f, e) -> {
            if (routes.containsKey(f)) {
                out.put(f, e);
            }
        });
        return out;
    }

    Map<Frontend, Route> last() {
        return applied.get(applied.size() - 1);
    }

    @Override
    public List<BackendTraffic> traffic() {
        return List.of();
    }

    @Override
    public void close() {
        closed = true;
    }
}
