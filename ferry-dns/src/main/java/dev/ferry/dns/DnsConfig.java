package dev.ferry.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the cluster DNS runs.
 *
 * @param zone the cluster domain, without the trailing dot (e.g. {@code cluster.local})
 * @param ttlSeconds TTL of every record the zone serves (CoreDNS's kubernetes plugin default: 5)
 * @param listen addresses served over UDP and TCP; the first one is the {@code kube-dns} Service's cluster IP and
 *     the glue of the zone's NS record
 * @param upstreams resolvers for names outside the zone; empty means those names are REFUSED
 * @param httpBind where {@code /metrics}, {@code /health} and {@code /ready} are served, or null for nowhere
 * @param ensureService create the {@code kube-system/kube-dns} Service at the first listen address when it is missing
 */
public record DnsConfig(
        String zone,
        long ttlSeconds,
        List<InetSocketAddress> listen,
        List<InetSocketAddress> upstreams,
        InetSocketAddress httpBind,
        boolean ensureService) {

    public static final long DEFAULT_TTL_SECONDS = 5;
    /** How long {@link ClusterDns#start} waits for the caches before it serves anyway (CoreDNS: 5 s). */
    public static final Duration SYNC_WAIT = Duration.ofSeconds(5);

    public DnsConfig {
        if (zone == null || zone.isBlank() || zone.endsWith(".") || zone.startsWith(".")) {
            throw new IllegalArgumentException("cluster domain must be a name like cluster.local, got " + zone);
        }
        if (ttlSeconds < 0 || ttlSeconds > 3600) {
            throw new IllegalArgumentException("DNS TTL must be within 0..3600 seconds, got " + ttlSeconds);
        }
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("the DNS server needs at least one listen address");
        }
        listen = List.copyOf(listen);
        upstreams = List.copyOf(upstreams);
    }

    /** The address the zone names as its name server and the {@code kube-dns} Service gets. */
    public InetAddress serviceIp() {
        return listen.getFirst().getAddress();
    }
}
