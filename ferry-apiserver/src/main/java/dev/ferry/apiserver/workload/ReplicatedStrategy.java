package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.resource.Strategy;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The write rules apps/v1 Deployment and ReplicaSet share: the kind's defaults on every spec write, status
 * server-owned (kept from the stored object on spec updates), generation tracked, spec.selector immutable, and status
 * writes keep spec and labels from the stored object.
 */
abstract sealed class ReplicatedStrategy implements Strategy permits DeploymentStrategy, ReplicaSetStrategy {

    /** The kind's SetDefaults, the template's pod defaults included. */
    abstract void defaults(ObjectNode obj);

    @Override
    public final void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        defaults(obj);
        PodStrategy.keepFromOld(obj, old, "status");
    }

    @Override
    public final List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        errs.addAll(ReplicaTemplates.selectorImmutable(obj, old));
        return errs;
    }

    @Override
    public final boolean tracksGeneration() {
        return true;
    }

    @Override
    public final void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        PodStrategy.keepFromOld(obj, old, "spec");
        if (old.get("metadata") instanceof ObjectNode oldMeta) {
            PodStrategy.keepFromOld(Nodes.objectOrCreate(obj, "metadata"), oldMeta, "labels");
        }
    }
}
