package dev.ferry.agent.pod;

import dev.ferry.agent.runtime.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's mutable state of one pod (by uid). {@code containers} and {@code live} are guarded by this object's
 * monitor: the pod's worker and container exit callbacks change them. The other fields are written by the pod's
 * worker only (one at a time per pod, by the work queue's contract) or before the workers start.
 */
final class PodRecord {
    final String uid;
    /** The latest pod object the informer delivered. */
    volatile Pod pod;
    /** The pod is gone from the API: its containers are killed and the record dropped. */
    volatile boolean gone;
    /** The agent deleted the pod object after its containers ended; nothing more to do. */
    volatile boolean finished;
    volatile String podIp;
    /** The pod's resolv.conf has been formed (once per pod, worker only); {@code resolvConf} null = the node's. */
    volatile boolean dnsFormed;
    volatile java.nio.file.Path resolvConf;
    final Map<String, ContainerHistory> containers = new LinkedHashMap<>();
    final Map<String, Container> live = new HashMap<>();
    /** Normalized JSON of the last status written and the resourceVersion the write returned. */
    String lastWritten;
    String lastWrittenRv;
    /** Per container, the back-off end a BackOff event was last recorded for. */
    final Map<String, Instant> backOffEvents = new HashMap<>();

    private PodRecord(String uid, Pod pod) {
        this.uid = uid;
        this.pod = pod;
    }

    /**
     * A record for a pod first seen, with what its status says of earlier attempts (so that an agent restart keeps
     * restart counts and terminations; a container the status shows running but that no longer runs starts again as
     * the next attempt).
     */
    static PodRecord fromStatus(Pod pod, Instant now) {
        PodRecord rec = new PodRecord(pod.getMetadata().getUid(), pod);
        List<ContainerStatus> init = pod.getStatus() == null ? null : pod.getStatus().getInitContainerStatuses();
        List<ContainerStatus> main = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        for (var c : PodPhases.initContainers(pod)) {
            rec.containers.put(c.getName(), fromStatus(c.getName(), true, find(init, c.getName()), now));
        }
        for (var c : PodPhases.containers(pod)) {
            rec.containers.put(c.getName(), fromStatus(c.getName(), false, find(main, c.getName()), now));
        }
        return rec;
    }

    private static ContainerHistory fromStatus(String name, boolean init, ContainerStatus cs, Instant now) {
        if (cs == null || cs.getState() == null) {
            return ContainerHistory.fresh(name, init);
        }
        int restarts = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
        Termination lastState = cs.getLastState() == null ? null
                : termination(cs.getLastState().getTerminated(), restarts - 1, now);
        var state = cs.getState();
        if (state.getTerminated() != null) {
            return new ContainerHistory(name, init, true, restarts, null,
                    termination(state.getTerminated(), restarts, now), lastState, null, CrashBackoff.NONE);
        }
        boolean started = state.getRunning() != null || lastState != null || restarts > 0;
        return new ContainerHistory(name, init, started, restarts, null, lastState, null, null, CrashBackoff.NONE);
    }

    private static Termination termination(ContainerStateTerminated t, int attempt, Instant now) {
        if (t == null) {
            return null;
        }
        String id = t.getContainerID() == null ? "" : t.getContainerID().replaceFirst("^[a-z]+://", "");
        return new Termination(id, Math.max(0, attempt), t.getExitCode() == null ? -1 : t.getExitCode(),
                t.getReason() == null ? "Error" : t.getReason(), t.getMessage(), parse(t.getStartedAt(), now),
                parse(t.getFinishedAt(), now));
    }

    private static Instant parse(String time, Instant dflt) {
        try {
            return time == null ? dflt : Instant.parse(time);
        } catch (java.time.format.DateTimeParseException e) {
            return dflt;
        }
    }

    private static ContainerStatus find(List<ContainerStatus> statuses, String name) {
        if (statuses == null) {
            return null;
        }
        return statuses.stream().filter(s -> name.equals(s.getName())).findFirst().orElse(null);
    }

    synchronized Map<String, ContainerHistory> snapshot() {
        return new LinkedHashMap<>(containers);
    }

    synchronized ContainerHistory container(String name, boolean init) {
        ContainerHistory r = containers.get(name);
        return r == null ? ContainerHistory.fresh(name, init) : r;
    }
}
