package dev.ferry.apiserver.service;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.net.Cidr;
import dev.ferry.api.net.IpAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Upstream's {@code ValidateNonSpecialIP}/{@code ValidateEndpointIP} for external IPs and endpoint addresses: rejects
 * unspecified, loopback, link-local and link-local-multicast addresses with upstream's messages, except that loopback
 * addresses accepted by the {@code allowedLoopback} predicate pass (Ferry's cluster ranges live in 127.0.0.0/8).
 */
public final class SpecialIpValidator {
    /** Ferry's default loopback ranges: services, pods, load-balancer pool. */
    public static final List<String> FERRY_ALLOWED_CIDRS = List.of("127.96.0.0/16", "127.244.0.0/16", "127.240.0.0/24");

    private final Predicate<byte[]> allowedLoopback;

    /** @param allowedLoopback receives the parsed address (4 or 16 bytes) of a loopback IP */
    public SpecialIpValidator(Predicate<byte[]> allowedLoopback) {
        this.allowedLoopback = allowedLoopback;
    }

    /** Allows loopback addresses inside any of {@code cidrs}. */
    public static SpecialIpValidator allowing(List<String> cidrs) {
        List<Cidr> parsed = cidrs.stream().map(Cidr::parse).toList();
        return new SpecialIpValidator(ip -> parsed.stream().anyMatch(c -> c.contains(ip)));
    }

    /** Upstream behaviour: every loopback address is rejected. */
    public static SpecialIpValidator strict() {
        return new SpecialIpValidator(ip -> false);
    }

    public static SpecialIpValidator ferryDefaults() {
        return allowing(FERRY_ALLOWED_CIDRS);
    }

    /**
     * This validator, also accepting every loopback address: for the endpoints of the {@code default/kubernetes}
     * Service, which list the API servers, and Ferry's API servers listen on loopback (127.0.0.1 by default).
     */
    public SpecialIpValidator allowingAllLoopback() {
        return new SpecialIpValidator(ip -> true);
    }

    /** True for the Endpoints {@code default/kubernetes}: {@link #allowingAllLoopback()} applies to it. */
    static boolean isApiServerEndpoints(JsonNode endpoints) {
        JsonNode meta = endpoints.path("metadata");
        return "default".equals(meta.path("namespace").asString(""))
                && "kubernetes".equals(meta.path("name").asString(""));
    }

    /**
     * True for an EndpointSlice of the {@code default/kubernetes} Service (label {@code kubernetes.io/service-name}):
     * {@link #allowingAllLoopback()} applies to it.
     */
    static boolean isApiServerSlice(JsonNode slice) {
        JsonNode meta = slice.path("metadata");
        return "default".equals(meta.path("namespace").asString(""))
                && "kubernetes".equals(meta.path("labels").path("kubernetes.io/service-name").asString(""));
    }

    /** The errors for {@code ip} at {@code field}, empty when acceptable. */
    public List<FieldError> validate(String ip, String field) {
        List<FieldError> out = new ArrayList<>();
        byte[] b = IpAddresses.parse(ip);
        if (b == null) {
            out.add(FieldError.invalid(field, ip, "must be a valid IP address"));
            return out;
        }
        if (IpAddresses.isUnspecified(b)) {
            out.add(FieldError.invalid(field, ip, "may not be unspecified (" + ip + ")"));
        }
        if (IpAddresses.isLoopback(b) && !allowedLoopback.test(b)) {
            out.add(FieldError.invalid(field, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
        }
        if (IpAddresses.isLinkLocalUnicast(b)) {
            out.add(FieldError.invalid(field, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
        }
        if (IpAddresses.isLinkLocalMulticast(b)) {
            out.add(FieldError.invalid(field, ip,
                    "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
        }
        return out;
    }
}
