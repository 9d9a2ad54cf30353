package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.ServicePortName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The counters of every (service port, backend) pair that carried traffic. Thread-safe: event loops look counters
 * up once per connection or flow; the sync thread drops idle entries; {@code /metrics} reads snapshots.
 */
final class Traffic {
    private final ConcurrentHashMap<ServicePortName, ConcurrentHashMap<Backend, BackendCounters>> byPort =
            new ConcurrentHashMap<>();

    BackendCounters of(ServicePortName port, Backend backend) {
        ConcurrentHashMap<Backend, BackendCounters> backends = byPort.get(port);
        if (backends == null) {
            backends = byPort.computeIfAbsent(port, p -> new ConcurrentHashMap<>());
        }
        BackendCounters counters = backends.get(backend);
        return counters != null ? counters : backends.computeIfAbsent(backend, b -> new BackendCounters());
    }

    List<BackendTraffic> snapshot() {
        List<BackendTraffic> out = new ArrayList<>();
        for (Map.Entry<ServicePortName, ConcurrentHashMap<Backend, BackendCounters>> port : byPort.entrySet()) {
            for (Map.Entry<Backend, BackendCounters> e : port.getValue().entrySet()) {
                BackendCounters c = e.getValue();
                out.add(new BackendTraffic(port.getKey(), e.getKey(), c.active.sum(), c.total.sum(),
                        c.bytesToBackend.sum(), c.bytesToClient.sum()));
            }
        }
        return out;
    }

    /**
     * Forgets the backends of {@code port} that have no active connection or flow and that {@code served} rejects.
     * A connection opened concurrently may still count into a dropped entry; those counts are lost, never wrong.
     */
    void dropIdle(ServicePortName port, Predicate<Backend> served) {
        ConcurrentHashMap<Backend, BackendCounters> backends = byPort.get(port);
        if (backends == null) {
            return;
        }
        backends.entrySet().removeIf(e -> e.getValue().active.sum() == 0 && !served.test(e.getKey()));
        if (backends.isEmpty()) {
            byPort.remove(port, backends);
        }
    }
}
