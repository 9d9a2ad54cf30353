package dev.ferry.proxy.plan;

import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Route;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Every Service's wanted frontends merged into the one map the data plane serves. A frontend two Services want (say,
 * overlapping externalIPs) belongs to the Service that claimed it first; the others wait in claim order and take
 * over when it lets go. The table also keeps what changed in {@link #active()} since the data plane last took the
 * changes, so a sync costs in proportion to what changed, not to the number of frontends. Not thread-safe; the
 * sync loop owns it.
 */
public final class FrontendTable {
    private final Map<String, Map<Frontend, ? extends Route>> wanted = new HashMap<>();
    private final Map<Frontend, LinkedHashSet<String>> claims = new HashMap<>();
    private final Map<Frontend, Route> active = new HashMap<>();
    private final Map<Frontend, Route> view = Collections.unmodifiableMap(active);
    /** Frontends whose active route changed since {@link #changesApplied}: the new route, or null when gone. */
    private final Map<Frontend, Route> changes = new HashMap<>();
    private final Map<Frontend, Route> changesView = Collections.unmodifiableMap(changes);

    /** Replaces the frontends {@code serviceKey} wants (empty to drop them all). */
    public void put(String serviceKey, Map<Frontend, ? extends Route> routes) {
        Map<Frontend, ? extends Route> before = routes.isEmpty() ? wanted.remove(serviceKey)
                : wanted.put(serviceKey, Map.copyOf(routes));
        if (before != null) {
            for (Frontend f : before.keySet()) {
                if (!routes.containsKey(f)) {
                    release(f, serviceKey);
                }
            }
        }
        for (Map.Entry<Frontend, ? extends Route> e : routes.entrySet()) {
            LinkedHashSet<String> owners = claims.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>());
            owners.add(serviceKey);
            if (owners.iterator().next().equals(serviceKey)) {
                activate(e.getKey(), e.getValue());
            }
        }
    }

    private void release(Frontend f, String serviceKey) {
        LinkedHashSet<String> owners = claims.get(f);
        if (owners == null) {
            return;
        }
        boolean wasOwner = owners.iterator().next().equals(serviceKey);
        owners.remove(serviceKey);
        if (owners.isEmpty()) {
            claims.remove(f);
            activate(f, null);
        } else if (wasOwner) {
            activate(f, wanted.get(owners.iterator().next()).get(f));
        }
    }

    private void activate(Frontend f, Route route) {
        Route before = route == null ? active.remove(f) : active.put(f, route);
        if (before != route) {
            changes.put(f, route);
        }
    }

    /**
     * What changed in {@link #active()} since the last {@link #changesApplied}: each frontend's new route, or null
     * for a frontend no longer served (a live read-only view).
     */
    public Map<Frontend, Route> changes() {
        return changesView;
    }

    /** The data plane has taken {@link #changes()}; until then they accumulate (say, across a failed sync). */
    public void changesApplied() {
        changes.clear();
    }

    /** The frontends to serve and their routes: a live read-only view. */
    public Map<Frontend, Route> active() {
        return view;
    }

    /** Frontends {@code serviceKey} wants but another Service holds, with the holder's key. */
    public Map<Frontend, String> conflicts(String serviceKey) {
        Map<Frontend, ? extends Route> routes = wanted.get(serviceKey);
        if (routes == null) {
            return Map.of();
        }
        Map<Frontend, String> out = new HashMap<>();
        for (Frontend f : routes.keySet()) {
            String owner = claims.get(f).iterator().next();
            if (!owner.equals(serviceKey)) {
                out.put(f, owner);
            }
        }
        return out;
    }

    /** The Service that holds {@code f}, or null. */
    public String owner(Frontend f) {
        LinkedHashSet<String> owners = claims.get(f);
        return owners == null ? null : owners.iterator().next();
    }

    public List<String> serviceKeys() {
        return new ArrayList<>(wanted.keySet());
    }
}
