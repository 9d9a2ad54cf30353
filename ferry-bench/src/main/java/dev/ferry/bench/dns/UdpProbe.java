package dev.ferry.bench.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/** One connected UDP socket asking A queries one at a time; answers with another ID (late ones) are skipped. */
final class UdpProbe implements AutoCloseable {
    private final DatagramSocket socket;
    private final byte[] buffer = new byte[4096];
    private int nextId;

    UdpProbe(InetSocketAddress server, int timeoutMillis) throws IOException {
        socket = new DatagramSocket();
        socket.connect(server);
        socket.setSoTimeout(timeoutMillis);
    }

    /** The answer to an A query for {@code name}, or null when none came within the timeout. */
    DnsWire.Answer ask(String name) throws IOException {
        int id = nextId = (nextId + 1) & 0xffff;
        byte[] q = DnsWire.queryA(id, name);
        socket.send(new DatagramPacket(q, q.length));
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        while (true) {
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            DnsWire.Answer a = DnsWire.parse(buffer, p.getLength());
            if (a.id() == id) {
                return a;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
