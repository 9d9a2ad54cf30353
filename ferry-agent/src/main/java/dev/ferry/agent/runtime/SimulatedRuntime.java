package dev.ferry.agent.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Containers without processes, for scale benchmarks (like kwok): every start succeeds at once (any image), a
 * container runs until {@link Container#terminate()} (exit code 0) or {@link Container#kill()} (137), exec always
 * succeeds with no output, nothing is written (no log file, no state), and nothing is recovered after a restart.
 * Pid is -1. Thread-safe; per container one small object.
 */
public final class SimulatedRuntime implements ContainerRuntime {
    private final InstantSource clock;

    public SimulatedRuntime(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public Container start(ContainerLaunch launch) {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return new Simulated(launch, "sim-" + HexFormat.of().formatHex(id), clock.instant());
    }

    @Override
    public ExecResult exec(Container container, List<String> command, Duration timeout) {
        return new ExecResult(0, "");
    }

    @Override
    public List<Container> recover() {
        return List.of();
    }

    @Override
    public void close() {
    }

    private record Simulated(ContainerLaunch launch, String id, Instant startedAt, CompletableFuture<Integer> exit)
            implements Container {
        Simulated(ContainerLaunch launch, String id, Instant startedAt) {
            this(launch, id, startedAt, new CompletableFuture<>());
        }

        @Override
        public long pid() {
            return -1;
        }

        @Override
        public void terminate() {
            exit.complete(0);
        }

        @Override
        public void kill() {
            exit.complete(137);
        }
    }
}
