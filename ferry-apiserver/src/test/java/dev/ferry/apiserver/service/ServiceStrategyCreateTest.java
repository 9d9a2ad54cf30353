package dev.ferry.apiserver.service;

import static dev.ferry.apiserver.service.Manifests.BAD_CIDR;
import static dev.ferry.apiserver.service.Manifests.BAD_IP;
import static dev.ferry.apiserver.service.Manifests.DNS1035;
import static dev.ferry.apiserver.service.Manifests.DNS1123_LABEL;
import static dev.ferry.apiserver.service.Manifests.DNS1123_SUBDOMAIN;
import static dev.ferry.apiserver.service.Manifests.LABEL_VALUE;
import static dev.ferry.apiserver.service.Manifests.NAME_PART;
import static dev.ferry.apiserver.service.Manifests.PORT_RANGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.validation.FieldError;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Create-time defaulting and validation; expected errors are upstream's {@code field: Type: value: detail}. */
class ServiceStrategyCreateTest {
    private final ServiceStrategy strategy = new ServiceStrategy(ServiceNetworkConfig.defaults());

    private List<FieldError> create(ObjectNode svc) {
        strategy.prepareForCreate(svc);
        ObjectNode inNamespace = svc.deepCopy();
        ((ObjectNode) inNamespace.path("metadata")).put("namespace", "default");
        List<FieldError> errs = new java.util.ArrayList<>(
                dev.ferry.apiserver.workload.ObjectMetaValidation.forKind("Service", true).validate(inNamespace));
        errs.addAll(strategy.validate(svc));
        return errs;
    }

    private static Arguments c(String description, String spec, String... expected) {
        return Arguments.of(description, Manifests.service(spec), List.of(expected));
    }

    private static Arguments full(String description, String object, String... expected) {
        return Arguments.of(description, Manifests.json(object), List.of(expected));
    }

