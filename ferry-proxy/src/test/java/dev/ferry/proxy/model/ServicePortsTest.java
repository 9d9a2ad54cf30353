package dev.ferry.proxy.model;

import static dev.ferry.proxy.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.net.Cidr;
import dev.ferry.proxy.Fixtures.Svc;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.ServicePortName;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServicePortsTest {

    /** A ClusterIP Service ns/web on 127.96.0.10 with one TCP port "http" 80, edited by {@code edit}. */
    private static Service service(UnaryOperator<ServiceBuilder> edit) {
        ServiceBuilder b = new ServiceBuilder()
                .withNewMetadata().withNamespace("ns").withName("web").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("127.96.0.10").withClusterIPs("127.96.0.10")
                .withPorts(new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(80)
                        .withNewTargetPort(8080).build())
                .endSpec();
        return edit.apply(b).build();
    }

    private static ServicePortInfo only(Service s) {
        List<ServicePortInfo> ports = ServicePorts.of(s);
        assertThat(ports).hasSize(1);
        return ports.get(0);
    }

    @Test
    void clusterIpServiceDefaults() {
        ServicePortInfo p = only(service(b -> b));

        assertThat(p.name()).isEqualTo(new ServicePortName("ns", "web", "http", Protocol.TCP));
        assertThat(p.clusterIps()).containsExactly(ip("127.96.0.10"));
        assertThat(p.port()).isEqualTo(80);
        assertThat(p.nodePort()).isZero();
        assertThat(p.healthCheckNodePort()).isZero();
        assertThat(p.externalIps()).isEmpty();
        assertThat(p.loadBalancerIps()).isEmpty();
        assertThat(p.sourceRanges()).isEmpty();
        assertThat(p.affinityTimeout()).isNull();
        assertThat(p.internalLocal()).isFalse();
        assertThat(p.externalLocal()).isFalse();
        assertThat(p.externallyAccessible()).isFalse();
    }

    @Test
    void externalNameServiceIsSkipped() {
        Service s = service(b -> b.editSpec().withType("ExternalName").withExternalName("example.com")
                .withClusterIP(null).withClusterIPs().endSpec());
        assertThat(ServicePorts.of(s)).isEmpty();
        // even with a (stale) cluster IP left in the spec
        assertThat(ServicePorts.of(service(b -> b.editSpec().withType("ExternalName").endSpec()))).isEmpty();
    }

    @ParameterizedTest(name = "clusterIP \"{0}\"")
    @CsvSource(value = {"None", "''", "NULL"}, nullValues = "NULL")
    void headlessServicesAreSkipped(String clusterIp) {
        Service s = service(b -> b.editSpec().withClusterIP(clusterIp)
                .withClusterIPs(clusterIp == null ? List.of() : List.of(clusterIp)).endSpec());
        assertThat(ServicePorts.of(s)).isEmpty();
    }

    @Test
    void clusterIpUsedWhenClusterIpsUnset() {
        Service s = service(b -> b.editSpec().withClusterIPs((List<String>) null).endSpec());
        assertThat(only(s).clusterIps()).containsExactly(ip("127.96.0.10"));
    }

    @ParameterizedTest(name = "service-proxy-name=\"{0}\"")
    @CsvSource(value = {"other-proxy", "''"})
    void servicesOfAnotherProxyAreSkipped(String value) {
        Service s = service(b -> b.editMetadata().addToLabels(ServicePorts.SERVICE_PROXY_NAME, value).endMetadata());
        assertThat(ServicePorts.of(s)).isEmpty();
    }

    @Test
    void otherLabelsDoNotSkip() {
        Service s = service(b -> b.editMetadata().addToLabels("app", "web").endMetadata());
        assertThat(ServicePorts.of(s)).hasSize(1);
    }

    @Test
    void tcpAndUdpServedSctpSkippedUnsetProtocolIsTcp() {
        Service s = service(b -> b.editSpec().withPorts(
                new ServicePortBuilder().withName("dns").withProtocol("UDP").withPort(53).build(),
                new ServicePortBuilder().withName("dns-tcp").withProtocol("TCP").withPort(53).build(),
                new ServicePortBuilder().withName("sig").withProtocol("SCTP").withPort(9999).build(),
                new ServicePortBuilder().withName("plain").withPort(81).build()).endSpec());

        assertThat(ServicePorts.of(s)).extracting(ServicePortInfo::name).containsExactly(
                new ServicePortName("ns", "web", "dns", Protocol.UDP),
                new ServicePortName("ns", "web", "dns-tcp", Protocol.TCP),
                new ServicePortName("ns", "web", "plain", Protocol.TCP));
    }

    @Test
    void unnamedPortHasEmptyName() {
        Service s = service(b -> b.editSpec().withPorts(new ServicePortBuilder().withPort(80).build()).endSpec());
        ServicePortInfo p = only(s);
        assertThat(p.name().port()).isEmpty();
        assertThat(p.name()).hasToString("ns/web");
    }

    @Test
    void onlyIpv4ClusterIpsOfDualStackService() {
        Service s = service(b -> b.editSpec().withClusterIPs("127.96.0.10", "fd00::10").endSpec());
        assertThat(only(s).clusterIps()).containsExactly(ip("127.96.0.10"));
    }

    @Test
    void ipv6OnlyServiceHasNothingToServe() {
        Service s = service(b -> b.editSpec().withClusterIP("fd00::10").withClusterIPs("fd00::10").endSpec());
        assertThat(ServicePorts.of(s)).isEmpty();
    }

    @Test
    void sessionAffinityClientIpDefaultsTo10800Seconds() {
        Service s = service(b -> b.editSpec().withSessionAffinity("ClientIP").endSpec());
        assertThat(only(s).affinityTimeout()).isEqualTo(Duration.ofSeconds(10800));
    }

    @Test
    void sessionAffinityConfiguredTimeout() {
        Service s = service(b -> b.editSpec().withSessionAffinity("ClientIP").withNewSessionAffinityConfig()
                .withNewClientIP().withTimeoutSeconds(60).endClientIP().endSessionAffinityConfig().endSpec());
        assertThat(only(s).affinityTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void sessionAffinityNoneMeansNoAffinity() {
        Service s = service(b -> b.editSpec().withSessionAffinity("None").withNewSessionAffinityConfig()
                .withNewClientIP().withTimeoutSeconds(60).endClientIP().endSessionAffinityConfig().endSpec());
        assertThat(only(s).affinityTimeout()).isNull();
    }

    @Test
    void nodePortAndTrafficPolicies() {
        Service s = service(b -> b.editSpec().withType("LoadBalancer").withExternalTrafficPolicy("Local")
                .withInternalTrafficPolicy("Local").withHealthCheckNodePort(32000)
                .withPorts(new ServicePortBuilder().withName("http").withPort(80).withNodePort(30080).build())
                .endSpec());
        ServicePortInfo p = only(s);
        assertThat(p.nodePort()).isEqualTo(30080);
        assertThat(p.healthCheckNodePort()).isEqualTo(32000);
        assertThat(p.externalLocal()).isTrue();
        assertThat(p.internalLocal()).isTrue();
        assertThat(p.externallyAccessible()).isTrue();
    }

    @Test
    void clusterPoliciesAreNotLocal() {
        Service s = service(b -> b.editSpec().withExternalTrafficPolicy("Cluster").withInternalTrafficPolicy("Cluster")
                .endSpec());
        ServicePortInfo p = only(s);
        assertThat(p.externalLocal()).isFalse();
        assertThat(p.internalLocal()).isFalse();
    }

    @Test
    void externalIpsIpv4Only() {
        Service s = service(b -> b.editSpec().withExternalIPs("127.77.1.1", "fd00::1", "not-an-ip").endSpec());
        ServicePortInfo p = only(s);
        assertThat(p.externalIps()).containsExactly(ip("127.77.1.1"));
        assertThat(p.externallyAccessible()).isTrue();
    }

    @Test
    void loadBalancerIngressIpsExceptIpModeProxy() {
        Service s = service(b -> b.editSpec().withType("LoadBalancer").endSpec()
                .withNewStatus().withNewLoadBalancer()
                .addNewIngress().withIp("127.240.0.1").endIngress()
                .addNewIngress().withIp("127.240.0.2").withIpMode("VIP").endIngress()
                .addNewIngress().withIp("127.240.0.3").withIpMode("Proxy").endIngress()
                .addNewIngress().withHostname("lb.example.com").endIngress()
                .endLoadBalancer().endStatus());
        assertThat(only(s).loadBalancerIps()).containsExactly(ip("127.240.0.1"), ip("127.240.0.2"));
    }

    @Test
    void loadBalancerIngressIgnoredUnlessTypeLoadBalancer() {
        Service s = service(b -> b.editSpec().withType("NodePort").endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("127.240.0.1").endIngress()
                .endLoadBalancer().endStatus());
        assertThat(only(s).loadBalancerIps()).isEmpty();
    }

    @Test
    void sourceRangesOnlyForLoadBalancer() {
        Service lb = service(b -> b.editSpec().withType("LoadBalancer")
                .withLoadBalancerSourceRanges("127.77.0.0/16", " 127.78.1.0/24 ", "fd00::/8", "garbage").endSpec());
        assertThat(only(lb).sourceRanges()).containsExactly(Cidr.parse("127.77.0.0/16"), Cidr.parse("127.78.1.0/24"));

        Service nodePort = service(b -> b.editSpec().withType("NodePort")
                .withLoadBalancerSourceRanges("127.77.0.0/16").endSpec());
        assertThat(only(nodePort).sourceRanges()).isEmpty();
    }

    @Test
    void portWithoutNumberSkipped() {
        Service s = service(b -> b.editSpec().withPorts(new ServicePortBuilder().withName("x").build(),
                new ServicePortBuilder().withName("y").withPort(81).build()).endSpec());
        assertThat(ServicePorts.of(s)).extracting(p -> p.name().port()).containsExactly("y");
    }

    /** kube-proxy's UsesClusterEndpoints / UsesLocalEndpoints (pkg/proxy/serviceport.go). */
    @ParameterizedTest(name = "itpLocal={0} etpLocal={1} nodePort={2} -> cluster={3} local={4}")
    @CsvSource({
        "false, false, 0,     true,  false",
        "true,  false, 0,     false, true",
        "false, true,  0,     true,  false",
        "true,  true,  0,     false, true",
        "false, false, 30080, true,  false",
        "true,  false, 30080, true,  true",
        "false, true,  30080, true,  true",
        "true,  true,  30080, true,  true",
    })
    void usesClusterAndLocalEndpoints(boolean itp, boolean etp, int nodePort, boolean cluster, boolean local) {
        Svc svc = Svc.of("ns", "web", "127.96.0.10", 80).nodePort(nodePort);
        if (itp) {
            svc = svc.itpLocal();
        }
        if (etp) {
            svc = svc.etpLocal();
        }
        assertThat(svc.info().usesClusterEndpoints()).as("usesClusterEndpoints").isEqualTo(cluster);
        assertThat(svc.info().usesLocalEndpoints()).as("usesLocalEndpoints").isEqualTo(local);
    }
}
