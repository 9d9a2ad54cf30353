package dev.ferry.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.controllers.endpointutil.WellKnown;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceTrackerTest {
    private static EndpointSlice slice(String uid, String rv) {
        return new EndpointSliceBuilder().withNewMetadata().withName("web-" + uid).withNamespace("ns").withUid(uid)
                .withResourceVersion(rv).addToLabels(WellKnown.LABEL_SERVICE_NAME, "web").endMetadata()
                .withAddressType("IPv4").build();
    }

    @Test
    void cacheIsStaleUntilItHasTheWrittenVersions() {
        SliceTracker t = new SliceTracker();
        assertThat(t.stale("ns/web", List.of(slice("a", "3")))).isFalse();
        t.written(slice("a", "5"));
        assertThat(t.stale("ns/web", List.of())).isTrue();
        assertThat(t.stale("ns/web", List.of(slice("a", "4")))).isTrue();
        assertThat(t.stale("ns/web", List.of(slice("a", "5")))).isFalse();
        assertThat(t.stale("ns/web", List.of(slice("a", "9")))).isFalse();
        assertThat(t.shouldSync(slice("a", "5"))).isFalse();
        assertThat(t.shouldSync(slice("a", "6"))).isTrue();
        assertThat(t.shouldSync(slice("other", "1"))).isTrue();

        t.deleted(slice("a", "5"));
        assertThat(t.stale("ns/web", List.of(slice("a", "5")))).isTrue();
        assertThat(t.stale("ns/web", List.of())).isFalse();
        assertThat(t.handleDeletion(slice("a", "5"))).isTrue();
        assertThat(t.handleDeletion(slice("b", "5"))).isFalse();
    }
}
