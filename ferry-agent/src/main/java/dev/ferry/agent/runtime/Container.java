package dev.ferry.agent.runtime;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One running (or ended) container attempt. */
public interface Container {
    /** The launch this container was started from (also for recovered containers). */
    ContainerLaunch launch();

    /** Runtime-unique id, stable across agent restarts (the "containerID" of the status is "ferry://" + id). */
    String id();

    /** OS process id of the container's main process; -1 when simulated. */
    long pid();

    Instant startedAt();

    /**
     * Completes with the exit code when the container ends: the process's own code, 128+signal when killed by a
     * signal, or -1 when it is unknown (an adopted process whose status was not observable). Completes on a runtime
     * thread shared by all containers: dependent stages must not block.
     */
    CompletableFuture<Integer> exit();

    /** SIGTERM to the container's process group; no-op when ended. */
    void terminate();

    /** SIGKILL to the container's process group; no-op when ended. */
    void kill();

    default Path logFile() {
        return launch().logFile();
    }
}
