package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Watch fan-out: {@code watchers} HTTP watches on the Services of one namespace (each its own connection, each
 * read by its own virtual thread), then {@code events} Service creates sent at a steady rate (open loop: a slow
 * answer does not delay the next create). For every (event, watcher) pair the delivery latency is the time from the
 * create's answer arriving to that watcher reading the event line; a watcher that reads the event before the answer
 * arrives counts as 0. Also reported: the same from the create's request start, and per event the latency of the
 * slowest watcher (all watchers have it).
 */
final class WatchFanout {
    private static final String SENTINEL = "sentinel";
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param perDelivery  from the create's answer to each watcher's read, over all (event, watcher) pairs
     * @param fromRequest  from the create's request start to each watcher's read
     * @param allWatchers  per event, from the create's answer to the last watcher's read
     * @param create       latency of the paced creates themselves
     * @param missing      (event, watcher) pairs not delivered within the settle timeout
     */
    record Result(int watchers, int events, double ratePerSecond, Summary perDelivery, Summary fromRequest,
            Summary allWatchers, Summary create, long delivered, long missing, int createErrors, int watchErrors) {
    }

    private WatchFanout() {
    }

    static Result run(HttpClient createHttp, HttpClient watchHttp, Api api, String namespace, int watchers,
            int events, int ratePerSecond) throws IOException, InterruptedException {
        String rv = Api.getJson(createHttp, api.listServices(namespace, 1, null))
                .path("metadata").path("resourceVersion").asString();
        AtomicLongArray[] received = new AtomicLongArray[watchers];
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger watchErrors = new AtomicInteger();
        CountDownLatch sawSentinel = new CountDownLatch(watchers);
        List<InputStream> streams = new CopyOnWriteArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int w = 0; w < watchers; w++) {
            AtomicLongArray row = new AtomicLongArray(events);
            received[w] = row;
            readers.add(Thread.ofVirtual().name("watcher-" + w).start(() -> {
                try {
                    HttpResponse<InputStream> response = watchHttp.send(api.watchServices(namespace, rv),
                            HttpResponse.BodyHandlers.ofInputStream());
                    streams.add(response.body());
                    if (response.statusCode() != 200) {
                        watchErrors.incrementAndGet();
                        response.body().close();
                        return;
                    }
                    boolean sentinelSeen = false;
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(),
                            StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            long now = System.nanoTime();
                            if (!"ADDED".equals(WatchEvents.type(line))) {
                                watchErrors.incrementAndGet();
                                continue;
                            }
                            String name = WatchEvents.objectName(line);
                            if (SENTINEL.equals(name)) {
                                if (!sentinelSeen) {
                                    sentinelSeen = true;
                                    sawSentinel.countDown();
                                }
                            } else if (name != null && name.startsWith("w-")) {
                                int index = Integer.parseInt(name.substring(2));
                                if (row.compareAndSet(index, 0, now)) {
                                    deliveries.incrementAndGet();
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    // the stream was closed at the end of the run, or the server dropped it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        HttpResponse<String> sentinel = createHttp.send(api.createService(namespace, SENTINEL),
                HttpResponse.BodyHandlers.ofString());
        if (sentinel.statusCode() != 201) {
            throw new IllegalStateException("sentinel create: " + sentinel.statusCode() + " " + sentinel.body());
        }
        if (!sawSentinel.await(SETTLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("only " + (watchers - sawSentinel.getCount()) + " of " + watchers
                    + " watchers saw the first event within " + SETTLE_TIMEOUT);
        }

        long[] sent = new long[events];
        AtomicLongArray answered = new AtomicLongArray(events);
        Samples createLatency = new Samples();
        AtomicInteger createErrors = new AtomicInteger();
        List<CompletableFuture<Void>> creates = new ArrayList<>(events);
        long periodNanos = 1_000_000_000L / ratePerSecond;
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            long due = start + i * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            sent[i] = System.nanoTime();
            creates.add(createHttp.sendAsync(api.createService(namespace, "w-%06d".formatted(i)),
                    HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
                        answered.set(index, System.nanoTime());
                        if (failure != null || response.statusCode() != 201) {
                            createErrors.incrementAndGet();
                        }
                        return null;
                    }));
        }
        double rate = events / ((System.nanoTime() - start) / 1e9);
        CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).join();
        long expected = (long) (events - createErrors.get()) * watchers;
        long settleDeadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (deliveries.get() < expected && System.nanoTime() < settleDeadline) {
            Thread.sleep(20);
        }
        for (InputStream s : streams) {
            s.close();
        }
        for (Thread t : readers) {
            t.join(5_000);
        }

        Samples perDelivery = new Samples();
        Samples fromRequest = new Samples();
        Samples allWatchers = new Samples();
        long delivered = 0;
        for (int i = 0; i < events; i++) {
            long answer = answered.get(i);
            createLatency.add(answer - sent[i]);
            long last = Long.MIN_VALUE;
            boolean complete = true;
            for (int w = 0; w < watchers; w++) {
                long at = received[w].get(i);
                if (at == 0) {
                    complete = false;
                    continue;
                }
                delivered++;
                perDelivery.add(Math.max(0, at - answer));
                fromRequest.add(at - sent[i]);
                last = Math.max(last, at);
            }
            if (complete) {
                allWatchers.add(Math.max(0, last - answer));
            }
        }
        return new Result(watchers, events, rate, perDelivery.summary(), fromRequest.summary(),
                allWatchers.summary(), createLatency.summary(), delivered, (long) events * watchers - delivered,
                createErrors.get(), watchErrors.get());
    }
}
