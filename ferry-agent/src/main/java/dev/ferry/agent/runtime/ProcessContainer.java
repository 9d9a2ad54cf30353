package dev.ferry.agent.runtime;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A container that is an OS process (group) of {@link ProcessRuntime}: either a child of this agent ({@code process}
 * non-null, exit code known) or a process adopted from an earlier run of the agent ({@code process} null).
 * The process leads its own session and process group (pgid = pid), so signals go to the whole group.
 */
final class ProcessContainer implements Container {
    private final ContainerLaunch launch;
    private final String id;
    private final long pid;
    private final long procStartTicks;
    private final Instant startedAt;
    private final Process process;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    ProcessContainer(ContainerLaunch launch, String id, long pid, long procStartTicks, Instant startedAt,
            Process process) {
        this.launch = launch;
        this.id = id;
        this.pid = pid;
        this.procStartTicks = procStartTicks;
        this.startedAt = startedAt;
        this.process = process;
    }

    @Override
    public ContainerLaunch launch() {
        return launch;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Completes on the runtime's single event thread: dependent stages must not block.
     */
    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    long procStartTicks() {
        return procStartTicks;
    }

    boolean adopted() {
        return process == null;
    }

    /** Still the same live process (PID-reuse safe). */
    boolean running() {
        if (exit.isDone()) {
            return false;
        }
        return process != null ? process.isAlive() : ProcStat.isSameAlive(pid, procStartTicks);
    }

    @Override
    public void terminate() {
        signal("TERM");
    }

    @Override
    public void kill() {
        signal("KILL");
    }

    private void signal(String signal) {
        if (!running()) {
            return;
        }
        if (!Signals.group(pid, signal)) {
            // not (yet) a group leader: signal the process alone
            ProcessHandle.of(pid).filter(h -> process != null || ProcStat.isSameAlive(pid, procStartTicks))
                    .ifPresent(h -> {
                        if (signal.equals("KILL")) {
                            h.destroyForcibly();
                        } else {
                            h.destroy();
                        }
                    });
        }
    }

    @Override
    public String toString() {
        return "container " + id + " (" + launch.namespace() + "/" + launch.podName() + "/" + launch.containerName()
                + ", pid " + pid + ")";
    }
}
