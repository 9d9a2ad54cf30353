package dev.ferry.apiserver.service;

import static dev.ferry.apiserver.service.Manifests.BAD_IP;
import static dev.ferry.apiserver.service.Manifests.DNS1123_LABEL;
import static dev.ferry.apiserver.service.Manifests.DNS1123_SUBDOMAIN;
import static dev.ferry.apiserver.service.Manifests.PORT_RANGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

class EndpointsStrategyTest {
    private final EndpointsStrategy strategy = new EndpointsStrategy(SpecialIpValidator.ferryDefaults());

    private static Arguments c(String description, String subsets, String... expected) {
        return Arguments.of(description, Manifests.json("{'metadata':{'name':'web','namespace':'default'},"
                + "'subsets':" + subsets + "}"), List.of(expected));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("pod addresses in Ferry's pod range", "[{'addresses':[{'ip':'127.244.1.5'}],'notReadyAddresses':"
                        + "[{'ip':'127.244.1.6','hostname':'web-1','nodeName':'node-a'}],'ports':[{'port':8080}]}]"),
                c("headless subsets need no ports", "[{'addresses':[{'ip':'192.0.2.4'}]}]"),
                c("subset without addresses", "[{'ports':[{'port':80}]}]",
                        "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"),
                c("malformed address", "[{'addresses':[{'ip':'10.0.0.256'}]}]",
                        "subsets[0].addresses[0].ip: Invalid value: \"10.0.0.256\": " + BAD_IP,
                        "subsets[0].addresses[0].ip: Invalid value: \"10.0.0.256\": must be a valid IP address"),
                c("loopback outside Ferry's ranges", "[{'addresses':[{'ip':'127.0.0.1'}],'notReadyAddresses':"
                                + "[{'ip':'169.254.169.254'}]}]",
                        "subsets[0].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range "
                                + "(127.0.0.0/8, ::1/128)",
                        "subsets[0].notReadyAddresses[0].ip: Invalid value: \"169.254.169.254\": may not be in the "
                                + "link-local range (169.254.0.0/16, fe80::/10)"),
                c("bad hostname and node name", "[{'addresses':[{'ip':'192.0.2.4','hostname':'Web','nodeName':"
                                + "'Node_A'}]}]",
                        "subsets[0].addresses[0].hostname: Invalid value: \"Web\": " + DNS1123_LABEL,
                        "subsets[0].addresses[0].nodeName: Invalid value: \"Node_A\": " + DNS1123_SUBDOMAIN),
                c("several ports need names", "[{'addresses':[{'ip':'192.0.2.4'}],'ports':[{'port':80},"
                                + "{'name':'b','port':0,'protocol':'ICMP'}]}]",
                        "subsets[0].ports[0].name: Required value",
                        "subsets[0].ports[1].port: Invalid value: 0: " + PORT_RANGE,
                        "subsets[0].ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", "
                                + "\"TCP\", \"UDP\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validatesLikeUpstream(String description, ObjectNode endpoints, List<String> expected) {
        strategy.prepareForCreate(endpoints);
        assertThat(Manifests.render(strategy.validate(endpoints))).containsExactlyElementsOf(expected);
    }

    @Test
    void theApiServersEndpointsMayListAnyLoopbackAddress() {
        String subsets = "'subsets':[{'addresses':[{'ip':'127.0.0.1'},{'ip':'::1'}],'notReadyAddresses':"
                + "[{'ip':'169.254.0.1'}]}]}";
        ObjectNode apiServers = Manifests.json("{'metadata':{'name':'kubernetes','namespace':'default'}," + subsets);
        assertThat(Manifests.render(strategy.validate(apiServers))).containsExactly(
                "subsets[0].notReadyAddresses[0].ip: Invalid value: \"169.254.0.1\": may not be in the link-local "
                        + "range (169.254.0.0/16, fe80::/10)");
        ObjectNode elsewhere = Manifests.json("{'metadata':{'name':'kubernetes','namespace':'other'}," + subsets);
        assertThat(strategy.validate(elsewhere)).hasSize(3);
    }

    @Test
    void portsDefaultToTcpOnCreateAndUpdate() {
        ObjectNode ep = Manifests.json("{'metadata':{'name':'web'},'subsets':[{'addresses':[{'ip':'192.0.2.4'}],"
                + "'ports':[{'port':80},{'name':'dns','port':53,'protocol':'UDP'}]}]}");
        strategy.prepareForCreate(ep);
        assertThat(ep.at("/subsets/0/ports/0/protocol").asString()).isEqualTo("TCP");
        assertThat(ep.at("/subsets/0/ports/1/protocol").asString()).isEqualTo("UDP");
        ObjectNode update = ep.deepCopy();
        ((ObjectNode) update.at("/subsets/0/ports/0")).remove("protocol");
        strategy.prepareForUpdate(update, ep);
        assertThat(update.at("/subsets/0/ports/0/protocol").asString()).isEqualTo("TCP");
    }

    @Test
    void nameMustBeASubdomain() {
        ObjectNode ep = Manifests.json("{'metadata':{'name':'Web','namespace':'default'}}");
        assertThat(Manifests.render(dev.ferry.apiserver.workload.ObjectMetaValidation.forKind("Endpoints", true)
                .validate(ep))).containsExactly("metadata.name: Invalid value: \"Web\": " + DNS1123_SUBDOMAIN);
    }
}
