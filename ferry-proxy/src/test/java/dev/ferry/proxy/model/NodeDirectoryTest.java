package dev.ferry.proxy.model;

import static dev.ferry.proxy.Fixtures.ip;
import static dev.ferry.proxy.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.model.NodeDirectory.NodeRef;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeDirectoryTest {

    @Test
    void clientsBelongToTheNodeOfTheirPodCidrOrAddress() {
        NodeDirectory d = NodeDirectory.of("node-a", List.of(
                node("node-a", "zone-a", "127.244.1.0/24", "127.77.1.1"),
                node("node-b", "zone-b", "127.244.2.0/24", "127.77.2.1")));
        assertThat(d.self()).isEqualTo(new NodeRef("node-a", "zone-a"));
        assertThat(d.nodeOf(ip("127.244.2.77"))).isEqualTo(new NodeRef("node-b", "zone-b"));
        assertThat(d.nodeOf(ip("127.244.1.1"))).isEqualTo(new NodeRef("node-a", "zone-a"));
        assertThat(d.nodeOf(ip("127.77.2.1"))).isEqualTo(new NodeRef("node-b", "zone-b"));
        assertThat(d.nodeOf(ip("127.244.3.1"))).isNull();
        assertThat(d.nodeOf(ip("127.9.9.9"))).isNull();
        assertThat(d.isPodAddress(ip("127.244.2.77"))).isTrue();
        assertThat(d.isPodAddress(ip("127.77.2.1"))).as("a node address").isFalse();
        assertThat(d.isPodAddress(ip("127.9.9.9"))).isFalse();
    }

    @Test
    void selfWithoutNodeObjectHasNoZone() {
        NodeDirectory d = NodeDirectory.of("node-x", List.of(node("node-b", "zone-b", "127.244.2.0/24")));
        assertThat(d.self()).isEqualTo(new NodeRef("node-x", ""));
        assertThat(NodeDirectory.of("node-x", List.of()).nodeOf(ip("127.244.2.1"))).isNull();
    }

    @Test
    void sharedAddressBelongsToThisProxysNodeWhateverTheOrder() {
        List<Node> nodes = List.of(node("node-b", "", "127.244.2.0/24", "127.0.0.1"),
                node("node-a", "", "127.244.1.0/24", "127.0.0.1"),
                node("node-c", "", "127.244.3.0/24", "127.0.0.1"));
        assertThat(NodeDirectory.of("node-a", nodes).nodeOf(ip("127.0.0.1")).name()).isEqualTo("node-a");
        assertThat(NodeDirectory.of("node-c", nodes).nodeOf(ip("127.0.0.1")).name()).isEqualTo("node-c");
    }

    @Test
    void podCidrUsedWhenPodCidrsUnsetAndBadCidrsIgnored() {
        Node legacy = new NodeBuilder().withNewMetadata().withName("old").endMetadata().withNewSpec()
                .withPodCIDR("127.244.5.0/24").endSpec().build();
        Node bad = new NodeBuilder().withNewMetadata().withName("bad").endMetadata().withNewSpec()
                .withPodCIDRs("nonsense").endSpec().build();
        Node bare = new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build();
        NodeDirectory d = NodeDirectory.of("node-a", List.of(legacy, bad, bare));
        assertThat(d.nodeOf(ip("127.244.5.9")).name()).isEqualTo("old");
        assertThat(d.nodeOf(ip("127.244.6.9"))).isNull();
    }
}
