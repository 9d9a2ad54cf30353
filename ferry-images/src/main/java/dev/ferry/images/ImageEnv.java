package dev.ferry.images;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What a built-in image reads from its environment (the node agent sets POD_IP and HOSTNAME for every container), and
 * the process conventions all built-in images share.
 */
final class ImageEnv {
    private ImageEnv() {
    }

    /** The address to bind: $POD_IP, or the wildcard address when unset (outside Ferry). */
    static InetAddress bindAddress() {
        String ip = System.getenv("POD_IP");
        try {
            return InetAddress.getByName(ip == null || ip.isBlank() ? "0.0.0.0" : ip.trim());
        } catch (UnknownHostException e) {
            throw fatal("POD_IP=" + ip + " is not an IP address");
        }
    }

    /** $PORT, or {@code defaultPort} when unset. */
    static int port(int defaultPort) {
        String port = System.getenv("PORT");
        if (port == null || port.isBlank()) {
            return defaultPort;
        }
        try {
            int p = Integer.parseInt(port.trim());
            if (p < 0 || p > 65535) {
                throw fatal("PORT=" + port + " is not a port number");
            }
            return p;
        } catch (NumberFormatException e) {
            throw fatal("PORT=" + port + " is not a port number");
        }
    }

    /** A non-negative integer from the environment, or {@code defaultValue} when unset. */
    static int intValue(String name, int defaultValue) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw fatal(name + "=" + value + " is not a non-negative integer");
    }

    /** The pod name: $HOSTNAME (set by the agent), else the host name. */
    static String podName() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * SIGTERM (and SIGINT) end the process promptly with status 0, as a well-behaved container does, instead of the
     * JVM's default 143. Halting inside a shutdown hook sets the exit status; nothing else needs to run.
     */
    static void exitZeroOnTerm() {
        onTerm(() -> { });
    }

    /** On SIGTERM runs {@code beforeExit} (a graceful drain), then halts with status 0. */
    static void onTerm(Runnable beforeExit) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                beforeExit.run();
            } finally {
                Runtime.getRuntime().halt(0);
            }
        }, "sigterm"));
    }

    /** Prints one line to stderr and halts with status 1 (bypassing the exit-0 shutdown hook). */
    static RuntimeException fatal(String message) {
        System.err.println(message);
        System.err.flush();
        Runtime.getRuntime().halt(1);
        return new IllegalStateException(message);
    }

    static String hostPort(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
