package dev.ferry.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite store promises beyond the shared contract: durability across reopen, group commit, cleanup. */
@SuppressWarnings("try") // try-with-resources only scopes the watches
class SqliteStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("ferry.db");
    }

    @Test
    void newStoreIsAtRevisionZeroWithNothingCompacted() {
        try (SqliteStore store = SqliteStore.open(file())) {
            assertThat(store.currentRevision()).isZero();
            assertThat(store.compactedRevision()).isZero();
            assertThat(store.range("", null, 0, 0)).isEqualTo(new RangeResult(List.of(), 0, false));
            assertThat(store.create("/k", b("v"))).isEqualTo(1);
        }
    }

    @Test
    void reopenedStoreKeepsValuesRevisionAndCompactedRevision() {
        long a1;
        long a2;
        long compactAt;
        try (SqliteStore store = SqliteStore.open(file())) {
            a1 = store.create("/a", b("1"));
            a2 = store.update("/a", b("2"), a1);
            long bRev = store.create("/b", b("b"));
            compactAt = store.delete("/b", bRev);
            store.compact(compactAt);
        }
        try (SqliteStore store = SqliteStore.open(file())) {
            assertThat(store.currentRevision()).isEqualTo(compactAt);
            assertThat(store.compactedRevision()).isEqualTo(compactAt);
            assertThat(store.get("/a")).contains(new KeyValue("/a", b("2"), a1, a2));
            assertThat(store.get("/b")).isEmpty();
            assertThatThrownBy(() -> store.range("/", null, 0, a2)).isInstanceOf(StoreException.Compacted.class);
            assertThat(store.create("/c", b("c"))).isEqualTo(compactAt + 1);
        }
    }

    @Test
    void revisionsDoNotGoBackWhenCompactionRemovedTheNewestRows() throws Exception {
        long last;
        try (SqliteStore store = SqliteStore.open(file())) {
            long a = store.create("/a", b("1"));
            store.delete("/a", a);
            long c = store.create("/c", b("1"));
            last = store.delete("/c", c);
            store.create("/d", b("1"));
            last = store.delete("/d", 0);
            store.compact(last);
        }
        // the tombstone at the compacted revision is the only row left
        assertThat(rowCount()).isEqualTo(1);
        try (SqliteStore store = SqliteStore.open(file())) {
            store.compact(store.currentRevision());
            assertThat(store.currentRevision()).isEqualTo(last);
            assertThat(store.create("/a", b("2"))).isEqualTo(last + 1);
        }
    }

    @Test
    void compactionDeletesSupersededRowsAndTombstones() throws Exception {
        try (SqliteStore store = SqliteStore.open(file())) {
            long a = store.create("/a", b("1"));
            for (int i = 2; i <= 10; i++) {
                a = store.update("/a", b(Integer.toString(i)), a);
            }
            long bRev = store.create("/b", b("1"));
            store.delete("/b", bRev);
            store.create("/c", b("1"));
            long compactAt = store.currentRevision();
            long later = store.update("/a", b("11"), a);
            assertThat(rowCount()).isEqualTo(14);

            store.compact(compactAt);

            // left: /a at 10 and 11, /c
            assertThat(rowCount()).isEqualTo(3);
            assertThat(store.get("/a").orElseThrow().modRevision()).isEqualTo(later);
        }
    }

    @Test
    void concurrentWritesShareOneTransaction() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstBatch = new AtomicBoolean(true);
        Runnable holdFirstBatch = () -> {
            if (firstBatch.getAndSet(false)) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (SqliteStore store = SqliteStore.open(file(), holdFirstBatch);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> creates = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String key = "/k/" + i;
                creates.add(pool.submit(() -> store.create(key, b("v"))));
            }
            List<Future<Long>> duplicates = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                duplicates.add(pool.submit(() -> store.create("/dup", b("v"))));
            }
            // one write is held by the writer thread, the other 19 wait in the queue
            await().atMost(TIMEOUT).until(() -> store.pendingWrites() == 19);
            release.countDown();

            List<Long> revisions = new ArrayList<>();
            for (Future<Long> f : creates) {
                revisions.add(f.get());
            }
            int duplicateFailures = 0;
            for (Future<Long> f : duplicates) {
                try {
                    revisions.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(StoreException.KeyExists.class);
                    duplicateFailures++;
                }
            }
            assertThat(duplicateFailures).isEqualTo(9);
            assertThat(revisions).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 11).boxed().toList());
            assertThat(store.writeStats()).isEqualTo(new WriteStats(1, 20, 20));
            assertThat(store.currentRevision()).isEqualTo(11);
        }
    }

    @Test
    void watchReplaysHistoryLongerThanOnePage() {
        int writes = SqliteWatch.REPLAY_PAGE * 2 + 17;
        try (SqliteStore store = SqliteStore.open(file())) {
            List<Long> mine = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                mine.add(store.create("/w/" + i, b("v")));
                store.create("/x/" + i, b("v"));
            }
            KeyValueStoreContractTest.Recorder rec = new KeyValueStoreContractTest.Recorder();
            try (Watch ignored = store.watch("/w/", 0, rec)) {
                long live = store.create("/w/live", b("v"));
                mine.add(live);
                await().atMost(TIMEOUT).until(() -> rec.revisions().contains(live));
                assertThat(rec.revisions()).containsExactlyElementsOf(mine);
            }
        }
    }

    @Test
    void rangeAndWatchHandleNonAsciiKeys() {
        try (SqliteStore store = SqliteStore.open(file())) {
            long start = store.currentRevision();
            KeyValueStoreContractTest.Recorder rec = new KeyValueStoreContractTest.Recorder();
            try (Watch ignored = store.watch("/ü/", start, rec)) {
                store.create("/ü/é", b("1"));
                store.create("/ü/\uD83D\uDE00", b("2"));
                store.create("/ü/a", b("3"));
                store.create("/ü0", b("outside"));
                store.create("/ý/a", b("outside"));
                long last = store.create("/ü/\uFFFD", b("4"));

                assertThat(KeyValueStoreContractTest.keys(store.range("/ü/", null, 0, 0)))
                        .containsExactly("/ü/a", "/ü/é", "/ü/\uFFFD", "/ü/\uD83D\uDE00");
                await().atMost(TIMEOUT).until(() -> rec.revisions().contains(last));
                assertThat(rec.events()).hasSize(4);
            }
        }
    }

    @Test
    void closingTheStoreEndsWatchesWithUnavailable() {
        SqliteStore store = SqliteStore.open(file());
        KeyValueStoreContractTest.Recorder rec = new KeyValueStoreContractTest.Recorder();
        store.watch("/", 0, rec);
        store.close();

        await().atMost(TIMEOUT).until(() -> !rec.errors().isEmpty());
        assertThat(rec.errors()).singleElement().isInstanceOf(StoreException.Unavailable.class);
    }

    @Test
    void operationsOnClosedStoreFailWithUnavailable() {
        SqliteStore store = SqliteStore.open(file());
        store.create("/a", b("1"));
        store.close();
        store.close();

        assertThatThrownBy(() -> store.create("/b", b("1"))).isInstanceOf(StoreException.Unavailable.class);
        assertThatThrownBy(() -> store.get("/a")).isInstanceOf(StoreException.Unavailable.class);
        assertThatThrownBy(() -> store.watch("/", 0, new KeyValueStoreContractTest.Recorder()))
                .isInstanceOf(StoreException.Unavailable.class);
    }

    private long rowCount() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kine")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }
}
