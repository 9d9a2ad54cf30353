package dev.ferry.bench.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DnsBenchObjectsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyTenthServiceIsHeadlessWithoutSelector() {
        JsonNode headless = JSON.readTree(DnsBenchObjects.serviceJson(20));
        JsonNode clusterIp = JSON.readTree(DnsBenchObjects.serviceJson(7));

        assertThat(headless.path("metadata").path("name").asString()).isEqualTo("svc-20");
        assertThat(headless.path("spec").path("clusterIP").asString()).isEqualTo("None");
        assertThat(headless.path("spec").has("selector")).isFalse();
        assertThat(clusterIp.path("spec").path("type").asString()).isEqualTo("ClusterIP");
        assertThat(clusterIp.path("spec").has("clusterIP")).isFalse();
        assertThat(DnsBenchObjects.fqdn(7, "cluster.local")).isEqualTo("svc-7.default.svc.cluster.local");
    }

    @Test
    void endpointAndChangeAddressesAreDistinctAndInsideTheClusterCidr() {
        assertThat(DnsBenchObjects.endpointAddress(0, 0)).isEqualTo("127.82.0.0");
        assertThat(DnsBenchObjects.endpointAddress(9999, 9)).isEqualTo("127.83.134.159");
        assertThat(DnsBenchObjects.changeAddress(0)).isEqualTo("127.81.0.1");
        assertThat(DnsBenchObjects.changeAddress(299)).isEqualTo("127.81.1.44");
        assertThatThrownBy(() -> DnsBenchObjects.endpointAddress(DnsBenchObjects.MAX_SERVICES, 0))
                .isInstanceOf(IllegalArgumentException.class);
        Set<String> seen = new HashSet<>();
        for (int s = 0; s < 10_000; s += 10) {
            seen.addAll(DnsBenchObjects.initialAddresses(s));
        }
        for (int k = 0; k < 1000; k++) {
            seen.add(DnsBenchObjects.changeAddress(k));
        }
        assertThat(seen).hasSize(11_000).allMatch(a -> a.startsWith("127.81.") || a.startsWith("127.82.")
                || a.startsWith("127.83."));
    }

    @Test
    void sliceCarriesTheServiceLabelReadyEndpointsAndTheTriggerTime() {
        JsonNode slice = JSON.readTree(DnsBenchObjects.sliceJson(30, DnsBenchObjects.initialAddresses(30),
                "2026-11-26T16:00:00.123456Z"));
        JsonNode plain = JSON.readTree(DnsBenchObjects.sliceJson(30, DnsBenchObjects.initialAddresses(30), null));

        assertThat(slice.path("metadata").path("labels").path("kubernetes.io/service-name").asString())
                .isEqualTo("svc-30");
        assertThat(slice.path("addressType").asString()).isEqualTo("IPv4");
        assertThat(slice.path("endpoints")).hasSize(10);
        assertThat(slice.path("endpoints").get(3).path("addresses").get(0).asString()).isEqualTo("127.82.1.47");
        assertThat(slice.path("endpoints").get(3).path("conditions").path("ready").asBoolean()).isTrue();
        assertThat(slice.path("metadata").path("annotations").path(DnsBenchObjects.TRIGGER_TIME).asString())
                .isEqualTo("2026-11-26T16:00:00.123456Z");
        assertThat(plain.path("metadata").has("annotations")).isFalse();
    }

    @Test
    void changesGoToDistinctHeadlessServicesWhileThereAreEnough() {
        int[] order = DnsBenchObjects.changeOrder(10_000, 200, 5);

        assertThat(order).hasSize(200);
        assertThat(Arrays.stream(order).allMatch(DnsBenchObjects::headless)).isTrue();
        assertThat(Arrays.stream(order).distinct().count()).isEqualTo(200);
        assertThat(DnsBenchObjects.changeOrder(10_000, 200, 5)).isEqualTo(order);
        assertThat(Arrays.stream(DnsBenchObjects.changeOrder(25, 4, 1)).boxed().toList()).hasSize(4)
                .allMatch(s -> s == 0 || s == 10 || s == 20);
    }
}
