package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What Deployment and ReplicaSet share: selector + template validation (apps/validation), status rules. */
final class ReplicaTemplates {
    static final String SELECTOR_MISMATCH = "`selector` does not match template `labels`";

    private ReplicaTemplates() {
    }

    static void defaultTemplate(ObjectNode spec) {
        ObjectNode template = Nodes.objectOrCreate(spec, "template");
        PodStrategy.defaultTemplateSpec(Nodes.objectOrCreate(template, "spec"));
    }

    /** The replicas / selector / template part of ValidateDeploymentSpec and ValidateReplicaSetSpec. */
    static List<FieldError> validateSelectorAndTemplate(JsonNode spec) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode selector = spec.get("selector");
        if (selector == null || selector.isNull()) {
            errs.add(FieldError.required("spec.selector", ""));
        } else if (!selector.isObject()) {
            errs.add(FieldError.invalid("spec.selector", selector, "invalid label selector"));
            return errs;
        } else {
            errs.addAll(LabelSelectors.validate(selector, "spec.selector"));
            if (LabelSelectors.isEmpty(selector)) {
                errs.add(FieldError.invalid("spec.selector", selector, "empty selector is invalid for deployment"));
            }
        }
        JsonNode template = spec.get("template");
        if (template == null || !template.isObject()) {
            errs.add(FieldError.required("spec.template", ""));
            return errs;
        }
        JsonNode templateMeta = template.path("metadata");
        JsonNode labels = templateMeta.get("labels");
        boolean selectorEmpty = selector != null && selector.isObject() && LabelSelectors.isEmpty(selector);
        if (!selectorEmpty && !LabelSelectors.matches(selector, labels)) {
            errs.add(FieldError.invalid("spec.template.metadata.labels",
                    labels == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : labels,
                    SELECTOR_MISMATCH));
        }
        // ValidatePodTemplateSpec: note upstream's paths omit "metadata" here.
        errs.addAll(ObjectMetaValidation.validateLabels(labels, "spec.template.labels"));
        errs.addAll(ObjectMetaValidation.validateAnnotations(templateMeta.get("annotations"),
                "spec.template.annotations"));
        JsonNode podSpec = template.path("spec");
        errs.addAll(PodSpecs.validateSpec(podSpec, "spec.template.spec"));
        if (Nodes.size(podSpec, "ephemeralContainers") > 0) {
            errs.add(FieldError.forbidden("spec.template.spec.ephemeralContainers",
                    "ephemeral containers not allowed in pod template"));
        }
        String restartPolicy = Nodes.text(podSpec, "restartPolicy");
        if (!restartPolicy.equals("Always")) {
            errs.add(FieldError.notSupported("spec.template.spec.restartPolicy", restartPolicy, "Always"));
        }
        if (Nodes.present(podSpec, "activeDeadlineSeconds")) {
            errs.add(FieldError.invalid("spec.template.spec.activeDeadlineSeconds",
                    podSpec.get("activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicaSet is not Supported"));
        }
        return errs;
    }

    static void nonNegative(List<FieldError> errs, JsonNode parent, String field, String path) {
        if (Nodes.present(parent, field)) {
            long v = Nodes.number(parent, field, 0);
            if (v < 0) {
                errs.add(FieldError.invalid(path, v, "must be greater than or equal to 0"));
            }
        }
    }

    /** spec.selector may not change (apps/v1 and later). */
    static List<FieldError> selectorImmutable(ObjectNode obj, ObjectNode old) {
        JsonNode now = obj.path("spec").get("selector");
        if (!Nodes.semanticEquals(now, old.path("spec").get("selector"))) {
            return List.of(FieldError.invalid("spec.selector", now, ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        return List.of();
    }

    /** Status counters of Deployment/ReplicaSet status updates. */
    static List<FieldError> validateStatusCounters(JsonNode status, List<String> counters) {
        List<FieldError> errs = new ArrayList<>();
        for (String c : counters) {
            nonNegative(errs, status, c, "status." + c);
        }
        long replicas = Nodes.number(status, "replicas", 0);
        long ready = Nodes.number(status, "readyReplicas", 0);
        long available = Nodes.number(status, "availableReplicas", 0);
        if (ready > replicas) {
            errs.add(FieldError.invalid("status.readyReplicas", ready, "cannot be greater than status.replicas"));
        }
        if (available > replicas) {
            errs.add(FieldError.invalid("status.availableReplicas", available,
                    "cannot be greater than status.replicas"));
        }
        if (available > ready) {
            errs.add(FieldError.invalid("status.availableReplicas", available, "cannot be greater than readyReplicas"));
        }
        return errs;
    }
}
