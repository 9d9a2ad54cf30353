package dev.ferry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(20));

    @Test
    void addsOfAQueuedKeyCollapse() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t", FAST)) {
            q.add("a");
            q.add("b");
            q.add("a");
            assertThat(q.length()).isEqualTo(2);
            assertThat(q.take()).isEqualTo("a");
            assertThat(q.take()).isEqualTo("b");
        }
    }

    @Test
    void keyAddedWhileProcessingIsQueuedAgainOnDoneNotBefore() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t", FAST)) {
            q.add("a");
            assertThat(q.take()).isEqualTo("a");
            q.add("a");
            assertThat(q.length()).isZero();
            q.done("a");
            assertThat(q.length()).isEqualTo(1);
            assertThat(q.take()).isEqualTo("a");
        }
    }

    @Test
    void rateLimitedAddsCountFailuresUntilForgotten() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t", FAST)) {
            q.addRateLimited("a");
            q.addRateLimited("a");
            assertThat(q.failures("a")).isEqualTo(2);
            assertThat(q.take()).isEqualTo("a");
            q.forget("a");
            assertThat(q.failures("a")).isZero();
        }
    }

    @Test
    void closeWakesWaitingTakers() throws Exception {
        WorkQueue<String> q = new WorkQueue<>("t", FAST);
        List<Object> got = new CopyOnWriteArrayList<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                got.add(String.valueOf(q.take()));
            } catch (InterruptedException e) {
                got.add(e);
            }
        });
        q.close();
        t.join(5_000);
        assertThat(got).containsExactly("null");
    }

    @Test
    void loopRetriesFailuresWithBackoffThenSucceeds() throws Exception {
        WorkQueue<String> q = new WorkQueue<>("t", FAST);
        AtomicInteger calls = new AtomicInteger();
        ConcurrentHashMap<String, Boolean> done = new ConcurrentHashMap<>();
        try (ControllerLoop<String> loop = new ControllerLoop<>("t", q, key -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            done.put(key, true);
        }, 15).start(2)) {
            q.add("x");
            await().atMost(Duration.ofSeconds(5)).until(() -> done.containsKey("x"));
            assertThat(calls).hasValue(3);
            await().atMost(Duration.ofSeconds(5)).until(() -> q.failures("x") == 0);
        }
    }

    @Test
    void loopGivesUpAfterMaxRetries() throws Exception {
        WorkQueue<String> q = new WorkQueue<>("t", FAST);
        AtomicInteger calls = new AtomicInteger();
        try (ControllerLoop<String> loop = new ControllerLoop<>("t", q, key -> {
            calls.incrementAndGet();
            throw new IllegalStateException("never");
        }, 3).start(1)) {
            q.add("x");
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 4 && q.failures("x") == 0);
        }
    }
}
