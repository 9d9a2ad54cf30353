package dev.ferry.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.controllers.workloadutil.Copies;
import dev.ferry.client.Times;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The planner driven through whole rollouts in a simulated cluster: each tick applies the plan, then a simulated
 * ReplicaSet controller and kubelet report every set's pods, those of the previous tick being available by now.
 */
class DeploymentPlannerTest {
    /** A tiny cluster: one deployment, its sets, a clock; the API server's bookkeeping is faked. */
    static final class World {
        Deployment d;
        final Map<String, ReplicaSet> sets = new LinkedHashMap<>();
        final List<Pod> pods = new ArrayList<>();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        int uids;
        DeploymentPlan last;

        World(Deployment d) {
            this.d = d;
            d.getMetadata().setUid("d-uid");
            d.getMetadata().setGeneration(1L);
        }

        DeploymentPlan plan() {
            last = DeploymentPlanner.plan(Copies.copy(d), new ArrayList<>(sets.values()), pods, now);
            return last;
        }

        /** Applies the plan as the API server would. */
        DeploymentPlan sync() {
            DeploymentPlan p = plan();
            if (p.create() != null) {
                ReplicaSet rs = Copies.copy(p.create());
                rs.getMetadata().setUid("rs-" + (++uids));
                rs.getMetadata().setCreationTimestamp(Times.format(now));
                rs.getMetadata().setGeneration(1L);
                assertThat(sets).doesNotContainKey(rs.getMetadata().getName());
                sets.put(rs.getMetadata().getName(), rs);
            }
            for (ReplicaSet u : p.update()) {
                ReplicaSet old = sets.get(u.getMetadata().getName());
                ReplicaSet rs = Copies.copy(u);
                rs.setStatus(old.getStatus());
                if (!Objects.equals(Copies.canonical(old.getSpec()), Copies.canonical(rs.getSpec()))) {
                    rs.getMetadata().setGeneration(old.getMetadata().getGeneration() + 1);
                }
                sets.put(rs.getMetadata().getName(), rs);
            }
            p.delete().forEach(rs -> sets.remove(rs.getMetadata().getName()));
            if (p.status() != null) {
                d.setStatus(Copies.copy(p.status().getStatus()));
            }
            if (p.revision() != null) {
                Map<String, String> a = new HashMap<>(d.getMetadata().getAnnotations() == null ? Map.of()
                        : d.getMetadata().getAnnotations());
                a.put(Deployments.REVISION, p.revision());
                d.getMetadata().setAnnotations(a);
            }
            return p;
        }

        /** Images whose pods never become ready. */
        final java.util.Set<String> broken = new java.util.HashSet<>();

        /** The ReplicaSet controller and kubelet: pods follow spec; those that existed last tick are available. */
        void kubelet() {
            for (ReplicaSet rs : sets.values()) {
                ReplicaSetStatus old = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
                int size = Deployments.replicas(rs);
                int before = broken.contains(rs.getSpec().getTemplate().getSpec().getContainers().getFirst()
                        .getImage()) ? 0 : old.getReplicas() == null ? 0 : old.getReplicas();
                ReplicaSetStatus s = new ReplicaSetStatus();
                s.setReplicas(size);
                s.setReadyReplicas(Math.min(size, before));
                s.setAvailableReplicas(Math.min(size, before));
                s.setObservedGeneration(rs.getMetadata().getGeneration());
                rs.setStatus(s);
            }
            now = now.plusSeconds(1);
        }

        void change(java.util.function.Consumer<Deployment> edit) {
            edit.accept(d);
            d.getMetadata().setGeneration(d.getMetadata().getGeneration() + 1);
        }

        int available() {
            return sets.values().stream().mapToInt(rs -> n(rs.getStatus().getAvailableReplicas())).sum();
        }

        int specTotal() {
            return sets.values().stream().mapToInt(Deployments::replicas).sum();
        }

        ReplicaSet withImage(String image) {
            return sets.values().stream().filter(rs -> image.equals(
                    rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())).findFirst()
                    .orElse(null);
        }

        boolean complete() {
            return d.getStatus() != null && DeploymentConditions.complete(d, d.getStatus());
        }

