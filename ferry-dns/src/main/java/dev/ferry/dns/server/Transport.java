package dev.ferry.dns.server;

/** How a query arrived; the metrics' {@code proto} label. */
enum Transport {
    UDP("udp"), TCP("tcp");

    final String label;

    Transport(String label) {
        this.label = label;
    }
}
