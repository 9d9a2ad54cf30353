package dev.ferry.dns.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link Forwarder} reaches upstream resolvers.
 *
 * @param upstreams resolvers tried in order (the next one when one times out or fails)
 * @param timeout how long one upstream has for one query (UDP, and then TCP when the answer was truncated)
 * @param maxPending forwarded queries waiting for an upstream at once; more are answered SERVFAIL at once
 * @param cacheEntries the cache's bound (least recently used evicted; 0: no cache)
 * @param maxTtl the longest a positive answer is cached
 * @param maxNegativeTtl the longest a negative answer (NXDOMAIN, NODATA) is cached
 */
public record ForwarderConfig(List<InetSocketAddress> upstreams, Duration timeout, int maxPending, int cacheEntries,
        Duration maxTtl, Duration maxNegativeTtl) {
    public ForwarderConfig {
        upstreams = List.copyOf(upstreams);
        if (timeout.isNegative() || timeout.isZero() || maxPending < 1 || cacheEntries < 0) {
            throw new IllegalArgumentException("invalid forwarder config: " + this);
        }
    }

    /** 2 s per upstream, 1024 pending, 10000 cached answers, TTLs capped at 3600 s (negative: 1800 s, as CoreDNS). */
    public static ForwarderConfig defaults(List<InetSocketAddress> upstreams) {
        return new ForwarderConfig(upstreams, Duration.ofSeconds(2), 1024, 10_000, Duration.ofHours(1),
                Duration.ofMinutes(30));
    }
}
