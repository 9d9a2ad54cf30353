package dev.ferry.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunningBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaitingBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's status as the kubelet reports it (kubelet_pods.go generateAPIPodStatus and pkg/kubelet/status), pure: from
 * the pod (its spec and the status last written), what the agent knows of its containers, their probe results, the
 * pod and host IPs and the time.
 * <p>
 * Conditions are PodReadyToStartContainers, Initialized, Ready, ContainersReady and (kept, or True) PodScheduled;
 * conditions of other types are kept. A condition keeps its lastTransitionTime while its status is unchanged, so an
 * unchanged pod gives an equal status. startTime, qosClass and nominatedNodeName are kept.
 */
public final class PodStatusBuilder {
    private static final Set<String> OWN_CONDITIONS = Set.of("PodReadyToStartContainers", "Initialized", "Ready",
            "ContainersReady", "PodScheduled");

    private PodStatusBuilder() {
    }

    /**
     * @param podIp  null before an IP is assigned
     * @param hostIp the node's InternalIP
     */
    public static PodStatus build(Pod pod, Map<String, ContainerHistory> records, Map<String, ProbeView> probes,
            String podIp, String hostIp, Instant now) {
        PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        String phase = PodPhases.phase(pod, records);
        boolean initialized = PodPhases.initialized(pod, records);

        List<ContainerStatus> initStatuses = new ArrayList<>();
        List<String> incompleteInit = new ArrayList<>();
        for (Container c : PodPhases.initContainers(pod)) {
            ContainerHistory r = PodPhases.record(records, c.getName(), true);
            initStatuses.add(containerStatus(pod, c, r, probes.get(c.getName()), false, now));
            if (r.running() != null || r.last() == null || r.last().exitCode() != 0) {
                incompleteInit.add(c.getName());
            }
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        List<String> unready = new ArrayList<>();
        for (Container c : PodPhases.containers(pod)) {
            ContainerHistory r = PodPhases.record(records, c.getName(), false);
            ContainerStatus s = containerStatus(pod, c, r, probes.get(c.getName()), initialized, now);
            statuses.add(s);
            if (!Boolean.TRUE.equals(s.getReady())) {
                unready.add(c.getName());
            }
        }

        List<PodCondition> conditions = new ArrayList<>();
        boolean anyRunning = records.values().stream().anyMatch(r -> r.running() != null);
        boolean sandboxReady = podIp != null && (!PodPhases.terminal(phase) || anyRunning);
        conditions.add(condition(old, "PodReadyToStartContainers", sandboxReady, null, null, now));
        if (phase.equals(PodPhases.SUCCEEDED)) {
            conditions.add(condition(old, "Initialized", true, "PodCompleted", null, now));
        } else if (incompleteInit.isEmpty()) {
            conditions.add(condition(old, "Initialized", true, null, null, now));
        } else {
            conditions.add(condition(old, "Initialized", false, "ContainersNotInitialized",
                    "containers with incomplete status: " + goList(incompleteInit), now));
        }
        if (phase.equals(PodPhases.SUCCEEDED)) {
            conditions.add(condition(old, "Ready", false, "PodCompleted", null, now));
            conditions.add(condition(old, "ContainersReady", false, "PodCompleted", null, now));
        } else if (unready.isEmpty() && !statuses.isEmpty()) {
            conditions.add(condition(old, "Ready", true, null, null, now));
            conditions.add(condition(old, "ContainersReady", true, null, null, now));
        } else {
            String msg = "containers with unready status: " + goList(unready);
            conditions.add(condition(old, "Ready", false, "ContainersNotReady", msg, now));
            conditions.add(condition(old, "ContainersReady", false, "ContainersNotReady", msg, now));
        }
        PodCondition scheduled = find(old, "PodScheduled");
        conditions.add(scheduled != null ? scheduled : condition(old, "PodScheduled", true, null, null, now));
        if (old.getConditions() != null) {
            for (PodCondition c : old.getConditions()) {
                if (!OWN_CONDITIONS.contains(c.getType())) {
                    conditions.add(c);
                }
            }
        }

        var b = new io.fabric8.kubernetes.api.model.PodStatusBuilder();
        b.withPhase(phase).withConditions(conditions).withHostIP(hostIp).withHostIPs(new HostIP(hostIp))
                .withStartTime(old.getStartTime() != null ? old.getStartTime() : time(now))
                .withContainerStatuses(statuses).withQosClass(old.getQosClass())
                .withNominatedNodeName(old.getNominatedNodeName());
        if (podIp != null) {
            b.withPodIP(podIp).withPodIPs(new PodIP(podIp));
        }
        if (!initStatuses.isEmpty()) {
            b.withInitContainerStatuses(initStatuses);
        }
        return b.build();
    }

    private static ContainerStatus containerStatus(Pod pod, Container c, ContainerHistory r, ProbeView view,
            boolean initialized, Instant now) {
        ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                .withImageID(imageId(c.getImage())).withRestartCount(r.restartCount());
        ProbeView probes = view == null ? ProbeView.NONE : view;
        if (r.running() != null) {
            boolean started = probes.started();
            b.withState(new ContainerState(new ContainerStateRunningBuilder()
                    .withStartedAt(time(r.running().startedAt())).build(), null, null))
                    .withContainerID(containerId(r.running().containerId()))
                    .withStarted(started).withReady(!r.init() && started && probes.ready());
            if (r.last() != null) {
                b.withLastState(terminatedState(r.last()));
            }
        } else if (r.last() != null && !r.startErrorIsLatest()
                && !(r.init() ? r.last().exitCode() != 0 && PodPhases.shouldRestart(pod, 1)
                        : PodPhases.shouldRestart(pod, r.last().exitCode()))) {
            b.withState(terminatedState(r.last())).withContainerID(containerId(r.last().containerId()))
                    .withStarted(false).withReady(r.init() && r.last().exitCode() == 0);
            if (r.previous() != null) {
                b.withLastState(terminatedState(r.previous()));
            }
        } else if (r.last() != null || r.startError() != null) {
            Instant failedAt = r.lastFailureAt();
            String reason;
            String message;
            if (r.startErrorIsLatest()) {
                reason = r.startError().reason();
                message = r.startError().message();
            } else if (r.backoff().inBackoffSince(failedAt, now)) {
                reason = "CrashLoopBackOff";
                message = "back-off " + goDuration(r.backoff().backoff()) + " restarting failed container="
                        + c.getName() + " pod=" + pod.getMetadata().getName() + "_"
                        + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")";
            } else {
                reason = "ContainerCreating";
                message = null;
            }
            b.withState(new ContainerState(null, null, new ContainerStateWaitingBuilder().withReason(reason)
                    .withMessage(message).build())).withStarted(false).withReady(false);
            if (r.last() != null) {
                b.withLastState(terminatedState(r.last())).withContainerID(containerId(r.last().containerId()));
            }
        } else {
            String reason = r.init() || !initialized ? "PodInitializing" : "ContainerCreating";
            b.withState(new ContainerState(null, null, new ContainerStateWaitingBuilder().withReason(reason)
                    .build())).withStarted(false).withReady(false);
        }
        return b.build();
    }

    private static ContainerState terminatedState(Termination t) {
        ContainerStateTerminated term = new ContainerStateTerminatedBuilder().withExitCode(t.exitCode())
                .withReason(t.reason()).withMessage(t.message() == null || t.message().isEmpty() ? null : t.message())
                .withStartedAt(time(t.startedAt())).withFinishedAt(time(t.finishedAt()))
                .withContainerID(containerId(t.containerId())).build();
        return new ContainerState(null, term, null);
    }

    private static PodCondition condition(PodStatus old, String type, boolean status, String reason, String message,
            Instant now) {
        String s = status ? "True" : "False";
        PodCondition prev = find(old, type);
        String since = prev != null && s.equals(prev.getStatus()) && prev.getLastTransitionTime() != null
                ? prev.getLastTransitionTime() : time(now);
        return new PodConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).build();
    }

    private static PodCondition find(PodStatus status, String type) {
        if (status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static String containerId(String id) {
        return "ferry://" + id;
    }

    /** The image reference as the agent resolves it: without docker.io/, library/, tag or digest. */
    public static String imageId(String image) {
        String s = image == null ? "" : image;
        int at = s.indexOf('@');
        if (at >= 0) {
            s = s.substring(0, at);
        }
        int colon = s.lastIndexOf(':');
        if (colon > s.lastIndexOf('/')) {
            s = s.substring(0, colon);
        }
        if (s.startsWith("docker.io/")) {
            s = s.substring("docker.io/".length());
        }
        if (s.startsWith("library/")) {
            s = s.substring("library/".length());
        }
        return s;
    }

    /** RFC 3339 at second precision, as Kubernetes writes metav1.Time. */
    public static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Go's %v of a []string: "[a b]". */
    static String goList(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    /** Go's time.Duration.String() for whole seconds: "10s", "5m0s", "1h0m0s". */
    public static String goDuration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60) + "s";
        }
        return (s / 3600) + "h" + (s % 3600 / 60) + "m" + (s % 60) + "s";
    }
}
