package dev.ferry.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 GET on a new connection ({@code Connection: close}), so that every dial through a Service is a new
 * connection for the proxy to balance, as with curl. The host is resolved by the system resolver
 * ({@link InetAddress#getAllByName}); its addresses are tried in order. The response body is read by its
 * Content-Length, chunked encoding, or to the end of the stream; at most {@value #BODY_LIMIT} bytes are kept.
 */
final class HttpDial {
    static final int BODY_LIMIT = 1024 * 1024;

    /** The upstream's status and body. */
    record Response(int status, String body) {
    }

    /** A dial that got no HTTP response; the message is one line. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message.replace('\n', ' ').replace('\r', ' '));
        }
    }

    private HttpDial() {
    }

    /**
     * @param path the request target, starting with '/' (sent as given: already URL-encoded)
     * @param timeout for the connect, and for each read
     */
    static Response get(String host, int port, String path, Duration timeout) throws Failure {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Failure("unknown host " + host);
        }
        IOException last = null;
        for (InetAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: " + authority + ":" + port
                        + "\r\nUser-Agent: ferry-echo\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return read(socket.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new Failure("timed out after " + timeout.toSeconds() + " s talking to "
                        + ImageEnv.hostPort(address, port));
            } catch (IOException e) {
                last = e;
            }
        }
        throw new Failure(last == null ? "no address for " + host
                : last.getClass().getSimpleName() + (last.getMessage() == null ? "" : ": " + last.getMessage()));
    }

    private static Response read(InputStream raw) throws IOException, Failure {
        InputStream in = new java.io.BufferedInputStream(raw);
        String statusLine = line(in);
        String[] parts = statusLine == null ? new String[0] : statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new Failure("not an HTTP response: " + (statusLine == null ? "connection closed" : statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new Failure("not an HTTP status: " + statusLine);
        }
        long length = -1;
        boolean chunked = false;
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).strip();
            String value = header.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.toLowerCase().contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            String size;
            while ((size = line(in)) != null) {
                int semicolon = size.indexOf(';');
                long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                if (n == 0) {
                    break;
                }
                copy(in, body, n);
                line(in);
            }
        } else {
            copy(in, body, length);
        }
        return new Response(status, body.toString(StandardCharsets.UTF_8));
    }

    /** Copies {@code n} bytes (-1 = to the end), keeping at most {@link #BODY_LIMIT}. */
    private static void copy(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
        byte[] buffer = new byte[8192];
        long left = n < 0 ? Long.MAX_VALUE : n;
        while (left > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (r < 0) {
                return;
            }
            int room = BODY_LIMIT - out.size();
            if (room > 0) {
                out.write(buffer, 0, Math.min(room, r));
            }
            left -= r;
        }
    }

    /** A CRLF- or LF-terminated line in ISO-8859-1, without the terminator; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int end = s.length();
                return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
            }
            s.append((char) c);
        }
        return s.isEmpty() ? null : s.toString();
    }
}
