package dev.ferry.dns.records;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What DNS needs of a Service (CoreDNS object/service.go): built once when the object enters the cache, so the full
 * object need not be kept. Equal infos give equal records, so a caller may skip updates that leave it unchanged. Add
 * a field only when an answer depends on it.
 *
 * @param kind how the Service is answered
 * @param clusterIps the ClusterIPs (IPv4 and/or IPv6) of a {@link Kind#CLUSTER_IP} Service; empty for other kinds
 *     and for a ClusterIP Service that has no IP yet (which then has no names)
 * @param externalName the target of an {@link Kind#EXTERNAL_NAME} Service; empty for other kinds
 * @param ports the Service's ports in spec order; empty for ExternalName Services
 * @param publishNotReadyAddresses endpoints count as ready whatever their condition (the spec field, or the legacy
 *     annotation {@value #TOLERATE_UNREADY_ANNOTATION} = "true")
 */
public record ServiceInfo(
        String namespace,
        String name,
        Kind kind,
        List<InetAddress> clusterIps,
        String externalName,
        List<PortInfo> ports,
        boolean publishNotReadyAddresses) {

    /** The pre-EndpointSlice way to ask for not-ready endpoints in DNS; still honoured. */
    public static final String TOLERATE_UNREADY_ANNOTATION = "service.alpha.kubernetes.io/tolerate-unready-endpoints";

    /** How DNS answers for a Service. */
    public enum Kind {
        /** A/AAAA of the ClusterIPs; SRV target the Service name. Also NodePort and LoadBalancer Services. */
        CLUSTER_IP,
        /** clusterIP "None": A/AAAA of the ready endpoints; SRV targets the endpoint names. */
        HEADLESS,
        /** A CNAME to {@link #externalName()}. */
        EXTERNAL_NAME
    }

    public ServiceInfo {
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(name);
        Objects.requireNonNull(kind);
        clusterIps = List.copyOf(clusterIps);
        externalName = externalName == null ? "" : externalName;
        ports = List.copyOf(ports);
    }

    /** The projection of {@code service}. */
    public static ServiceInfo of(Service service) {
        ObjectMeta meta = service.getMetadata();
        ServiceSpec spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        boolean publishNotReady = Boolean.TRUE.equals(spec.getPublishNotReadyAddresses())
                || "true".equalsIgnoreCase(annotations.get(TOLERATE_UNREADY_ANNOTATION));
        if ("ExternalName".equals(spec.getType())) {
            return new ServiceInfo(meta.getNamespace(), meta.getName(), Kind.EXTERNAL_NAME, List.of(),
                    spec.getExternalName(), List.of(), publishNotReady);
        }
        List<PortInfo> ports = new ArrayList<>();
        if (spec.getPorts() != null) {
            for (ServicePort p : spec.getPorts()) {
                if (p.getPort() != null) {
                    ports.add(new PortInfo(p.getName(), p.getProtocol(), p.getPort()));
                }
            }
        }
        if ("None".equals(spec.getClusterIP())) {
            return new ServiceInfo(meta.getNamespace(), meta.getName(), Kind.HEADLESS, List.of(), "", ports,
                    publishNotReady);
        }
        List<String> ipTexts = spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()
                ? spec.getClusterIPs()
                : spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
        return new ServiceInfo(meta.getNamespace(), meta.getName(), Kind.CLUSTER_IP, Ips.parseAll(ipTexts), "", ports,
                publishNotReady);
    }
}
