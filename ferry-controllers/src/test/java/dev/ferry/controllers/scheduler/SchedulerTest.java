package dev.ferry.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler against a real in-process API server: binding through pods/binding, spreading, unschedulable pods. */
final class SchedulerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private LocalApiServer server;
    private KubernetesClient client;
    private SharedInformers informers;
    private Scheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        server = LocalApiServer.start();
        client = Clients.connect(server.url(), "test");
        informers = new SharedInformers(Clients.connect(server.url(), "scheduler"));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("app").endMetadata().build())
                .create();
        scheduler = Scheduler.start(informers, Scheduler.Options.defaults(), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
        informers.close();
        client.close();
        server.close();
    }

    @Test
    void bindsPodsToReadyNodesSpreadingThem() {
        readyNode("node-a", Map.of());
        readyNode("node-b", Map.of());
        node("node-c", "False", Map.of());
        // the spread is only defined once the scheduler's cache has every node (as with a real scheduler)
        await().atMost(DEADLINE).until(() -> informers.get(Node.class).getStore().list().size() == 3);
        for (int i = 0; i < 6; i++) {
            pod("web-" + i, Map.of());
        }
        await().atMost(DEADLINE).until(() -> client.pods().inNamespace("app").list().getItems().stream()
                .allMatch(p -> p.getSpec().getNodeName() != null));
        Map<String, Integer> perNode = new HashMap<>();
        for (Pod p : client.pods().inNamespace("app").list().getItems()) {
            perNode.merge(p.getSpec().getNodeName(), 1, Integer::sum);
            assertThat(condition(p, "PodScheduled")).hasValueSatisfying(c -> assertThat(c.getStatus())
                    .isEqualTo("True"));
        }
        assertThat(perNode).isEqualTo(Map.of("node-a", 3, "node-b", 3));
        await().atMost(DEADLINE).until(() -> events("Scheduled").stream().anyMatch(e ->
                e.getMessage().matches("Successfully assigned app/web-0 to node-[ab]")
                        && "default-scheduler".equals(e.getSource().getComponent())));
    }

    @Test
    void unschedulablePodWaitsUntilANodeFits() {
        readyNode("node-a", Map.of());
        readyNode("node-b", Map.of());
        pod("picky", Map.of("disk", "ssd"));
        String message = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.";
        await().atMost(DEADLINE).until(() -> condition(get("picky"), "PodScheduled")
                .filter(c -> c.getStatus().equals("False") && "Unschedulable".equals(c.getReason())
                        && message.equals(c.getMessage())).isPresent());
        assertThat(get("picky").getSpec().getNodeName()).isNull();
        await().atMost(DEADLINE).until(() -> events("FailedScheduling").stream()
                .anyMatch(e -> message.equals(e.getMessage()) && "Warning".equals(e.getType())));

        client.nodes().withName("node-b").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("disk", "ssd")
                .endMetadata().build());
        await().atMost(DEADLINE).until(() -> "node-b".equals(get("picky").getSpec().getNodeName()));
        assertThat(condition(get("picky"), "PodScheduled")).hasValueSatisfying(c -> assertThat(c.getStatus())
                .isEqualTo("True"));
    }

    @Test
    void leavesPodsOfOtherSchedulersAndBoundPodsAlone() {
        readyNode("node-a", Map.of());
        client.pods().inNamespace("app").resource(new PodBuilder().withNewMetadata().withName("other").endMetadata()
                .withNewSpec().withSchedulerName("my-scheduler").addNewContainer().withName("c")
                .withImage("ferry/echo").endContainer().endSpec().build()).create();
        client.pods().inNamespace("app").resource(new PodBuilder().withNewMetadata().withName("pinned").endMetadata()
                .withNewSpec().withNodeName("node-z").addNewContainer().withName("c").withImage("ferry/echo")
                .endContainer().endSpec().build()).create();
        pod("mine", Map.of());
        await().atMost(DEADLINE).until(() -> "node-a".equals(get("mine").getSpec().getNodeName()));
        assertThat(get("other").getSpec().getNodeName()).isNull();
        assertThat(get("pinned").getSpec().getNodeName()).isEqualTo("node-z");
    }

    private Pod get(String name) {
        return client.pods().inNamespace("app").withName(name).get();
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace("app").list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    private static Optional<PodCondition> condition(Pod p, String type) {
        return p.getStatus() == null || p.getStatus().getConditions() == null ? Optional.empty()
                : p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private void pod(String name, Map<String, String> nodeSelector) {
        client.pods().inNamespace("app").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector).addNewContainer()
                .withName("c").withImage("ferry/echo").endContainer().endSpec().build()).create();
    }

    private void readyNode(String name, Map<String, String> labels) {
        node(name, "True", labels);
    }

    private void node(String name, String ready, Map<String, String> labels) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).withReason("KubeletReady")
                .endCondition().endStatus().build()).create();
    }
}
