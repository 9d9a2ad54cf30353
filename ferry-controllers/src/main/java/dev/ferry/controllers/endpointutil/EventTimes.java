package dev.ferry.controllers.endpointutil;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a key was first queued by an event since its last sync: the fallback trigger time of a sync whose trigger
 * no object timestamp records (a pod deleted or relabelled). Thread-safe.
 */
public final class EventTimes {
    private final Clock clock;
    private final Map<String, Instant> first = new ConcurrentHashMap<>();

    public EventTimes(Clock clock) {
        this.clock = clock;
    }

    /** Notes an event for {@code key} now, unless one is already pending. */
    public void observed(String key) {
        first.putIfAbsent(key, clock.instant());
    }

    /** Puts back a time {@link #take}n by a sync that did not finish (the earlier of it and any newer event). */
    public void restore(String key, Instant t) {
        if (t != null) {
            first.merge(key, t, (a, b) -> a.isBefore(b) ? a : b);
        }
    }

    /** The time of the first pending event for {@code key}, or null; clears it (call at the start of a sync). */
    public Instant take(String key) {
        return first.remove(key);
    }
}
