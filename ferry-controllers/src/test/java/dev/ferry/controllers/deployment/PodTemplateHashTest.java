package dev.ferry.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
    static PodTemplateSpec template(String image, Map<String, String> labels) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
    }

    @Test
    void theHashIsFixedForATemplateAcrossRuns() {
        // pinned: a change here would give every existing Deployment a new ReplicaSet after an upgrade
        assertThat(PodTemplateHash.compute(template("ferry/echo", Map.of("app", "web")), null))
                .isEqualTo(PINNED);
    }

    static final String PINNED = "6578d98dc4";

    @Test
    void usesTheSafeEncodeAlphabetAndDependsOnContentOnly() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        String h = PodTemplateHash.compute(template("x", ab), null);
        assertThat(h).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
        assertThat(PodTemplateHash.compute(template("x", ba), null)).isEqualTo(h);
        assertThat(PodTemplateHash.compute(template("y", ab), null)).isNotEqualTo(h);
        assertThat(PodTemplateHash.compute(template("x", ab), 1)).isNotEqualTo(h)
                .isNotEqualTo(PodTemplateHash.compute(template("x", ab), 2));
    }

    @Test
    void safeEncodeMapsEachByte() {
        // '0' is 48, 48 % 27 = 21 -> '4'; '9' is 57, 57 % 27 = 3 -> 'f'
        assertThat(PodTemplateHash.safeEncode("09")).isEqualTo("4f");
    }

    @Test
    void equalIgnoreHashIgnoresOnlyTheHashLabel() {
        PodTemplateSpec plain = template("x", Map.of("app", "web"));
        PodTemplateSpec hashed = template("x", Map.of("app", "web", PodTemplateHash.LABEL, "abc"));
        assertThat(PodTemplateHash.equalIgnoreHash(plain, hashed)).isTrue();
        assertThat(PodTemplateHash.equalIgnoreHash(plain, template("y", Map.of("app", "web")))).isFalse();
        assertThat(PodTemplateHash.equalIgnoreHash(plain, template("x", Map.of("app", "web", "v", "2")))).isFalse();
        assertThat(PodTemplateHash.equalIgnoreHash(template("x", Map.of()),
                template("x", Map.of(PodTemplateHash.LABEL, "abc")))).isTrue();
    }
}
