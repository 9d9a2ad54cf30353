package dev.ferry.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import dev.ferry.controllers.replicaset.ReplicaSetController;
import dev.ferry.controllers.workloadutil.FakeKubelet;
import dev.ferry.controllers.workloadutil.Owners;
import dev.ferry.controllers.workloadutil.Pods;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Deployment and ReplicaSet controllers together against a real API server, a fake kubelet readying pods. */
@SuppressWarnings("try") // fake kubelets and watches run for the duration of a try block
class DeploymentControllerTest {
    private static final AtomicInteger NS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static LocalApiServer server;
    private static KubernetesClient client;
    private static SharedInformers informers;
    private static ReplicaSetController replicaSets;
    private static DeploymentController deployments;

    @BeforeAll
    static void start() throws Exception {
        server = LocalApiServer.start();
        client = Clients.connect(server.url(), "test");
        informers = new SharedInformers(client);
        replicaSets = ReplicaSetController.start(informers, ReplicaSetController.Options.defaults(),
                Clock.systemUTC());
        deployments = DeploymentController.start(informers, DeploymentController.Options.defaults(),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        deployments.close();
        replicaSets.close();
        informers.close();
        client.close();
        server.close();
    }

    static String namespace() {
        String ns = "deploy-" + NS.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        return ns;
    }

    static Deployment deployment(String ns, String name, int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    static Deployment create(Deployment d) {
        return client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).create();
    }

    static Deployment get(String ns, String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    /**
     * Reads, changes and writes back the Deployment, again on a 409 Conflict: the controllers write the object too
     * (client-go's RetryOnConflict).
     */
    static void edit(String ns, String name, Consumer<Deployment> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.apps().deployments().inNamespace(ns).withName(name).edit(d -> {
                    change.accept(d);
                    return d;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    static void setImage(String ns, String name, String image) {
        edit(ns, name, d -> d.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage(image));
    }

    static List<ReplicaSet> setsOf(String ns, Deployment d) {
        return client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                .filter(rs -> Owners.isControlledBy(rs, d.getMetadata().getUid())).toList();
    }

    static ReplicaSet setWithImage(String ns, Deployment d, String image) {
        return setsOf(ns, d).stream().filter(rs -> image.equals(
                rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())).findFirst().orElse(null);
    }

    static DeploymentCondition condition(Deployment d, String type) {
        return DeploymentConditions.get(d.getStatus(), type);
    }

    /** Rolled out: every replica updated and available, the current generation observed, Progressing complete. */
    static boolean complete(String ns, String name) {
        Deployment d = get(ns, name);
        if (d.getStatus() == null) {
            return false;
        }
        DeploymentCondition p = condition(d, "Progressing");
        int replicas = d.getSpec().getReplicas();
        return d.getStatus().getObservedGeneration() != null
                && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
                && n(d.getStatus().getUpdatedReplicas()) == replicas && n(d.getStatus().getReplicas()) == replicas
                && n(d.getStatus().getAvailableReplicas()) == replicas && p != null
                && "NewReplicaSetAvailable".equals(p.getReason());
    }

    static int n(Integer v) {
        return v == null ? 0 : v;
    }

    static List<Pod> pods(String ns) {
        return client.pods().inNamespace(ns).list().getItems();
    }

    static String revision(ReplicaSet rs) {
        return rs.getMetadata().getAnnotations().get(Deployments.REVISION);
    }

    @Test
    void createsAReplicaSetAndPodsAndReportsAvailability() {
        String ns = namespace();
        try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
            Deployment d = create(deployment(ns, "hello", 3, "ferry/serve-hostname"));
            await().atMost(WAIT).until(() -> complete(ns, "hello"));
            List<ReplicaSet> sets = setsOf(ns, d);
            assertThat(sets).hasSize(1);
            ReplicaSet rs = sets.getFirst();
            String hash = rs.getMetadata().getLabels().get(PodTemplateHash.LABEL);
            assertThat(hash).isNotBlank().matches("[bcdfghjklmnpqrstvwxz2456789]+");
            assertThat(rs.getMetadata().getName()).isEqualTo("hello-" + hash);
            assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry(PodTemplateHash.LABEL, hash);
            assertThat(rs.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(PodTemplateHash.LABEL, hash);
            assertThat(rs.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "1")
                    .containsEntry(Deployments.DESIRED_REPLICAS, "3").containsEntry(Deployments.MAX_REPLICAS, "4");
            assertThat(pods(ns)).hasSize(3).allSatisfy(p ->
                    assertThat(p.getMetadata().getLabels()).containsEntry(PodTemplateHash.LABEL, hash));

            Deployment cur = get(ns, "hello");
            assertThat(cur.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "1");
            assertThat(cur.getMetadata().getGeneration())
                    .as("the controller's revision annotation rides on a status write: no generation bump")
                    .isEqualTo(1L);
            assertThat(cur.getStatus().getReadyReplicas()).isEqualTo(3);
            assertThat(n(cur.getStatus().getUnavailableReplicas())).isZero();
            DeploymentCondition available = condition(cur, "Available");
            assertThat(available.getStatus()).isEqualTo("True");
            assertThat(available.getReason()).isEqualTo("MinimumReplicasAvailable");
            assertThat(available.getMessage()).isEqualTo("Deployment has minimum availability.");
            DeploymentCondition progressing = condition(cur, "Progressing");
            assertThat(progressing.getStatus()).isEqualTo("True");
            assertThat(progressing.getMessage())
                    .isEqualTo("ReplicaSet \"" + rs.getMetadata().getName() + "\" has successfully progressed.");
        }
    }

    @Test
    void withoutReadyPodsTheDeploymentIsNotAvailable() {
        String ns = namespace();
        create(deployment(ns, "pending", 2, "ferry/echo"));
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = get(ns, "pending");
            assertThat(n(d.getStatus().getReplicas())).isEqualTo(2);
            DeploymentCondition available = condition(d, "Available");
            assertThat(available).isNotNull();
            assertThat(available.getStatus()).isEqualTo("False");
            assertThat(available.getReason()).isEqualTo("MinimumReplicasUnavailable");
            assertThat(n(d.getStatus().getUnavailableReplicas())).isEqualTo(2);
            assertThat(condition(d, "Progressing").getReason()).isIn("NewReplicaSetCreated", "ReplicaSetUpdated");
        });
    }

    /** Records, per watch event, how many live pods are ready and whether old and new pods live together. */
    static final class PodCensus implements Watcher<Pod>, AutoCloseable {
        private final Map<String, Pod> live = new HashMap<>();
        private int minReady = Integer.MAX_VALUE;
        private boolean oldAndNewTogether;
        private final String oldHash;
        private final Watch watch;

        PodCensus(String ns, String oldHash) {
            this.oldHash = oldHash;
            var list = client.pods().inNamespace(ns).list();
            for (Pod p : list.getItems()) {
                live.put(p.getMetadata().getName(), p);
            }
            tally();
            this.watch = client.pods().inNamespace(ns).watch(new ListOptionsBuilder()
                    .withResourceVersion(list.getMetadata().getResourceVersion()).build(), this);
        }

        @Override
        public synchronized void eventReceived(Action action, Pod pod) {
            if (action == Action.DELETED || pod.getMetadata().getDeletionTimestamp() != null) {
                live.remove(pod.getMetadata().getName());
            } else if (action == Action.ADDED || action == Action.MODIFIED) {
                live.put(pod.getMetadata().getName(), pod);
            }
            tally();
        }

        private void tally() {
            int ready = 0;
            boolean old = false;
            boolean fresh = false;
            for (Pod p : live.values()) {
                if (Pods.isReady(p)) {
                    ready++;
                }
                if (oldHash.equals(p.getMetadata().getLabels().get(PodTemplateHash.LABEL))) {
                    old = true;
                } else {
                    fresh = true;
                }
            }
            minReady = Math.min(minReady, ready);
            oldAndNewTogether |= old && fresh;
        }

        synchronized int minReady() {
            return minReady;
        }

        synchronized boolean oldAndNewTogether() {
            return oldAndNewTogether;
        }

        synchronized boolean allNew() {
            return live.values().stream()
                    .noneMatch(p -> oldHash.equals(p.getMetadata().getLabels().get(PodTemplateHash.LABEL)));
        }

        @Override
        public void onClose(WatcherException cause) {
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    /**
     * Records the largest sum of the namespace's ReplicaSets' spec.replicas: what maxSurge bounds. Pods themselves may
     * briefly exceed it, as upstream: a scaled-down set's pod is deleted by the ReplicaSet controller a moment after
     * the deployment controller has counted it gone and scaled the new set up.
     */
    static final class ReplicaSetCensus implements Watcher<ReplicaSet>, AutoCloseable {
        private final Map<String, Integer> replicas = new HashMap<>();
        private int maxTotal;
        private final Watch watch;

        ReplicaSetCensus(String ns) {
            var list = client.apps().replicaSets().inNamespace(ns).list();
            for (ReplicaSet rs : list.getItems()) {
                replicas.put(rs.getMetadata().getName(), rs.getSpec().getReplicas());
            }
            tally();
            this.watch = client.apps().replicaSets().inNamespace(ns).watch(new ListOptionsBuilder()
                    .withResourceVersion(list.getMetadata().getResourceVersion()).build(), this);
        }

        @Override
        public synchronized void eventReceived(Action action, ReplicaSet rs) {
            if (action == Action.DELETED) {
                replicas.remove(rs.getMetadata().getName());
            } else if (action == Action.ADDED || action == Action.MODIFIED) {
                replicas.put(rs.getMetadata().getName(), rs.getSpec().getReplicas());
            }
            tally();
        }

        private void tally() {
            maxTotal = Math.max(maxTotal, replicas.values().stream().mapToInt(Integer::intValue).sum());
        }

        synchronized int maxTotal() {
            return maxTotal;
        }

        @Override
        public void onClose(WatcherException cause) {
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    @Test
    void rollingUpdateWithMaxUnavailableZeroNeverDropsBelowReplicas() {
        String ns = namespace();
        try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
            Deployment spec = deployment(ns, "roll", 3, "ferry/serve-hostname");
            spec.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                    .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
                    .withMaxUnavailable(new IntOrString(0)).endRollingUpdate().build());
            Deployment d = create(spec);
            await().atMost(WAIT).until(() -> complete(ns, "roll"));
            String oldHash = setsOf(ns, d).getFirst().getMetadata().getLabels().get(PodTemplateHash.LABEL);
            try (PodCensus census = new PodCensus(ns, oldHash); ReplicaSetCensus sets = new ReplicaSetCensus(ns)) {
                setImage(ns, "roll", "ferry/echo");
                await().atMost(WAIT).until(() -> complete(ns, "roll") && census.allNew()
                        && pods(ns).size() == 3);
                assertThat(census.minReady()).as("ready pods at the worst moment").isGreaterThanOrEqualTo(3);
                assertThat(sets.maxTotal()).as("replicas of all sets at the busiest moment (replicas + maxSurge)")
                        .isLessThanOrEqualTo(4);
                assertThat(census.oldAndNewTogether()).as("a rolling update overlaps old and new pods").isTrue();
            }
            assertThat(pods(ns)).allSatisfy(p -> assertThat(
                    p.getSpec().getContainers().getFirst().getImage()).isEqualTo("ferry/echo"));
            ReplicaSet newRs = setWithImage(ns, d, "ferry/echo");
            ReplicaSet oldRs = setWithImage(ns, d, "ferry/serve-hostname");
            assertThat(revision(newRs)).isEqualTo("2");
            assertThat(oldRs.getSpec().getReplicas()).isZero();
            assertThat(get(ns, "roll").getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "2");
        }
    }

    @Test
    void recreateRemovesOldPodsBeforeStartingNewOnes() {
        String ns = namespace();
        try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
            Deployment spec = deployment(ns, "rec", 2, "ferry/serve-hostname");
            spec.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                    .withType("Recreate").build());
            Deployment d = create(spec);
            await().atMost(WAIT).until(() -> complete(ns, "rec"));
            String oldHash = setsOf(ns, d).getFirst().getMetadata().getLabels().get(PodTemplateHash.LABEL);
            try (PodCensus census = new PodCensus(ns, oldHash)) {
                setImage(ns, "rec", "ferry/echo");
                await().atMost(WAIT).until(() -> complete(ns, "rec") && census.allNew() && pods(ns).size() == 2);
                assertThat(census.oldAndNewTogether()).as("old and new pods at the same moment").isFalse();
                assertThat(census.minReady()).as("Recreate goes through zero pods").isZero();
            }
        }
    }

    @Test
    void rollbackByRestoringTheOldTemplateMovesTheRevision() {
        String ns = namespace();
        try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
            Deployment d = create(deployment(ns, "undo", 2, "ferry/serve-hostname"));
            await().atMost(WAIT).until(() -> complete(ns, "undo"));
            setImage(ns, "undo", "ferry/echo");
            await().atMost(WAIT).until(() -> complete(ns, "undo") && setsOf(ns, d).size() == 2
                    && "2".equals(get(ns, "undo").getMetadata().getAnnotations().get(Deployments.REVISION)));
            ReplicaSet first = setWithImage(ns, d, "ferry/serve-hostname");
            assertThat(revision(first)).isEqualTo("1");

            setImage(ns, "undo", "ferry/serve-hostname");
            await().atMost(WAIT).until(() -> complete(ns, "undo")
                    && "3".equals(revision(setWithImage(ns, d, "ferry/serve-hostname"))));
            ReplicaSet back = setWithImage(ns, d, "ferry/serve-hostname");
            assertThat(back.getMetadata().getName()).isEqualTo(first.getMetadata().getName());
            assertThat(back.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION_HISTORY, "1");
            assertThat(setsOf(ns, d)).hasSize(2);
            assertThat(get(ns, "undo").getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "3");
            await().atMost(WAIT).until(() -> pods(ns).size() == 2 && pods(ns).stream().allMatch(p ->
                    p.getSpec().getContainers().getFirst().getImage().equals("ferry/serve-hostname")));
        }
    }

    @Test
    void restartAnnotationRollsOutANewReplicaSet() {
        String ns = namespace();
        try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
            Deployment d = create(deployment(ns, "restart", 2, "ferry/echo"));
            await().atMost(WAIT).until(() -> complete(ns, "restart"));
            List<String> before = pods(ns).stream().map(p -> p.getMetadata().getName()).toList();
            edit(ns, "restart", x -> x.getSpec().getTemplate().getMetadata().setAnnotations(
                    Map.of("kubectl.kubernetes.io/restartedAt", "2026-01-01T00:00:00Z")));
            await().atMost(WAIT).until(() -> complete(ns, "restart") && setsOf(ns, d).size() == 2
                    && pods(ns).size() == 2 && pods(ns).stream().noneMatch(
                            p -> before.contains(p.getMetadata().getName())));
            assertThat(get(ns, "restart").getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "2");
        }
    }

    @Test
    void revisionHistoryLimitDeletesTheOldestUnusedReplicaSets() {
        String ns = namespace();
        try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
            Deployment spec = deployment(ns, "hist", 1, "img/a");
            spec.getSpec().setRevisionHistoryLimit(1);
            Deployment d = create(spec);
            await().atMost(WAIT).until(() -> complete(ns, "hist"));
            for (String image : List.of("img/b", "img/c", "img/d")) {
                setImage(ns, "hist", image);
                await().atMost(WAIT).until(() -> complete(ns, "hist") && setWithImage(ns, d, image) != null);
            }
            await().atMost(WAIT).until(() -> setsOf(ns, d).size() == 2);
            assertThat(setsOf(ns, d)).extracting(rs -> rs.getSpec().getTemplate().getSpec().getContainers()
                    .getFirst().getImage()).containsExactlyInAnyOrder("img/c", "img/d");
        }
    }

