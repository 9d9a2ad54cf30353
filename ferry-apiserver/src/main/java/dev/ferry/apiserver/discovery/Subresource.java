package dev.ferry.apiserver.discovery;

import dev.ferry.apiserver.resource.ResourceType;
import java.util.List;

/**
 * What discovery says about one served subresource: its verbs and response kind, as upstream registers them
 * ({@code status}: get/patch/update of the parent kind; {@code scale}: get/patch/update of
 * {@code autoscaling/v1 Scale}; {@code log}: get; {@code binding}: create of core/v1 {@code Binding}; {@code finalize}: update).
 */
record Subresource(String name, String group, String version, String kind, List<String> verbs) {

    static Subresource of(ResourceType parent, String name) {
        return switch (name) {
            case "status" -> same(parent, name, List.of("get", "patch", "update"));
            case "scale" -> new Subresource(name, "autoscaling", "v1", "Scale", List.of("get", "patch", "update"));
            case "log" -> same(parent, name, List.of("get"));
            case "binding" -> new Subresource(name, parent.group(), parent.version(), "Binding", List.of("create"));
            case "finalize" -> same(parent, name, List.of("update"));
            default -> same(parent, name, List.of("get"));
        };
    }

    private static Subresource same(ResourceType parent, String name, List<String> verbs) {
        return new Subresource(name, parent.group(), parent.version(), parent.kind(), verbs);
    }

    boolean hasVerb(String verb) {
        return verbs.contains(verb);
    }
}
