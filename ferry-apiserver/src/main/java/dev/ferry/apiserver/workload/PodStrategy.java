package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import dev.ferry.apiserver.resource.Strategy;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * core/v1 Pod (pkg/registry/core/pod/strategy.go): defaults, spec validation, the pod-update restrictions, and status
 * owned by the server (Pending + QoS class on create, kept from the stored object on spec writes).
 */
public final class PodStrategy implements Strategy {
    /** Upstream's ValidatePodUpdate message (Kubernetes 1.32). */
    public static final String UPDATE_FORBIDDEN = "pod updates may not change fields other than "
            + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
            + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
            + "(allow it to be set to 1 if it was previously negative)";

    /** Defaults of a pod template's spec (SetDefaults_PodSpec + containers), as Deployments and ReplicaSets use. */
    public static void defaultTemplateSpec(ObjectNode spec) {
        PodSpecs.defaultSpec(spec);
    }

    /** All Pod defaults: template defaults plus SetDefaults_Pod (enableServiceLinks, requests from limits). */
    public static void defaultPodSpec(ObjectNode spec) {
        PodSpecs.defaultSpec(spec);
        PodSpecs.defaultPodOnly(spec);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        ObjectNode spec = Nodes.objectOrCreate(obj, "spec");
        defaultPodSpec(spec);
        ObjectNode status = obj.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", PodSpecs.qosClass(spec));
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        defaultPodSpec(Nodes.objectOrCreate(obj, "spec"));
        keepFromOld(obj, old, "status");
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>(PodSpecs.validateSpec(obj.path("spec"), "spec"));
        if (Nodes.size(obj.path("spec"), "ephemeralContainers") > 0) {
            errs.add(FieldError.forbidden("spec.ephemeralContainers", "cannot be set on create"));
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(PodSpecs.validateSpec(obj.path("spec"), "spec"));
        JsonNode spec = obj.path("spec");
        JsonNode oldSpec = old.path("spec");
        for (String list : List.of("containers", "initContainers")) {
            List<ObjectNode> now = PodSpecs.containers(spec, list);
            if (now.size() != PodSpecs.containers(oldSpec, list).size()) {
                errs.add(FieldError.forbidden("spec." + list, "pod updates may not add or remove containers"));
                return errs;
            }
            for (int i = 0; i < now.size(); i++) {
                String image = Nodes.text(now.get(i), "image");
                if (!image.isEmpty() && !image.strip().equals(image)) {
                    errs.add(FieldError.invalid("spec." + list + "[" + i + "].image", image,
                            "must not have leading or trailing whitespace"));
                }
            }
        }
        if (Nodes.present(spec, "activeDeadlineSeconds")) {
            long now = Nodes.number(spec, "activeDeadlineSeconds", 0);
            if (now < 0 || now > Integer.MAX_VALUE) {
                errs.add(FieldError.invalid("spec.activeDeadlineSeconds", now,
                        ValueValidation.inclusiveRangeError(0, Integer.MAX_VALUE)));
                return errs;
            }
            if (Nodes.present(oldSpec, "activeDeadlineSeconds")
                    && Nodes.number(oldSpec, "activeDeadlineSeconds", 0) < now) {
                errs.add(FieldError.invalid("spec.activeDeadlineSeconds", now,
                        "must be less than or equal to previous value"));
                return errs;
            }
        } else if (Nodes.present(oldSpec, "activeDeadlineSeconds")) {
            errs.add(FieldError.invalid("spec.activeDeadlineSeconds", null,
                    "must not update from a positive integer to nil value"));
        }
        JsonNode oldTolerations = oldSpec.get("tolerations");
        if (oldTolerations != null && oldTolerations.isArray()) {
            for (JsonNode t : oldTolerations) {
                if (!contains(spec.get("tolerations"), t)) {
                    errs.add(FieldError.forbidden("spec.tolerations",
                            "existing toleration can not be modified except its tolerationSeconds"));
                    break;
                }
            }
        }
        if (!Nodes.semanticEquals(munged(spec, oldSpec), oldSpec)) {
            errs.add(FieldError.forbidden("spec", UPDATE_FORBIDDEN));
        }
        return errs;
    }

    /**
     * podStatusStrategy.PrepareForUpdate: spec and metadata.ownerReferences are reset (GetResetFields: spec,
     * metadata.deletionTimestamp (the registry keeps that for every kind), metadata.ownerReferences: old kubelets
     * corrupted them); labels, annotations and finalizers are written as sent; an empty status.qosClass is backfilled.
     */
    @Override
    public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        Strategy.keepAllButMetadataAndStatus(obj, old);
        keepFromOld(Nodes.objectOrCreate(obj, "metadata"), old.path("metadata"), "ownerReferences");
        String oldQos = Nodes.text(old.path("status"), "qosClass");
        if (Nodes.text(obj.path("status"), "qosClass").isEmpty() && !oldQos.isEmpty()) {
            Nodes.objectOrCreate(obj, "status").put("qosClass", oldQos);
        }
    }

    /** The new spec with every field an update may change set back to its old value. */
    private static JsonNode munged(JsonNode spec, JsonNode oldSpec) {
        if (!(spec instanceof ObjectNode s)) {
            return spec;
        }
        ObjectNode copy = s.deepCopy();
        for (String list : List.of("containers", "initContainers")) {
            List<ObjectNode> now = PodSpecs.containers(copy, list);
            List<ObjectNode> before = PodSpecs.containers(oldSpec, list);
            for (int i = 0; i < now.size() && i < before.size(); i++) {
                restore(now.get(i), before.get(i), "image");
            }
        }
        restore(copy, oldSpec, "activeDeadlineSeconds");
        restore(copy, oldSpec, "tolerations");
        restore(copy, oldSpec, "schedulingGates");
        if (Nodes.number(oldSpec, "terminationGracePeriodSeconds", 0) < 0
                && Nodes.number(copy, "terminationGracePeriodSeconds", 0) == 1) {
            restore(copy, oldSpec, "terminationGracePeriodSeconds");
        }
        return copy;
    }

    private static void restore(ObjectNode into, JsonNode from, String field) {
        JsonNode v = from.get(field);
        if (v == null) {
            into.remove(field);
        } else {
            into.set(field, v.deepCopy());
        }
    }

    private static boolean contains(JsonNode array, JsonNode item) {
        if (array instanceof ArrayNode a) {
            for (JsonNode n : a) {
                if (Nodes.semanticEquals(n, item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Replaces {@code obj.field} with a copy of {@code old.field} (removing it when old has none). */
    static void keepFromOld(ObjectNode obj, JsonNode old, String field) {
        JsonNode v = old.get(field);
        if (v == null) {
            obj.remove(field);
        } else {
            obj.set(field, v.deepCopy());
        }
    }
}
