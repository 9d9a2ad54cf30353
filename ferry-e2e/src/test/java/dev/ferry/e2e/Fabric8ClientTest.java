package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fabric8 Kubernetes client (what Java applications and operators use) against a real Ferry. */
class Fabric8ClientTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static FerryProcess ferry;
    static KubernetesClient client;

    @BeforeAll
    static void up() throws Exception {
        ferry = FerryProcess.up(dir);
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(ferry.apiUrl()).withNamespace("default")
                .withRequestTimeout(10_000).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterAll
    static void down() throws Exception {
        if (client != null) {
            client.close();
        }
        ferry.close();
    }

    private static Service service(String name, int port) {
        return new ServiceBuilder().withNewMetadata().withName(name).withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().withSelector(Map.of("app", name)).addNewPort().withPort(port).endPort().endSpec()
                .build();
    }

    @Test
    void typedCrudAndErrors() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build())
                .create();
        Service created = client.services().inNamespace("f8").resource(service("web", 80)).create();
        Cluster.assertServiceIp(created.getSpec().getClusterIP());
        assertThat(created.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(80);

        Service edited = client.services().inNamespace("f8").withName("web")
                .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels("tier", "front").endMetadata().build());
        assertThat(edited.getMetadata().getLabels()).containsEntry("tier", "front");
        assertThat(client.services().inNamespace("f8").withLabel("tier", "front").list().getItems())
                .extracting(s -> s.getMetadata().getName()).containsExactly("web");

        KubernetesClientException duplicate = org.assertj.core.api.Assertions.catchThrowableOfType(
                KubernetesClientException.class,
                () -> client.services().inNamespace("f8").resource(service("web", 80)).create());
        assertThat(duplicate.getCode()).isEqualTo(409);
        assertThat(duplicate.getStatus().getReason()).isEqualTo("AlreadyExists");

        assertThat(client.services().inNamespace("f8").withName("web").delete()).hasSize(1);
        Awaitility.await().atMost(DEADLINE)
                .until(() -> client.services().inNamespace("f8").withName("web").get() == null);
    }

    @Test
    void watchAndInformerSeeChanges() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8w").endMetadata().build())
                .create();
        List<String> watched = new CopyOnWriteArrayList<>();
        List<String> informed = new CopyOnWriteArrayList<>();
        try (var watch = client.services().inNamespace("f8w").watch(new Watcher<Service>() {
            @Override
            public void eventReceived(Action action, Service s) {
                watched.add(action + " " + s.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        }); SharedIndexInformer<Service> informer = client.services().inNamespace("f8w").inform(
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Service s) {
                        informed.add("add " + s.getMetadata().getName());
                    }

                    @Override
                    public void onUpdate(Service before, Service after) {
                        informed.add("update " + after.getMetadata().getName());
                    }

                    @Override
                    public void onDelete(Service s, boolean unknownFinalState) {
                        informed.add("delete " + s.getMetadata().getName());
                    }
                })) {
            Awaitility.await().atMost(DEADLINE).until(informer::hasSynced);
            client.services().inNamespace("f8w").resource(service("a", 80)).create();
            client.services().inNamespace("f8w").withName("a")
                    .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels("v", "2").endMetadata().build());
            client.services().inNamespace("f8w").withName("a").delete();

            Awaitility.await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(watched).containsExactly("ADDED a", "MODIFIED a", "DELETED a");
                assertThat(informed).containsExactly("add a", "update a", "delete a");
            });
        }
    }
}
