package dev.ferry.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the processes a test or benchmark started: by PID, never by name. */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /**
     * SIGTERM, then SIGKILL if {@code process} has not exited within {@code grace}; returns the exit code, or -1 when
     * it had to be killed (or the wait was interrupted, which kills it at once and is passed on).
     */
    public static int stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return -1;
    }
}
