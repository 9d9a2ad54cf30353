package dev.ferry.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeObjectsTest {
    private static final NodeObjects.Identity ID = new NodeObjects.Identity("n1", "127.0.0.2",
            Map.of("cpu", "4", "memory", "8Gi", "pods", "110"), "amd64", "linux",
            Map.of("topology.kubernetes.io/zone", "zone-a", "kubernetes.io/hostname", "n1.example"));
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void nodeAsTheKubeletRegistersIt() {
        Node n = NodeObjects.node(ID, 10250, T0);
        assertThat(n.getMetadata().getName()).isEqualTo("n1");
        assertThat(n.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "n1.example")
                .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64")
                .containsEntry("topology.kubernetes.io/zone", "zone-a");
        NodeStatus s = n.getStatus();
        assertThat(s.getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=127.0.0.2", "Hostname=n1");
        assertThat(s.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
        assertThat(s.getCapacity()).containsOnlyKeys("cpu", "memory", "pods");
        assertThat(s.getAllocatable()).isEqualTo(s.getCapacity());
        assertThat(s.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
                .containsExactly("MemoryPressure=False/KubeletHasSufficientMemory",
                        "DiskPressure=False/KubeletHasNoDiskPressure", "PIDPressure=False/KubeletHasSufficientPID",
                        "Ready=True/KubeletReady");
        assertThat(s.getConditions()).allSatisfy(c -> {
            assertThat(c.getLastHeartbeatTime()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        });
        assertThat(s.getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.0");
        assertThat(s.getNodeInfo().getOperatingSystem()).isEqualTo("linux");
    }

    @Test
    void heartbeatMovesHeartbeatTimeAndKeepsTransitionTime() {
        NodeStatus first = NodeObjects.node(ID, 10250, T0).getStatus();
        var later = NodeObjects.heartbeat(ID, first, T0.plusSeconds(10));
        NodeCondition ready = later.stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
        assertThat(ready.getLastHeartbeatTime()).isEqualTo("2026-01-01T00:00:10Z");
        assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        NodeStatus notReady = new NodeStatus();
        notReady.setConditions(java.util.List.of(new io.fabric8.kubernetes.api.model.NodeConditionBuilder()
                .withType("Ready").withStatus("Unknown").withLastTransitionTime("2025-01-01T00:00:00Z").build()));
        NodeCondition back = NodeObjects.heartbeat(ID, notReady, T0).stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
        assertThat(back.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void leaseOfTheNode() {
        var lease = NodeObjects.lease("n1", "uid-1", T0.plusNanos(1_234_567));
        assertThat(lease.getMetadata().getNamespace()).isEqualTo("kube-node-lease");
        assertThat(lease.getMetadata().getName()).isEqualTo("n1");
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("n1");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(T0.plusNanos(1_234_000));
        assertThat(lease.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName() + "/" + o.getUid())
                        .isEqualTo("Node/n1/uid-1"));
    }
}
