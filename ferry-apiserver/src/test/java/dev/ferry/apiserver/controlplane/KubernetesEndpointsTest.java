package dev.ferry.apiserver.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import dev.ferry.apiserver.storage.Meta;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class KubernetesEndpointsTest {
    private static final ApiEndpoint A = new ApiEndpoint("127.0.0.1", 6443);
    private static final ApiEndpoint A2 = new ApiEndpoint("127.0.0.1", 40000);
    private static final ApiEndpoint B = new ApiEndpoint("127.0.0.2", 6443);
    private static final ApiEndpoint B2 = new ApiEndpoint("127.0.0.2", 40000);
    private static final ApiEndpoint C = new ApiEndpoint("127.0.0.10", 6443);
    private static final ApiEndpoint V6 = new ApiEndpoint("::1", 6443);

    /** Parsed with plain int nodes, as the objects under test are built. */
    private static ObjectNode json(String text) {
        return (ObjectNode) tools.jackson.databind.json.JsonMapper.builder().build().readTree(text);
    }

    @Test
    void oneServerGetsUpstreamsObjects() {
        assertThat(KubernetesEndpoints.endpoints(List.of(A))).isEqualTo(json("""
                {"apiVersion":"v1","kind":"Endpoints",
                 "metadata":{"name":"kubernetes","namespace":"default",
                   "labels":{"endpointslice.kubernetes.io/skip-mirror":"true"}},
                 "subsets":[{"addresses":[{"ip":"127.0.0.1"}],
                   "ports":[{"name":"https","port":6443,"protocol":"TCP"}]}]}"""));
        assertThat(KubernetesEndpoints.slices(List.of(A))).containsExactly(json("""
                {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",
                 "metadata":{"name":"kubernetes","namespace":"default",
                   "labels":{"kubernetes.io/service-name":"kubernetes"}},
                 "addressType":"IPv4",
                 "endpoints":[{"addresses":["127.0.0.1"],"conditions":{"ready":true}}],
                 "ports":[{"name":"https","port":6443,"protocol":"TCP"}]}"""));
        assertThat(KubernetesEndpoints.service("127.96.0.1", 6443)).isEqualTo(json("""
                {"apiVersion":"v1","kind":"Service",
                 "metadata":{"name":"kubernetes","namespace":"default",
                   "labels":{"component":"apiserver","provider":"kubernetes"}},
                 "spec":{"clusterIP":"127.96.0.1",
                   "ports":[{"name":"https","port":443,"protocol":"TCP","targetPort":6443}],
                   "sessionAffinity":"None","type":"ClusterIP"}}"""));
    }

    @Test
    void serversOnOnePortShareOneSubsetAndOneSliceSortedAsStrings() {
        List<ApiEndpoint> live = List.of(A, C, B); // as strings: 127.0.0.1 < 127.0.0.10 < 127.0.0.2
        assertThat(KubernetesEndpoints.endpoints(live).get("subsets")).isEqualTo(json("""
                {"s":[{"addresses":[{"ip":"127.0.0.1"},{"ip":"127.0.0.10"},{"ip":"127.0.0.2"}],
                   "ports":[{"name":"https","port":6443,"protocol":"TCP"}]}]}""").get("s"));
        List<ObjectNode> slices = KubernetesEndpoints.slices(live);
        assertThat(slices).hasSize(1);
        assertThat(slices.get(0).get("endpoints").valueStream().map(e -> e.at("/addresses/0").asString()))
                .containsExactly("127.0.0.1", "127.0.0.10", "127.0.0.2");
        assertThat(KubernetesEndpoints.targetPort(live)).isEqualTo(6443);
    }

    @Test
    void serversOnSeveralPortsGetASubsetAndASlicePerPort() {
        List<ApiEndpoint> live = List.of(A, A2, B2); // 40000 is the most common port
        assertThat(KubernetesEndpoints.targetPort(live)).isEqualTo(40000);
        assertThat(KubernetesEndpoints.endpoints(live).get("subsets")).isEqualTo(json("""
                {"s":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"name":"https","port":6443,"protocol":"TCP"}]},
                      {"addresses":[{"ip":"127.0.0.1"},{"ip":"127.0.0.2"}],
                       "ports":[{"name":"https","port":40000,"protocol":"TCP"}]}]}""").get("s"));
        List<ObjectNode> slices = KubernetesEndpoints.slices(live);
        assertThat(slices).extracting(Meta::name).containsExactly("kubernetes", "kubernetes-ipv4-6443");
        assertThat(slices.get(0).at("/ports/0/port").asInt()).isEqualTo(40000);
        assertThat(slices.get(0).get("endpoints")).hasSize(2);
        assertThat(slices.get(1).at("/ports/0/port").asInt()).isEqualTo(6443);
    }

    @Test
    void targetPortTieGoesToTheLowestPort() {
        assertThat(KubernetesEndpoints.targetPort(List.of(A, A2))).isEqualTo(6443);
        assertThat(KubernetesEndpoints.targetPort(List.of(A2))).isEqualTo(40000);
    }

    @Test
    void ipv6ServersGetAnIpv6Slice() {
        assertThat(KubernetesEndpoints.slices(List.of(V6))).singleElement()
                .satisfies(s -> assertThat(s.get("addressType").asString()).isEqualTo("IPv6"))
                .satisfies(s -> assertThat(Meta.name(s)).isEqualTo("kubernetes"));
        assertThat(KubernetesEndpoints.slices(List.of(A, V6))).extracting(s -> s.get("addressType").asString())
                .containsExactly("IPv4", "IPv6");
        assertThat(KubernetesEndpoints.slices(List.of(A, V6))).extracting(Meta::name)
                .containsExactly("kubernetes", "kubernetes-ipv6-6443");
    }

    // ---- plan ----

    private static final ObjectNode SERVICE_6443 = KubernetesEndpoints.service("127.96.0.1", 6443);

    /** The object as read back from the store (numbers decoded as the store does), with server-set metadata. */
    private static ObjectNode stored(ObjectNode obj) {
        ObjectNode copy = (ObjectNode) Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(obj));
        copy.withObject("metadata").put("uid", "u").put("resourceVersion", "5")
                .put("creationTimestamp", "2026-11-26T18:00:00Z");
        return copy;
    }

    private static ObjectNode endpointsOf(ApiEndpoint... live) {
        return stored(KubernetesEndpoints.endpoints(List.of(live)));
    }

    private static ObjectNode sliceOf(ApiEndpoint... live) {
        return stored(KubernetesEndpoints.slices(List.of(live)).get(0));
    }

    private record Expect(boolean endpoints, boolean createEndpoints, List<String> creates, List<String> updates,
            List<String> deletes, Integer targetPort) {
    }

    static Stream<Arguments> planCases() {
        ObjectNode noSkipMirror = endpointsOf(A);
        noSkipMirror.withObject("metadata").remove("labels");
        ObjectNode extraSubset = endpointsOf(A);
        extraSubset.withArray("subsets").add(json("""
                {"addresses":[{"ip":"127.96.0.9"}],"ports":[{"name":"x","port":1,"protocol":"TCP"}]}"""));
        ObjectNode notReady = endpointsOf(A);
        ((ObjectNode) notReady.withArray("subsets").get(0)).withArray("notReadyAddresses").addObject().put("ip", "127.0.0.2");
        ObjectNode v6Slice = stored(KubernetesEndpoints.slices(List.of(V6)).get(0));
        ObjectNode strayLabelled = stored(KubernetesEndpoints.slices(List.of(A2)).get(0));
        strayLabelled.withObject("metadata").put("name", "kubernetes-extra");
        ObjectNode unrelated = stored(KubernetesEndpoints.slices(List.of(A2)).get(0));
        unrelated.withObject("metadata").put("name", "other").putObject("labels").put("kubernetes.io/service-name",
                "other");
        ObjectNode unlabelledOwn = sliceOf(A);
        unlabelledOwn.withObject("metadata").remove("labels");
        ObjectNode notReadySlice = sliceOf(A);
        ((ObjectNode) notReadySlice.withArray("endpoints").get(0)).withObject("conditions").put("ready", false);
        ObjectNode userPorts = SERVICE_6443.deepCopy();
        userPorts.withObject("spec").withArray("ports").addObject().put("name", "http").put("port", 80)
                .put("protocol", "TCP").put("targetPort", 80);
        ObjectNode namedTarget = SERVICE_6443.deepCopy();
        ((ObjectNode) namedTarget.withObject("spec").withArray("ports").get(0)).put("targetPort", "https");
        ObjectNode defaulted = SERVICE_6443.deepCopy();
        defaulted.withObject("spec").put("ipFamilyPolicy", "SingleStack").withArray("ipFamilies").add("IPv4");
        List<String> none = List.of();
        return Stream.of(
                Arguments.of("nothing exists", List.of(A), null, List.of(), null,
                        new Expect(true, true, List.of("kubernetes"), none, none, null)),
                Arguments.of("all in place", List.of(A), endpointsOf(A), List.of(sliceOf(A)), SERVICE_6443,
                        new Expect(false, false, none, none, none, null)),
                Arguments.of("service fields defaulted by the server are no change", List.of(A), endpointsOf(A),
                        List.of(sliceOf(A)), defaulted, new Expect(false, false, none, none, none, null)),
                Arguments.of("no live server: never erase", List.of(), endpointsOf(A), List.of(), SERVICE_6443,
                        new Expect(false, false, none, none, none, null)),
                Arguments.of("a server stopped", List.of(A), endpointsOf(A, B), List.of(sliceOf(A, B)), SERVICE_6443,
                        new Expect(true, false, none, List.of("kubernetes"), none, null)),
                Arguments.of("a server joined", List.of(A, B), endpointsOf(A), List.of(sliceOf(A)), SERVICE_6443,
                        new Expect(true, false, none, List.of("kubernetes"), none, null)),
                Arguments.of("port changed", List.of(A2), endpointsOf(A), List.of(sliceOf(A)), SERVICE_6443,
                        new Expect(true, false, none, List.of("kubernetes"), none, 40000)),
                Arguments.of("skip-mirror label missing", List.of(A), noSkipMirror, List.of(sliceOf(A)),
                        SERVICE_6443, new Expect(true, false, none, none, none, null)),
                Arguments.of("an extra subset", List.of(A), extraSubset, List.of(sliceOf(A)), SERVICE_6443,
                        new Expect(true, false, none, none, none, null)),
                Arguments.of("notReadyAddresses", List.of(A), notReady, List.of(sliceOf(A)), SERVICE_6443,
                        new Expect(true, false, none, none, none, null)),
                Arguments.of("slice deleted", List.of(A), endpointsOf(A), List.of(), SERVICE_6443,
                        new Expect(false, false, List.of("kubernetes"), none, none, null)),
                Arguments.of("slice of the wrong address type is recreated", List.of(A), endpointsOf(A),
                        List.of(v6Slice), SERVICE_6443,
                        new Expect(false, false, List.of("kubernetes"), none, List.of("kubernetes"), null)),
                Arguments.of("stray labelled slice deleted, other Service's slice kept", List.of(A), endpointsOf(A),
                        List.of(sliceOf(A), strayLabelled, unrelated), SERVICE_6443,
                        new Expect(false, false, none, none, List.of("kubernetes-extra"), null)),
                Arguments.of("own slice lost its label", List.of(A), endpointsOf(A), List.of(unlabelledOwn),
                        SERVICE_6443, new Expect(false, false, none, List.of("kubernetes"), none, null)),
                Arguments.of("slice endpoint not ready", List.of(A), endpointsOf(A), List.of(notReadySlice),
                        SERVICE_6443, new Expect(false, false, none, List.of("kubernetes"), none, null)),
                Arguments.of("second port appears", List.of(A, A2, B2), endpointsOf(A), List.of(sliceOf(A)),
                        SERVICE_6443, new Expect(true, false, List.of("kubernetes-ipv4-6443"),
                                List.of("kubernetes"), none, 40000)),
                Arguments.of("service has another port", List.of(A), endpointsOf(A), List.of(sliceOf(A)),
                        userPorts, new Expect(false, false, none, none, none, 6443)),
                Arguments.of("service targets a named port", List.of(A), endpointsOf(A), List.of(sliceOf(A)),
                        namedTarget, new Expect(false, false, none, none, none, 6443)),
                Arguments.of("service missing: left to the caller", List.of(A), endpointsOf(A), List.of(sliceOf(A)),
                        null, new Expect(false, false, none, none, none, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("planCases")
    void plan(String name, List<ApiEndpoint> live, ObjectNode endpoints, List<ObjectNode> slices, ObjectNode service,
            Expect expect) {
        KubernetesEndpoints.Plan plan = KubernetesEndpoints.plan(live, endpoints, slices, service);
        if (expect.endpoints()) {
            assertThat(plan.endpoints()).isEqualTo(KubernetesEndpoints.endpoints(live));
        } else {
            assertThat(plan.endpoints()).isNull();
        }
        assertThat(plan.createEndpoints() && plan.endpoints() != null).isEqualTo(expect.createEndpoints());
        assertThat(plan.createSlices()).extracting(Meta::name).containsExactlyElementsOf(expect.creates());
        assertThat(plan.updateSlices()).extracting(Meta::name).containsExactlyElementsOf(expect.updates());
        assertThat(plan.deleteSlices()).containsExactlyElementsOf(expect.deletes());
        if (expect.targetPort() == null) {
            assertThat(plan.servicePorts()).isNull();
        } else {
            assertThat(plan.servicePorts()).isEqualTo(KubernetesEndpoints.servicePorts(expect.targetPort()));
        }
        List<ObjectNode> wanted = KubernetesEndpoints.slices(live);
        for (ObjectNode s : plan.createSlices()) {
            assertThat(wanted).contains(s);
        }
        for (ObjectNode s : plan.updateSlices()) {
            assertThat(wanted).contains(s);
        }
        assertThat(plan.isEmpty()).isEqualTo(expect.equals(new Expect(false, false, List.of(), List.of(), List.of(),
                null)));
    }

    @Test
    void planDoesNotTouchItsInputs() {
        ObjectNode endpoints = endpointsOf(A, B);
        ObjectNode slice = sliceOf(A, B);
        JsonNode before = Json.MAPPER.createArrayNode().add(endpoints.deepCopy()).add(slice.deepCopy());
        KubernetesEndpoints.plan(List.of(A2), endpoints, List.of(slice), SERVICE_6443);
        assertThat(Json.MAPPER.createArrayNode().add(endpoints).add(slice)).isEqualTo(before);
    }
}
