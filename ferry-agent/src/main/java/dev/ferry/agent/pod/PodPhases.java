package dev.ferry.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/** Pod phase and restart rules (kubelet getPhase and ShouldContainerBeRestarted), pure. */
public final class PodPhases {
    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    private PodPhases() {
    }

    public static String restartPolicy(Pod pod) {
        String p = pod.getSpec().getRestartPolicy();
        return p == null || p.isEmpty() ? "Always" : p;
    }

    public static boolean deleting(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Whether an ended attempt with {@code exitCode} is followed by another one. */
    public static boolean shouldRestart(Pod pod, int exitCode) {
        if (deleting(pod)) {
            return false;
        }
        return switch (restartPolicy(pod)) {
            case "Never" -> false;
            case "OnFailure" -> exitCode != 0;
            default -> true;
        };
    }

    /** The container record for {@code name}, or a fresh one. */
    static ContainerHistory record(Map<String, ContainerHistory> records, String name, boolean init) {
        ContainerHistory r = records.get(name);
        return r == null ? ContainerHistory.fresh(name, init) : r;
    }

    static List<Container> initContainers(Pod pod) {
        List<Container> l = pod.getSpec().getInitContainers();
        return l == null ? List.of() : l;
    }

    static List<Container> containers(Pod pod) {
        List<Container> l = pod.getSpec().getContainers();
        return l == null ? List.of() : l;
    }

    /** Every init container has completed successfully. */
    public static boolean initialized(Pod pod, Map<String, ContainerHistory> records) {
        for (Container c : initContainers(pod)) {
            ContainerHistory r = record(records, c.getName(), true);
            if (r.running() != null || r.last() == null || r.last().exitCode() != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The pod phase: an init container that failed under restartPolicy Never fails the pod; pending init
     * containers or a container never started keep it Pending; then Running while a container runs or restarts,
     * Succeeded/Failed once every container ended for good. A pod being deleted whose containers all ended is
     * terminal: Succeeded if all exited 0, else Failed.
     */
    public static String phase(Pod pod, Map<String, ContainerHistory> records) {
        String policy = restartPolicy(pod);
        boolean deleting = deleting(pod);
        boolean pendingInit = false;
        for (Container c : initContainers(pod)) {
            ContainerHistory r = record(records, c.getName(), true);
            if (r.running() != null) {
                pendingInit = true;
            } else if (r.last() != null && r.last().exitCode() == 0) {
                continue;
            } else if (r.last() != null) {
                if (policy.equals("Never") || deleting) {
                    return FAILED;
                }
                pendingInit = true;
            } else {
                pendingInit = true;
            }
            break;
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (Container c : containers(pod)) {
            ContainerHistory r = record(records, c.getName(), false);
            if (r.running() != null) {
                running++;
            } else if (r.last() != null) {
                stopped++;
                if (!shouldRestart(pod, r.last().exitCode()) && r.last().exitCode() == 0) {
                    succeeded++;
                }
            } else {
                waiting++;
            }
        }
        if (pendingInit) {
            return deleting && running == 0 && !anyInitRunning(pod, records) ? FAILED : PENDING;
        }
        if (deleting && running == 0) {
            return stopped > 0 && stopped == succeeded && waiting == 0 ? SUCCEEDED : FAILED;
        }
        if (waiting > 0) {
            return PENDING;
        }
        if (running > 0) {
            return RUNNING;
        }
        if (stopped > 0) {
            if (policy.equals("Always")) {
                return RUNNING;
            }
            if (stopped == succeeded) {
                return SUCCEEDED;
            }
            if (policy.equals("Never")) {
                return FAILED;
            }
            return RUNNING;
        }
        return PENDING;
    }

    public static boolean terminal(String phase) {
        return phase.equals(SUCCEEDED) || phase.equals(FAILED);
    }

    private static boolean anyInitRunning(Pod pod, Map<String, ContainerHistory> records) {
        return initContainers(pod).stream().anyMatch(c -> record(records, c.getName(), true).running() != null);
    }
}
