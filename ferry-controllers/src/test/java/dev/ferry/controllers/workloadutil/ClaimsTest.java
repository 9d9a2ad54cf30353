package dev.ferry.controllers.workloadutil;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimsTest {
    private static final String UID = "owner-uid";
    private static final io.fabric8.kubernetes.api.model.LabelSelector SELECTOR = new LabelSelectorBuilder().withMatchLabels(Map.of("app", "x")).build();

    private static Pod pod(String name, String app, String controllerUid, boolean deleting) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withLabels(Map.of("app", app)).endMetadata();
        if (controllerUid != null) {
            b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withUid(controllerUid).withName("o")
                    .withKind("ReplicaSet").withController(true).build()).endMetadata();
        }
        if (deleting) {
            b.editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata();
        }
        return b.build();
    }

    @Test
    void claimsAdoptsAndReleases() {
        Pod owned = pod("owned", "x", UID, false);
        Pod orphan = pod("orphan", "x", null, false);
        Pod orphanOther = pod("orphan-other", "y", null, false);
        Pod relabelled = pod("relabelled", "y", UID, false);
        Pod someoneElses = pod("theirs", "x", "other", false);
        Pod deletingOrphan = pod("deleting-orphan", "x", null, true);
        Pod deletingRelabelled = pod("deleting-relabelled", "y", UID, true);
        var r = Claims.claim(UID, SELECTOR, false, List.of(owned, orphan, orphanOther, relabelled, someoneElses,
                deletingOrphan, deletingRelabelled));
        assertThat(r.claimed()).containsExactly(owned, orphan);
        assertThat(r.adopt()).containsExactly(orphan);
        assertThat(r.release()).containsExactly(relabelled);
    }

    @Test
    void aDeletingOwnerAdoptsNothing() {
        var r = Claims.claim(UID, SELECTOR, true, List.of(pod("orphan", "x", null, false), pod("o", "x", UID, false)));
        assertThat(r.adopt()).isEmpty();
        assertThat(r.claimed()).extracting(p -> p.getMetadata().getName()).containsExactly("o");
    }
}
