package dev.ferry.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node lifecycle controller against a real in-process API server, with a 2 s grace period. */
final class NodeLifecycleControllerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private LocalApiServer server;
    private KubernetesClient client;
    private SharedInformers informers;
    private NodeLifecycleController controller;

    @BeforeEach
    void start() throws Exception {
        server = LocalApiServer.start();
        client = Clients.connect(server.url(), "test");
        informers = new SharedInformers(Clients.connect(server.url(), "node-lifecycle"));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("app").endMetadata().build())
                .create();
    }

    @AfterEach
    void stop() throws Exception {
        controller.close();
        informers.close();
        client.close();
        server.close();
    }

    @Test
    void aNodeWhoseLeaseIsNotRenewedGoesUnknownAndItsPodsNotReady() {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
                .addNewCondition().withType("DiskPressure").withStatus("False").withLastHeartbeatTime(now)
                .endCondition().endStatus().build()).create();
        client.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder().withNewMetadata().withName("n1")
                .endMetadata().withNewSpec().withHolderIdentity("n1").withLeaseDurationSeconds(40)
                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec().build()).create();
        client.pods().inNamespace("app").resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("c").withImage("ferry/echo")
                .endContainer().endSpec().build()).create();
        client.pods().inNamespace("app").withName("web").editStatus(p -> new PodBuilder(p).editStatus()
                .withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .withLastTransitionTime(now).endCondition().addNewCondition().withType("ContainersReady")
                .withStatus("True").withLastTransitionTime(now).endCondition().endStatus().build());

        controller = NodeLifecycleController.start(informers,
                new NodeLifecycleController.Options(Duration.ofSeconds(2), Duration.ofMillis(200)),
                Clock.systemUTC());

        await().atMost(DEADLINE).until(() -> "Unknown".equals(status(client.nodes().withName("n1").get(), "Ready")));
        Node n = client.nodes().withName("n1").get();
        NodeCondition ready = n.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
                .findFirst().orElseThrow();
        assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(status(n, "DiskPressure")).isEqualTo("Unknown");

        await().atMost(DEADLINE).until(() -> "False".equals(podStatus(client.pods().inNamespace("app")
                .withName("web").get(), "Ready")));
        assertThat(podStatus(client.pods().inNamespace("app").withName("web").get(), "ContainersReady"))
                .isEqualTo("True");
        await().atMost(DEADLINE).until(() -> client.v1().events().inNamespace("app").list().getItems().stream()
                .anyMatch(e -> "NodeNotReady".equals(e.getReason()) && "web".equals(e.getInvolvedObject().getName())));
    }

    private static String status(Node n, String type) {
        return n.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
                .map(NodeCondition::getStatus).orElse(null);
    }

    private static String podStatus(Pod p, String type) {
        return p.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
                .map(io.fabric8.kubernetes.api.model.PodCondition::getStatus).orElse(null);
    }
}
