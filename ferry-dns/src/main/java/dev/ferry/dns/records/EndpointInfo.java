package dev.ferry.dns.records;

import java.net.InetAddress;
import java.util.List;

/**
 * One endpoint of an EndpointSlice as DNS sees it.
 *
 * @param addresses its IP addresses (an endpoint of an FQDN slice has none)
 * @param hostname the endpoint's hostname field (set from a pod's hostname+subdomain); empty when unset
 * @param ready the ready condition; an unset condition counts as ready, as the API says
 * @param podName the targetRef name when it refers to a Pod; empty otherwise
 */
public record EndpointInfo(List<InetAddress> addresses, String hostname, boolean ready, String podName) {

    public EndpointInfo {
        addresses = List.copyOf(addresses);
        hostname = hostname == null ? "" : hostname;
        podName = podName == null ? "" : podName;
    }
}
