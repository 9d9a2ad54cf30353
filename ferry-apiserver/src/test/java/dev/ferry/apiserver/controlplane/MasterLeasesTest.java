package dev.ferry.apiserver.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

class MasterLeasesTest {
    private static final Instant NOW = Instant.parse("2026-11-26T18:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(15);
    private static final ApiEndpoint A = new ApiEndpoint("127.0.0.1", 6443);
    private static final ApiEndpoint B = new ApiEndpoint("127.0.0.1", 40000);
    private static final ApiEndpoint C = new ApiEndpoint("127.0.0.2", 6443);

    private static ObjectNode lease(ApiEndpoint holder, Instant renewed) {
        return MasterLeases.renewed(null, holder, renewed, TTL);
    }

    static Stream<Arguments> liveCases() {
        ObjectNode unlabelled = lease(A, NOW);
        unlabelled.withObject("metadata").remove("labels");
        ObjectNode badHolder = lease(A, NOW);
        badHolder.withObject("spec").put("holderIdentity", "node-1");
        ObjectNode noRenewTime = lease(A, NOW);
        noRenewTime.withObject("spec").remove("renewTime");
        ObjectNode deleting = lease(A, NOW);
        deleting.withObject("metadata").put("deletionTimestamp", "2026-11-26T18:00:00Z");
        ObjectNode zeroDuration = lease(A, NOW);
        zeroDuration.withObject("spec").put("leaseDurationSeconds", 0);
        ObjectNode secondsOnly = lease(A, NOW);
        secondsOnly.withObject("spec").put("renewTime", "2026-11-26T18:00:00Z");
        return Stream.of(
                Arguments.of("no leases", List.of(), List.of()),
                Arguments.of("renewed now", List.of(lease(A, NOW)), List.of(A)),
                Arguments.of("renewed 14.9 s ago", List.of(lease(A, NOW.minusMillis(14_900))), List.of(A)),
                Arguments.of("expired at exactly the TTL", List.of(lease(A, NOW.minusSeconds(15))), List.of()),
                Arguments.of("expired long ago", List.of(lease(A, NOW.minusSeconds(600))), List.of()),
                Arguments.of("sorted by address then port",
                        List.of(lease(C, NOW), lease(B, NOW), lease(A, NOW)), List.of(A, B, C)),
                Arguments.of("one of two expired",
                        List.of(lease(C, NOW.minusSeconds(20)), lease(A, NOW)), List.of(A)),
                Arguments.of("duplicates collapse", List.of(lease(A, NOW), lease(A, NOW)), List.of(A)),
                Arguments.of("without the label", List.of(unlabelled), List.of()),
                Arguments.of("holder is not ip:port", List.of(badHolder), List.of()),
                Arguments.of("no renewTime", List.of(noRenewTime), List.of()),
                Arguments.of("being deleted", List.of(deleting), List.of()),
                Arguments.of("zero duration", List.of(zeroDuration), List.of()),
                Arguments.of("renewTime in seconds", List.of(secondsOnly), List.of(A)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("liveCases")
    void live(String name, List<ObjectNode> leases, List<ApiEndpoint> expected) {
        assertThat(MasterLeases.live(leases, NOW)).containsExactlyElementsOf(expected);
    }

    @Test
    void leasesExpiredForMoreThanTheirDurationAreCollected() {
        ObjectNode other = lease(B, NOW.minusSeconds(31));
        other.withObject("metadata").remove("labels");
        List<ObjectNode> leases = List.of(lease(A, NOW), lease(B, NOW.minusSeconds(20)), lease(C, NOW.minusSeconds(31)),
                lease(new ApiEndpoint("127.0.0.3", 1), NOW.minusSeconds(30)), other);
        assertThat(MasterLeases.collectable(leases, NOW)).containsExactly("ferry-apiserver-127.0.0.2-6443");
    }

    @Test
    void newLease() throws Exception {
        assertThat(MasterLeases.renewed(null, A, Instant.parse("2026-11-26T18:00:00.123456Z"), TTL)).isEqualTo(
                tools.jackson.databind.json.JsonMapper.builder().build().readTree("""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
                 "metadata":{"name":"ferry-apiserver-127.0.0.1-6443","namespace":"kube-system",
                   "labels":{"ferry.dev/apiserver-endpoint":"true"}},
                 "spec":{"acquireTime":"2026-11-26T18:00:00.123456Z","holderIdentity":"127.0.0.1:6443",
                   "leaseDurationSeconds":15,"renewTime":"2026-11-26T18:00:00.123456Z"}}"""));
    }

    @Test
    void renewalKeepsAcquireTimeAndOtherFields() {
        ObjectNode first = lease(A, NOW);
        first.withObject("metadata").put("resourceVersion", "7").withObject("labels").put("team", "x");
        ObjectNode renewed = MasterLeases.renewed(first, A, NOW.plusSeconds(10), TTL);
        assertThat(renewed.at("/spec/acquireTime").asString()).isEqualTo("2026-11-26T18:00:00.000000Z");
        assertThat(renewed.at("/spec/renewTime").asString()).isEqualTo("2026-11-26T18:00:10.000000Z");
        assertThat(renewed.at("/metadata/resourceVersion").asString()).isEqualTo("7");
        assertThat(renewed.at("/metadata/labels/team").asString()).isEqualTo("x");
        assertThat(first.at("/spec/renewTime").asString()).as("input untouched").isEqualTo("2026-11-26T18:00:00.000000Z");
    }

    @Test
    void namesAndHoldersOfIpv6() {
        ApiEndpoint v6 = new ApiEndpoint("::1", 6443);
        assertThat(MasterLeases.name(v6)).isEqualTo("ferry-apiserver---1-6443");
        assertThat(MasterLeases.parseHolder("[::1]:6443")).isEqualTo(v6);
        assertThat(MasterLeases.live(List.of(lease(v6, NOW)), NOW)).containsExactly(v6);
        assertThat(MasterLeases.parseHolder("127.0.0.1:99999")).isNull();
        assertThat(MasterLeases.parseHolder(":6443")).isNull();
    }
}
