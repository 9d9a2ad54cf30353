package dev.ferry.client;

/** Brings the world in line with the desired state of one key. Idempotent; throwing means "retry with back-off". */
@FunctionalInterface
public interface Reconciler<K> {
    void reconcile(K key) throws Exception;
}
