package dev.ferry.agent.pod;

import java.time.Duration;
import java.time.Instant;

/**
 * The restart back-off of one container, as the kubelet's per-container client-go {@code flowcontrol.Backoff} entry:
 * the first failure restarts at once and arms 10 s; each later failure within the window waits the current back-off
 * after the failure and doubles it, up to 5 minutes. An entry expires (back to the first step) when a failure comes
 * more than 2 × 5 min = 10 minutes after the entry's last update, i.e. after 10 minutes of running. Pure value.
 *
 * @param backoff    the current back-off; zero = no entry
 * @param lastUpdate the failure time the entry was last advanced at
 */
public record CrashBackoff(Duration backoff, Instant lastUpdate) {
    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofMinutes(5);
    public static final CrashBackoff NONE = new CrashBackoff(Duration.ZERO, Instant.EPOCH);

    /** Whether a restart after a failure at {@code failedAt} must still wait at {@code now} (IsInBackOffSince). */
    public boolean inBackoffSince(Instant failedAt, Instant now) {
        if (backoff.isZero() || expired(failedAt)) {
            return false;
        }
        return Duration.between(failedAt, now).compareTo(backoff) < 0;
    }

    /** When a restart after a failure at {@code failedAt} may happen. */
    public Instant restartAt(Instant failedAt) {
        return failedAt.plus(backoff);
    }

    /** The entry after restarting for a failure at {@code failedAt} (Next). */
    public CrashBackoff next(Instant failedAt) {
        if (backoff.isZero() || expired(failedAt)) {
            return new CrashBackoff(INITIAL, failedAt);
        }
        Duration doubled = backoff.multipliedBy(2);
        return new CrashBackoff(doubled.compareTo(MAX) > 0 ? MAX : doubled, failedAt);
    }

    private boolean expired(Instant eventTime) {
        return Duration.between(lastUpdate, eventTime).compareTo(MAX.multipliedBy(2)) > 0;
    }
}
