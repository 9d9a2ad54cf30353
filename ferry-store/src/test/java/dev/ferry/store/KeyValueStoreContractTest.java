package dev.ferry.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link KeyValueStore} must have. Extend it and implement {@link #newStore()}.
 *
 * <p>Each test gets a fresh store and closes it in an {@code @AfterEach} of this class; that runs after the subclass's
 * own {@code @AfterEach} methods, so cleanup that must follow the close belongs in a {@code @TempDir} or an extension.
 * The suite does not assume absolute revision numbers (a store may share a backend whose revision is already above 0)
 * and never watches or reads at revisions older than the ones it produced itself, so a shared backend compacted by an
 * earlier test does not matter. It does assume nobody else writes to the backend while a test runs.
 *
 * <p>Compaction boundaries follow etcd: after {@code compact(C)}, {@code range} at {@code C} works and below it fails;
 * {@code watch} after {@code C - 1} works (the event at {@code C} is kept) and after {@code C - 2} fails. Events
 * delivered from history above the compacted revision carry their {@code prevKv}.
 */
@SuppressWarnings("try") // try-with-resources only scopes the watches
public abstract class KeyValueStoreContractTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(20);

    protected KeyValueStore store;

    /** A fresh store with no keys visible to the test. */
    protected abstract KeyValueStore newStore() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---------------------------------------------------------------- create / get / update / delete

    @Test
    void createThenGetReturnsValueWithCreateAndModRevisionOfTheWrite() {
        long before = store.currentRevision();
        long rev = store.create("/a/k1", b("v1"));

        assertThat(rev).isEqualTo(before + 1);
        assertThat(store.currentRevision()).isEqualTo(rev);
        assertThat(store.get("/a/k1")).contains(new KeyValue("/a/k1", b("v1"), rev, rev));
    }

    @Test
    void getOfMissingKeyIsEmpty() {
        store.create("/a/k1", b("v1"));
        assertThat(store.get("/a/k2")).isEmpty();
        assertThat(store.get("/a/k")).isEmpty();
    }

    @Test
    void emptyValueRoundTrips() {
        long rev = store.create("/a/empty", new byte[0]);
        assertThat(store.get("/a/empty")).contains(new KeyValue("/a/empty", new byte[0], rev, rev));
    }

    @Test
    void binaryValueRoundTrips() {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        store.create("/a/bin", value);
        assertThat(store.get("/a/bin").orElseThrow().value()).isEqualTo(value);
    }

    @Test
    void sequentialWritesBumpTheRevisionByOneEach() {
        long r1 = store.create("/a/k1", b("1"));
        long r2 = store.create("/a/k2", b("2"));
        long r3 = store.update("/a/k1", b("3"), r1);
        long r4 = store.delete("/a/k2", r2);
        long r5 = store.create("/b/other", b("5"));

        assertThat(List.of(r2, r3, r4, r5)).containsExactly(r1 + 1, r1 + 2, r1 + 3, r1 + 4);
        assertThat(store.currentRevision()).isEqualTo(r5);
    }

    @Test
    void createOfExistingKeyFailsWithKeyExistsAndChangesNothing() {
        long rev = store.create("/a/k1", b("v1"));

        assertThatThrownBy(() -> store.create("/a/k1", b("v2"))).isInstanceOf(StoreException.KeyExists.class);
        assertThat(store.currentRevision()).isEqualTo(rev);
        assertThat(store.get("/a/k1").orElseThrow().value()).isEqualTo(b("v1"));
    }

    @Test
    void updateKeepsCreateRevisionAndMovesModRevision() {
        long created = store.create("/a/k1", b("v1"));
        long updated = store.update("/a/k1", b("v2"), created);
        long updatedAgain = store.update("/a/k1", b("v3"), updated);

        assertThat(updated).isGreaterThan(created);
        assertThat(updatedAgain).isGreaterThan(updated);
        assertThat(store.get("/a/k1")).contains(new KeyValue("/a/k1", b("v3"), created, updatedAgain));
    }

    @Test
    void updateOfMissingKeyFailsWithNotFound() {
        long before = store.currentRevision();
        assertThatThrownBy(() -> store.update("/a/missing", b("v"), before))
                .isInstanceOf(StoreException.NotFound.class);
        assertThat(store.currentRevision()).isEqualTo(before);
        assertThat(store.get("/a/missing")).isEmpty();
    }

    @Test
    void updateWithStaleRevisionFailsWithConflictCarryingCurrentValue() {
        long created = store.create("/a/k1", b("v1"));
        long updated = store.update("/a/k1", b("v2"), created);

        assertThatThrownBy(() -> store.update("/a/k1", b("v3"), created))
                .isInstanceOfSatisfying(StoreException.Conflict.class, e -> assertThat(e.current())
                        .isEqualTo(new KeyValue("/a/k1", b("v2"), created, updated)));
        assertThat(store.currentRevision()).isEqualTo(updated);
        assertThat(store.get("/a/k1").orElseThrow().value()).isEqualTo(b("v2"));
    }

    @Test
    void updateWithFutureRevisionFailsWithConflict() {
        long created = store.create("/a/k1", b("v1"));
        assertThatThrownBy(() -> store.update("/a/k1", b("v2"), created + 100))
                .isInstanceOf(StoreException.Conflict.class);
    }

    @Test
    void deleteWithMatchingRevisionRemovesKey() {
        long created = store.create("/a/k1", b("v1"));
        long deleted = store.delete("/a/k1", created);

        assertThat(deleted).isEqualTo(created + 1);
        assertThat(store.currentRevision()).isEqualTo(deleted);
        assertThat(store.get("/a/k1")).isEmpty();
    }

    @Test
    void deleteWithZeroRevisionIsUnconditional() {
        long created = store.create("/a/k1", b("v1"));
        store.update("/a/k1", b("v2"), created);

        long deleted = store.delete("/a/k1", 0);

        assertThat(store.currentRevision()).isEqualTo(deleted);
        assertThat(store.get("/a/k1")).isEmpty();
    }

    @Test
    void deleteWithStaleRevisionFailsWithConflictCarryingCurrentValue() {
        long created = store.create("/a/k1", b("v1"));
        long updated = store.update("/a/k1", b("v2"), created);

        assertThatThrownBy(() -> store.delete("/a/k1", created))
                .isInstanceOfSatisfying(StoreException.Conflict.class, e -> assertThat(e.current())
                        .isEqualTo(new KeyValue("/a/k1", b("v2"), created, updated)));
        assertThat(store.get("/a/k1")).isPresent();
        assertThat(store.currentRevision()).isEqualTo(updated);
    }

    @Test
    void deleteOfMissingKeyFailsWithNotFound() {
        long rev = store.create("/a/k1", b("v1"));
        store.delete("/a/k1", rev);
        long before = store.currentRevision();

        assertThatThrownBy(() -> store.delete("/a/k1", 0)).isInstanceOf(StoreException.NotFound.class);
        assertThatThrownBy(() -> store.delete("/a/never", 0)).isInstanceOf(StoreException.NotFound.class);
        assertThatThrownBy(() -> store.update("/a/k1", b("v"), rev)).isInstanceOf(StoreException.NotFound.class);
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    @Test
    void recreatedKeyGetsNewCreateRevision() {
        long first = store.create("/a/k1", b("v1"));
        store.delete("/a/k1", first);
        long second = store.create("/a/k1", b("v2"));

        assertThat(second).isGreaterThan(first + 1);
        assertThat(store.get("/a/k1")).contains(new KeyValue("/a/k1", b("v2"), second, second));
    }

    // ---------------------------------------------------------------- range

    @Test
    void rangeReturnsKeysWithPrefixInKeyOrder() {
        store.create("/a/c", b("c"));
        store.create("/a/a", b("a"));
        store.create("/ab", b("not in /a/"));
        store.create("/a/b/nested", b("nested"));
        store.create("/a/b", b("b"));
        store.create("/", b("root"));
        long last = store.create("/b/a", b("other"));

        RangeResult result = store.range("/a/", null, 0, 0);

        assertThat(keys(result)).containsExactly("/a/a", "/a/b", "/a/b/nested", "/a/c");
        assertThat(result.more()).isFalse();
        assertThat(result.revision()).isEqualTo(last);
        assertThat(result.kvs().getFirst().value()).isEqualTo(b("a"));
    }

    @Test
    void rangeCarriesCreateAndModRevisions() {
        long created = store.create("/a/k1", b("v1"));
        long updated = store.update("/a/k1", b("v2"), created);

        assertThat(store.range("/a/", "", 0, 0).kvs())
                .containsExactly(new KeyValue("/a/k1", b("v2"), created, updated));
    }

    @Test
    void rangeOmitsDeletedKeys() {
        store.create("/a/1", b("1"));
        long r2 = store.create("/a/2", b("2"));
        store.create("/a/3", b("3"));
        store.delete("/a/2", r2);

        assertThat(keys(store.range("/a/", null, 0, 0))).containsExactly("/a/1", "/a/3");
    }

    @Test
    void rangeOfEmptyPrefixIsEmpty() {
        store.create("/a/1", b("1"));
        RangeResult result = store.range("/nothing/", null, 0, 0);
        assertThat(result.kvs()).isEmpty();
        assertThat(result.more()).isFalse();
    }

    @Test
    void rangeWithLimitSetsMoreAndPagesWithStartKey() {
        for (String k : List.of("e", "a", "d", "b", "c")) {
            store.create("/a/" + k, b(k));
        }
        store.create("/b/z", b("z"));

        RangeResult page1 = store.range("/a/", null, 2, 0);
        assertThat(keys(page1)).containsExactly("/a/a", "/a/b");
        assertThat(page1.more()).isTrue();

        RangeResult page2 = store.range("/a/", "/a/b\0", 2, page1.revision());
        assertThat(keys(page2)).containsExactly("/a/c", "/a/d");
        assertThat(page2.more()).isTrue();
        assertThat(page2.revision()).isEqualTo(page1.revision());

        RangeResult page3 = store.range("/a/", "/a/d\0", 2, page1.revision());
        assertThat(keys(page3)).containsExactly("/a/e");
        assertThat(page3.more()).isFalse();
    }

    @Test
    void rangeWithLimitEqualToRemainingKeysHasNoMore() {
        for (String k : List.of("a", "b", "c")) {
            store.create("/a/" + k, b(k));
        }
        store.create("/b/after", b("x"));

        RangeResult exact = store.range("/a/", null, 3, 0);
        assertThat(keys(exact)).containsExactly("/a/a", "/a/b", "/a/c");
        assertThat(exact.more()).isFalse();

        RangeResult bigger = store.range("/a/", null, 10, 0);
        assertThat(keys(bigger)).hasSize(3);
        assertThat(bigger.more()).isFalse();
    }

    @Test
    void rangeStartKeyIsInclusive() {
        for (String k : List.of("a", "b", "c")) {
            store.create("/a/" + k, b(k));
        }
        assertThat(keys(store.range("/a/", "/a/b", 0, 0))).containsExactly("/a/b", "/a/c");
        assertThat(keys(store.range("/a/", "/a/bb", 0, 0))).containsExactly("/a/c");
        assertThat(keys(store.range("/a/", "/a/z", 0, 0))).isEmpty();
    }

    @Test
    void rangeAtOlderRevisionShowsKeysAsTheyWere() {
        long a1 = store.create("/a/a", b("a1"));
        long bRev = store.create("/a/b", b("b1"));
        long snapshot = store.currentRevision();
        long a2 = store.update("/a/a", b("a2"), a1);
        store.delete("/a/b", bRev);
        long cRev = store.create("/a/c", b("c1"));

        RangeResult old = store.range("/a/", null, 0, snapshot);
        assertThat(old.revision()).isEqualTo(snapshot);
        assertThat(old.kvs()).containsExactly(
                new KeyValue("/a/a", b("a1"), a1, a1),
                new KeyValue("/a/b", b("b1"), bRev, bRev));

        assertThat(store.range("/a/", null, 0, a1).kvs())
                .containsExactly(new KeyValue("/a/a", b("a1"), a1, a1));

        RangeResult now = store.range("/a/", null, 0, 0);
        assertThat(now.revision()).isEqualTo(cRev);
        assertThat(now.kvs()).containsExactly(
                new KeyValue("/a/a", b("a2"), a1, a2),
                new KeyValue("/a/c", b("c1"), cRev, cRev));
    }

    @Test
    void rangeAtOlderRevisionHonoursLimitAndStartKey() {
        for (String k : List.of("a", "b", "c", "d")) {
            store.create("/a/" + k, b(k));
        }
        long snapshot = store.currentRevision();
        store.delete("/a/b", 0);
        store.delete("/a/c", 0);

        RangeResult page = store.range("/a/", "/a/b", 2, snapshot);
        assertThat(keys(page)).containsExactly("/a/b", "/a/c");
        assertThat(page.more()).isTrue();
        assertThat(keys(store.range("/a/", "/a/c\0", 2, snapshot))).containsExactly("/a/d");
    }

    @Test
    void rangeAtCurrentRevisionEqualsRangeNow() {
        store.create("/a/a", b("a"));
        long rev = store.currentRevision();
        assertThat(store.range("/a/", null, 0, rev)).isEqualTo(store.range("/a/", null, 0, 0));
    }

    @Test
    void rangeAtFutureRevisionFailsWithFutureRevision() {
        long rev = store.create("/a/a", b("a"));
        assertThatThrownBy(() -> store.range("/a/", null, 0, rev + 1))
                .isInstanceOfSatisfying(StoreException.FutureRevision.class,
                        e -> assertThat(e.currentRevision()).isEqualTo(rev));
    }

    // ---------------------------------------------------------------- watch

    @Test
    void watchFromRevisionDeliversHistoryThenLiveEventsInOrder() {
        long c1 = store.create("/w/k1", b("v1"));
        long u1 = store.update("/w/k1", b("v2"), c1);
        long c2 = store.create("/w/k2", b("x1"));
        long d1 = store.delete("/w/k1", u1);

        Recorder rec = new Recorder();
        try (Watch ignored = store.watch("/w/", c1, rec)) {
            await().atMost(EVENT_TIMEOUT).until(() -> rec.events().size() >= 3);
            long u2 = store.update("/w/k2", b("x2"), c2);
            await().atMost(EVENT_TIMEOUT).until(() -> rec.events().size() >= 4);

            assertThat(rec.events()).containsExactly(
                    new WatchEvent(WatchEvent.Type.PUT, new KeyValue("/w/k1", b("v2"), c1, u1),
                            new KeyValue("/w/k1", b("v1"), c1, c1)),
                    new WatchEvent(WatchEvent.Type.PUT, new KeyValue("/w/k2", b("x1"), c2, c2), null),
                    rec.events().get(2),
                    new WatchEvent(WatchEvent.Type.PUT, new KeyValue("/w/k2", b("x2"), c2, u2),
                            new KeyValue("/w/k2", b("x1"), c2, c2)));
            assertDeleteEvent(rec.events().get(2), "/w/k1", b("v2"), d1, u1);
            assertThat(rec.errors()).isEmpty();
            assertThat(rec.overlapped()).isFalse();
        }
    }

    @Test
    void watchFromCurrentRevisionDeliversOnlyLiveEvents() {
        store.create("/w/old", b("old"));
        long now = store.currentRevision();
        Recorder rec = new Recorder();
        try (Watch ignored = store.watch("/w/", now, rec)) {
            long c = store.create("/w/new", b("new"));
            long d = store.delete("/w/old", 0);
            await().atMost(EVENT_TIMEOUT).until(() -> rec.events().size() >= 2);

            assertThat(rec.events()).hasSize(2);
            assertThat(rec.events().getFirst())
                    .isEqualTo(new WatchEvent(WatchEvent.Type.PUT, new KeyValue("/w/new", b("new"), c, c), null));
            assertDeleteEvent(rec.events().get(1), "/w/old", b("old"), d, now);
        }
    }

    @Test
    void watchDeliversCreateAsPutWithoutPrevKv() {
        long start = store.currentRevision();
        Recorder rec = new Recorder();
        try (Watch ignored = store.watch("/w/", start, rec)) {
            long c = store.create("/w/k", b("v"));
            await().atMost(EVENT_TIMEOUT).until(() -> !rec.events().isEmpty());
            WatchEvent event = rec.events().getFirst();
            assertThat(event.type()).isEqualTo(WatchEvent.Type.PUT);
            assertThat(event.kv()).isEqualTo(new KeyValue("/w/k", b("v"), c, c));
            assertThat(event.prevKv()).isNull();
            assertThat(event.revision()).isEqualTo(c);
        }
    }

    @Test
    void watchSeesOnlyItsPrefix() {
        long start = store.currentRevision();
        Recorder rec = new Recorder();
        try (Watch ignored = store.watch("/w/", start, rec)) {
            store.create("/x/k", b("x"));
            store.create("/w", b("no slash"));
            store.create("/wx/k", b("wx"));
            long mine = store.create("/w/k", b("mine"));
            store.create("/x/k2", b("x"));
            long sentinel = store.create("/w/sentinel", b("s"));
            await().atMost(EVENT_TIMEOUT).until(() -> rec.revisions().contains(sentinel));

            assertThat(rec.revisions()).containsExactly(mine, sentinel);
            assertThat(rec.events()).allSatisfy(e -> assertThat(e.kv().key()).startsWith("/w/"));
        }
    }

    @Test
    void watchWithHistoryOnlySeesItsPrefix() {
        long start = store.currentRevision();
        long x = store.create("/x/k", b("x"));
        long mine = store.create("/w/k", b("mine"));
        store.update("/x/k", b("x2"), x);
        Recorder rec = new Recorder();
        try (Watch ignored = store.watch("/w/", start, rec)) {
            long live = store.create("/w/live", b("l"));
            await().atMost(EVENT_TIMEOUT).until(() -> rec.revisions().contains(live));
            assertThat(rec.revisions()).containsExactly(mine, live);
        }
    }

    @Test
    void closingWatchStopsDelivery() {
        long start = store.currentRevision();
        Recorder closed = new Recorder();
        Recorder open = new Recorder();
        Watch watch = store.watch("/w/", start, closed);
        try (Watch ignored = store.watch("/w/", start, open)) {
            long first = store.create("/w/1", b("1"));
            await().atMost(EVENT_TIMEOUT).until(() -> closed.revisions().contains(first));

            watch.close();
            watch.close(); // idempotent
            long second = store.create("/w/2", b("2"));
            long third = store.create("/w/3", b("3"));
            await().atMost(EVENT_TIMEOUT).until(() -> open.revisions().contains(third));

            assertThat(open.revisions()).containsExactly(first, second, third);
            assertThat(closed.revisions()).containsExactly(first);
            assertThat(closed.errors()).isEmpty();
        }
    }

    @Test
    void severalWatchesOnSamePrefixEachGetEveryEvent() {
        long start = store.currentRevision();
        List<Recorder> recorders = List.of(new Recorder(), new Recorder(), new Recorder());
        List<Watch> watches = new ArrayList<>();
        try {
            for (Recorder r : recorders) {
                watches.add(store.watch("/w/", start, r));
            }
            List<Long> revs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                revs.add(store.create("/w/" + i, b("v" + i)));
            }
            for (Recorder r : recorders) {
                await().atMost(EVENT_TIMEOUT).until(() -> r.events().size() >= revs.size());
                assertThat(r.revisions()).containsExactlyElementsOf(revs);
            }
        } finally {
            watches.forEach(Watch::close);
        }
    }

    @Test
    void watchStartedDuringConcurrentWritesSeesEveryLaterRevisionExactlyOnceInOrder() throws Exception {
        int writers = 4;
        int perWriter = 150;
        long start = store.currentRevision();
        AtomicInteger done = new AtomicInteger();
        Recorder rec = new Recorder();
        Watch watch = null;
        long watchFrom;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        store.create("/w/" + writer + "/" + i, b("v" + i));
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            await().atMost(EVENT_TIMEOUT).until(() -> done.get() >= writers * perWriter / 3);
            watchFrom = store.currentRevision();
            watch = store.watch("/w/", watchFrom, rec);
            for (Future<?> f : futures) {
                f.get();
            }
        }
        try {
            long end = store.currentRevision();
            assertThat(end).isEqualTo(start + writers * perWriter);
            await().atMost(EVENT_TIMEOUT).until(() -> rec.events().size() >= end - watchFrom);

            List<Long> expected = new ArrayList<>();
            for (long r = watchFrom + 1; r <= end; r++) {
                expected.add(r);
            }
            assertThat(rec.revisions()).containsExactlyElementsOf(expected);
            assertThat(rec.events()).allSatisfy(e -> {
                assertThat(e.type()).isEqualTo(WatchEvent.Type.PUT);
                assertThat(e.prevKv()).isNull();
            });
            assertThat(rec.overlapped()).isFalse();
        } finally {
            watch.close();
        }
    }

    @Test
    void watchAtFutureRevisionFailsWithFutureRevision() {
        long rev = store.create("/w/k", b("v"));
        assertThatThrownBy(() -> store.watch("/w/", rev + 1, new Recorder()))
                .isInstanceOfSatisfying(StoreException.FutureRevision.class,
                        e -> assertThat(e.currentRevision()).isEqualTo(rev));
    }

    // ---------------------------------------------------------------- compaction

    @Test
    void compactDropsOlderHistoryButKeepsCurrentValues() {
        long a1 = store.create("/c/a", b("a1"));
        long a2 = store.update("/c/a", b("a2"), a1);
        long bRev = store.create("/c/b", b("b1"));
        store.delete("/c/b", bRev);
        long cRev = store.create("/c/c", b("c1"));
        long compactAt = store.currentRevision();

        store.compact(compactAt);

        assertThat(store.compactedRevision()).isEqualTo(compactAt);
        assertThat(store.currentRevision()).isEqualTo(compactAt);
        assertThat(store.get("/c/a")).contains(new KeyValue("/c/a", b("a2"), a1, a2));
        assertThat(store.get("/c/b")).isEmpty();
        assertThat(store.range("/c/", null, 0, 0).kvs()).containsExactly(
                new KeyValue("/c/a", b("a2"), a1, a2),
                new KeyValue("/c/c", b("c1"), cRev, cRev));
        assertThat(store.range("/c/", null, 0, compactAt).kvs()).hasSize(2);

        // current values keep working for CAS after compaction
        long a3 = store.update("/c/a", b("a3"), a2);
        assertThat(store.get("/c/a")).contains(new KeyValue("/c/a", b("a3"), a1, a3));
        assertThatThrownBy(() -> store.create("/c/c", b("again"))).isInstanceOf(StoreException.KeyExists.class);
        long b2 = store.create("/c/b", b("b2"));
        assertThat(store.get("/c/b")).contains(new KeyValue("/c/b", b("b2"), b2, b2));
    }

    @Test
    void rangeBelowCompactedRevisionFailsWithCompacted() {
        long a1 = store.create("/c/a", b("a1"));
        long a2 = store.update("/c/a", b("a2"), a1);
        long a3 = store.update("/c/a", b("a3"), a2);
        store.compact(a2);

        assertThatThrownBy(() -> store.range("/c/", null, 0, a1))
                .isInstanceOfSatisfying(StoreException.Compacted.class,
                        e -> assertThat(e.compactedRevision()).isEqualTo(a2));
        assertThat(store.range("/c/", null, 0, a2).kvs())
                .containsExactly(new KeyValue("/c/a", b("a2"), a1, a2));
        assertThat(store.range("/c/", null, 0, a3).kvs())
                .containsExactly(new KeyValue("/c/a", b("a3"), a1, a3));
    }

    @Test
    void historicReadAtCompactedRevisionSeesStateOfThatRevision() {
        long a = store.create("/c/a", b("a1"));
        long bRev = store.create("/c/b", b("b1"));
        long compactAt = store.update("/c/a", b("a2"), a);
        store.delete("/c/b", bRev);
        long a3 = store.update("/c/a", b("a3"), compactAt);
        store.compact(compactAt);

        assertThat(store.range("/c/", null, 0, compactAt).kvs()).containsExactly(
                new KeyValue("/c/a", b("a2"), a, compactAt),
                new KeyValue("/c/b", b("b1"), bRev, bRev));
        assertThat(store.get("/c/a")).contains(new KeyValue("/c/a", b("a3"), a, a3));
    }

    @Test
    void watchBelowCompactedRevisionFailsWithCompacted() {
        long a1 = store.create("/c/a", b("a1"));
        long a2 = store.update("/c/a", b("a2"), a1);
        long a3 = store.update("/c/a", b("a3"), a2);
        store.update("/c/a", b("a4"), a3);
        store.compact(a3);

        // events from a2 on are needed, but a2 is below the compacted revision a3
        assertThatThrownBy(() -> store.watch("/c/", a1, new Recorder()))
                .isInstanceOfSatisfying(StoreException.Compacted.class,
                        e -> assertThat(e.compactedRevision()).isEqualTo(a3));
    }

    @Test
    void watchFromCompactedRevisionDeliversLaterHistory() {
        long a1 = store.create("/c/a", b("a1"));
        long a2 = store.update("/c/a", b("a2"), a1);
        long bRev = store.create("/c/b", b("b1"));
        long a3 = store.update("/c/a", b("a3"), a2);
        long bDel = store.delete("/c/b", bRev);
        store.compact(bRev);

        Recorder rec = new Recorder();
        try (Watch ignored = store.watch("/c/", bRev, rec)) {
            long a4 = store.update("/c/a", b("a4"), a3);
            await().atMost(EVENT_TIMEOUT).until(() -> rec.revisions().contains(a4));

            assertThat(rec.revisions()).containsExactly(a3, bDel, a4);
            assertThat(rec.events().getFirst()).isEqualTo(new WatchEvent(WatchEvent.Type.PUT,
                    new KeyValue("/c/a", b("a3"), a1, a3), new KeyValue("/c/a", b("a2"), a1, a2)));
            assertDeleteEvent(rec.events().get(1), "/c/b", b("b1"), bDel, bRev);
        }
    }

    @Test
    void watchFromJustBeforeCompactedRevisionStartsAtIt() {
        long a1 = store.create("/c/a", b("a1"));
        long a2 = store.update("/c/a", b("a2"), a1);
        long a3 = store.update("/c/a", b("a3"), a2);
        store.compact(a2);

        // the event at the compacted revision itself is kept (etcd semantics: history older than a2 is gone)
        Recorder rec = new Recorder();
        try (Watch ignored = store.watch("/c/", a1, rec)) {
            await().atMost(EVENT_TIMEOUT).until(() -> rec.revisions().size() >= 2);
            assertThat(rec.revisions()).containsExactly(a2, a3);
            assertThat(rec.events().getFirst().kv()).isEqualTo(new KeyValue("/c/a", b("a2"), a1, a2));
        }
    }

    @Test
    void compactAtOrBelowCompactedRevisionIsNoOp() {
        long a1 = store.create("/c/a", b("a1"));
        long a2 = store.update("/c/a", b("a2"), a1);
        store.update("/c/a", b("a3"), a2);
        store.compact(a2);

        store.compact(a2);
        store.compact(a1);

        assertThat(store.compactedRevision()).isEqualTo(a2);
        assertThat(store.range("/c/", null, 0, a2).kvs())
                .containsExactly(new KeyValue("/c/a", b("a2"), a1, a2));
    }

    @Test
    void compactAboveCurrentRevisionFailsWithFutureRevision() {
        long rev = store.create("/c/a", b("a1"));
        long compactedBefore = store.compactedRevision();

        assertThatThrownBy(() -> store.compact(rev + 1))
                .isInstanceOfSatisfying(StoreException.FutureRevision.class,
                        e -> assertThat(e.currentRevision()).isEqualTo(rev));
        assertThat(store.compactedRevision()).isEqualTo(compactedBefore);
    }

    @Test
    void compactDoesNotChangeTheRevisionAndLaterWritesContinueAboveIt() {
        long a1 = store.create("/c/a", b("a1"));
        store.compact(a1);
        assertThat(store.currentRevision()).isEqualTo(a1);
        long next = store.create("/c/b", b("b"));
        assertThat(next).isEqualTo(a1 + 1);
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentCompareAndSwapWritersNeverLoseAnUpdate() throws Exception {
        int threads = 8;
        int incrementsPerThread = 200;
        List<String> keys = List.of("/n/a", "/n/b", "/n/c", "/n/d");
        long start = store.currentRevision();
        for (String key : keys) {
            store.create(key, b("0"));
        }
        AtomicInteger conflicts = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < incrementsPerThread; i++) {
                        String key = keys.get((thread + i) % keys.size());
                        while (true) {
                            KeyValue kv = store.get(key).orElseThrow();
                            int n = Integer.parseInt(s(kv.value()));
                            try {
                                store.update(key, b(Integer.toString(n + 1)), kv.modRevision());
                                break;
                            } catch (StoreException.Conflict e) {
                                conflicts.incrementAndGet();
                                assertThat(e.current().modRevision()).isGreaterThan(kv.modRevision());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        int total = 0;
        for (String key : keys) {
            total += Integer.parseInt(s(store.get(key).orElseThrow().value()));
        }
        assertThat(total).isEqualTo(threads * incrementsPerThread);
        // every successful write bumped the revision by exactly one; failed ones did not
        assertThat(store.currentRevision()).isEqualTo(start + keys.size() + threads * incrementsPerThread);
    }

    @Test
    void concurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
        int contenders = 16;
        AtomicInteger winners = new AtomicInteger();
        AtomicInteger losers = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < contenders; i++) {
                int id = i;
                pool.submit(() -> {
                    try {
                        store.create("/n/only", b("c" + id));
                        winners.incrementAndGet();
                    } catch (StoreException.KeyExists e) {
                        losers.incrementAndGet();
                    }
                });
            }
        }
        assertThat(winners.get()).isEqualTo(1);
        assertThat(losers.get()).isEqualTo(contenders - 1);
    }

    // ---------------------------------------------------------------- helpers

    private static void assertDeleteEvent(WatchEvent event, String key, byte[] lastValue, long deleteRev,
                                          long lastModRev) {
        assertThat(event.type()).isEqualTo(WatchEvent.Type.DELETE);
        assertThat(event.kv().key()).isEqualTo(key);
        assertThat(event.kv().value()).isEqualTo(lastValue);
        assertThat(event.kv().modRevision()).isEqualTo(deleteRev);
        assertThat(event.revision()).isEqualTo(deleteRev);
        assertThat(event.prevKv()).isNotNull();
        assertThat(event.prevKv().key()).isEqualTo(key);
        assertThat(event.prevKv().value()).isEqualTo(lastValue);
        assertThat(event.prevKv().modRevision()).isEqualTo(lastModRev);
    }

    protected static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String s(byte[] b) {
        return new String(b, UTF_8);
    }

    protected static List<String> keys(RangeResult result) {
        return result.kvs().stream().map(KeyValue::key).toList();
    }

    /** Records a watch's events; flags overlapping calls, which the listener contract forbids. */
    protected static final class Recorder implements WatchListener {
        private final List<WatchEvent> events = new ArrayList<>();
        private final List<StoreException> errors = new ArrayList<>();
        private final AtomicBoolean inCall = new AtomicBoolean();
        private volatile boolean overlapped;

        @Override
        public void onEvents(List<WatchEvent> batch) {
            enter();
            try {
                synchronized (this) {
                    events.addAll(batch);
                }
            } finally {
                inCall.set(false);
            }
        }

        @Override
        public void onError(StoreException error) {
            enter();
            try {
                synchronized (this) {
                    errors.add(error);
                }
            } finally {
                inCall.set(false);
            }
        }

        private void enter() {
            if (!inCall.compareAndSet(false, true)) {
                overlapped = true;
            }
        }

        public synchronized List<WatchEvent> events() {
            return List.copyOf(events);
        }

        public synchronized List<Long> revisions() {
            return events.stream().map(WatchEvent::revision).toList();
        }

        public synchronized List<StoreException> errors() {
            return List.copyOf(errors);
        }

        public boolean overlapped() {
            return overlapped;
        }
    }
}
