package dev.ferry.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.controllers.endpointslice.ZoneShares.Allocation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Cases of upstream's TestSetNodes and TestGetAllocations. */
class ZoneSharesTest {
    private static Node node(String name, String zone, String cpu, boolean ready, String... labels) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus();
        if (zone != null) {
            b.editMetadata().addToLabels("topology.kubernetes.io/zone", zone).endMetadata();
        }
        for (String label : labels) {
            b.editMetadata().addToLabels(label, "").endMetadata();
        }
        if (cpu != null) {
            b.editStatus().addToAllocatable("cpu", new Quantity(cpu)).endStatus();
        }
        return b.build();
    }

    @Test
    void sharesFollowTheReadyWorkersAllocatableCpu() {
        ZoneShares s = ZoneShares.of(List.of(node("n1", "zone-a", "1000m", true), node("n2", "zone-a", "1", true),
                node("n3", "zone-b", "2", true), node("n4", "zone-c", "4", true),
                node("down", "zone-c", "64", false),
                node("cp", "zone-b", "64", true, "node-role.kubernetes.io/control-plane"),
                node("old-master", "zone-b", "64", true, "node-role.kubernetes.io/master")));
        assertThat(s.problem()).isNull();
        assertThat(s.byZone()).containsOnlyKeys("zone-a", "zone-b", "zone-c");
        assertThat(s.byZone().get("zone-a")).isCloseTo(0.25, within(1e-9));
        assertThat(s.byZone().get("zone-b")).isCloseTo(0.25, within(1e-9));
        assertThat(s.byZone().get("zone-c")).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aCountedNodeWithoutZoneOrCpuOrASingleZoneGivesNoShares() {
        assertThat(ZoneShares.of(List.of())).isEqualTo(ZoneShares.NONE);
        assertThat(ZoneShares.of(List.of(node("n1", "zone-a", "1", true), node("n2", null, "1", true))).problem())
                .isEqualTo(ZoneShares.INSUFFICIENT_NODE_INFO);
        assertThat(ZoneShares.of(List.of(node("n1", "zone-a", "1", true), node("n2", "zone-b", null, true)))
                .problem()).isEqualTo(ZoneShares.INSUFFICIENT_NODE_INFO);
        assertThat(ZoneShares.of(List.of(node("n1", "zone-a", "1", true), node("n2", "zone-b", "0", true)))
                .problem()).isEqualTo(ZoneShares.INSUFFICIENT_NODE_INFO);
        assertThat(ZoneShares.of(List.of(node("n1", "zone-a", "1", true), node("n2", "zone-a", "2", true)))
                .problem()).isEqualTo(ZoneShares.ONE_ZONE);
        // a node that does not count may lack anything
        assertThat(ZoneShares.of(List.of(node("n1", "zone-a", "1", true), node("n2", "zone-b", "1", true),
                node("n3", null, null, false))).problem()).isNull();
    }

    @Test
    void allocationsGiveEachZoneItsShareLessTheThresholdAtLeast() {
        ZoneShares s = new ZoneShares(new TreeMap<>(Map.of("zone-a", 0.35, "zone-b", 0.35, "zone-c", 0.30)), null);
        Map<String, Allocation> a = s.allocate(10).byZone();
        assertThat(a).containsOnlyKeys("zone-a", "zone-b", "zone-c");
        // desired 3.5, 3.5, 3; minimum ceil(desired / 1.2) = 3 each; maximum: the minimum plus the one left over
        assertThat(a.get("zone-a")).isEqualTo(new Allocation(3, 4, 3.5));
        assertThat(a.get("zone-c").minimum()).isEqualTo(3);
        assertThat(a.get("zone-c").maximum()).isEqualTo(4);
        assertThat(a.get("zone-c").desired()).isCloseTo(3.0, within(1e-9));

        assertThat(s.allocate(2).problem()).isEqualTo("Insufficient number of endpoints (2 endpoints, 3 zones)");
        assertThat(s.allocate(4).problem()).isEqualTo("Unable to allocate minimum required endpoints to each zone "
                + "without exceeding overload threshold (4 endpoints, 3 zones)");
        assertThat(ZoneShares.NONE.allocate(10).problem()).isEqualTo(ZoneShares.INSUFFICIENT_NODE_INFO);
    }
}
