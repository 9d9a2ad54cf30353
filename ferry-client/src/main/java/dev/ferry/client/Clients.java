package dev.ferry.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** How Ferry's components connect to an API server, and the keys they queue objects by. */
public final class Clients {
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
        return new KubernetesClientBuilder().withConfig(config).build();
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
