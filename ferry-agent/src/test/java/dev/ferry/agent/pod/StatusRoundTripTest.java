package dev.ferry.agent.pod;

import static dev.ferry.agent.pod.Pods.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A status the agent writes reads back equal after normalization, so an unchanged pod causes no further writes (the
 * agent compares what it would write with what the API holds).
 */
class StatusRoundTripTest {
    @Test
    void writtenStatusReadsBackEqual() throws Exception {
        try (LocalApiServer api = LocalApiServer.start(); KubernetesClient client = Clients.connect(api.url(), "t")) {
            Pod pod = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                    .withName("p").endMetadata().withNewSpec().withNodeName("n1").addNewInitContainer()
                    .withName("i").withImage("ferry/echo").endInitContainer().addNewContainer().withName("a")
                    .withImage("docker.io/ferry/echo:1").endContainer().addNewContainer().withName("b")
                    .withImage("ferry/serve-hostname").endContainer().endSpec().build()).create();
            ContainerHistory init = Pods.exited(ContainerHistory.fresh("i", true).started(
                    ContainerHistory.Running.started("i0", 0, at(0)), CrashBackoff.NONE), 0, 1);
            ContainerHistory a = ContainerHistory.fresh("a", false)
                    .started(ContainerHistory.Running.started("a0", 0, at(1)), CrashBackoff.NONE)
                    .exited(Termination.of("a0", 0, 1, at(1), at(2)))
                    .started(ContainerHistory.Running.started("a1", 1, at(2)), CrashBackoff.NONE.next(at(2)));
            ContainerHistory b = Pods.running("b", 0, 1);
            PodStatus status = PodStatusBuilder.build(pod, Pods.records(init, a, b),
                    Map.of("b", new ProbeView(true, false, false)), "127.244.0.5", "127.0.0.1", at(3));
            String json = PodManager.normalize(tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(client.getKubernetesSerialization().asJson(status))).toString();
            Pod written = client.pods().inNamespace("default").withName("p").subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":" + json + "}");
            Pod read = client.pods().inNamespace("default").withName("p").get();
            assertThat(read.getMetadata().getResourceVersion()).isEqualTo(written.getMetadata().getResourceVersion());
            var mapper = JsonMapper.builder().build();
            assertThat(PodManager.normalize(mapper.readTree(client.getKubernetesSerialization()
                    .asJson(read.getStatus())))).isEqualTo(mapper.readTree(json));
            // and building again from what was read gives the same status
            PodStatus again = PodStatusBuilder.build(read, Pods.records(init, a, b),
                    Map.of("b", new ProbeView(true, false, false)), "127.244.0.5", "127.0.0.1", at(30));
            assertThat(PodManager.normalize(mapper.readTree(client.getKubernetesSerialization().asJson(again))))
                    .isEqualTo(mapper.readTree(json));
            assertThat(List.of(read.getStatus().getPhase())).containsExactly("Running");
        }
    }
}
