package dev.ferry.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The controller manager runs the LoadBalancer allocator on the configured pool, and refuses a bad pool. */
class ControllerManagerLbPoolTest {
    @Test
    void loadBalancerServicesGetAnAddressOfTheConfiguredPool() throws Exception {
        String pool = "127.78." + (int) (Math.random() * 256) + ".0/28";
        String first = pool.substring(0, pool.lastIndexOf('.')) + ".1";
        try (LocalApiServer server = LocalApiServer.start();
                KubernetesClient client = Clients.connect(server.url(), "test");
                ControllerManager m = ControllerManager.start(Clients.connect(server.url(), "controller-manager"),
                        ControllerManager.Config.defaults().withLbPool(pool), Clock.systemUTC())) {
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("lb")
                    .endMetadata().withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort()
                    .endSpec().build()).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Service s = client.services().inNamespace("default").withName("lb").get();
                assertThat(s.getStatus().getLoadBalancer().getIngress()).singleElement()
                        .satisfies(in -> assertThat(in.getIp()).isEqualTo(first));
            });
        }
    }

    @Test
    void theDefaultPoolIsDesignsAndABadPoolIsRefusedNamingTheFlag() {
        assertThat(ControllerManager.Config.defaults().lbPool()).isEqualTo("127.240.0.0/24");
        assertThatThrownBy(() -> ControllerManager.Config.defaults().withLbPool("127.240.0.1/24"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--lb-pool: 127.240.0.1/24 has host bits set (did you mean 127.240.0.0/24?)");
        assertThatThrownBy(() -> ControllerManager.Config.defaults().withLbPool("lots"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--lb-pool: not a CIDR");
    }
}
