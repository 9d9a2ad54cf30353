package dev.ferry.apiserver.patch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields an apply would take from other managers without {@code force}: one (manager, path) per conflict, in the
 * order upstream reports them (managers by identifier, each manager's paths in field-set order).
 */
public final class ApplyConflict extends RuntimeException {
    /** One conflicting field: {@code manager} as printed ({@code "kubectl-client-side-apply" using v1}). */
    public record Conflict(String manager, String path) {
    }

    private final List<Conflict> conflicts;
    /** The conflicting paths, parallel to {@link #conflicts}. */
    final List<List<PathElement>> paths;

    ApplyConflict(List<Conflict> conflicts, List<List<PathElement>> paths) {
        super(null, null, false, false);
        this.conflicts = List.copyOf(conflicts);
        this.paths = List.copyOf(paths);
    }

    /** The conflicts of several managers, ordered by manager identifier, then each set in iteration order. */
    static ApplyConflict of(List<Map.Entry<ManagedFields.Manager, FieldSet>> byManager) {
        List<Map.Entry<ManagedFields.Manager, FieldSet>> sorted = new ArrayList<>(byManager);
        sorted.sort(Map.Entry.comparingByKey(ServerSideApply.byIdentifier()));
        List<Conflict> conflicts = new ArrayList<>();
        List<List<PathElement>> paths = new ArrayList<>();
        for (Map.Entry<ManagedFields.Manager, FieldSet> e : sorted) {
            e.getValue().iterate(p -> {
                conflicts.add(new Conflict(e.getKey().print(), PathElement.display(p)));
                paths.add(p);
            });
        }
        return new ApplyConflict(conflicts, paths);
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }

    /**
     * Upstream's Status message (apimachinery {@code getConflictMessage}): {@code Apply failed with 1 conflict:
     * conflict with "m" using v1: .spec.x}, or for several {@code Apply failed with N conflicts: conflicts with "m":}
     * followed by one {@code - path} line per field.
     */
    public String message() {
        if (conflicts.size() == 1) {
            Conflict c = conflicts.get(0);
            return "Apply failed with 1 conflict: conflict with " + c.manager() + ": " + c.path();
        }
        Map<String, List<String>> byManager = new LinkedHashMap<>();
        for (Conflict c : conflicts) {
            byManager.computeIfAbsent(c.manager(), k -> new ArrayList<>()).add(c.path());
        }
        List<String> lines = new ArrayList<>();
        byManager.forEach((manager, paths) -> {
            lines.add("conflicts with " + manager + ":");
            paths.forEach(p -> lines.add("- " + p));
        });
        return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
    }

    @Override
    public String getMessage() {
        return message();
    }
}
