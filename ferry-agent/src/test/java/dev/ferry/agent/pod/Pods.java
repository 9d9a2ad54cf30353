package dev.ferry.agent.pod;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test pods and container records. */
final class Pods {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Pods() {
    }

    /** A pod with containers {@code names} and init containers {@code inits}. */
    static Pod pod(String restartPolicy, List<String> inits, List<String> names) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u1")
                .endMetadata().withNewSpec().withRestartPolicy(restartPolicy).withNodeName("n1").endSpec();
        for (String i : inits) {
            b.editSpec().addToInitContainers(new ContainerBuilder().withName(i).withImage("ferry/echo").build())
                    .endSpec();
        }
        for (String n : names) {
            b.editSpec().addToContainers(new ContainerBuilder().withName(n).withImage("ferry/echo:1.0").build())
                    .endSpec();
        }
        return b.build();
    }

    static Pod pod(String restartPolicy, String... names) {
        return pod(restartPolicy, List.of(), List.of(names));
    }

    static Pod deleting(Pod pod, Long graceSeconds) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp("2026-01-01T00:00:30Z")
                .withDeletionGracePeriodSeconds(graceSeconds).endMetadata().build();
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static ContainerHistory running(String name, int attempt, long startedAt) {
        return ContainerHistory.fresh(name, false)
                .started(ContainerHistory.Running.started("id-" + name + "-" + attempt, attempt, at(startedAt)),
                        CrashBackoff.NONE);
    }

    static ContainerHistory exited(ContainerHistory r, int code, long at) {
        ContainerHistory.Running run = r.running();
        return r.exited(Termination.of(run.containerId(), run.attempt(), code, run.startedAt(), at(at)));
    }

    static Map<String, ContainerHistory> records(ContainerHistory... rs) {
        Map<String, ContainerHistory> m = new LinkedHashMap<>();
        for (ContainerHistory r : rs) {
            m.put(r.name(), r);
        }
        return m;
    }
}
