package dev.ferry.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resolver on 127.0.0.1 standing in for the host's upstream: it answers every A query with {@link #ADDRESS}
 * (TTL 60) and counts the queries it got, so a test can see what the cluster DNS forwarded and what it cached.
 */
final class StubUpstream implements AutoCloseable {
    static final byte[] ADDRESS = {(byte) 192, 0, 2, 7};
    private final DatagramSocket socket;
    private final AtomicInteger queries = new AtomicInteger();

    StubUpstream() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("stub-upstream").start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                byte[] reply = answer(buf, p.getLength());
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The query with QR, AA and RA set and one A record (owner: a pointer to the question name); null if odd. */
    static byte[] answer(byte[] q, int length) {
        int end = 12;
        while (end < length && q[end] != 0) {
            end += (q[end] & 0xff) + 1;
        }
        end += 5;
        if (length < 17 || end > length) {
            return null;
        }
        byte[] r = new byte[end + 16];
        System.arraycopy(q, 0, r, 0, end);
        r[2] = (byte) (0x84 | (q[2] & 0x01));
        r[3] = (byte) 0x80;
        r[7] = 1;
        r[8] = r[9] = r[10] = r[11] = 0;
        byte[] rr = {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ADDRESS[0], ADDRESS[1], ADDRESS[2], ADDRESS[3]};
        System.arraycopy(rr, 0, r, end, rr.length);
        return r;
    }

    @Override
    public void close() {
        socket.close();
    }
}
