package dev.ferry.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.store.KeyValue;
import dev.ferry.store.StoreException;
import dev.ferry.store.Watch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** etcd-specific behaviour beyond the shared contract: key roots, foreign compaction, outages, stream cleanup. */
class EtcdStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static EtcdProcess etcd;

    private String root;
    private EtcdStore store;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.start();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void open() {
        root = "/t/" + UUID.randomUUID() + "/";
        store = new EtcdStore(etcd.clientUrl(), root);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void storesWithDifferentRootsDoNotSeeEachOther() {
        try (EtcdStore other = new EtcdStore(etcd.clientUrl(), "/t/" + UUID.randomUUID() + "/")) {
            long mine = store.create("/k", b("mine"));
            long theirs = other.create("/k", b("theirs"));

            assertThat(store.get("/k")).contains(new KeyValue("/k", b("mine"), mine, mine));
            assertThat(other.get("/k")).contains(new KeyValue("/k", b("theirs"), theirs, theirs));
            assertThat(store.range("", null, 0, 0).kvs()).extracting(KeyValue::key).containsExactly("/k");
            assertThatThrownBy(() -> other.delete("/other-only", 0)).isInstanceOf(StoreException.NotFound.class);
        }
    }

    @Test
    void keysAreStoredUnderTheRootInEtcd() {
        long rev = store.create("/a/k", b("v"));
        try (EtcdStore whole = new EtcdStore(etcd.clientUrl(), "")) {
            assertThat(whole.get(root + "/a/k")).contains(new KeyValue(root + "/a/k", b("v"), rev, rev));
        }
    }

    @Test
    void emptyPrefixWatchSeesOnlyTheRoot() {
        RecordingListener rec = new RecordingListener();
        long start = store.currentRevision();
        Watch watch = store.watch("", start, rec);
        try (EtcdStore other = new EtcdStore(etcd.clientUrl(), "/t/" + UUID.randomUUID() + "/")) {
            other.create("/x", b("x"));
            long mine = store.create("/y", b("y"));
            await().atMost(TIMEOUT).until(() -> !rec.events().isEmpty());
            assertThat(rec.events()).singleElement().satisfies(e -> assertThat(e.revision()).isEqualTo(mine));
        } finally {
            watch.close();
        }
    }

    @Test
    void rangeFromStartKeyBeyondThePrefixIsEmpty() {
        store.create("/a/k", b("v"));
        store.create("/b/k", b("v"));
        assertThat(store.range("/a/", "/b/", 0, 0).kvs()).isEmpty();
        assertThat(store.range("/a/", "/", 0, 0).kvs()).extracting(KeyValue::key).containsExactly("/a/k");
    }

    @Test
    void compactedRevisionFindsCompactionByAnotherClient() {
        long r1 = store.create("/c/a", b("1"));
        long r2 = store.update("/c/a", b("2"), r1);
        store.update("/c/a", b("3"), r2);
        try (EtcdStore other = new EtcdStore(etcd.clientUrl(), "/t/" + UUID.randomUUID() + "/")) {
            other.compact(r2);
        }
        assertThat(store.compactedRevision()).isEqualTo(r2);
        assertThatThrownBy(() -> store.range("/c/", null, 0, r1))
                .isInstanceOfSatisfying(StoreException.Compacted.class,
                        e -> assertThat(e.compactedRevision()).isEqualTo(r2));
    }

    @Test
    void closingAWatchEndsItsStreamInEtcd() {
        long start = store.currentRevision();
        long before = watchers();
        Watch w1 = store.watch("/w/", start, new RecordingListener());
        Watch w2 = store.watch("/w/", start, new RecordingListener());
        await().atMost(TIMEOUT).until(() -> watchers() == before + 2);

        w1.close();
        await().atMost(TIMEOUT).until(() -> watchers() == before + 1);
        store.close(); // closes the remaining watch too
        await().atMost(TIMEOUT).until(() -> watchers() == before);
        w2.close();
    }

    @Test
    void lostEtcdMakesCallsUnavailableAndEndsWatches() {
        EtcdProcess own = EtcdProcess.start();
        try (EtcdStore lost = new EtcdStore(own.clientUrl(), "/", Duration.ofSeconds(2))) {
            lost.create("/k", b("v"));
            RecordingListener rec = new RecordingListener();
            lost.watch("/", lost.currentRevision(), rec);

            own.close();

            assertThat(own.isAlive()).isFalse();
            await().atMost(TIMEOUT).until(() -> !rec.errors().isEmpty());
            assertThat(rec.errors()).singleElement().isInstanceOf(StoreException.Unavailable.class);
            assertThatThrownBy(() -> lost.get("/k")).isInstanceOf(StoreException.Unavailable.class);
            assertThatThrownBy(() -> lost.create("/k2", b("v"))).isInstanceOf(StoreException.Unavailable.class);
            assertThatThrownBy(() -> lost.watch("/", 0, new RecordingListener()))
                    .isInstanceOf(StoreException.Unavailable.class);
        } finally {
            own.close();
        }
    }

    @Test
    void unreachableEndpointIsUnavailable() {
        try (EtcdStore nowhere = new EtcdStore(URI.create("http://127.0.0.1:1"), "/")) {
            assertThatThrownBy(nowhere::currentRevision).isInstanceOf(StoreException.Unavailable.class);
        }
    }

    @Test
    void missingEtcdBinaryFailsWithAClearMessage() {
        String previous = System.getProperty("ferry.etcd.binary");
        System.setProperty("ferry.etcd.binary", "/nonexistent/etcd");
        try {
            assertThatThrownBy(EtcdProcess::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("/nonexistent/etcd").hasMessageContaining("etcd-server");
        } finally {
            if (previous == null) {
                System.clearProperty("ferry.etcd.binary");
            } else {
                System.setProperty("ferry.etcd.binary", previous);
            }
        }
    }

    /** etcd's gauge of open watchers, from its Prometheus endpoint. */
    private static long watchers() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String metrics = http.send(HttpRequest.newBuilder(etcd.clientUrl().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("etcd_debugging_mvcc_watcher_total "))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                    .findFirst().orElseThrow();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("cannot read etcd metrics", e);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }
}
