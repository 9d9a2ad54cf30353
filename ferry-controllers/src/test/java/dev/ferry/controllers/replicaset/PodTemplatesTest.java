package dev.ferry.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.Test;

class PodTemplatesTest {
    @Test
    void podCarriesTheTemplateAndAControllerReference() {
        ReplicaSet rs = Fixtures.rs(1);
        Pod pod = PodTemplates.podFor(rs);
        assertThat(pod.getMetadata().getGenerateName()).isEqualTo("web-");
        assertThat(pod.getMetadata().getName()).isNull();
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web").containsEntry("tier", "front");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("note", "n");
        assertThat(pod.getSpec().getContainers().getFirst().getImage()).isEqualTo("ferry/echo");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
            assertThat(ref.getKind()).isEqualTo("ReplicaSet");
            assertThat(ref.getName()).isEqualTo("web");
            assertThat(ref.getUid()).isEqualTo(Fixtures.RS_UID);
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
        // the template of the cached set is not shared with the new pod
        pod.getMetadata().getLabels().put("x", "y");
        assertThat(rs.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("x");
    }

    @Test
    void longNamesAreShortenedForGenerateName() {
        assertThat(PodTemplates.prefix("a".repeat(70))).hasSize(58);
    }
}
