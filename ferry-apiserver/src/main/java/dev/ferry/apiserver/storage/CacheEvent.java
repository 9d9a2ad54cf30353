package dev.ferry.apiserver.storage;

import tools.jackson.databind.node.ObjectNode;

/**
 * A change to one object. {@code prev} is the object before the change (null on ADDED); for DELETED, {@code obj} is the
 * last state with the deletion's resourceVersion.
 */
public record CacheEvent(Type type, ResourceKey where, ObjectNode obj, ObjectNode prev, long revision) {
    public enum Type { ADDED, MODIFIED, DELETED }

    /** The namespace and name an event is about, for cheap filtering. */
    public record ResourceKey(String namespace, String name) {
    }
}
