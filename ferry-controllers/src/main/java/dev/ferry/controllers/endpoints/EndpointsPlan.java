package dev.ferry.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Endpoints;

/**
 * What one sync of a Service's v1 Endpoints writes: nothing, a create, an update (with the resourceVersion it
 * replaces) or a delete of {@code endpoints} (null for {@link Action#NONE}).
 */
public record EndpointsPlan(Action action, Endpoints endpoints) {
    public enum Action { NONE, CREATE, UPDATE, DELETE }

    public static final EndpointsPlan NONE = new EndpointsPlan(Action.NONE, null);
}
