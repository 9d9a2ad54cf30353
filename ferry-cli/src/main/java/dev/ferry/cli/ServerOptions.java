package dev.ferry.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Flags shared by {@code up} and {@code server}. */
final class ServerOptions {
    @Option(names = "--data-dir", description = "Where state, logs and the kubeconfig live (default: ~/.ferry).")
    Path dataDir = Path.of(System.getProperty("user.home"), ".ferry");

    @Option(names = "--api-host", description = "Address the API server listens on (default: ${DEFAULT-VALUE}).")
    String apiHost = "127.0.0.1";

    @Option(names = "--api-port", description = "API server port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int apiPort = 6443;

    @Option(names = "--store", description = "sqlite (durable, in the data dir), etcd, or memory (default: "
            + "${DEFAULT-VALUE}).")
    StoreKind store = StoreKind.sqlite;

    @Option(names = "--etcd-endpoint", description = "etcd client URL for --store etcd, e.g. http://127.0.0.1:2379.")
    String etcdEndpoint = "http://127.0.0.1:2379";

    @Option(names = "--etcd-prefix", description = "Key prefix in etcd, so clusters can share one (default: "
            + "${DEFAULT-VALUE}).")
    String etcdPrefix = "/ferry";

    @Option(names = "--service-cluster-ip-range", description = "CIDR the Services' cluster IPs come from (default: "
            + "${DEFAULT-VALUE}).")
    String serviceCidr = "127.96.0.0/16";

    @Option(names = "--service-node-port-range", description = "Ports NodePort Services get, as MIN-MAX (default: "
            + "${DEFAULT-VALUE}).")
    String nodePortRange = "30000-32767";

    enum StoreKind { sqlite, etcd, memory }

    /**
     * The Service network these flags describe, where endpoints may also use {@code podCidr} (a loopback range that
     * validation would otherwise reject); a malformed value is an IllegalArgumentException with the reason.
     */
    dev.ferry.apiserver.service.ServiceNetworkConfig network(String podCidr) {
        String[] range = nodePortRange.split("-", 2);
        if (range.length != 2 || !range[0].strip().matches("\\d{1,5}") || !range[1].strip().matches("\\d{1,5}")) {
            throw new IllegalArgumentException("--service-node-port-range must be MIN-MAX, got " + nodePortRange);
        }
        java.util.List<String> allowed = new java.util.ArrayList<>(
                dev.ferry.apiserver.service.SpecialIpValidator.FERRY_ALLOWED_CIDRS);
        for (String cidr : new String[] {serviceCidr, podCidr}) {
            if (!allowed.contains(cidr)) {
                allowed.add(cidr);
            }
        }
        return new dev.ferry.apiserver.service.ServiceNetworkConfig(serviceCidr, Integer.parseInt(range[0].strip()),
                Integer.parseInt(range[1].strip()), allowed);
    }
}
