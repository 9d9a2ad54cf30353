package dev.ferry.controllers.workloadutil;

import dev.ferry.client.Times;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.List;

/** Plays the node agent's part in tests that have none: marks pods Running and Ready through the status API. */
public final class TestPods {
    private TestPods() {
    }

    /** Marks {@code pod} Running with Ready=True since {@code readySince}; false if it is gone. */
    public static boolean markReady(KubernetesClient client, Pod pod, Instant readySince) {
        Pod fresh = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .get();
        if (fresh == null || fresh.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        PodStatus s = new PodStatus();
        s.setPhase("Running");
        String t = Times.format(readySince);
        s.setConditions(List.of(condition("PodScheduled", t), condition("Initialized", t),
                condition("ContainersReady", t), condition("Ready", t)));
        s.setStartTime(t);
        fresh.setStatus(s);
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(fresh).updateStatus();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    public static boolean markReady(KubernetesClient client, Pod pod) {
        return markReady(client, pod, Instant.now());
    }

    private static PodCondition condition(String type, String time) {
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus("True");
        c.setLastTransitionTime(time);
        return c;
    }
}
