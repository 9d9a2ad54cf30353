package dev.ferry.controllers.endpointutil;

import dev.ferry.client.Clients;
import dev.ferry.client.Handlers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The informer handlers both endpoint controllers share: any change of a Service queues it; a pod's add or delete
 * queues the Services selecting it, and an update those selecting it before or after (see {@link PodChanges}).
 */
public final class ServiceTriggers {
    private ServiceTriggers() {
    }

    /** Queues the key of every Service that changed. */
    public static ResourceEventHandler<Service> services(Consumer<String> enqueue) {
        return Handlers.onChange(s -> enqueue.accept(Clients.key(s)));
    }

    /** Queues the keys of the Services a pod change matters to; {@code servicesIn} lists a namespace's Services. */
    public static ResourceEventHandler<Pod> pods(Function<String, List<Service>> servicesIn, Consumer<String> enqueue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                PodChanges.servicesSelecting(servicesIn.apply(p.getMetadata().getNamespace()), p).forEach(enqueue);
            }

            @Override
            public void onUpdate(Pod old, Pod p) {
                PodChanges.servicesToSync(servicesIn.apply(p.getMetadata().getNamespace()), old, p).forEach(enqueue);
            }

            @Override
            public void onDelete(Pod p, boolean unknown) {
                onAdd(p);
            }
        };
    }
}
