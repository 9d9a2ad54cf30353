package dev.ferry.agent.dns;

/** A Warning event the kubelet records about a pod while forming its DNS settings. */
public record DnsEvent(String reason, String message) {
    public static final String MISSING_CLUSTER_DNS = "MissingClusterDNS";
    public static final String DNS_CONFIG_FORMING = "DNSConfigForming";
}
