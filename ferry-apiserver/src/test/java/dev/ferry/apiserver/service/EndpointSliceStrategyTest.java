package dev.ferry.apiserver.service;

import static dev.ferry.apiserver.service.Manifests.DNS1123_LABEL;
import static dev.ferry.apiserver.service.Manifests.LABEL_VALUE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

class EndpointSliceStrategyTest {
    private final EndpointSliceStrategy strategy = new EndpointSliceStrategy(SpecialIpValidator.ferryDefaults());

    private static Arguments c(String description, String body, String... expected) {
        return Arguments.of(description, Manifests.json("{'metadata':{'name':'web-abc12','namespace':'default',"
                + "'labels':{'kubernetes.io/service-name':'web'}}," + body + "}"), List.of(expected));
    }

    private static String endpoints(int n) {
        return IntStream.range(0, n).mapToObj(i -> "{'addresses':['192.0.2." + (i % 250 + 1) + "']}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("IPv4 slice in Ferry's pod range", "'addressType':'IPv4','endpoints':[{'addresses':['127.244.0.7'],"
                        + "'conditions':{'ready':true},'nodeName':'node-a','zone':'z1','hints':{'forZones':"
                        + "[{'name':'z1'}]}}],'ports':[{'name':'http','port':8080}]"),
                c("placeholder slice without endpoints or ports", "'addressType':'IPv4'"),
                c("missing address type", "'endpoints':[]", "addressType: Required value"),
                c("unsupported address type", "'addressType':'IP'",
                        "addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\""),
                c("endpoint without addresses", "'addressType':'IPv4','endpoints':[{'addresses':[]}]",
                        "endpoints[0].addresses: Required value: must contain at least 1 address"),
                c("IPv6 address in an IPv4 slice", "'addressType':'IPv4','endpoints':[{'addresses':['fd00::1']}]",
                        "endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address"),
                c("IPv4 address in an IPv6 slice", "'addressType':'IPv6','endpoints':[{'addresses':['10.0.0.1']}]",
                        "endpoints[0].addresses[0]: Invalid value: \"10.0.0.1\": must be a valid IPv6 address"),
                c("not an address", "'addressType':'IPv4','endpoints':[{'addresses':['pod-a']}]",
                        "endpoints[0].addresses[0]: Invalid value: \"pod-a\": must be a valid IPv4 address",
                        "endpoints[0].addresses[0]: Invalid value: \"pod-a\": must be a valid IP address"),
                c("special addresses", "'addressType':'IPv4','endpoints':[{'addresses':['127.0.0.1']},"
                                + "{'addresses':['0.0.0.0']}]",
                        "endpoints[0].addresses[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range "
                                + "(127.0.0.0/8, ::1/128)",
                        "endpoints[1].addresses[0]: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)"),
                c("FQDN addresses", "'addressType':'FQDN','endpoints':[{'addresses':['db.example.com.']},"
                                + "{'addresses':['localhost']}]",
                        "endpoints[1].addresses[0]: Invalid value: \"localhost\": should be a domain with at least "
                                + "two segments separated by dots"),
                c("too many addresses", "'addressType':'IPv4','endpoints':[{'addresses':["
                                + IntStream.range(0, 101).mapToObj(i -> "'192.0.2.1'").collect(Collectors.joining(","))
                                + "]}]",
                        "endpoints[0].addresses: Too many: must have at most 100 items"),
                c("1000 endpoints are allowed", "'addressType':'IPv4','endpoints':" + endpoints(1000)),
                c("1001 endpoints are too many", "'addressType':'IPv4','endpoints':" + endpoints(1001),
                        "endpoints: Too many: must have at most 1000 items"),
                c("bad hostname and zone hint", "'addressType':'IPv4','endpoints':[{'addresses':['192.0.2.1'],"
                                + "'hostname':'Pod_1','hints':{'forZones':[{'name':'a b'},{'name':'a b'}]}}]",
                        "endpoints[0].hostname: Invalid value: \"Pod_1\": " + DNS1123_LABEL,
                        "endpoints[0].hints.forZones[0].name: Invalid value: \"a b\": " + LABEL_VALUE,
                        "endpoints[0].hints.forZones[1].name: Duplicate value: \"a b\"",
                        "endpoints[0].hints.forZones[1].name: Invalid value: \"a b\": " + LABEL_VALUE),
                c("port names unique, protocols supported", "'addressType':'IPv4','ports':[{'port':80},"
                                + "{'port':81},{'name':'Web','port':82,'protocol':'ICMP'}]",
                        "ports[1].name: Duplicate value: \"\"",
                        "ports[2].name: Invalid value: \"Web\": " + DNS1123_LABEL,
                        "ports[2].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", "
                                + "\"UDP\""),
                c("101 ports are too many", "'addressType':'IPv4','ports':" + IntStream.range(0, 101)
                                .mapToObj(i -> "{'name':'p" + i + "','port':" + (1000 + i) + "}")
                                .collect(Collectors.joining(",", "[", "]")),
                        "ports: Too many: must have at most 100 items"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validatesLikeUpstream(String description, ObjectNode slice, List<String> expected) {
        strategy.prepareForCreate(slice);
        assertThat(Manifests.render(strategy.validate(slice))).containsExactlyElementsOf(expected);
    }

    @Test
    void slicesOfTheApiServersServiceMayListAnyLoopbackAddress() {
        String body = "'addressType':'IPv4','endpoints':[{'addresses':['127.0.0.1']}]}";
        ObjectNode apiServers = Manifests.json("{'metadata':{'name':'kubernetes','namespace':'default',"
                + "'labels':{'kubernetes.io/service-name':'kubernetes'}}," + body);
        assertThat(strategy.validate(apiServers)).isEmpty();
        ObjectNode otherService = Manifests.json("{'metadata':{'name':'kubernetes','namespace':'default',"
                + "'labels':{'kubernetes.io/service-name':'web'}}," + body);
        assertThat(strategy.validate(otherService)).hasSize(1);
        ObjectNode otherNamespace = Manifests.json("{'metadata':{'name':'kubernetes','namespace':'other',"
                + "'labels':{'kubernetes.io/service-name':'kubernetes'}}," + body);
        assertThat(strategy.validate(otherNamespace)).hasSize(1);
    }

    @Test
    void portsDefaultNameAndProtocol() {
        ObjectNode slice = Manifests.json("{'metadata':{'name':'s'},'addressType':'IPv4','ports':[{'port':80},"
                + "{'name':'dns','port':53,'protocol':'UDP'}]}");
        strategy.prepareForCreate(slice);
        assertThat(slice.at("/ports/0").toString()).isEqualTo("{\"port\":80,\"name\":\"\",\"protocol\":\"TCP\"}");
        assertThat(slice.at("/ports/1/protocol").asString()).isEqualTo("UDP");
    }

    @Test
    void addressTypeIsImmutable() {
        ObjectNode old = Manifests.json("{'metadata':{'name':'s'},'addressType':'IPv4'}");
        ObjectNode update = Manifests.json("{'metadata':{'name':'s'},'addressType':'IPv6'}");
        strategy.prepareForUpdate(update, old);
        assertThat(Manifests.render(strategy.validateUpdate(update, old)))
                .containsExactly("addressType: Invalid value: \"IPv6\": field is immutable");
        assertThat(strategy.validateUpdate(old.deepCopy(), old)).isEmpty();
    }
}
