package dev.ferry.proxy.dataplane;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A UDP server for tests: answers each datagram with "name:payload" and records the senders. */
final class UdpBackend implements AutoCloseable {
    final String name;
    final InetSocketAddress address;
    final List<SocketAddress> senders = new CopyOnWriteArrayList<>();
    private final DatagramSocket socket;

    UdpBackend(String name, InetSocketAddress address) throws IOException {
        this.name = name;
        this.socket = new DatagramSocket(address);
        this.address = (InetSocketAddress) socket.getLocalSocketAddress();
        Thread.ofVirtual().name("udp-backend-" + name).start(this::loop);
    }

    private void loop() {
        byte[] buf = new byte[65536];
        while (!socket.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                socket.receive(in);
                senders.add(in.getSocketAddress());
                byte[] answer = (name + ":" + new String(buf, 0, in.getLength(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
            } catch (IOException e) {
                // closed
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
