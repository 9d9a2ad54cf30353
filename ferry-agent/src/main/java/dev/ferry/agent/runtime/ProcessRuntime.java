package dev.ferry.agent.runtime;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers as OS processes.
 *
 * <p><b>Start.</b> The image ({@link ImageCatalog}) and the launch give the argument vector; the environment is
 * exactly the image's (PATH) overridden by the launch's, nothing inherited from the agent; the working directory is
 * the launch's or "/". The process runs through {@code setsid}, which makes it the leader of a new session and
 * process group without forking (its pid is the container's pid and its pgid), so that it survives the agent
 * (no controlling terminal, no shared group) and {@link Container#terminate()}/{@link Container#kill()} reach every
 * process it started. stdin is /dev/null; stdout and stderr are appended to the log file (files, not pipes, so a
 * process outlives an agent crash). A missing executable or working directory fails the start with
 * "RunContainerError" before anything runs.
 *
 * <p><b>DNS.</b> A launch with a pod resolv.conf has it delivered as {@link ResolvConfDelivery} says: as the
 * container's own /etc/resolv.conf in a private mount namespace (root; the pid is still the container process's), or
 * else in its environment. Exec'd commands get the same.
 *
 * <p><b>State.</b> Each running container has one JSON record in {@code <stateDir>/containers/}: id, pid, the
 * process's start time from /proc (PID-reuse safe identity), start instant and launch. It is removed when the exit is
 * observed. {@link #recover()} adopts the recorded processes that are alive with the same start time.
 *
 * <p><b>Exits.</b> A child's exit code is its own, or 128+signal. When the main process ends, the rest of its group
 * gets SIGKILL (right after the exit future completes), as the processes of a container end with its init process. Adopted processes are not children:
 * one runtime thread polls /proc for all of them (every {@link #ADOPTED_POLL}), and their exit code is -1. All exit
 * futures complete on that single runtime thread. Per container the runtime holds one small object and a record
 * file; the JDK itself keeps one "process reaper" thread (128 KiB stack) per child process, which no public JDK API
 * avoids.
 */
public final class ProcessRuntime implements ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
    static final Duration ADOPTED_POLL = Duration.ofMillis(500);
    private static final int EXEC_OUTPUT_LIMIT = 4096;
    private static final String SETSID = "/usr/bin/setsid";
    private static final File DEV_NULL = new File("/dev/null");

    private final Path records;
    private final ImageCatalog catalog;
    private final InstantSource clock;
    private final boolean useSetsid = Files.isExecutable(Path.of(SETSID));
    private final ResolvConfDelivery dns;
    /** Completes exit futures and polls adopted processes; one thread for all containers. */
    private final ScheduledExecutorService events;
    private final Map<String, ProcessContainer> live = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * A runtime that delivers pod resolv.conf files as {@link ResolvConfDelivery#detect()} finds possible.
     *
     * @param stateDir where container records are kept (created if missing); one agent per directory
     */
    public ProcessRuntime(Path stateDir, ImageCatalog catalog, InstantSource clock) {
        this(stateDir, catalog, clock, ResolvConfDelivery.detect());
    }

    /**
     * @param dns how containers get their pod's resolv.conf ({@link ResolvConfDelivery#PRIVATE_MOUNT} only when
     *            {@link ResolvConfDelivery#detect()} gives it)
     */
    public ProcessRuntime(Path stateDir, ImageCatalog catalog, InstantSource clock, ResolvConfDelivery dns) {
        this.dns = dns;
        this.records = stateDir.resolve("containers");
        this.catalog = catalog;
        this.clock = clock;
        try {
            Files.createDirectories(records);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the runtime state directory " + records, e);
        }
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-runtime");
            t.setDaemon(true);
            return t;
        });
        events.scheduleWithFixedDelay(this::pollAdopted, ADOPTED_POLL.toMillis(), ADOPTED_POLL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public Container start(ContainerLaunch launch) throws StartFailure {
        if (closed) {
            throw new IllegalStateException("runtime closed");
        }
        ImageCatalog.Image image = catalog.resolve(launch.image());
        List<String> argv = ImageCatalog.argv(image, launch.command(), launch.args());
        Map<String, String> env = environment(image, launch);
        Path workingDir = workingDir(launch);
        if (!Files.isDirectory(workingDir)) {
            throw new StartFailure("RunContainerError", "working directory \"" + workingDir
                    + "\": no such directory");
        }
        String problem = executableProblem(argv.getFirst(), env, workingDir);
        if (problem != null) {
            throw new StartFailure("RunContainerError", problem);
        }
        Path logFile = launch.logFile().toAbsolutePath();
        try {
            Files.createDirectories(logFile.getParent());
        } catch (IOException e) {
            throw new StartFailure("RunContainerError", "cannot create the log directory: " + e.getMessage());
        }
        ProcessBuilder builder = new ProcessBuilder(sessionLeader(withResolvConf(argv, launch, env)))
                .directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new StartFailure("RunContainerError", "cannot start " + argv.getFirst() + ": " + e.getMessage());
        }
        long pid = process.pid();
        long startTicks = ProcStat.read(pid).map(ProcStat::startTicks).orElse(0L);
        String id = newId();
        Instant startedAt = clock.instant();
        ProcessContainer container = new ProcessContainer(launch, id, pid, startTicks, startedAt, process);
        live.put(id, container);
        writeRecord(new ContainerRecord(id, pid, startTicks, startedAt, launch));
        process.onExit().whenCompleteAsync((p, error) -> ended(container, process.exitValue()), this::onEventThread);
        return container;
    }

    private void onEventThread(Runnable task) {
        try {
            events.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: exits are no longer watched
        }
    }

    /** Called once per container on the runtime thread when its main process has ended. */
    private void ended(ProcessContainer container, int exitCode) {
        live.remove(container.id());
        if (!closed) {
            deleteRecord(container.id());
        }
        container.exit().complete(exitCode);
        if (!container.adopted()) {
            // The rest of the group ends with its leader, as a container's processes end with its init process.
            // The pgid cannot be reused while any process is in the group, so this reaches only the container's rest.
            Thread.ofVirtual().name("group-kill-" + container.pid())
                    .start(() -> Signals.group(container.pid(), "KILL"));
        }
    }

    private void pollAdopted() {
        for (ProcessContainer container : live.values()) {
            if (container.adopted() && !container.exit().isDone()
                    && !ProcStat.isSameAlive(container.pid(), container.procStartTicks())) {
                ended(container, -1);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The command runs with the container's environment and working directory, in its own process group, which is
     * killed on timeout (exit code -1) and after the command ends. A container that is not running gives exit code
     * -1; a missing executable gives 127, one that cannot be run 126, each with the error as output.
     */
    @Override
    public ExecResult exec(Container container, List<String> command, Duration timeout) throws InterruptedException {
        if (!(container instanceof ProcessContainer pc) || !pc.running()) {
            return new ExecResult(-1, "container is not running");
        }
        if (command.isEmpty()) {
            return new ExecResult(126, "exec: no command");
        }
        ContainerLaunch launch = pc.launch();
        Map<String, String> env = environment(imageOrHost(launch), launch);
        Path workingDir = workingDir(launch);
        String problem = executableProblem(command.getFirst(), env, workingDir);
        if (problem != null) {
            return new ExecResult(127, problem);
        }
        ProcessBuilder builder = new ProcessBuilder(sessionLeader(withResolvConf(command, launch, env)))
                .directory(Files.isDirectory(workingDir) ? workingDir.toFile() : new File("/"))
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new ExecResult(126, e.getMessage());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().name("exec-output-" + process.pid())
                .start(() -> readBounded(process.getInputStream(), output));
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Signals.group(process.pid(), "KILL");
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(Duration.ofSeconds(2));
            String text;
            synchronized (output) {
                text = output.toString(StandardCharsets.UTF_8);
            }
            return new ExecResult(finished ? process.exitValue() : -1, text);
        } catch (InterruptedException e) {
            Signals.group(process.pid(), "KILL");
            process.destroyForcibly();
            throw e;
        }
    }

    private static void readBounded(InputStream in, ByteArrayOutputStream output) {
        byte[] buffer = new byte[1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (output) {
                    int room = EXEC_OUTPUT_LIMIT - output.size();
                    if (room > 0) {
                        output.write(buffer, 0, Math.min(room, n));
                    }
                }
            }
        } catch (IOException e) {
            // the process was killed; keep what was read
        }
    }

    @Override
    public List<Container> recover() {
        List<Container> running = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(records, "*.json")) {
            dir.forEach(files::add);
        } catch (IOException e) {
            LOG.warn("cannot list container records in {}: {}", records, e.toString());
            return running;
        }
        for (Path file : files) {
            Optional<ContainerRecord> record = readRecord(file);
            if (record.isEmpty()) {
                continue;
            }
            ContainerRecord r = record.get();
            ProcessContainer known = live.get(r.id());
            if (known != null) {
                if (!known.exit().isDone()) {
                    running.add(known);
                }
                continue;
            }
            if (r.procStartTicks() == 0 || !ProcStat.isSameAlive(r.pid(), r.procStartTicks())) {
                deleteRecord(r.id());
                continue;
            }
            ProcessContainer adopted = new ProcessContainer(r.launch(), r.id(), r.pid(), r.procStartTicks(),
                    r.startedAt(), null);
            live.put(r.id(), adopted);
            running.add(adopted);
        }
        return running;
    }

    private Optional<ContainerRecord> readRecord(Path file) {
        try {
            return Optional.of(ContainerRecord.fromJson(Files.readString(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("dropping unreadable container record {}: {}", file, e.toString());
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return Optional.empty();
        }
    }

    /** Stops watching; the containers keep running and their records stay for the next {@link #recover()}. */
    @Override
    public void close() {
        closed = true;
        events.shutdownNow();
    }

    private void writeRecord(ContainerRecord record) {
        Path file = records.resolve(record.id() + ".json");
        Path tmp = records.resolve(record.id() + ".json.tmp");
        try {
            Files.writeString(tmp, record.toJson());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // the container runs; only adoption after an agent restart is lost
            LOG.warn("cannot write container record {}: {}", file, e.toString());
        }
    }

    private void deleteRecord(String id) {
        try {
            Files.deleteIfExists(records.resolve(id + ".json"));
        } catch (IOException e) {
            LOG.warn("cannot delete container record {}: {}", id, e.toString());
        }
    }

    private List<String> sessionLeader(List<String> argv) {
        if (!useSetsid) {
            return argv;
        }
        List<String> out = new ArrayList<>(argv.size() + 1);
        out.add(SETSID);
        out.addAll(argv);
        return out;
    }

    private ImageCatalog.Image imageOrHost(ContainerLaunch launch) {
        try {
            return catalog.resolve(launch.image());
        } catch (StartFailure e) {
            // adopted from an agent with another image map: the host image's environment
            try {
                return catalog.resolve("ferry/host");
            } catch (StartFailure impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    private Map<String, String> environment(ImageCatalog.Image image, ContainerLaunch launch) {
        Map<String, String> env = new LinkedHashMap<>(image.env());
        if (launch.resolvConf() != null && dns == ResolvConfDelivery.ENVIRONMENT) {
            env.putAll(ResolvConfDelivery.environment(launch.resolvConf()));
        }
        env.putAll(launch.env());
        return env;
    }

    private List<String> withResolvConf(List<String> argv, ContainerLaunch launch, Map<String, String> env) {
        return launch.resolvConf() != null && dns == ResolvConfDelivery.PRIVATE_MOUNT
                ? ResolvConfDelivery.wrap(argv, launch.resolvConf(), env) : argv;
    }

    /** How this runtime delivers pod resolv.conf files. */
    public ResolvConfDelivery resolvConfDelivery() {
        return dns;
    }

    private static Path workingDir(ContainerLaunch launch) {
        return launch.workingDir() == null || launch.workingDir().isEmpty() ? Path.of("/") : Path.of(launch.workingDir());
    }

    /**
     * Why {@code executable} cannot be run the way {@code execvp} would find it (searching $PATH of {@code env},
     * or /bin:/usr/bin without one, when it has no '/'), or null when it can. Messages follow runc's.
     */
    static String executableProblem(String executable, Map<String, String> env, Path workingDir) {
        if (executable.isEmpty()) {
            return "exec: \"\": executable file not found in $PATH";
        }
        if (executable.indexOf('/') >= 0) {
            Path path = workingDir.resolve(executable);
            if (!Files.exists(path)) {
                return "exec: \"" + executable + "\": stat " + executable + ": no such file or directory";
            }
            if (Files.isDirectory(path) || !Files.isExecutable(path)) {
                return "exec: \"" + executable + "\": permission denied";
            }
            return null;
        }
        String searchPath = env.getOrDefault("PATH", "/bin:/usr/bin");
        for (String dir : searchPath.split(":", -1)) {
            Path candidate = (dir.isEmpty() ? workingDir : workingDir.resolve(dir)).resolve(executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return null;
            }
        }
        return "exec: \"" + executable + "\": executable file not found in $PATH";
    }

    private static String newId() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