    @Test
    void scalingAPausedDeploymentScalesItsReplicaSet() {
        String ns = namespace();
        try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
            Deployment d = create(deployment(ns, "paused", 2, "ferry/echo"));
            await().atMost(WAIT).until(() -> complete(ns, "paused"));
            edit(ns, "paused", x -> x.getSpec().setPaused(true));
            await().atMost(WAIT).until(() -> "DeploymentPaused".equals(
                    condition(get(ns, "paused"), "Progressing").getReason()));
            edit(ns, "paused", x -> {
                x.getSpec().setReplicas(4);
                x.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("ferry/serve-hostname");
            });
            await().atMost(WAIT).until(() -> pods(ns).size() == 4 && setsOf(ns, d).size() == 1);
            edit(ns, "paused", x -> x.getSpec().setPaused(false));
            await().atMost(WAIT).until(() -> complete(ns, "paused") && pods(ns).size() == 4
                    && pods(ns).stream().allMatch(p -> p.getSpec().getContainers().getFirst().getImage()
                            .equals("ferry/serve-hostname")));
        }
    }

    @Test
    void recreateWaitsForTerminatingPodsOfTheOldSet() {
        String ns = namespace();
        try (FakeKubelet kubelet = new FakeKubelet(client, ns)) {
            Deployment spec = deployment(ns, "grace", 2, "ferry/serve-hostname");
            spec.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                    .withType("Recreate").build());
            // bound pods are deleted gracefully: they stay Terminating until their node agent (here: the test) ends them
            spec.getSpec().getTemplate().getSpec().setNodeName("node-1");
            Deployment d = create(spec);
            await().atMost(WAIT).until(() -> complete(ns, "grace"));
            setImage(ns, "grace", "ferry/echo");
            await().atMost(WAIT).until(() -> pods(ns).size() == 2
                    && pods(ns).stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
            await().atMost(WAIT).until(() -> setWithImage(ns, d, "ferry/serve-hostname").getStatus().getReplicas() == 0
                    && get(ns, "grace").getStatus().getReplicas() == 0);
            // the old set reports no replicas, yet its terminating pods hold the new set back
            assertThat(setWithImage(ns, d, "ferry/echo")).isNull();
            for (Pod p : pods(ns)) {
                client.pods().inNamespace(ns).withName(p.getMetadata().getName()).withGracePeriod(0).delete();
            }
            await().atMost(WAIT).until(() -> complete(ns, "grace") && pods(ns).size() == 2
                    && pods(ns).stream().allMatch(p -> p.getSpec().getContainers().getFirst().getImage()
                            .equals("ferry/echo")));
        }
    }

    @Test
    void deletingADeploymentDeletesItsReplicaSetsAndPods() {
        String ns = namespace();
        for (String policy : List.of("Background", "Foreground")) {
            String name = "gc-" + policy.toLowerCase(java.util.Locale.ROOT);
            Deployment d = create(deployment(ns, name, 2, "ferry/echo"));
            await().atMost(WAIT).until(() -> setsOf(ns, d).size() == 1 && pods(ns).stream().filter(p ->
                    name.equals(p.getMetadata().getLabels().get("app"))).count() == 2);
            client.apps().deployments().inNamespace(ns).withName(name)
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.valueOf(
                            policy.toUpperCase(java.util.Locale.ROOT))).delete();
            await(policy).atMost(WAIT).until(() -> get(ns, name) == null && setsOf(ns, d).isEmpty()
                    && pods(ns).stream().noneMatch(p -> name.equals(p.getMetadata().getLabels().get("app"))));
        }
    }
}
