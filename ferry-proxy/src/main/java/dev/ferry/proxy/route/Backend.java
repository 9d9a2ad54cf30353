package dev.ferry.proxy.route;

import java.net.InetSocketAddress;

/** One endpoint of a service port: the pod address and resolved target port traffic is sent to. */
public record Backend(InetSocketAddress address, String nodeName) {

    @Override
    public String toString() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
