package dev.ferry.proxy.dataplane;

import io.netty.channel.IoEventLoopGroup;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every listener, connection and flow of one {@link NettyDataPlane} shares. Thread-safe. */
final class Plane {
    static final Logger LOG = LoggerFactory.getLogger(NettyDataPlane.class);

    final DataPlaneConfig config;
    final IoEventLoopGroup loops;
    final Traffic traffic = new Traffic();
    /** Client TCP connections accepted and not yet closed, bounded by {@link DataPlaneConfig#maxConnections()}. */
    final AtomicInteger openConnections = new AtomicInteger();
    final LongAdder connectionsOverLimit = new LongAdder();
    final LongAdder connectionsRefused = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder datagramsDropped = new LongAdder();
    final LongAdder acceptErrors = new LongAdder();
    final RateLimitedLog acceptWarnings = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
    final long connectTimeoutMillis;

    /*
     * Tuning knobs, for benchmarks (system properties; the defaults are what the benchmarks chose):
     * reads per readiness event of a TCP socket, and datagrams per readiness event of a UDP socket, before the loop
     * serves others.
     */
    static final int TCP_READS_PER_EVENT = Integer.getInteger("ferry.dataplane.tcpReadsPerEvent", 16);
    static final int UDP_DATAGRAMS_PER_EVENT = Integer.getInteger("ferry.dataplane.udpDatagramsPerEvent", 32);

    /** Bytes a handler moves at once: one TCP read, or any UDP datagram (at most 65,535 bytes, so none is cut). */
    static final int SCRATCH_SIZE = 64 * 1024;
    private static final FastThreadLocal<ByteBuffer> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
            return ByteBuffer.allocateDirect(SCRATCH_SIZE);
        }
    };

    Plane(DataPlaneConfig config, IoEventLoopGroup loops) {
        this.config = config;
        this.loops = loops;
        this.connectTimeoutMillis = Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
    }

    /** Takes a connection slot; false (and counted) when {@link DataPlaneConfig#maxConnections()} are open. */
    boolean tryOpenConnection() {
        if (openConnections.incrementAndGet() > config.maxConnections()) {
            openConnections.decrementAndGet();
            connectionsOverLimit.increment();
            return false;
        }
        return true;
    }

    void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /**
     * The calling event loop's scratch buffer (direct, {@link #SCRATCH_SIZE} bytes), shared by every socket handler
     * on that loop: what a handler reads into it is valid until that handler returns.
     */
    static ByteBuffer scratch() {
        return SCRATCH.get();
    }
}
