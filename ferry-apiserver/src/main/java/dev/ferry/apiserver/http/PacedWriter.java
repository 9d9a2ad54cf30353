package dev.ferry.apiserver.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Writes to a connection from a thread that is not its event loop, without waiting for each write: the writer blocks
 * only while more than {@link #MAX_PENDING_BYTES} are handed over but not yet written to the socket, and fails when a
 * client has read nothing for {@link #STALL}. Writes keep their order (one context runs them in submission order).
 */
final class PacedWriter {
    static final long MAX_PENDING_BYTES = 1 << 20;
    static final Duration STALL = Duration.ofSeconds(30);

    private final Context ctx;
    private final Function<Buffer, Future<Void>> write;
    private final Object lock = new Object();
    private long pending;
    private Throwable failure;

    PacedWriter(Context ctx, Function<Buffer, Future<Void>> write) {
        this.ctx = ctx;
        this.write = write;
    }

    void write(Buffer buf) throws Exception {
        long n = buf.length();
        synchronized (lock) {
            long deadline = System.nanoTime() + STALL.toNanos();
            while (pending > MAX_PENDING_BYTES && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("client did not read for " + STALL);
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            if (failure != null) {
                throw new java.io.IOException("write failed: " + failure, failure);
            }
            pending += n;
        }
        ctx.runOnContext(v -> write.apply(buf).onComplete((ok, err) -> {
            synchronized (lock) {
                pending -= n;
                if (err != null && failure == null) {
                    failure = err;
                }
                lock.notifyAll();
            }
        }));
    }
}
