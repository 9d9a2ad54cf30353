package dev.ferry.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * What one sync of a Service's EndpointSlices writes: slices to create (no name, generateName set), to update (name
 * and the resourceVersion they replace set) and to delete. {@code problems} lists why the plan may be incomplete
 * (e.g. a pod's node is not in the cache yet): the plan is still applied, then the Service is retried.
 */
public record EndpointSlicePlan(List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete,
        List<String> problems) {
    public EndpointSlicePlan {
        create = List.copyOf(create);
        update = List.copyOf(update);
        delete = List.copyOf(delete);
        problems = List.copyOf(problems);
    }

    public static final EndpointSlicePlan NOTHING = new EndpointSlicePlan(List.of(), List.of(), List.of(), List.of());

    /** No write at all. */
    public boolean isEmpty() {
        return create.isEmpty() && update.isEmpty() && delete.isEmpty();
    }
}
