package dev.ferry.controllers.loadbalancer;

import static dev.ferry.controllers.loadbalancer.LbPlanTest.lb;
import static dev.ferry.controllers.loadbalancer.LbPlanTest.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LbAllocationsTest {
    private static Service svc(String name, String created, String... ips) {
        return status(lb().editMetadata().withName(name).withCreationTimestamp(created).endMetadata(), ips).build();
    }

    @Test
    void restoreKeepsWhatOurServicesShowAndTheOlderOfTwoClaimants() {
        List<Service> services = List.of(
                svc("young", "2026-11-26T10:00:05Z", "10.0.0.1"),
                svc("old", "2026-11-26T10:00:00Z", "10.0.0.1"),
                svc("b-tie", "2026-11-26T10:00:07Z", "10.0.0.2"),
                svc("a-tie", "2026-11-26T10:00:07Z", "10.0.0.2"),
                svc("outside-then-inside", "2026-11-26T10:00:00Z", "192.0.2.1", "10.0.0.3"),
                svc("broadcast", "2026-11-26T10:00:00Z", "10.0.0.7"),
                svc("pending", "2026-11-26T10:00:00Z"),
                status(lb().editMetadata().withName("foreign").endMetadata().editSpec()
                        .withLoadBalancerClass("example.com/other").endSpec(), "10.0.0.4").build(),
                status(lb().editMetadata().withName("ours").endMetadata().editSpec()
                        .withLoadBalancerClass(LbPlan.LOAD_BALANCER_CLASS).endSpec(), "10.0.0.5").build(),
                status(lb().editMetadata().withName("cluster-ip").endMetadata().editSpec().withType("ClusterIP")
                        .endSpec(), "10.0.0.6").build());
        LbAllocations a = LbAllocations.restore(LbAddressPool.parse("10.0.0.0/29"), services);
        assertThat(a.snapshot()).isEqualTo(Map.of("ns/old", "10.0.0.1", "ns/a-tie", "10.0.0.2",
                "ns/outside-then-inside", "10.0.0.3", "ns/ours", "10.0.0.5"));
        assertThat(a.pool().used()).isEqualTo(4);
        assertThat(a.pool().lowestFree()).contains("10.0.0.4");
    }

    @Test
    void assignMovesAKeyAndReleaseFreesTheAddress() {
        LbAllocations a = new LbAllocations(LbAddressPool.parse("10.0.0.0/29"));
        a.assign("ns/a", "10.0.0.1");
        a.assign("ns/a", "10.0.0.2");
        assertThat(a.held("ns/a")).contains("10.0.0.2");
        assertThat(a.owner("10.0.0.1")).isEmpty();
        assertThat(a.pool().isFree("10.0.0.1")).isTrue();
        assertThatThrownBy(() -> a.assign("ns/b", "10.0.0.2")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("held by ns/a");
        assertThatThrownBy(() -> a.assign("ns/b", "10.0.0.9")).isInstanceOf(IllegalStateException.class);
        assertThat(a.release("ns/a")).contains("10.0.0.2");
        assertThat(a.release("ns/a")).isEmpty();
        assertThat(a.pool().used()).isZero();
    }
}
