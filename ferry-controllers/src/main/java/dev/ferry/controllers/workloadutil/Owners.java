package dev.ferry.controllers.workloadutil;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.List;

/** Owner references as the controllers use them (metav1.GetControllerOf, NewControllerRef). */
public final class Owners {
    private Owners() {
    }

    /** The reference with {@code controller: true}, or null. */
    public static OwnerReference controllerOf(HasMetadata obj) {
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        for (OwnerReference ref : refs) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ref;
            }
        }
        return null;
    }

    /** Whether {@code obj}'s controller reference names {@code ownerUid}. */
    public static boolean isControlledBy(HasMetadata obj, String ownerUid) {
        OwnerReference ref = controllerOf(obj);
        return ref != null && ref.getUid().equals(ownerUid);
    }

    /** A controller reference to {@code owner} with blockOwnerDeletion, as metav1.NewControllerRef. */
    public static OwnerReference controllerRef(HasMetadata owner, String apiVersion, String kind) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind)
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** {@code obj}'s references plus {@code ref} (adoption). */
    public static List<OwnerReference> withRef(HasMetadata obj, OwnerReference ref) {
        List<OwnerReference> refs = new ArrayList<>(refsOf(obj));
        refs.add(ref);
        return refs;
    }

    /** {@code obj}'s references without the one to {@code ownerUid} (release). */
    public static List<OwnerReference> withoutRef(HasMetadata obj, String ownerUid) {
        List<OwnerReference> refs = new ArrayList<>(refsOf(obj));
        refs.removeIf(r -> r.getUid().equals(ownerUid));
        return refs;
    }

    private static List<OwnerReference> refsOf(HasMetadata obj) {
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        return refs == null ? List.of() : refs;
    }
}
