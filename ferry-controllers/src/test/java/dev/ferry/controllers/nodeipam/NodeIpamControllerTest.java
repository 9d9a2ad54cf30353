package dev.ferry.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node IPAM against a real in-process API server: assignment, release on delete, restart. */
final class NodeIpamControllerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private LocalApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        server = LocalApiServer.start();
        client = Clients.connect(server.url(), "test");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void assignsFreesAndSurvivesARestart() {
        SharedInformers informers = new SharedInformers(Clients.connect(server.url(), "ipam"));
        NodeIpamController ipam = NodeIpamController.start(informers, NodeIpamController.Options.defaults(),
                Clock.systemUTC());
        try {
            node("node-a");
            awaitCidr("node-a", "127.244.0.0/24");
            node("node-b");
            awaitCidr("node-b", "127.244.1.0/24");
            node("node-c");
            awaitCidr("node-c", "127.244.2.0/24");
            Node b = client.nodes().withName("node-b").get();
            assertThat(b.getSpec().getPodCIDRs()).containsExactly("127.244.1.0/24");

            client.nodes().withName("node-b").delete();
            await().atMost(DEADLINE).until(() -> informers.get(Node.class).getStore().getByKey("node-b") == null);
            node("node-d");
            awaitCidr("node-d", "127.244.1.0/24");
        } finally {
            ipam.close();
            informers.close();
        }
        // a new controller learns what is taken from the nodes themselves
        SharedInformers restarted = new SharedInformers(Clients.connect(server.url(), "ipam-2"));
        NodeIpamController again = NodeIpamController.start(restarted, NodeIpamController.Options.defaults(),
                Clock.systemUTC());
        try {
            node("node-e");
            awaitCidr("node-e", "127.244.3.0/24");
        } finally {
            again.close();
            restarted.close();
        }
    }

    @Test
    void keepsCidrsSetByOthersAndHonoursTheConfiguredRange() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("preset").endMetadata().withNewSpec()
                .withPodCIDR("10.9.0.0/24").withPodCIDRs(List.of("10.9.0.0/24")).endSpec().build()).create();
        SharedInformers informers = new SharedInformers(Clients.connect(server.url(), "ipam"));
        NodeIpamController ipam = NodeIpamController.start(informers,
                new NodeIpamController.Options("10.9.0.0/16", 24), Clock.systemUTC());
        try {
            node("fresh");
            awaitCidr("fresh", "10.9.1.0/24");
            assertThat(client.nodes().withName("preset").get().getSpec().getPodCIDR()).isEqualTo("10.9.0.0/24");
        } finally {
            ipam.close();
            informers.close();
        }
    }

    private void node(String name) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private void awaitCidr(String node, String cidr) {
        await().atMost(DEADLINE).untilAsserted(() -> {
            Node n = client.nodes().withName(node).get();
            assertThat(n.getSpec() == null ? null : n.getSpec().getPodCIDR()).isEqualTo(cidr);
        });
    }
}
