package dev.ferry.cli;

/** {@code --cluster-domain}: the DNS zone of the cluster, which the DNS server serves and pods search. */
final class DomainOption {
    String clusterDomain = "cluster.local";

    void declare(FlagSet flags) {
        flags.string("--cluster-domain DOMAIN", "The cluster's DNS domain: the cluster DNS serves it, and pods search "
                + "<namespace>.svc.<domain>, svc.<domain> and <domain> first, as with the kubelet's --cluster-domain.",
                clusterDomain, v -> clusterDomain = v);
    }
}
