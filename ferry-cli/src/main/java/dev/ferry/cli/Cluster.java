package dev.ferry.cli;

import dev.ferry.apiserver.ApiServer;
import dev.ferry.store.KeyValueStore;
import dev.ferry.store.MemoryStore;
import dev.ferry.store.SqliteStore;
import dev.ferry.store.etcd.EtcdStore;
import java.net.URI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the parts of a cluster in this process and stops them, in reverse order, on SIGTERM/SIGINT. */
final class Cluster {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<AutoCloseable> parts = Collections.synchronizedList(new ArrayList<>());
    private String apiUrl;

    private Cluster() {
    }

    /** Blocks until the process is asked to stop and every part has stopped. */
    void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    String apiUrl() {
        return apiUrl;
    }

    /** Stops every part, in reverse start order; idempotent. */
    void stop() {
        synchronized (parts) {
            List<AutoCloseable> reversed = new ArrayList<>(parts);
            parts.clear();
            Collections.reverse(reversed);
            for (AutoCloseable p : reversed) {
                try {
                    p.close();
                } catch (Exception e) {
                    log.warn("stopping {}: {}", p.getClass().getSimpleName(), e.toString());
                }
            }
        }
        stopped.countDown();
    }

    static Cluster start(ServerOptions o, String readyLine) throws Exception {
        long t0 = System.nanoTime();
        var network = o.network();
        Files.createDirectories(o.dataDir);
        Cluster cluster = new Cluster();
        List<AutoCloseable> parts = cluster.parts;
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "ferry-shutdown"));
        KeyValueStore store = Stores.open(o);
        parts.add(store);
        ApiServer.Config config = ApiServer.Config.defaults(o.apiHost, o.apiPort).withNetwork(network)
                .withSharedStore(o.store == ServerOptions.StoreKind.etcd);
        ApiServer api = ApiServer.start(config, store, Clock.systemUTC());
        parts.add(api);
        String server = "http://" + hostForUrl(o.apiHost) + ":" + api.port();
        cluster.apiUrl = server;
        Path kubeconfig = writeKubeconfig(o.dataDir, server);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(readyLine + " (" + ms + " ms): API " + server + ", kubeconfig " + kubeconfig);
        System.out.println("  export KUBECONFIG=" + kubeconfig);
        System.out.flush();
        return cluster;
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    static Path writeKubeconfig(Path dataDir, String server) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: ferry
                  cluster:
                    server: %s
                contexts:
                - name: ferry
                  context:
                    cluster: ferry
                    namespace: default
                    user: ferry
                current-context: ferry
                users:
                - name: ferry
                  user: {}
                """.formatted(server);
        Path file = dataDir.resolve("kubeconfig");
        Path tmp = dataDir.resolve("kubeconfig.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** Opens the configured store. */
    static final class Stores {
        private Stores() {
        }

        static KeyValueStore open(ServerOptions o) {
            return switch (o.store) {
                case memory -> new MemoryStore();
                case sqlite -> SqliteStore.open(o.dataDir.resolve("state.db"));
                case etcd -> new EtcdStore(URI.create(o.etcdEndpoint),
                        o.etcdPrefix.endsWith("/") ? o.etcdPrefix : o.etcdPrefix + "/");
            };
        }
    }
}
