package dev.ferry.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.agent.dns.PodDnsConfigurer.DnsType;
import dev.ferry.api.net.ResolvConf;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ports of the kubelet's pkg/kubelet/network/dns/dns_test.go tables (ExpandedDNSConfig, GA since 1.28). */
class PodDnsConfigurerTest {
    private static final String SEARCH_EXCEEDED = "Search Line limits were exceeded, some search paths have been "
            + "omitted, the applied search line is: ";
    private static final ResolvConf HOST = new ResolvConf(List.of("8.8.8.8"), List.of("host.domain"), List.of());

    private static Pod pod(String policy, boolean hostNetwork, PodDNSConfig dnsConfig) {
        return new PodBuilder().withNewMetadata().withName("test_pod").withNamespace("testNS").withUid("u1")
                .endMetadata().withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork)
                .withDnsConfig(dnsConfig).endSpec().build();
    }

    private static PodDNSConfigOption option(String name, String value) {
        return new PodDNSConfigOption(name, value);
    }

    /** TestFormDNSSearchFitsLimits, the ExpandedDNSConfig rows and the rows valid under both limits. */
    static Stream<Arguments> searchLimits() {
        List<String> list2048 = new ArrayList<>(List.of("A".repeat(128)));
        list2048.addAll(Collections.nCopies(15, "A".repeat(127)));
        List<String> list2050 = new ArrayList<>(list2048);
        list2050.add("B");
        List<String> paths32 = new ArrayList<>(List.of("testNS.svc.TEST", "svc.TEST", "TEST"));
        IntStream.rangeClosed(4, 32).forEach(i -> paths32.add(Integer.toString(i)));
        List<String> paths33 = new ArrayList<>(paths32);
        paths33.add("33");
        return Stream.of(
                Arguments.of("valid: 3 search paths", List.of("testNS.svc.TEST", "svc.TEST", "TEST"),
                        List.of("testNS.svc.TEST", "svc.TEST", "TEST"), List.of()),
                Arguments.of("valid: 5 search paths", List.of("testNS.svc.TEST", "svc.TEST", "TEST", "AAA", "BBB"),
                        List.of("testNS.svc.TEST", "svc.TEST", "TEST", "AAA", "BBB"), List.of()),
                Arguments.of("valid: 7 search paths (6 was the legacy limit)",
                        List.of("testNS.svc.TEST", "svc.TEST", "TEST", "AAA", "BBB", "CCC", "DDD"),
                        List.of("testNS.svc.TEST", "svc.TEST", "TEST", "AAA", "BBB", "CCC", "DDD"), List.of()),
                Arguments.of("valid: 2048 characters in search path list", list2048, list2048, List.of()),
                Arguments.of("invalid: 2050 characters in search path list", list2050, list2048,
                        List.of(SEARCH_EXCEEDED + String.join(" ", list2048))),
                Arguments.of("invalid: 256 characters search path",
                        List.of("testNS.svc.TEST", "svc.TEST", "TEST", "AAA", "B".repeat(256), "BBB"),
                        List.of("testNS.svc.TEST", "svc.TEST", "TEST", "AAA", "BBB"),
                        List.of(SEARCH_EXCEEDED + "testNS.svc.TEST svc.TEST TEST AAA BBB")),
                Arguments.of("valid: 253 characters search path", List.of("C".repeat(253)), List.of("C".repeat(253)),
                        List.of()),
                Arguments.of("valid: 32 search paths", paths32, paths32, List.of()),
                Arguments.of("invalid: 33 search paths", paths33, paths32,
                        List.of(SEARCH_EXCEEDED + String.join(" ", paths32))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("searchLimits")
    void fitsSearchesToTheLimits(String desc, List<String> searches, List<String> expected, List<String> messages) {
        List<DnsEvent> events = new ArrayList<>();
        assertThat(PodDnsConfigurer.fitSearches(searches, events)).isEqualTo(expected);
        assertThat(events).extracting(DnsEvent::message).isEqualTo(messages);
        assertThat(events).extracting(DnsEvent::reason).allMatch(DnsEvent.DNS_CONFIG_FORMING::equals);
    }

    /** TestFormDNSNameserversFitsLimits. */
    static Stream<Arguments> nameserverLimits() {
        return Stream.of(
                Arguments.of(List.of("127.0.0.1"), List.of("127.0.0.1"), false),
                Arguments.of(List.of("127.0.0.1", "10.0.0.10", "8.8.8.8"), List.of("127.0.0.1", "10.0.0.10", "8.8.8.8"),
                        false),
                Arguments.of(List.of("127.0.0.1", "10.0.0.10", "8.8.8.8", "1.2.3.4"),
                        List.of("127.0.0.1", "10.0.0.10", "8.8.8.8"), true));
    }

    @ParameterizedTest
    @MethodSource("nameserverLimits")
    void keepsAtMostThreeNameservers(List<String> nameservers, List<String> expected, boolean event) {
        List<DnsEvent> events = new ArrayList<>();
        assertThat(PodDnsConfigurer.fitNameservers(nameservers, events)).isEqualTo(expected);
        assertThat(events).hasSize(event ? 1 : 0);
        if (event) {
            assertThat(events.getFirst()).isEqualTo(new DnsEvent(DnsEvent.DNS_CONFIG_FORMING, "Nameserver limits were "
                    + "exceeded, some nameservers have been omitted, the applied nameserver line is: "
                    + "127.0.0.1 10.0.0.10 8.8.8.8"));
        }
    }

    /** TestMergeDNSOptions; here the order is defined: a name keeps its first position. */
    static Stream<Arguments> options() {
        return Stream.of(
                Arguments.of("empty dnsConfig options", List.of("ndots:5", "debug"), null, List.of("ndots:5", "debug")),
                Arguments.of("no duplicated entries", List.of("ndots:5", "debug"),
                        List.of(option("single-request", null), option("attempts", "3")),
                        List.of("ndots:5", "debug", "single-request", "attempts:3")),
                Arguments.of("overwrite duplicated entries", List.of("ndots:5", "debug"),
                        List.of(option("ndots", "3"), option("debug", null), option("single-request", null),
                                option("attempts", "3")),
                        List.of("ndots:3", "debug", "single-request", "attempts:3")),
                Arguments.of("a value removed by a pod option without one", List.of("ndots:5"),
                        List.of(option("ndots", null)), List.of("ndots")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void mergesOptionsWithThePodsWinning(String desc, List<String> existing, List<PodDNSConfigOption> pod,
            List<String> expected) {
        assertThat(PodDnsConfigurer.mergeOptions(existing, pod)).isEqualTo(expected);
    }

    /** TestGetPodDNSType. */
    static Stream<Arguments> types() {
        return Stream.of(
                Arguments.of("ClusterFirst", false, DnsType.CLUSTER),
                Arguments.of("ClusterFirstWithHostNet", true, DnsType.CLUSTER),
                Arguments.of("ClusterFirstWithHostNet", false, DnsType.CLUSTER),
                Arguments.of("Default", false, DnsType.HOST),
                Arguments.of("Default", true, DnsType.HOST),
                Arguments.of("ClusterFirst", true, DnsType.HOST),
                Arguments.of("None", false, DnsType.NONE),
                Arguments.of(null, false, DnsType.CLUSTER),
                Arguments.of(null, true, DnsType.HOST),
                Arguments.of("invalidPolicy", false, DnsType.CLUSTER));
    }

    @ParameterizedTest(name = "{0} hostNetwork={1}")
    @MethodSource("types")
    void dnsTypeFollowsPolicyAndHostNetwork(String policy, boolean hostNetwork, DnsType expected) {
        assertThat(PodDnsConfigurer.dnsType(pod(policy, hostNetwork, null))).isEqualTo(expected);
    }

    /** TestGetPodDNS, with and without a node resolv.conf. */
    @Test
    void clusterPodsGetTheClusterNameserverAndSearchesHostPodsTheNodes() {
        PodDnsConfigurer configurer = new PodDnsConfigurer(List.of("203.0.113.1"), "kubernetes.io");
        Pod withHostNet = pod("ClusterFirstWithHostNet", true, null);
        Pod clusterOnHostNet = pod("ClusterFirst", true, null);
        Pod cluster = pod("ClusterFirst", false, null);
        Pod byDefault = pod("Default", true, null);

        assertThat(configurer.configure(withHostNet, null).conf()).isEqualTo(new ResolvConf(List.of("203.0.113.1"),
                List.of("testNS.svc.kubernetes.io", "svc.kubernetes.io", "kubernetes.io"), List.of("ndots:5")));
        ResolvConf noNodeFile = new ResolvConf(List.of("127.0.0.1"), List.of("."), List.of());
        assertThat(configurer.configure(clusterOnHostNet, null).conf()).isEqualTo(noNodeFile);
        assertThat(configurer.configure(cluster, null).conf().nameservers()).containsExactly("203.0.113.1");
        assertThat(configurer.configure(byDefault, null).conf()).isEqualTo(noNodeFile);

        ResolvConf node = new ResolvConf(List.of("10.255.255.53"), List.of("a.example", "b.example"),
                List.of("edns0"));
        assertThat(configurer.configure(cluster, node).conf()).isEqualTo(new ResolvConf(List.of("203.0.113.1"),
                List.of("testNS.svc.kubernetes.io", "svc.kubernetes.io", "kubernetes.io", "a.example", "b.example"),
                List.of("ndots:5")));
        assertThat(configurer.configure(clusterOnHostNet, node).conf()).isEqualTo(node);
        assertThat(configurer.configure(byDefault, node).conf()).isEqualTo(node);
    }

    /** TestGetPodDNSCustom. */
    static Stream<Arguments> custom() {
        PodDNSConfig dnsConfig = new PodDNSConfigBuilder().withNameservers("10.0.0.11").withSearches("my.domain")
                .withOptions(option("ndots", "3"), option("debug", null)).build();
        List<String> clusterSearches = List.of("testNS.svc.kubernetes.io", "svc.kubernetes.io", "kubernetes.io",
                "host.domain", "my.domain");
        return Stream.of(
                Arguments.of("None without dnsConfig: empty settings", "None", false, null, ResolvConf.EMPTY),
                Arguments.of("None with dnsConfig: only the dnsConfig", "None", false,
                        new PodDNSConfigBuilder().withNameservers("203.0.113.1")
                                .withSearches("my.domain", "second.domain")
                                .withOptions(option("ndots", "3"), option("debug", null)).build(),
                        new ResolvConf(List.of("203.0.113.1"), List.of("my.domain", "second.domain"),
                                List.of("ndots:3", "debug"))),
                Arguments.of("ClusterFirst with dnsConfig: merged", "ClusterFirst", false, dnsConfig,
                        new ResolvConf(List.of("10.0.0.10", "10.0.0.11"), clusterSearches,
                                List.of("ndots:3", "debug"))),
                Arguments.of("ClusterFirstWithHostNet with dnsConfig: merged", "ClusterFirstWithHostNet", true,
                        dnsConfig, new ResolvConf(List.of("10.0.0.10", "10.0.0.11"), clusterSearches,
                                List.of("ndots:3", "debug"))),
                Arguments.of("Default with dnsConfig: merged", "Default", false, dnsConfig,
                        new ResolvConf(List.of("8.8.8.8", "10.0.0.11"), List.of("host.domain", "my.domain"),
                                List.of("ndots:3", "debug"))),
                Arguments.of("dnsConfig duplicates dropped", "ClusterFirst", false,
                        new PodDNSConfigBuilder().withNameservers("10.0.0.10", "10.0.0.12")
                                .withSearches("svc.kubernetes.io", "x.example").build(),
                        new ResolvConf(List.of("10.0.0.10", "10.0.0.12"), List.of("testNS.svc.kubernetes.io",
                                "svc.kubernetes.io", "kubernetes.io", "host.domain", "x.example"),
                                List.of("ndots:5"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("custom")
    void mergesThePodsDnsConfig(String desc, String policy, boolean hostNetwork, PodDNSConfig dnsConfig,
            ResolvConf expected) {
        PodDnsConfigurer configurer = new PodDnsConfigurer(List.of("10.0.0.10"), "kubernetes.io");
        PodDns dns = configurer.configure(pod(policy, hostNetwork, dnsConfig), HOST);
        assertThat(dns.conf()).isEqualTo(expected);
        assertThat(dns.events()).isEmpty();
        assertThat(dns.hostFile()).isFalse();
    }

    @Test
    void clusterFirstInTheDefaultNamespaceRendersTheSpecsFile() {
        PodDnsConfigurer configurer = new PodDnsConfigurer(List.of("127.96.0.10"), "cluster.local");
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().endSpec().build();
        assertThat(configurer.configure(pod, ResolvConf.parse("nameserver 10.255.255.53\n")).conf().render())
                .isEqualTo("""
                        search default.svc.cluster.local svc.cluster.local cluster.local
                        nameserver 127.96.0.10
                        options ndots:5
                        """);
    }

    @Test
    void withoutClusterDnsAClusterFirstPodGetsTheNodesSettingsAndAWarning() {
        PodDnsConfigurer configurer = new PodDnsConfigurer(List.of(), "cluster.local");
        PodDns dns = configurer.configure(pod("ClusterFirst", false, null), HOST);
        assertThat(dns.conf()).isEqualTo(HOST);
        assertThat(dns.hostFile()).isTrue();
        assertThat(dns.events()).containsExactly(new DnsEvent(DnsEvent.MISSING_CLUSTER_DNS, "pod: "
                + "\"test_pod_testNS(u1)\". kubelet does not have ClusterDNS IP configured and cannot create Pod "
                + "using \"ClusterFirst\" policy. Falling back to \"Default\" policy."));
    }

    @Test
    void withoutAClusterDomainTheSearchListIsTheNodes() {
        PodDnsConfigurer configurer = new PodDnsConfigurer(List.of("10.0.0.10"), "");
        assertThat(configurer.configure(pod("ClusterFirst", false, null), HOST).conf())
                .isEqualTo(new ResolvConf(List.of("10.0.0.10"), List.of("host.domain"), List.of("ndots:5")));
    }

    @Test
    void theNodesFileServesOnlyHostPodsWithoutDnsConfigOrCuts() {
        PodDnsConfigurer configurer = new PodDnsConfigurer(List.of("10.0.0.10"), "cluster.local");
        assertThat(configurer.configure(pod("Default", false, null), HOST).hostFile()).isTrue();
        assertThat(configurer.configure(pod("ClusterFirst", true, null), HOST).hostFile()).isTrue();
        assertThat(configurer.configure(pod("Default", false, null), null).hostFile()).isFalse();
        assertThat(configurer.configure(pod("ClusterFirst", false, null), HOST).hostFile()).isFalse();
        assertThat(configurer.configure(pod("ClusterFirstWithHostNet", true, null), HOST).hostFile()).isFalse();
        assertThat(configurer.configure(pod("Default", false,
                new PodDNSConfigBuilder().withSearches("x.example").build()), HOST).hostFile()).isFalse();
        ResolvConf fourServers = new ResolvConf(List.of("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"), List.of(),
                List.of());
        PodDns cut = configurer.configure(pod("Default", false, null), fourServers);
        assertThat(cut.hostFile()).isFalse();
        assertThat(cut.conf().nameservers()).containsExactly("1.1.1.1", "2.2.2.2", "3.3.3.3");
        assertThat(cut.events()).extracting(DnsEvent::reason).containsExactly(DnsEvent.DNS_CONFIG_FORMING);
    }

    @Test
    void tooManyMergedSearchesAreCutWithAWarning() {
        PodDnsConfigurer configurer = new PodDnsConfigurer(List.of("10.0.0.10"), "cluster.local");
        List<String> extra = IntStream.rangeClosed(1, 30).mapToObj(i -> "d" + i + ".example").toList();
        PodDns dns = configurer.configure(pod("ClusterFirst", false,
                new PodDNSConfigBuilder().withSearches(extra).build()), HOST);
        assertThat(dns.conf().searches()).hasSize(32).startsWith("testNS.svc.cluster.local").endsWith("d28.example");
        assertThat(dns.events()).extracting(DnsEvent::reason).containsExactly(DnsEvent.DNS_CONFIG_FORMING);
    }
}
