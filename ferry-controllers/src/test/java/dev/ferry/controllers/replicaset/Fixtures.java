package dev.ferry.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.Map;

/** Objects for the ReplicaSet table tests. */
final class Fixtures {
    static final String RS_UID = "rs-uid";

    private Fixtures() {
    }

    static ReplicaSet rs(int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid(RS_UID)
                .withGeneration(3L).endMetadata().withNewSpec().withReplicas(replicas).withNewSelector()
                .withMatchLabels(Map.of("app", "web")).endSelector().withNewTemplate().withNewMetadata()
                .withLabels(Map.of("app", "web", "tier", "front")).withAnnotations(Map.of("note", "n")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("ferry/echo").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    /** A pod builder owned by {@link #rs}, created at {@code created}. */
    static PodBuilder pod(String name, String created) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withCreationTimestamp(created)
                .withLabels(Map.of("app", "web", "tier", "front")).withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("apps/v1").withKind("ReplicaSet").withName("web").withUid(RS_UID)
                        .withController(true).build()).endMetadata().withNewSpec().endSpec().withNewStatus()
                .withPhase("Pending").endStatus();
    }

    static PodBuilder ready(PodBuilder b, String since) {
        return b.editStatus().withPhase("Running").withConditions(new PodConditionBuilder().withType("Ready")
                .withStatus("True").withLastTransitionTime(since).build()).endStatus();
    }

    static PodBuilder onNode(PodBuilder b, String node) {
        return b.editSpec().withNodeName(node).endSpec();
    }

    static PodBuilder restarts(PodBuilder b, int n) {
        return b.editStatus().withContainerStatuses(new ContainerStatusBuilder().withName("c").withRestartCount(n)
                .build()).endStatus();
    }

    static Pod build(PodBuilder b) {
        return b.build();
    }
}
