package dev.ferry.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorTest {
    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "rev", "7");

    @Test
    void equalityAndSetBasedRequirements() {
        assertThat(LabelSelector.parse("app=web").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("app==web,tier=front").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("app!=web").matches(WEB)).isFalse();
        assertThat(LabelSelector.parse("app!=db").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("app in (db, web)").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("app notin (db,web)").matches(WEB)).isFalse();
        assertThat(LabelSelector.parse("tier").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("!tier").matches(WEB)).isFalse();
        assertThat(LabelSelector.parse("!missing, app = web").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("rev>6").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("rev<7").matches(WEB)).isFalse();
        assertThat(LabelSelector.parse("missing notin (x)").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("").matches(WEB)).isTrue();
        assertThat(LabelSelector.parse("example.com/role=x").matches(Map.of("example.com/role", "x"))).isTrue();
    }

    @Test
    void malformedSelectorsAreRejectedWithAMessage() {
        assertThatThrownBy(() -> LabelSelector.parse("app in web")).isInstanceOf(SelectorException.class)
                .hasMessageContaining("unable to parse requirement");
        assertThatThrownBy(() -> LabelSelector.parse("app=(x")).isInstanceOf(SelectorException.class);
        assertThatThrownBy(() -> LabelSelector.parse("app=web,")).isInstanceOf(SelectorException.class);
        assertThatThrownBy(() -> LabelSelector.parse("-bad=x")).isInstanceOf(SelectorException.class)
                .hasMessageContaining("key: Invalid value");
        assertThatThrownBy(() -> LabelSelector.parse("rev>x")).isInstanceOf(SelectorException.class);
    }

    @Test
    void mapSelectorRoundTrips() {
        LabelSelector s = LabelSelector.of(Map.of("tier", "front", "app", "web"));
        assertThat(s.toString()).isEqualTo("app=web,tier=front");
        assertThat(s.matches(WEB)).isTrue();
        assertThat(s.matches(Map.of("app", "web"))).isFalse();
    }

    @Test
    void fieldSelectors() {
        Map<String, String> pod = Map.of("metadata.name", "a,b", "status.phase", "Running");
        assertThat(FieldSelector.parse("status.phase=Running").matches(pod)).isTrue();
        assertThat(FieldSelector.parse("status.phase!=Running").matches(pod)).isFalse();
        assertThat(FieldSelector.parse("status.phase==Running,metadata.name=a\\,b").matches(pod)).isTrue();
        assertThat(FieldSelector.parse("metadata.name=a\\,b").requiredValue("metadata.name")).contains("a,b");
        assertThat(FieldSelector.parse("spec.nodeName=").matches(pod)).isTrue();
        assertThatThrownBy(() -> FieldSelector.parse("nonsense")).isInstanceOf(SelectorException.class);
    }
}
