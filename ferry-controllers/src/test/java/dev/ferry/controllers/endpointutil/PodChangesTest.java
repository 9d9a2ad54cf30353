package dev.ferry.controllers.endpointutil;

import static dev.ferry.controllers.endpointutil.Fixtures.pod;
import static dev.ferry.controllers.endpointutil.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodChangesTest {
    private static final Service WEB = service().build();
    private static final Service API = service().editMetadata().withName("api").endMetadata().editSpec()
            .withSelector(Map.of("app", "api")).endSpec().build();
    private static final Service NONE = service().editMetadata().withName("manual").endMetadata().editSpec()
            .withSelector(null).endSpec().build();
    private static final List<Service> ALL = List.of(WEB, API, NONE);

    private static Pod v(Pod p, String rv) {
        return new io.fabric8.kubernetes.api.model.PodBuilder(p).editMetadata().withResourceVersion(rv).endMetadata()
                .build();
    }

    @Test
    void addAndDeleteConcernSelectingServices() {
        Pod p = pod("p", true, "127.244.0.2").build();
        assertThat(PodChanges.servicesToSync(ALL, null, p)).containsExactly("ns/web");
        assertThat(PodChanges.servicesToSync(ALL, p, null)).containsExactly("ns/web");
    }

    @Test
    void updates() {
        Pod p = pod("p", true, "127.244.0.2").build();
        // resync (same resourceVersion) and irrelevant changes: nothing
        assertThat(PodChanges.servicesToSync(ALL, p, p)).isEmpty();
        Pod annotated = v(new io.fabric8.kubernetes.api.model.PodBuilder(p).editMetadata().addToAnnotations("a", "b")
                .endMetadata().build(), "2");
        assertThat(PodChanges.servicesToSync(ALL, p, annotated)).isEmpty();
        // readiness
        assertThat(PodChanges.servicesToSync(ALL, p, v(pod("p", false, "127.244.0.2").build(), "2")))
                .containsExactly("ns/web");
        // relabelled only: the services gained and lost
        Pod relabelled = v(pod("p", true, "127.244.0.2").editMetadata().addToLabels("app", "api").endMetadata()
                .build(), "2");
        assertThat(PodChanges.servicesToSync(ALL, p, relabelled)).containsExactlyInAnyOrder("ns/web", "ns/api");
        Pod extraLabel = v(pod("p", true, "127.244.0.2").editMetadata().addToLabels("x", "y").endMetadata().build(),
                "2");
        assertThat(PodChanges.servicesToSync(ALL, p, extraLabel)).isEmpty();
        // relabelled and changed: all of them
        Pod both = v(pod("p", false, "127.244.0.2").editMetadata().addToLabels("x", "y").endMetadata().build(), "2");
        assertThat(PodChanges.servicesToSync(ALL, p, both)).containsExactly("ns/web");
    }
}
