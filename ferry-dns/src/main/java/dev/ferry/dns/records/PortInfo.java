package dev.ferry.dns.records;

/**
 * One port of a Service or an EndpointSlice as DNS sees it.
 *
 * @param name the port name; empty when unnamed (unnamed ports get no {@code _<port>._<proto>} SRV name)
 * @param protocol TCP, UDP or SCTP as the API spells it (TCP when the API left it unset)
 * @param port the port number (for a slice, the target port)
 */
public record PortInfo(String name, String protocol, int port) {

    public PortInfo {
        name = name == null ? "" : name;
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }

    public boolean named() {
        return !name.isEmpty();
    }
}
