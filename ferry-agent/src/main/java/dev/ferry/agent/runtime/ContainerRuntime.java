package dev.ferry.agent.runtime;

import java.time.Duration;
import java.util.List;

/**
 * Runs the containers of this node's pods. The pod manager decides what should run (restarts, back-off, probes,
 * deletion); a runtime only starts, signals, execs into and recovers containers. Implementations: OS processes, and a
 * simulated runtime (no process, like kwok) for scale benchmarks.
 */
public interface ContainerRuntime extends AutoCloseable {
    /**
     * Starts one container attempt. Its stdout and stderr go to {@link ContainerLaunch#logFile()}.
     *
     * @throws StartFailure with a Kubernetes waiting reason: "ErrImagePull" for an image that is neither built in nor
     *                      in the image map, "RunContainerError" when nothing can run (no command, missing
     *                      executable or working directory); the message says what is wrong
     */
    Container start(ContainerLaunch launch) throws StartFailure;

    /**
     * Runs {@code command} "in" {@code container} (same environment, working directory and pod IP), waits up to
     * {@code timeout}, and returns its exit code and combined output (truncated to a few KiB). A timeout kills the
     * command and reports exit code -1; so does a container that is not running. A missing executable gives 127 and
     * one that cannot be run 126, with the error as output.
     */
    ExecResult exec(Container container, List<String> command, Duration timeout) throws InterruptedException;

    /**
     * Containers an earlier run of the agent started on the same state directory that still run, so that an agent
     * restart adopts them instead of starting duplicates. Containers that ended meanwhile are not returned.
     */
    List<Container> recover();

    /** Stops watching containers; does not stop them (an agent restart adopts them). */
    @Override
    void close();

    /** Outcome of {@link #exec}. */
    record ExecResult(int exitCode, String output) {
    }

    /** A container could not be started; {@code reason} is the container's waiting reason. */
    final class StartFailure extends Exception {
        private final String reason;

        public StartFailure(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
