package dev.ferry.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kube-system/kube-dns} Service, as kubeadm's CoreDNS add-on creates it: the cluster IP clients' resolv.conf
 * names, ports {@code dns} (UDP) and {@code dns-tcp} (TCP), selector {@code k8s-app=kube-dns}. The DNS server itself
 * listens on that address, so the Service has no endpoints and the service proxy leaves the address alone.
 */
final class KubeDnsService {
    static final String NAMESPACE = "kube-system";
    static final String NAME = "kube-dns";
    private static final Logger log = LoggerFactory.getLogger(KubeDnsService.class);

    private KubeDnsService() {
    }

    static Service desired(String clusterIp, int port) {
        Map<String, String> app = Map.of("k8s-app", "kube-dns");
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(NAME)
                .addToLabels(app).addToLabels("kubernetes.io/name", "FerryDNS")
                .addToLabels("kubernetes.io/cluster-service", "true").endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withSelector(app)
                .addNewPort().withName("dns").withProtocol("UDP").withPort(port).withNewTargetPort(port).endPort()
                .addNewPort().withName("dns-tcp").withProtocol("TCP").withPort(port).withNewTargetPort(port).endPort()
                .endSpec().build();
    }

    /**
     * Creates the Service when it is missing; an existing one is left as it is (a user may have changed it). Failures
     * are logged, not thrown: DNS serves without the Service object.
     */
    static void ensure(KubernetesClient client, String clusterIp, int port) {
        try {
            Service existing = client.services().inNamespace(NAMESPACE).withName(NAME).get();
            if (existing != null) {
                if (!clusterIp.equals(existing.getSpec().getClusterIP())) {
                    log.warn("Service {}/{} has cluster IP {}, but cluster DNS listens on {}", NAMESPACE, NAME,
                            existing.getSpec().getClusterIP(), clusterIp);
                }
                return;
            }
            client.services().inNamespace(NAMESPACE).resource(desired(clusterIp, port)).create();
            log.info("created Service {}/{} at {}", NAMESPACE, NAME, clusterIp);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return;
            }
            log.warn("cannot create Service {}/{} at {}: {}", NAMESPACE, NAME, clusterIp,
                    e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                            : e.getMessage());
        }
    }
}
