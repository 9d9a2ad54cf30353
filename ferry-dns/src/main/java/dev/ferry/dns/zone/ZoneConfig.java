package dev.ferry.dns.zone;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * What the cluster zone is.
 *
 * @param zone the cluster domain, absolute (e.g. {@code cluster.local.})
 * @param ttlSeconds the TTL of every record, the SOA's included, and the SOA minimum (negative-caching TTL)
 * @param nameservers the addresses of {@code ns.dns.<zone>}, the zone's only NS (glue A/AAAA)
 */
public record ZoneConfig(Name zone, long ttlSeconds, List<InetAddress> nameservers) {

    public static final long DEFAULT_TTL_SECONDS = 5;

    public ZoneConfig {
        Objects.requireNonNull(zone);
        if (!zone.isAbsolute()) {
            throw new IllegalArgumentException("zone must be absolute: " + zone);
        }
        if (ttlSeconds < 0 || ttlSeconds > 3600) {
            throw new IllegalArgumentException("ttl must be 0..3600 seconds: " + ttlSeconds);
        }
        nameservers = List.copyOf(nameservers);
    }

    /** cluster.local., TTL 5 s, nameserver 127.96.0.10 (DESIGN.md's cluster DNS address). */
    public static ZoneConfig defaults() {
        return new ZoneConfig(Name.fromConstantString("cluster.local."), DEFAULT_TTL_SECONDS,
                List.of(address(127, 96, 0, 10)));
    }

    private static InetAddress address(int... octets) {
        byte[] b = new byte[octets.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) octets[i];
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
