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

    static ContinueToken decode(String token) {
        try {
            JsonNode n = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token.trim()));
            long rv = n.path("rv").asLong(0);
            String start = n.path("start").asString("");
            if (!"meta.k8s.io/v1".equals(n.path("v").asString("")) || rv <= 0 || !start.startsWith(WatchCache.ROOT)) {
                throw new IllegalArgumentException();
            }
            return new ContinueToken(rv, start);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("continue key is not valid: " + e.getClass().getSimpleName());
        }
    }
}
