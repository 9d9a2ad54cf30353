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
     * @param stopRequestedAt when the stop began (null = not stopping): SIGTERM then, or the preStop hook first
     * @param graceSeconds    the grace period the stop began with
     * @param killDueAt       when SIGKILL is due: {@code stopRequestedAt + graceSeconds} without a preStop hook; null
     *                        while the preStop hook runs (its end sends SIGTERM and sets it); null when not stopping
     * @param killSent        SIGKILL was sent
     * @param postStart       where the container's postStart hook stands
     */
    public record Running(String containerId, int attempt, Instant startedAt, String image, Instant stopRequestedAt,
            long graceSeconds, Instant killDueAt, boolean killSent, PostStart postStart) {
        public static Running started(String containerId, int attempt, Instant startedAt) {
            return started(containerId, attempt, startedAt, null);
        }

        public static Running started(String containerId, int attempt, Instant startedAt, String image) {
            return new Running(containerId, attempt, startedAt, image, null, 0, null, false, PostStart.DONE);
        }

        /** The stop begins at {@code at}: SIGTERM now (SIGKILL due after {@code grace}), or the preStop hook first. */
        public Running stopping(Instant at, long grace, boolean preStopHook) {
            return new Running(containerId, attempt, startedAt, image, at, grace,
                    preStopHook ? null : at.plusSeconds(grace), false, postStart);
        }

        /** SIGTERM without a preStop hook. */
        public Running stopping(Instant at, long grace) {
            return stopping(at, grace, false);
        }

        /** The preStop hook ended (or ran out of time) and SIGTERM was sent; SIGKILL is due at {@code due}. */
        public Running terminated(Instant due) {
            return new Running(containerId, attempt, startedAt, image, stopRequestedAt, graceSeconds, due, killSent,
                    postStart);
        }

        public Running killed() {
            return new Running(containerId, attempt, startedAt, image, stopRequestedAt, graceSeconds, killDueAt, true,
                    postStart);
        }

        public Running withPostStart(PostStart state) {
            return new Running(containerId, attempt, startedAt, image, stopRequestedAt, graceSeconds, killDueAt,
                    killSent, state);
        }

        /** The preStop hook runs: SIGTERM has not been sent yet. */
        public boolean preStopRunning() {
            return stopRequestedAt != null && killDueAt == null;
        }
    }

    /**
     * Where a live attempt's postStart hook stands. Until it is {@link #DONE} the container is neither started nor
     * ready and the pod's later containers wait (the kubelet runs the hook inside the start); {@link #FAILED} stops
     * the container.
     */
    public enum PostStart {
        /** No hook, or it succeeded. */
        DONE,
        /** The hook runs. */
        PENDING,
        /** The hook failed: the container is to be stopped. */
        FAILED
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
