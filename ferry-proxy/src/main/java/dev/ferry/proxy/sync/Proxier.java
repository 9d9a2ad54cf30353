package dev.ferry.proxy.sync;

import dev.ferry.proxy.dataplane.DataPlane;
import dev.ferry.proxy.model.EndpointInfo;
import dev.ferry.proxy.model.EndpointSliceCache;
import dev.ferry.proxy.model.NodeDirectory;
import dev.ferry.proxy.model.ServicePortInfo;
import dev.ferry.proxy.model.ServicePorts;
import dev.ferry.proxy.plan.FrontendTable;
import dev.ferry.proxy.plan.RouteContext;
import dev.ferry.proxy.plan.ServiceRoutes;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.ServicePortName;
import dev.ferry.proxy.route.ServicePortState;
import dev.ferry.proxy.route.ServiceRoute;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The proxy's control loop, the kube-proxy way: informer callbacks only record which Services changed (coalescing
 * per Service); {@link #sync} rebuilds the routes of exactly those Services from the cached Services and
 * EndpointSlices and hands the merged frontend table to the data plane in one idempotent step. A failed sync marks
 * everything for a full rebuild on the next run.
 */
public final class Proxier {
    public static final String TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";

    private final DataPlane dataPlane;
    private final String selfNode;
    private final ServiceEvents events;
    private final HealthChecks healthChecks;
    private final SyncMetrics metrics;
    private final Clock clock;
    private final Runnable onChange;

    // change tracking, guarded by this
    private final Map<String, Service> services = new HashMap<>();
    private final EndpointSliceCache slices = new EndpointSliceCache();
    private final Map<String, List<Instant>> triggerTimes = new HashMap<>();
    /** When the proxy first saw a not yet served change of each Service (monotonic nanoseconds). */
    private final Map<String, Long> seen = new HashMap<>();
    private Set<String> dirty = new HashSet<>();
    private boolean full = true;
    private Collection<Node> pendingNodes;

    // sync state, sync thread only
    private RouteContext ctx;
    private final FrontendTable table = new FrontendTable();
    private final Map<ServicePortName, ServicePortState> states = new HashMap<>();
    /** Service ports with ClientIP affinity now. */
    private final Set<ServicePortName> affinityPorts = new HashSet<>();
    /**
     * The states whose pins a sync expires: those of {@link #affinityPorts}, and those that lost affinity until their
     * last pin expires. Kept apart from {@link #states} so that a sync does not visit every service port.
     */
    private final Map<ServicePortName, ServicePortState> pinning = new HashMap<>();
    private final Map<String, Set<ServicePortName>> portsByService = new HashMap<>();
    private final Map<String, Map<Integer, HealthChecks.Target>> healthByService = new HashMap<>();
    private final Map<String, String> reported = new HashMap<>();
    private volatile boolean healthy;
    private volatile int frontends;

    /** @param onChange called after every recorded change, to ask for a sync (coalesced by the caller) */
    public Proxier(DataPlane dataPlane, RouteContext ctx, String selfNode, ServiceEvents events,
            HealthChecks healthChecks, SyncMetrics metrics, Clock clock, Runnable onChange) {
        this.dataPlane = dataPlane;
        this.ctx = ctx;
        this.selfNode = selfNode;
        this.events = events;
        this.healthChecks = healthChecks;
        this.metrics = metrics;
        this.clock = clock;
        this.onChange = onChange;
    }

    public void onService(Service s, boolean deleted) {
        String key = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
        synchronized (this) {
            if (deleted) {
                services.remove(key);
            } else {
                services.put(key, s);
            }
            dirty.add(key);
            seen.putIfAbsent(key, System.nanoTime());
        }
        onChange.run();
    }

    public void onSlice(EndpointSlice slice, boolean deleted) {
        synchronized (this) {
            String key = deleted ? slices.delete(slice) : slices.update(slice);
            if (key == null) {
                return;
            }
            dirty.add(key);
            seen.putIfAbsent(key, System.nanoTime());
            Instant t = triggerTime(slice);
            if (t != null && !deleted) {
                triggerTimes.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
            }
        }
        onChange.run();
    }

    /** All current Nodes (for the client-to-node directory); rebuilds every route. */
    public void onNodes(Collection<Node> nodes) {
        synchronized (this) {
            pendingNodes = List.copyOf(nodes);
        }
        onChange.run();
    }

    /** True once a sync has succeeded and no later one failed (kube-proxy's serviceProxyHealthy). */
    public boolean healthy() {
        return healthy;
    }

    /** Frontends served after the last sync. */
    public int frontends() {
        return frontends;
    }

    /** Service ports whose affinity pins a sync expires (for tests; sync thread only). */
    int pinningPorts() {
        return pinning.size();
    }

    /** @param created the Service's creationTimestamp; {@link Instant#MAX} when gone or unknown */
    private record Inputs(List<ServicePortInfo> ports, Map<String, List<EndpointInfo>> endpoints, Instant created) {}

    /**
     * Rebuild order: older Services first, so that when Services first seen in the same sync (say, after a restart)
     * want the same frontend, the oldest holds it, as it did before, whatever the map order.
     */
    private static final Comparator<Map.Entry<String, Inputs>> OLDEST_FIRST = Comparator
            .comparing((Map.Entry<String, Inputs> e) -> e.getValue().created())
            .thenComparing(Map.Entry::getKey);

    /** Programs every recorded change. Only the sync thread calls it. */
    public void sync() {
        long start = System.nanoTime();
        Map<String, Inputs> inputs = new HashMap<>();
        Map<String, List<Instant>> triggers = new HashMap<>();
        List<Long> seenAt = new ArrayList<>();
        try {
            collect(inputs, triggers, seenAt);
            for (Map.Entry<String, Inputs> e : inputs.entrySet().stream().sorted(OLDEST_FIRST).toList()) {
                rebuild(e.getKey(), e.getValue());
            }
            Map<Frontend, Exception> failures = dataPlane.update(table.changes());
            table.changesApplied();
            frontends = table.active().size() - failures.size();
            Map<Integer, HealthChecks.Target> health = new TreeMap<>();
            healthByService.values().forEach(health::putAll);
            healthChecks.sync(health);
            report(inputs.keySet(), failures);
            expirePins(ctx.nanoClock().getAsLong());
            healthy = true;
        } catch (RuntimeException e) {
            synchronized (this) {
                full = true;
            }
            healthy = false;
            metrics.syncFailed();
            throw e;
        }
        long applied = System.nanoTime();
        for (long at : seenAt) {
            metrics.changeLatency(Duration.ofNanos(applied - at));
        }
        Instant done = clock.instant();
        for (List<Instant> ts : triggers.values()) {
            for (Instant t : ts) {
                metrics.programmingLatency(Duration.between(t, done));
            }
        }
        metrics.syncDuration(Duration.ofNanos(System.nanoTime() - start));
    }

    /** Takes the recorded changes: the inputs of every Service to rebuild, their trigger and first-seen times. */
    private synchronized void collect(Map<String, Inputs> inputs, Map<String, List<Instant>> triggers,
            List<Long> seenAt) {
        if (pendingNodes != null) {
            ctx = ctx.withNodes(NodeDirectory.of(selfNode, pendingNodes));
            pendingNodes = null;
            full = true;
        }
        Set<String> keys = dirty;
        if (full) {
            keys = new HashSet<>(services.keySet());
            keys.addAll(slices.serviceKeys());
            keys.addAll(table.serviceKeys());
        }
        dirty = new HashSet<>();
        full = false;
        for (String key : keys) {
            Service s = services.get(key);
            List<ServicePortInfo> ports = s == null ? List.of() : ServicePorts.of(s);
            inputs.put(key, new Inputs(ports, ports.isEmpty() ? Map.of() : slices.endpoints(key),
                    created(s)));
            Long at = seen.remove(key);
            if (at != null) {
                seenAt.add(at);
            }
            List<Instant> t = triggerTimes.remove(key);
            if (t != null) {
                triggers.put(key, t);
            }
        }
    }

    private void rebuild(String key, Inputs in) {
        Set<ServicePortName> names = in.ports().stream().map(ServicePortInfo::name).collect(Collectors.toSet());
        Set<ServicePortName> before = portsByService.getOrDefault(key, Set.of());
        for (ServicePortName gone : before) {
            if (!names.contains(gone)) {
                states.remove(gone);
                affinityPorts.remove(gone);
                pinning.remove(gone);
            }
        }
        if (names.isEmpty()) {
            portsByService.remove(key);
        } else {
            portsByService.put(key, names);
        }
        Map<Frontend, ServiceRoute> routes = ServiceRoutes.build(in.ports(), in.endpoints(), ctx,
                n -> states.computeIfAbsent(n, x -> new ServicePortState()));
        table.put(key, routes);
        for (ServicePortInfo p : in.ports()) {
            if (p.affinityTimeout() != null) {
                affinityPorts.add(p.name());
                pinning.put(p.name(), states.computeIfAbsent(p.name(), x -> new ServicePortState()));
            } else {
                affinityPorts.remove(p.name());
            }
        }
        Map<Integer, HealthChecks.Target> health = healthTargets(key, in);
        if (health.isEmpty()) {
            healthByService.remove(key);
        } else {
            healthByService.put(key, health);
        }
    }

    /** Forgets expired affinity pins; a service port without affinity leaves the set once it has no pin left. */
    private void expirePins(long now) {
        for (Iterator<Map.Entry<ServicePortName, ServicePortState>> it = pinning.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ServicePortName, ServicePortState> e = it.next();
            e.getValue().expire(now);
            if (!affinityPorts.contains(e.getKey()) && !e.getValue().hasPins()) {
                it.remove();
            }
        }
    }

    private Map<Integer, HealthChecks.Target> healthTargets(String key, Inputs in) {
        Map<Integer, HealthChecks.Target> out = new HashMap<>();
        for (ServicePortInfo p : in.ports()) {
            if (p.externalLocal() && p.healthCheckNodePort() != 0) {
                // as kube-proxy's LocalReadyEndpoints: ready local endpoints summed over the slices' ports
                int local = 0;
                for (List<EndpointInfo> list : in.endpoints().values()) {
                    local += (int) list.stream().filter(e -> e.ready() && e.nodeName().equals(selfNode)).count();
                }
                out.put(p.healthCheckNodePort(),
                        new HealthChecks.Target(p.name().namespace(), p.name().name(), local));
            }
        }
        return out;
    }

    /** Emits a Warning event when what is wrong with serving a Service changes (never twice the same). */
    private void report(Set<String> synced, Map<Frontend, Exception> failures) {
        Map<String, List<String>> problems = new HashMap<>();
        Map<Frontend, String> owners = new HashMap<>();
        // only Services synced now or with a reported problem can change their conflicts' message: not all of them
        Set<String> check = new HashSet<>(synced);
        check.addAll(reported.keySet());
        for (String key : check) {
            table.conflicts(key).forEach((f, holder) -> problems.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(f + " is already served for Service " + holder));
        }
        for (Map.Entry<Frontend, Exception> f : failures.entrySet()) {
            String owner = table.owner(f.getKey());
            if (owner != null) {
                owners.put(f.getKey(), owner);
                problems.computeIfAbsent(owner, k -> new ArrayList<>()).add(BindProblems.describe(f.getKey(),
                        f.getValue()));
            }
        }
        Set<String> keys = new LinkedHashSet<>(reported.keySet());
        keys.addAll(problems.keySet());
        for (String key : keys) {
            List<String> list = problems.get(key);
            if (list == null) {
                reported.remove(key);
                continue;
            }
            String message = String.join("; ", list.stream().sorted().toList());
            if (!message.equals(reported.put(key, message))) {
                int slash = key.indexOf('/');
                events.warning(key.substring(0, slash), key.substring(slash + 1), "FailedToServe", message);
            }
        }
    }

    private static Instant created(Service s) {
        String t = s == null ? null : s.getMetadata().getCreationTimestamp();
        if (t == null) {
            return Instant.MAX;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return Instant.MAX;
        }
    }

    static Instant triggerTime(EndpointSlice slice) {
        Map<String, String> a = slice.getMetadata().getAnnotations();
        String t = a == null ? null : a.get(TRIGGER_TIME_ANNOTATION);
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
