package dev.ferry.cli;

import picocli.CommandLine.Option;

/** {@code --cluster-domain}: the DNS zone of the cluster, which the DNS server serves and pods search. */
final class DomainOption {
    @Option(names = "--cluster-domain", description = "The cluster's DNS domain: the cluster DNS serves it, and pods "
            + "search <namespace>.svc.<domain>, svc.<domain> and <domain> first, as with the kubelet's "
            + "--cluster-domain (default: ${DEFAULT-VALUE}).")
    String clusterDomain = "cluster.local";
}
