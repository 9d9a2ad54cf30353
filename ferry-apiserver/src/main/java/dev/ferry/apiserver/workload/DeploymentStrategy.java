package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * apps/v1 Deployment (pkg/registry/apps/deployment/strategy.go, apps/v1 defaults, apps/validation): defaults, spec
 * validation, immutable selector; status is server-owned (cleared on create, kept on spec writes).
 */
public final class DeploymentStrategy extends ReplicatedStrategy {
    static final List<String> STATUS_COUNTERS = List.of("replicas", "updatedReplicas", "readyReplicas",
            "availableReplicas", "unavailableReplicas", "observedGeneration", "collisionCount",
            "terminatingReplicas");

    public DeploymentStrategy() {
        super(DeploymentStrategy::applyDefaults, status -> { });
    }

    /** SetDefaults_Deployment plus the template's pod defaults. */
    public static void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Nodes.objectOrCreate(obj, "spec");
        if (!Nodes.present(spec, "replicas")) {
            spec.put("replicas", 1);
        }
        ObjectNode strategy = Nodes.objectOrCreate(spec, "strategy");
        if (Nodes.text(strategy, "type").isEmpty()) {
            strategy.put("type", "RollingUpdate");
        }
        if (Nodes.text(strategy, "type").equals("RollingUpdate")) {
            ObjectNode rolling = Nodes.objectOrCreate(strategy, "rollingUpdate");
            if (!Nodes.present(rolling, "maxUnavailable")) {
                rolling.put("maxUnavailable", "25%");
            }
            if (!Nodes.present(rolling, "maxSurge")) {
                rolling.put("maxSurge", "25%");
            }
        }
        if (!Nodes.present(spec, "revisionHistoryLimit")) {
            spec.put("revisionHistoryLimit", 10);
        }
        if (!Nodes.present(spec, "progressDeadlineSeconds")) {
            spec.put("progressDeadlineSeconds", 600);
        }
        ReplicaTemplates.defaultTemplate(spec);
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        JsonNode spec = obj.path("spec");
        List<FieldError> errs = new ArrayList<>();
        ReplicaTemplates.nonNegative(errs, spec, "replicas", "spec.replicas");
        errs.addAll(ReplicaTemplates.validateSelectorAndTemplate(spec));
        errs.addAll(validateStrategy(spec.path("strategy")));
        ReplicaTemplates.nonNegative(errs, spec, "minReadySeconds", "spec.minReadySeconds");
        ReplicaTemplates.nonNegative(errs, spec, "revisionHistoryLimit", "spec.revisionHistoryLimit");
        if (Nodes.present(spec, "progressDeadlineSeconds")) {
            ReplicaTemplates.nonNegative(errs, spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds");
            long deadline = Nodes.number(spec, "progressDeadlineSeconds", 0);
            if (deadline <= Nodes.number(spec, "minReadySeconds", 0)) {
                errs.add(FieldError.invalid("spec.progressDeadlineSeconds", deadline,
                        "must be greater than minReadySeconds"));
            }
        }
        return errs;
    }

    /**
     * deploymentStrategy.PrepareForUpdate: annotation changes bump the generation as spec changes do, because the
     * controller copies a Deployment's annotations to its ReplicaSets.
     */
    @Override
    public boolean bumpsGeneration(ObjectNode obj, ObjectNode old) {
        return super.bumpsGeneration(obj, old) || !annotations(obj).equals(annotations(old));
    }

    /** The annotations; absent, null and empty alike (Semantic.DeepEqual: a nil map equals an empty one). */
    private static Map<String, String> annotations(JsonNode obj) {
        Map<String, String> out = new HashMap<>();
        Nodes.stringMap(obj.path("metadata").get("annotations")).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * deploymentStatusStrategy.PrepareForUpdate: spec and metadata.labels are reset (GetResetFields: spec,
     * metadata.labels); annotations, finalizers and ownerReferences are written as sent, without a generation bump.
     */
    @Override
    public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        super.prepareForStatusUpdate(obj, old);
        ObjectNode meta = Nodes.objectOrCreate(obj, "metadata");
        JsonNode oldLabels = old.path("metadata").get("labels");
        if (oldLabels == null) {
            meta.remove("labels");
        } else {
            meta.set("labels", oldLabels.deepCopy());
        }
    }

    @Override
    public List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
        return ReplicaTemplates.validateStatusCounters(obj.path("status"), STATUS_COUNTERS);
    }

    private static List<FieldError> validateStrategy(JsonNode strategy) {
        List<FieldError> errs = new ArrayList<>();
        String type = Nodes.text(strategy, "type");
        switch (type) {
            case "Recreate" -> {
                if (Nodes.present(strategy, "rollingUpdate")) {
                    errs.add(FieldError.forbidden("spec.strategy.rollingUpdate",
                            "may not be specified when strategy `type` is 'Recreate'"));
                }
            }
            case "RollingUpdate" -> {
                JsonNode rolling = strategy.get("rollingUpdate");
                if (rolling == null || rolling.isNull()) {
                    errs.add(FieldError.required("spec.strategy.rollingUpdate",
                            "this should be defaulted and never be nil"));
                } else {
                    errs.addAll(validateRollingUpdate(rolling));
                }
            }
            default -> errs.add(FieldError.notSupported("spec.strategy", type, "Recreate", "RollingUpdate"));
        }
        return errs;
    }

    private static List<FieldError> validateRollingUpdate(JsonNode rolling) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode maxUnavailable = rolling.get("maxUnavailable");
        JsonNode maxSurge = rolling.get("maxSurge");
        errs.addAll(positiveIntOrPercent(maxUnavailable, "spec.strategy.rollingUpdate.maxUnavailable"));
        errs.addAll(positiveIntOrPercent(maxSurge, "spec.strategy.rollingUpdate.maxSurge"));
        if (intOrPercentValue(maxUnavailable) == 0 && intOrPercentValue(maxSurge) == 0) {
            errs.add(FieldError.invalid("spec.strategy.rollingUpdate.maxUnavailable", maxUnavailable,
                    "may not be 0 when `maxSurge` is 0"));
        }
        if (maxUnavailable != null && maxUnavailable.isString() && isPercent(maxUnavailable.asString())
                && intOrPercentValue(maxUnavailable) > 100) {
            errs.add(FieldError.invalid("spec.strategy.rollingUpdate.maxUnavailable", maxUnavailable,
                    "must not be greater than 100%"));
        }
        return errs;
    }

    private static List<FieldError> positiveIntOrPercent(JsonNode v, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (v == null || v.isNull()) {
            return errs;
        }
        if (v.isString()) {
            for (String msg : ValueValidation.isValidPercent(v.asString())) {
                errs.add(FieldError.invalid(path, v, msg));
            }
        } else if (v.isIntegralNumber()) {
            if (v.asLong() < 0) {
                errs.add(FieldError.invalid(path, v.asLong(), "must be greater than or equal to 0"));
            }
        } else {
            errs.add(FieldError.invalid(path, v, "must be an integer or percentage (e.g '5%')"));
        }
        return errs;
    }

    private static boolean isPercent(String s) {
        return ValueValidation.isValidPercent(s).isEmpty();
    }

    /** getIntOrPercentValue: the number, or the percentage's number; -1 when neither. */
    private static long intOrPercentValue(JsonNode v) {
        if (v == null || v.isNull()) {
            return 0;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isString() && isPercent(v.asString())) {
            String digits = v.asString().substring(0, v.asString().length() - 1);
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
        return -1;
    }
}
