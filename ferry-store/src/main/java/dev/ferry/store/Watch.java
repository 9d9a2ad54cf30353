package dev.ferry.store;

/** A running watch. Closing it stops deliveries; it is idempotent. */
public interface Watch extends AutoCloseable {
    @Override
    void close();
}
