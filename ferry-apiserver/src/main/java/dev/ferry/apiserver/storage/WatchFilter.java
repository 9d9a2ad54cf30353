package dev.ferry.apiserver.storage;

import dev.ferry.api.selector.FieldSelector;
import dev.ferry.api.selector.LabelSelector;
import tools.jackson.databind.JsonNode;

/** Which objects a list or watch wants: a namespace ("" = all), a label selector and a field selector. */
public record WatchFilter(String kind, String namespace, LabelSelector labels, FieldSelector fields) {

    public static WatchFilter all(String kind) {
        return new WatchFilter(kind, "", LabelSelector.EVERYTHING, FieldSelector.EVERYTHING);
    }

    public boolean matches(JsonNode obj) {
        if (obj == null) {
            return false;
        }
        if (!namespace.isEmpty() && !namespace.equals(Meta.namespace(obj))) {
            return false;
        }
        if (!labels.isEverything() && !labels.matches(Meta.labels(obj))) {
            return false;
        }
        return fields.isEverything() || fields.matches(Fields.of(kind, obj));
    }
}
