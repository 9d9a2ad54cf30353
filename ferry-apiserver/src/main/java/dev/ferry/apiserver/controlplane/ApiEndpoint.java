package dev.ferry.apiserver.controlplane;

import dev.ferry.api.net.IpAddresses;
import java.util.Comparator;

/**
 * Where one API server is reached: an IP (canonical text) and the port it listens on. The identity of an API server
 * in the endpoints of the {@code kubernetes} Service: upstream keys its master leases by IP alone because every
 * kube-apiserver of a cluster listens on the same port; Ferry's API servers often share 127.0.0.1 and differ by port.
 */
public record ApiEndpoint(String ip, int port) implements Comparable<ApiEndpoint> {
    /** Upstream sorts the addresses as strings ({@code sets.List}); equal addresses by port. */
    private static final Comparator<ApiEndpoint> ORDER =
            Comparator.comparing(ApiEndpoint::ip).thenComparingInt(ApiEndpoint::port);

    public ApiEndpoint {
        String canonical = IpAddresses.canonical(ip);
        if (canonical == null) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        ip = canonical;
    }

    /**
     * The endpoint an API server listening on {@code listenHost:port} advertises: the listen address when it is a
     * specific IP, else 127.0.0.1 (a wildcard address, a host name): Ferry keeps all traffic on loopback.
     */
    public static ApiEndpoint advertised(String listenHost, int port) {
        String host = listenHost.startsWith("[") && listenHost.endsWith("]")
                ? listenHost.substring(1, listenHost.length() - 1) : listenHost;
        byte[] ip = IpAddresses.parse(host);
        if (ip == null || IpAddresses.isUnspecified(ip)) {
            return new ApiEndpoint("127.0.0.1", port);
        }
        return new ApiEndpoint(host, port);
    }

    public boolean isIPv6() {
        return IpAddresses.isIPv6(ip);
    }

    /** "IPv4" or "IPv6": the EndpointSlice address type of {@link #ip}. */
    public String addressType() {
        return isIPv6() ? "IPv6" : "IPv4";
    }

    @Override
    public int compareTo(ApiEndpoint o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return isIPv6() ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
