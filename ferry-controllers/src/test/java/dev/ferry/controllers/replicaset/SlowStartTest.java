package dev.ferry.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlowStartTest {
    @Test
    void batchesDoubleFromOne() {
        Map<Integer, List<Integer>> cases = Map.of(
                0, List.of(),
                1, List.of(1),
                3, List.of(1, 2),
                4, List.of(1, 2, 1),
                10, List.of(1, 2, 4, 3),
                500, List.of(1, 2, 4, 8, 16, 32, 64, 128, 245));
        cases.forEach((count, batches) -> assertThat(SlowStart.batches(count)).as("%d", count).isEqualTo(batches));
    }
}
