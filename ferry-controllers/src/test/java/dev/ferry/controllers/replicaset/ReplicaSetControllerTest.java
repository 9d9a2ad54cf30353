package dev.ferry.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import dev.ferry.controllers.workloadutil.Owners;
import dev.ferry.controllers.workloadutil.TestPods;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ReplicaSet controller against a real API server; pods stay Pending unless a test marks them ready. */
@SuppressWarnings("try") // fake kubelets and watches run for the duration of a try block
class ReplicaSetControllerTest {
    private static final AtomicInteger NS = new AtomicInteger();
    private static LocalApiServer server;
    private static KubernetesClient client;
    private static SharedInformers informers;
    private static ReplicaSetController controller;

    @BeforeAll
    static void start() throws Exception {
        server = LocalApiServer.start();
        client = Clients.connect(server.url(), "test");
        informers = new SharedInformers(client);
        controller = ReplicaSetController.start(informers, ReplicaSetController.Options.defaults(),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        controller.close();
        informers.close();
        client.close();
        server.close();
    }

    private static String namespace() {
        String ns = "rs-" + NS.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        return ns;
    }

    private static ReplicaSet replicaSet(String ns, String name, int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(Map.of("app", name, "tier", "web"))
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("ferry/serve-hostname")
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static List<Pod> pods(String ns) {
        return client.pods().inNamespace(ns).list().getItems();
    }

    private static List<Pod> ownedPods(String ns, ReplicaSet rs) {
        return pods(ns).stream().filter(p -> Owners.isControlledBy(p, rs.getMetadata().getUid())).toList();
    }

    private static ReplicaSet get(String ns, String name) {
        return client.apps().replicaSets().inNamespace(ns).withName(name).get();
    }

    private static void scale(String ns, String name, int replicas) {
        client.apps().replicaSets().inNamespace(ns).withName(name).edit(r -> {
            r.getSpec().setReplicas(replicas);
            return r;
        });
    }

    @Test
    void createsPodsFromTheTemplateWithControllerReferences() {
        String ns = namespace();
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "web", 3)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedPods(ns, rs).size() == 3);
        for (Pod p : ownedPods(ns, rs)) {
            assertThat(p.getMetadata().getName()).startsWith("web-");
            assertThat(p.getMetadata().getLabels()).containsEntry("app", "web").containsEntry("tier", "web");
            var ref = Owners.controllerOf(p);
            assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
            assertThat(ref.getKind()).isEqualTo("ReplicaSet");
            assertThat(ref.getName()).isEqualTo("web");
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ReplicaSet cur = get(ns, "web");
            assertThat(cur.getStatus().getReplicas()).isEqualTo(3);
            assertThat(cur.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
            assertThat(cur.getStatus().getObservedGeneration()).isEqualTo(cur.getMetadata().getGeneration());
        });
        ownedPods(ns, rs).forEach(p -> TestPods.markReady(client, p));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ReplicaSet cur = get(ns, "web");
            assertThat(cur.getStatus().getReadyReplicas()).isEqualTo(3);
            assertThat(cur.getStatus().getAvailableReplicas()).isEqualTo(3);
        });
        // no duplicates once settled
        assertThat(ownedPods(ns, rs)).hasSize(3);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.v1().events().inNamespace(ns)
                .list().getItems()).filteredOn(e -> "SuccessfulCreate".equals(e.getReason())).hasSize(3)
                .allSatisfy(e -> {
                    assertThat(e.getInvolvedObject().getKind()).isEqualTo("ReplicaSet");
                    assertThat(e.getMessage()).startsWith("Created pod: web-");
                }));
    }

    @Test
    void availabilityWaitsForMinReadySeconds() {
        String ns = namespace();
        ReplicaSet spec = replicaSet(ns, "slow", 1);
        spec.getSpec().setMinReadySeconds(2);
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(spec).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedPods(ns, rs).size() == 1);
        TestPods.markReady(client, ownedPods(ns, rs).getFirst());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ReplicaSet cur = get(ns, "slow");
            assertThat(cur.getStatus().getReadyReplicas()).isEqualTo(1);
            assertThat(cur.getStatus().getAvailableReplicas()).isEqualTo(1);
        });
    }

    @Test
    void scalesDownNotReadyPodsFirstAndScalesUp() {
        String ns = namespace();
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "app", 3)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedPods(ns, rs).size() == 3);
        List<Pod> all = ownedPods(ns, rs);
        TestPods.markReady(client, all.get(0));
        TestPods.markReady(client, all.get(2));
        Set<String> ready = Set.of(all.get(0).getMetadata().getName(), all.get(2).getMetadata().getName());
        await().atMost(Duration.ofSeconds(20)).until(() -> get(ns, "app").getStatus().getReadyReplicas() == 2);

        scale(ns, "app", 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedPods(ns, rs).size() == 2);
        assertThat(ownedPods(ns, rs).stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet()))
                .isEqualTo(ready);

        scale(ns, "app", 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedPods(ns, rs).size() == 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(ns, "app").getStatus().getReplicas() == 5);
        assertThat(ownedPods(ns, rs)).hasSize(5);

        scale(ns, "app", 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedPods(ns, rs).isEmpty());
    }

    @Test
    void adoptsAMatchingOrphan() {
        String ns = namespace();
        Pod orphan = client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("orphan")
                .withLabels(Map.of("app", "adopter")).endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("ferry/echo").endContainer().endSpec().build()).create();
        TestPods.markReady(client, orphan);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> informers.get(Pod.class).getStore().getByKey(ns + "/orphan") != null);
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "adopter", 1)).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = client.pods().inNamespace(ns).withName("orphan").get();
            assertThat(Owners.isControlledBy(p, rs.getMetadata().getUid())).isTrue();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> get(ns, "adopter").getStatus().getReplicas() == 1);
        assertThat(pods(ns)).extracting(p -> p.getMetadata().getName()).containsExactly("orphan");
    }

    @Test
    void releasesARelabelledPodAndReplacesIt() {
        String ns = namespace();
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "rel", 2)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedPods(ns, rs).size() == 2);
        String victim = ownedPods(ns, rs).getFirst().getMetadata().getName();
        client.pods().inNamespace(ns).withName(victim).edit(p -> {
            p.getMetadata().getLabels().put("app", "other");
            return p;
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = client.pods().inNamespace(ns).withName(victim).get();
            assertThat(p.getMetadata().getOwnerReferences()).isNullOrEmpty();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedPods(ns, rs).size() == 2);
        assertThat(ownedPods(ns, rs)).extracting(p -> p.getMetadata().getName()).doesNotContain(victim);
        assertThat(pods(ns)).hasSize(3);
    }

    @Test
    void replacesADeletedPod() {
        String ns = namespace();
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "rep", 3)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedPods(ns, rs).size() == 3);
        String victim = ownedPods(ns, rs).getFirst().getMetadata().getName();
        client.pods().inNamespace(ns).withName(victim).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> ownedPods(ns, rs).size() == 3
                && ownedPods(ns, rs).stream().noneMatch(p -> p.getMetadata().getName().equals(victim)));
        assertThat(ownedPods(ns, rs)).hasSize(3);
    }

    @Test
    void aLargeSetNeverOvershoots() throws Exception {
        String ns = namespace();
        java.util.Set<String> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger max = new AtomicInteger();
        try (var watch = client.pods().inNamespace(ns).watch(new io.fabric8.kubernetes.client.Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED || pod.getMetadata().getDeletionTimestamp() != null) {
                    live.remove(pod.getMetadata().getName());
                } else {
                    live.add(pod.getMetadata().getName());
                }
                max.accumulateAndGet(live.size(), Math::max);
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        })) {
            ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "big", 120)).create();
            await().atMost(Duration.ofSeconds(60)).until(() -> get(ns, "big").getStatus() != null
                    && Integer.valueOf(120).equals(get(ns, "big").getStatus().getReplicas()));
            scale(ns, "big", 30);
            await().atMost(Duration.ofSeconds(60)).until(() -> ownedPods(ns, rs).size() == 30
                    && Integer.valueOf(30).equals(get(ns, "big").getStatus().getReplicas()));
            assertThat(ownedPods(ns, rs)).hasSize(30);
            assertThat(max.get()).as("most pods seen at once").isEqualTo(120);
        }
    }
}
