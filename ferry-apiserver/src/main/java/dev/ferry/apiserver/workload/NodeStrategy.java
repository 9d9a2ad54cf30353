package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import dev.ferry.apiserver.resource.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * core/v1 Node (pkg/registry/core/node/strategy.go): status as written on create (kubelets register with status),
 * kept from the stored object on spec writes; podCIDR/podCIDRs kept in step; taints validated; podCIDRs and
 * providerID settable once.
 */
public final class NodeStrategy implements Strategy {
    static final String POD_CIDR_CHANGE = "node updates may not change podCIDR except from \"\" to valid";
    static final String PROVIDER_ID_CHANGE = "node updates may not change providerID except from \"\" to valid";

    @Override
    public void prepareForCreate(ObjectNode obj) {
        syncPodCidr(obj);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        syncPodCidr(obj);
        PodStrategy.keepFromOld(obj, old, "status");
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        return validateTaints(obj.path("spec").get("taints"));
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        List<String> oldCidrs = ObjectMetaValidation.strings(old.path("spec").get("podCIDRs"));
        List<String> cidrs = ObjectMetaValidation.strings(obj.path("spec").get("podCIDRs"));
        if (!oldCidrs.isEmpty()) {
            if (oldCidrs.size() != cidrs.size()) {
                errs.add(FieldError.forbidden("spec.podCIDRs", POD_CIDR_CHANGE));
            } else {
                for (int i = 0; i < oldCidrs.size(); i++) {
                    if (!oldCidrs.get(i).equals(cidrs.get(i))) {
                        errs.add(FieldError.forbidden("spec.podCIDRs", POD_CIDR_CHANGE));
                    }
                }
            }
        }
        String oldProvider = Nodes.text(old.path("spec"), "providerID");
        if (!oldProvider.isEmpty() && !oldProvider.equals(Nodes.text(obj.path("spec"), "providerID"))) {
            errs.add(FieldError.forbidden("spec.providerID", PROVIDER_ID_CHANGE));
        }
        return errs;
    }

    /**
     * nodeStatusStrategy.PrepareForUpdate: spec is reset (GetResetFields: spec), metadata written as sent;
     * status.config is dropped unless the stored node has one (dynamic kubelet config is gone).
     */
    @Override
    public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        Strategy.keepAllButMetadataAndStatus(obj, old);
        if (!Nodes.present(old.path("status"), "config") && obj.get("status") instanceof ObjectNode status) {
            status.remove("config");
        }
    }

    /** validateNodeTaints. */
    static List<FieldError> validateTaints(JsonNode taints) {
        List<FieldError> errs = new ArrayList<>();
        if (taints == null || !taints.isArray()) {
            return errs;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < taints.size(); i++) {
            JsonNode t = taints.get(i);
            String p = "spec.taints[" + i + "]";
            String key = Nodes.text(t, "key");
            for (String msg : ValueValidation.isQualifiedName(key)) {
                errs.add(FieldError.invalid(p + ".key", key, msg));
            }
            String value = Nodes.text(t, "value");
            List<String> valueErrs = ValueValidation.isValidLabelValue(value);
            if (!valueErrs.isEmpty()) {
                errs.add(FieldError.invalid(p + ".value", value, String.join(";", valueErrs)));
            }
            String effect = Nodes.text(t, "effect");
            switch (effect) {
                case "NoSchedule", "PreferNoSchedule", "NoExecute" -> {
                }
                case "" -> errs.add(FieldError.required(p + ".effect", ""));
                default -> errs.add(FieldError.notSupported(p + ".effect", effect,
                        "NoSchedule", "PreferNoSchedule", "NoExecute"));
            }
            if (!seen.add(effect + "\u0000" + key)) {
                errs.add(new FieldError(FieldError.Type.DUPLICATE, p, t,
                        "taints must be unique by key and effect pair"));
            }
        }
        return errs;
    }

    /** The v1 conversion: podCIDRs[0] is podCIDR; a lone podCIDR fills podCIDRs. */
    private static void syncPodCidr(ObjectNode obj) {
        ObjectNode spec = Nodes.object(obj, "spec");
        if (spec == null) {
            return;
        }
        List<String> cidrs = ObjectMetaValidation.strings(spec.get("podCIDRs"));
        String cidr = Nodes.text(spec, "podCIDR");
        if (cidrs.isEmpty() && !cidr.isEmpty()) {
            ArrayNode a = spec.putArray("podCIDRs");
            a.add(cidr);
        } else if (!cidrs.isEmpty()) {
            spec.put("podCIDR", cidrs.get(0));
        }
    }
}
