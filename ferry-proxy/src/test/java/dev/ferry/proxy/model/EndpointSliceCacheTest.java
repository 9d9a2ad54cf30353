package dev.ferry.proxy.model;

import static dev.ferry.proxy.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointSliceCacheTest {
    private final EndpointSliceCache cache = new EndpointSliceCache();

    private static EndpointSlice slice(String name, String service, String addressType, List<EndpointPort> ports,
            Endpoint... endpoints) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .endMetadata().withAddressType(addressType).withPorts(ports).withEndpoints(endpoints);
        if (service != null) {
            b.editMetadata().addToLabels(EndpointSliceCache.SERVICE_NAME_LABEL, service).endMetadata();
        }
        return b.build();
    }

    private static EndpointSlice slice(String name, Endpoint... endpoints) {
        return slice(name, "web", "IPv4", List.of(port("http", "TCP", 8080)), endpoints);
    }

    private static EndpointPort port(String name, String protocol, Integer port) {
        return new EndpointPortBuilder().withName(name).withProtocol(protocol).withPort(port).build();
    }

    private static Endpoint endpoint(String ip, Boolean ready, Boolean serving, Boolean terminating) {
        EndpointBuilder b = new EndpointBuilder().withAddresses(ip);
        if (ready != null || serving != null || terminating != null) {
            b.withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions();
        }
        return b.build();
    }

    private static Endpoint ready(String ip) {
        return endpoint(ip, true, true, false);
    }

    private List<EndpointInfo> http() {
        return cache.endpoints("ns/web").getOrDefault("http/TCP", List.of());
    }

    @Test
    void noConditionsAtAllMeansReadyServingNotTerminating() {
        cache.update(slice("web-1", new EndpointBuilder().withAddresses("127.244.1.5").build()));
        EndpointInfo e = http().get(0);
        assertThat(e.ready()).isTrue();
        assertThat(e.serving()).isTrue();
        assertThat(e.terminating()).isFalse();
    }

    /** As kube-proxy's EndpointSliceCache: ready unset = true, serving unset = true, terminating unset = false. */
    @ParameterizedTest(name = "ready={0} serving={1} terminating={2} -> {3} {4} {5}")
    @CsvSource(value = {
        "NULL,  NULL,  NULL,  true,  true,  false",
        "false, NULL,  NULL,  false, true,  false",
        "true,  NULL,  NULL,  true,  true,  false",
        "NULL,  false, NULL,  true,  false, false",
        "false, true,  true,  false, true,  true",
        "false, false, true,  false, false, true",
        "true,  true,  false, true,  true,  false",
    }, nullValues = "NULL")
    void conditionDefaults(Boolean ready, Boolean serving, Boolean terminating, boolean wantReady,
            boolean wantServing, boolean wantTerminating) {
        cache.update(slice("web-1", endpoint("127.244.1.5", ready, serving, terminating)));
        EndpointInfo e = http().get(0);
        assertThat(e.ready()).as("ready").isEqualTo(wantReady);
        assertThat(e.serving()).as("serving").isEqualTo(wantServing);
        assertThat(e.terminating()).as("terminating").isEqualTo(wantTerminating);
    }

    @Test
    void endpointFieldsNodeZoneAndHints() {
        cache.update(slice("web-1", new EndpointBuilder().withAddresses("127.244.1.5", "127.244.1.6")
                .withNodeName("node-a").withZone("zone-a")
                .withNewHints().addNewForZone("zone-a").addNewForZone("zone-b").addNewForNode("node-a").endHints()
                .build(),
                ready("127.244.2.5")));
        List<EndpointInfo> eps = http();
        assertThat(eps).hasSize(2);
        EndpointInfo a = eps.get(0);
        assertThat(a.ip()).as("only the first address is used").isEqualTo(ip("127.244.1.5"));
        assertThat(a.port()).isEqualTo(8080);
        assertThat(a.nodeName()).isEqualTo("node-a");
        assertThat(a.zone()).isEqualTo("zone-a");
        assertThat(a.zoneHints()).containsExactlyInAnyOrder("zone-a", "zone-b");
        assertThat(a.nodeHints()).containsExactly("node-a");
        EndpointInfo b = eps.get(1);
        assertThat(b.nodeName()).isEmpty();
        assertThat(b.zone()).isEmpty();
        assertThat(b.zoneHints()).isEmpty();
        assertThat(b.nodeHints()).isEmpty();
    }

    @Test
    void sameEndpointInTwoSlicesListedOnceAndReadyCopyWins() {
        // a pod moving between slices: the old slice still has it not ready, the new one ready (either order)
        cache.update(slice("web-a", endpoint("127.244.1.5", false, false, false), ready("127.244.1.6")));
        cache.update(slice("web-b", ready("127.244.1.5")));
        assertThat(http()).hasSize(2);
        assertThat(http()).filteredOn(e -> e.ip().equals(ip("127.244.1.5"))).singleElement()
                .extracting(EndpointInfo::ready).isEqualTo(true);

        cache.update(slice("web-a", ready("127.244.1.5"), ready("127.244.1.6")));
        cache.update(slice("web-b", endpoint("127.244.1.5", false, false, false)));
        assertThat(http()).hasSize(2);
        assertThat(http()).filteredOn(e -> e.ip().equals(ip("127.244.1.5"))).singleElement()
                .extracting(EndpointInfo::ready).isEqualTo(true);
    }

    @Test
    void ipv6AndFqdnSlicesIgnored() {
        cache.update(slice("web-v4", ready("127.244.1.5")));
        cache.update(slice("web-v6", "web", "IPv6", List.of(port("http", "TCP", 8080)), ready("fd00::5")));
        cache.update(slice("web-fqdn", "web", "FQDN", List.of(port("http", "TCP", 8080)), ready("example.com")));
        assertThat(http()).extracting(EndpointInfo::ip).containsExactly(ip("127.244.1.5"));
    }

    @Test
    void ipv6AddressInIpv4SliceIgnored() {
        cache.update(slice("web-1", ready("fd00::5"), ready("127.244.1.5")));
        assertThat(http()).extracting(EndpointInfo::ip).containsExactly(ip("127.244.1.5"));
    }

    @Test
    void sliceWithoutServiceNameLabelIgnored() {
        EndpointSlice orphan = slice("orphan", null, "IPv4", List.of(port("http", "TCP", 8080)),
                ready("127.244.1.5"));
        assertThat(cache.update(orphan)).isNull();
        assertThat(cache.delete(orphan)).isNull();
        EndpointSlice empty = slice("empty", "", "IPv4", List.of(port("http", "TCP", 8080)), ready("127.244.1.5"));
        assertThat(cache.update(empty)).isNull();
        assertThat(cache.serviceKeys()).isEmpty();
    }

    @Test
    void updateReturnsServiceKeyAndReplacesSliceByName() {
        assertThat(cache.update(slice("web-1", ready("127.244.1.5")))).isEqualTo("ns/web");
        cache.update(slice("web-1", ready("127.244.1.9")));
        assertThat(http()).extracting(EndpointInfo::ip).containsExactly(ip("127.244.1.9"));
        assertThat(cache.serviceKeys()).containsExactly("ns/web");
    }

    @Test
    void deleteForgetsSliceAndServiceWithoutSlices() {
        EndpointSlice one = slice("web-1", ready("127.244.1.5"));
        EndpointSlice two = slice("web-2", ready("127.244.1.6"));
        cache.update(one);
        cache.update(two);

        assertThat(cache.delete(one)).isEqualTo("ns/web");
        assertThat(http()).extracting(EndpointInfo::ip).containsExactly(ip("127.244.1.6"));

        cache.delete(two);
        assertThat(cache.serviceKeys()).isEmpty();
        assertThat(cache.endpoints("ns/web")).isEmpty();
        assertThat(cache.delete(two)).as("deleting twice is harmless").isEqualTo("ns/web");
    }

    @Test
    void portsKeyedByNameAndProtocolUnnamedAndDefaultTcp() {
        cache.update(slice("web-1", "web", "IPv4", List.of(port("", "UDP", 53), port(null, null, 80),
                port("dns", "UDP", 5353), port("dns", "TCP", 5353), port("noport", "TCP", null)),
                ready("127.244.1.5")));
        Map<String, List<EndpointInfo>> eps = cache.endpoints("ns/web");
        assertThat(eps.keySet()).containsExactlyInAnyOrder("/UDP", "/TCP", "dns/UDP", "dns/TCP");
        assertThat(eps.get("/UDP").get(0).port()).isEqualTo(53);
        assertThat(eps.get("/TCP").get(0).port()).isEqualTo(80);
        assertThat(EndpointSliceCache.forPort(eps, "dns", "TCP")).extracting(EndpointInfo::port)
                .containsExactly(5353);
        assertThat(EndpointSliceCache.forPort(eps, "missing", "TCP")).isEmpty();
    }

    @Test
    void targetPortDiffersPerSlice() {
        // a named targetPort resolving to different container ports puts pods into different slices
        cache.update(slice("web-a", "web", "IPv4", List.of(port("http", "TCP", 8080)), ready("127.244.1.5")));
        cache.update(slice("web-b", "web", "IPv4", List.of(port("http", "TCP", 9090)), ready("127.244.1.6")));
        assertThat(http()).extracting(e -> e.ip().getHostAddress() + ":" + e.port())
                .containsExactlyInAnyOrder("127.244.1.5:8080", "127.244.1.6:9090");
    }

    @Test
    void samePodOnTwoTargetPortsIsTwoEndpoints() {
        cache.update(slice("web-a", "web", "IPv4", List.of(port("http", "TCP", 8080)), ready("127.244.1.5")));
        cache.update(slice("web-b", "web", "IPv4", List.of(port("http", "TCP", 9090)), ready("127.244.1.5")));
        assertThat(http()).extracting(EndpointInfo::port).containsExactlyInAnyOrder(8080, 9090);
    }

    @Test
    void servicesAreSeparateAndKeyedByNamespace() {
        cache.update(slice("web-1", ready("127.244.1.5")));
        cache.update(slice("api-1", "api", "IPv4", List.of(port("http", "TCP", 8080)), ready("127.244.1.7")));
        EndpointSlice otherNs = new EndpointSliceBuilder(slice("web-1", ready("127.244.1.8"))).editMetadata()
                .withNamespace("other").endMetadata().build();
        assertThat(cache.update(otherNs)).isEqualTo("other/web");

        assertThat(cache.serviceKeys()).containsExactlyInAnyOrder("ns/web", "ns/api", "other/web");
        assertThat(http()).extracting(EndpointInfo::ip).containsExactly(ip("127.244.1.5"));
        assertThat(cache.endpoints("other/web").get("http/TCP")).extracting(EndpointInfo::ip)
                .containsExactly(ip("127.244.1.8"));
    }

    @Test
    void sliceWithoutPortsOrEndpointsContributesNothing() {
        cache.update(new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName("web-empty")
                .addToLabels(EndpointSliceCache.SERVICE_NAME_LABEL, "web").endMetadata().withAddressType("IPv4")
                .build());
        cache.update(slice("web-noeps", "web", "IPv4", List.of(port("http", "TCP", 8080))));
        assertThat(cache.serviceKeys()).containsExactly("ns/web");
        assertThat(http()).isEmpty();
        assertThat(Set.copyOf(cache.endpoints("ns/web").values().stream().flatMap(List::stream).toList()))
                .isEmpty();
    }
}
