package dev.ferry.store.etcd;

import static dev.ferry.store.etcd.Gateway.int64;

import dev.ferry.store.StoreException;
import dev.ferry.store.Watch;
import dev.ferry.store.WatchEvent;
import dev.ferry.store.WatchListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One store watch as one streaming {@code POST /v3/watch} call carrying a single {@code create_request}.
 *
 * <p>The gateway answers one JSON message per line: first {@code created}, then responses with events. etcd never
 * splits one revision across responses (no fragmenting is asked for), so each response's events go to the listener as
 * one batch. A response with {@code compact_revision} means etcd cancelled the watch because the history it still
 * had to send was compacted: the listener gets {@link StoreException.Compacted}. Any other cancellation, an error
 * message or the end of the stream is {@link StoreException.Unavailable}. Progress notifications carry no events and
 * are ignored.
 *
 * <p>Deliveries and {@link #close()} are serialised by one lock, so once {@code close()} returns no call reaches the
 * listener any more (a listener may close its own watch from a callback: the lock is reentrant).
 */
final class EtcdWatch implements Watch, Flow.Subscriber<String> {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);

    private final KvCodec codec;
    private final WatchListener listener;
    private final LongConsumer compactionSeen;
    private final Consumer<EtcdWatch> onEnd;
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    private boolean done;
    private Flow.Subscription subscription;
    private CompletableFuture<?> call;
    /** The revision the watch waits for next: reported when history turns out to be compacted. */
    private long nextRevision;

    /**
     * @param compactionSeen told of every compacted revision etcd reports
     * @param onEnd          given this watch once when it ends, by close or failure
     */
    EtcdWatch(KvCodec codec, long startRevision, WatchListener listener, LongConsumer compactionSeen,
              Consumer<EtcdWatch> onEnd) {
        this.codec = codec;
        this.nextRevision = startRevision;
        this.listener = listener;
        this.compactionSeen = compactionSeen;
        this.onEnd = onEnd;
    }

    /** Starts the streaming call; failures to start reach the listener. */
    void start(Gateway gateway, ObjectNode watchRequest) {
        CompletableFuture<?> started = gateway.stream("v3/watch", watchRequest, this);
        lock.lock();
        try {
            if (done) {
                started.cancel(true);
                return;
            }
            call = started;
        } finally {
            lock.unlock();
        }
        started.whenComplete((ignored, failure) -> fail(failure == null
                ? new StoreException.Unavailable("etcd ended the watch stream", null)
                : new StoreException.Unavailable("watch stream to etcd broke: " + failure, failure)));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        lock.lock();
        try {
            subscription = s;
            if (done) {
                s.cancel();
                return;
            }
        } finally {
            lock.unlock();
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (line.isBlank()) {
            return;
        }
        lock.lock();
        try {
            if (done) {
                return;
            }
            JsonNode result;
            try {
                result = Gateway.parseStreamLine(line).path("result");
            } catch (GatewayError e) {
                failLocked(new StoreException.Unavailable("etcd failed the watch: " + e.getMessage(), e));
                return;
            } catch (StoreException e) {
                failLocked(e);
                return;
            }
            long compactRevision = int64(result.path("compact_revision"));
            if (compactRevision > 0) {
                compactionSeen.accept(compactRevision);
                failLocked(new StoreException.Compacted(nextRevision, compactRevision));
                return;
            }
            if (result.path("canceled").asBoolean(false)) {
                failLocked(new StoreException.Unavailable(
                        "etcd cancelled the watch: " + result.path("cancel_reason").asString(""), null));
                return;
            }
            JsonNode events = result.path("events");
            if (events.isArray() && !events.isEmpty()) {
                List<WatchEvent> batch = codec.events(events);
                nextRevision = batch.getLast().revision() + 1;
                try {
                    listener.onEvents(batch);
                } catch (RuntimeException e) {
                    LOG.error("Watch listener failed on events up to revision {}", nextRevision - 1, e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onError(Throwable failure) {
        fail(new StoreException.Unavailable("watch stream to etcd broke: " + failure, failure));
    }

    @Override
    public void onComplete() {
        fail(new StoreException.Unavailable("etcd ended the watch stream", null));
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (done) {
                return;
            }
            endLocked();
        } finally {
            lock.unlock();
        }
    }

    private void fail(StoreException error) {
        lock.lock();
        try {
            if (!done) {
                failLocked(error);
            }
        } finally {
            lock.unlock();
        }
    }

    private void failLocked(StoreException error) {
        endLocked();
        LOG.debug("Watch failed at revision {}: {}", nextRevision, error.getMessage());
        try {
            listener.onError(error);
        } catch (RuntimeException e) {
            LOG.error("Watch listener failed on error {}", error, e);
        }
    }

    /** Marks the watch done and tears the stream down (cancelling the body closes the connection). */
    private void endLocked() {
        done = true;
        if (subscription != null) {
            subscription.cancel();
        }
        if (call != null) {
            call.cancel(true);
        }
        onEnd.accept(this);
    }
}
