package dev.ferry.dns.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link DnsServer} listens and what it may hold.
 *
 * @param listen addresses to serve on, each over UDP and TCP (port 0: a free port, the same for UDP and TCP)
 * @param eventLoops event-loop threads; each has its own SO_REUSEPORT UDP socket per address
 * @param maxUdpPayload the largest UDP response with EDNS (the OPT payload size this server advertises), 512..65535
 * @param tcpIdleTimeout a TCP connection with no complete query and nothing in flight for this long is closed
 * @param maxTcpConnections TCP connections open at once; more are accepted and closed at once
 * @param maxTcpInFlight queries of one TCP connection answered but not yet written (in order); reading pauses above it
 * @param answerCacheEntries the answer cache's bound (0: no cache)
 */
public record DnsServerConfig(List<InetSocketAddress> listen, int eventLoops, int maxUdpPayload,
        Duration tcpIdleTimeout, int maxTcpConnections, int maxTcpInFlight, int answerCacheEntries) {
    public static final int DEFAULT_MAX_UDP_PAYLOAD = 1232;
    public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_TCP_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_TCP_IN_FLIGHT = 32;
    public static final int DEFAULT_ANSWER_CACHE_ENTRIES = 65536;

    public DnsServerConfig {
        listen = List.copyOf(listen);
        Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("no listen address");
        }
        if (eventLoops < 1 || maxUdpPayload < 512 || maxUdpPayload > 65535 || maxTcpConnections < 1
                || maxTcpInFlight < 1 || answerCacheEntries < 0 || tcpIdleTimeout.isNegative()
                || tcpIdleTimeout.isZero()) {
            throw new IllegalArgumentException("invalid DNS server config: " + this);
        }
    }

    /** The defaults on {@code listen}: one event loop per CPU, 1232-byte EDNS payload, 10 s TCP idle timeout. */
    public static DnsServerConfig defaults(List<InetSocketAddress> listen) {
        return new DnsServerConfig(listen, Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_UDP_PAYLOAD,
                DEFAULT_TCP_IDLE_TIMEOUT, DEFAULT_MAX_TCP_CONNECTIONS, DEFAULT_MAX_TCP_IN_FLIGHT,
                DEFAULT_ANSWER_CACHE_ENTRIES);
    }

    public DnsServerConfig withEventLoops(int n) {
        return new DnsServerConfig(listen, n, maxUdpPayload, tcpIdleTimeout, maxTcpConnections, maxTcpInFlight,
                answerCacheEntries);
    }

    public DnsServerConfig withTcpIdleTimeout(Duration d) {
        return new DnsServerConfig(listen, eventLoops, maxUdpPayload, d, maxTcpConnections, maxTcpInFlight,
                answerCacheEntries);
    }

    public DnsServerConfig withMaxTcpConnections(int n) {
        return new DnsServerConfig(listen, eventLoops, maxUdpPayload, tcpIdleTimeout, n, maxTcpInFlight,
                answerCacheEntries);
    }

    public DnsServerConfig withAnswerCacheEntries(int n) {
        return new DnsServerConfig(listen, eventLoops, maxUdpPayload, tcpIdleTimeout, maxTcpConnections,
                maxTcpInFlight, n);
    }
}
