package dev.ferry.cli;

import picocli.CommandLine.Option;

/** {@code --cluster-domain}: the DNS zone of the cluster, which the DNS server serves and pods search. */
final class DomainOption {
    @Option(names = "--cluster-domain", description = "The cluster's DNS domain (default: ${DEFAULT-VALUE}).")
    String clusterDomain = "cluster.local";
}
