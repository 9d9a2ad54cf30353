package dev.ferry.apiserver.storage;

/**
 * A parsed {@code meta.k8s.io/v1 DeleteOptions}.
 *
 * @param gracePeriodSeconds null = the object's default
 * @param propagationPolicy  "Orphan", "Background", "Foreground" or null (the resource default)
 */
public record DeleteOptions(boolean dryRun, Long gracePeriodSeconds, String propagationPolicy,
        String preconditionUid, String preconditionResourceVersion) {
    public static final DeleteOptions DEFAULT = new DeleteOptions(false, null, null, null, null);
}
