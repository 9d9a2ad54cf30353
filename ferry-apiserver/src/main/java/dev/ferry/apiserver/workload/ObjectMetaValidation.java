package dev.ferry.apiserver.workload;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code metadata} validation of apimachinery {@code pkg/api/validation/objectmeta.go}, for every kind. The registry
 * runs {@link #validate} (create) or {@link #validateUpdate} before the kind's own {@code Strategy.validate*}, so
 * errors come out in upstream's order: metadata first, then spec.
 */
public final class ObjectMetaValidation {
    /** 256 KiB: the total size of all annotation keys and values. */
    public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
    public static final String FIELD_IMMUTABLE = "field is immutable";

    /** How an object's name is checked; {@code prefix} is true for generateName. */
    public enum NameRule {
        DNS1123_SUBDOMAIN(ValueValidation::isDns1123Subdomain),
        DNS1123_LABEL(ValueValidation::isDns1123Label),
        DNS1035_LABEL(ValueValidation::isDns1035Label),
        /** No name check: core/v1 Events, which upstream validates only with legacyValidateEvent. */
        ANY(name -> List.of());

        private final Function<String, List<String>> check;

        NameRule(Function<String, List<String>> check) {
            this.check = check;
        }

        /** The problems with {@code name}; a generateName prefix may end in '-'. */
        public List<String> check(String name, boolean prefix) {
            return check.apply(prefix ? maskTrailingDash(name) : name);
        }
    }

    private final boolean namespaced;
    private final NameRule nameRule;

    public ObjectMetaValidation(boolean namespaced, NameRule nameRule) {
        this.namespaced = namespaced;
        this.nameRule = nameRule;
    }

    /**
     * Upstream's name rule per kind: namespaces are DNS-1123 labels, services DNS-1035 labels, v1 events unchecked,
     * everything else DNS-1123 subdomains.
     */
    public static ObjectMetaValidation forKind(String kind, boolean namespaced) {
        NameRule rule = switch (kind) {
            case "Namespace" -> NameRule.DNS1123_LABEL;
            case "Service" -> NameRule.DNS1035_LABEL;
            case "Event" -> NameRule.ANY;
            default -> NameRule.DNS1123_SUBDOMAIN;
        };
        return new ObjectMetaValidation(namespaced, rule);
    }

    public NameRule nameRule() {
        return nameRule;
    }

    /** ValidateObjectMetaAccessor: {@code obj.metadata} on create. */
    public List<FieldError> validate(ObjectNode obj) {
        JsonNode meta = obj.path("metadata");
        List<FieldError> errs = new ArrayList<>();
        String generateName = Nodes.text(meta, "generateName");
        if (!generateName.isEmpty()) {
            for (String msg : nameRule.check(generateName, true)) {
                errs.add(FieldError.invalid("metadata.generateName", generateName, msg));
            }
        }
        String name = Nodes.text(meta, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            for (String msg : nameRule.check(name, false)) {
                errs.add(FieldError.invalid("metadata.name", name, msg));
            }
        }
        String namespace = Nodes.text(meta, "namespace");
        if (namespaced) {
            if (namespace.isEmpty()) {
                errs.add(FieldError.required("metadata.namespace", ""));
            } else {
                for (String msg : NameRule.DNS1123_LABEL.check(namespace, false)) {
                    errs.add(FieldError.invalid("metadata.namespace", namespace, msg));
                }
            }
        } else if (!namespace.isEmpty()) {
            errs.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
        }
        long generation = Nodes.number(meta, "generation", 0);
        if (generation < 0) {
            errs.add(FieldError.invalid("metadata.generation", generation, "must be greater than or equal to 0"));
        }
        errs.addAll(commonChecks(meta));
        errs.addAll(validateFinalizers(meta.get("finalizers"), "metadata.finalizers"));
        return errs;
    }

    /** ValidateObjectMetaAccessorUpdate: identity fields immutable, generation not decremented. */
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        JsonNode meta = obj.path("metadata");
        JsonNode oldMeta = old.path("metadata");
        List<FieldError> errs = new ArrayList<>();
        if (Nodes.present(oldMeta, "deletionTimestamp")) {
            Set<String> extra = new LinkedHashSet<>(strings(meta.get("finalizers")));
            extra.removeAll(strings(oldMeta.get("finalizers")));
            if (!extra.isEmpty()) {
                errs.add(FieldError.forbidden("metadata.finalizers",
                        "no new finalizers can be added if the object is being deleted, found new finalizers "
                                + goStringSlice(extra.stream().sorted().toList())));
            }
        }
        if (Nodes.text(meta, "resourceVersion").isEmpty()) {
            errs.add(FieldError.invalid("metadata.resourceVersion", "", "must be specified for an update"));
        }
        long generation = Nodes.number(meta, "generation", 0);
        if (generation < Nodes.number(oldMeta, "generation", 0)) {
            errs.add(FieldError.invalid("metadata.generation", generation, "must not be decremented"));
        }
        for (String f : List.of("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
                "deletionGracePeriodSeconds")) {
            JsonNode now = meta.get(f);
            if (!Nodes.semanticEquals(now, oldMeta.get(f))) {
                errs.add(FieldError.invalid("metadata." + f, now, FIELD_IMMUTABLE));
            }
        }
        errs.addAll(commonChecks(meta));
        return errs;
    }

    private static List<FieldError> commonChecks(JsonNode meta) {
        List<FieldError> errs = new ArrayList<>();
        errs.addAll(validateLabels(meta.get("labels"), "metadata.labels"));
        errs.addAll(validateAnnotations(meta.get("annotations"), "metadata.annotations"));
        errs.addAll(validateOwnerReferences(meta.get("ownerReferences"), "metadata.ownerReferences"));
        return errs;
    }

    /** ValidateLabels: keys are qualified names, values label values; all errors at {@code path}. */
    public static List<FieldError> validateLabels(JsonNode labels, String path) {
        List<FieldError> errs = new ArrayList<>();
        for (Map.Entry<String, String> e : Nodes.stringMap(labels)) {
            for (String msg : ValueValidation.isQualifiedName(e.getKey())) {
                errs.add(FieldError.invalid(path, e.getKey(), msg));
            }
            for (String msg : ValueValidation.isValidLabelValue(e.getValue())) {
                errs.add(FieldError.invalid(path, e.getValue(), msg));
            }
        }
        return errs;
    }

    /** ValidateAnnotations: keys are qualified names (checked lower-cased), total size at most 256 KiB. */
    public static List<FieldError> validateAnnotations(JsonNode annotations, String path) {
        List<FieldError> errs = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, String> e : Nodes.stringMap(annotations)) {
            for (String msg : ValueValidation.isQualifiedName(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
                errs.add(FieldError.invalid(path, e.getKey(), msg));
            }
            total += ValueValidation.byteLength(e.getKey()) + ValueValidation.byteLength(e.getValue());
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errs.add(FieldError.tooLong(path, "", TOTAL_ANNOTATION_SIZE_LIMIT));
        }
        return errs;
    }

    /** ValidateFinalizers: each a qualified name; orphan and foregroundDeletion exclusive. */
    public static List<FieldError> validateFinalizers(JsonNode finalizers, String path) {
        List<FieldError> errs = new ArrayList<>();
        List<String> names = strings(finalizers);
        for (String f : names) {
            for (String msg : ValueValidation.isQualifiedName(f)) {
                errs.add(FieldError.invalid(path, f, msg));
            }
        }
        if (names.contains("orphan") && names.contains("foregroundDeletion")) {
            errs.add(FieldError.invalid(path, finalizers,
                    "finalizer orphan and foregroundDeletion cannot be both set"));
        }
        return errs;
    }

    private static List<FieldError> validateOwnerReferences(JsonNode refs, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (refs == null || !refs.isArray()) {
            return errs;
        }
        String firstController = "";
        for (JsonNode ref : refs) {
            String apiVersion = Nodes.text(ref, "apiVersion");
            String kind = Nodes.text(ref, "kind");
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
            if (version.isEmpty()) {
                errs.add(FieldError.invalid(path + ".apiVersion", apiVersion, "version must not be empty"));
            }
            if (kind.isEmpty()) {
                errs.add(FieldError.invalid(path + ".kind", kind, "kind must not be empty"));
            }
            if (Nodes.text(ref, "name").isEmpty()) {
                errs.add(FieldError.invalid(path + ".name", "", "name must not be empty"));
            }
            if (Nodes.text(ref, "uid").isEmpty()) {
                errs.add(FieldError.invalid(path + ".uid", "", "uid must not be empty"));
            }
            if (apiVersion.equals("v1") && kind.equals("Event")) {
                errs.add(FieldError.invalid(path, ref, "/v1, Kind=Event is disallowed from being an owner"));
            }
            if (ref.path("controller").asBoolean(false)) {
                String current = kind + "/" + Nodes.text(ref, "name");
                if (!firstController.isEmpty()) {
                    errs.add(FieldError.invalid(path, refs, "Only one reference can have Controller set to true. "
                            + "Found \"true\" in references for " + firstController + " and " + current));
                } else {
                    firstController = current;
                }
            }
        }
        return errs;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode n : array) {
                out.add(n.isString() ? n.asString() : n.toString());
            }
        }
        return out;
    }

    /** Go's {@code %#v} of a []string: {@code []string{"a", "b"}}. */
    private static String goStringSlice(List<String> values) {
        StringBuilder s = new StringBuilder("[]string{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append('"').append(values.get(i)).append('"');
        }
        return s.append('}').toString();
    }

    private static String maskTrailingDash(String name) {
        if (name.length() > 1 && name.endsWith("-")) {
            return name.substring(0, name.length() - 2) + "a";
        }
        return name;
    }
}
