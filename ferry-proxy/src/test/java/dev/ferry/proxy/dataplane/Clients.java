package dev.ferry.proxy.dataplane;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Blocking test clients; every read is bounded so a hang fails the test instead of stalling it. */
final class Clients {
    static final int READ_TIMEOUT_MILLIS = 10_000;

    private Clients() {
    }

    static Socket connect(InetSocketAddress to, InetAddress from) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        if (from != null) {
            s.bind(new InetSocketAddress(from, 0));
        }
        s.connect(to, READ_TIMEOUT_MILLIS);
        return s;
    }

    /** The next line without its newline, or null at the end of the stream before any byte. */
    static String readLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    static void writeLine(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    /** Sends a line through an echoing backend and returns what came back. */
    static String echo(Socket s, String line) throws IOException {
        writeLine(s, line);
        return readLine(s);
    }
}
