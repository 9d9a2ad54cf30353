package dev.ferry.agent.pod;

import java.time.Instant;

/**
 * What the agent knows about one container of a pod: its live attempt, its last two ended attempts, the last failed
 * start and its back-off. Immutable; the pod's worker replaces it.
 *
 * @param everStarted  an attempt was started (by this agent or, per the pod's status, an earlier run of it)
 * @param restartCount the restart count of the latest started attempt (= its attempt number)
 * @param running      the live attempt, null when none
 * @param last         the latest ended attempt, null when none
 * @param previous     the ended attempt before {@code last}, null when none
 * @param startError   the latest failed start, cleared by a successful one
 */
public record ContainerHistory(String name, boolean init, boolean everStarted, int restartCount, Running running,
        Termination last, Termination previous, StartError startError, CrashBackoff backoff) {

    public static ContainerHistory fresh(String name, boolean init) {
        return new ContainerHistory(name, init, false, 0, null, null, null, null, CrashBackoff.NONE);
    }

    /**
     * A live attempt.
     *
     * @param image           the image it was started with (null = unknown: never restarted for an image change)
     * @param stopRequestedAt when SIGTERM was sent (null = not stopping)
     * @param graceSeconds    the grace period SIGTERM was sent with
     * @param killSent        SIGKILL was sent
     */
    public record Running(String containerId, int attempt, Instant startedAt, String image, Instant stopRequestedAt,
            long graceSeconds, boolean killSent) {
        public static Running started(String containerId, int attempt, Instant startedAt) {
            return started(containerId, attempt, startedAt, null);
        }

        public static Running started(String containerId, int attempt, Instant startedAt, String image) {
            return new Running(containerId, attempt, startedAt, image, null, 0, false);
        }

        public Running stopping(Instant at, long grace) {
            return new Running(containerId, attempt, startedAt, image, at, grace, false);
        }

        public Running killed() {
            return new Running(containerId, attempt, startedAt, image, stopRequestedAt, graceSeconds, true);
        }
    }

    /** The attempt number the next start gets. */
    public int nextAttempt() {
        return everStarted ? restartCount + 1 : restartCount;
    }

    /** The attempt {@code running} started (a later {@link #exited} turns it into {@code last}). */
    public ContainerHistory started(Running r, CrashBackoff after) {
        return new ContainerHistory(name, init, true, r.attempt(), r, last, previous, null, after);
    }

    public ContainerHistory startFailed(StartError error, CrashBackoff after) {
        return new ContainerHistory(name, init, everStarted, restartCount, running, last, previous, error, after);
    }

    public ContainerHistory withRunning(Running r) {
        return new ContainerHistory(name, init, everStarted, restartCount, r, last, previous, startError, backoff);
    }

    /** The live attempt ended as {@code t}. */
    public ContainerHistory exited(Termination t) {
        return new ContainerHistory(name, init, everStarted, restartCount, null, t, last, startError, backoff);
    }

    /** The time of the latest failure a restart would follow: a failed start or an exit. */
    public Instant lastFailureAt() {
        if (startError != null && (last == null || startError.at().isAfter(last.finishedAt()))) {
            return startError.at();
        }
        return last == null ? null : last.finishedAt();
    }

    /** The latest event is a failed start (not an exit). */
    public boolean startErrorIsLatest() {
        return startError != null && (last == null || !startError.at().isBefore(last.finishedAt()));
    }
}
