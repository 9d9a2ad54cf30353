package dev.ferry.cli;

import java.nio.file.Path;

/** Flags shared by {@code up} and {@code server}. */
final class ServerOptions {
    Path dataDir = Path.of(System.getProperty("user.home"), ".ferry");
    String apiHost = "127.0.0.1";
    int apiPort = 6443;
    StoreKind store = StoreKind.sqlite;
    String etcdEndpoint = "http://127.0.0.1:2379";
    String etcdPrefix = "/ferry";
    String serviceCidr = "127.96.0.0/16";
    String nodePortRange = "30000-32767";

    void declare(FlagSet flags) {
        flags.string("--data-dir DIR", "Where state, logs and the kubeconfig live (default: ~/.ferry).", null,
                        v -> dataDir = Path.of(v))
                .string("--api-host IP", "Address the API server listens on.", apiHost, v -> apiHost = v)
                .integer("--api-port", "API server port; 0 picks a free one.", apiPort, 0, 65535,
                        v -> apiPort = v)
                .choice("--store", "sqlite (durable, in the data dir), etcd, or memory.", store, StoreKind.class,
                        v -> store = v)
                .string("--etcd-endpoint URL", "etcd client URL for --store etcd.", etcdEndpoint,
                        v -> etcdEndpoint = v)
                .string("--etcd-prefix PREFIX", "Key prefix in etcd, so clusters can share one.", etcdPrefix,
                        v -> etcdPrefix = v)
                .string("--service-cluster-ip-range CIDR", "CIDR the Services' cluster IPs come from.", serviceCidr,
                        v -> serviceCidr = v)
                .string("--service-node-port-range MIN-MAX", "Ports NodePort Services get.", nodePortRange,
                        v -> nodePortRange = v);
    }

    enum StoreKind { sqlite, etcd, memory }

    /**
     * The Service network these flags describe, where endpoints may also use {@code podCidr} (a loopback range that
     * validation would otherwise reject); a malformed value is an IllegalArgumentException with the reason.
     */
    dev.ferry.apiserver.service.ServiceNetworkConfig network(String podCidr) {
        if (dev.ferry.api.net.Cidr.tryParse(serviceCidr) == null) {
            throw new IllegalArgumentException("--service-cluster-ip-range must be a CIDR, got " + serviceCidr);
        }
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
