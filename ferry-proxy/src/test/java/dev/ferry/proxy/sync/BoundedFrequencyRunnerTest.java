package dev.ferry.proxy.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Counts runs only; waits are Awaitility deadlines, generous so a loaded machine passes. "Stays at n" checks hold a
 * count for a short window: they can only fail if an extra run happens, never because the machine is slow.
 */
class BoundedFrequencyRunnerTest {
    private static final Duration LONG = Duration.ofHours(1);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(300);
    private final AtomicInteger runs = new AtomicInteger();
    private BoundedFrequencyRunner runner;

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    private void staysAt(int n) {
        await().during(QUIET).atMost(DEADLINE).untilAsserted(() -> assertThat(runs).hasValue(n));
    }

    @Test
    void requestsDuringARunCoalesceIntoOneMoreRun() throws InterruptedException {
        CountDownLatch inFirstRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        runner = new BoundedFrequencyRunner("t", () -> {
            if (runs.incrementAndGet() == 1) {
                inFirstRun.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, Duration.ZERO, LONG, 1, LONG);
        runner.start();
        runner.run();
        assertThat(inFirstRun.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 1000; i++) {
            runner.run();
        }
        release.countDown();
        await().atMost(DEADLINE).until(() -> runs.get() == 2);
        staysAt(2);
    }

    @Test
    void burstOfRequestsBeforeStartRunsOnce() {
        runner = new BoundedFrequencyRunner("t", runs::incrementAndGet, Duration.ZERO, LONG, 1, LONG);
        for (int i = 0; i < 100; i++) {
            runner.run();
        }
        runner.start();
        await().atMost(DEADLINE).until(() -> runs.get() == 1);
        staysAt(1);
    }

    @Test
    void noRunWithoutRequestBeforeMaxInterval() {
        runner = new BoundedFrequencyRunner("t", runs::incrementAndGet, Duration.ZERO, LONG, 1, LONG);
        runner.start();
        staysAt(0);
        runner.run();
        await().atMost(DEADLINE).until(() -> runs.get() == 1);
    }

    @Test
    void burstRunsBackToBackThenWaitsForMinInterval() {
        runner = new BoundedFrequencyRunner("t", runs::incrementAndGet, LONG, LONG, 2, LONG);
        runner.start();
        runner.run();
        await().atMost(DEADLINE).until(() -> runs.get() == 1);
        runner.run();
        await().atMost(DEADLINE).until(() -> runs.get() == 2);
        runner.run();
        staysAt(2);
    }

    @Test
    void failedRunIsRetriedWithoutANewRequest() {
        runner = new BoundedFrequencyRunner("t", () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("first run fails");
            }
        }, Duration.ZERO, LONG, 1, Duration.ofMillis(50));
        runner.start();
        runner.run();
        await().atMost(DEADLINE).until(() -> runs.get() == 2);
        staysAt(2);
    }

    @Test
    void runsPeriodicallyAtMaxInterval() {
        runner = new BoundedFrequencyRunner("t", runs::incrementAndGet, Duration.ZERO, Duration.ofMillis(50), 1,
                LONG);
        runner.start();
        await().atMost(DEADLINE).until(() -> runs.get() >= 3);
    }

    @Test
    void closeStopsRunning() {
        runner = new BoundedFrequencyRunner("t", runs::incrementAndGet, Duration.ZERO, Duration.ofMillis(50), 1,
                LONG);
        runner.start();
        await().atMost(DEADLINE).until(() -> runs.get() >= 1);
        runner.close();
        int after = runs.get();
        runner.run();
        staysAt(after);
    }
}
