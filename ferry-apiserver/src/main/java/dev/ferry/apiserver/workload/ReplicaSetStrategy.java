package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** apps/v1 ReplicaSet (pkg/registry/apps/replicaset/strategy.go): like Deployment without the rollout strategy. */
public final class ReplicaSetStrategy extends ReplicatedStrategy {
    static final List<String> STATUS_COUNTERS = List.of("replicas", "fullyLabeledReplicas", "readyReplicas",
            "availableReplicas", "observedGeneration", "terminatingReplicas");

    public ReplicaSetStrategy() {
        super(ReplicaSetStrategy::applyDefaults, status -> status.put("replicas", 0));
    }

    /** SetDefaults_ReplicaSet plus the template's pod defaults. */
    public static void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Nodes.objectOrCreate(obj, "spec");
        if (!Nodes.present(spec, "replicas")) {
            spec.put("replicas", 1);
        }
        ReplicaTemplates.defaultTemplate(spec);
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        JsonNode spec = obj.path("spec");
        List<FieldError> errs = new ArrayList<>();
        ReplicaTemplates.nonNegative(errs, spec, "replicas", "spec.replicas");
        ReplicaTemplates.nonNegative(errs, spec, "minReadySeconds", "spec.minReadySeconds");
        errs.addAll(ReplicaTemplates.validateSelectorAndTemplate(spec));
        return errs;
    }

    @Override
    public List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = ReplicaTemplates.validateStatusCounters(obj.path("status"), STATUS_COUNTERS);
        JsonNode status = obj.path("status");
        long replicas = Nodes.number(status, "replicas", 0);
        long labeled = Nodes.number(status, "fullyLabeledReplicas", 0);
        if (labeled > replicas) {
            errs = new ArrayList<>(errs);
            errs.add(FieldError.invalid("status.fullyLabeledReplicas", labeled,
                    "cannot be greater than status.replicas"));
        }
        return errs;
    }
}
