package dev.ferry.apiserver.discovery;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Content negotiation for aggregated discovery. kubectl asks for
 * {@code application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,...;v=v2beta1;...,application/json};
 * the answer must carry the exact matching Content-Type, or kubectl misreads the body ("the server doesn't have a
 * resource type").
 */
public final class AggregatedDiscovery {
    static final String GROUP = "apidiscovery.k8s.io";
    /** Served versions, newest first. */
    static final List<String> VERSIONS = List.of("v2", "v2beta1");

    private AggregatedDiscovery() {
    }

    /**
     * The aggregated discovery version the Accept header asks for first ("v2" or "v2beta1"), or empty when the
     * client wants the legacy documents. Media types are taken in header order; q-values are ignored (kubectl
     * sends none).
     */
    public static Optional<String> negotiate(String accept) {
        if (accept == null) {
            return Optional.empty();
        }
        for (String mediaType : accept.split(",")) {
            String[] parts = mediaType.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!type.equals("application/json")) {
                continue;
            }
            String g = null;
            String v = null;
            String as = null;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].trim().split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                switch (kv[0].trim()) {
                    case "g" -> g = kv[1].trim();
                    case "v" -> v = kv[1].trim();
                    case "as" -> as = kv[1].trim();
                    default -> {
                    }
                }
            }
            if (GROUP.equals(g) && "APIGroupDiscoveryList".equals(as) && VERSIONS.contains(v)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The response Content-Type for an aggregated document of {@code version}. */
    public static String contentType(String version) {
        return "application/json;g=" + GROUP + ";v=" + version + ";as=APIGroupDiscoveryList";
    }
}
