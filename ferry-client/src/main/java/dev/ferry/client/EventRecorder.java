package dev.ferry.client;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about objects, as client-go's legacy EventRecorder does for controllers (named
 * {@code <object>.<hex nanos>}, source component, count 1; no aggregation). Writes are best-effort and go through one
 * background thread so that a slow or failing event write never holds up a sync. Thread-safe.
 */
public final class EventRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private final KubernetesClient client;
    private final String component;
    private final Clock clock;
    private final AtomicLong last = new AtomicLong();
    private final ExecutorService writer;

    public EventRecorder(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.component = component;
        this.clock = clock;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, component + "-events");
            t.setDaemon(true);
            return t;
        });
    }

    /** Records an event of {@code type} (Normal/Warning) about {@code obj}, whose apiVersion and kind are given. */
    public void record(HasMetadata obj, String apiVersion, String kind, String type, String reason, String message) {
        ObjectReference ref = new ObjectReference();
        ref.setApiVersion(apiVersion);
        ref.setKind(kind);
        ref.setNamespace(obj.getMetadata().getNamespace());
        ref.setName(obj.getMetadata().getName());
        ref.setUid(obj.getMetadata().getUid());
        ref.setResourceVersion(obj.getMetadata().getResourceVersion());
        String now = Times.format(clock.instant());
        long nanos = uniqueNanos();
        Event e = new Event();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(obj.getMetadata().getName() + "." + Long.toHexString(nanos));
        meta.setNamespace(obj.getMetadata().getNamespace());
        e.setMetadata(meta);
        e.setInvolvedObject(ref);
        e.setType(type);
        e.setReason(reason);
        e.setMessage(message);
        e.setSource(new EventSource(component, null));
        e.setReportingComponent(component);
        e.setFirstTimestamp(now);
        e.setLastTimestamp(now);
        e.setCount(1);
        try {
            writer.submit(() -> {
                try {
                    client.v1().events().inNamespace(meta.getNamespace()).resource(e).create();
                } catch (RuntimeException ex) {
                    log.debug("{}: event {} not recorded: {}", component, reason, ex.toString());
                }
            });
        } catch (RejectedExecutionException closed) {
            // recorder closed: events are best-effort
        }
    }

    /** Wall-clock nanoseconds, strictly increasing so names never clash within this process. */
    private long uniqueNanos() {
        java.time.Instant i = clock.instant();
        long t = i.getEpochSecond() * 1_000_000_000L + i.getNano();
        return last.updateAndGet(prev -> Math.max(prev + 1, t));
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
