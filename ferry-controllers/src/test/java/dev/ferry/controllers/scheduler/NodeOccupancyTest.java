package dev.ferry.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class NodeOccupancyTest {
    @Test
    void countsFollowMovesAndRemovals() {
        NodeOccupancy o = new NodeOccupancy();
        o.set("ns/a", "n1");
        o.set("ns/a", "n1");
        o.set("ns/b", "n1");
        o.set("ns/c", "n2");
        assertThat(o.counts()).isEqualTo(Map.of("n1", 2, "n2", 1));
        o.set("ns/b", "n2");
        assertThat(o.counts()).isEqualTo(Map.of("n1", 1, "n2", 2));
        o.set("ns/a", null);
        o.set("ns/zz", "");
        assertThat(o.counts()).isEqualTo(Map.of("n2", 2));
        assertThat(o.occupies("ns/a")).isFalse();
        assertThat(o.occupies("ns/b")).isTrue();
    }
}
