package dev.ferry.apiserver;

import static dev.ferry.apiserver.Fixtures.CONFLICT_DETAIL;
import static dev.ferry.apiserver.Fixtures.SERVICES;
import static dev.ferry.apiserver.Fixtures.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.apiserver.ApiClient.Resp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Many clients at once: creates all land with unique revisions, and optimistic concurrency lets exactly one win. */
class ConcurrencyTest extends ServerTest {
    private static final int THREADS = 16;


    /** Runs {@code task(i)} for i in [0, THREADS) on THREADS threads released together; returns results in order. */
    private static <T> List<T> together(java.util.function.IntFunction<T> task) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int n = i;
                Callable<T> c = () -> {
                    go.await();
                    return task.apply(n);
                };
                futures.add(pool.submit(c));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sixteenThreadsCreatingFiftyServicesEach() throws Exception {
        api.createNamespace("conc");
        List<List<Resp>> perThread = together(t -> {
            List<Resp> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(api.post(SERVICES.collection("conc"),
                        Fixtures.service("t" + t + "-s" + i, Map.of("thread", "t" + t))));
            }
            return replies;
        });
        Set<String> revisions = new HashSet<>();
        Set<String> uids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (List<Resp> replies : perThread) {
            for (Resp r : replies) {
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                revisions.add(r.resourceVersion());
                uids.add(r.json().path("metadata").path("uid").asString());
                names.add(r.name());
            }
        }
        assertThat(revisions).as("every create has its own resourceVersion").hasSize(THREADS * 50);
        assertThat(uids).hasSize(THREADS * 50);

        Resp list = api.get(SERVICES.collection("conc"));
        Set<String> listed = new HashSet<>();
        Set<String> listedRevisions = new HashSet<>();
        for (JsonNode item : list.json().path("items")) {
            listed.add(item.path("metadata").path("name").asString());
            listedRevisions.add(item.path("metadata").path("resourceVersion").asString());
        }
        assertThat(listed).isEqualTo(names);
        assertThat(listedRevisions).isEqualTo(revisions);
        assertThat(api.get(SERVICES.collection("conc") + "?labelSelector=thread%3Dt7").json().path("items"))
                .hasSize(50);
    }

    @Test
    void concurrentUpdatesWithTheSameResourceVersionLetExactlyOneWin() throws Exception {
        api.createNamespace("race");
        Resp created = api.post(SERVICES.collection("race"), Fixtures.service("contested", Map.of()));
        ObjectNode base = created.json();
        List<Resp> replies = together(t -> {
            ObjectNode mine = base.deepCopy();
            ((ObjectNode) mine.get("metadata")).putObject("labels").put("winner", "t" + t);
            return api.put(SERVICES.item("race", "contested"), mine);
        });
        List<Resp> won = replies.stream().filter(r -> r.status() == 200).toList();
        assertThat(won).as("exactly one update wins").hasSize(1);
        for (Resp r : replies) {
            if (r.status() != 200) {
                assertStatus(r, 409, "Conflict",
                        "Operation cannot be fulfilled on services \"contested\": " + CONFLICT_DETAIL);
            }
        }
        ObjectNode stored = api.get(SERVICES.item("race", "contested")).json();
        assertThat(stored.path("metadata").path("labels").path("winner").asString())
                .isEqualTo(won.get(0).json().path("metadata").path("labels").path("winner").asString());
        assertThat(stored.path("metadata").path("resourceVersion").asString()).isEqualTo(won.get(0).resourceVersion());
    }

    @Test
    void concurrentCreatesOfOneNameLetExactlyOneWin() throws Exception {
        api.createNamespace("race-create");
        List<Resp> replies = together(t -> api.post(SERVICES.collection("race-create"),
                Fixtures.service("only", Map.of("creator", "t" + t))));
        assertThat(replies.stream().filter(r -> r.status() == 201)).hasSize(1);
        for (Resp r : replies) {
            if (r.status() != 201) {
                assertStatus(r, 409, "AlreadyExists", "services \"only\" already exists");
            }
        }
        assertThat(api.get(SERVICES.collection("race-create")).json().path("items")).hasSize(1);
    }

    @Test
    void concurrentDeletesLetExactlyOneWin() throws Exception {
        api.createNamespace("race-delete");
        api.post(SERVICES.collection("race-delete"), Fixtures.service("doomed", Map.of()));
        List<Resp> replies = together(t -> api.delete(SERVICES.item("race-delete", "doomed")));
        assertThat(replies.stream().filter(r -> r.status() == 200)).hasSize(1);
        for (Resp r : replies) {
            if (r.status() != 200) {
                assertStatus(r, 404, "NotFound", "services \"doomed\" not found");
            }
        }
    }

    @Test
    void unconditionalUpdatesAllLandInSomeOrder() throws Exception {
        api.createNamespace("race-force");
        api.post(SERVICES.collection("race-force"), Fixtures.service("shared", Map.of()));
        ObjectNode base = api.get(SERVICES.item("race-force", "shared")).json();
        ((ObjectNode) base.get("metadata")).remove("resourceVersion");
        List<Resp> replies = together(t -> {
            ObjectNode mine = base.deepCopy();
            ((ObjectNode) mine.get("metadata")).putObject("annotations").put("writer", "t" + t);
            return api.put(SERVICES.item("race-force", "shared"), mine);
        });
        Set<String> revisions = new HashSet<>();
        for (Resp r : replies) {
            assertThat(r.status()).as("PUT without resourceVersion retries instead of conflicting: %s", r.body())
                    .isEqualTo(200);
            revisions.add(r.resourceVersion());
        }
        assertThat(revisions).hasSize(THREADS);
    }
}
