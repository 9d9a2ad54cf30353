package dev.ferry.agent.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/** Reading a pod's status in tests; null where the pod, its status or the entry is missing. */
public final class PodStatuses {
    private PodStatuses() {
    }

    /** The status ("True", "False", "Unknown") of the pod's condition {@code type}. */
    public static String condition(Pod pod, String type) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type))
                .map(PodCondition::getStatus).findFirst().orElse(null);
    }

    /** The status of the pod's container {@code container}. */
    public static ContainerStatus status(Pod pod, String container) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(container))
                .findFirst().orElse(null);
    }
}
