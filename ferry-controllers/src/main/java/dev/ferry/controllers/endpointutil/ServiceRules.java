package dev.ferry.controllers.endpointutil;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;

/** Facts about a Service the endpoint controllers act on. Pure. */
public final class ServiceRules {
    private ServiceRules() {
    }

    /**
     * Whether the endpoint controllers manage endpoints for {@code service}: it has a non-empty selector and is not
     * of type ExternalName. (An empty selector does not survive the API's serialization, so it counts as none.)
     */
    public static boolean managesEndpoints(Service service) {
        if (service.getSpec() == null || "ExternalName".equals(service.getSpec().getType())) {
            return false;
        }
        Map<String, String> selector = service.getSpec().getSelector();
        return selector != null && !selector.isEmpty();
    }

    /** The selector selects {@code labels}; false for a Service without a selector (nil selects nothing). */
    public static boolean selects(Service service, Map<String, String> labels) {
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return false;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** No ClusterIP is set ("" or "None"): the Service is headless. */
    public static boolean isHeadless(Service service) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip == null || ip.isEmpty() || "None".equals(ip);
    }

    public static boolean publishNotReadyAddresses(Service service) {
        return service.getSpec() != null && Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    }
}
