package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.net.Cidr;
import dev.ferry.api.net.IpAddresses;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The pure parts of {@link ProxyControlPlaneBench}: its objects, address plan, changes and options. */
class ProxyBenchTest {

    @Test
    void everyEndpointGetsItsOwnAddressInsideTheClusterCidrMovedOrNot() {
        Cidr pods = Cidr.parse(ProxyBenchObjects.CLUSTER_CIDR);
        Set<String> seen = new HashSet<>();
        int services = ProxyBenchObjects.MAX_ADDRESSES / 10;
        for (int s : new int[] {0, 1, 255, services / 2, services - 1}) {
            for (int j = 0; j < 10; j++) {
                for (boolean moved : new boolean[] {false, true}) {
                    String ip = ProxyBenchObjects.address(s, 10, j, moved);
                    assertThat(pods.contains(IpAddresses.parse(ip))).as(ip).isTrue();
                    assertThat(seen.add(ip)).as(ip + " twice").isTrue();
                }
            }
        }
        assertThat(ProxyBenchObjects.address(0, 10, 0, false)).isEqualTo("127.84.0.0");
        assertThat(ProxyBenchObjects.address(0, 10, 0, true)).isEqualTo("127.86.0.0");
        assertThat(ProxyBenchObjects.address(25, 10, 7, false)).isEqualTo("127.84.1.1");
    }

    @Test
    void sliceBelongsToItsServiceAndFollowsTheMasks() {
        JsonNode slice = Api.JSON.readTree(ProxyBenchObjects.sliceJson(3, 4, 0b0010, 0b0100));
        assertThat(slice.path("metadata").path("labels").path("kubernetes.io/service-name").asString())
                .isEqualTo("svc-00003");
        assertThat(slice.path("addressType").asString()).isEqualTo("IPv4");
        assertThat(slice.path("ports").get(0).path("port").asInt()).isEqualTo(ProxyBenchObjects.TARGET_PORT);
        assertThat(slice.path("ports").get(0).path("name").asString()).isEqualTo("http");
        JsonNode eps = slice.path("endpoints");
        assertThat(eps.size()).isEqualTo(4);
        assertThat(eps.get(0).path("conditions").path("ready").asBoolean()).isTrue();
        assertThat(eps.get(1).path("conditions").path("ready").asBoolean()).isFalse();
        assertThat(eps.get(2).path("addresses").get(0).asString())
                .isEqualTo(ProxyBenchObjects.address(3, 4, 2, true));
        assertThat(eps.get(3).path("addresses").get(0).asString())
                .isEqualTo(ProxyBenchObjects.address(3, 4, 3, false));

        JsonNode service = Api.JSON.readTree(ProxyBenchObjects.serviceJson(3));
        assertThat(service.path("spec").has("selector")).isFalse();
        assertThat(service.path("spec").path("ports").get(0).path("name").asString()).isEqualTo("http");
    }

    @Test
    void eachChangeTouchesExactlyOneEndpointAlternatingReadyAndAddress() {
        assertThat(ProxyBenchObjects.change(0, 3, 0, 0)).containsExactly(0b1000, 0);
        assertThat(ProxyBenchObjects.change(2, 3, 0b1000, 0)).containsExactly(0, 0);
        assertThat(ProxyBenchObjects.change(1, 0, 0b1000, 0)).containsExactly(0b1000, 1);
        assertThat(ProxyBenchObjects.change(3, 0, 0b1000, 1)).containsExactly(0b1000, 0);
    }

    @Test
    void optionsHaveTheIssueDefaultsAndCheckTheAddressPlan() {
        ProxyBenchOptions o = ProxyBenchOptions.parse(new String[0]);
        assertThat(o.services).isEqualTo(10_000);
        assertThat(o.endpoints).isEqualTo(10);
        assertThat(o.changes).isEqualTo(2_000);
        assertThat(o.minSyncPeriod).isEqualTo(Duration.ofMillis(100));
        assertThat(o.pacedIntervalMs).isGreaterThan((int) o.minSyncPeriod.toMillis());

        ProxyBenchOptions q = ProxyBenchOptions.parse(new String[] {"--quick", "--changes", "50",
                "--min-sync-period-ms", "0"});
        assertThat(q.services).isEqualTo(1_000);
        assertThat(q.changes).isEqualTo(50);
        assertThat(q.minSyncPeriod).isZero();

        assertThatThrownBy(() -> ProxyBenchOptions.parse(new String[] {"--endpoints", "32"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--endpoints");
        assertThatThrownBy(() -> ProxyBenchOptions.parse(new String[] {"--services", "20000", "--endpoints", "10"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--services");
        assertThatThrownBy(() -> ProxyBenchOptions.parse(new String[] {"--bogus", "1"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option");
    }

    @Test
    void upClustersKeepToTheirOwnAddressesAndFreePorts() {
        assertThat(FerryProcess.OWN_ADDRESSES).containsSubsequence("--proxy-healthz-port", "0")
                .containsSubsequence("--proxy-metrics-port", "0")
                .containsSubsequence("--service-cluster-ip-range", "127.90.0.0/16");
        assertThat(FerryProcess.OWN_ADDRESSES).doesNotContain("127.96.0.0/16", ProxyBenchObjects.SERVICE_RANGE);
    }
}
