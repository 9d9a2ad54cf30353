package dev.ferry.apiserver.workload;

import dev.ferry.api.Json;
import dev.ferry.api.validation.FieldError;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Test helpers: objects from JSON text (parsed like request bodies), errors as upstream prints them. */
final class Trees {
    private Trees() {
    }

    static ObjectNode json(String text) {
        return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    static List<String> rendered(List<FieldError> errors) {
        return errors.stream().map(FieldError::toString).toList();
    }
}
