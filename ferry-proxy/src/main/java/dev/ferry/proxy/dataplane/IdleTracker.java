package dev.ferry.proxy.dataplane;

/**
 * Idle detection without reading a clock per datagram: traffic only sets a flag, and a periodic sweep turns "seen
 * since the last sweep" into a time. With a sweep every {@code period}, something last active at time {@code t} is
 * found idle by the first sweep at or after {@code t + timeout + period} and before {@code t + timeout + 2 period}.
 * Pure; confined to one thread.
 */
final class IdleTracker {
    private boolean touched = true;
    private long quietSince;

    /** Traffic passed. */
    void touch() {
        touched = true;
    }

    /** At the sweep at time {@code now}: whether nothing passed for at least {@code timeout} (same unit). */
    boolean idle(long now, long timeout) {
        if (touched) {
            touched = false;
            quietSince = now;
            return false;
        }
        return now - quietSince >= timeout;
    }
}
