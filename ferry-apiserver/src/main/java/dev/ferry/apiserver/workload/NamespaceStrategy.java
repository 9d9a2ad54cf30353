package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import dev.ferry.apiserver.resource.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * core/v1 Namespace (pkg/registry/core/namespace/strategy.go): the "kubernetes" finalizer and phase Active on create,
 * the {@code kubernetes.io/metadata.name} label always equal to the name, spec.finalizers and status owned by the
 * server on ordinary updates (the finalize subresource and the status subresource change them).
 */
public final class NamespaceStrategy implements Strategy {
    public static final String KUBERNETES_FINALIZER = "kubernetes";
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";
    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

    @Override
    public void prepareForCreate(ObjectNode obj) {
        ObjectNode spec = Nodes.objectOrCreate(obj, "spec");
        ArrayNode finalizers = spec.get("finalizers") instanceof ArrayNode a ? a : spec.putArray("finalizers");
        if (!ObjectMetaValidation.strings(finalizers).contains(KUBERNETES_FINALIZER)) {
            finalizers.add(KUBERNETES_FINALIZER);
        }
        obj.putObject("status").put("phase", "Active");
        nameLabel(obj);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        ObjectNode spec = Nodes.objectOrCreate(obj, "spec");
        if (old.get("spec") instanceof ObjectNode oldSpec) {
            PodStrategy.keepFromOld(spec, oldSpec, "finalizers");
        } else {
            spec.remove("finalizers");
        }
        PodStrategy.keepFromOld(obj, old, "status");
        nameLabel(obj);
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        return validateFinalizers(obj);
    }

    /**
     * namespaceStatusStrategy: spec is reset (GetResetFields: spec), metadata written as sent but for the name label,
     * which Canonicalize (shared with the main strategy) keeps equal to the name.
     */
    @Override
    public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        Strategy.keepAllButMetadataAndStatus(obj, old);
        nameLabel(obj);
        JsonNode phase = obj.path("status").get("phase");
        if (phase == null || phase.asString("").isEmpty()) {
            Nodes.objectOrCreate(obj, "status").put("phase", "Active");
        }
    }

    /** ValidateNamespaceStatusUpdate; the path is upstream's "status.Phase", capital P included. */
    @Override
    public List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
        String phase = Nodes.text(obj.path("status"), "phase");
        if (!Nodes.present(obj.path("metadata"), "deletionTimestamp")) {
            if (!phase.equals("Active")) {
                return List.of(FieldError.invalid("status.Phase", phase,
                        "may only be 'Active' if `deletionTimestamp` is empty"));
            }
        } else if (!phase.equals("Terminating")) {
            return List.of(FieldError.invalid("status.Phase", phase,
                    "may only be 'Terminating' if `deletionTimestamp` is not empty"));
        }
        return List.of();
    }

    /** Finalize writes: only spec.finalizers may change, and must stay valid. */
    public List<FieldError> validateFinalizeUpdate(ObjectNode obj) {
        return validateFinalizers(obj);
    }

    private static List<FieldError> validateFinalizers(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        for (String f : ObjectMetaValidation.strings(obj.path("spec").get("finalizers"))) {
            for (String msg : ValueValidation.isQualifiedName(f)) {
                errs.add(FieldError.invalid("spec.finalizers", f, msg));
            }
            if (!f.contains("/") && !STANDARD_FINALIZERS.contains(f)) {
                errs.add(FieldError.invalid("spec.finalizers", f,
                        "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
        return errs;
    }

    private static void nameLabel(ObjectNode obj) {
        String name = Nodes.text(obj.path("metadata"), "name");
        if (!name.isEmpty()) {
            ObjectNode meta = Nodes.objectOrCreate(obj, "metadata");
            Nodes.objectOrCreate(meta, "labels").put(NAME_LABEL, name);
        }
    }
}
