package dev.ferry.controllers.replicaset;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's UIDTrackingControllerExpectations: after a sync creates or deletes pods for a ReplicaSet, the set is not
 * managed again until the pod informer has delivered those changes (or {@link #TTL} has passed), so a cache that lags
 * behind the API server cannot make the controller create or delete the same pods twice. Creations are counted;
 * deletions are tracked by pod key, so a pod's deletionTimestamp update and its final delete count once. Thread-safe.
 */
public final class PodExpectations {
    /** Upstream's ExpectationsTimeout: unobserved changes stop blocking the set after this long. */
    public static final Duration TTL = Duration.ofMinutes(5);

    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        int creations;
        final Set<String> deletions = new HashSet<>();
        Instant since;
    }

    public PodExpectations(Clock clock) {
        this.clock = clock;
    }

    /** True when nothing is expected for {@code rsKey}, everything expected was seen, or the expectations expired. */
    public synchronized boolean satisfied(String rsKey) {
        Entry e = entries.get(rsKey);
        if (e == null) {
            return true;
        }
        if ((e.creations <= 0 && e.deletions.isEmpty())
                || Duration.between(e.since, clock.instant()).compareTo(TTL) > 0) {
            entries.remove(rsKey);
            return true;
        }
        return false;
    }

    /** Records that {@code count} pod creations for {@code rsKey} are on their way. */
    public synchronized void expectCreations(String rsKey, int count) {
        Entry e = entries.computeIfAbsent(rsKey, k -> new Entry());
        e.creations = Math.max(0, e.creations) + count;
        e.since = clock.instant();
    }

    /** Records that the pods {@code podKeys} of {@code rsKey} are being deleted. */
    public synchronized void expectDeletions(String rsKey, Iterable<String> podKeys) {
        Entry e = entries.computeIfAbsent(rsKey, k -> new Entry());
        podKeys.forEach(e.deletions::add);
        e.since = clock.instant();
    }

    /** A pod creation for {@code rsKey} was observed (or will never happen because the create failed). */
    public synchronized void creationObserved(String rsKey) {
        Entry e = entries.get(rsKey);
        if (e != null) {
            e.creations--;
        }
    }

    /** The deletion of {@code podKey} was observed (or will never happen because the delete failed). */
    public synchronized void deletionObserved(String rsKey, String podKey) {
        Entry e = entries.get(rsKey);
        if (e != null) {
            e.deletions.remove(podKey);
        }
    }

    /** Forgets {@code rsKey} (the set was deleted). */
    public synchronized void delete(String rsKey) {
        entries.remove(rsKey);
    }
}
