package dev.ferry.agent.testing;

import dev.ferry.agent.runtime.Container;
import dev.ferry.agent.runtime.ContainerLaunch;
import dev.ferry.agent.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link ContainerRuntime} without processes for agent tests: what each launch does is controllable (run until
 * signalled, exit with a code shortly after starting, fail to start), as are exec results and whether SIGTERM is
 * honoured. Each start writes one line to the launch's log file. {@link #recover} returns the containers still
 * "running", as a runtime would after an agent restart. Thread-safe.
 */
public final class FakeRuntime implements ContainerRuntime {
    /** What a launched container does. */
    public sealed interface Behavior {
    }

    /** Runs until terminated or killed. */
    public record Run() implements Behavior {
    }

    /** Exits with {@code code} shortly after starting. */
    public record Exit(int code) implements Behavior {
    }

    /** The start fails. */
    public record Fail(String reason, String message) implements Behavior {
    }

    public static final Behavior RUN = new Run();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<FakeContainer> containers = new CopyOnWriteArrayList<>();
    private volatile Function<ContainerLaunch, Behavior> behavior = l -> RUN;
    private volatile BiFunction<Container, List<String>, ExecResult> exec = (c, cmd) -> new ExecResult(0, "");
    private volatile boolean ignoreSigterm;

    public FakeRuntime behave(Function<ContainerLaunch, Behavior> b) {
        this.behavior = b;
        return this;
    }

    public FakeRuntime exec(BiFunction<Container, List<String>, ExecResult> e) {
        this.exec = e;
        return this;
    }

    /** Whether containers ignore SIGTERM (only SIGKILL ends them). */
    public FakeRuntime ignoreSigterm(boolean ignore) {
        this.ignoreSigterm = ignore;
        return this;
    }

    @Override
    public Container start(ContainerLaunch launch) throws StartFailure {
        Behavior b = behavior.apply(launch);
        if (b instanceof Fail f) {
            throw new StartFailure(f.reason(), f.message());
        }
        FakeContainer c = new FakeContainer(launch, "fake-" + ids.incrementAndGet(), Instant.now());
        try {
            Files.createDirectories(launch.logFile().getParent());
            Files.writeString(launch.logFile(), "hello from " + launch.containerName() + " attempt "
                    + launch.attempt() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        containers.add(c);
        if (b instanceof Exit e) {
            CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS).execute(() -> c.exit.complete(e.code()));
        }
        return c;
    }

    @Override
    public ExecResult exec(Container container, List<String> command, Duration timeout) {
        return exec.apply(container, command);
    }

    @Override
    public List<Container> recover() {
        return containers.stream().filter(c -> !c.exit.isDone()).map(c -> (Container) c).toList();
    }

    @Override
    public void close() {
    }

    /** Every container started, in start order. */
    public List<FakeContainer> containers() {
        return List.copyOf(containers);
    }

    /** The containers started for pod {@code podName}'s container {@code container}, in start order. */
    public List<FakeContainer> of(String podName, String container) {
        return containers.stream().filter(c -> c.launch.podName().equals(podName)
                && c.launch.containerName().equals(container)).toList();
    }

    /** A fake container; {@link #exitWith} ends it as a crash would. */
    public final class FakeContainer implements Container {
        private final ContainerLaunch launch;
        private final String id;
        private final Instant startedAt;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private volatile boolean terminated;

        FakeContainer(ContainerLaunch launch, String id, Instant startedAt) {
            this.launch = launch;
            this.id = id;
            this.startedAt = startedAt;
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
            return -1;
        }

        @Override
        public Instant startedAt() {
            return startedAt;
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public void terminate() {
            terminated = true;
            if (!ignoreSigterm) {
                exit.complete(143);
            }
        }

        @Override
        public void kill() {
            exit.complete(137);
        }

        public boolean terminated() {
            return terminated;
        }

        public void exitWith(int code) {
            exit.complete(code);
        }

        public boolean running() {
            return !exit.isDone();
        }

        /** The exit code, or null while running. */
        public Integer exitCode() {
            return exit.getNow(null);
        }
    }
}
