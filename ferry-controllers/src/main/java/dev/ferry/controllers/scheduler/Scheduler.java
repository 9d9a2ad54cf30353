package dev.ferry.controllers.scheduler;

import dev.ferry.client.Backoff;
import dev.ferry.client.Clients;
import dev.ferry.client.ControllerLoop;
import dev.ferry.client.SharedInformers;
import dev.ferry.client.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: binds each pod that {@link Placement#needsScheduling needs scheduling} to a node chosen by
 * {@link Placement#decide}, through the {@code pods/binding} subresource, and records a {@code Scheduled} event. A
 * pod no node fits gets condition {@code PodScheduled=False, reason Unschedulable} and a {@code FailedScheduling}
 * event (once per distinct message), and is retried with back-off and whenever a node changes.
 *
 * <p>Pods it bound count on their node at once ("assumed"), until the pod cache shows them bound or gone, so that a
 * burst of pods spreads even though the cache lags the bindings. One worker: decisions are taken one at a time.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final int MAX_RETRIES = 15;
    private static final String POD_SCHEDULED = "PodScheduled";

    /**
     * @param unschedulableBackoff delays between attempts for a pod no node fits (upstream: 1 s doubling to 10 s,
     *                             and all such pods again whenever a node changes)
     * @param assumeTimeout        how long a binding counts on its node before the cache shows it
     */
    public record Options(Backoff unschedulableBackoff, Duration assumeTimeout) {
        public static Options defaults() {
            return new Options(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10)), Duration.ofSeconds(30));
        }
    }

    private final KubernetesClient client;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final Options options;
    private final Clock clock;
    private final WorkQueue<String> queue = new WorkQueue<>("scheduler", Backoff.CONTROLLER);
    /** Pod key → node it was bound to by this scheduler, and when. */
    private final Map<String, Assumed> assumed = new ConcurrentHashMap<>();
    /** Pod key → failed attempts in a row and the last message reported for it. */
    private final Map<String, Attempts> unschedulable = new ConcurrentHashMap<>();
    private final NodeOccupancy occupancy = new NodeOccupancy();
    private final ResourceEventHandler<Pod> podHandler = new PodHandler();
    private final ResourceEventHandler<Node> nodeHandler = new NodeHandler();
    private ControllerLoop<String> loop;

    private record Assumed(String node, Instant at) {
    }

    private record Attempts(int failures, String lastMessage) {
    }

    private Scheduler(SharedInformers informers, Options options, Clock clock) {
        this.client = informers.client();
        this.pods = informers.get(Pod.class);
        this.nodes = informers.get(Node.class);
        this.options = options;
        this.clock = clock;
    }

    /** Starts scheduling from {@code informers}' caches; close the result to stop. */
    public static Scheduler start(SharedInformers informers, Options options, Clock clock) {
        Scheduler s = new Scheduler(informers, options, clock);
        for (Pod p : s.pods.getStore().list()) {
            s.occupancy.set(Clients.key(p), Placement.occupiesNode(p) ? p.getSpec().getNodeName() : null);
        }
        s.nodes.addEventHandler(s.nodeHandler);
        s.pods.addEventHandler(s.podHandler);
        s.loop = new ControllerLoop<>("scheduler", s.queue, s::schedule, MAX_RETRIES).start(1);
        return s;
    }

    @Override
    public void close() {
        pods.removeEventHandler(podHandler);
        nodes.removeEventHandler(nodeHandler);
        try {
            loop.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void schedule(String key) {
        Pod pod = pods.getStore().getByKey(key);
        if (pod == null || !Placement.needsScheduling(pod) || assumed.containsKey(key)) {
            if (pod == null) {
                unschedulable.remove(key);
            }
            return;
        }
        Placement.Decision d = Placement.decide(pod, nodes.getStore().list(), podsPerNode());
        switch (d) {
            case Placement.Bind b -> bind(key, pod, b.node());
            case Placement.Unschedulable u -> markUnschedulable(key, pod, u.message());
        }
    }

    private void bind(String key, Pod pod, String node) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Map<String, Object> binding = new HashMap<>();
        binding.put("apiVersion", "v1");
        binding.put("kind", "Binding");
        binding.put("metadata", Map.of("name", name, "namespace", ns, "uid", pod.getMetadata().getUid()));
        binding.put("target", Map.of("apiVersion", "v1", "kind", "Node", "name", node));
        // assumed before the call: the pod informer may report the binding before the call returns
        assumed.put(key, new Assumed(node, clock.instant()));
        try {
            client.raw("/api/v1/namespaces/" + ns + "/pods/" + name + "/binding", "POST", binding);
        } catch (KubernetesClientException e) {
            assumed.remove(key);
            if (e.getCode() == 404 || e.getCode() == 409) {
                log.debug("not binding {}: {}", key, e.getMessage());
                return;
            }
            throw e;
        }
        unschedulable.remove(key);
        log.debug("bound {} to {}", key, node);
        record(Events.about(pod, "Normal", "Scheduled", "Successfully assigned " + key + " to " + node,
                Placement.SCHEDULER_NAME, clock.instant()));
    }

    private void markUnschedulable(String key, Pod pod, String message) {
        Attempts before = unschedulable.getOrDefault(key, new Attempts(0, null));
        if (!conditionMatches(pod, message)) {
            Instant now = clock.instant();
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .editStatus(p -> withUnschedulableCondition(p, message, now));
        }
        if (!message.equals(before.lastMessage())) {
            record(Events.about(pod, "Warning", "FailedScheduling", message, Placement.SCHEDULER_NAME,
                    clock.instant()));
        }
        unschedulable.put(key, new Attempts(before.failures() + 1, message));
        queue.addAfter(key, options.unschedulableBackoff().delay(before.failures()));
    }

    /** Whether the cached pod already says PodScheduled=False, Unschedulable, with this message. */
    static boolean conditionMatches(Pod pod, String message) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if (POD_SCHEDULED.equals(c.getType())) {
                return "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())
                        && message.equals(c.getMessage());
            }
        }
        return false;
    }

    /** {@code pod} with condition PodScheduled=False, Unschedulable (the transition time kept while False). */
    static Pod withUnschedulableCondition(Pod pod, String message, Instant now) {
        if (pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return pod;
        }
        List<PodCondition> conditions = new ArrayList<>(pod.getStatus().getConditions() == null ? List.of()
                : pod.getStatus().getConditions());
        String transition = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        int at = -1;
        for (int i = 0; i < conditions.size(); i++) {
            if (POD_SCHEDULED.equals(conditions.get(i).getType())) {
                at = i;
                if ("False".equals(conditions.get(i).getStatus())
                        && conditions.get(i).getLastTransitionTime() != null) {
                    transition = conditions.get(i).getLastTransitionTime();
                }
            }
        }
        PodCondition c = new PodConditionBuilder().withType(POD_SCHEDULED).withStatus("False")
                .withReason("Unschedulable").withMessage(message).withLastTransitionTime(transition).build();
        if (at < 0) {
            conditions.add(c);
        } else {
            conditions.set(at, c);
        }
        pod.getStatus().setConditions(conditions);
        return pod;
    }

    /** Non-terminated pods per node from the cache, plus this scheduler's bindings the cache does not show yet. */
    private Map<String, Integer> podsPerNode() {
        Map<String, Integer> counts = occupancy.counts();
        Instant expired = clock.instant().minus(options.assumeTimeout());
        assumed.entrySet().removeIf(e -> e.getValue().at().isBefore(expired));
        assumed.forEach((key, a) -> {
            if (!occupancy.occupies(key)) {
                counts.merge(a.node(), 1, Integer::sum);
            }
        });
        return counts;
    }

    private void record(io.fabric8.kubernetes.api.model.Event event) {
        try {
            client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            log.debug("event {} not recorded: {}", event.getReason(), e.getMessage());
        }
    }

    private void requeueUnschedulable() {
        unschedulable.keySet().forEach(queue::add);
    }

    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            onChange(pod);
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            onChange(pod);
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            String key = Clients.key(pod);
            occupancy.set(key, null);
            assumed.remove(key);
            unschedulable.remove(key);
        }

        private void onChange(Pod pod) {
            String key = Clients.key(pod);
            occupancy.set(key, Placement.occupiesNode(pod) ? pod.getSpec().getNodeName() : null);
            if (Placement.needsScheduling(pod)) {
                queue.add(key);
            } else {
                // bound (by anyone) or no longer ours: the cache now counts it where it is
                assumed.remove(key);
                unschedulable.remove(key);
            }
        }
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            requeueUnschedulable();
        }

        @Override
        public void onUpdate(Node old, Node node) {
            if (schedulingRelevantChange(old, node)) {
                requeueUnschedulable();
            }
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
        }
    }

    /** Whether a node update can change where pods fit: readiness, cordon, taints or labels. */
    static boolean schedulingRelevantChange(Node old, Node node) {
        return !NodeFilter.readyStatus(old).equals(NodeFilter.readyStatus(node))
                || !Objects.equals(old.getSpec(), node.getSpec())
                || !Objects.equals(old.getMetadata().getLabels(), node.getMetadata().getLabels());
    }
}
