package dev.ferry.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The image {@code ferry/serve-hostname}: answers its pod name, like Kubernetes' {@code serve-hostname} test image
 * (the backend of the upstream Service tests).
 *
 * <ul>
 *   <li>TCP on $POD_IP:$PORT (default 9376): each connection gets the pod name and a newline, then is closed. When
 *       the client speaks first and its first bytes are an HTTP request line, the answer is an HTTP/1.1 200 response
 *       with the same text, so {@code curl} works. A client that sends nothing gets the name after $SNIFF_MILLIS
 *       (default {@value #DEFAULT_SNIFF_MILLIS}; long enough for an HTTP request to arrive through a proxy on a busy
 *       machine); one that sends anything else (a newline will do) gets it at once. SNIFF_MILLIS=0 turns HTTP off:
 *       every connection is answered immediately.</li>
 *   <li>UDP on the same address and port: every datagram is answered with the pod name (no newline), sent from the
 *       bound address.</li>
 *   <li>The pod name is $HOSTNAME. SIGTERM ends the process with status 0, gracefully: the TCP listener keeps
 *       accepting until no connection came for {@value #QUIET_MILLIS} ms (the proxies have dropped the endpoint),
 *       then closes (later connections are refused, so a service proxy tries another endpoint), and connections
 *       already accepted are answered first; all within {@value #DRAIN_MILLIS} ms.</li>
 * </ul>
 * Once both sockets are bound it prints one line {@code serve-hostname listening on <ip>:<port> tcp+udp} to stdout.
 * With PORT=0 the TCP port is ephemeral and UDP binds the same number.
 */
public final class ServeHostname {
    /** How long a new TCP connection may take to send its first bytes before it gets the plain answer. */
    static final int DEFAULT_SNIFF_MILLIS = 500;
    private static final int HEADER_LIMIT = 16 * 1024;
    private static final int HEADER_TIMEOUT_MILLIS = 5_000;
    static final int DRAIN_MILLIS = 2_000;
    /** Accepted connections not yet answered. */
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    /** After SIGTERM the listener stays open until no connection came for this long. */
    static final int QUIET_MILLIS = 100;
    /** System.nanoTime() of the last accepted connection. */
    private static final AtomicLong LAST_ACCEPT_NANOS = new AtomicLong(System.nanoTime());

    private ServeHostname() {
    }

    public static void main(String[] args) throws IOException {
        InetAddress address = ImageEnv.bindAddress();
        String name = ImageEnv.podName();
        byte[] plain = (name + "\n").getBytes(StandardCharsets.UTF_8);

        ServerSocket tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        int port = ImageEnv.port(9376);
        try {
            tcp.bind(new InetSocketAddress(address, port), 512);
        } catch (IOException e) {
            throw ImageEnv.fatal("serve-hostname: cannot bind " + ImageEnv.hostPort(address, port) + "/tcp: "
                    + e.getMessage());
        }
        port = tcp.getLocalPort();
        ImageEnv.onTerm(() -> drain(tcp));
        DatagramSocket udp;
        try {
            udp = new DatagramSocket(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw ImageEnv.fatal("serve-hostname: cannot bind " + ImageEnv.hostPort(address, port) + "/udp: "
                    + e.getMessage());
        }
        int sniffMillis = ImageEnv.intValue("SNIFF_MILLIS", DEFAULT_SNIFF_MILLIS);
        Thread acceptor = new Thread(() -> acceptLoop(tcp, plain, sniffMillis), "tcp-accept");
        acceptor.start();
        System.out.println("serve-hostname listening on " + ImageEnv.hostPort(address, port) + " tcp+udp, pod "
                + name);
        System.out.flush();
        udpLoop(udp, plain.length > 1 ? java.util.Arrays.copyOf(plain, plain.length - 1) : plain);
    }

    private static void udpLoop(DatagramSocket udp, byte[] reply) throws IOException {
        byte[] buffer = new byte[2048];
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        while (true) {
            in.setLength(buffer.length);
            udp.receive(in);
            udp.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
        }
    }

    /**
     * Keeps accepting until no connection came for {@link #QUIET_MILLIS} (the service proxies have dropped this pod's
     * endpoint), then closes the listener and waits for the accepted connections to be answered; all within
     * {@link #DRAIN_MILLIS}. Closing at once would reset the connections the kernel had queued but the acceptor had
     * not taken yet, which a proxy has already connected and cannot retry elsewhere.
     */
    private static void drain(ServerSocket tcp) {
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        long quietNanos = QUIET_MILLIS * 1_000_000L;
        waitUntil(() -> System.nanoTime() - LAST_ACCEPT_NANOS.get() >= quietNanos, deadline);
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
        waitUntil(() -> IN_FLIGHT.get() == 0, deadline);
    }

    /** Checks {@code done} every 5 ms until it holds, the deadline (System.nanoTime()) passes or an interrupt. */
    private static void waitUntil(BooleanSupplier done, long deadline) {
        while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void acceptLoop(ServerSocket tcp, byte[] plain, int sniffMillis) {
        while (!tcp.isClosed()) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                if (!tcp.isClosed()) {
                    System.err.println("serve-hostname: accept failed: " + e.getMessage());
                }
                continue;
            }
            IN_FLIGHT.incrementAndGet();
            LAST_ACCEPT_NANOS.set(System.nanoTime());
            if (sniffMillis <= 0) {
                answerPlain(socket, plain);
            } else {
                Thread.ofVirtual().start(() -> answer(socket, plain, sniffMillis));
            }
        }
    }

    private static void answerPlain(Socket socket, byte[] plain) {
        try (socket) {
            socket.getOutputStream().write(plain);
            socket.shutdownOutput();
        } catch (IOException e) {
            // the client went away
        } finally {
            IN_FLIGHT.decrementAndGet();
        }
    }

    private static void answer(Socket socket, byte[] plain, int sniffMillis) {
        try (socket) {
            socket.setSoTimeout(sniffMillis);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[HEADER_LIMIT];
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                n = 0;
            }
            if (n > 0 && HttpSniff.isRequestLine(buffer, n)) {
                socket.setSoTimeout(HEADER_TIMEOUT_MILLIS);
                int length = n;
                while (HttpSniff.headerEnd(buffer, length) < 0 && length < buffer.length) {
                    int more = in.read(buffer, length, buffer.length - length);
                    if (more < 0) {
                        break;
                    }
                    length += more;
                }
                boolean head = HttpSniff.startsWith(buffer, length, "HEAD ");
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                        + plain.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                if (!head) {
                    out.write(plain);
                }
            } else {
                out.write(plain);
            }
            out.flush();
            socket.shutdownOutput();
        } catch (IOException e) {
            // the client went away; nothing to answer
        } finally {
            IN_FLIGHT.decrementAndGet();
        }
    }
}
