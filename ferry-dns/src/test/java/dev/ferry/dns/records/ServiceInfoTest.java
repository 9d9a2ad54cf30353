package dev.ferry.dns.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceInfoTest {
    private static ServiceBuilder service() {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("web").endMetadata();
    }

    private static List<String> ips(ServiceInfo info) {
        return info.clusterIps().stream().map(InetAddress::getHostAddress).toList();
    }

    @Test
    void clusterIpServiceKeepsIpsAndPorts() {
        Service s = service().withNewSpec()
                .withType("ClusterIP").withClusterIP("10.0.0.1").withClusterIPs("10.0.0.1", "fd00::1")
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort()
                .addNewPort().withPort(53).endPort()
                .withSelector(java.util.Map.of("app", "web"))
                .endSpec().build();

        ServiceInfo info = ServiceInfo.of(s);

        assertThat(info.namespace()).isEqualTo("ns");
        assertThat(info.name()).isEqualTo("web");
        assertThat(info.kind()).isEqualTo(ServiceInfo.Kind.CLUSTER_IP);
        assertThat(ips(info)).containsExactly("10.0.0.1", "fd00:0:0:0:0:0:0:1");
        assertThat(info.ports()).containsExactly(new PortInfo("http", "TCP", 80), new PortInfo("", "TCP", 53));
        assertThat(info.publishNotReadyAddresses()).isFalse();
    }

    @Test
    void onlyTheLegacyClusterIpField() {
        ServiceInfo info = ServiceInfo.of(service().withNewSpec().withClusterIP("10.0.0.1").endSpec().build());

        assertThat(ips(info)).containsExactly("10.0.0.1");
    }

    @Test
    void nodePortAndLoadBalancerAreAnsweredAsClusterIp() {
        ServiceInfo info = ServiceInfo.of(service().withNewSpec().withType("LoadBalancer").withClusterIP("10.0.0.1")
                .endSpec().build());

        assertThat(info.kind()).isEqualTo(ServiceInfo.Kind.CLUSTER_IP);
    }

    @Test
    void clusterIpServiceWithoutAnIpYetHasNone() {
        assertThat(ServiceInfo.of(service().withNewSpec().withType("ClusterIP").endSpec().build()).clusterIps())
                .isEmpty();
        assertThat(ServiceInfo.of(service().withNewSpec().withClusterIP("").endSpec().build()).clusterIps())
                .isEmpty();
        assertThat(ServiceInfo.of(service().build()).clusterIps()).isEmpty();
    }

    @Test
    void headless() {
        ServiceInfo info = ServiceInfo.of(service().withNewSpec().withClusterIP("None").withClusterIPs("None")
                .addNewPort().withName("sql").withProtocol("TCP").withPort(5432).endPort()
                .withPublishNotReadyAddresses(true).endSpec().build());

        assertThat(info.kind()).isEqualTo(ServiceInfo.Kind.HEADLESS);
        assertThat(info.clusterIps()).isEmpty();
        assertThat(info.publishNotReadyAddresses()).isTrue();
    }

    @Test
    void legacyTolerateUnreadyAnnotation() {
        Service s = service().editMetadata()
                .addToAnnotations(ServiceInfo.TOLERATE_UNREADY_ANNOTATION, "true").endMetadata()
                .withNewSpec().withClusterIP("None").endSpec().build();

        assertThat(ServiceInfo.of(s).publishNotReadyAddresses()).isTrue();
    }

    @Test
    void externalName() {
        ServiceInfo info = ServiceInfo.of(service().withNewSpec().withType("ExternalName")
                .withExternalName("example.org").addNewPort().withPort(80).endPort().endSpec().build());

        assertThat(info.kind()).isEqualTo(ServiceInfo.Kind.EXTERNAL_NAME);
        assertThat(info.externalName()).isEqualTo("example.org");
        assertThat(info.ports()).isEmpty();
    }

    @Test
    void dnsIrrelevantChangesCompareEqual() {
        Service a = service().editMetadata().withResourceVersion("1").addToLabels("a", "b").endMetadata()
                .withNewSpec().withClusterIP("10.0.0.1").withSessionAffinity("None")
                .addNewPort().withName("http").withPort(80).withNewTargetPort(8080).endPort().endSpec().build();
        Service b = service().editMetadata().withResourceVersion("2").endMetadata()
                .withNewSpec().withClusterIP("10.0.0.1").withSessionAffinity("ClientIP")
                .addNewPort().withName("http").withPort(80).withNewTargetPort(9090).endPort().endSpec().build();

        assertThat(ServiceInfo.of(a)).isEqualTo(ServiceInfo.of(b));
    }
}
