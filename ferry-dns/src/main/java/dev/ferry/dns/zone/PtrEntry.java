package dev.ferry.dns.zone;

import java.net.InetAddress;
import org.xbill.DNS.Name;

/**
 * One Service's claim that {@code ip} reverses to {@code target}.
 *
 * @param clusterIp the claim is a ClusterIP's; such claims win over endpoints' for the same IP (CoreDNS reverse.go)
 */
record PtrEntry(InetAddress ip, Name target, boolean clusterIp) {
}
