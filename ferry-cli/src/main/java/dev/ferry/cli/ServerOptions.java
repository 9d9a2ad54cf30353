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

    enum StoreKind { sqlite, etcd, memory }
}
