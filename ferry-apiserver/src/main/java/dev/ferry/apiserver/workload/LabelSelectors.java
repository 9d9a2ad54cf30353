package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code metav1.LabelSelector}: validation (meta/v1/validation) and matching (LabelSelectorAsSelector). */
final class LabelSelectors {
    private LabelSelectors() {
    }

    /** ValidateLabelSelector, label values checked strictly. */
    static List<FieldError> validate(JsonNode selector, String path) {
        List<FieldError> errs = new ArrayList<>();
        errs.addAll(ObjectMetaValidation.validateLabels(selector.get("matchLabels"), path + ".matchLabels"));
        JsonNode exprs = selector.get("matchExpressions");
        if (exprs != null && exprs.isArray()) {
            for (int i = 0; i < exprs.size(); i++) {
                JsonNode e = exprs.get(i);
                String p = path + ".matchExpressions[" + i + "]";
                String op = Nodes.text(e, "operator");
                int values = Nodes.size(e, "values");
                switch (op) {
                    case "In", "NotIn" -> {
                        if (values == 0) {
                            errs.add(FieldError.required(p + ".values",
                                    "must be specified when `operator` is 'In' or 'NotIn'"));
                        }
                    }
                    case "Exists", "DoesNotExist" -> {
                        if (values > 0) {
                            errs.add(FieldError.forbidden(p + ".values",
                                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                        }
                    }
                    default -> errs.add(FieldError.invalid(p + ".operator", op, "not a valid selector operator"));
                }
                String key = Nodes.text(e, "key");
                for (String msg : ValueValidation.isQualifiedName(key)) {
                    errs.add(FieldError.invalid(p + ".key", key, msg));
                }
                List<String> vals = ObjectMetaValidation.strings(e.get("values"));
                for (int j = 0; j < vals.size(); j++) {
                    for (String msg : ValueValidation.isValidLabelValue(vals.get(j))) {
                        errs.add(FieldError.invalid(p + ".values[" + j + "]", vals.get(j), msg));
                    }
                }
            }
        }
        return errs;
    }

    /** Whether the selector has neither matchLabels nor matchExpressions. */
    static boolean isEmpty(JsonNode selector) {
        return Nodes.size(selector, "matchLabels") + Nodes.size(selector, "matchExpressions") == 0;
    }

    /**
     * Whether {@code labels} satisfy {@code selector}; a null selector matches nothing, an empty one everything
     * (LabelSelectorAsSelector's nil and empty cases).
     */
    static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isNull()) {
            return false;
        }
        for (Map.Entry<String, String> e : Nodes.stringMap(selector.get("matchLabels"))) {
            JsonNode v = labels == null ? null : labels.get(e.getKey());
            if (v == null || !v.isString() || !v.asString().equals(e.getValue())) {
                return false;
            }
        }
        JsonNode exprs = selector.get("matchExpressions");
        if (exprs != null && exprs.isArray()) {
            for (JsonNode e : exprs) {
                String key = Nodes.text(e, "key");
                JsonNode v = labels == null ? null : labels.get(key);
                boolean has = v != null && v.isString();
                List<String> values = ObjectMetaValidation.strings(e.get("values"));
                boolean ok = switch (Nodes.text(e, "operator")) {
                    case "In" -> has && values.contains(v.asString());
                    case "NotIn" -> !has || !values.contains(v.asString());
                    case "Exists" -> has;
                    case "DoesNotExist" -> !has;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
