package dev.ferry.apiserver.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import dev.ferry.apiserver.allocation.AllocationLedger.Claim;
import dev.ferry.store.KeyValue;
import dev.ferry.store.MemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store-backed ledger on a real memory store: one key per claim, atomic across ledgers sharing the store. */
class StoreLedgerTest {
    private final MemoryStore store = new MemoryStore();
    private final StoreLedger ledger = new StoreLedger(store);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aClaimIsOneKeyNamingItsOwner() {
        assertThat(ledger.claim("serviceips", "127.96.0.10", "default/dns")).isTrue();
        KeyValue kv = store.get("/registry/ferry.dev/allocations/serviceips/127.96.0.10").orElseThrow();
        assertThat(Json.MAPPER.readTree(kv.value()).path("owner").asString()).isEqualTo("default/dns");
        assertThat(ledger.shared()).isTrue();
    }

    @Test
    void aHeldValueCannotBeClaimedAgainUntilReleased() {
        StoreLedger other = new StoreLedger(store);
        assertThat(ledger.claim("nodeports", "30080", "a/web")).isTrue();
        assertThat(other.claim("nodeports", "30080", "b/web")).isFalse();
        assertThat(ledger.claim("nodeports", "30080", "a/web")).as("not even by the same owner").isFalse();
        assertThat(other.claim("serviceips", "30080", "b/web")).as("kinds are separate").isTrue();
        other.release("nodeports", "30080");
        assertThat(store.get(StoreLedger.key("nodeports", "30080"))).isEmpty();
        assertThat(ledger.claim("nodeports", "30080", "c/web")).isTrue();
    }

    @Test
    void releasingAnUnheldValueIsANoOp() {
        ledger.release("nodeports", "30001");
        assertThat(ledger.claims()).isEmpty();
    }

    @Test
    void claimsListsEveryKindAcrossPages() {
        for (int i = 0; i < 1205; i++) {
            assertThat(ledger.claim("nodeports", Integer.toString(30000 + i), "ns/s" + i)).isTrue();
        }
        ledger.claim("serviceips", "fd00::a", "ns/v6");
        List<Claim> claims = ledger.claims();
        assertThat(claims).hasSize(1206);
        assertThat(claims).filteredOn(c -> c.kind().equals("serviceips")).singleElement()
                .satisfies(c -> {
                    assertThat(c.value()).isEqualTo("fd00::a");
                    assertThat(c.owner()).isEqualTo("ns/v6");
                });
        assertThat(claims).filteredOn(c -> c.value().equals("31204")).singleElement()
                .satisfies(c -> assertThat(c.owner()).isEqualTo("ns/s1204"));
    }

    @Test
    void releaseIfUnchangedSparesAClaimMadeAgain() {
        ledger.claim("nodeports", "30500", "a/old");
        Claim old = ledger.claims().getFirst();
        ledger.release("nodeports", "30500");
        ledger.claim("nodeports", "30500", "a/new");
        assertThat(ledger.releaseIfUnchanged(old)).isFalse();
        assertThat(ledger.claims()).singleElement().satisfies(c -> assertThat(c.owner()).isEqualTo("a/new"));
        Claim current = ledger.claims().getFirst();
        assertThat(ledger.releaseIfUnchanged(current)).isTrue();
        assertThat(ledger.claims()).isEmpty();
        assertThat(ledger.releaseIfUnchanged(current)).isFalse();
    }

    @Test
    void concurrentClaimsOfOneValueHaveOneWinner() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 50; round++) {
                String value = Integer.toString(31000 + round);
                CountDownLatch go = new CountDownLatch(1);
                ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String owner = "ns/t" + t;
                    StoreLedger mine = new StoreLedger(store);
                    futures.add(pool.submit(() -> {
                        go.await();
                        if (mine.claim("nodeports", value, owner)) {
                            winners.add(owner);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertThat(winners).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void localLedgerGrantsEverythingAndRecordsNothing() {
        assertThat(AllocationLedger.LOCAL.claim("nodeports", "30000", "a/b")).isTrue();
        assertThat(AllocationLedger.LOCAL.claim("nodeports", "30000", "a/c")).isTrue();
        assertThat(AllocationLedger.LOCAL.claims()).isEmpty();
        assertThat(AllocationLedger.LOCAL.shared()).isFalse();
    }
}
