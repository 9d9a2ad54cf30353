package dev.ferry.apiserver;

import dev.ferry.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tools.jackson.databind.node.ObjectNode;

/** The bodies real kubectl accepted, recorded by kubectl-recorder (copied to src/test/resources/samples). */
public final class Samples {
    private Samples() {
    }

    public static ObjectNode load(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code node} as a client sees it: serialised and parsed back with the shared mapper. */
    public static ObjectNode wire(ObjectNode node) {
        return (ObjectNode) Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(node));
    }
}
