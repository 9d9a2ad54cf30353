package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.resource.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * The write rules apps/v1 Deployment and ReplicaSet share: the kind's defaults on every spec write, status
 * server-owned (reset on create, kept from the stored object on spec updates), generation tracked, spec.selector
 * immutable, and status writes keep spec from the stored object (metadata is written, see each kind).
 */
abstract sealed class ReplicatedStrategy implements Strategy permits DeploymentStrategy, ReplicaSetStrategy {

    private final Consumer<ObjectNode> defaults;
    private final Consumer<ObjectNode> initStatus;

    /**
     * @param defaults   the kind's SetDefaults, the template's pod defaults included
     * @param initStatus fills the fresh, empty status of a new object
     */
    ReplicatedStrategy(Consumer<ObjectNode> defaults, Consumer<ObjectNode> initStatus) {
        this.defaults = defaults;
        this.initStatus = initStatus;
    }

    @Override
    public final void prepareForCreate(ObjectNode obj) {
        defaults.accept(obj);
        initStatus.accept(obj.putObject("status"));
    }

    @Override
    public final void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        defaults.accept(obj);
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

    /** rsStatusStrategy/deploymentStatusStrategy PrepareForUpdate: spec is reset (GetResetFields: spec). */
    @Override
    public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        Strategy.keepAllButMetadataAndStatus(obj, old);
    }
}
