package dev.ferry.controllers.endpointutil;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes the {@code endpoints.kubernetes.io/last-change-trigger-time} of a sync, as upstream's TriggerTimeTracker:
 * the trigger time of a pod is its Ready condition's lastTransitionTime, of a Service its creationTimestamp; a sync
 * reports the earliest trigger time that changed since the previous sync of that Service (the oldest change not yet
 * reflected), the Service's creation time on its first sync, and null when no trigger time changed (the annotation
 * is then removed). May be wrong when one object changes several times between two syncs (as upstream).
 *
 * <p>Thread-safe for different Services; calls for one Service must not overlap (the work queue guarantees it).
 */
public final class TriggerTimeTracker {
    private record State(Instant service, Map<String, Instant> pods) {
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** The trigger time of this sync of {@code service} with {@code pods} (those its selector picks), or null. */
    public Instant compute(Service service, List<Pod> pods) {
        String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
        State before = states.get(key);
        Map<String, Instant> podTimes = new HashMap<>();
        Instant min = null;
        for (Pod pod : pods) {
            Instant t = PodRules.readyTransitionTime(pod);
            if (t == null) {
                continue;
            }
            podTimes.put(pod.getMetadata().getName(), t);
            Instant last = before == null ? null : before.pods.get(pod.getMetadata().getName());
            if (last == null || t.isAfter(last)) {
                min = min == null || t.isBefore(min) ? t : min;
            }
        }
        Instant created = Timestamps.parse(service.getMetadata().getCreationTimestamp());
        if (created != null && (before == null || before.service == null || created.isAfter(before.service))) {
            min = min == null || created.isBefore(min) ? created : min;
        }
        states.put(key, new State(created, podTimes));
        return before == null ? created : min;
    }

    /** Forgets a deleted Service. */
    public void delete(String namespace, String name) {
        states.remove(namespace + "/" + name);
    }
}
