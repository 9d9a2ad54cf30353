package dev.ferry.bench.proxy;

import dev.ferry.bench.dns.DnsWire;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic that makes the JIT compile the proxy's data path before it is measured: the same kinds of requests the
 * peer benchmarks send (HTTP to the nginx backends, DNS queries to the NSD backends), from a few virtual threads.
 */
final class Warmup {
    private static final byte[] SMALL = "GET /small HTTP/1.1\r\nHost: warmup\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SMALL_CLOSE = "GET /small HTTP/1.1\r\nHost: warmup\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BIG = "GET /big HTTP/1.1\r\nHost: warmup\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private Warmup() {
    }

    /**
     * HTTP through {@code proxy} for {@code nanos}: small keep-alive, small connection-per-request, 1 MiB bodies, and
     * clients that leave mid-request ({@link #abandon}).
     */
    static String http(InetSocketAddress proxy, long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        LongAdder requests = new LongAdder();
        LongAdder errors = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().daemon().start(() -> abandon(proxy, end, requests, errors)));
        for (int i = 0; i < 8; i++) {
            byte[] request = i < 3 ? SMALL : i < 6 ? SMALL_CLOSE : BIG;
            boolean close = request == SMALL_CLOSE;
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                while (System.nanoTime() < end) {
                    try (Socket s = new Socket()) {
                        s.setSoTimeout(2000);
                        s.connect(proxy, 2000);
                        InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
                        OutputStream out = s.getOutputStream();
                        do {
                            out.write(request);
                            readResponse(in);
                            requests.increment();
                        } while (!close && System.nanoTime() < end);
                    } catch (IOException e) {
                        errors.increment();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return requests.sum() + " HTTP requests (" + errors.sum() + " errors)";
    }

    /**
     * Clients that leave with a request in flight, as every wrk run does when it ends: a close (FIN) right after the
     * request, so the answer meets a closed socket, and a reset (SO_LINGER 0) before the answer. Without them the
     * proxy's error and reset paths are first taken while it is measured, and the JIT's deoptimisation and
     * recompilation land in the next rep.
     */
    private static void abandon(InetSocketAddress proxy, long end, LongAdder requests, LongAdder errors) {
        for (long n = 0; System.nanoTime() < end; n++) {
            try (Socket s = new Socket()) {
                s.connect(proxy, 2000);
                if ((n & 1) == 0) {
                    s.setSoLinger(true, 0);
                }
                s.getOutputStream().write(SMALL);
                requests.increment();
                if ((n & 3) == 3) {
                    Thread.sleep(0, 200_000);
                }
            } catch (IOException e) {
                errors.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in the response header");
            }
            header.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
        }
        long length = 0;
        for (String line : header.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        in.skipNBytes(length);
    }

    /** DNS queries (svc-N.default.svc.cluster.local A) through {@code proxy} for {@code nanos}, from 8 sockets. */
    static String dns(InetSocketAddress proxy, long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        LongAdder answers = new LongAdder();
        LongAdder lost = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    s.setSoTimeout(200);
                    byte[] in = new byte[4096];
                    for (int n = 0; System.nanoTime() < end; n++) {
                        byte[] q = DnsWire.queryA(n & 0xffff, "svc-" + (n % 10_000) + ".default.svc.cluster.local");
                        s.send(new DatagramPacket(q, q.length, proxy));
                        try {
                            s.receive(new DatagramPacket(in, in.length));
                            answers.increment();
                        } catch (SocketTimeoutException e) {
                            lost.increment();
                        }
                    }
                } catch (IOException e) {
                    lost.increment();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return answers.sum() + " DNS answers (" + lost.sum() + " lost)";
    }
}
