package dev.ferry.dns.records;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What DNS needs of an EndpointSlice (CoreDNS object/endpoint.go): built once when the object enters the cache.
 *
 * @param name the slice's own name
 * @param serviceName the owning Service (label {@value #SERVICE_NAME_LABEL}); null when unlabelled, and then DNS
 *     ignores the slice
 * @param addressType IPv4, IPv6 or FQDN; endpoints of FQDN slices carry no addresses
 * @param endpoints every endpoint, ready or not (readiness depends on the Service's publishNotReadyAddresses)
 * @param ports the slice's ports that have a number
 */
public record SliceInfo(
        String namespace,
        String name,
        String serviceName,
        String addressType,
        List<EndpointInfo> endpoints,
        List<PortInfo> ports) {

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    public SliceInfo {
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(name);
        addressType = addressType == null ? "" : addressType;
        endpoints = List.copyOf(endpoints);
        ports = List.copyOf(ports);
    }

    /** The projection of {@code slice}. */
    public static SliceInfo of(EndpointSlice slice) {
        ObjectMeta meta = slice.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        String service = labels.get(SERVICE_NAME_LABEL);
        if (service != null && service.isEmpty()) {
            service = null;
        }
        boolean ipSlice = "IPv4".equals(slice.getAddressType()) || "IPv6".equals(slice.getAddressType());
        List<EndpointInfo> endpoints = new ArrayList<>();
        if (slice.getEndpoints() != null) {
            for (Endpoint e : slice.getEndpoints()) {
                boolean ready = e.getConditions() == null || e.getConditions().getReady() == null
                        || e.getConditions().getReady();
                String pod = e.getTargetRef() != null && "Pod".equals(e.getTargetRef().getKind())
                        ? e.getTargetRef().getName()
                        : "";
                endpoints.add(new EndpointInfo(
                        ipSlice && e.getAddresses() != null ? Ips.parseAll(e.getAddresses()) : List.of(),
                        e.getHostname(), ready, pod));
            }
        }
        List<PortInfo> ports = new ArrayList<>();
        if (slice.getPorts() != null) {
            for (EndpointPort p : slice.getPorts()) {
                if (p.getPort() != null) {
                    ports.add(new PortInfo(p.getName(), p.getProtocol(), p.getPort()));
                }
            }
        }
        return new SliceInfo(meta.getNamespace(), meta.getName(), service, slice.getAddressType(), endpoints, ports);
    }
}
