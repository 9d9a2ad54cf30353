package dev.ferry.dns.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceInfoTest {
    private static EndpointSliceBuilder slice(String addressType) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName("web-abc")
                .addToLabels(SliceInfo.SERVICE_NAME_LABEL, "web").endMetadata()
                .withAddressType(addressType);
    }

    @Test
    void keepsEndpointsReadinessHostnamesAndPorts() {
        EndpointSlice s = slice("IPv4")
                .addNewEndpoint().withAddresses("172.0.0.1").withHostname("web-0")
                .withNewConditions().withReady(true).endConditions()
                .withNewTargetRef().withKind("Pod").withName("web-0").endTargetRef().endEndpoint()
                .addNewEndpoint().withAddresses("172.0.0.2")
                .withNewConditions().withReady(false).withServing(true).endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("172.0.0.3").endEndpoint()
                .addNewEndpoint().withAddresses("172.0.0.4").withNewConditions().endConditions().endEndpoint()
                .addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort()
                .addNewPort().withName("all").endPort()
                .build();

        SliceInfo info = SliceInfo.of(s);

        assertThat(info.namespace()).isEqualTo("ns");
        assertThat(info.name()).isEqualTo("web-abc");
        assertThat(info.serviceName()).isEqualTo("web");
        assertThat(info.addressType()).isEqualTo("IPv4");
        assertThat(info.endpoints()).extracting(e -> e.addresses().stream().map(InetAddress::getHostAddress).toList())
                .containsExactly(List.of("172.0.0.1"), List.of("172.0.0.2"), List.of("172.0.0.3"), List.of("172.0.0.4"));
        assertThat(info.endpoints()).extracting(EndpointInfo::ready).containsExactly(true, false, true, true);
        assertThat(info.endpoints()).extracting(EndpointInfo::hostname).containsExactly("web-0", "", "", "");
        assertThat(info.endpoints()).extracting(EndpointInfo::podName).containsExactly("web-0", "", "", "");
        assertThat(info.ports()).containsExactly(new PortInfo("http", "TCP", 8080));
    }

    @Test
    void ipv6() {
        SliceInfo info = SliceInfo.of(slice("IPv6").addNewEndpoint().withAddresses("fd00::1").endEndpoint().build());

        assertThat(info.endpoints().getFirst().addresses()).extracting(InetAddress::getHostAddress)
                .containsExactly("fd00:0:0:0:0:0:0:1");
    }

    @Test
    void fqdnSlicesCarryNoAddresses() {
        SliceInfo info = SliceInfo.of(slice("FQDN").addNewEndpoint().withAddresses("db.example.org").endEndpoint()
                .build());

        assertThat(info.endpoints().getFirst().addresses()).isEmpty();
    }

    @Test
    void unlabelledSliceHasNoService() {
        EndpointSlice s = new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName("x").endMetadata()
                .withAddressType("IPv4").build();

        assertThat(SliceInfo.of(s).serviceName()).isNull();
        assertThat(SliceInfo.of(s).endpoints()).isEmpty();
    }

    @Test
    void dnsIrrelevantChangesCompareEqual() {
        EndpointSlice a = slice("IPv4").editMetadata().withResourceVersion("1").endMetadata()
                .addNewEndpoint().withAddresses("172.0.0.1").withNodeName("n1")
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                .endEndpoint().build();
        EndpointSlice b = slice("IPv4").editMetadata().withResourceVersion("2").endMetadata()
                .addNewEndpoint().withAddresses("172.0.0.1").withNodeName("n2")
                .withNewConditions().withReady(true).endConditions().endEndpoint().build();

        assertThat(SliceInfo.of(a)).isEqualTo(SliceInfo.of(b));
    }
}
