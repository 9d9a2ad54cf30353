package dev.ferry.dns.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * A tiny upstream resolver for the forwarder's tests, on a loopback address of its own over UDP and TCP (one port):
 * answers from a map of names, NXDOMAIN with an SOA (TTL 60, minimum 10) otherwise; names in {@link #truncateOverUdp}
 * are answered over UDP with TC and no records, so the client must retry over TCP. Counts the queries it gets.
 */
final class TinyUpstream implements AutoCloseable {
    final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    final java.util.Set<String> truncateOverUdp = ConcurrentHashMap.newKeySet();
    final AtomicInteger udpQueries = new AtomicInteger();
    final AtomicInteger tcpQueries = new AtomicInteger();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final InetSocketAddress address;
    private volatile boolean closed;

    TinyUpstream() throws IOException {
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; t == null; attempt++) {
            u = new DatagramSocket(Dns.randomLoopback());
            try {
                t = new ServerSocket();
                t.bind(u.getLocalSocketAddress());
            } catch (IOException e) {
                u.close();
                t = null;
                if (attempt > 5) {
                    throw e;
                }
            }
        }
        udp = u;
        tcp = t;
        address = (InetSocketAddress) u.getLocalSocketAddress();
        Thread.ofPlatform().daemon().start(this::serveUdp);
        Thread.ofPlatform().daemon().start(this::serveTcp);
    }

    InetSocketAddress address() {
        return address;
    }

    private Message answer(Message q, boolean overUdp) {
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.RA);
        if (q.getHeader().getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        Record question = q.getQuestion();
        r.addRecord(question, Section.QUESTION);
        String name = question.getName().toString().toLowerCase(Locale.ROOT);
        if (overUdp && truncateOverUdp.contains(name)) {
            r.getHeader().setFlag(Flags.TC);
            return r;
        }
        List<Record> rs = records.get(name);
        if (rs == null) {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
            Name zone = StaticAuthority.name("example.org.");
            r.addRecord(new SOARecord(zone, DClass.IN, 60, StaticAuthority.name("ns.example.org."),
                    StaticAuthority.name("h.example.org."), 1, 60, 60, 60, 10), Section.AUTHORITY);
        } else {
            for (Record rec : rs) {
                r.addRecord(rec, Section.ANSWER);
            }
        }
        return r;
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                udpQueries.incrementAndGet();
                Message q = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                byte[] out = answer(q, true).toWire(1232);
                udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                // closed, or a bad packet
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                Socket s = tcp.accept();
                Thread.ofPlatform().daemon().start(() -> {
                    try (s) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        DataOutputStream out = new DataOutputStream(s.getOutputStream());
                        while (true) {
                            byte[] b = new byte[in.readUnsignedShort()];
                            in.readFully(b);
                            tcpQueries.incrementAndGet();
                            byte[] r = answer(new Message(b), false).toWire();
                            out.writeShort(r.length);
                            out.write(r);
                            out.flush();
                        }
                    } catch (IOException | RuntimeException e) {
                        // the client is done
                    }
                });
            } catch (IOException e) {
                // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        udp.close();
        tcp.close();
    }
}
