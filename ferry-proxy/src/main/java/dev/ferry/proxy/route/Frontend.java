package dev.ferry.proxy.route;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An address the proxy listens on: a ClusterIP, node, external or load-balancer address with a port. A value:
 * equal when address, port and protocol are. The hash is computed once: every sync looks each served frontend up
 * in the data plane's maps, so with thousands of frontends hashing must not reach into the address object.
 */
public final class Frontend {
    private final InetAddress address;
    private final int port;
    private final Protocol protocol;
    private final int hash;

    public Frontend(InetAddress address, int port, Protocol protocol) {
        this.address = Objects.requireNonNull(address, "address");
        this.port = port;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.hash = (address.hashCode() * 31 + port) * 31 + protocol.ordinal();
    }

    public InetAddress address() {
        return address;
    }

    public int port() {
        return port;
    }

    public Protocol protocol() {
        return protocol;
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Frontend f && f.hash == hash && f.port == port
                && f.protocol == protocol && f.address.equals(address));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return protocol + " " + address.getHostAddress() + ":" + port;
    }
}
