package dev.ferry.client;

import io.fabric8.kubernetes.api.model.EndpointsList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.ServiceList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetList;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx5.TlsWarmup;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.List;
import java.util.Objects;

/** How Ferry's components connect to an API server, and the keys they queue objects by. */
public final class Clients {
    /** One JSON mapper for every client of the process, so that each type's reader and writer is built once. */
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /**
     * One Vert.x, and so one set of event-loop threads, for every client of the process rather than one each. It has
     * daemon threads and is never closed: a client's close closes its connections only, so that nothing a closing
     * connection still has to run meets a stopped event loop. TLS is set up on a client's first https connection,
     * not when the client is built (the factory's default builds a default SSL context, reading the JDK's trust
     * store, even for an http URL).
     */
    private static final class Transport {
        static final Vertx5HttpClientFactory FACTORY = factory();

        private static Vertx5HttpClientFactory factory() {
            VertxOptions options = new VertxOptions().setUseDaemonThread(true).setFileSystemOptions(
                    new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false));
            // as fabric8's own factory: names are resolved by the JDK (its cache, /etc/hosts), not Netty's resolver
            String property = "vertx.disableDnsResolver";
            String before = System.setProperty(property, "true");
            Vertx vertx;
            try {
                vertx = Vertx.vertx(options);
            } finally {
                if (before == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, before);
                }
            }
            Vertx5HttpClientFactory factory = new Vertx5HttpClientFactory(vertx);
            factory.setTlsWarmup(TlsWarmup.OFF);
            return factory;
        }
    }

    private static final List<Class<?>> PRELOADED = List.of(NodeList.class, PodList.class, ServiceList.class,
            EndpointsList.class, EndpointSliceList.class, ReplicaSetList.class, DeploymentList.class, LeaseList.class,
            WatchEvent.class, Status.class);
    private Clients() {
    }

    /**
     * A client for {@code apiUrl} (e.g. "http://127.0.0.1:6443") that ignores any kubeconfig of the environment;
     * {@code agent} names the component in the User-Agent header.
     */
    public static KubernetesClient connect(String apiUrl, String agent) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(apiUrl).withRequestTimeout(30_000)
                .withConnectionTimeout(10_000).withUserAgent("ferry-" + agent).withRequestRetryBackoffLimit(3)
                .withWatchReconnectInterval(200).build();
        return new KubernetesClientBuilder().withConfig(config).withKubernetesSerialization(SERIALIZATION)
                .withHttpClientFactory(Transport.FACTORY).build();
    }

    /**
     * Builds, without connecting anywhere, what the components' first requests would otherwise build while a user
     * waits: the shared Vert.x, and the JSON readers of the types they list and watch (building them is most of a
     * cold start's client time), in the one {@link KubernetesSerialization} every client of this process shares.
     */
    public static void preload() {
        Objects.requireNonNull(Transport.FACTORY);
        for (Class<?> type : PRELOADED) {
            SERIALIZATION.unmarshal("{}", type);
        }
    }

    /** "namespace/name", or "name" for cluster-scoped objects (client-go's MetaNamespaceKeyFunc). */
    public static String key(HasMetadata obj) {
        String ns = obj.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? obj.getMetadata().getName() : ns + "/" + obj.getMetadata().getName();
    }

    /** The namespace part of a key ("" for cluster-scoped). */
    public static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    /** The name part of a key. */
    public static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