    static Stream<Arguments> cases() {
        String twoPorts = "'ports':[{'name':'a','port':80},{'name':'b','port':81}]";
        return Stream.of(
                c("minimal ClusterIP", "{'selector':{'app':'web'},'ports':[{'port':80}]}"),
                c("selectorless with explicit target port name", "{'ports':[{'port':80,'targetPort':'http'}]}"),
                full("name starting with a digit",
                        "{'metadata':{'name':'1web'},'spec':{'ports':[{'port':80}]}}",
                        "metadata.name: Invalid value: \"1web\": " + DNS1035),
                full("name with upper case and underscore",
                        "{'metadata':{'name':'Web_1'},'spec':{'ports':[{'port':80}]}}",
                        "metadata.name: Invalid value: \"Web_1\": " + DNS1035),
                full("name of 64 characters",
                        "{'metadata':{'name':'" + "a".repeat(64) + "'},'spec':{'ports':[{'port':80}]}}",
                        "metadata.name: Invalid value: \"" + "a".repeat(64) + "\": must be no more than 63 characters"),
                full("missing name", "{'metadata':{},'spec':{'ports':[{'port':80}]}}",
                        "metadata.name: Required value: name or generateName is required"),
                c("no ports", "{'selector':{'app':'web'}}", "spec.ports: Required value"),
                c("headless without ports", "{'clusterIP':'None','selector':{'app':'web'}}"),
                c("ExternalName without ports", "{'type':'ExternalName','externalName':'example.com.'}"),
                c("port 0", "{'ports':[{'port':0}]}",
                        "spec.ports[0].port: Invalid value: 0: " + PORT_RANGE,
                        "spec.ports[0].targetPort: Invalid value: 0: " + PORT_RANGE),
                c("port 70000", "{'ports':[{'port':70000,'targetPort':8080}]}",
                        "spec.ports[0].port: Invalid value: 70000: " + PORT_RANGE),
                c("target port out of range", "{'ports':[{'port':80,'targetPort':65536}]}",
                        "spec.ports[0].targetPort: Invalid value: 65536: " + PORT_RANGE),
                c("two unnamed ports", "{'ports':[{'port':80},{'port':81}]}",
                        "spec.ports[0].name: Required value", "spec.ports[1].name: Required value"),
                c("duplicate port names", "{'ports':[{'name':'http','port':80},{'name':'http','port':81}]}",
                        "spec.ports[1].name: Duplicate value: \"http\""),
                c("port name not a DNS label", "{'ports':[{'name':'HTTP','port':80}]}",
                        "spec.ports[0].name: Invalid value: \"HTTP\": " + DNS1123_LABEL),
                c("port name with dots", "{'ports':[{'name':'a.b','port':80}]}",
                        "spec.ports[0].name: Invalid value: \"a.b\": must not contain dots"),
                c("unsupported protocol", "{'ports':[{'port':80,'protocol':'ICMP'}]}",
                        "spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", "
                                + "\"UDP\""),
                c("SCTP and UDP are supported",
                        "{'ports':[{'name':'a','port':80,'protocol':'SCTP'},{'name':'b','port':80,'protocol':'UDP'}]}"),
                c("target port name with consecutive hyphens", "{'ports':[{'port':80,'targetPort':'web--x'}]}",
                        "spec.ports[0].targetPort: Invalid value: \"web--x\": must not contain consecutive hyphens"),
                c("target port name too long", "{'ports':[{'port':80,'targetPort':'abcdefghijklmnop'}]}",
                        "spec.ports[0].targetPort: Invalid value: \"abcdefghijklmnop\": must be no more than 15 "
                                + "characters"),
                c("target port name without letters", "{'ports':[{'port':80,'targetPort':'8080'}]}",
                        "spec.ports[0].targetPort: Invalid value: \"8080\": must contain at least one letter (a-z)"),
                c("target port name with bad characters and edges", "{'ports':[{'port':80,'targetPort':'-Web_'}]}",
                        "spec.ports[0].targetPort: Invalid value: \"-Web_\": must contain only alpha-numeric "
                                + "characters (a-z, 0-9), and hyphens (-)",
                        "spec.ports[0].targetPort: Invalid value: \"-Web_\": must not begin or end with a hyphen"),
                c("app protocol with spaces", "{'ports':[{'port':80,'appProtocol':'my proto'}]}",
                        "spec.ports[0].appProtocol: Invalid value: \"my proto\": " + NAME_PART),
                c("kubernetes.io app protocol", "{'ports':[{'port':80,'appProtocol':'kubernetes.io/h2c'}]}"),
                c("nodePort on ClusterIP", "{'ports':[{'port':80,'nodePort':30080}]}",
                        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
                c("duplicate protocol and port", "{" + twoPorts.replace("81", "80") + "}",
                        "spec.ports[1]: Duplicate value: {\"Name\":\"\",\"Protocol\":\"TCP\",\"AppProtocol\":null,"
                                + "\"Port\":80,\"TargetPort\":0,\"NodePort\":0}"),
                c("duplicate node ports", "{'type':'NodePort','ports':[{'name':'a','port':80,'nodePort':30080},"
                                + "{'name':'b','port':81,'nodePort':30080}]}",
                        "spec.ports[1].nodePort: Duplicate value: 30080"),
                c("same node port on different protocols", "{'type':'NodePort','ports':[{'name':'a','port':53,"
                        + "'nodePort':30053},{'name':'b','port':53,'protocol':'UDP','nodePort':30053}]}"),
                c("headless NodePort", "{'type':'NodePort','clusterIP':'None','ports':[{'port':80}]}",
                        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"),
                c("headless LoadBalancer", "{'type':'LoadBalancer','clusterIP':'None','ports':[{'port':80}]}",
                        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer "
                                + "services"),
                c("ExternalName without name", "{'type':'ExternalName'}", "spec.externalName: Required value"),
                c("ExternalName of only a dot", "{'type':'ExternalName','externalName':'.'}",
                        "spec.externalName: Required value"),
                c("ExternalName not a DNS name", "{'type':'ExternalName','externalName':'Foo_bar.example.'}",
                        "spec.externalName: Invalid value: \"Foo_bar.example\": " + DNS1123_SUBDOMAIN),
                c("ExternalName with cluster IP and families",
                        "{'type':'ExternalName','externalName':'db.example.com','clusterIP':'127.96.0.9',"
                                + "'ipFamilies':['IPv4'],'ipFamilyPolicy':'SingleStack'}",
                        "spec.clusterIPs: Forbidden: may not be set for ExternalName services",
                        "spec.ipFamilies: Forbidden: may not be set for ExternalName services",
                        "spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services"),
                c("invalid cluster IP", "{'clusterIP':'abc','ports':[{'port':80}]}",
                        "spec.clusterIPs[0]: Invalid value: \"abc\": " + BAD_IP),
                c("clusterIPs without clusterIP", "{'clusterIPs':['127.96.0.5'],'ports':[{'port':80}]}",
                        "spec.clusterIPs: Invalid value: [\"127.96.0.5\"]: must be empty when `clusterIP` is not "
                                + "specified"),
                c("clusterIP and clusterIPs disagree",
                        "{'clusterIP':'127.96.0.5','clusterIPs':['127.96.0.6'],'ports':[{'port':80}]}",
                        "spec.clusterIPs: Invalid value: [\"127.96.0.6\"]: first value must match `clusterIP`"),
                c("None with a second value",
                        "{'clusterIP':'None','clusterIPs':['None','127.96.0.6'],'ports':[{'port':80}]}",
                        "spec.clusterIPs: Invalid value: [\"None\",\"127.96.0.6\"]: 'None' must be the first and only "
                                + "value"),
                c("three cluster IPs of one family",
                        "{'clusterIP':'127.96.0.5','clusterIPs':['127.96.0.5','127.96.0.6','127.96.0.7'],"
                                + "'ipFamilyPolicy':'PreferDualStack','ports':[{'port':80}]}",
                        "spec.clusterIPs: Invalid value: [\"127.96.0.5\",\"127.96.0.6\",\"127.96.0.7\"]: may only "
                                + "hold up to 2 values",
                        "spec.clusterIPs: Invalid value: [\"127.96.0.5\",\"127.96.0.6\",\"127.96.0.7\"]: may specify "
                                + "no more than one IP for each IP family"),
                c("two cluster IPs on a single-stack policy",
                        "{'clusterIP':'127.96.0.5','clusterIPs':['127.96.0.5','fd00::5'],'ports':[{'port':80}]}",
                        "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or "
                                + "'PreferDualStack' when multiple cluster IPs are specified",
                        "spec.clusterIPs[1]: Invalid value: [\"127.96.0.5\",\"fd00::5\"]: IPv6 is not configured on "
                                + "this cluster"),
                c("IPv6 cluster IP on an IPv4 cluster", "{'clusterIP':'fd00::10','ports':[{'port':80}]}",
                        "spec.clusterIPs[0]: Invalid value: [\"fd00::10\"]: IPv6 is not configured on this cluster"),
                c("cluster IP of the wrong family for ipFamilies",
                        "{'clusterIP':'fd00::10','ipFamilies':['IPv4'],'ports':[{'port':80}]}",
                        "spec.clusterIPs[0]: Invalid value: \"fd00::10\": expected an IPv4 value as indicated by "
                                + "`ipFamilies[0]`"),
                c("IPv6 family on an IPv4 cluster", "{'ipFamilies':['IPv6'],'ports':[{'port':80}]}",
                        "spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster"),
                c("RequireDualStack on a single-stack cluster",
                        "{'ipFamilyPolicy':'RequireDualStack','ports':[{'port':80}]}",
                        "spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for "
                                + "dual-stack services"),
                c("PreferDualStack on a single-stack cluster",
                        "{'ipFamilyPolicy':'PreferDualStack','ports':[{'port':80}]}"),
                c("unsupported family policy", "{'ipFamilyPolicy':'Dual','ports':[{'port':80}]}",
                        "spec.ipFamilyPolicy: Unsupported value: \"Dual\": supported values: \"PreferDualStack\", "
                                + "\"RequireDualStack\", \"SingleStack\""),
                c("unsupported and duplicate families", "{'ipFamilies':['IPv5','IPv4','IPv4'],'ports':[{'port':80}]}",
                        "spec.ipFamilies[0]: Unsupported value: \"IPv5\": supported values: \"IPv4\", \"IPv6\"",
                        "spec.ipFamilies[2]: Duplicate value: \"IPv4\""),
                c("two families with SingleStack",
                        "{'ipFamilyPolicy':'SingleStack','ipFamilies':['IPv4','IPv6'],'ports':[{'port':80}]}",
                        "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or "
                                + "'PreferDualStack' when multiple IP families are specified"),
                c("headless selectorless may be dual-stack", "{'clusterIP':'None','ports':[{'port':80}]}"),
                c("external IP outside the cluster", "{'externalIPs':['192.0.2.10'],'ports':[{'port':80}]}"),
                c("external IP in Ferry's service range", "{'externalIPs':['127.96.3.3'],'ports':[{'port':80}]}"),
                c("external IP in Ferry's load-balancer pool", "{'externalIPs':['127.240.0.9'],'ports':[{'port':80}]}"),
                c("malformed external IP", "{'externalIPs':['10.0.0.300'],'ports':[{'port':80}]}",
                        "spec.externalIPs[0]: Invalid value: \"10.0.0.300\": " + BAD_IP),
                c("special external IPs", "{'externalIPs':['127.0.0.1','0.0.0.0','169.254.1.1','224.0.0.5','::1',"
                                + "'fe80::1','::'],'ports':[{'port':80}]}",
                        "spec.externalIPs[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range "
                                + "(127.0.0.0/8, ::1/128)",
                        "spec.externalIPs[1]: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)",
                        "spec.externalIPs[2]: Invalid value: \"169.254.1.1\": may not be in the link-local range "
                                + "(169.254.0.0/16, fe80::/10)",
                        "spec.externalIPs[3]: Invalid value: \"224.0.0.5\": may not be in the link-local multicast "
                                + "range (224.0.0.0/24, ff02::/10)",
                        "spec.externalIPs[4]: Invalid value: \"::1\": may not be in the loopback range (127.0.0.0/8, "
                                + "::1/128)",
                        "spec.externalIPs[5]: Invalid value: \"fe80::1\": may not be in the link-local range "
                                + "(169.254.0.0/16, fe80::/10)",
                        "spec.externalIPs[6]: Invalid value: \"::\": may not be unspecified (::)"),
                c("unsupported type", "{'type':'Foo','ports':[{'port':80}]}",
                        "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", "
                                + "\"LoadBalancer\", \"NodePort\""),
                c("unsupported session affinity", "{'sessionAffinity':'Sticky','ports':[{'port':80}]}",
                        "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", "
                                + "\"None\""),
                c("ClientIP timeout 0", "{'sessionAffinity':'ClientIP','sessionAffinityConfig':{'clientIP':"
                                + "{'timeoutSeconds':0}},'ports':[{'port':80}]}",
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 "
                                + "and less than 86400"),
                c("ClientIP timeout above a day", "{'sessionAffinity':'ClientIP','sessionAffinityConfig':"
                                + "{'clientIP':{'timeoutSeconds':86401}},'ports':[{'port':80}]}",
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater "
                                + "than 0 and less than 86400"),
                c("ClientIP timeout of a day", "{'sessionAffinity':'ClientIP','sessionAffinityConfig':"
                        + "{'clientIP':{'timeoutSeconds':86400}},'ports':[{'port':80}]}"),
                c("externalTrafficPolicy on an internal ClusterIP",
                        "{'externalTrafficPolicy':'Local','ports':[{'port':80}]}",
                        "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for "
                                + "externally-accessible services"),
                c("unsupported externalTrafficPolicy",
                        "{'type':'NodePort','externalTrafficPolicy':'Global','ports':[{'port':80}]}",
                        "spec.externalTrafficPolicy: Unsupported value: \"Global\": supported values: \"Cluster\", "
                                + "\"Local\""),
                c("healthCheckNodePort without LoadBalancer/Local",
                        "{'type':'NodePort','healthCheckNodePort':30100,'ports':[{'port':80}]}",
                        "spec.healthCheckNodePort: Invalid value: 30100: may only be set when `type` is "
                                + "'LoadBalancer' and `externalTrafficPolicy` is 'Local'"),
                c("healthCheckNodePort out of range", "{'type':'LoadBalancer','externalTrafficPolicy':'Local',"
                                + "'healthCheckNodePort':70000,'ports':[{'port':80}]}",
                        "spec.healthCheckNodePort: Invalid value: 70000: " + PORT_RANGE),
                c("unsupported internalTrafficPolicy", "{'internalTrafficPolicy':'Node','ports':[{'port':80}]}",
                        "spec.internalTrafficPolicy: Unsupported value: \"Node\": supported values: \"Cluster\", "
                                + "\"Local\""),
                c("source ranges on a ClusterIP",
                        "{'loadBalancerSourceRanges':['10.0.0.0/8'],'ports':[{'port':80}]}",
                        "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"),
                c("bad source range on a LoadBalancer", "{'type':'LoadBalancer','loadBalancerSourceRanges':"
                                + "[' 10.0.0.0/8 ','10.0.0.0/33'],'ports':[{'port':80}]}",
                        "spec.LoadBalancerSourceRanges[1]: Invalid value: \"10.0.0.0/33\": " + BAD_CIDR),
                full("source-range annotation on a NodePort", "{'metadata':{'name':'web','annotations':{"
                                + "'service.beta.kubernetes.io/load-balancer-source-ranges':'10.0.0.0/8, nope'}},"
                                + "'spec':{'type':'NodePort','ports':[{'port':80}]}}",
                        "metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Forbidden: may "
                                + "only be used when `type` is 'LoadBalancer'",
                        "metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Invalid value: "
                                + "\"nope\": " + BAD_CIDR),
                c("allocateLoadBalancerNodePorts on a NodePort",
                        "{'type':'NodePort','allocateLoadBalancerNodePorts':false,'ports':[{'port':80}]}",
                        "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is "
                                + "'LoadBalancer'"),
                c("loadBalancerClass on a ClusterIP", "{'loadBalancerClass':'ferry.dev/lb','ports':[{'port':80}]}",
                        "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"),
                c("malformed loadBalancerClass",
                        "{'type':'LoadBalancer','loadBalancerClass':'a/b/c','ports':[{'port':80}]}",
                        "spec.loadBalancerClass: Invalid value: \"a/b/c\": a qualified name must consist of "
                                + "alphanumeric characters, '-', '_' or '.', and must start and end with an "
                                + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                                + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
                                + "subdomain prefix and '/' (e.g. 'example.com/MyName')"),
                full("topology annotations disagree", "{'metadata':{'name':'web','annotations':{"
                                + "'service.kubernetes.io/topology-mode':'Auto',"
                                + "'service.kubernetes.io/topology-aware-hints':'Disabled'}},'spec':{'ports':"
                                + "[{'port':80}]}}",
                        "metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: \"Auto\": must "
                                + "match annotations[service.kubernetes.io/topology-aware-hints] when both are "
                                + "specified"),
                c("bad selector key and value", "{'selector':{'a b':'x','app':'bad value'},'ports':[{'port':80}]}",
                        "spec.selector: Invalid value: \"a b\": " + NAME_PART,
                        "spec.selector: Invalid value: \"bad value\": " + LABEL_VALUE),
                c("unsupported trafficDistribution", "{'trafficDistribution':'Random','ports':[{'port':80}]}",
                        "spec.trafficDistribution: Unsupported value: \"Random\": supported values: \"PreferClose\", "
                                + "\"PreferSameNode\", \"PreferSameZone\""),
                c("several problems are all reported in upstream order",
                        "{'type':'NodePort','sessionAffinity':'Sticky','ports':[{'port':0,'protocol':'ICMP'},"
                                + "{'port':80}]}",
                        "spec.ports[0].name: Required value",
                        "spec.ports[0].port: Invalid value: 0: " + PORT_RANGE,
                        "spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", "
                                + "\"UDP\"",
                        "spec.ports[0].targetPort: Invalid value: 0: " + PORT_RANGE,
                        "spec.ports[1].name: Required value",
                        "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", "
                                + "\"None\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validatesLikeUpstream(String description, ObjectNode svc, List<String> expected) {
        assertThat(Manifests.render(create(svc))).containsExactlyElementsOf(expected);
    }

    @Test
    void errorTypesAndCauseReasonsMatchUpstream() {
        List<FieldError> errors = create(Manifests.service(
                "{'type':'NodePort','ports':[{'name':'a','port':80,'protocol':'ICMP','nodePort':30001},"
                        + "{'name':'a','port':81,'nodePort':30001}]}"));
        assertThat(errors).extracting(FieldError::field, e -> e.type().reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("spec.ports[0].protocol", "FieldValueNotSupported"),
                org.assertj.core.groups.Tuple.tuple("spec.ports[1].name", "FieldValueDuplicate"));
        List<FieldError> required = create(Manifests.service("{'selector':{'app':'x'}}"));
        assertThat(required).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(FieldError.Type.REQUIRED);
            assertThat(e.field()).isEqualTo("spec.ports");
            assertThat(e.message()).isEqualTo("Required value");
        });
        List<FieldError> forbidden = create(Manifests.service("{'ports':[{'port':80,'nodePort':30001}]}"));
        assertThat(forbidden).singleElement().extracting(FieldError::type).isEqualTo(FieldError.Type.FORBIDDEN);
    }

    @Test
    void clusterIpServiceDefaults() {
        ObjectNode svc = Manifests.service("{'selector':{'app':'web'},'ports':[{'port':80},{'name':'x','port':81,"
                + "'targetPort':''}]}");
        strategy.prepareForCreate(svc);
        assertThat(svc.get("spec")).hasToString(Manifests.json("{'selector':{'app':'web'},'ports':["
                + "{'port':80,'protocol':'TCP','targetPort':80},{'name':'x','port':81,'targetPort':81,"
                + "'protocol':'TCP'}],'sessionAffinity':'None','type':'ClusterIP','internalTrafficPolicy':'Cluster',"
                + "'ipFamilyPolicy':'SingleStack','ipFamilies':['IPv4']}").toString());
        assertThat(svc.get("status")).isEqualTo(Manifests.json("{'loadBalancer':{}}"));
    }

    @Test
    void loadBalancerDefaults() {
        ObjectNode svc = Manifests.service("{'type':'LoadBalancer','ports':[{'port':443,'targetPort':'https'}]}");
        svc.set("status", Manifests.json("{'loadBalancer':{'ingress':[{'ip':'127.240.0.1'}]}}"));
        strategy.prepareForCreate(svc);
        assertThat(svc.at("/spec/externalTrafficPolicy").asString()).isEqualTo("Cluster");
        assertThat(svc.at("/spec/allocateLoadBalancerNodePorts").asBoolean()).isTrue();
        assertThat(svc.at("/spec/ports/0/targetPort").asString()).isEqualTo("https");
        assertThat(svc.get("status")).as("status is server-owned on create").isEqualTo(
                Manifests.json("{'loadBalancer':{}}"));
        assertThat(strategy.validate(svc)).isEmpty();
    }

    @Test
    void clientIpAffinityGetsDefaultTimeoutAndNoneDropsConfig() {
        ObjectNode client = Manifests.service("{'sessionAffinity':'ClientIP','ports':[{'port':80}]}");
        strategy.prepareForCreate(client);
        assertThat(client.at("/spec/sessionAffinityConfig/clientIP/timeoutSeconds").asInt()).isEqualTo(10800);
        ObjectNode none = Manifests.service("{'sessionAffinityConfig':{'clientIP':{'timeoutSeconds':5}},"
                + "'ports':[{'port':80}]}");
        strategy.prepareForCreate(none);
        assertThat(none.at("/spec/sessionAffinity").asString()).isEqualTo("None");
        assertThat(none.at("/spec").has("sessionAffinityConfig")).isFalse();
    }

    @Test
    void externalIpsMakeAClusterIpExternallyAccessible() {
        ObjectNode svc = Manifests.service("{'externalIPs':['192.0.2.1'],'ports':[{'port':80}]}");
        strategy.prepareForCreate(svc);
        assertThat(svc.at("/spec/externalTrafficPolicy").asString()).isEqualTo("Cluster");
    }

    @Test
    void clusterIpsAreInitialisedFromClusterIp() {
        ObjectNode svc = Manifests.service("{'clusterIP':'127.96.0.10','ports':[{'port':53,'protocol':'UDP'}]}");
        strategy.prepareForCreate(svc);
        assertThat(svc.at("/spec/clusterIPs")).isEqualTo(Manifests.json("{'a':['127.96.0.10']}").get("a"));
        assertThat(svc.at("/spec/ipFamilies/0").asString()).isEqualTo("IPv4");
    }

    @Test
    void headlessSelectorlessDefaultsToRequireDualStack() {
        ObjectNode svc = Manifests.service("{'clusterIP':'None','ports':[{'port':80}]}");
        strategy.prepareForCreate(svc);
        assertThat(svc.at("/spec/ipFamilyPolicy").asString()).isEqualTo("RequireDualStack");
        assertThat(svc.at("/spec/ipFamilies")).isEqualTo(Manifests.json("{'a':['IPv4','IPv6']}").get("a"));
        ObjectNode withSelector = Manifests.service("{'clusterIP':'None','selector':{'a':'b'},'ports':[{'port':80}]}");
        strategy.prepareForCreate(withSelector);
        assertThat(withSelector.at("/spec/ipFamilyPolicy").asString()).isEqualTo("SingleStack");
        assertThat(withSelector.at("/spec/ipFamilies")).isEqualTo(Manifests.json("{'a':['IPv4']}").get("a"));
    }

    @Test
    void externalNameGetsNoIpFamilyFieldsOrTrafficPolicy() {
        ObjectNode svc = Manifests.service("{'type':'ExternalName','externalName':'example.com'}");
        strategy.prepareForCreate(svc);
        assertThat(svc.get("spec")).isEqualTo(Manifests.json(
                "{'type':'ExternalName','externalName':'example.com','sessionAffinity':'None'}"));
        assertThat(strategy.validate(svc)).isEmpty();
    }

    @Test
    void strictValidatorRejectsFerryRangesToo() {
        ServiceStrategy strict = new ServiceStrategy(List.of("IPv4"), SpecialIpValidator.strict());
        ObjectNode svc = Manifests.service("{'externalIPs':['127.96.3.3'],'ports':[{'port':80}]}");
        strict.prepareForCreate(svc);
        assertThat(Manifests.render(strict.validate(svc))).containsExactly(
                "spec.externalIPs[0]: Invalid value: \"127.96.3.3\": may not be in the loopback range (127.0.0.0/8, "
                        + "::1/128)");
    }
}
