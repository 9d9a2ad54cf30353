package dev.ferry.agent.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A UDP DNS server for tests: answers A queries for the names it was given (absolute, lower case, with the trailing
 * dot), NODATA for their other types, NXDOMAIN for any other name, and records every question name it is asked.
 */
public final class FakeDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, InetAddress> names;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public FakeDnsServer(InetSocketAddress bind, Map<String, InetAddress> names) throws IOException {
        this.socket = new DatagramSocket(bind);
        this.names = Map.copyOf(names);
        this.thread = Thread.ofVirtual().name("fake-dns").start(this::serve);
    }

    /** The question names asked so far, in order ("web.default.svc.ferry.test."). */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] reply = answer(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()));
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                // closed, or a malformed query: nothing to answer
            }
        }
    }

    private byte[] answer(ByteBuffer query) {
        short id = query.getShort(0);
        int position = 12;
        StringBuilder name = new StringBuilder();
        int length;
        while ((length = query.get(position) & 0xff) != 0) {
            name.append(new String(query.array(), query.arrayOffset() + position + 1, length,
                    StandardCharsets.US_ASCII)).append('.');
            position += length + 1;
        }
        int questionEnd = position + 5;
        int type = query.getShort(position + 1) & 0xffff;
        String qname = name.isEmpty() ? "." : name.toString().toLowerCase(Locale.ROOT);
        asked.add(qname);
        InetAddress address = names.get(qname);
        boolean answers = address != null && type == 1;
        ByteBuffer out = ByteBuffer.allocate(questionEnd + 16);
        out.putShort(id);
        out.putShort((short) (0x8180 | (address == null ? 3 : 0)));
        out.putShort((short) 1).putShort((short) (answers ? 1 : 0)).putShort((short) 0).putShort((short) 0);
        out.put(query.array(), query.arrayOffset() + 12, questionEnd - 12);
        if (answers) {
            out.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(5).putShort((short) 4)
                    .put(address.getAddress());
        }
        byte[] reply = new byte[out.position()];
        out.flip().get(reply);
        return reply;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join();
    }
}
