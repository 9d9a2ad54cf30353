package dev.ferry.controllers.workloadutil;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorsTest {
    private record Case(String name, LabelSelector selector, Map<String, String> labels, boolean matches) {
    }

    private static LabelSelector expr(String key, String op, String... values) {
        return new LabelSelectorBuilder().withMatchExpressions(
                new LabelSelectorRequirement(key, op, List.of(values))).build();
    }

    @Test
    void matchLabelsAndExpressions() {
        List<Case> cases = List.of(
                new Case("null selects nothing", null, Map.of("a", "1"), false),
                new Case("empty selects everything", new LabelSelector(), Map.of(), true),
                new Case("matchLabels equal", new LabelSelectorBuilder().withMatchLabels(Map.of("a", "1")).build(),
                        Map.of("a", "1", "b", "2"), true),
                new Case("matchLabels differ", new LabelSelectorBuilder().withMatchLabels(Map.of("a", "1")).build(),
                        Map.of("a", "2"), false),
                new Case("matchLabels missing", new LabelSelectorBuilder().withMatchLabels(Map.of("a", "1")).build(),
                        null, false),
                new Case("In", expr("a", "In", "1", "2"), Map.of("a", "2"), true),
                new Case("In absent", expr("a", "In", "1"), Map.of(), false),
                new Case("NotIn absent", expr("a", "NotIn", "1"), Map.of(), true),
                new Case("NotIn present", expr("a", "NotIn", "1"), Map.of("a", "1"), false),
                new Case("Exists", expr("a", "Exists"), Map.of("a", ""), true),
                new Case("DoesNotExist", expr("a", "DoesNotExist"), Map.of("a", "x"), false));
        for (Case c : cases) {
            assertThat(Selectors.matches(c.selector, c.labels)).as(c.name).isEqualTo(c.matches);
        }
        assertThat(Selectors.isEmpty(new LabelSelector())).isTrue();
        assertThat(Selectors.isEmpty(expr("a", "Exists"))).isFalse();
    }
}