        /** Ticks until complete; {@code check} runs after every tick. */
        int runToCompletion(Runnable check) {
            for (int tick = 0; tick < 100; tick++) {
                sync();
                kubelet();
                check.run();
                DeploymentCondition p = DeploymentConditions.get(d.getStatus(), "Progressing");
                if (complete() && p != null && "NewReplicaSetAvailable".equals(p.getReason())
                        && plan().isEmpty()) {
                    return tick;
                }
            }
            throw new AssertionError("no convergence: " + sets.keySet() + " " + d.getStatus());
        }
    }

    static int n(Integer v) {
        return v == null ? 0 : v;
    }

    static Deployment deployment(int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("ns").endMetadata()
                .withNewSpec().withReplicas(replicas).withRevisionHistoryLimit(10).withProgressDeadlineSeconds(600)
                .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector().withNewStrategy()
                .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString("25%"))
                .withMaxUnavailable(new IntOrString("25%")).endRollingUpdate().endStrategy().withNewTemplate()
                .withNewMetadata().withLabels(Map.of("app", "web")).endMetadata().withNewSpec().addNewContainer()
                .withName("c").withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
    }

    static void strategy(Deployment d, IntOrString surge, IntOrString unavailable) {
        d.getSpec().getStrategy().getRollingUpdate().setMaxSurge(surge);
        d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(unavailable);
    }

    static void image(Deployment d, String image) {
        d.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage(image);
    }

    @Test
    void theFirstSyncCreatesTheNewReplicaSetWithRevisionOne() {
        World w = new World(deployment(3, "a"));
        DeploymentPlan p = w.sync();
        ReplicaSet rs = p.create();
        String hash = PodTemplateHash.compute(w.d.getSpec().getTemplate(), null);
        assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(rs.getSpec().getReplicas()).isEqualTo(3);
        assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("app", "web")
                .containsEntry("pod-template-hash", hash);
        assertThat(rs.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "1")
                .containsEntry(Deployments.DESIRED_REPLICAS, "3").containsEntry(Deployments.MAX_REPLICAS, "4");
        assertThat(rs.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("Deployment");
            assertThat(ref.getUid()).isEqualTo("d-uid");
            assertThat(ref.getController()).isTrue();
        });
        assertThat(p.revision()).isEqualTo("1");
        assertThat(p.events()).containsExactly(new DeploymentPlan.Event("ScalingReplicaSet",
                "Scaled up replica set web-" + hash + " to 3"));
        DeploymentCondition progressing = DeploymentConditions.get(p.status().getStatus(), "Progressing");
        assertThat(progressing.getReason()).isEqualTo("NewReplicaSetCreated");
        assertThat(progressing.getMessage()).isEqualTo("Created new replica set \"web-" + hash + "\"");
        DeploymentCondition available = DeploymentConditions.get(p.status().getStatus(), "Available");
        assertThat(available.getStatus()).isEqualTo("False");
        assertThat(available.getMessage()).isEqualTo("Deployment does not have minimum availability.");
        assertThat(p.status().getStatus().getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void anInitialRolloutCompletesWithUpstreamConditions() {
        World w = new World(deployment(3, "a"));
        w.runToCompletion(() -> { });
        DeploymentStatus s = w.d.getStatus();
        assertThat(s.getReplicas()).isEqualTo(3);
        assertThat(s.getUpdatedReplicas()).isEqualTo(3);
        assertThat(s.getAvailableReplicas()).isEqualTo(3);
        assertThat(n(s.getUnavailableReplicas())).isZero();
        String name = w.sets.keySet().iterator().next();
        DeploymentCondition p = DeploymentConditions.get(s, "Progressing");
        assertThat(p.getMessage()).isEqualTo("ReplicaSet \"" + name + "\" has successfully progressed.");
        DeploymentCondition a = DeploymentConditions.get(s, "Available");
        assertThat(a.getReason()).isEqualTo("MinimumReplicasAvailable");
        assertThat(a.getMessage()).isEqualTo("Deployment has minimum availability.");
        // settled: a further sync writes nothing
        assertThat(w.plan().isEmpty()).isTrue();
        assertThat(w.last.requeueAfter()).isNull();
    }

    private record Rolling(int replicas, IntOrString surge, IntOrString unavailable) {
    }

    @Test
    void rollingUpdatesStayWithinMaxSurgeAndMaxUnavailable() {
        List<Rolling> cases = List.of(new Rolling(3, new IntOrString(1), new IntOrString(0)),
                new Rolling(3, new IntOrString(0), new IntOrString(1)),
                new Rolling(10, new IntOrString("25%"), new IntOrString("25%")),
                new Rolling(5, new IntOrString("100%"), new IntOrString(0)),
                new Rolling(4, new IntOrString(2), new IntOrString(2)),
                new Rolling(1, new IntOrString(0), new IntOrString(0)));
        for (Rolling c : cases) {
            Deployment spec = deployment(c.replicas, "a");
            strategy(spec, c.surge, c.unavailable);
            World w = new World(spec);
            w.runToCompletion(() -> { });
            int maxSurge = Fenceposts.maxSurge(w.d);
            int maxUnavailable = Fenceposts.maxUnavailable(w.d);
            w.change(d -> image(d, "b"));
            w.runToCompletion(() -> {
                assertThat(w.specTotal()).as("%s: pods wanted", c).isLessThanOrEqualTo(c.replicas + maxSurge);
                assertThat(w.available()).as("%s: pods available", c)
                        .isGreaterThanOrEqualTo(c.replicas - maxUnavailable);
            });
            assertThat(w.withImage("b").getSpec().getReplicas()).as("%s", c).isEqualTo(c.replicas);
            assertThat(w.withImage("a").getSpec().getReplicas()).as("%s", c).isZero();
            assertThat(w.withImage("b").getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "2");
            assertThat(w.d.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "2");
        }
    }

    @Test
    void recreateScalesOldToZeroAndWaitsForItsPodsBeforeCreatingTheNewSet() {
        Deployment spec = deployment(2, "a");
        spec.getSpec().getStrategy().setType("Recreate");
        spec.getSpec().getStrategy().setRollingUpdate(null);
        World w = new World(spec);
        w.runToCompletion(() -> { });
        ReplicaSet old = w.withImage("a");
        w.change(d -> image(d, "b"));
        DeploymentPlan p = w.sync();
        assertThat(p.create()).isNull();
        assertThat(p.update()).singleElement().satisfies(rs -> assertThat(rs.getSpec().getReplicas()).isZero());
        // the old set's status still reports its pods: no new set yet
        assertThat(w.sync().create()).isNull();
        w.kubelet();
        // a terminating pod of the old set holds the new set back too
        w.pods.add(new PodBuilder().withNewMetadata().withName("old-pod").withNamespace("ns")
                .withLabels(Map.of("app", "web")).withDeletionTimestamp(Times.format(w.now)).addNewOwnerReference()
                .withKind("ReplicaSet").withName(old.getMetadata().getName()).withUid(old.getMetadata().getUid())
                .withController(true).endOwnerReference().endMetadata().withNewStatus().withPhase("Running")
                .endStatus().build());
        assertThat(w.sync().create()).isNull();
        w.pods.clear();
        p = w.sync();
        assertThat(p.create()).isNotNull();
        assertThat(p.create().getSpec().getReplicas()).isEqualTo(2);
        w.runToCompletion(() -> assertThat(w.withImage("a").getSpec().getReplicas()).isZero());
    }

    @Test
    void restoringAnOldTemplateReusesItsSetUnderTheNextRevision() {
        World w = new World(deployment(2, "a"));
        w.runToCompletion(() -> { });
        w.change(d -> image(d, "b"));
        w.runToCompletion(() -> { });
        w.change(d -> image(d, "a"));
        DeploymentPlan p = w.sync();
        assertThat(p.create()).as("rollback reuses the old set").isNull();
        w.kubelet();
        w.runToCompletion(() -> { });
        assertThat(w.sets).hasSize(2);
        assertThat(w.withImage("a").getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "3")
                .containsEntry(Deployments.REVISION_HISTORY, "1");
        assertThat(w.withImage("a").getSpec().getReplicas()).isEqualTo(2);
        assertThat(w.d.getMetadata().getAnnotations()).containsEntry(Deployments.REVISION, "3");
    }

    @Test
    void aForeignSetWithTheHashNameIsACollision() {
        World w = new World(deployment(1, "a"));
        ReplicaSet squatter = Copies.copy(w.sync().create());
        w.sets.clear();
        squatter.getMetadata().setOwnerReferences(List.of());
        squatter.getMetadata().setLabels(Map.of("other", "x"));
        squatter.getMetadata().setUid("squatter");
        w.sets.put(squatter.getMetadata().getName(), squatter);
        w.d.setStatus(null);
        DeploymentPlan p = w.sync();
        assertThat(p.create()).isNull();
        assertThat(p.status().getStatus().getCollisionCount()).isEqualTo(1);
        p = w.sync();
        assertThat(p.create()).isNotNull();
        assertThat(p.create().getMetadata().getName()).isNotEqualTo(squatter.getMetadata().getName())
                .isEqualTo("web-" + PodTemplateHash.compute(w.d.getSpec().getTemplate(), 1));
    }

    @Test
    void revisionHistoryLimitDeletesTheLowestRevisionsWithoutReplicas() {
        Deployment spec = deployment(1, "a");
        spec.getSpec().setRevisionHistoryLimit(1);
        World w = new World(spec);
        for (String image : List.of("a", "b", "c", "d")) {
            w.change(d -> image(d, image));
            w.runToCompletion(() -> { });
        }
        assertThat(w.sets.values()).extracting(rs -> rs.getSpec().getTemplate().getSpec().getContainers().getFirst()
                .getImage()).containsExactlyInAnyOrder("c", "d");
    }

    @Test
    void proportionalScalingMidRollout() {
        Deployment spec = deployment(10, "a");
        World w = new World(spec);
        w.runToCompletion(() -> { });
        w.change(d -> image(d, "b"));
        // one tick into the rollout: old 8, new 5 (sum 13 = 10 + maxSurge 3), nothing new available yet
        w.sync();
        w.kubelet();
        w.sync();
        assertThat(Deployments.replicas(w.withImage("a"))).isEqualTo(8);
        assertThat(Deployments.replicas(w.withImage("b"))).isEqualTo(5);
        w.change(d -> d.getSpec().setReplicas(15));
        DeploymentPlan scaled = w.sync();
        assertThat(scaled.events()).extracting(DeploymentPlan.Event::message).containsExactlyInAnyOrder(
                "Scaled up replica set " + w.withImage("a").getMetadata().getName() + " to 12 from 8",
                "Scaled up replica set " + w.withImage("b").getMetadata().getName() + " to 7 from 5");
        // allowed 15 + 4 = 19: 6 more shared by size, old 8 * 19/13 -> 12, new 5 * 19/13 -> 7
        assertThat(Deployments.replicas(w.withImage("a"))).isEqualTo(12);
        assertThat(Deployments.replicas(w.withImage("b"))).isEqualTo(7);
        assertThat(w.withImage("a").getMetadata().getAnnotations()).containsEntry(Deployments.DESIRED_REPLICAS, "15")
                .containsEntry(Deployments.MAX_REPLICAS, "19");
        w.kubelet();
        w.runToCompletion(() -> { });
        assertThat(Deployments.replicas(w.withImage("b"))).isEqualTo(15);
    }

    @Test
    void aPausedDeploymentScalesButDoesNotRollOut() {
        World w = new World(deployment(2, "a"));
        w.runToCompletion(() -> { });
        w.change(d -> {
            d.getSpec().setPaused(true);
            d.getSpec().setReplicas(4);
            image(d, "b");
        });
        DeploymentPlan p = w.sync();
        assertThat(p.create()).isNull();
        assertThat(p.update()).singleElement().satisfies(rs -> assertThat(rs.getSpec().getReplicas()).isEqualTo(4));
        DeploymentCondition c = DeploymentConditions.get(p.status().getStatus(), "Progressing");
        assertThat(c.getStatus()).isEqualTo("Unknown");
        assertThat(c.getReason()).isEqualTo("DeploymentPaused");
        assertThat(c.getMessage()).isEqualTo("Deployment is paused");
        w.kubelet();
        w.change(d -> d.getSpec().setPaused(false));
        p = w.sync();
        assertThat(p.create()).isNotNull();
        w.kubelet();
        w.runToCompletion(() -> { });
        assertThat(w.withImage("b").getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void aRolloutWithoutProgressTimesOutAfterTheDeadline() {
        Deployment spec = deployment(1, "a");
        spec.getSpec().setProgressDeadlineSeconds(60);
        World w = new World(spec);
        w.sync();
        // the pod never becomes ready: no kubelet ticks, only time passes
        w.sets.values().forEach(rs -> {
            rs.setStatus(new ReplicaSetStatus());
            rs.getStatus().setReplicas(1);
        });
        DeploymentPlan p = w.sync();
        assertThat(p.requeueAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(61));
        w.now = w.now.plusSeconds(61);
        p = w.sync();
        DeploymentCondition c = DeploymentConditions.get(w.d.getStatus(), "Progressing");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(c.getMessage()).isEqualTo("ReplicaSet \"" + w.sets.keySet().iterator().next()
                + "\" has timed out progressing.");
    }

    @Test
    void anOrphanSetMatchingTheSelectorIsAdoptedFirst() {
        World w = new World(deployment(1, "a"));
        ReplicaSet orphan = Copies.copy(w.plan().create());
        orphan.getMetadata().setOwnerReferences(null);
        orphan.getMetadata().setUid("orphan");
        w.sets.put(orphan.getMetadata().getName(), orphan);
        DeploymentPlan p = w.plan();
        assertThat(p.adopt()).extracting(rs -> rs.getMetadata().getName())
                .containsExactly(orphan.getMetadata().getName());
        assertThat(p.create()).isNull();
        assertThat(p.status()).isNull();
    }

    @Test
    void anEmptySelectorOnlyAcknowledgesTheGeneration() {
        Deployment spec = deployment(1, "a");
        spec.getSpec().getSelector().setMatchLabels(Map.of());
        World w = new World(spec);
        DeploymentPlan p = w.plan();
        assertThat(p.create()).isNull();
        assertThat(p.status().getStatus().getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void aRolloutOfPodsThatNeverBecomeReadyKeepsMinimumAvailabilityAndTimesOut() {
        Deployment spec = deployment(4, "a");
        spec.getSpec().setProgressDeadlineSeconds(30);
        World w = new World(spec);
        w.runToCompletion(() -> { });
        w.broken.add("b");
        w.change(d -> image(d, "b"));
        for (int tick = 0; tick < 40; tick++) {
            w.sync();
            w.kubelet();
            assertThat(w.available()).as("tick %d", tick).isGreaterThanOrEqualTo(4 - Fenceposts.maxUnavailable(w.d));
            assertThat(w.specTotal()).isLessThanOrEqualTo(4 + Fenceposts.maxSurge(w.d));
        }
        DeploymentCondition p = DeploymentConditions.get(w.d.getStatus(), "Progressing");
        assertThat(p.getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(DeploymentConditions.get(w.d.getStatus(), "Available").getStatus()).isEqualTo("True");
        assertThat(Deployments.replicas(w.withImage("a"))).isEqualTo(3);
        assertThat(Deployments.replicas(w.withImage("b"))).isEqualTo(2);
    }

    @Test
    void minReadySecondsFollowsTheDeploymentToItsNewSet() {
        Deployment spec = deployment(1, "a");
        spec.getSpec().setMinReadySeconds(5);
        World w = new World(spec);
        assertThat(w.sync().create().getSpec().getMinReadySeconds()).isEqualTo(5);
        w.kubelet();
        w.change(d -> d.getSpec().setMinReadySeconds(7));
        DeploymentPlan p = w.sync();
        assertThat(p.create()).isNull();
        assertThat(p.update()).singleElement().satisfies(rs -> assertThat(rs.getSpec().getMinReadySeconds())
                .isEqualTo(7));
    }
}
