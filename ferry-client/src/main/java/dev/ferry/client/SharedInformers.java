package dev.ferry.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One cluster-wide (all namespaces) informer per resource type, shared by every controller of a process, so that
 * each type is listed and watched once and cached once. {@link #get} starts an informer on first use and returns it
 * synced; handlers added to a started informer are first told about every cached object.
 */
public final class SharedInformers implements AutoCloseable {
    private static final long SYNC_TIMEOUT_SECONDS = 60;
    private final KubernetesClient client;
    private final Map<Class<?>, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
    private final Map<Class<?>, CompletionStage<Void>> synced = new LinkedHashMap<>();
    private boolean closed;

    public SharedInformers(KubernetesClient client) {
        this.client = client;
    }

    public KubernetesClient client() {
        return client;
    }

    /** Starts the informers of {@code types} without waiting, so that their first lists run in parallel. */
    @SafeVarargs
    public final void prefetch(Class<? extends HasMetadata>... types) {
        for (Class<? extends HasMetadata> type : types) {
            startIfAbsent(type);
        }
    }

    private synchronized <T extends HasMetadata> SharedIndexInformer<T> startIfAbsent(Class<T> type) {
        if (closed) {
            throw new IllegalStateException("informers closed");
        }
        @SuppressWarnings("unchecked")
        SharedIndexInformer<T> informer = (SharedIndexInformer<T>) informers.get(type);
        if (informer == null) {
            informer = client.resources(type).inAnyNamespace().runnableInformer(0);
            informers.put(type, informer);
            synced.put(type, informer.start());
        }
        return informer;
    }

    /** The synced informer for {@code type}, across all namespaces; blocks until its first list is cached. */
    public <T extends HasMetadata> SharedIndexInformer<T> get(Class<T> type) {
        SharedIndexInformer<T> informer;
        CompletionStage<Void> started;
        synchronized (this) {
            informer = startIfAbsent(type);
            started = synced.get(type);
        }
        try {
            started.toCompletableFuture().get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the " + type.getSimpleName() + " cache", e);
        } catch (Exception e) {
            throw new IllegalStateException("the " + type.getSimpleName() + " cache did not sync: " + e, e);
        }
        return informer;
    }

    @Override
    public void close() {
        List<SharedIndexInformer<?>> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(informers.values());
            informers.clear();
            synced.clear();
        }
        all.forEach(SharedIndexInformer::close);
    }
}
