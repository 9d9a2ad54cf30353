package dev.ferry.agent.pod;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about pods as the kubelet does (source.component "kubelet", host the node), in the order
 * recorded, on one background thread. A repeat of a recent event (same pod, container, type, reason and message)
 * increments the existing event's count and lastTimestamp instead of creating another. Best effort: when the API
 * is slow, at most 1000 events wait and later ones are
 * dropped; a failed write is logged and forgotten. Thread-safe.
 */
public final class EventRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    private final KubernetesClient client;
    private final String node;
    private final Clock clock;
    private final AtomicLong seq = new AtomicLong(System.nanoTime());
    private final ThreadPoolExecutor executor;
    /** Recent events by identity, for counting repeats (the client-go event correlator); only the executor uses it. */
    private final Map<String, Seen> recent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > 4096;
        }
    };

    public EventRecorder(KubernetesClient client, String node, Clock clock) {
        this.client = client;
        this.node = node;
        this.clock = clock;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "events-" + node);
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    /**
     * Records an event about {@code pod}; {@code container} (or null) names the container the event is about,
     * {@code init} whether it is an init container (for involvedObject.fieldPath).
     */
    public void pod(Pod pod, String container, boolean init, String type, String reason, String message) {
        Event e = event(pod, container, init, type, reason, message);
        String key = String.join("\u0000", pod.getMetadata().getUid(), String.valueOf(container), type, reason,
                message);
        executor.execute(() -> {
            String ns = e.getMetadata().getNamespace();
            try {
                Seen seen = recent.get(key);
                if (seen != null) {
                    seen.count++;
                    String patch = "{\"count\":" + seen.count + ",\"lastTimestamp\":\"" + e.getLastTimestamp()
                            + "\"}";
                    try {
                        client.v1().events().inNamespace(ns).withName(seen.name)
                                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                        return;
                    } catch (KubernetesClientException ex) {
                        if (ex.getCode() != 404) {
                            throw ex;
                        }
                    }
                }
                client.v1().events().inNamespace(ns).resource(e).create();
                Seen fresh = new Seen(e.getMetadata().getName());
                recent.put(key, fresh);
            } catch (RuntimeException ex) {
                log.debug("event {} for {}/{} not written: {}", reason, pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(), ex.toString());
            }
        });
    }

    /** An event written recently; a repeat (same pod, container, type, reason, message) increments its count. */
    private static final class Seen {
        final String name;
        int count = 1;

        Seen(String name) {
            this.name = name;
        }
    }

    Event event(Pod pod, String container, boolean init, String type, String reason, String message) {
        String now = PodStatusBuilder.time(clock.instant());
        String fieldPath = container == null ? null
                : (init ? "spec.initContainers{" : "spec.containers{") + container + "}";
        return new EventBuilder().withNewMetadata()
                .withName(pod.getMetadata().getName() + "." + Long.toHexString(seq.incrementAndGet()))
                .withNamespace(pod.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject().withKind("Pod").withApiVersion("v1")
                .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).withResourceVersion(pod.getMetadata().getResourceVersion())
                .withFieldPath(fieldPath).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent("kubelet").withHost(node).endSource()
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withReportingComponent("kubelet").withReportingInstance(node).build();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
