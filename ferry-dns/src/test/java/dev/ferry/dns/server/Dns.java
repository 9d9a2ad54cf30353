package dev.ferry.dns.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Test helpers: addresses of this suite's own loopback range (127.53.x.y), raw queries over UDP and TCP, dig. */
final class Dns {
    private Dns() {
    }

    static InetSocketAddress randomLoopback() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        try {
            return new InetSocketAddress(InetAddress.getByName("127.53." + r.nextInt(1, 255) + "." + r.nextInt(1, 255)),
                    0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Message query(String name, int type, boolean edns, int payload) {
        Message m = Message.newQuery(Record.newRecord(StaticAuthority.name(name), type, DClass.IN));
        if (edns) {
            m.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
        }
        return m;
    }

    /** Sends {@code query} over UDP and returns the raw response, or null when none came within 2 s. */
    static byte[] udp(InetSocketAddress server, byte[] query) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(2000);
            s.send(new DatagramPacket(query, query.length, server));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return Arrays.copyOf(buf, p.getLength());
        }
    }

    static Message udp(InetSocketAddress server, Message query) throws IOException {
        byte[] r = udp(server, query.toWire());
        return r == null ? null : new Message(r);
    }

    /** Sends each query over one TCP connection, then reads {@code responses} framed messages. */
    static List<Message> tcp(InetSocketAddress server, int responses, byte[]... queries) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, 2000);
            s.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            for (byte[] q : queries) {
                out.writeShort(q.length);
                out.write(q);
            }
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            Message[] got = new Message[responses];
            for (int i = 0; i < responses; i++) {
                byte[] b = new byte[in.readUnsignedShort()];
                in.readFully(b);
                got[i] = new Message(b);
            }
            return List.of(got);
        }
    }

    record Dig(int exit, String output) {
    }

    /** Runs /usr/bin/dig with {@code args} against {@code server}. */
    static Dig dig(InetSocketAddress server, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/dig", "@" + server.getAddress().getHostAddress(),
                "-p", String.valueOf(server.getPort()), "+time=3", "+tries=2"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Dig(p.waitFor(), out);
    }
}
