package dev.ferry.client;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** Informer event handlers for the common case: every add, update (the new object) and delete goes to one place. */
public final class Handlers {
    private Handlers() {
    }

    /** Calls {@code onChange} with the object of every add, update (new state) and delete event. */
    public static <T> ResourceEventHandler<T> onChange(Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T old, T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                onChange.accept(obj);
            }
        };
    }
}
