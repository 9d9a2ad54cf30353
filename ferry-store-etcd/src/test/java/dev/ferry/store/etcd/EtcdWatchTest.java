package dev.ferry.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.store.KeyValue;
import dev.ferry.store.StoreException;
import dev.ferry.store.WatchEvent;
import dev.ferry.store.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How one watch stream's gateway messages become listener calls (fed line by line, no network). */
class EtcdWatchTest {

    private final KvCodec codec = new KvCodec(new KeySpace("/r/"));
    private final Listener listener = new Listener();
    private final AtomicLong compactionSeen = new AtomicLong();
    private final AtomicInteger ended = new AtomicInteger();
    private final Subscription subscription = new Subscription();
    private EtcdWatch watch;

    @BeforeEach
    void subscribe() {
        watch = new EtcdWatch(codec, 5, listener, compactionSeen::set, w -> ended.incrementAndGet());
        watch.onSubscribe(subscription);
    }

    @Test
    void requestsEverythingOnSubscribe() {
        assertThat(subscription.requested).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void createdAndProgressMessagesDeliverNothing() {
        watch.onNext("{\"result\":{\"header\":{\"revision\":\"4\"},\"created\":true}}");
        watch.onNext("{\"result\":{\"header\":{\"revision\":\"9\"}}}");
        watch.onNext("");
        assertThat(listener.batches).isEmpty();
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void eachResponseIsOneBatchWithPutAndDeleteDecoded() {
        watch.onNext("{\"result\":{\"header\":{\"revision\":\"6\"},\"events\":["
                + "{\"kv\":{\"key\":\"" + k("/r/a") + "\",\"create_revision\":\"6\",\"mod_revision\":\"6\","
                + "\"version\":\"1\",\"value\":\"" + k("v1") + "\"}},"
                + "{\"type\":\"DELETE\",\"kv\":{\"key\":\"" + k("/r/b") + "\",\"mod_revision\":\"6\"},"
                + "\"prev_kv\":{\"key\":\"" + k("/r/b") + "\",\"create_revision\":\"2\",\"mod_revision\":\"3\","
                + "\"value\":\"" + k("old") + "\"}}]}}");

        assertThat(listener.batches).hasSize(1);
        List<WatchEvent> batch = listener.batches.getFirst();
        assertThat(batch.get(0)).isEqualTo(new WatchEvent(WatchEvent.Type.PUT,
                new KeyValue("a", b("v1"), 6, 6), null));
        assertThat(batch.get(1)).isEqualTo(new WatchEvent(WatchEvent.Type.DELETE,
                new KeyValue("b", b("old"), 2, 6), new KeyValue("b", b("old"), 2, 3)));
    }

    @Test
    void compactRevisionFailsWithCompactedAndEndsTheWatch() {
        watch.onNext("{\"result\":{\"header\":{},\"canceled\":true,\"compact_revision\":\"12\"}}");

        assertThat(listener.errors).singleElement().isInstanceOfSatisfying(StoreException.Compacted.class,
                e -> assertThat(e.compactedRevision()).isEqualTo(12));
        assertThat(compactionSeen.get()).isEqualTo(12);
        assertThat(subscription.cancelled).isTrue();
        assertThat(ended.get()).isEqualTo(1);
    }

    @Test
    void otherCancellationOrErrorMessageIsUnavailable() {
        watch.onNext("{\"result\":{\"canceled\":true,\"cancel_reason\":\"boom\"}}");
        assertThat(listener.errors).singleElement()
                .satisfies(e -> assertThat(e).isInstanceOf(StoreException.Unavailable.class).hasMessageContaining("boom"));

        EtcdWatch other = new EtcdWatch(codec, 1, listener, compactionSeen::set, w -> ended.incrementAndGet());
        other.onSubscribe(new Subscription());
        other.onNext("{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":\"etcdserver: no leader\"}}");
        assertThat(listener.errors).hasSize(2).last().satisfies(e -> assertThat(e)
                .isInstanceOf(StoreException.Unavailable.class).hasMessageContaining("no leader"));
    }

    @Test
    void brokenOrEndedStreamIsUnavailableOnce() {
        watch.onError(new java.io.IOException("connection reset"));
        watch.onComplete();
        assertThat(listener.errors).singleElement().isInstanceOf(StoreException.Unavailable.class);
        assertThat(ended.get()).isEqualTo(1);
    }

    @Test
    void closeCancelsTheStreamAndStopsDeliveries() {
        watch.close();
        watch.close();
        watch.onNext("{\"result\":{\"events\":[{\"kv\":{\"key\":\"" + k("/r/a") + "\",\"mod_revision\":\"6\"}}]}}");
        watch.onComplete();

        assertThat(subscription.cancelled).isTrue();
        assertThat(listener.batches).isEmpty();
        assertThat(listener.errors).isEmpty();
        assertThat(ended.get()).isEqualTo(1);
    }

    @Test
    void compactedErrorNamesTheRevisionTheWatchWaitedFor() {
        watch.onNext("{\"result\":{\"events\":[{\"kv\":{\"key\":\"" + k("/r/a") + "\",\"create_revision\":\"7\","
                + "\"mod_revision\":\"7\"}}]}}");
        watch.onNext("{\"result\":{\"canceled\":true,\"compact_revision\":\"20\"}}");
        assertThat(listener.errors).singleElement().asString().contains("revision 8 has been compacted");
    }

    private static String k(String s) {
        return KeySpace.base64(b(s));
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static final class Listener implements WatchListener {
        final List<List<WatchEvent>> batches = new ArrayList<>();
        final List<StoreException> errors = new ArrayList<>();

        @Override
        public void onEvents(List<WatchEvent> events) {
            batches.add(events);
        }

        @Override
        public void onError(StoreException error) {
            errors.add(error);
        }
    }

    private static final class Subscription implements Flow.Subscription {
        long requested;
        boolean cancelled;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
