/**
 * The cluster zone: per-Service record building, the name index and the answers behind
 * {@link dev.ferry.dns.zone.ClusterZone}, the {@link dev.ferry.dns.Authority} the server asks. Pure logic: no sockets,
 * no informers, time from an injected clock.
 */
package dev.ferry.dns.zone;
