package dev.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.agent.runtime.ContainerLaunch;
import dev.ferry.agent.runtime.ContainerRuntime;
import dev.ferry.agent.runtime.ImageCatalog;
import dev.ferry.agent.runtime.ProcessRuntime;
import dev.ferry.agent.runtime.ResolvConfDelivery;
import dev.ferry.agent.testing.FakeDnsServer;
import dev.ferry.agent.testing.FakeRuntime;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods' resolv.conf through the agent, against a real in-process API server. */
class PodDnsAgentTest extends AgentApiTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final AtomicInteger NODES = new AtomicInteger();
    /** Pod CIDRs are 127.79.<SUBNETS + n>.0/24, apart from other test runs' (pod processes may outlive a run). */
    private static final int SUBNETS = ThreadLocalRandom.current().nextInt(256);
    private final List<AutoCloseable> closing = new ArrayList<>();
    @TempDir
    Path dir;
    private Path nodeResolvConf;
    private String clusterDns;

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
        closing.add(() -> a.closeAndStopContainers(Duration.ofSeconds(5)));
        client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"podCIDR\":\"127.79." + (SUBNETS + NODES.get()) % 256 + ".0/24\"}}");
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

    /**
     * The whole chain as root: a ferry/echo pod resolves a short name with the JVM's system resolver, which reads the
     * pod's resolv.conf (search list, ndots:5) and asks the cluster DNS server, here a fake one on the cluster DNS IP.
     */
    @Test
    void asRootAnEchoPodResolvesShortNamesThroughItsSearchList() throws Exception {
        assumeThat(ResolvConfDelivery.detect()).as("root with unshare").isEqualTo(ResolvConfDelivery.PRIVATE_MOUNT);
        FakeDnsServer dns = new FakeDnsServer(new InetSocketAddress(clusterDns, 53),
                Map.of("web.team.svc.ferry.test.", InetAddress.getByName("127.96.77.7")));
        closing.add(dns);
        ProcessRuntime runtime = new ProcessRuntime(dir.resolve("runtime"), ImageCatalog.builtIns(),
                Clock.systemUTC());
        closing.add(runtime);
        String node = agent(runtime, List.of(clusterDns));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build())
                .createOr(NonDeletingOperation::update);
        client.pods().inNamespace("team").resource(new PodBuilder(pod("echo", node).build()).editMetadata()
                .withNamespace("team").endMetadata().build()).create();
        String ip = await().atMost(DEADLINE).until(() -> {
            Pod p = client.pods().inNamespace("team").withName("echo").get();
            return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) ? p.getStatus().getPodIP()
                    : null;
        }, java.util.Objects::nonNull);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> found = await().atMost(DEADLINE).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                URI.create("http://" + ip + ":8080/lookup?name=web")).build(), HttpResponse.BodyHandlers.ofString()),
                r -> r.statusCode() != 0);
        assertThat(found.statusCode()).as("asked %s", dns.asked()).isEqualTo(200);
        assertThat(found.body()).isEqualTo("127.96.77.7\n");
        assertThat(dns.asked()).contains("web.team.svc.ferry.test.");
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(
                URI.create("http://" + ip + ":8080/lookup?name=db")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(dns.asked()).contains("db.team.svc.ferry.test.", "db.svc.ferry.test.", "db.ferry.test.",
                "db.corp.example.", "db.");
    }
}
