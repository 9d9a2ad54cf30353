package dev.ferry.agent.dns;

import dev.ferry.api.net.ResolvConf;
import java.util.List;

/**
 * A pod's DNS settings as the kubelet forms them.
 *
 * @param conf         what the pod's resolv.conf holds
 * @param hostFile     the node's own resolv.conf already says exactly this: the pod's DNS type is the host's
 *                     (dnsPolicy Default, ClusterFirst on the host network, or ClusterFirst without cluster DNS),
 *                     it has no dnsConfig and nothing was cut to fit the limits; a runtime may leave the pod on the
 *                     node's file
 * @param events       Warning events to record about the pod, in order
 */
public record PodDns(ResolvConf conf, boolean hostFile, List<DnsEvent> events) {
    public PodDns {
        events = List.copyOf(events);
    }
}
