package dev.ferry.proxy.dataplane;

/**
 * Counters of a whole {@link NettyDataPlane} since it started.
 *
 * @param openConnections client TCP connections open now
 * @param connectionsOverLimit connections reset because {@link DataPlaneConfig#maxConnections()} were open
 * @param connectionsRefused connections reset because their route refused them (no usable endpoint)
 * @param connectFailures connections reset because no candidate backend accepted within the attempts
 * @param datagramsDropped UDP datagrams dropped because their route refused them or the flow table was full
 * @param acceptErrors failed accept(2) calls (e.g. out of file descriptors); each pauses that frontend's accepting
 *     for 100 ms
 */
public record DataPlaneStats(
        long openConnections,
        long connectionsOverLimit,
        long connectionsRefused,
        long connectFailures,
        long datagramsDropped,
        long acceptErrors) {}
