package dev.ferry.cli;

import dev.ferry.api.net.IpAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parsing of flag values shared by the options classes; errors name the flag and the value. */
final class Flags {
    private Flags() {
    }

    /** {@code text} as an IP address (no name lookup). */
    static InetAddress inet(String flag, String text) {
        byte[] b = IpAddresses.parse(text);
        if (b == null) {
            throw new IllegalArgumentException(flag + " must be an IP address, got " + text);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** {@code IP}, {@code IPv4:PORT}, {@code IPv6} or {@code [IPv6]:PORT}; the port defaults to {@code port}. */
    static InetSocketAddress socketAddress(String flag, String text, int port) {
        String s = text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || (close + 1 < s.length() && s.charAt(close + 1) != ':')) {
                throw new IllegalArgumentException(flag + " must be IP or [IP]:PORT, got " + text);
            }
            return new InetSocketAddress(inet(flag, s.substring(1, close)),
                    close + 1 < s.length() ? port(flag, s.substring(close + 2)) : port);
        }
        int colon = s.indexOf(':');
        if (colon > 0 && colon == s.lastIndexOf(':')) {
            return new InetSocketAddress(inet(flag, s.substring(0, colon)), port(flag, s.substring(colon + 1)));
        }
        return new InetSocketAddress(inet(flag, s), port);
    }

    /** {@code text} as a port, 0..65535. */
    static int port(String flag, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(flag + ": port must be 0..65535, got " + text);
    }
}
