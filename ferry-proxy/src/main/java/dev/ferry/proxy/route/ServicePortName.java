package dev.ferry.proxy.route;

/** Identity of one port of one Service, as kube-proxy names it: {@code namespace/name:port}. */
public record ServicePortName(String namespace, String name, String port, Protocol protocol) {

    @Override
    public String toString() {
        return port.isEmpty() ? namespace + "/" + name : namespace + "/" + name + ":" + port;
    }
}
