package dev.ferry.controllers.deployment;

import dev.ferry.controllers.workloadutil.Copies;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code pod-template-hash} of a Deployment's template (upstream controller.ComputeHash): FNV-1a (32 bit) over a
 * canonical rendering of the template (JSON with sorted keys, nulls and empties dropped), then the collision count
 * when set, printed as a decimal and mapped through upstream's SafeEncodeString alphabet. The rendering depends only
 * on the template's content, so the hash is the same in every run of Ferry. Pure.
 */
public final class PodTemplateHash {
    /** The label (and selector key) that ties a ReplicaSet and its pods to one template. */
    public static final String LABEL = "pod-template-hash";
    /** rand.SafeEncodeString's alphabet: no vowels (no words), no 0/1/3 (look like letters). */
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private PodTemplateHash() {
    }

    /** The hash of {@code template} for {@code collisionCount} (null = never collided). */
    public static String compute(PodTemplateSpec template, Integer collisionCount) {
        byte[] text = Copies.canonical(template).toString().getBytes(StandardCharsets.UTF_8);
        int h = FNV_OFFSET;
        for (byte b : text) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        if (collisionCount != null) {
            // upstream hashes an 8-byte buffer holding the count as a little-endian uint32
            int c = collisionCount;
            for (int i = 0; i < 8; i++) {
                int b = i < 4 ? (c >>> (8 * i)) & 0xff : 0;
                h = (h ^ b) * FNV_PRIME;
            }
        }
        return safeEncode(Integer.toUnsignedString(h));
    }

    /** rand.SafeEncodeString: each byte mapped to {@code ALPHANUMS[byte % 27]}. */
    static String safeEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            out.append(ALPHANUMS.charAt((b & 0xff) % ALPHANUMS.length()));
        }
        return out.toString();
    }

    /** Whether two templates are equal once the {@code pod-template-hash} label is ignored (EqualIgnoreHash). */
    public static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
        return withoutHash(a).equals(withoutHash(b));
    }

    private static JsonNode withoutHash(PodTemplateSpec t) {
        JsonNode tree = Copies.canonical(t == null ? new PodTemplateSpec() : t);
        if (tree.path("metadata").path("labels") instanceof ObjectNode labels) {
            labels.remove(LABEL);
            if (labels.isEmpty() && tree.get("metadata") instanceof ObjectNode meta) {
                meta.remove("labels");
                if (meta.isEmpty() && tree instanceof ObjectNode root) {
                    root.remove("metadata");
                }
            }
        }
        return tree;
    }

    /** {@code labels} plus the hash label. */
    static Map<String, String> withHash(Map<String, String> labels, String hash) {
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        if (labels != null) {
            out.putAll(labels);
        }
        out.put(LABEL, hash);
        return out;
    }
}
