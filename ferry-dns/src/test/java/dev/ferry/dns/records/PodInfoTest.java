package dev.ferry.dns.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PodInfoTest {
    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").endMetadata();
    }

    @Test
    void podIpsWinOverPodIp() {
        PodInfo info = PodInfo.of(pod().withNewStatus().withPhase("Running").withPodIP("10.0.0.1")
                .addNewPodIP().withIp("10.0.0.1").endPodIP().addNewPodIP().withIp("fd00::1").endPodIP()
                .endStatus().build());

        assertThat(info.namespace()).isEqualTo("ns");
        assertThat(info.name()).isEqualTo("p");
        assertThat(info.ips()).extracting(InetAddress::getHostAddress).containsExactly("10.0.0.1", "fd00:0:0:0:0:0:0:1");
    }

    @Test
    void podIpAlone() {
        PodInfo info = PodInfo.of(pod().withNewStatus().withPhase("Running").withPodIP("10.0.0.1").endStatus().build());

        assertThat(info.ips()).extracting(InetAddress::getHostAddress).containsExactly("10.0.0.1");
    }

    @Test
    void noIpWhilePendingTerminatingOrFinished() {
        assertThat(PodInfo.of(pod().build()).ips()).isEmpty();
        assertThat(PodInfo.of(pod().withNewStatus().withPhase("Pending").endStatus().build()).ips()).isEmpty();
        assertThat(PodInfo.of(pod().withNewStatus().withPhase("Succeeded").withPodIP("10.0.0.1").endStatus().build())
                .ips()).isEmpty();
        assertThat(PodInfo.of(pod().editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .withNewStatus().withPhase("Running").withPodIP("10.0.0.1").endStatus().build()).ips()).isEmpty();
    }
}
