package dev.ferry.proxy.route;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** An address the proxy listens on: a ClusterIP, node, external or load-balancer address with a port. */
public record Frontend(InetAddress address, int port, Protocol protocol) {

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    @Override
    public String toString() {
        return protocol + " " + address.getHostAddress() + ":" + port;
    }
}
