package dev.ferry.apiserver.storage;

import dev.ferry.apiserver.resource.ResourceType;

/** Store keys: {@code /registry/<group|core>/<plural>/[<namespace>/]<name>}. */
public final class Keys {
    private Keys() {
    }

    public static String key(ResourceType type, String namespace, String name) {
        return type.namespaced() ? type.keyPrefix() + namespace + "/" + name : type.keyPrefix() + name;
    }

    /** Prefix of every object of {@code type} in {@code namespace} ("" = all namespaces). */
    public static String prefix(ResourceType type, String namespace) {
        return type.namespaced() && !namespace.isEmpty() ? type.keyPrefix() + namespace + "/" : type.keyPrefix();
    }
}
