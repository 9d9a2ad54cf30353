package dev.ferry.apiserver.resource;

import java.util.List;

/**
 * One served resource: where it lives in the API, what discovery says about it, and how writes to it are shaped.
 *
 * @param group        API group, "" for core
 * @param subresources subresource names served (e.g. "status", "scale", "log")
 */
public record ResourceType(
        String group,
        String version,
        String plural,
        String singular,
        String kind,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        List<String> subresources,
        Strategy strategy) {

    public static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The store key prefix for all objects of this type, ending in '/'. */
    public String keyPrefix() {
        return "/registry/" + (group.isEmpty() ? "core" : group) + "/" + plural + "/";
    }

    /** Human-readable "services" or "deployments.apps", as upstream names resources in messages. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public boolean hasSubresource(String name) {
        return subresources.contains(name);
    }
}
