package dev.ferry.controllers.workloadutil;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Which objects a controller owns, as upstream's ControllerRefManager.ClaimObject: an object controlled by the owner
 * stays claimed while it matches the selector and is released (our reference removed) when it no longer does; an
 * orphan (no controller reference) that matches is adopted unless it or the owner is being deleted; objects
 * controlled by someone else are ignored. Pure.
 */
public final class Claims {
    private Claims() {
    }

    /**
     * @param claimed objects the owner controls after the adoptions and releases (adopted ones included)
     * @param adopt   orphans to adopt (add our controller reference)
     * @param release objects to release (drop our reference)
     */
    public record Result<T extends HasMetadata>(List<T> claimed, List<T> adopt, List<T> release) {
    }

    /**
     * @param ownerUid      the owner's uid
     * @param selector      the owner's selector
     * @param ownerDeleting the owner has a deletionTimestamp (then nothing is adopted)
     */
    public static <T extends HasMetadata> Result<T> claim(String ownerUid, LabelSelector selector,
            boolean ownerDeleting, Iterable<T> candidates) {
        List<T> claimed = new ArrayList<>();
        List<T> adopt = new ArrayList<>();
        List<T> release = new ArrayList<>();
        for (T obj : candidates) {
            OwnerReference ref = Owners.controllerOf(obj);
            boolean matches = Selectors.matches(selector, obj.getMetadata().getLabels());
            boolean deleting = obj.getMetadata().getDeletionTimestamp() != null;
            if (ref != null) {
                if (!ref.getUid().equals(ownerUid)) {
                    continue;
                }
                if (matches) {
                    claimed.add(obj);
                } else if (!deleting) {
                    release.add(obj);
                }
            } else if (matches && !deleting && !ownerDeleting) {
                adopt.add(obj);
                claimed.add(obj);
            }
        }
        return new Result<>(claimed, adopt, release);
    }
}
