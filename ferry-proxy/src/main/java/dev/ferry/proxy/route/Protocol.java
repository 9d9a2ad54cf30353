package dev.ferry.proxy.route;

/** Layer-4 protocol of a service port the proxy serves. SCTP is not served. */
public enum Protocol {
    TCP,
    UDP
}
