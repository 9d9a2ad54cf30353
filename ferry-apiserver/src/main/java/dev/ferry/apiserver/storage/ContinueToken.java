package dev.ferry.apiserver.storage;

import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The list continue token: base64 of {@code {"v":"meta.k8s.io/v1","rv":N,"start":"<key>"}}, as upstream's etcd3 store. */
record ContinueToken(long revision, String startKey) {

    String encode() {
        ObjectNode n = Json.object();
        n.put("v", "meta.k8s.io/v1");
        n.put("rv", revision);
        n.put("start", startKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a client's token; anything else is a 400 with upstream's "invalid continue token: ..." text. */
    static ContinueToken decode(String token) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token.trim()));
        } catch (IllegalArgumentException e) {
            throw invalid("continue key is not valid: " + e.getMessage());
        } catch (RuntimeException e) {
            throw invalid("continue key is not valid: invalid character in encoded token");
        }
        if (!(n instanceof ObjectNode)) {
            throw invalid("continue key is not valid: token is not a JSON object");
        }
        String version = n.path("v").asString("");
        if (!version.equals("meta.k8s.io/v1")) {
            throw invalid("continue key is not valid: server does not recognize this encoded version " + version);
        }
        JsonNode rv = n.path("rv");
        if (!rv.isIntegralNumber() || !rv.canConvertToLong() || rv.asLong() <= 0) {
            throw invalid("continue key is not valid: incorrect encoded start resourceVersion "
                    + "(version meta.k8s.io/v1)");
        }
        String start = n.path("start").asString("");
        if (start.isEmpty()) {
            throw invalid("continue key is not valid: encoded start key empty (version meta.k8s.io/v1)");
        }
        if (!start.startsWith(WatchCache.ROOT) || start.contains("/../") || start.contains("/./")) {
            throw invalid("continue key is not valid: " + start);
        }
        return new ContinueToken(rv.asLong(), start);
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("invalid continue token: " + detail);
    }
}
