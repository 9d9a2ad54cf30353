package dev.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.runtime.ContainerLaunch;
import dev.ferry.agent.runtime.ContainerRuntime;
import dev.ferry.agent.runtime.ImageCatalog;
import dev.ferry.agent.runtime.ProcessRuntime;
import dev.ferry.agent.runtime.ResolvConfDelivery;
import dev.ferry.agent.testing.FakeRuntime;
import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods' resolv.conf through the agent, against a real in-process API server. */
class PodDnsAgentTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final AtomicInteger NODES = new AtomicInteger();
    private static LocalApiServer api;
    private static KubernetesClient client;
    private final List<AutoCloseable> closing = new ArrayList<>();
    @TempDir
    Path dir;
    private Path nodeResolvConf;
    private String clusterDns;

    @BeforeAll
    static void startApi() throws Exception {
        api = LocalApiServer.start();
        client = Clients.connect(api.url(), "test");
    }

    @AfterAll
    static void stopApi() {
        client.close();
        api.close();
    }

    @BeforeEach
    void nodeFile() throws IOException {
        nodeResolvConf = Files.writeString(dir.resolve("node-resolv.conf"),
                "nameserver 10.255.255.53\nsearch corp.example\noptions edns0\n");
        clusterDns = "127.78." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                + ThreadLocalRandom.current().nextInt(1, 255);
    }

    @AfterEach
    void stopAgents() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private String agent(ContainerRuntime runtime, List<String> dns) throws IOException {
        String node = "dns-node-" + NODES.incrementAndGet();
        NodeAgent a = NodeAgent.start(client, AgentConfig.defaults(node, dir.resolve(node))
                .withHeartbeatInterval(Duration.ofMillis(500)).withClusterDns(dns, "ferry.test")
                .withHostResolvConf(nodeResolvConf), runtime, Clock.systemUTC());
        closing.add(a);
        client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"podCIDR\":\"127.244." + (200 + NODES.get()) + ".0/24\"}}");
        return node;
    }

    private static PodBuilder pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("ferry/echo")
                .endContainer().endSpec();
    }

    private static Pod create(Pod pod) {
        return client.pods().inNamespace("default").resource(pod).create();
    }

    private static ContainerLaunch launchOf(FakeRuntime runtime, String pod) {
        return await().atMost(DEADLINE).until(() -> runtime.of(pod, "c"), l -> !l.isEmpty()).getFirst().launch();
    }

    private static List<Event> warnings(Pod pod, String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> pod.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
                .filter(e -> reason.equals(e.getReason()) && "Warning".equals(e.getType())).toList();
    }

    @Test
    void aClusterFirstPodGetsTheClusterNameserverAndSearchList() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        String node = agent(runtime, List.of(clusterDns));
        create(pod("web", node).build());
        ContainerLaunch launch = launchOf(runtime, "web");
        assertThat(launch.resolvConf()).isNotNull();
        assertThat(Files.readString(launch.resolvConf())).isEqualTo("search default.svc.ferry.test svc.ferry.test "
                + "ferry.test corp.example\nnameserver " + clusterDns + "\noptions ndots:5\n");
    }

    @Test
    void defaultAndHostNetworkPodsKeepTheNodesFile() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        String node = agent(runtime, List.of(clusterDns));
        create(pod("plain", node).editSpec().withDnsPolicy("Default").endSpec().build());
        create(pod("hostnet", node).editSpec().withHostNetwork(true).endSpec().build());
        create(pod("hostnet-cluster", node).editSpec().withHostNetwork(true)
                .withDnsPolicy("ClusterFirstWithHostNet").endSpec().build());
        assertThat(launchOf(runtime, "plain").resolvConf()).isNull();
        assertThat(launchOf(runtime, "hostnet").resolvConf()).isNull();
        assertThat(Files.readString(launchOf(runtime, "hostnet-cluster").resolvConf()))
                .contains("nameserver " + clusterDns + "\n");
    }

    @Test
    void withoutClusterDnsAClusterFirstPodGetsAWarningAndTheNodesFile() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        String node = agent(runtime, List.of());
        Pod pod = create(pod("orphan", node).build());
        assertThat(launchOf(runtime, "orphan").resolvConf()).isNull();
        await().atMost(DEADLINE).until(() -> warnings(pod, "MissingClusterDNS"), l -> l.size() == 1);
    }

    @Test
    void aDnsConfigOverTheLimitsIsCutWithAWarning() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        String node = agent(runtime, List.of(clusterDns));
        Pod pod = create(pod("many", node).editSpec().withDnsConfig(new PodDNSConfigBuilder()
                .withNameservers("127.78.0.1", "127.78.0.2", "127.78.0.3").build()).endSpec().build());
        assertThat(Files.readString(launchOf(runtime, "many").resolvConf()))
                .contains("nameserver " + clusterDns + "\nnameserver 127.78.0.1\nnameserver 127.78.0.2\noptions")
                .doesNotContain("127.78.0.3");
        await().atMost(DEADLINE).until(() -> warnings(pod, "DNSConfigForming"), l -> l.size() == 1);
    }

    @Test
    void asRootARealPodProcessReadsItsOwnResolvConf() throws Exception {
        assumeThat(ResolvConfDelivery.detect()).as("root with unshare").isEqualTo(ResolvConfDelivery.PRIVATE_MOUNT);
        String hostBefore = Files.readString(Path.of("/etc/resolv.conf"));
        ProcessRuntime runtime = new ProcessRuntime(dir.resolve("runtime"), ImageCatalog.builtIns(),
                Clock.systemUTC());
        closing.add(runtime);
        String node = agent(runtime, List.of(clusterDns));
        Pod pod = create(new PodBuilder(pod("reader", node).build()).editSpec().withRestartPolicy("Never")
                .editFirstContainer().withImage("busybox").withCommand("cat", "/etc/resolv.conf").endContainer()
                .endSpec().build());
        await().atMost(DEADLINE).until(() -> client.pods().inNamespace("default").withName("reader").get()
                .getStatus().getPhase(), "Succeeded"::equals);
        Path log = dir.resolve(node).resolve("pods").resolve(pod.getMetadata().getUid()).resolve("c/0.log");
        assertThat(Files.readString(log)).isEqualTo("search default.svc.ferry.test svc.ferry.test ferry.test "
                + "corp.example\nnameserver " + clusterDns + "\noptions ndots:5\n");
        assertThat(Files.readString(Path.of("/etc/resolv.conf"))).isEqualTo(hostBefore);
    }
}
