package dev.ferry.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Real network clients of Services answered by {@code ferry/serve-hostname}: one pod name per connection. */
final class ServiceClients {
    static final int TIMEOUT_MILLIS = 5_000;

    private ServiceClients() {
    }

    /** Connects to ip:port (from {@code source} when not null), sends a newline and returns the answered pod name. */
    static String hostname(String ip, int port, String source) throws IOException {
        try (Socket s = new Socket()) {
            if (source != null) {
                s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            }
            s.connect(new InetSocketAddress(InetAddress.getByName(ip), port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write('\n');
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    static String hostname(String ip, int port) throws IOException {
        return hostname(ip, port, null);
    }

    /** {@code n} connections to ip:port: how many each pod answered. */
    static Map<String, Integer> spread(String ip, int port, int n, String source) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(hostname(ip, port, source), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * One UDP datagram to ip:port from a socket connected to it; returns the answer and checks it came from ip:port.
     * An ICMP port unreachable answer is a {@link java.net.PortUnreachableException}.
     */
    static String udpHostname(String ip, int port) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(TIMEOUT_MILLIS);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(ip), port);
            s.connect(to);
            s.send(new DatagramPacket(new byte[] {'?'}, 1, to));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            s.receive(reply);
            if (!reply.getSocketAddress().equals(to)) {
                throw new IOException("UDP reply came from " + reply.getSocketAddress() + ", not " + to);
            }
            return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8).strip();
        }
    }
}
