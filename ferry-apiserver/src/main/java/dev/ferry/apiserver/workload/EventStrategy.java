package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import dev.ferry.apiserver.resource.Strategy;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * core/v1 Event (pkg/registry/core/event/strategy.go): no defaults; legacyValidateEvent on create and update, which
 * is all upstream checks for the v1 API. "Old-style" events (no eventTime) need involvedObject.namespace to agree
 * with the event's namespace; "new-style" ones need reportingComponent, reportingInstance, action and reason.
 */
public final class EventStrategy implements Strategy {
    static final int REPORTING_INSTANCE_LIMIT = 128;
    static final int ACTION_LIMIT = 128;
    static final int REASON_LIMIT = 128;
    static final int NOTE_LIMIT = 1024;

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        String namespace = Nodes.text(obj.path("metadata"), "namespace");
        JsonNode involved = obj.path("involvedObject");
        String involvedNamespace = Nodes.text(involved, "namespace");
        if (!Nodes.present(obj, "eventTime")) {
            if (involvedNamespace.isEmpty()) {
                if (!namespace.isEmpty() && !namespace.equals("default")) {
                    errs.add(FieldError.invalid("involvedObject.namespace", involvedNamespace,
                            "does not match event.namespace"));
                }
            } else if (!namespace.equals(involvedNamespace)) {
                errs.add(FieldError.invalid("involvedObject.namespace", involvedNamespace,
                        "does not match event.namespace"));
            }
        } else {
            if (involvedNamespace.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
                errs.add(FieldError.invalid("involvedObject.namespace", involvedNamespace,
                        "does not match event.namespace"));
            }
            String controller = Nodes.text(obj, "reportingComponent");
            if (controller.isEmpty()) {
                errs.add(FieldError.required("reportingComponent", ""));
            }
            for (String msg : ValueValidation.isQualifiedName(controller)) {
                errs.add(FieldError.invalid("reportingComponent", controller, msg));
            }
            requiredWithLimit(errs, obj, "reportingInstance", REPORTING_INSTANCE_LIMIT);
            requiredWithLimit(errs, obj, "action", ACTION_LIMIT);
            requiredWithLimit(errs, obj, "reason", REASON_LIMIT);
            if (ValueValidation.byteLength(Nodes.text(obj, "message")) > NOTE_LIMIT) {
                errs.add(FieldError.invalid("message", "", "can have at most " + NOTE_LIMIT + " characters"));
            }
        }
        for (String msg : ValueValidation.isDns1123Subdomain(namespace)) {
            errs.add(FieldError.invalid("namespace", namespace, msg));
        }
        return errs;
    }

    private static void requiredWithLimit(List<FieldError> errs, JsonNode obj, String field, int limit) {
        String v = Nodes.text(obj, field);
        if (v.isEmpty()) {
            errs.add(FieldError.required(field, ""));
        }
        if (ValueValidation.byteLength(v) > limit) {
            errs.add(FieldError.invalid(field, "", "can have at most " + limit + " characters"));
        }
    }
}
