package dev.ferry.controllers.endpointutil;

import static dev.ferry.controllers.endpointutil.Fixtures.pod;
import static dev.ferry.controllers.endpointutil.Fixtures.port;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PodRulesTest {
    private static ServicePort sp(IntOrString target, String protocol) {
        return new ServicePortBuilder().withPort(80).withTargetPort(target).withProtocol(protocol).build();
    }

    @Test
    void findPort() {
        Pod p = pod("p", true, "127.244.0.2").editSpec().editFirstContainer().withPorts(port("http", 8080),
                new ContainerPortBuilder().withName("dns").withContainerPort(53).withProtocol("UDP").build())
                .endContainer().addNewInitContainer().withName("side").withRestartPolicy("Always")
                .withPorts(port("admin", 9000)).endInitContainer().addNewInitContainer().withName("init")
                .withPorts(port("setup", 9001)).endInitContainer().endSpec().build();
        assertThat(PodRules.findPort(p, sp(new IntOrString(1234), "TCP"))).isEqualTo(OptionalInt.of(1234));
        assertThat(PodRules.findPort(p, sp(new IntOrString("http"), "TCP"))).isEqualTo(OptionalInt.of(8080));
        assertThat(PodRules.findPort(p, sp(new IntOrString("http"), "UDP"))).isEmpty();
        assertThat(PodRules.findPort(p, sp(new IntOrString("dns"), "UDP"))).isEqualTo(OptionalInt.of(53));
        assertThat(PodRules.findPort(p, sp(new IntOrString("admin"), "TCP"))).isEqualTo(OptionalInt.of(9000));
        assertThat(PodRules.findPort(p, sp(new IntOrString("setup"), "TCP"))).isEmpty();
        assertThat(PodRules.findPort(p, sp(null, "TCP"))).isEqualTo(OptionalInt.of(80));
    }

    @Test
    void inclusion() {
        assertThat(PodRules.shouldBeInEndpoints(pod("p", false, "127.244.0.2").build(), false)).isTrue();
        assertThat(PodRules.shouldBeInEndpoints(pod("p", true).build(), true)).isFalse();
        Pod terminating = pod("p", true, "127.244.0.2").editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata().build();
        assertThat(PodRules.shouldBeInEndpoints(terminating, true)).isTrue();
        assertThat(PodRules.shouldBeInEndpoints(terminating, false)).isFalse();
        Pod onlyPodIp = pod("p", true).editStatus().withPodIP("127.244.0.9").endStatus().build();
        assertThat(PodRules.podIps(onlyPodIp)).containsExactly("127.244.0.9");
    }
}
