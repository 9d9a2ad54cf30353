package dev.ferry.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Closed-loop load: {@code clients} threads each send one request, wait for the whole answer, and send the next,
 * until {@code ops} requests were sent or the time cap passed. Latency is request start to last byte of the answer.
 */
final class ClosedLoop {

    /**
     * @param latency   of successful (2xx) requests
     * @param completed successful requests
     * @param errors    non-2xx answers and I/O failures
     * @param seconds   wall time of the whole run
     */
    record Result(Summary latency, int completed, int errors, String firstError, double seconds) {
        double perSecond() {
            return completed / seconds;
        }
    }

    private ClosedLoop() {
    }

    static Result run(HttpClient http, int ops, int clients, IntFunction<HttpRequest> op, Duration cap)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long deadline = System.nanoTime() + cap.toNanos();
        List<Samples> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Samples samples = new Samples();
            perThread.add(samples);
            threads.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < ops && System.nanoTime() < deadline) {
                    HttpRequest request = op.apply(i);
                    long start = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        long took = System.nanoTime() - start;
                        if (response.statusCode() / 100 == 2) {
                            samples.add(took);
                        } else {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, response.statusCode() + " "
                                    + new String(response.body(), StandardCharsets.UTF_8));
                        }
                    } catch (java.io.IOException e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Samples all = new Samples();
        perThread.forEach(all::addAll);
        return new Result(all.summary(), all.size(), errors.get(), firstError.get(), seconds);
    }
}
