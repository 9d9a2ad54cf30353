package dev.ferry.controllers.workloadutil;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Marks every pod of a namespace Ready as soon as it appears, as a node agent with instantly ready containers
 * would. Readiness is written from a separate thread, never from the watch callback.
 */
public final class FakeKubelet implements AutoCloseable {
    private final ExecutorService writer = Executors.newSingleThreadExecutor();
    private final Watch watch;

    public FakeKubelet(KubernetesClient client, String namespace) {
        this.watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if ((action == Action.ADDED || action == Action.MODIFIED) && !Pods.isReady(pod)
                        && pod.getMetadata().getDeletionTimestamp() == null) {
                    writer.submit(() -> {
                        try {
                            TestPods.markReady(client, pod);
                        } catch (RuntimeException e) {
                            // the next event of the pod tries again
                        }
                    });
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    @Override
    public void close() {
        watch.close();
        writer.shutdownNow();
    }
}
