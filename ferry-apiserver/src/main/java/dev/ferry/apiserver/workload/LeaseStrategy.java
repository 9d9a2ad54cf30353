package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import dev.ferry.apiserver.resource.Strategy;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * coordination.k8s.io/v1 Lease (pkg/registry/coordination/lease/strategy.go, pkg/apis/coordination/validation):
 * no status, no generation; {@code ValidateLeaseSpec} on create and update. holderIdentity is free-form.
 */
public final class LeaseStrategy implements Strategy {
    /** The Kubernetes-defined coordinated leader election strategies (a prefixed name is also accepted). */
    static final List<String> STRATEGIES = List.of("OldestEmulationVersion");

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        JsonNode spec = obj.path("spec");
        List<FieldError> errs = new ArrayList<>();
        if (Nodes.present(spec, "leaseDurationSeconds") && Nodes.number(spec, "leaseDurationSeconds", 0) <= 0) {
            errs.add(FieldError.invalid("spec.leaseDurationSeconds", Nodes.number(spec, "leaseDurationSeconds", 0),
                    "must be greater than 0"));
        }
        if (Nodes.present(spec, "leaseTransitions") && Nodes.number(spec, "leaseTransitions", 0) < 0) {
            errs.add(FieldError.invalid("spec.leaseTransitions", Nodes.number(spec, "leaseTransitions", 0),
                    "must be greater than or equal to 0"));
        }
        String strategy = Nodes.text(spec, "strategy");
        if (Nodes.present(spec, "strategy")) {
            if (!strategy.contains("/")) {
                if (!STRATEGIES.contains(strategy)) {
                    errs.add(FieldError.notSupported("spec.strategy", strategy, STRATEGIES.toArray(String[]::new)));
                }
            } else {
                for (String msg : ValueValidation.isQualifiedName(strategy)) {
                    errs.add(FieldError.invalid("spec.strategy", strategy, msg));
                }
            }
        }
        if (!Nodes.text(spec, "preferredHolder").isEmpty() && strategy.isEmpty()) {
            errs.add(FieldError.forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined"));
        }
        return errs;
    }
}
