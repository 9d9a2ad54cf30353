/**
 * The cluster DNS server: {@link dev.ferry.dns.server.DnsServer} answers over UDP and TCP from a
 * {@link dev.ferry.dns.Authority} with an answer cache in front, and hands names outside the zone to a
 * {@link dev.ferry.dns.server.Forwarder} (upstreams from {@link dev.ferry.api.net.ResolvConf}); both report to
 * {@link dev.ferry.dns.server.DnsMetrics}.
 */
package dev.ferry.dns.server;
