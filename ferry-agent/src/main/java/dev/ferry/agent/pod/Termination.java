package dev.ferry.agent.pod;

import java.time.Instant;

/**
 * One ended container attempt.
 *
 * @param reason "Completed" (exit 0) or "Error", as the kubelet reports a process exit
 */
public record Termination(String containerId, int attempt, int exitCode, String reason, String message,
        Instant startedAt, Instant finishedAt) {

    public static Termination of(String containerId, int attempt, int exitCode, Instant startedAt,
            Instant finishedAt) {
        return new Termination(containerId, attempt, exitCode, exitCode == 0 ? "Completed" : "Error", "", startedAt,
                finishedAt);
    }
}
