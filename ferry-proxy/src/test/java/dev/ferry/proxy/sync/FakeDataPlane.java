package dev.ferry.proxy.sync;

import dev.ferry.proxy.dataplane.BackendTraffic;
import dev.ferry.proxy.dataplane.DataPlane;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data plane that keeps the wanted frontends as {@link DataPlane#update} defines them, records every change set
 * and the state after it, and fails the frontends it is told to.
 */
final class FakeDataPlane implements DataPlane {
    /** The wanted frontends and their routes after each update. */
    final List<Map<Frontend, Route>> applied = new ArrayList<>();
    /** Each change set received (a null route is a removal). */
    final List<Map<Frontend, Route>> changeSets = new ArrayList<>();
    final Map<Frontend, Exception> failing = new HashMap<>();
    private final Map<Frontend, Route> wanted = new HashMap<>();
    RuntimeException throwOnApply;
    boolean closed;

    @Override
    public Map<Frontend, Exception> update(Map<Frontend, Route> changes) {
        if (throwOnApply != null) {
            throw throwOnApply;
        }
        changeSets.add(new HashMap<>(changes));
        changes.forEach((f, r) -> {
            if (r == null) {
                wanted.remove(f);
            } else {
                wanted.put(f, r);
            }
        });
        applied.add(Map.copyOf(wanted));
        Map<Frontend, Exception> out = new HashMap<>();
        failing.forEach((f, e) -> {
            if (wanted.containsKey(f)) {
                out.put(f, e);
            }
        });
        return out;
    }

    @Override
    public Set<Frontend> frontends() {
        return Set.copyOf(wanted.keySet());
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
