package dev.ferry.proxy.dataplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP server for tests, one thread per connection: virtual by default (thousands of idle connections are cheap),
 * platform threads on request (with hundreds of connections of every {@link Mode} at once, virtual-thread backends
 * stalled their accept loops in the test JVM, whichever proxy was in front). On accept it records the peer's address
 * and sends its name and a newline; then it behaves as its {@link Mode} says.
 */
final class TcpBackend implements AutoCloseable {
    enum Mode {
        /** Echo every byte; close after the client's FIN. */
        ECHO,
        /** Never read (the client's data piles up in buffers). */
        SINK,
        /** Read until the client's FIN, then send "got N\n" and close. */
        COUNT_THEN_CLOSE,
        /** Read one line, then close with a reset (SO_LINGER 0). */
        RESET_AFTER_LINE,
        /** Send {@link #BYTES_THEN_CLOSE} bytes (0, 1, 2, ... mod 251) after the name line, then close. */
        SEND_THEN_CLOSE
    }

    /** What {@link Mode#SEND_THEN_CLOSE} sends: more than the proxy's buffer and the sockets' buffers together. */
    static final int BYTES_THEN_CLOSE = 8 << 20;

    final String name;
    final InetSocketAddress address;
    final List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();
    final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Mode mode;
    private final CountDownLatch closed = new CountDownLatch(1);

    private final Thread.Builder threads;

    TcpBackend(String name, InetSocketAddress address, Mode mode) throws IOException {
        this(name, address, mode, false);
    }

    TcpBackend(String name, InetSocketAddress address, Mode mode, boolean platformThreads) throws IOException {
        this.threads = platformThreads ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
        this.name = name;
        this.mode = mode;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 4096);
        this.address = (InetSocketAddress) server.getLocalSocketAddress();
        threads.name("backend-" + name).start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.add(s);
                peers.add((InetSocketAddress) s.getRemoteSocketAddress());
                threads.name("backend-" + name + "-conn").start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            OutputStream out = s.getOutputStream();
            out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            switch (mode) {
                case ECHO -> {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
                case SINK -> closed.await();
                case COUNT_THEN_CLOSE -> {
                    long total = 0;
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        total += n;
                    }
                    out.write(("got " + total + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                case RESET_AFTER_LINE -> {
                    while (in.read() != '\n') {
                        // the line
                    }
                    s.setSoLinger(true, 0);
                }
                case SEND_THEN_CLOSE -> {
                    for (int i = 0; i < BYTES_THEN_CLOSE; i += buf.length) {
                        for (int j = 0; j < buf.length; j++) {
                            buf[j] = (byte) ((i + j) % 251);
                        }
                        out.write(buf, 0, Math.min(buf.length, BYTES_THEN_CLOSE - i));
                    }
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the peer went away
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
