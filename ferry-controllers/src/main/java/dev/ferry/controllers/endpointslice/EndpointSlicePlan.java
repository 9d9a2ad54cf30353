package dev.ferry.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one sync of a Service's EndpointSlices writes: slices to create (no name, generateName set), to update (name
 * and the resourceVersion they replace set) and to delete. {@code problems} lists why the plan may be incomplete
 * (a pod's node is not in the cache yet, so the pod was left out): the plan is still applied, then the Service is
 * retried; {@code missingNodes} names those nodes, so that their arrival can trigger the retry at once.
 * {@code autoHints} has, per address type, what the {@code topology-mode: Auto} heuristic did (empty when the
 * Service does not ask for it).
 */
public record EndpointSlicePlan(List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete,
        List<String> problems, Set<String> missingNodes, Map<String, AutoHints.Outcome> autoHints) {
    public EndpointSlicePlan {
        create = List.copyOf(create);
        update = List.copyOf(update);
        delete = List.copyOf(delete);
        problems = List.copyOf(new LinkedHashSet<>(problems));
        missingNodes = Set.copyOf(missingNodes);
        autoHints = Map.copyOf(autoHints);
    }

    /** No write at all. */
    public boolean isEmpty() {
        return create.isEmpty() && update.isEmpty() && delete.isEmpty();
    }
}
