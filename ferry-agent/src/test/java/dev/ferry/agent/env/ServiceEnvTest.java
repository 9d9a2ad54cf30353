package dev.ferry.agent.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvTest {
    static Service service(String namespace, String name, String clusterIp, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withPorts(Arrays.asList(ports)).endSpec().build();
    }

    static ServicePort port(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
    }

    private static final Service KUBERNETES = service("default", "kubernetes", "127.96.0.1", port("https", 443, "TCP"));

    @Test
    void theSpecExampleRedisPrimary() {
        Map<String, String> env = ServiceEnv.of("ns", true,
                List.of(service("ns", "redis-primary", "10.0.0.11", port(null, 6379, "TCP"))));
        assertThat(env).containsExactly(
                Map.entry("REDIS_PRIMARY_SERVICE_HOST", "10.0.0.11"),
                Map.entry("REDIS_PRIMARY_SERVICE_PORT", "6379"),
                Map.entry("REDIS_PRIMARY_PORT", "tcp://10.0.0.11:6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP", "tcp://10.0.0.11:6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379"),
                Map.entry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.0.0.11"));
    }

    @Test
    void namedPortsAndEveryPortGetVariables() {
        Map<String, String> env = ServiceEnv.of("ns", true, List.of(service("ns", "my-svc", "127.96.0.20",
                port("http", 80, "TCP"), port("dns-udp", 53, "UDP"), port("metrics", 9090, null))));
        assertThat(env).containsExactly(
                Map.entry("MY_SVC_SERVICE_HOST", "127.96.0.20"),
                Map.entry("MY_SVC_SERVICE_PORT", "80"),
                Map.entry("MY_SVC_SERVICE_PORT_HTTP", "80"),
                Map.entry("MY_SVC_SERVICE_PORT_DNS_UDP", "53"),
                Map.entry("MY_SVC_SERVICE_PORT_METRICS", "9090"),
                Map.entry("MY_SVC_PORT", "tcp://127.96.0.20:80"),
                Map.entry("MY_SVC_PORT_80_TCP", "tcp://127.96.0.20:80"),
                Map.entry("MY_SVC_PORT_80_TCP_PROTO", "tcp"),
                Map.entry("MY_SVC_PORT_80_TCP_PORT", "80"),
                Map.entry("MY_SVC_PORT_80_TCP_ADDR", "127.96.0.20"),
                Map.entry("MY_SVC_PORT_53_UDP", "udp://127.96.0.20:53"),
                Map.entry("MY_SVC_PORT_53_UDP_PROTO", "udp"),
                Map.entry("MY_SVC_PORT_53_UDP_PORT", "53"),
                Map.entry("MY_SVC_PORT_53_UDP_ADDR", "127.96.0.20"),
                Map.entry("MY_SVC_PORT_9090_TCP", "tcp://127.96.0.20:9090"),
                Map.entry("MY_SVC_PORT_9090_TCP_PROTO", "tcp"),
                Map.entry("MY_SVC_PORT_9090_TCP_PORT", "9090"),
                Map.entry("MY_SVC_PORT_9090_TCP_ADDR", "127.96.0.20"));
    }

    @Test
    void kubernetesServiceOfDefaultIsAlwaysThereEvenWithoutServiceLinks() {
        List<Service> services = List.of(KUBERNETES, service("ns", "web", "127.96.0.30", port(null, 80, "TCP")));
        assertThat(ServiceEnv.of("ns", false, services)).containsOnlyKeys(
                "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_SERVICE_PORT_HTTPS",
                "KUBERNETES_PORT", "KUBERNETES_PORT_443_TCP", "KUBERNETES_PORT_443_TCP_PROTO",
                "KUBERNETES_PORT_443_TCP_PORT", "KUBERNETES_PORT_443_TCP_ADDR");
        assertThat(ServiceEnv.of("ns", true, services)).containsKeys("KUBERNETES_SERVICE_HOST", "WEB_SERVICE_HOST");
    }

    @Test
    void onlyThePodsNamespaceOtherNamespacesIgnored() {
        List<Service> services = List.of(service("other", "web", "127.96.0.31", port(null, 80, "TCP")),
                service("default", "db", "127.96.0.32", port(null, 5432, "TCP")));
        assertThat(ServiceEnv.of("ns", true, services)).isEmpty();
        assertThat(ServiceEnv.of("default", true, services)).containsKey("DB_SERVICE_HOST")
                .doesNotContainKey("WEB_SERVICE_HOST");
    }

    @Test
    void headlessAndIpLessServicesGetNoVariables() {
        List<Service> services = List.of(service("ns", "headless", "None", port(null, 80, "TCP")),
                service("ns", "external", null), service("ns", "empty", "", port(null, 80, "TCP")));
        assertThat(ServiceEnv.of("ns", true, services)).isEmpty();
    }

    @Test
    void aKubernetesServiceInThePodsNamespaceWinsOverTheDefaultOne() {
        Service own = service("ns", "kubernetes", "127.96.5.5", port(null, 8443, "TCP"));
        assertThat(ServiceEnv.of("ns", true, List.of(KUBERNETES, own))).containsEntry("KUBERNETES_SERVICE_HOST",
                "127.96.5.5");
        assertThat(ServiceEnv.of("ns", true, List.of(own, KUBERNETES))).containsEntry("KUBERNETES_SERVICE_HOST",
                "127.96.5.5");
        assertThat(ServiceEnv.of("ns", false, List.of(own, KUBERNETES))).containsEntry("KUBERNETES_SERVICE_HOST",
                "127.96.0.1");
    }

    @Test
    void ipv6AddressesAreBracketedInUrlsOnly() {
        Map<String, String> env = ServiceEnv.of("ns", true, List.of(service("ns", "v6", "fd00::10",
                port(null, 80, "TCP"))));
        assertThat(env).containsEntry("V6_PORT", "tcp://[fd00::10]:80").containsEntry("V6_PORT_80_TCP_ADDR", "fd00::10")
                .containsEntry("V6_SERVICE_HOST", "fd00::10");
    }

    @Test
    void servicesAreOrderedByName() {
        Map<String, String> env = ServiceEnv.of("ns", true, List.of(
                service("ns", "zeta", "127.96.0.3", port(null, 1, "TCP")),
                service("ns", "alpha", "127.96.0.2", port(null, 1, "TCP"))));
        assertThat(env.keySet().iterator().next()).isEqualTo("ALPHA_SERVICE_HOST");
    }

    @Test
    void forPodHonoursEnableServiceLinksDefaultTrue() {
        List<Service> services = List.of(service("ns", "web", "127.96.0.30", port(null, 80, "TCP")));
        var pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").endMetadata()
                .withNewSpec().endSpec().build();
        assertThat(ServiceEnv.forPod(pod, services)).containsKey("WEB_SERVICE_HOST");
        pod.getSpec().setEnableServiceLinks(false);
        assertThat(ServiceEnv.forPod(pod, services)).isEmpty();
    }

    @Test
    void variableNames() {
        assertThat(ServiceEnv.variableName("redis-primary")).isEqualTo("REDIS_PRIMARY");
        assertThat(ServiceEnv.variableName("a.b-c")).isEqualTo("A_B_C");
        assertThat(ServiceEnv.variableName("9lives")).isEqualTo("_9LIVES");
    }
}
